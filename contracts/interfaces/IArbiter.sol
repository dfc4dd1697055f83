// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IArbiter
/// @notice The escalation point for disputed claims and incidents. The adjudicator opens a case; the arbiter later
/// answers through `IRulingReceiver.receiveRuling` on the adjudicator. A case before an arbiter that may stay silent
/// ends in a draw after the adjudicator's arbitration timeout; one before an arbiter that always rules never draws.
interface IArbiter {
    /// @notice Whether every case gets a ruling eventually (UMA's DVM always resolves a vote), so the adjudicator never
    /// settles one as a draw; false for an arbiter that may stay silent (a committee short of its quorum).
    function alwaysRules() external view returns (bool);

    /// @notice Opens a case on the adjudicator's dispute `disputeKey` between `filer` (who asserted) and `disputer`.
    /// @dev Callable only by the adjudicator the arbiter serves. Neither party may take part in the decision.
    /// @return caseId The arbiter's id for the case, unique per arbiter.
    function requestRuling(bytes32 disputeKey, address filer, address disputer) external returns (uint256 caseId);
}

/// @title IRulingReceiver
/// @notice Implemented by the adjudicator: where an arbiter delivers its ruling, and whom it asks who has a stake.
interface IRulingReceiver {
    /// @notice Whether `account` has a stake in the dispute `disputeKey` right now: its filer, its disputer, or the
    /// current holder of the policy a claim would pay. Arbiters refuse such accounts a vote.
    function isParty(bytes32 disputeKey, address account) external view returns (bool);

    /// @notice Records the arbiter's ruling on `caseId`; `approved` upholds the claim or incident.
    /// @dev Only records: settlement happens in a separate call, so no ruling callback can fail on a token transfer.
    function receiveRuling(uint256 caseId, bool approved) external;
}
