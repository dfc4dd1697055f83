// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CoverManager} from "../../../contracts/CoverManager.sol";
import {BuyCoverParams} from "../../../contracts/interfaces/ICoverManager.sol";
import {TestStablecoin} from "../../../contracts/mocks/TestStablecoin.sol";
import {UnderwriterVault} from "../../../contracts/UnderwriterVault.sol";
import {TestBase} from "../utils/Test.sol";

/// @notice Drives one UnderwriterVault through the user-facing flows (entries, asynchronous exits, cover sales,
/// time) with bounded inputs, keeping ghost books the invariants compare the vault against.
/// @dev Actors act through `vm.prank`; the handler holds no role. Every action is bounded so the protocol must
/// accept it (amounts within the ERC-4626 `max*` limits, cover within free capacity): an unexpected revert is
/// recorded rather than discarded, because `failOnRevert: false` would otherwise hide it. No claims are paid
/// here, which is what makes the share price monotone.
contract VaultHandler is TestBase {
    /// @dev A policy as the handler sold it; its cover counts as exposure until `lockBoundaryTime`.
    struct TrackedPolicy {
        uint256 productId;
        uint256 amount;
        uint256 lockBoundaryTime;
    }

    uint256 internal constant BUCKET = 7 days;
    /// @dev 10M tokens of a 6-decimal asset per entry: large against the seed deposits, far from any overflow.
    uint256 internal constant MAX_DEPOSIT = 1e13;
    /// @dev About MAX_DEPOSIT's worth of shares at the initial price (1e6 shares per unit).
    uint256 internal constant MAX_MINT = 1e19;
    uint256 internal constant MIN_WARP = 1 hours;
    uint256 internal constant MAX_WARP = 30 days;

    UnderwriterVault public immutable vault;
    CoverManager public immutable coverManager;
    TestStablecoin public immutable asset;
    address public immutable treasury;
    uint256 public immutable claimGracePeriod;
    uint256 public immutable minPeriod;
    uint256 public immutable maxPeriod;

    uint256[] internal _products;
    address[] internal _underwriters;
    address[] internal _buyers;
    TrackedPolicy[] internal _policies;

    // ---------------------------------------------------------------- ghost books

    uint256 public ghostDeposited;
    uint256 public ghostWithdrawn;
    uint256 public ghostPremiumPaid;
    uint256 public ghostProtocolFees;

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

    /// @dev Bounded actions the protocol refused, which it must not: the first refusal's action and revert data.
    uint256 public unexpectedReverts;
    string public firstUnexpectedAction;
    bytes public firstUnexpectedRevert;

    /// @dev How often each action did something, to tell a vacuous campaign from a real one.
    mapping(bytes32 action => uint256) public calls;

    constructor(
        UnderwriterVault vault_,
        CoverManager coverManager_,
        uint256[] memory products_,
        uint256 claimGracePeriod_,
        uint256 minPeriod_,
        uint256 maxPeriod_
    ) {
        vault = vault_;
        coverManager = coverManager_;
        asset = TestStablecoin(vault_.asset());
        treasury = coverManager_.treasury();
        _products = products_;
        claimGracePeriod = claimGracePeriod_;
        minPeriod = minPeriod_;
        maxPeriod = maxPeriod_;

        for (uint256 i; i < 3; ++i) {
            address underwriter = address(uint160(uint256(keccak256(abi.encode("underwriter", i)))));
            vm.label(underwriter, string.concat("underwriter", vm.toString(i)));
            _underwriters.push(underwriter);
            vm.prank(underwriter);
            asset.approve(address(vault_), type(uint256).max);
        }
        for (uint256 i; i < 2; ++i) {
            address buyer = address(uint160(uint256(keccak256(abi.encode("buyer", i)))));
            vm.label(buyer, string.concat("buyer", vm.toString(i)));
            _buyers.push(buyer);
            vm.prank(buyer);
            asset.approve(address(coverManager_), type(uint256).max);
        }
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
        // A deposit worth less than one share is refused by design (ZeroAmount), not an ERC-4626 violation.
        if (vault.previewDeposit(assets) == 0) return;
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

    /// @dev The circuit breaker's queue pays in order and never past the allowance; nothing is lost on the way.
    function processOutflowQueue(uint256 maxEntries) external checksSharePrice {
        (uint256 head, uint256 tail) = vault.outflowQueueRange();
        if (head == tail || vault.paused()) return;
        maxEntries = bound(maxEntries, 1, 8);
        (uint256 allowance, uint256 queued) = (vault.outflowAllowance(), vault.queuedOutflowAssets());
        uint256 balance = asset.balanceOf(address(vault));
        try vault.processOutflowQueue(maxEntries) returns (uint256 paid) {
            require(paid <= allowance, "queue paid past the allowance");
            require(vault.queuedOutflowAssets() == queued - paid, "queue books moved by other than the payment");
            require(asset.balanceOf(address(vault)) == balance - paid, "queue paid other than it booked");
            ++calls["processOutflowQueue"];
        } catch (bytes memory reason) {
            _unexpected("processOutflowQueue", reason);
        }
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

        if (_purchase(_buyers[buyerSeed % _buyers.length], productId, amount, period)) {
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

    /// @dev Buys at exactly the quoted price and books what left the buyer; false if the protocol refused.
    function _purchase(address buyer, uint256 productId, uint256 amount, uint256 period) internal returns (bool) {
        (uint256 premium, uint256 fee) = coverManager.quotePremium(productId, address(vault), amount, period);
        asset.mint(buyer, premium + fee);
        BuyCoverParams memory params = BuyCoverParams({
            productId: productId,
            vault: address(vault),
            amount: amount,
            period: period,
            maxPremium: premium + fee,
            deadline: block.timestamp,
            receiver: buyer,
            commissionBps: 0,
            commissionRecipient: address(0)
        });
        uint256 vaultBefore = asset.balanceOf(address(vault));
        uint256 treasuryBefore = asset.balanceOf(treasury);
        vm.prank(buyer);
        try coverManager.buyCover(params) {
            ++calls["buyCover"];
        } catch (bytes memory reason) {
            _unexpected("buyCover", reason);
            return false;
        }
        ghostPremiumPaid += asset.balanceOf(address(vault)) - vaultBefore;
        ghostProtocolFees += asset.balanceOf(treasury) - treasuryBefore;
        return true;
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
        uint256 lockedUntil = block.timestamp + period + claimGracePeriod;
        _policies.push(
            TrackedPolicy({
                productId: productId,
                amount: amount,
                lockBoundaryTime: (lockedUntil + BUCKET - 1) / BUCKET * BUCKET
            })
        );
    }

    function _unexpected(string memory action, bytes memory reason) internal {
        if (unexpectedReverts == 0) {
            firstUnexpectedAction = action;
            firstUnexpectedRevert = reason;
        }
        ++unexpectedReverts;
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
