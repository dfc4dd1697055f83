// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IArbiter, IRulingReceiver} from "./IArbiter.sol";
import {ICoverManager} from "./ICoverManager.sol";
import {IParametricIncidentSink} from "./IParametricIncidentSink.sol";
import {IParkedPayments} from "./IParkedPayments.sol";
import {IProductRegistry} from "./IProductRegistry.sol";

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

/// @notice A claim on one policy of a discretionary product. Its terms are fixed when it is filed (`expiration`,
/// `bond`, `burnWad`) or disputed (`arbiter`, `drawAt`); later parameter changes never reach it.
/// @param reserved What the vault set aside at filing (at most its `navBid` then); the payout is decided at settlement.
/// @param drawAt When a dispute still unruled settles as a draw.
struct Claim {
    uint256 policyId;
    address vault;
    uint40 incidentTime;
    uint40 expiration;
    AssertionState state;
    Ruling ruling;
    address filer;
    uint64 burnWad;
    address disputer;
    address arbiter;
    uint40 disputedAt;
    uint40 drawAt;
    uint128 amount;
    uint128 reserved;
    uint128 bond;
    uint128 paid;
    uint256 caseId;
}

/// @notice A report that a whole product suffered a covered incident. Its terms are fixed when it is reported
/// (`expiration`, `bond`, `burnWad`, `claimWindow`), disputed (`arbiter`, `drawAt`) or confirmed (`claimWindowEnd`).
/// @param claimWindow How long eligible policies have to claim once it is confirmed; top-ups get as long again.
/// @dev The fields are in storage order: everything a payout reads shares the first slot, and what a settlement reads
/// the second.
struct Incident {
    uint32 productId;
    uint40 reportedAt;
    uint40 incidentTime;
    uint40 confirmedAt;
    uint40 claimWindowEnd;
    uint64 payoutWad;
    uint40 expiration;
    uint40 disputedAt;
    uint40 drawAt;
    AssertionState state;
    Ruling ruling;
    uint64 burnWad;
    uint32 claimWindow;
    address reporter;
    address disputer;
    address arbiter;
    uint128 bond;
    uint256 caseId;
}

/// @notice Where an incident's reserve in one vault stands.
enum ReservePhase {
    Open,
    TopUp,
    Released
}

/// @notice One backing vault's reserve for an incident, taken when the incident is reported.
/// @param needed `payoutWad` times the vault's exposure to the product at the report: an upper bound of what its
/// eligible policies can claim.
/// @param reserved What the vault set aside at the report (at most its `navBid` then).
/// @param reserveLeft What is still set aside: not yet paid, nor released.
/// @param entitled The full entitlements (`payoutWad` times remaining cover) of the policies paid so far.
/// @param paid What those policies received; below `entitled` only while the vault was short.
/// @param topUpWad Once the claim window has closed, the share of each paid policy's shortfall the leftover reserve
/// makes good.
struct IncidentReserve {
    uint128 needed;
    uint128 reserved;
    uint128 reserveLeft;
    uint128 entitled;
    uint128 paid;
    uint64 topUpWad;
    ReservePhase phase;
}

/// @title IClaimAdjudicator
/// @notice Optimistic claims and incident reports: an assertion posts a bond and stands unless disputed within the
/// liveness; a dispute posts an equal bond and goes to the arbiter; the loser's bond goes to the winner, minus a burn
/// to the treasury. Approved claims and confirmed incidents are paid from the vaults to the policy's current owner.
/// Parametric products skip the process: their trigger confirms an incident at once.
interface IClaimAdjudicator is IRulingReceiver, IParametricIncidentSink, IParkedPayments {
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
    /// @notice The claim window (`end + claimGracePeriod`, plus any time the adjudicator spent paused) closed; for
    /// incidents, before the incident was reported.
    error ClaimWindowClosed(uint256 policyId, uint256 deadline);
    /// @notice Zero, or above the policy's remaining cover (or above 2^96 - 1 base units, the most one claim holds).
    error InvalidClaimAmount(uint256 policyId, uint256 amount, uint256 remaining);
    /// @notice The policy already has a claim being decided (raised by `ICoverManager.openClaim` during `fileClaim`).
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
    /// @notice An incident time further back than MAX_INCIDENT_AGE: a stale report would freeze capacity for nothing.
    error IncidentTooOld(uint256 incidentTime, uint256 earliest);
    /// @notice No top-up for this policy: none is open (the claim window has not closed, or top-ups ended), or the
    /// policy was paid in full.
    error NoTopUp(uint256 incidentId, uint256 policyId);

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
    /// @notice A reported incident reserved `reserved` of the `needed` in `vault`.
    event IncidentReserved(uint256 indexed incidentId, address indexed vault, uint256 needed, uint256 reserved);
    /// @notice An eligible policy was paid for a confirmed incident.
    event IncidentPayoutClaimed(
        uint256 indexed incidentId, uint256 indexed policyId, address indexed receiver, uint256 amount
    );
    /// @notice `amount` of the reserve of `vault` returned to its underwriters: all of it when the report failed,
    /// what no eligible policy claimed or was owed once the claim window (and then the top-up window) closed.
    event IncidentReserveReleased(uint256 indexed incidentId, address indexed vault, uint256 amount);
    /// @notice The claim window closed with paid policies short of their entitlement: `topUpWad` of each shortfall is
    /// paid from the leftover reserve of `vault`, on request, until the top-up window closes.
    event IncidentTopUpOpened(uint256 indexed incidentId, address indexed vault, uint256 pool, uint256 topUpWad);
    /// @notice A policy paid short for an incident received `amount` more from the leftover reserve.
    event IncidentTopUpClaimed(
        uint256 indexed incidentId, uint256 indexed policyId, address indexed receiver, uint256 amount
    );
    /// @notice Bonds of the dispute `key` were paid out: to the filer (or reporter), the disputer, and burned.
    event BondsSettled(bytes32 indexed key, uint256 toFiler, uint256 toDisputer, uint256 burned);
    /// @notice A parameter changed.
    event ParameterSet(bytes32 indexed parameter, uint256 value);
    /// @notice The default arbiter for new disputes changed; open cases stay with their arbiter.
    event ArbiterSet(address indexed arbiter);
    /// @notice New disputes on `productId` go to `arbiter` (the default arbiter when zero); open cases keep theirs.
    event ProductArbiterSet(uint256 indexed productId, address indexed arbiter);
    /// @notice The minimum bond in `asset` changed.
    event MinBondSet(address indexed asset, uint256 minBond);

    /// @notice Files a claim on a discretionary product's policy, posting the bond `bondFor(asset, amount)`. The vault
    /// reserves up to `amount` at once; what the claim pays is decided at settlement. One claim holds at most 2^96 - 1
    /// base units (amounts, reserves, bonds and payouts are stored in 96 bits); a larger loss is claimed in turns.
    /// @dev Caller: the policy NFT's owner or an approved address. Bond in the policy vault's asset.
    function fileClaim(uint256 policyId, uint256 amount, uint256 incidentTime, string calldata evidenceURI)
        external
        returns (uint256 claimId);

    /// @notice Disputes a pending claim strictly before its expiration, posting an equal bond. The case goes to the
    /// product's arbiter (`arbiterFor`), which it keeps. Before a committee it settles as a draw if unruled after
    /// `arbitrationTimeout`; before an arbiter that always rules (UMA's DVM) it waits for the ruling, however long.
    /// @dev UMA's arbiter also pulls its escalation deposit from the caller (`IUmaArbiter.escalationDeposit`).
    function disputeClaim(uint256 claimId) external;

    /// @notice Settles a claim: approved at or after expiration if undisputed, else per the ruling, else a draw after
    /// the arbitration timeout. Anyone may call; works while paused.
    function settleClaim(uint256 claimId) external;

    /// @notice Reports an incident on a discretionary product; no cover is sold on it until settled. Every backing
    /// vault reserves `payoutWad` times its exposure to the product at once (as far as its `navBid` goes), so no
    /// underwriter leaves ahead of the loss; a rejected report releases it. The bond is `incidentBond` or `bondWad` of
    /// what the vaults of `incidentBondAsset` reserve, whichever is more. `incidentTime` lies at most MAX_INCIDENT_AGE
    /// back.
    function reportIncident(uint256 productId, uint256 incidentTime, uint256 payoutWad, string calldata evidenceURI)
        external
        returns (uint256 incidentId);

    /// @notice Disputes a pending incident report strictly before its expiration, posting an equal bond; the case goes
    /// to the product's arbiter as for claims.
    function disputeIncident(uint256 incidentId) external;

    /// @notice Settles an incident report: a confirmation opens the claim window, a rejection or draw releases the
    /// reserves taken at the report.
    function settleIncident(uint256 incidentId) external;

    /// @notice Pays an eligible policy its share of a confirmed incident, once, to the policy's current owner.
    /// Eligible: `start + coverageLag < incidentTime <= end`, and the policy's claim window still open when the
    /// incident was reported (the report files for every policy).
    /// The payout is decided now: `payoutWad` times the remaining cover, in full while the vault can pay what its
    /// eligible policies may still claim (its reserve for the incident plus its free `navBid`), else that pro-rata
    /// share; a shortfall is made good from the leftover reserve once the claim window closes (`claimIncidentTopUp`).
    /// @dev Anyone may call; works while paused.
    function claimIncidentPayout(uint256 policyId, uint256 incidentId) external returns (uint256 payout);

    /// @notice Pays a policy paid short for an incident its share of the leftover reserve, to the policy's current
    /// owner, between the close of the claim window and the close of the top-up window (as long again).
    /// @dev Anyone may call; works while paused.
    function claimIncidentTopUp(uint256 policyId, uint256 incidentId) external returns (uint256 topUp);

    /// @notice Returns to the underwriters what an incident's reserves hold beyond what its policies are owed: at the
    /// close of the claim window, whatever no shortfall needs (the rest opens top-ups, with what the reserve lacks of
    /// the shortfall reserved from the vault's free capital first); at the close of the top-up window, whatever is
    /// left. A failed report releases its reserves when it settles.
    function releaseIncidentReserve(uint256 incidentId) external;


    /// @notice Seconds the adjudicator has spent paused up to `timestamp`; claim windows are extended by the pauses
    /// within them.
    function pausedSecondsAt(uint256 timestamp) external view returns (uint256);

    /// @notice The claim being decided on the policy, or 0 (the CoverManager keeps the mark, beside the policy's
    /// claimed total: see `ICoverManager.openClaimOf`).
    function openClaimOf(uint256 policyId) external view returns (uint256);

    /// @notice The claim, reverting `InvalidAssertionState` for an id never filed.
    function getClaim(uint256 claimId) external view returns (Claim memory);

    /// @notice The incident, reverting `InvalidAssertionState` for an id never reported.
    function getIncident(uint256 incidentId) external view returns (Incident memory);

    /// @notice The reserve `vault` holds for `incidentId`.
    function incidentReserve(uint256 incidentId, address vault) external view returns (IncidentReserve memory);

    /// @notice The vaults that reserved for `incidentId` when it was reported.
    function incidentVaults(uint256 incidentId) external view returns (address[] memory);

    /// @notice Whether the policy was paid for the incident.
    function incidentPaid(uint256 incidentId, uint256 policyId) external view returns (bool);

    /// @notice What the policy, paid short for the incident, was still owed (zero once topped up).
    function incidentShortfall(uint256 incidentId, uint256 policyId) external view returns (uint256);

    /// @notice The bond to claim `amount` in `asset`: `max(minBond[asset], amount * bondWad)`, rounded up.
    function bondFor(address asset, uint256 amount) external view returns (uint256);

    /// @notice The dispute key of a claim, as the arbiter and events see it.
    function claimKey(uint256 claimId) external pure returns (bytes32);

    /// @notice The dispute key of an incident.
    function incidentKey(uint256 incidentId) external pure returns (bytes32);

    /// @notice Sets the default arbiter for new disputes. Admin role.
    function setArbiter(address arbiter) external;

    /// @notice Sends new disputes on `productId` to `arbiter` (a committee or UMA's arbiter); zero returns the product
    /// to the default arbiter. Open cases keep the arbiter they were disputed before. Risk-manager role, with its
    /// execution delay. Reverts `ParameterOutOfBounds("arbitrationTimeout", ...)` for an arbiter whose voting period
    /// does not end before the arbitration timeout.
    function setProductArbiter(uint256 productId, address arbiter) external;

    /// @notice The arbiter a dispute on `productId` would go to now.
    function arbiterFor(uint256 productId) external view returns (IArbiter);

    /// @notice The product registry.
    function registry() external view returns (IProductRegistry);

    /// @notice The cover manager: policies and their owners.
    function coverManager() external view returns (ICoverManager);

    /// @notice Sets a parameter within its hard bounds: "bondWad" (<= 50%), "burnWad" (10%..100%),
    /// "liveness" (1 hour..14 days), "arbitrationTimeout" (1..60 days), "incidentClaimWindow" (7..90 days),
    /// "incidentBond" (1..2^96 - 1, the cap of every amount a case holds). Risk-manager role. Cases already open
    /// keep the values they started with.
    function setParameter(bytes32 parameter, uint256 value) external;

    /// @notice Sets the minimum claim bond in `asset`, at most 2^96 - 1 (`ParameterOutOfBounds("minBond", ...)`).
    /// Risk-manager role.
    function setMinBond(address asset, uint256 minBond) external;

    /// @notice Stops claim filing and incident reports. Guardian role.
    function pause() external;

    /// @notice Resumes claim filing and incident reports. Admin role.
    function unpause() external;
}
