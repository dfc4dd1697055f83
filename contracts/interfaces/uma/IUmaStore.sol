// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IUmaStore
/// @notice UMA's `Store`: registered in the Finder as "Store", it sets the final fee of each bond currency.
interface IUmaStore {
    /// @notice A fixed-point amount as UMA's `FixedPoint.Unsigned` encodes it.
    struct Unsigned {
        uint256 rawValue;
    }

    /// @notice The final fee a DVM request in `currency` costs.
    function computeFinalFee(address currency) external view returns (Unsigned memory);
}
