// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IRulingReceiver} from "./IArbiter.sol";
import {IParametricIncidentSink} from "./IParametricIncidentSink.sol";

/// @notice Where a claim or an incident report stands.
/// @dev Pending → (dispute) Disputed → Approved | Rejected | Drawn;  Pending → (liveness over) Approved.
enum AssertionState {
    None,
    Pending,
    Disputed,
    Approved,
    Rejected,
    Drawn
}

/// @notice The arbiter's answer on a disputed assertion.
enum Ruling {
    None,
    Approve,
    Reject
}

/// @notice A claim on one policy of a discretionary product.
struct Claim {
    uint256 policyId;
    address vault;
    uint40 incidentTime;
    uint40 expiration;
    uint40 disputedAt;
    AssertionState state;
    Ruling ruling;
    address filer;
    address disputer;
    address arbiter;
    uint128 amount;
    uint128 reserved;
    uint128 bond;
    uint128 paid;
    uint256 caseId;
}

/// @notice A report that a whole product suffered a covered incident.
struct Incident {
    uint256 productId;
    uint40 reportedAt;
    uint40 incidentTime;
    uint40 expiration;
    uint40 disputedAt;
    uint40 confirmedAt;
    AssertionState state;
    Ruling ruling;
    uint64 payoutWad;
    address reporter;
    address disputer;
    address arbiter;
    uint128 bond;
    uint256 caseId;
}

/// @notice One backing vault's reserve for a confirmed incident.
/// @param haircutWad Share of each eligible payout the vault can honour (1e18 when it reserved all it needed).
struct IncidentReserve {
    uint128 reserved;
    uint128 paid;
    uint64 haircutWad;
    bool released;
}

/// @title IClaimAdjudicator
/// @notice Optimistic claims and incident reports: an assertion posts a bond and stands unless disputed within the
/// liveness; a dispute posts an equal bond and goes to the arbiter; the loser's bond goes to the winner, minus a burn
/// to the treasury. Approved claims and confirmed incidents are paid from the vaults to the policy's current owner.
/// Parametric products skip the process: their trigger confirms an incident at once.
interface IClaimAdjudicator is IRulingReceiver, IParametricIncidentSink {
    /// @notice The caller neither owns the policy NFT nor is approved for it.
    error NotPolicyHolder(uint256 policyId, address caller);
    /// @notice The product's claims are not decided this way (claims: discretionary only; triggers: parametric only).
    error WrongProductKind(uint256 productId);
    /// @notice The policy was bought in this block: no buy-and-claim.
    error ClaimTooEarly(uint256 policyId, uint256 start);
    /// @notice The incident is outside what the policy covers: before `coveredFrom = start + coverageLag + 1` or after
    /// `end`.
    error IncidentOutsideCover(uint256 policyId, uint256 incidentTime, uint256 coveredFrom, uint256 coveredUntil);
    /// @notice An incident time not in the past.
    error IncidentNotInPast(uint256 incidentTime, uint256 timestamp);
    /// @notice The claim window (`end + claimGracePeriod`) closed; for incidents, before the incident was reported.
    error ClaimWindowClosed(uint256 policyId, uint256 deadline);
    /// @notice Zero, or above the policy's remaining cover.
    error InvalidClaimAmount(uint256 policyId, uint256 amount, uint256 remaining);
    /// @notice The policy already has a claim being decided.
    error ClaimAlreadyOpen(uint256 policyId, uint256 claimId);
    /// @notice No such claim or incident, or not in a state that allows this.
    error InvalidAssertionState(bytes32 key, AssertionState state);
    /// @notice Disputes must come strictly before the expiration.
    error LivenessExpired(bytes32 key, uint256 expiration);
    /// @notice Undisputed assertions settle at or after the expiration.
    error LivenessNotExpired(bytes32 key, uint256 expiration);
    /// @notice A disputed assertion settles once ruled, or as a draw after the arbitration timeout.
    error AwaitingRuling(bytes32 key, uint256 drawAt);
    /// @notice The caller is not the arbiter of an open case with this id.
    error UnknownCase(address arbiter, uint256 caseId);
    /// @notice `payoutWad` outside (0, 1e18].
    error InvalidPayoutRatio(uint256 payoutWad);
    /// @notice The caller is not the product's registered trigger.
    error NotProductTrigger(uint256 productId, address caller);
    /// @notice The incident is not confirmed, or its claim window has closed / not yet closed.
    error IncidentClaimWindow(uint256 incidentId, uint256 windowEnd);
    /// @notice The policy is not on the incident's product.
    error PolicyNotOnProduct(uint256 policyId, uint256 productId);
    /// @notice The policy was already paid for this incident.
    error IncidentAlreadyPaid(uint256 incidentId, uint256 policyId);
    /// @notice Nothing is left to pay on this policy for this incident.
    error NothingToPay(uint256 incidentId, uint256 policyId);
    /// @notice A parameter outside its hard bounds.
    error ParameterOutOfBounds(bytes32 parameter, uint256 value);
    /// @notice The zero address where a contract is required.
    error ZeroAddress();

    /// @notice A claim was filed; the vault reserved `reserved` for it.
    event ClaimFiled(
        uint256 indexed claimId,
        uint256 indexed policyId,
        address indexed filer,
        uint256 amount,
        uint256 reserved,
        uint256 incidentTime,
        uint256 bond,
        uint256 expiration,
        string evidenceURI
    );
    /// @notice A claim was disputed and sent to the arbiter as `caseId`.
    event ClaimDisputed(uint256 indexed claimId, uint256 indexed policyId, address indexed disputer, uint256 caseId);
    /// @notice An incident report was filed; sales on the product stop until it is settled.
    event IncidentReported(
        uint256 indexed incidentId,
        uint256 indexed productId,
        address indexed reporter,
        uint256 incidentTime,
        uint256 payoutWad,
        uint256 bond,
        uint256 expiration,
        string evidenceURI
    );
    /// @notice An incident report was disputed and sent to the arbiter as `caseId`.
    event IncidentDisputed(
        uint256 indexed incidentId, uint256 indexed productId, address indexed disputer, uint256 caseId
    );
    /// @notice The arbiter ruled on the dispute `key` (see `claimKey`/`incidentKey`).
    event RulingReceived(bytes32 indexed key, address indexed arbiter, uint256 indexed caseId, bool approved);
    /// @notice A claim was settled: `payout` went to `receiver` (the policy owner at settlement) when approved.
    event ClaimSettled(
        uint256 indexed claimId, uint256 indexed policyId, AssertionState outcome, address receiver, uint256 payout
    );
    /// @notice An incident report was settled.
    event IncidentSettled(uint256 indexed incidentId, uint256 indexed productId, AssertionState outcome);
    /// @notice A confirmed incident reserved `reserved` of the `needed` in `vault`.
    event IncidentReserved(
        uint256 indexed incidentId, address indexed vault, uint256 needed, uint256 reserved, uint256 haircutWad
    );
    /// @notice An eligible policy was paid for a confirmed incident.
    event IncidentPayoutClaimed(
        uint256 indexed incidentId, uint256 indexed policyId, address indexed receiver, uint256 amount
    );
    /// @notice After the incident claim window, the unclaimed reserve of `vault` was released.
    event IncidentReserveReleased(uint256 indexed incidentId, address indexed vault, uint256 amount);
    /// @notice Bonds of the dispute `key` were paid out: to the filer (or reporter), the disputer, and burned.
    event BondsSettled(bytes32 indexed key, uint256 toFiler, uint256 toDisputer, uint256 burned);
    /// @notice A parameter changed.
    event ParameterSet(bytes32 indexed parameter, uint256 value);
    /// @notice The arbiter for new disputes changed; open cases stay with their arbiter.
    event ArbiterSet(address indexed arbiter);
    /// @notice The minimum bond in `asset` changed.
    event MinBondSet(address indexed asset, uint256 minBond);

    /// @notice Files a claim on a discretionary product's policy, posting the bond `bondFor(asset, amount)`.
    /// @dev Caller: the policy NFT's owner or an approved address. Bond in the policy vault's asset.
    function fileClaim(uint256 policyId, uint256 amount, uint256 incidentTime, string calldata evidenceURI)
        external
        returns (uint256 claimId);

    /// @notice Disputes a pending claim strictly before its expiration, posting an equal bond.
    function disputeClaim(uint256 claimId) external;

    /// @notice Settles a claim: approved at or after expiration if undisputed, else per the ruling, else a draw after
    /// the arbitration timeout. Anyone may call; works while paused.
    function settleClaim(uint256 claimId) external;

    /// @notice Reports an incident on a discretionary product; no cover is sold on it until settled.
    function reportIncident(uint256 productId, uint256 incidentTime, uint256 payoutWad, string calldata evidenceURI)
        external
        returns (uint256 incidentId);

    /// @notice Disputes a pending incident report strictly before its expiration, posting an equal bond.
    function disputeIncident(uint256 incidentId) external;

    /// @notice Settles an incident report; a confirmation reserves the payouts in every backing vault.
    function settleIncident(uint256 incidentId) external;

    /// @notice Pays an eligible policy its share of a confirmed incident, once, to the policy's current owner.
    /// Eligible: `start + coverageLag < incidentTime <= end`, and the policy's capital still locked when the
    /// incident was reported (the report files for every policy; the vault reserved for exactly those).
    /// @dev Anyone may call; works while paused.
    function claimIncidentPayout(uint256 policyId, uint256 incidentId) external returns (uint256 payout);

    /// @notice After the incident claim window, releases what the vaults reserved but nobody claimed.
    function releaseIncidentReserve(uint256 incidentId) external;

    /// @notice The claim, reverting `InvalidAssertionState` for an id never filed.
    function getClaim(uint256 claimId) external view returns (Claim memory);

    /// @notice The incident, reverting `InvalidAssertionState` for an id never reported.
    function getIncident(uint256 incidentId) external view returns (Incident memory);

    /// @notice The reserve `vault` holds for `incidentId`.
    function incidentReserve(uint256 incidentId, address vault) external view returns (IncidentReserve memory);

    /// @notice The vaults that reserved for `incidentId` when it was confirmed.
    function incidentVaults(uint256 incidentId) external view returns (address[] memory);

    /// @notice The bond to claim `amount` in `asset`: `max(minBond[asset], amount * bondWad)`, rounded up.
    function bondFor(address asset, uint256 amount) external view returns (uint256);

    /// @notice The dispute key of a claim, as the arbiter and events see it.
    function claimKey(uint256 claimId) external pure returns (bytes32);

    /// @notice The dispute key of an incident.
    function incidentKey(uint256 incidentId) external pure returns (bytes32);

    /// @notice Sets the arbiter for new disputes. Admin role.
    function setArbiter(address arbiter) external;

    /// @notice Sets a parameter within its hard bounds: "bondWad" (<= 50%), "burnWad" (10%..100%),
    /// "liveness" (1 hour..14 days), "arbitrationTimeout" (1..60 days), "incidentClaimWindow" (7..90 days),
    /// "incidentBond" (> 0). Risk-manager role.
    function setParameter(bytes32 parameter, uint256 value) external;

    /// @notice Sets the minimum claim bond in `asset`. Risk-manager role.
    function setMinBond(address asset, uint256 minBond) external;

    /// @notice Stops claim filing and incident reports. Guardian role.
    function pause() external;

    /// @notice Resumes claim filing and incident reports. Admin role.
    function unpause() external;
}
