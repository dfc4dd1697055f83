// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IClaimAdjudicator} from "../interfaces/IClaimAdjudicator.sol";
import {Policy} from "../interfaces/ICoverManager.sol";
import {ClaimTerms} from "../interfaces/IProductRegistry.sol";
import {PauseClock} from "./PauseClock.sol";

/// @title CoverWindow
/// @notice When a policy covers an incident and until when it may claim: shared by claims and incident payouts.
library CoverWindow {
    using PauseClock for PauseClock.Clock;

    /// @notice An incident counts for a policy only if `start + coverageLag < incidentTime <= end`, and lies in the
    /// past: strictly after, so that cover bought in the second an incident happened (say, back-running a feed
    /// update) never covers it.
    function checkCovered(uint256 policyId, Policy memory policy, ClaimTerms memory product, uint256 incidentTime)
        internal
        view
    {
        uint256 coveredFrom = uint256(policy.start) + product.coverageLag + 1;
        if (incidentTime < coveredFrom || incidentTime > policy.end) {
            revert IClaimAdjudicator.IncidentOutsideCover(policyId, incidentTime, coveredFrom, policy.end);
        }
        if (incidentTime >= block.timestamp) {
            revert IClaimAdjudicator.IncidentNotInPast(incidentTime, block.timestamp);
        }
    }

    /// @notice When the policy's claim window closes, pauses aside; the vault keeps its capital locked until then (on
    /// the 7-day grid).
    function deadline(Policy memory policy, ClaimTerms memory product) internal pure returns (uint256) {
        return uint256(policy.end) + product.claimGracePeriod;
    }

    /// @notice Reverts `ClaimWindowClosed` unless the policy's claim window is open at `timestamp`: time the
    /// adjudicator spent paused never counts against it.
    function checkOpenAt(
        PauseClock.Clock storage clock,
        uint256 policyId,
        Policy memory policy,
        ClaimTerms memory product,
        uint256 timestamp
    ) internal view {
        uint256 windowDeadline = deadline(policy, product);
        // Unpaused time never exceeds the time elapsed: up to the deadline itself, the clock need not be read.
        if (timestamp <= windowDeadline) return;
        uint256 unpaused = clock.unpausedSeconds(policy.start, timestamp);
        if (unpaused > windowDeadline - policy.start) {
            // The deadline as the pauses up to `timestamp` extended it.
            uint256 extendedDeadline = windowDeadline + (timestamp - policy.start) - unpaused;
            revert IClaimAdjudicator.ClaimWindowClosed(policyId, extendedDeadline);
        }
    }
}
