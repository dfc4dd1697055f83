// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IUmaAddressWhitelist
/// @notice UMA's `AddressWhitelist`: registered in the Finder as "CollateralWhitelist", the currencies UMA accepts
/// for bonds.
interface IUmaAddressWhitelist {
    /// @notice Whether `token` is on the whitelist.
    function isOnWhitelist(address token) external view returns (bool);
}
