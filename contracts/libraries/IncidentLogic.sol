// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IClaimAdjudicator, Incident, IncidentReserve, ReservePhase} from "../interfaces/IClaimAdjudicator.sol";
import {ICoverManager, Policy} from "../interfaces/ICoverManager.sol";
import {ClaimTerms, IProductRegistry} from "../interfaces/IProductRegistry.sol";
import {IUnderwriterVault} from "../interfaces/IUnderwriterVault.sol";
import {CoverWindow} from "./CoverWindow.sol";
import {PauseClock} from "./PauseClock.sol";
import {TimeBuckets} from "./TimeBuckets.sol";

/// @title IncidentLogic
/// @notice The money side of incidents, run by the ClaimAdjudicator (an external library, so that the adjudicator
/// stays under the contract size limit): reserves taken at the report, payouts decided when paid, top-ups from the
/// leftovers, and releases. Events and errors are the adjudicator's (see IClaimAdjudicator).
/// @dev Every function here touches at most one policy and the product's backing vaults (at most 16): O(1) in the
/// number of policies and claims.
library IncidentLogic {
    uint256 private constant WAD = 1e18;

    /// @notice The adjudicator's incident storage.
    /// @param paidBits Which policies were paid, one bit each and 256 to a slot (see `isPaid`): most payouts of an
    /// incident then set a bit in a slot an earlier one wrote, for 2,900 gas instead of a new slot's 20,000.
    /// @param shortfall What a policy paid short was still owed when it was paid.
    struct IncidentBook {
        mapping(uint256 incidentId => Incident) incidents;
        mapping(uint256 incidentId => address[]) vaults;
        mapping(uint256 incidentId => mapping(address vault => IncidentReserve)) reserves;
        mapping(uint256 incidentId => mapping(uint256 word => uint256 bits)) paidBits;
        mapping(uint256 incidentId => mapping(uint256 policyId => uint256)) shortfall;
    }

    /// @notice Each backing vault reserves `payoutWad` of its exposure to the product now (sales stop with the
    /// report), capped by its `navBid`. The vaults are fixed here: dropping the product later escapes nothing.
    /// @return reservedInBondAsset What the vaults of `bondAsset` reserved, which sizes the reporter's bond.
    function reserve(
        IncidentBook storage book,
        IProductRegistry registry,
        IERC20 bondAsset,
        uint256 incidentId,
        uint256 productId,
        uint256 payoutWad
    ) external returns (uint256 reservedInBondAsset) {
        address[] memory vaults = registry.backingVaults(productId);
        book.vaults[incidentId] = vaults;
        for (uint256 i; i < vaults.length; ++i) {
            IUnderwriterVault vault = IUnderwriterVault(vaults[i]);
            uint256 needed = Math.mulDiv(vault.exposureOf(productId), payoutWad, WAD, Math.Rounding.Ceil);
            uint256 reserved = Math.min(needed, vault.navBid());
            IncidentReserve storage stored = book.reserves[incidentId][vaults[i]];
            // Casts: exposure is a sum of uint128 cover amounts the vault holds in 112 bits.
            (stored.needed, stored.reserved, stored.reserveLeft) =
                (uint128(needed), uint128(reserved), uint128(reserved));
            if (IERC4626(vaults[i]).asset() == address(bondAsset)) reservedInBondAsset += reserved;
            emit IClaimAdjudicator.IncidentReserved(incidentId, vaults[i], needed, reserved);
            if (reserved != 0) vault.increasePendingReserve(productId, reserved);
        }
    }

    /// @notice A report that failed gives every reserve back.
    function releaseAll(IncidentBook storage book, uint256 incidentId) external {
        uint256 productId = book.incidents[incidentId].productId;
        address[] memory vaults = book.vaults[incidentId];
        for (uint256 i; i < vaults.length; ++i) {
            IncidentReserve storage stored = book.reserves[incidentId][vaults[i]];
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
        Policy memory policy = coverManager.getPolicy(policyId);
        if (policy.productId != incident.productId) {
            revert IClaimAdjudicator.PolicyNotOnProduct(policyId, incident.productId);
        }
        ClaimTerms memory product = registry.getClaimTerms(policy.productId);
        _checkEligible(pauseClock, policyId, policy, product, incident);
        if (isPaid(book, incidentId, policyId)) revert IClaimAdjudicator.IncidentAlreadyPaid(incidentId, policyId);

        uint256 entitled = Math.mulDiv(policy.amount - policy.claimed, incident.payoutWad, WAD);
        uint256 fromReserve;
        (paidNow, fromReserve) = _book(book, incidentId, policyId, policy.vault, entitled);
        address receiver = IERC721(address(coverManager)).ownerOf(policyId);

        emit IClaimAdjudicator.IncidentPayoutClaimed(incidentId, policyId, receiver, paidNow);
        coverManager.recordClaimPayout(policyId, paidNow);
        IUnderwriterVault(policy.vault).payClaim(
            policy.productId, CoverWindow.deadline(policy, product), receiver, paidNow, fromReserve
        );
    }

    /// @notice See `IClaimAdjudicator.claimIncidentTopUp`.
    function topUp(
        IncidentBook storage book,
        ICoverManager coverManager,
        IProductRegistry registry,
        uint256 policyId,
        uint256 incidentId
    ) external returns (uint256 amount) {
        Incident memory incident = book.incidents[incidentId];
        Policy memory policy = coverManager.getPolicy(policyId);
        IncidentReserve memory held = book.reserves[incidentId][policy.vault];
        uint256 owed = book.shortfall[incidentId][policyId];
        if (
            held.phase != ReservePhase.TopUp || owed == 0
                || block.timestamp > uint256(incident.claimWindowEnd) + incident.claimWindow
        ) revert IClaimAdjudicator.NoTopUp(incidentId, policyId);
        amount = Math.min(Math.mulDiv(owed, held.topUpWad, WAD), held.reserveLeft);
        if (amount == 0) revert IClaimAdjudicator.NoTopUp(incidentId, policyId);
        address receiver = IERC721(address(coverManager)).ownerOf(policyId);

        delete book.shortfall[incidentId][policyId];
        IncidentReserve storage stored = book.reserves[incidentId][policy.vault];
        // Safe: `amount <= reserveLeft`, and `paid + amount <= entitled` (a top-up is a share of a shortfall).
        stored.reserveLeft = uint128(held.reserveLeft - amount);
        stored.paid = uint128(held.paid + amount);

        emit IClaimAdjudicator.IncidentTopUpClaimed(incidentId, policyId, receiver, amount);
        coverManager.recordClaimPayout(policyId, amount);
        uint256 lockedUntil = CoverWindow.deadline(policy, registry.getClaimTerms(policy.productId));
        IUnderwriterVault(policy.vault).payClaim(policy.productId, lockedUntil, receiver, amount, amount);
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
            IncidentReserve storage stored = book.reserves[incidentId][vaults[i]];
            // A pool opened for top-ups stays whole until the top-up window closes.
            if (stored.phase == ReservePhase.Released || (stored.phase == ReservePhase.TopUp && !topUpsOver)) continue;
            uint256 left = stored.reserveLeft;
            uint256 kept;
            if (stored.phase == ReservePhase.Open && !topUpsOver) {
                // The policies paid short come before anything returns to the underwriters: what the reserve lacks of
                // their shortfall is reserved now out of the vault's free capital, as their payouts counted it.
                uint256 shortfall = stored.entitled - stored.paid;
                if (shortfall > left) {
                    uint256 extra = Math.min(shortfall - left, IUnderwriterVault(vaults[i]).navBid());
                    if (extra != 0) IUnderwriterVault(vaults[i]).increasePendingReserve(incident.productId, extra);
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

    /// @notice Whether `policyId` was paid for `incidentId`.
    function isPaid(IncidentBook storage book, uint256 incidentId, uint256 policyId) internal view returns (bool) {
        return book.paidBits[incidentId][policyId >> 8] & (1 << (policyId & 0xff)) != 0;
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
        IncidentReserve memory held = book.reserves[incidentId][vault];
        uint256 stillNeeded = Math.max(held.needed > held.entitled ? held.needed - held.entitled : 0, entitled);
        uint256 payable_ = held.reserveLeft;
        // The vault's free capital counts only where the reserve left falls short.
        if (payable_ < stillNeeded) payable_ += IUnderwriterVault(vault).navBid();
        paidNow = payable_ >= stillNeeded ? entitled : Math.mulDiv(entitled, payable_, stillNeeded);
        if (paidNow == 0) revert IClaimAdjudicator.NothingToPay(incidentId, policyId);
        fromReserve = Math.min(paidNow, held.reserveLeft);

        book.paidBits[incidentId][policyId >> 8] |= 1 << (policyId & 0xff);
        if (paidNow < entitled) book.shortfall[incidentId][policyId] = entitled - paidNow;
        IncidentReserve storage stored = book.reserves[incidentId][vault];
        // Casts: every amount here is at most the vault's cover on the product, itself held in 112 bits.
        stored.reserveLeft = uint128(held.reserveLeft - fromReserve);
        stored.entitled = uint128(held.entitled + entitled);
        stored.paid = uint128(held.paid + paidNow);
    }

    function _release(uint256 incidentId, uint256 productId, address vault, uint256 amount) private {
        emit IClaimAdjudicator.IncidentReserveReleased(incidentId, vault, amount);
        if (amount != 0) IUnderwriterVault(vault).decreasePendingReserve(productId, amount);
    }
}
