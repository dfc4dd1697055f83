// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AssertionState, IClaimAdjudicator, Ruling} from "../interfaces/IClaimAdjudicator.sol";

/// @title CaseRules
/// @notice When an optimistic case (a claim or an incident report) may be disputed, and how it ends: the one rule the
/// adjudicator's claims and IncidentLogic's incidents share. Errors are the adjudicator's (see IClaimAdjudicator).
library CaseRules {
    /// @notice Reverts unless the case is pending and its liveness still runs.
    function checkDisputable(bytes32 key, AssertionState state, uint256 expiration) internal view {
        if (state != AssertionState.Pending) revert IClaimAdjudicator.InvalidAssertionState(key, state);
        if (block.timestamp >= expiration) revert IClaimAdjudicator.LivenessExpired(key, expiration);
    }

    /// @notice How the case ends if settled now; reverts while it cannot be settled yet. Exactly one of dispute and
    /// settle is possible at any time for an undisputed case. `drawAt` was fixed when the dispute began.
    function outcome(bytes32 key, AssertionState state, Ruling ruling, uint256 expiration, uint256 drawAt)
        internal
        view
        returns (AssertionState)
    {
        if (state == AssertionState.Pending) {
            if (block.timestamp < expiration) revert IClaimAdjudicator.LivenessNotExpired(key, expiration);
            return AssertionState.Approved;
        }
        if (state != AssertionState.Disputed) revert IClaimAdjudicator.InvalidAssertionState(key, state);
        if (ruling == Ruling.Approve) return AssertionState.Approved;
        if (ruling == Ruling.Reject) return AssertionState.Rejected;
        if (block.timestamp < drawAt) revert IClaimAdjudicator.AwaitingRuling(key, drawAt);
        return AssertionState.Drawn;
    }
}
