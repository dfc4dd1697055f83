// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IUmaFinder
/// @notice UMA's registry of its own contracts by interface name (UMA's `FinderInterface`).
interface IUmaFinder {
    /// @notice The contract registered under `interfaceName` (e.g. "CollateralWhitelist"); reverts if none.
    function getImplementationAddress(bytes32 interfaceName) external view returns (address);
}
