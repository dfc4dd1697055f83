// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IUmaIdentifierWhitelist
/// @notice UMA's `IdentifierWhitelist`: registered in the Finder as "IdentifierWhitelist", the price identifiers the
/// DVM votes on.
interface IUmaIdentifierWhitelist {
    /// @notice Whether the DVM answers requests for `identifier`.
    function isIdentifierSupported(bytes32 identifier) external view returns (bool);
}
