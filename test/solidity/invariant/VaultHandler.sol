// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CoverManager} from "../../../contracts/CoverManager.sol";
import {UnderwriterVault} from "../../../contracts/UnderwriterVault.sol";
import {ProtocolHandlerBase} from "./ProtocolHandlerBase.sol";

/// @notice Drives one UnderwriterVault through the user-facing flows (entries, asynchronous exits, cover sales,
/// time) with bounded inputs, keeping ghost books the invariants compare the vault against.
/// @dev Actors act through `vm.prank`; the handler holds no role. Every action is bounded so the protocol must
/// accept it (amounts within the ERC-4626 `max*` limits, cover within free capacity): an unexpected revert is
/// recorded rather than discarded, because `failOnRevert: false` would otherwise hide it. No claims are paid
/// here, which is what makes the share price monotone.
contract VaultHandler is ProtocolHandlerBase {
    /// @dev A policy as the handler sold it; its cover counts as exposure until `lockBoundaryTime`.
    struct TrackedPolicy {
        uint256 productId;
        uint256 amount;
        uint256 lockBoundaryTime;
    }

    /// @dev About MAX_DEPOSIT's worth of shares at the initial price (1e6 shares per unit).
    uint256 internal constant MAX_MINT = 1e19;
    uint256 internal constant MIN_WARP = 1 hours;
    uint256 internal constant MAX_WARP = 30 days;

    uint256 public claimGracePeriod;
    uint256 public minPeriod;
    uint256 public maxPeriod;

    uint256[] internal _products;
    address[] internal _underwriters;
    address[] internal _buyers;
    TrackedPolicy[] internal _policies;

    // ---------------------------------------------------------------- ghost books (ledger in ProtocolHandlerBase)

    /// @dev Set if a purchase ever left `exposureOf > capacityOf` right after it settled.
    bool public capacityBreachedAtPurchase;
    uint256 public breachExposure;
    uint256 public breachCapacity;

    /// @dev Share price as (navBid + 1) / (totalSupply + 1e6), the exact ratio the ERC-4626 conversions use; kept
    /// as the pair so comparisons are exact cross-multiplications, with no rounding to tolerate.
    uint256 public lastNav;
    uint256 public lastSupply;
    /// @dev The same price as the vault reports it, floored: `convertToAssets(1e18)`.
    uint256 public lastAssetsPerShare;
    bool public sharePriceFell;
    uint256 public priceFellFromAssetsPerShare;
    uint256 public priceFellToAssetsPerShare;

    constructor(
        UnderwriterVault vault_,
        CoverManager coverManager_,
        uint256[] memory products_,
        uint256 claimGracePeriod_,
        uint256 minPeriod_,
        uint256 maxPeriod_
    ) {
        _initBase(vault_, coverManager_);
        _products = products_;
        claimGracePeriod = claimGracePeriod_;
        minPeriod = minPeriod_;
        maxPeriod = maxPeriod_;

        _underwriters = _newActors("underwriter", 3, address(vault_), address(0));
        _buyers = _newActors("buyer", 2, address(coverManager_), address(0));
        _recordSharePrice();
    }

    /// @dev Every action ends by comparing the share price with the one the previous action left (early
    /// returns included: a modifier's tail runs after `return`).
    modifier checksSharePrice() {
        _;
        _checkSharePrice();
    }

    // ================================================================ entries

    function deposit(uint256 actorSeed, uint256 assets) external checksSharePrice {
        address actor = _underwriter(actorSeed);
        assets = bound(assets, 1, MAX_DEPOSIT);
        // A deposit worth less than one share is refused by design (ZeroAmount), not an ERC-4626 violation; so is one
        // while live cover locks more than navBid (`maxDeposit` is 0 then).
        if (vault.previewDeposit(assets) == 0 || vault.maxDeposit(actor) == 0) return;
        asset.mint(actor, assets);
        vm.prank(actor);
        try vault.deposit(assets, actor) {
            ghostDeposited += assets;
            ++calls["deposit"];
        } catch (bytes memory reason) {
            _unexpected("deposit", reason);
        }
    }

    function mint(uint256 actorSeed, uint256 shares) external checksSharePrice {
        address actor = _underwriter(actorSeed);
        shares = bound(shares, 1, MAX_MINT);
        asset.mint(actor, vault.previewMint(shares));
        vm.prank(actor);
        try vault.mint(shares, actor) returns (uint256 paid) {
            ghostDeposited += paid;
            ++calls["mint"];
        } catch (bytes memory reason) {
            _unexpected("mint", reason);
        }
    }

    // ================================================================ asynchronous exits

    function requestRedeem(uint256 actorSeed, uint256 shares) external checksSharePrice {
        address actor = _underwriter(actorSeed);
        uint256 balance = vault.balanceOf(actor);
        if (balance == 0) return;
        shares = bound(shares, 1, balance);
        vm.prank(actor);
        try vault.requestRedeem(shares, actor, actor) {
            ++calls["requestRedeem"];
        } catch (bytes memory reason) {
            _unexpected("requestRedeem", reason);
        }
    }

    function cancelRedeemRequest(uint256 actorSeed) external checksSharePrice {
        address actor = _underwriter(actorSeed);
        if (vault.redeemRequest(actor).shares == 0) return;
        vm.prank(actor);
        try vault.cancelRedeemRequest(actor) {
            ++calls["cancelRedeemRequest"];
        } catch (bytes memory reason) {
            _unexpected("cancelRedeemRequest", reason);
        }
    }

    /// @dev Anything up to `maxRedeem` must go through: ERC-4626 promises it.
    function redeem(uint256 actorSeed, uint256 shares) external checksSharePrice {
        address actor = _underwriter(actorSeed);
        uint256 max = vault.maxRedeem(actor);
        if (max == 0) return;
        shares = bound(shares, 1, max);
        vm.prank(actor);
        try vault.redeem(shares, actor, actor) returns (uint256 assets) {
            ghostWithdrawn += assets;
            ++calls["redeem"];
        } catch (bytes memory reason) {
            _unexpected("redeem", reason);
        }
    }

    function processOutflowQueue(uint256 maxEntries) external checksSharePrice {
        _processOutflowQueue(maxEntries);
    }

    function sweepProtocolFees() external checksSharePrice {
        _sweepProtocolFees();
    }

    /// @dev Anything up to `maxWithdraw` must go through: ERC-4626 promises it.
    function withdraw(uint256 actorSeed, uint256 assets) external checksSharePrice {
        address actor = _underwriter(actorSeed);
        uint256 max = vault.maxWithdraw(actor);
        if (max == 0) return;
        assets = bound(assets, 1, max);
        vm.prank(actor);
        try vault.withdraw(assets, actor, actor) {
            ghostWithdrawn += assets;
            ++calls["withdraw"];
        } catch (bytes memory reason) {
            _unexpected("withdraw", reason);
        }
    }

    // ================================================================ cover

    /// @dev Cover up to the product's free capacity, for any period the product allows, paid at exactly the
    /// quoted price (so a quote that differs from the charge shows up as an unexpected revert).
    function buyCover(uint256 buyerSeed, uint256 productSeed, uint256 amount, uint256 period)
        external
        checksSharePrice
    {
        uint256 productId = _products[productSeed % _products.length];
        uint256 capacity = vault.capacityOf(productId);
        uint256 exposure = vault.exposureOf(productId);
        if (capacity <= exposure) return;
        // One purchase in four may take all the free capacity; the rest take at most a sixteenth of it, so that
        // capacity fills gradually, climbs the curve past the kink, and leaves capital unlocked for exits.
        uint256 free = capacity - exposure;
        amount = bound(amount, 1, amount % 4 == 0 ? free : (free + 15) / 16);
        period = bound(period, minPeriod, maxPeriod);

        (bool ok,,) = _purchase(_buyers[buyerSeed % _buyers.length], productId, amount, period);
        if (ok) {
            _afterPurchase(productId, amount, period);
        }
    }

    // ================================================================ time

    function warp(uint256 seconds_) external checksSharePrice {
        seconds_ = bound(seconds_, MIN_WARP, MAX_WARP);
        vm.warp(block.timestamp + seconds_);
        ++calls["warp"];
    }

    // ================================================================ views for the invariants

    function underwriters() external view returns (address[] memory) {
        return _underwriters;
    }

    function policyCount() external view returns (uint256) {
        return _policies.length;
    }

    /// @notice The cover sold on `productId` whose lock has not reached its grid boundary yet.
    function liveExposure(uint256 productId) external view returns (uint256 total) {
        uint256 count = _policies.length;
        for (uint256 i; i < count; ++i) {
            TrackedPolicy memory policy = _policies[i];
            if (policy.productId == productId && block.timestamp < policy.lockBoundaryTime) total += policy.amount;
        }
    }

    // ================================================================ internals

    function _underwriter(uint256 seed) internal view returns (address) {
        return _underwriters[seed % _underwriters.length];
    }

    /// @dev Checks capacity as the vault sees it right after the sale, at the same timestamp, and tracks the
    /// policy's lock: `end + claimGracePeriod` rounded up to the 7-day grid, where the vault expires it.
    function _afterPurchase(uint256 productId, uint256 amount, uint256 period) internal {
        uint256 exposureAfter = vault.exposureOf(productId);
        uint256 capacityAfter = vault.capacityOf(productId);
        if (exposureAfter > capacityAfter && !capacityBreachedAtPurchase) {
            capacityBreachedAtPurchase = true;
            breachExposure = exposureAfter;
            breachCapacity = capacityAfter;
        }
        _policies.push(
            TrackedPolicy({
                productId: productId,
                amount: amount,
                lockBoundaryTime: _lockBoundaryTime(block.timestamp + period, claimGracePeriod)
            })
        );
    }

    function _recordSharePrice() internal {
        lastNav = vault.totalAssets();
        lastSupply = vault.totalSupply();
        lastAssetsPerShare = vault.convertToAssets(1e18);
    }

    /// @dev (nav + 1) / (supply + 1e6) must not fall: compared as (nav + 1)(lastSupply + 1e6) >=
    /// (lastNav + 1)(supply + 1e6). The bounded entries keep both products far below 2^256.
    function _checkSharePrice() internal {
        uint256 nav = vault.totalAssets();
        uint256 supply = vault.totalSupply();
        uint256 assetsPerShare = vault.convertToAssets(1e18);
        bool fell = (nav + 1) * (lastSupply + 1e6) < (lastNav + 1) * (supply + 1e6)
            || assetsPerShare < lastAssetsPerShare;
        if (fell && !sharePriceFell) {
            sharePriceFell = true;
            priceFellFromAssetsPerShare = lastAssetsPerShare;
            priceFellToAssetsPerShare = assetsPerShare;
        }
        lastNav = nav;
        lastSupply = supply;
        lastAssetsPerShare = assetsPerShare;
    }
}
