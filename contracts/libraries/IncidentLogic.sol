// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {
    AssertionState,
    IClaimAdjudicator,
    Incident,
    IncidentReserve,
    ReservePhase
} from "../interfaces/IClaimAdjudicator.sol";
import {ICoverManager, Policy} from "../interfaces/ICoverManager.sol";
import {ClaimTerms, IProductRegistry, ProductKind} from "../interfaces/IProductRegistry.sol";
import {IUnderwriterVault} from "../interfaces/IUnderwriterVault.sol";
import {CaseRules} from "./CaseRules.sol";
import {CoverWindow} from "./CoverWindow.sol";
import {ExactTransfer} from "./ExactTransfer.sol";
import {PauseClock} from "./PauseClock.sol";
import {TimeBuckets} from "./TimeBuckets.sol";

/// @title IncidentLogic
/// @notice Incidents' reports and their money, run by the ClaimAdjudicator (an external library, so that the
/// adjudicator keeps room under the contract size limit): reports and parametric confirmations, reserves taken at the
/// report, their settlement (by the rules claims follow, `CaseRules`), payouts decided when paid, top-ups from the
/// leftovers, and releases. Disputes stay in the adjudicator, which opens every arbiter's case; the adjudicator also
/// settles the bonds. Events and errors are the adjudicator's (see IClaimAdjudicator).
/// @dev Every function here touches at most one policy and the product's backing vaults (at most 16): O(1) in the
/// number of policies and claims.
library IncidentLogic {
    uint256 private constant WAD = 1e18;
    /// @notice How far back a report may place its incident: an exploit is public within hours; two weeks leave room
    /// for a slow discovery and a weekend, while a report cannot reach back to freeze capacity over some long-past
    /// event.
    uint256 internal constant MAX_INCIDENT_AGE = 14 days;

    /// @notice The adjudicator's incident storage.
    /// @param paidBits Which policies were paid, one bit each and 256 to a slot (see `isPaid`): most payouts of an
    /// incident then set a bit in a slot an earlier one wrote, for 2,900 gas instead of a new slot's 20,000.
    /// @param shortfall What a policy paid short was still owed when it was paid.
    struct IncidentBook {
        mapping(uint256 incidentId => Incident) incidents;
        mapping(uint256 incidentId => address[]) vaults;
        mapping(uint256 incidentId => mapping(address vault => StoredReserve)) reserves;
        mapping(uint256 incidentId => mapping(uint256 word => uint256 bits)) paidBits;
        mapping(uint256 incidentId => mapping(uint256 policyId => uint256)) shortfall;
    }

    /// @notice `IncidentReserve` as stored (see `reserveOf`): a payout in full reads and writes the first slot only, a
    /// report writes the first two.
    /// @param headroom `needed - entitled`: what the vault's eligible policies may still claim beyond those paid (below
    /// zero once policies whose capital was freed before the report claim too).
    /// @param unpaid `entitled - paid`: what the policies paid short were still owed, less their top-ups; it changes
    /// only when a vault is short.
    struct StoredReserve {
        uint128 reserveLeft;
        int128 headroom;
        uint128 needed;
        uint128 reserved;
        uint128 unpaid;
        uint64 topUpWad;
        ReservePhase phase;
    }

    /// @notice The adjudicator's parameters of the day that a new report keeps for its whole life.
    /// @param minBond The adjudicator's `incidentBond`: the least a report posts.
    struct ReportTerms {
        IERC20 bondAsset;
        uint256 minBond;
        uint256 bondWad;
        uint256 burnWad;
        uint256 liveness;
        uint256 claimWindow;
    }

    /// @notice See `IClaimAdjudicator.reportIncident`; `incidentId` is the adjudicator's next incident id. The
    /// reporter (`msg.sender`) posts the bond `terms` size.
    function report(
        IncidentBook storage book,
        IProductRegistry registry,
        ReportTerms calldata terms,
        uint256 incidentId,
        uint256 productId,
        uint256 incidentTime,
        uint256 payoutWad,
        string calldata evidenceURI
    ) external {
        if (registry.getClaimTerms(productId).kind != ProductKind.Discretionary) {
            revert IClaimAdjudicator.WrongProductKind(productId);
        }
        if (incidentTime >= block.timestamp) revert IClaimAdjudicator.IncidentNotInPast(incidentTime, block.timestamp);
        if (incidentTime + MAX_INCIDENT_AGE < block.timestamp) {
            revert IClaimAdjudicator.IncidentTooOld(incidentTime, block.timestamp - MAX_INCIDENT_AGE);
        }
        _checkPayoutRatio(payoutWad);
        uint256 expiration = block.timestamp + terms.liveness;

        Incident storage incident =
            _record(book, terms.burnWad, terms.claimWindow, incidentId, productId, incidentTime, payoutWad, expiration);
        uint256 reservedInBondAsset = _reserve(book, registry, terms.bondAsset, incidentId, productId, payoutWad);
        uint256 bond =
            Math.max(terms.minBond, Math.mulDiv(reservedInBondAsset, terms.bondWad, WAD, Math.Rounding.Ceil));
        // Exact cast: `terms.minBond` (the adjudicator's `incidentBond`) is below 2^96, and the rest at most half of
        // 16 vaults' exposure, each below 2^112.
        incident.bond = uint128(bond);

        emit IClaimAdjudicator.IncidentReported(
            incidentId, productId, msg.sender, incidentTime, payoutWad, bond, expiration, evidenceURI
        );
        registry.openIncident(productId);
        ExactTransfer.pullExact(terms.bondAsset, msg.sender, address(this), bond);
    }

    /// @notice See `IParametricIncidentSink.confirmParametricIncident`; `incidentId` is the adjudicator's next
    /// incident id. The trigger (`msg.sender`) is checked here: a fired trigger is disarmed, so it fires once.
    function confirmParametric(
        IncidentBook storage book,
        IProductRegistry registry,
        uint256 burnWad,
        uint256 claimWindow,
        uint256 incidentId,
        uint256 productId,
        uint256 incidentTime,
        uint256 payoutWad
    ) external {
        ClaimTerms memory product = registry.getClaimTerms(productId);
        if (msg.sender != product.trigger || msg.sender == address(0)) {
            revert IClaimAdjudicator.NotProductTrigger(productId, msg.sender);
        }
        if (product.kind != ProductKind.Parametric) revert IClaimAdjudicator.WrongProductKind(productId);
        if (incidentTime > block.timestamp) revert IClaimAdjudicator.IncidentNotInPast(incidentTime, block.timestamp);
        _checkPayoutRatio(payoutWad);

        // One-shot: sales stop until a new trigger is armed.
        registry.disarmTrigger(productId);
        Incident storage incident =
            _record(book, burnWad, claimWindow, incidentId, productId, incidentTime, payoutWad, block.timestamp);
        incident.state = AssertionState.Approved;
        _confirm(book, incidentId);
        // No bond: the trigger posts none, so no asset's reserves size one.
        _reserve(book, registry, IERC20(address(0)), incidentId, productId, payoutWad);

        emit IClaimAdjudicator.IncidentReported(
            incidentId, productId, msg.sender, incidentTime, payoutWad, 0, block.timestamp, ""
        );
        emit IClaimAdjudicator.IncidentSettled(incidentId, productId, AssertionState.Approved);
    }

    /// @notice Settles a report whose liveness ended or whose dispute was ruled on or drew (settleIncident): confirms
    /// it, or gives every reserve back, and reopens the product's sales. Returns what the adjudicator settles the
    /// bonds with.
    function settle(IncidentBook storage book, IProductRegistry registry, uint256 incidentId, bytes32 key)
        external
        returns (AssertionState outcome, address reporter, address disputer, uint256 burnWad, uint256 bond)
    {
        Incident storage incident = book.incidents[incidentId];
        uint256 productId = incident.productId;
        outcome = CaseRules.outcome(key, incident.state, incident.ruling, incident.expiration, incident.drawAt);
        (reporter, disputer, burnWad, bond) = (incident.reporter, incident.disputer, incident.burnWad, incident.bond);

        incident.state = outcome;
        if (outcome == AssertionState.Approved) _confirm(book, incidentId);
        emit IClaimAdjudicator.IncidentSettled(incidentId, productId, outcome);
        registry.closeIncident(productId);
        if (outcome != AssertionState.Approved) _releaseAll(book, incidentId);
    }

    /// @dev Opens an approved incident's claim window, of the length fixed at its report.
    function _confirm(IncidentBook storage book, uint256 incidentId) private {
        Incident storage incident = book.incidents[incidentId];
        incident.confirmedAt = uint40(block.timestamp);
        incident.claimWindowEnd = uint40(block.timestamp + incident.claimWindow);
    }

    /// @dev Each backing vault reserves `payoutWad` of its exposure to the product now (sales stop with the report),
    /// capped by its `navBid`. The vaults are fixed here: dropping the product later escapes nothing. Returns what
    /// the vaults of `bondAsset` reserved, which sizes the reporter's bond.
    function _reserve(
        IncidentBook storage book,
        IProductRegistry registry,
        IERC20 bondAsset,
        uint256 incidentId,
        uint256 productId,
        uint256 payoutWad
    ) private returns (uint256 reservedInBondAsset) {
        address[] memory vaults = registry.backingVaults(productId);
        book.vaults[incidentId] = vaults;
        for (uint256 i; i < vaults.length; ++i) {
            IUnderwriterVault vault = IUnderwriterVault(vaults[i]);
            uint256 needed = Math.mulDiv(vault.exposureOf(productId), payoutWad, WAD, Math.Rounding.Ceil);
            (uint256 reserved, address asset) = vault.reserveUpTo(productId, needed);
            StoredReserve storage stored = book.reserves[incidentId][vaults[i]];
            // Casts: exposure is a sum of uint128 cover amounts the vault holds in 112 bits.
            (stored.reserveLeft, stored.headroom) = (uint128(reserved), int128(int256(needed)));
            (stored.needed, stored.reserved) = (uint128(needed), uint128(reserved));
            // A parametric confirmation sizes no bond (`bondAsset` is zero).
            if (address(bondAsset) != address(0) && asset == address(bondAsset)) reservedInBondAsset += reserved;
            emit IClaimAdjudicator.IncidentReserved(incidentId, vaults[i], needed, reserved);
        }
    }

    /// @dev A report that failed gives every reserve back.
    function _releaseAll(IncidentBook storage book, uint256 incidentId) private {
        uint256 productId = book.incidents[incidentId].productId;
        address[] memory vaults = book.vaults[incidentId];
        for (uint256 i; i < vaults.length; ++i) {
            StoredReserve storage stored = book.reserves[incidentId][vaults[i]];
            uint256 left = stored.reserveLeft;
            (stored.reserveLeft, stored.phase) = (0, ReservePhase.Released);
            _release(incidentId, productId, vaults[i], left);
        }
    }

    /// @notice See `IClaimAdjudicator.claimIncidentPayout`.
    function payout(
        IncidentBook storage book,
        PauseClock.Clock storage pauseClock,
        ICoverManager coverManager,
        IProductRegistry registry,
        uint256 policyId,
        uint256 incidentId
    ) external returns (uint256 paidNow) {
        Incident storage stored = book.incidents[incidentId];
        // Only the three slots a payout reads: the reporter's, the dispute's and the bond's stay untouched.
        Incident memory incident;
        (incident.productId, incident.incidentTime, incident.reportedAt, incident.confirmedAt) =
            (stored.productId, stored.incidentTime, stored.reportedAt, stored.confirmedAt);
        (incident.claimWindowEnd, incident.payoutWad) = (stored.claimWindowEnd, stored.payoutWad);
        if (incident.confirmedAt == 0 || block.timestamp > incident.claimWindowEnd) {
            revert IClaimAdjudicator.IncidentClaimWindow(incidentId, incident.claimWindowEnd);
        }
        (Policy memory policy, address receiver) = coverManager.getPolicyAndOwner(policyId);
        if (policy.productId != incident.productId) {
            revert IClaimAdjudicator.PolicyNotOnProduct(policyId, incident.productId);
        }
        ClaimTerms memory product = registry.getClaimTerms(policy.productId);
        _checkEligible(pauseClock, policyId, policy, product, incident);
        if (isPaid(book, incidentId, policyId)) revert IClaimAdjudicator.IncidentAlreadyPaid(incidentId, policyId);

        uint256 entitled = Math.mulDiv(policy.amount - policy.claimed, incident.payoutWad, WAD);
        uint256 fromReserve;
        (paidNow, fromReserve) = _book(book, incidentId, policyId, policy.vault, entitled);

        emit IClaimAdjudicator.IncidentPayoutClaimed(incidentId, policyId, receiver, paidNow);
        coverManager.payClaim(policyId, paidNow, fromReserve);
    }

    /// @notice See `IClaimAdjudicator.claimIncidentTopUp`.
    function topUp(IncidentBook storage book, ICoverManager coverManager, uint256 policyId, uint256 incidentId)
        external
        returns (uint256 amount)
    {
        Incident memory incident = book.incidents[incidentId];
        (Policy memory policy, address receiver) = coverManager.getPolicyAndOwner(policyId);
        StoredReserve memory held = book.reserves[incidentId][policy.vault];
        uint256 owed = book.shortfall[incidentId][policyId];
        if (
            held.phase != ReservePhase.TopUp || owed == 0
                || block.timestamp > uint256(incident.claimWindowEnd) + incident.claimWindow
        ) revert IClaimAdjudicator.NoTopUp(incidentId, policyId);
        amount = Math.min(Math.mulDiv(owed, held.topUpWad, WAD), held.reserveLeft);
        if (amount == 0) revert IClaimAdjudicator.NoTopUp(incidentId, policyId);

        delete book.shortfall[incidentId][policyId];
        StoredReserve storage stored = book.reserves[incidentId][policy.vault];
        // Casts: `amount <= reserveLeft`, and `amount <= owed <= unpaid` (a top-up is a share of a shortfall, which
        // `unpaid` counts until its top-up).
        stored.reserveLeft = uint128(held.reserveLeft - amount);
        stored.unpaid = uint128(held.unpaid - amount);

        emit IClaimAdjudicator.IncidentTopUpClaimed(incidentId, policyId, receiver, amount);
        coverManager.payClaim(policyId, amount, amount);
    }

    /// @notice See `IClaimAdjudicator.releaseIncidentReserve`.
    function release(IncidentBook storage book, uint256 incidentId) external {
        Incident memory incident = book.incidents[incidentId];
        uint256 windowEnd = incident.claimWindowEnd;
        if (incident.confirmedAt == 0 || block.timestamp <= windowEnd) {
            revert IClaimAdjudicator.IncidentClaimWindow(incidentId, windowEnd);
        }
        bool topUpsOver = block.timestamp > windowEnd + incident.claimWindow;
        address[] memory vaults = book.vaults[incidentId];
        for (uint256 i; i < vaults.length; ++i) {
            StoredReserve storage stored = book.reserves[incidentId][vaults[i]];
            // A pool opened for top-ups stays whole until the top-up window closes.
            if (stored.phase == ReservePhase.Released || (stored.phase == ReservePhase.TopUp && !topUpsOver)) continue;
            uint256 left = stored.reserveLeft;
            uint256 kept;
            if (stored.phase == ReservePhase.Open && !topUpsOver) {
                // The policies paid short come before anything returns to the underwriters: what the reserve lacks of
                // their shortfall is reserved now out of the vault's free capital, as their payouts counted it.
                uint256 shortfall = stored.unpaid;
                if (shortfall > left) {
                    (uint256 extra,) = IUnderwriterVault(vaults[i]).reserveUpTo(incident.productId, shortfall - left);
                    left += extra;
                }
                kept = Math.min(left, shortfall);
                if (kept != 0) {
                    uint256 topUpWad = Math.mulDiv(kept, WAD, shortfall);
                    // Cast: `kept <= shortfall`, so `topUpWad <= 1e18`.
                    stored.topUpWad = uint64(topUpWad);
                    emit IClaimAdjudicator.IncidentTopUpOpened(incidentId, vaults[i], kept, topUpWad);
                }
            }
            stored.phase = kept == 0 ? ReservePhase.Released : ReservePhase.TopUp;
            stored.reserveLeft = uint128(kept);
            _release(incidentId, incident.productId, vaults[i], left - kept);
        }
    }

    /// @notice See `IClaimAdjudicator.incidentReserve`.
    function reserveOf(IncidentBook storage book, uint256 incidentId, address vault)
        internal
        view
        returns (IncidentReserve memory reserve)
    {
        StoredReserve memory stored = book.reserves[incidentId][vault];
        // Exact: `entitled = needed - headroom` and `paid = entitled - unpaid` hold at every step, all within 128 bits.
        uint256 entitled = uint256(int256(uint256(stored.needed)) - stored.headroom);
        reserve = IncidentReserve({
            needed: stored.needed,
            reserved: stored.reserved,
            reserveLeft: stored.reserveLeft,
            entitled: uint128(entitled),
            paid: uint128(entitled - stored.unpaid),
            topUpWad: stored.topUpWad,
            phase: stored.phase
        });
    }

    /// @notice Whether `policyId` was paid for `incidentId`.
    function isPaid(IncidentBook storage book, uint256 incidentId, uint256 policyId) internal view returns (bool) {
        return book.paidBits[incidentId][policyId >> 8] & (1 << (policyId & 0xff)) != 0;
    }

    /// @dev Writes a new incident with the adjudicator's parameters of the day, which it keeps for its whole life.
    function _record(
        IncidentBook storage book,
        uint256 burnWad,
        uint256 claimWindow,
        uint256 incidentId,
        uint256 productId,
        uint256 incidentTime,
        uint256 payoutWad,
        uint256 expiration
    ) private returns (Incident storage incident) {
        incident = book.incidents[incidentId];
        // Exact casts: product ids are the registry's (uint32), times are timestamps plus bounded delays; the ratios
        // and the window are bounded by the adjudicator's setParameter (and the payout ratio by `_checkPayoutRatio`)
        // far inside these types.
        incident.productId = uint32(productId);
        incident.reportedAt = uint40(block.timestamp);
        incident.incidentTime = uint40(incidentTime);
        incident.expiration = uint40(expiration);
        incident.state = AssertionState.Pending;
        incident.payoutWad = uint64(payoutWad);
        incident.burnWad = uint64(burnWad);
        incident.claimWindow = uint32(claimWindow);
        incident.reporter = msg.sender;
    }

    function _checkPayoutRatio(uint256 payoutWad) private pure {
        if (payoutWad == 0 || payoutWad > WAD) revert IClaimAdjudicator.InvalidPayoutRatio(payoutWad);
    }

    /// @dev An incident counts for a policy covering its time whose claim window was still open at the report; the
    /// vault kept the policy's capital locked until the end of its grid bucket, so it counts until then too.
    function _checkEligible(
        PauseClock.Clock storage pauseClock,
        uint256 policyId,
        Policy memory policy,
        ClaimTerms memory product,
        Incident memory incident
    ) private view {
        CoverWindow.checkCovered(policyId, policy, product, incident.incidentTime);
        uint256 lockEnd = TimeBuckets.timeOf(TimeBuckets.ceilBoundary(CoverWindow.deadline(policy, product)));
        if (lockEnd <= incident.reportedAt) {
            CoverWindow.checkOpenAt(pauseClock, policyId, policy, product, incident.reportedAt);
        }
    }

    /// @dev Sizes a policy's payout now and books it. What the vault's eligible policies may still claim is set
    /// against what it can pay them now: its reserve for the incident plus its free capital (reserves released since
    /// the report count again). Short of it, the policy gets its pro-rata share and the rest is its shortfall.
    function _book(IncidentBook storage book, uint256 incidentId, uint256 policyId, address vault, uint256 entitled)
        private
        returns (uint256 paidNow, uint256 fromReserve)
    {
        StoredReserve storage stored = book.reserves[incidentId][vault];
        (uint256 reserveLeft, int256 headroom) = (stored.reserveLeft, stored.headroom);
        uint256 stillNeeded = Math.max(headroom > 0 ? uint256(headroom) : 0, entitled);
        uint256 payable_ = reserveLeft;
        // The vault's free capital counts only where the reserve left falls short.
        if (payable_ < stillNeeded) payable_ += IUnderwriterVault(vault).navBid();
        paidNow = payable_ >= stillNeeded ? entitled : Math.mulDiv(entitled, payable_, stillNeeded);
        if (paidNow == 0) revert IClaimAdjudicator.NothingToPay(incidentId, policyId);
        fromReserve = Math.min(paidNow, reserveLeft);

        book.paidBits[incidentId][policyId >> 8] |= 1 << (policyId & 0xff);
        // Casts: every amount here is at most the vault's cover on the product, itself held in 112 bits; the headroom
        // is checked (SafeCast), as it falls by what every eligible policy claims.
        stored.reserveLeft = uint128(reserveLeft - fromReserve);
        stored.headroom = SafeCast.toInt128(headroom - int256(entitled));
        if (paidNow < entitled) {
            book.shortfall[incidentId][policyId] = entitled - paidNow;
            stored.unpaid += uint128(entitled - paidNow);
        }
    }

    function _release(uint256 incidentId, uint256 productId, address vault, uint256 amount) private {
        emit IClaimAdjudicator.IncidentReserveReleased(incidentId, vault, amount);
        if (amount != 0) IUnderwriterVault(vault).decreasePendingReserve(productId, amount);
    }
}
