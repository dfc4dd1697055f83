// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IOptimisticOracleV3CallbackRecipient
/// @notice What Optimistic Oracle V3 calls on an assertion's callback recipient (UMA's
/// `OptimisticOracleV3CallbackRecipientInterface`).
interface IOptimisticOracleV3CallbackRecipient {
    /// @notice The assertion settled: `assertedTruthfully` is the DVM's answer for a disputed one.
    function assertionResolvedCallback(bytes32 assertionId, bool assertedTruthfully) external;

    /// @notice The assertion was disputed.
    function assertionDisputedCallback(bytes32 assertionId) external;
}
