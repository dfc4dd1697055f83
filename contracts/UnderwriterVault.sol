// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IProductRegistry} from "./interfaces/IProductRegistry.sol";
import {IUnderwriterVault, ProductTerms, QueuedOutflow, RedeemRequestState} from "./interfaces/IUnderwriterVault.sol";
import {BackingLogic} from "./libraries/BackingLogic.sol";
import {CircuitBreakerLogic} from "./libraries/CircuitBreakerLogic.sol";
import {OutflowMeter} from "./libraries/OutflowMeter.sol";
import {PremiumMath, RateCurve} from "./libraries/PremiumMath.sol";
import {SharesMath} from "./libraries/SharesMath.sol";
import {TimeBuckets} from "./libraries/TimeBuckets.sol";
import {UnderwriterVaultBase} from "./vault/UnderwriterVaultBase.sol";
import {UnderwriterVaultExtension} from "./vault/UnderwriterVaultExtension.sol";

/// @title UnderwriterVault
/// @notice ERC-4626 vault whose capital backs cover; see IUnderwriterVault.
/// @dev Runs the payment paths, entries, exits and views itself; delegates its other state-changing calls (redeem
/// requests, product governance, the outflow queue's upkeep, the fee sweep) to the `UnderwriterVaultExtension` its
/// constructor deploys, which shares its storage layout through `UnderwriterVaultBase`.
contract UnderwriterVault is IUnderwriterVault, UnderwriterVaultBase {
    using SafeCast for uint256;
    using BackingLogic for BackingLogic.Backing;

    /// @dev ERC-165 ids: ERC-7540 asynchronous redemption, ERC-7540 operators, ERC-7575.
    bytes4 private constant ERC7540_REDEEM_ID = 0x620ee8e4;
    bytes4 private constant ERC7540_OPERATOR_ID = 0xe3bc4e65;
    bytes4 private constant ERC7575_ID = 0x2f0a18c5;
    /// @dev Queued entries each outflow pays first, as far as the allowance goes: bounded, so exits stay O(1).
    uint256 private constant AUTO_PROCESSED_ENTRIES = 4;
    /// @dev Shares per unit of `navAsk` beyond which the vault counts as wiped out: the share price has fallen
    /// 1e12-fold from its start (1e6 shares per unit). Writing the share class off then keeps the supply below
    /// assets * 1e18, so no sequence of losses can overflow it.
    uint256 private constant WIPED_OUT_SHARES_PER_ASSET = 1e18;

    /// @inheritdoc IUnderwriterVault
    address public immutable extension;

    constructor(
        IERC20 asset_,
        string memory name_,
        string memory symbol_,
        address accessManager,
        address coverManager_,
        IProductRegistry registry_
    ) UnderwriterVaultBase(asset_, name_, symbol_, accessManager, coverManager_, registry_) {
        extension = address(new UnderwriterVaultExtension(asset_, accessManager, coverManager_, registry_));
        _backing.maxLeverageWad = DEFAULT_MAX_LEVERAGE_WAD;
        cooldown = DEFAULT_COOLDOWN;
        (_breaker.limitWad, _breaker.window) = (uint64(DEFAULT_OUTFLOW_LIMIT_WAD), uint32(DEFAULT_OUTFLOW_WINDOW));
        // A zero outflow now leaves the meter's two slots non-zero, so the vault's first exit or payout rewrites them
        // (2,900 gas each) rather than creating them (20,000 each): the deployer pays that once.
        OutflowMeter.record(_breaker.meter, DEFAULT_OUTFLOW_WINDOW, block.timestamp, 0);
        _streamsBoundary = TimeBuckets.floorBoundary(block.timestamp).toUint32();
    }

    // ---------------------------------------------------------------- underwriting

    /// @inheritdoc IUnderwriterVault
    function underwrite(uint256 productId, uint256 amount, uint256 period, uint256 minRateWad, uint256 lockedUntil)
        external
        nonReentrant
        whenNotPaused
        returns (uint256 premium, address asset_)
    {
        if (msg.sender != coverManager) revert NotCoverManager(msg.sender);
        if (amount == 0) revert ZeroAmount();
        ProductTerms memory terms = _backedTerms(productId, minRateWad);

        _accrueStreams();
        uint256 exposure = _backing.syncExposure(productId).amount;

        uint256 capacity = PremiumMath.wadMulDown(navBid(), terms.capacityWad);
        premium = _premium(terms, capacity, exposure, amount, period);

        uint256 locked = Math.mulDiv(amount, PremiumMath.WAD, terms.capacityWad, Math.Rounding.Ceil);
        uint256 exposureAfter = _backing.addCover(productId, amount, locked, lockedUntil);
        _startStream(premium, block.timestamp + period);
        _bookIn(premium);

        emit CoverUnderwritten(productId, amount, premium, exposureAfter, lockedUntil);
        asset_ = asset();
    }

    /// @inheritdoc IUnderwriterVault
    function quote(uint256 productId, uint256 amount, uint256 period, uint256 minRateWad)
        external
        view
        returns (uint256)
    {
        ProductTerms memory terms = _backedTerms(productId, minRateWad);
        uint256 capacity = PremiumMath.wadMulDown(navBid(), terms.capacityWad);
        return _premium(terms, capacity, exposureOf(productId), amount, period);
    }

    // ---------------------------------------------------------------- entries

    /// @inheritdoc ERC4626
    function deposit(uint256 assets, address receiver)
        public
        override
        nonReentrant
        whenNotPaused
        returns (uint256 shares)
    {
        _checkEntryUnlocked();
        (uint256 nav, uint256 supply) = _writeOffIfWipedOut();
        shares = SharesMath.toSharesDown(assets, nav, supply);
        if (shares == 0) revert ZeroAmount();
        _deposit(_msgSender(), receiver, assets, shares);
    }

    /// @inheritdoc ERC4626
    function mint(uint256 shares, address receiver)
        public
        override
        nonReentrant
        whenNotPaused
        returns (uint256 assets)
    {
        if (shares == 0) revert ZeroAmount();
        _checkEntryUnlocked();
        (uint256 nav, uint256 supply) = _writeOffIfWipedOut();
        assets = SharesMath.toAssetsUp(shares, nav, supply);
        _deposit(_msgSender(), receiver, assets, shares);
    }

    // ---------------------------------------------------------------- asynchronous exits

    /// @inheritdoc IUnderwriterVault
    function requestRedeem(uint256, address, address) external returns (uint256) {
        _delegateToExtension();
    }

    /// @inheritdoc IUnderwriterVault
    function cancelRedeemRequest(address) external returns (uint256) {
        _delegateToExtension();
    }

    /// @inheritdoc ERC4626
    /// @dev ERC-7540 semantics: the third argument is the controller of a ripe request.
    function redeem(uint256 shares, address receiver, address controller)
        public
        override
        nonReentrant
        whenNotPaused
        returns (uint256 assets)
    {
        _checkControllerOrOperator(controller);
        _accrueStreams();
        assets = _convertToAssets(shares, Math.Rounding.Floor);
        _exit(receiver, controller, assets, shares);
    }

    /// @inheritdoc ERC4626
    /// @dev ERC-7540 semantics: the third argument is the controller of a ripe request.
    function withdraw(uint256 assets, address receiver, address controller)
        public
        override
        nonReentrant
        whenNotPaused
        returns (uint256 shares)
    {
        _checkControllerOrOperator(controller);
        _accrueStreams();
        shares = _convertToShares(assets, Math.Rounding.Ceil);
        _exit(receiver, controller, assets, shares);
    }

    /// @inheritdoc IUnderwriterVault
    function setOperator(address operator, bool approved) external returns (bool) {
        _operators[msg.sender][operator] = approved;
        emit OperatorSet(msg.sender, operator, approved);
        return true;
    }

    // ---------------------------------------------------------------- governance

    /// @inheritdoc IUnderwriterVault
    function setProductTerms(uint256, ProductTerms calldata) external {
        _delegateToExtension();
    }

    /// @inheritdoc IUnderwriterVault
    function removeProduct(uint256) external {
        _delegateToExtension();
    }

    /// @inheritdoc IUnderwriterVault
    function setCooldown(uint256) external {
        _delegateToExtension();
    }

    /// @inheritdoc IUnderwriterVault
    function setMaxLeverage(uint256) external {
        _delegateToExtension();
    }

    /// @inheritdoc IUnderwriterVault
    function reserveUpTo(uint256 productId, uint256 amount) external returns (uint256 reserved, address asset_) {
        _checkClaimsModule();
        reserved = Math.min(amount, navBid());
        asset_ = asset();
        if (reserved == 0) return (0, asset_);
        _productReserve[productId] += reserved;
        uint256 reserve = _books.pendingReserve + reserved;
        _books.pendingReserve = reserve.toUint128();
        emit PendingReserveIncreased(productId, reserved, reserve);
    }

    /// @inheritdoc IUnderwriterVault
    function decreasePendingReserve(uint256 productId, uint256 amount) external {
        // The CoverManager releases a claim's reserve when it closes the claim unpaid, as `payClaim` does when paid.
        if (msg.sender != coverManager) _checkClaimsModule();
        uint256 reserve = _releaseReserve(productId, amount);
        emit PendingReserveDecreased(productId, amount, reserve);
    }

    /// @inheritdoc IUnderwriterVault
    function payClaim(uint256 productId, uint256 lockedUntil, address receiver, uint256 amount, uint256 releasedReserve)
        external
        nonReentrant
    {
        if (msg.sender != coverManager) revert NotCoverManager(msg.sender);
        if (receiver == address(0)) revert InvalidReceiver(receiver);
        _accrueStreams();
        uint256 reserve = _releaseReserve(productId, releasedReserve);
        uint256 payableAssets = navBid();
        if (amount > payableAssets) revert PayoutExceedsAssets(amount, payableAssets);

        _backing.freeCover(productId, amount, lockedUntil);
        // Safe: `amount <= navBid <= navAsk <= managedAssets`, checked above, so the cast is exact too.
        unchecked {
            _books.managedAssets -= uint128(amount);
        }

        emit PendingReserveDecreased(productId, releasedReserve, reserve);
        emit ClaimPaid(productId, receiver, amount);
        _payOrQueue(receiver, amount);
    }

    /// @inheritdoc IUnderwriterVault
    function sweepProtocolFees() external returns (uint256) {
        _delegateToExtension();
    }

    /// @inheritdoc IUnderwriterVault
    function protocolFeesHeld() external view returns (uint256) {
        (uint256 held, uint256 booked) = _heldAndBooked();
        return _saturatingSub(held, booked);
    }

    /// @inheritdoc IUnderwriterVault
    function withdrawParkedPayout(address) external returns (uint256) {
        _delegateToExtension();
    }

    // ---------------------------------------------------------------- circuit breaker

    /// @inheritdoc IUnderwriterVault
    function processOutflowQueue(uint256) external returns (uint256) {
        _delegateToExtension();
    }

    /// @inheritdoc IUnderwriterVault
    function releaseOutflowQueue(uint256) external returns (uint256) {
        _delegateToExtension();
    }

    /// @inheritdoc IUnderwriterVault
    function voidQueuedOutflow(uint256) external {
        _delegateToExtension();
    }

    /// @inheritdoc IUnderwriterVault
    function setOutflowLimit(uint256, uint256) external {
        _delegateToExtension();
    }

    /// @inheritdoc IUnderwriterVault
    function pause() external restricted {
        _pause();
    }

    /// @inheritdoc IUnderwriterVault
    function unpause() external restricted {
        _unpause();
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IUnderwriterVault
    function shareEpoch() external view returns (uint32) {
        return _shareEpoch;
    }

    /// @inheritdoc IUnderwriterVault
    function navAsk() public view returns (uint256) {
        return _navAsk();
    }

    /// @inheritdoc IUnderwriterVault
    function navBid() public view returns (uint256) {
        return _navBid();
    }

    /// @inheritdoc IUnderwriterVault
    function unearnedPremium() public view returns (uint256) {
        return _unearnedPremium();
    }

    /// @inheritdoc IUnderwriterVault
    function managedAssets() external view returns (uint256) {
        return _books.managedAssets;
    }

    /// @inheritdoc IUnderwriterVault
    function pendingReserve() external view returns (uint256) {
        return _books.pendingReserve;
    }

    /// @notice The sum of the backed products' capacities (WAD): the vault's leverage.
    function totalCapacityWad() external view returns (uint256) {
        return _backing.totalCapacityWad;
    }

    /// @notice The cap on `totalCapacityWad` (WAD), within [1e18, MAX_LEVERAGE_WAD].
    function maxLeverageWad() external view returns (uint256) {
        return _backing.maxLeverageWad;
    }

    /// @inheritdoc IUnderwriterVault
    function productReserve(uint256 productId) external view returns (uint256) {
        return _productReserve[productId];
    }

    /// @inheritdoc IUnderwriterVault
    function exposureOf(uint256 productId) public view returns (uint256) {
        return _backing.exposureAt(productId, block.timestamp).amount;
    }

    /// @inheritdoc IUnderwriterVault
    function lockedBy(uint256 productId) external view returns (uint256) {
        return _backing.exposureAt(productId, block.timestamp).locked;
    }

    /// @inheritdoc IUnderwriterVault
    function capacityOf(uint256 productId) external view returns (uint256) {
        return PremiumMath.wadMulDown(navBid(), _backing.terms[productId].capacityWad);
    }

    /// @inheritdoc IUnderwriterVault
    function rateCurveOf(uint256 productId) external view returns (RateCurve memory) {
        return _curve(_backing.terms[productId]);
    }

    /// @inheritdoc IUnderwriterVault
    function productTerms(uint256 productId) external view returns (ProductTerms memory) {
        return _backing.terms[productId];
    }

    /// @inheritdoc IUnderwriterVault
    function backedProducts() external view returns (uint256[] memory products) {
        uint32[] storage backed = _backing.products;
        uint256 count = backed.length;
        products = new uint256[](count);
        for (uint256 i; i < count; ++i) {
            products[i] = backed[i];
        }
    }

    /// @inheritdoc IUnderwriterVault
    function outflowLimitWad() external view returns (uint256) {
        return _breaker.limitWad;
    }

    /// @inheritdoc IUnderwriterVault
    function outflowWindow() external view returns (uint256) {
        return _breaker.window;
    }

    /// @inheritdoc IUnderwriterVault
    function recentOutflows() public view returns (uint256) {
        return _recentOutflows();
    }

    /// @inheritdoc IUnderwriterVault
    function outflowAllowance() public view returns (uint256) {
        return _allowance(0);
    }

    /// @inheritdoc IUnderwriterVault
    function queuedOutflowAssets() external view returns (uint256) {
        return _breaker.queuedAssets;
    }

    /// @inheritdoc IUnderwriterVault
    function outflowQueueRange() external view returns (uint256 head, uint256 tail) {
        return (_breaker.head, _breaker.tail);
    }

    /// @inheritdoc IUnderwriterVault
    function queuedOutflow(uint256 queueId) external view returns (QueuedOutflow memory) {
        return _breaker.queue[queueId];
    }

    /// @inheritdoc IUnderwriterVault
    function parkedPayoutOf(address account) external view returns (uint256) {
        return _breaker.parked[account];
    }

    /// @inheritdoc IUnderwriterVault
    function parkedPayoutAssets() external view returns (uint256) {
        return _breaker.parkedAssets;
    }

    /// @inheritdoc IUnderwriterVault
    function share() external view returns (address) {
        return address(this);
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IERC165).interfaceId || interfaceId == ERC7540_REDEEM_ID
            || interfaceId == ERC7540_OPERATOR_ID || interfaceId == ERC7575_ID;
    }

    /// @inheritdoc IUnderwriterVault
    function unlockedAssets() public view returns (uint256) {
        return _saturatingSub(navBid(), _backing.lockedAssets());
    }

    /// @inheritdoc IUnderwriterVault
    function pendingRedeemRequest(uint256, address controller) external view returns (uint256) {
        RedeemRequestState memory request = _liveRequest(controller);
        return block.timestamp < request.claimableAt ? request.shares : 0;
    }

    /// @inheritdoc IUnderwriterVault
    function claimableRedeemRequest(uint256, address controller) public view returns (uint256) {
        RedeemRequestState memory request = _liveRequest(controller);
        return _isRedeemable(request) ? request.shares : 0;
    }

    /// @inheritdoc IUnderwriterVault
    function redeemRequest(address controller) external view returns (RedeemRequestState memory) {
        return _liveRequest(controller);
    }

    /// @inheritdoc IUnderwriterVault
    function isOperator(address controller, address operator) external view returns (bool) {
        return _operators[controller][operator];
    }

    /// @inheritdoc ERC4626
    function previewDeposit(uint256 assets) public view override returns (uint256) {
        (uint256 nav, uint256 supply) = _entryPrice();
        return SharesMath.toSharesDown(assets, nav, supply);
    }

    /// @inheritdoc ERC4626
    function previewMint(uint256 shares) public view override returns (uint256) {
        (uint256 nav, uint256 supply) = _entryPrice();
        return SharesMath.toAssetsUp(shares, nav, supply);
    }

    /// @inheritdoc ERC4626
    /// @dev ERC-7540: reverts; `convertToShares` and `maxWithdraw` answer instead.
    function previewWithdraw(uint256) public pure override returns (uint256) {
        revert AsynchronousRedemption();
    }

    /// @inheritdoc ERC4626
    /// @dev ERC-7540: reverts; `convertToAssets` and `maxRedeem` answer instead.
    function previewRedeem(uint256) public pure override returns (uint256) {
        revert AsynchronousRedemption();
    }

    /// @inheritdoc ERC4626
    /// @dev Zero while paused, or while live cover locks more than `navBid` (new money would be locked at once).
    function maxDeposit(address) public view override returns (uint256) {
        return _entryOpen() ? type(uint256).max : 0;
    }

    /// @inheritdoc ERC4626
    /// @dev Zero while paused, or while live cover locks more than `navBid` (new money would be locked at once).
    function maxMint(address) public view override returns (uint256) {
        return _entryOpen() ? type(uint256).max : 0;
    }

    /// @inheritdoc ERC4626
    /// @dev The controller's ripe request, capped by the capital not locked behind cover and by what the circuit
    /// breaker lets leave now; zero while paused or while the vault holds less than its books.
    function maxRedeem(address controller) public view override returns (uint256) {
        uint256 claimable = claimableRedeemRequest(0, controller);
        uint256 exitable = _exitableAssets();
        if (exitable == 0) return 0;
        // The whole request when its value fits: converting the limit back to shares would strand rounding dust.
        if (_convertToAssets(claimable, Math.Rounding.Floor) <= exitable) return claimable;
        return _convertToShares(exitable, Math.Rounding.Floor);
    }

    /// @inheritdoc ERC4626
    /// @dev The controller's ripe request in assets, capped as `maxRedeem` is.
    function maxWithdraw(address controller) public view override returns (uint256) {
        uint256 claimableAssets = _convertToAssets(claimableRedeemRequest(0, controller), Math.Rounding.Floor);
        return Math.min(claimableAssets, _exitableAssets());
    }

    // ---------------------------------------------------------------- internals

    /// @dev A redemption is paid in full or refused: never queued, so no exit waits on (or blocks) another.
    function _exit(address receiver, address controller, uint256 assets, uint256 shares) private {
        if (receiver == address(0)) revert InvalidReceiver(receiver);
        RedeemRequestState memory request = _liveRequest(controller);
        if (request.shares != 0 && block.timestamp > request.claimableAt + REDEEM_WINDOW) {
            revert RedeemRequestExpired(controller, request.claimableAt + REDEEM_WINDOW);
        }
        if (block.timestamp < request.claimableAt || shares > request.shares) {
            revert RedeemRequestNotClaimable(
                controller, shares, claimableRedeemRequest(0, controller), request.claimableAt
            );
        }
        uint256 allowance = _checkExitFits(assets);

        // Safe: `shares <= request.shares` checked above.
        unchecked {
            _requests[controller].shares = request.shares - shares;
        }
        // Exact cast: the difference is at most the 128-bit total it came from.
        _books.managedAssets = uint128(_books.managedAssets - assets);
        _burn(address(this), shares);
        // The allowance covers every queued entry as well, so the exit pays the first few on its way out.
        (address[] memory receivers, uint256[] memory payments, uint256 drained) = _drainQueue(allowance - assets);
        OutflowMeter.record(_breaker.meter, _breaker.window, block.timestamp, drained + assets);

        emit Withdraw(msg.sender, receiver, controller, assets, shares);
        _payAll(receivers, payments);
        SafeERC20.safeTransfer(IERC20(asset()), receiver, assets);
    }

    /// @dev Refuses an exit of `assets` that locked capital, a shortfall or the circuit breaker holds back; returns the
    /// breaker's allowance, which the exit drains the queue with.
    function _checkExitFits(uint256 assets) private returns (uint256 allowance) {
        uint256 bid = navBid();
        // The stored exposures overstate the lock (expiries only free capital) and a larger lock never lets more out,
        // so an exit they let through is one the exact lock lets through too, paying the same: only an exit they
        // refuse walks the expired buckets. (Where the two allowances differ, nothing is queued for the drain to pay.)
        uint256 locked = _backing.storedLockedAssets();
        allowance = _exitAllowance(locked);
        if (assets + locked > bid || assets + _queuedAssets() > allowance) {
            locked = _backing.syncLockedAssets();
            allowance = _exitAllowance(locked);
        }
        uint256 unlocked = _saturatingSub(bid, locked);
        if (assets > unlocked) revert WithdrawalExceedsUnlockedCapital(assets, unlocked);
        (uint256 held, uint256 booked) = _heldAndBooked();
        if (held < booked) revert AssetShortfall(held, booked);
        uint256 available = _saturatingSub(allowance, _queuedAssets());
        if (assets > available) revert OutflowLimitReached(assets, available);
    }

    /// @dev Pays a claim payout as far as the circuit breaker allows at once and queues the rest. The allowance goes
    /// first to up to `AUTO_PROCESSED_ENTRIES` queued entries, in order, so the queue moves with every outflow; the new
    /// payout is paid only once nothing is queued ahead of it. Nothing is paid while paused. `amount` is already
    /// booked out of the managed assets.
    function _payOrQueue(address receiver, uint256 amount) private {
        uint256 allowance = paused() ? 0 : _allowance(amount);
        (address[] memory receivers, uint256[] memory payments, uint256 drained) = _drainQueue(allowance);
        uint256 paidNow;
        // Safe: the drain pays at most `allowance`.
        unchecked {
            if (_breaker.head == _breaker.tail) paidNow = Math.min(amount, allowance - drained);
        }
        if (drained + paidNow != 0) {
            OutflowMeter.record(_breaker.meter, _breaker.window, block.timestamp, drained + paidNow);
        }
        // Safe: `paidNow <= amount` by the min above.
        unchecked {
            if (amount != paidNow) CircuitBreakerLogic.enqueue(_breaker, receiver, amount - paidNow);
        }
        _payAll(receivers, payments);
        if (paidNow != 0 && !SafeERC20.trySafeTransfer(IERC20(asset()), receiver, paidNow)) {
            CircuitBreakerLogic.park(_breaker, receiver, paidNow);
        }
    }

    /// @dev Books the payment of the first `AUTO_PROCESSED_ENTRIES` queued entries up to `allowance` (see
    /// `CircuitBreakerLogic.drain`). An empty queue, the usual case, costs no library call.
    function _drainQueue(uint256 allowance)
        private
        returns (address[] memory receivers, uint256[] memory payments, uint256 drained)
    {
        if (_breaker.head != _breaker.tail) {
            (receivers, payments, drained) = CircuitBreakerLogic.drain(_breaker, AUTO_PROCESSED_ENTRIES, allowance);
        }
    }

    /// @dev Makes the payments `_drainQueue` booked, if any.
    function _payAll(address[] memory receivers, uint256[] memory payments) private {
        if (receivers.length != 0) CircuitBreakerLogic.payAll(_breaker, IERC20(asset()), receivers, payments);
    }

    /// @dev What a redemption may take now: unlocked capital within the breaker's allowance left after the queue;
    /// nothing while paused or while the vault holds less than its books.
    function _exitableAssets() private view returns (uint256) {
        (uint256 held, uint256 booked) = _heldAndBooked();
        if (paused() || held < booked) return 0;
        uint256 locked = _backing.lockedAssets();
        uint256 allowance = _exitAllowance(locked);
        return Math.min(_saturatingSub(navBid(), locked), _saturatingSub(allowance, _queuedAssets()));
    }

    /// @dev The window's allowance, unless nothing is left for the breaker to protect: with no live cover, no reserve
    /// and no queued payout, no claimant can be left short, and a share of NAV per window would never let the last
    /// underwriters out in full (each window's allowance shrinks with what is left).
    function _exitAllowance(uint256 locked) private view returns (uint256) {
        if (locked == 0 && _books.pendingReserve == 0 && _queuedAssets() == 0) return type(uint256).max;
        return _allowance(0);
    }

    /// @dev The registry names the claims module for every contract, so a change of adjudicator takes one call.
    function _checkClaimsModule() private view {
        if (msg.sender != registry.claimsModule()) revert NotClaimsModule(msg.sender);
    }

    /// @dev Takes `amount` off `productId`'s reserve and the total; returns the new total.
    function _releaseReserve(uint256 productId, uint256 amount) private returns (uint256 reserve) {
        uint256 productReserve_ = _productReserve[productId];
        if (amount > productReserve_) revert ReserveUnderflow(productId, amount, productReserve_);
        // Safe: `amount <= productReserve_ <= pendingReserve`, every product's reserve being part of the total; so the
        // new total is below the 128-bit old one and its cast is exact.
        unchecked {
            _productReserve[productId] = productReserve_ - amount;
            reserve = _books.pendingReserve - amount;
        }
        _books.pendingReserve = uint128(reserve);
    }

    /// @dev After a total loss, the next entry starts a new share epoch instead of minting against worthless shares.
    /// The class counts as wiped out only when its unearned premium is worthless too (see `_entryNav`), so a
    /// write-off never hands premium the old class is still to earn to the new one. Accrues the streams first, and
    /// returns the entry price (as `_entryPrice`), so the entry does not work it out twice.
    function _writeOffIfWipedOut() private returns (uint256 nav, uint256 supply) {
        _accrueStreams();
        // The stored sums are current now: no expiry is left to walk.
        (nav, supply) = (_entryNavWith(_unearned(_streams.rateSum, _streams.endWeightedSum)), totalSupply());
        if (supply <= nav * WIPED_OUT_SHARES_PER_ASSET) return (nav, supply);
        uint32 epoch = _shareEpoch + 1;
        _shareEpoch = epoch;
        // Every share not yet burned, those of earlier write-offs included: ERC20's raw supply, not `totalSupply()`.
        _writtenOffShares = ERC20.totalSupply();
        emit SharesWrittenOff(epoch, supply, nav);
        supply = 0;
    }

    /// @dev The price entries pay, against no supply at all if the current share class is wiped out.
    function _entryPrice() private view returns (uint256 nav, uint256 supply) {
        (nav, supply) = (_entryNav(), totalSupply());
        if (supply > nav * WIPED_OUT_SHARES_PER_ASSET) supply = 0;
    }

    /// @dev `max(navAsk, unearnedPremium)`: the premium still to stream belongs to the holders who bore its risk, so
    /// once losses take `navAsk` below it, entries pay for it instead of buying it for a near-zero price.
    function _entryNav() private view returns (uint256) {
        return _entryNavWith(unearnedPremium());
    }

    function _entryNavWith(uint256 unearned) private view returns (uint256) {
        return Math.max(_saturatingSub(_books.managedAssets, unearned), unearned);
    }

    function _isRedeemable(RedeemRequestState memory request) private view returns (bool) {
        return block.timestamp >= request.claimableAt && block.timestamp <= request.claimableAt + REDEEM_WINDOW;
    }

    function _entryOpen() private view returns (bool) {
        (bool overLocked,,) = _overLocked();
        return !paused() && !overLocked;
    }

    /// @dev Refuses an entry while live cover locks more than `navBid`: the new money would be locked at once.
    function _checkEntryUnlocked() private view {
        (bool overLocked, uint256 locked, uint256 bid) = _overLocked();
        if (overLocked) revert DepositWouldBeLocked(locked, bid);
    }

    /// @dev Whether live cover locks more than `navBid`, behind cover sold before new money came. Every sale fits its
    /// capacity and every exit takes only unlocked capital, so without a pending reserve the lock can outgrow `navBid`
    /// only through a capacity raised and lowered around new sales: the walk over the products runs only while
    /// something is reserved.
    function _overLocked() private view returns (bool overLocked, uint256 locked, uint256 bid) {
        if (_books.pendingReserve == 0) return (false, 0, 0);
        // The stored exposures overstate the lock: when even they fit, the exact lock does, without the walk.
        (locked, bid) = (_backing.storedLockedAssets(), navBid());
        if (locked <= bid) return (false, locked, bid);
        locked = _backing.lockedAssets();
        overLocked = locked > bid;
    }

    function _backedTerms(uint256 productId, uint256 minRateWad) private view returns (ProductTerms memory terms) {
        terms = _backing.terms[productId];
        if (terms.capacityWad == 0) revert ProductNotBacked(productId);
        if (terms.baseRateWad < minRateWad) revert RateBelowProductFloor(productId, terms.baseRateWad, minRateWad);
    }

    function _premium(ProductTerms memory terms, uint256 capacity, uint256 exposure, uint256 amount, uint256 period)
        private
        pure
        returns (uint256)
    {
        uint256 available = _saturatingSub(capacity, exposure);
        if (amount > available) revert InsufficientCapacity(amount, available);
        return PremiumMath.premiumUp(_curve(terms), capacity, exposure, amount, period);
    }

    function _curve(ProductTerms memory terms) private pure returns (RateCurve memory) {
        return RateCurve({baseRateWad: terms.baseRateWad, kinkWad: terms.kinkWad, maxRateWad: terms.maxRateWad});
    }

    /// @dev Streams `premium` linearly from now to the grid boundary at or after `policyEnd`.
    function _startStream(uint256 premium, uint256 policyEnd) private {
        uint256 endBoundary = TimeBuckets.ceilBoundary(policyEnd);
        uint256 endTime = TimeBuckets.timeOf(endBoundary);
        uint256 duration = endTime - block.timestamp;
        uint256 scaledPremium = premium * RATE_SCALE;
        uint256 rate = scaledPremium / duration;
        uint256 remainder = scaledPremium - rate * duration;
        _streams.rateSum += rate;
        _streams.endWeightedSum += rate * endTime + remainder;
        ExpiringStreams memory expiring = _streamsExpiring[endBoundary];
        _streamsExpiring[endBoundary] = ExpiringStreams({
            rate: (expiring.rate + rate).toUint192(), remainder: (expiring.remainder + remainder).toUint64()
        });
    }

    function _accrueStreams() private {
        if (TimeBuckets.floorBoundary(block.timestamp) > _streamsBoundary) {
            (PremiumStreams memory streams, uint256 boundary) = _streamsAt(block.timestamp);
            _streams = streams;
            _streamsBoundary = boundary.toUint32();
        }
    }

    /// @dev Runs this call's calldata in the extension, on this vault's storage, and returns or reverts with its
    /// result. The extension was deployed by the constructor and cannot change.
    function _delegateToExtension() private {
        address target = extension;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            // Temporary memory past the free pointer: nothing here runs after the return or revert below.
            let data := mload(0x40)
            calldatacopy(data, 0, calldatasize())
            let succeeded := delegatecall(gas(), target, data, calldatasize(), 0, 0)
            returndatacopy(data, 0, returndatasize())
            if iszero(succeeded) { revert(data, returndatasize()) }
            return(data, returndatasize())
        }
    }
}
