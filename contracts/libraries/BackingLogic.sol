// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IProductRegistry} from "../interfaces/IProductRegistry.sol";
import {IUnderwriterVault, ProductTerms} from "../interfaces/IUnderwriterVault.sol";
import {PremiumMath} from "./PremiumMath.sol";
import {TimeBuckets} from "./TimeBuckets.sol";

/// @dev Cover of one product: the amount, and the NAV it locks (each sale's amount over the capacity it was sold at),
/// both expired lazily up to `processedBoundary`. 112 bits hold 5e33 base units, far beyond any real vault.
struct Exposure {
    uint112 amount;
    uint112 locked;
    uint32 processedBoundary;
}

/// @dev Cover that expires at one boundary, and the NAV it locks.
struct ExpiringCover {
    uint128 amount;
    uint128 locked;
}

/// @title BackingLogic
/// @notice What a vault backs: the products, their terms and capacities, and the cover sold on each with the NAV it
/// locks, expired lazily on the weekly grid. Adding, changing and removing a product run here (external functions,
/// so that the vault keeps room under the contract size limit); booking cover sold and freed, and the exposure reads
/// and walks, are internal, compiled into the vault's hot paths. Events and errors are the vault's (see
/// IUnderwriterVault).
/// @dev Every function looks at one product, or at each of at most `MAX_PRODUCTS`, and walks at most
/// `TimeBuckets.HORIZON` boundaries of each: O(1) in the number of policies.
library BackingLogic {
    using SafeCast for uint256;

    uint256 internal constant MAX_PRODUCTS = 32;
    uint256 internal constant MAX_RATE_WAD = 1e18;

    /// @notice The vault's products.
    /// @param products Registry ids are 32-bit: eight to a slot, so walking the backed products reads one slot per
    /// eight.
    /// @param expiring Per product, the cover (and its lock) that expires at each grid boundary.
    struct Backing {
        uint256 totalCapacityWad;
        uint256 maxLeverageWad;
        uint32[] products;
        mapping(uint256 productId => ProductTerms) terms;
        mapping(uint256 productId => Exposure) exposure;
        mapping(uint256 productId => mapping(uint256 boundary => ExpiringCover)) expiring;
    }

    /// @notice Backs `productId` on `terms`, or changes the terms it is backed on (setProductTerms).
    function setTerms(
        Backing storage backing,
        IProductRegistry registry,
        uint256 productId,
        ProductTerms calldata terms
    ) external {
        // The sale terms (two slots) carry the rate floor; the full product would decode its metadata URI too.
        uint256 minRateWad = registry.getSaleTerms(productId).minRateWad;
        if (terms.capacityWad == 0 || terms.capacityWad > PremiumMath.WAD) {
            revert IUnderwriterVault.InvalidCapacity(terms.capacityWad);
        }
        if (terms.baseRateWad > terms.maxRateWad || terms.maxRateWad > MAX_RATE_WAD || terms.kinkWad > PremiumMath.WAD)
        {
            revert IUnderwriterVault.InvalidRateCurve(terms.baseRateWad, terms.kinkWad, terms.maxRateWad);
        }
        if (terms.baseRateWad < minRateWad) {
            revert IUnderwriterVault.RateBelowProductFloor(productId, terms.baseRateWad, minRateWad);
        }
        ProductTerms memory previous = backing.terms[productId];
        uint256 total = backing.totalCapacityWad - previous.capacityWad + terms.capacityWad;
        if (terms.capacityWad > previous.capacityWad && total > backing.maxLeverageWad) {
            revert IUnderwriterVault.LeverageExceeded(total, backing.maxLeverageWad);
        }
        bool isNew = previous.capacityWad == 0;
        if (isNew && backing.products.length == MAX_PRODUCTS) revert IUnderwriterVault.TooManyProducts(MAX_PRODUCTS);

        backing.terms[productId] = terms;
        backing.totalCapacityWad = total;
        if (isNew) {
            backing.products.push(productId.toUint32());
            backing.exposure[productId].processedBoundary = TimeBuckets.floorBoundary(block.timestamp).toUint32();
        }

        emit IUnderwriterVault.ProductTermsSet(
            productId, terms.capacityWad, terms.baseRateWad, terms.kinkWad, terms.maxRateWad
        );
        if (isNew) registry.attachVault(productId);
    }

    /// @notice Stops backing `productId`, which must have no live cover, reserve or open incident (removeProduct).
    /// @param reserve The vault's pending reserve for the product's claims and incidents.
    function remove(Backing storage backing, IProductRegistry registry, uint256 productId, uint256 reserve) external {
        uint256 capacityWad = backing.terms[productId].capacityWad;
        if (capacityWad == 0) revert IUnderwriterVault.ProductNotBacked(productId);
        uint256 exposure = syncExposure(backing, productId).amount;
        if (exposure != 0) revert IUnderwriterVault.ProductExposureOutstanding(productId, exposure);
        uint256 openIncidents = registry.getSaleTerms(productId).openIncidents;
        if (reserve != 0 || openIncidents != 0) {
            revert IUnderwriterVault.ProductCasesOutstanding(productId, reserve, openIncidents);
        }

        uint32[] storage products = backing.products;
        uint256 last = products.length - 1;
        for (uint256 i; i <= last; ++i) {
            if (products[i] == productId) {
                products[i] = products[last];
                break;
            }
        }
        products.pop();
        backing.totalCapacityWad -= capacityWad;
        delete backing.terms[productId];

        emit IUnderwriterVault.ProductRemoved(productId);
        registry.detachVault(productId);
    }

    /// @notice Books a sale of `amount` locking `locked` of NAV, on a product whose exposure is synced up to now, in
    /// the bucket of the boundary `lockedUntil` rounds up to; returns the product's exposure after it.
    function addCover(Backing storage backing, uint256 productId, uint256 amount, uint256 locked, uint256 lockedUntil)
        internal
        returns (uint256 exposureAfter)
    {
        Exposure storage current = backing.exposure[productId];
        exposureAfter = current.amount + amount;
        (current.amount, current.locked) = (exposureAfter.toUint112(), (current.locked + locked).toUint112());
        ExpiringCover storage expiring = backing.expiring[productId][TimeBuckets.ceilBoundary(lockedUntil)];
        expiring.amount = (expiring.amount + amount).toUint128();
        expiring.locked = (expiring.locked + locked).toUint128();
    }

    /// @notice Frees the cover a claim payout of `amount` used up, from the stored exposure and from the bucket of
    /// `lockedUntil` alike. The stored exposure, unwalked, still counts every bucket past its processed boundary, so
    /// the later walk reaches the same result; a bucket the walk already passed has nothing left to free. Payouts
    /// never pay for walking the product's idle weeks.
    function freeCover(Backing storage backing, uint256 productId, uint256 amount, uint256 lockedUntil) internal {
        Exposure memory exposure = backing.exposure[productId];
        uint256 lockBoundary = TimeBuckets.ceilBoundary(lockedUntil);
        if (lockBoundary <= exposure.processedBoundary) return;
        ExpiringCover memory expiring = backing.expiring[productId][lockBoundary];
        uint256 freed = Math.min(amount, expiring.amount);
        // The bucket mixes sales at several capacities: free its lock in proportion, rounding the freed part down.
        uint256 freedLock = expiring.amount == 0 ? 0 : Math.mulDiv(freed, expiring.locked, expiring.amount);
        backing.expiring[productId][lockBoundary] =
            ExpiringCover({amount: uint128(expiring.amount - freed), locked: uint128(expiring.locked - freedLock)});
        backing.exposure[productId] = Exposure({
            amount: uint112(exposure.amount - freed),
            locked: uint112(exposure.locked - freedLock),
            processedBoundary: exposure.processedBoundary
        });
    }

    /// @notice The product's exposure at `timestamp`, its buckets expired up to then (not written).
    function exposureAt(Backing storage backing, uint256 productId, uint256 timestamp)
        internal
        view
        returns (Exposure memory exposure)
    {
        exposure = backing.exposure[productId];
        uint256 current = TimeBuckets.floorBoundary(timestamp);
        if (current <= exposure.processedBoundary) return exposure;
        uint256 last = TimeBuckets.walkEnd(exposure.processedBoundary, current);
        mapping(uint256 => ExpiringCover) storage expiring = backing.expiring[productId];
        (uint256 amount, uint256 locked) = (exposure.amount, exposure.locked);
        for (uint256 boundary = exposure.processedBoundary + 1; boundary <= last; ++boundary) {
            ExpiringCover memory cover = expiring[boundary];
            amount -= cover.amount;
            locked -= cover.locked;
        }
        // Exact casts: both only decreased from 112-bit values; boundaries are weeks since 1970.
        (exposure.amount, exposure.locked, exposure.processedBoundary) =
            (uint112(amount), uint112(locked), uint32(current));
    }

    /// @notice The product's exposure now, written back when the walk moved it on.
    function syncExposure(Backing storage backing, uint256 productId) internal returns (Exposure memory exposure) {
        exposure = exposureAt(backing, productId, block.timestamp);
        if (exposure.processedBoundary != backing.exposure[productId].processedBoundary) {
            backing.exposure[productId] = exposure;
        }
    }

    /// @notice NAV locked behind live cover: the most any one product's cover locks.
    function lockedAssets(Backing storage backing) internal view returns (uint256 locked) {
        uint32[] storage products = backing.products;
        uint256 count = products.length;
        for (uint256 i; i < count; ++i) {
            locked = Math.max(locked, exposureAt(backing, products[i], block.timestamp).locked);
        }
    }

    /// @notice The most any product's stored exposure locks: at or above `lockedAssets`, read without walking a bucket.
    function storedLockedAssets(Backing storage backing) internal view returns (uint256 locked) {
        uint32[] storage products = backing.products;
        uint256 count = products.length;
        for (uint256 i; i < count; ++i) {
            locked = Math.max(locked, backing.exposure[products[i]].locked);
        }
    }

    /// @notice Like `lockedAssets` but writes the lazily expired exposures, so later calls start from there.
    function syncLockedAssets(Backing storage backing) internal returns (uint256 locked) {
        uint32[] storage products = backing.products;
        uint256 count = products.length;
        for (uint256 i; i < count; ++i) {
            locked = Math.max(locked, syncExposure(backing, products[i]).locked);
        }
    }
}
