// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IProductRegistry} from "../interfaces/IProductRegistry.sol";
import {IUnderwriterVault, RedeemRequestState} from "../interfaces/IUnderwriterVault.sol";
import {BackingLogic} from "../libraries/BackingLogic.sol";
import {CircuitBreakerLogic} from "../libraries/CircuitBreakerLogic.sol";
import {ExactTransfer} from "../libraries/ExactTransfer.sol";
import {OutflowMeter} from "../libraries/OutflowMeter.sol";
import {PremiumMath} from "../libraries/PremiumMath.sol";
import {SharesMath} from "../libraries/SharesMath.sol";
import {TimeBuckets} from "../libraries/TimeBuckets.sol";

/// @title UnderwriterVaultBase
/// @notice The storage of an underwriter vault and the logic both of its contracts run on it: the `UnderwriterVault`
/// (payments, entries, exits and views) and the `UnderwriterVaultExtension` it delegates its other calls to (redeem
/// requests, product governance, the outflow queue's upkeep, the fee sweep). Both inherit this one declaration, so
/// they agree on the storage layout by construction, and every share movement goes through the same `_update`.
/// @dev Holds no external function of its own beyond OpenZeppelin's ERC-20 and ERC-4626 ones, whose internals it
/// overrides here (share epochs, the NAV-priced conversions, the exact pull), for the same reason.
abstract contract UnderwriterVaultBase is ERC4626, AccessManaged, Pausable, ReentrancyGuardTransient {
    using SafeCast for uint256;

    uint256 public constant MAX_PRODUCTS = BackingLogic.MAX_PRODUCTS;
    uint256 public constant MAX_RATE_WAD = BackingLogic.MAX_RATE_WAD;
    uint256 public constant MAX_LEVERAGE_WAD = 5e18;
    uint256 public constant DEFAULT_MAX_LEVERAGE_WAD = 3e18;
    uint256 public constant MIN_COOLDOWN = 1 days;
    uint256 public constant MAX_COOLDOWN = 90 days;
    uint256 public constant DEFAULT_COOLDOWN = 14 days;
    uint256 public constant MIN_OUTFLOW_LIMIT_WAD = CircuitBreakerLogic.MIN_LIMIT_WAD;
    uint256 public constant MAX_OUTFLOW_LIMIT_WAD = CircuitBreakerLogic.MAX_LIMIT_WAD;
    uint256 public constant DEFAULT_OUTFLOW_LIMIT_WAD = 0.25e18;
    uint256 public constant MIN_OUTFLOW_WINDOW = CircuitBreakerLogic.MIN_WINDOW;
    uint256 public constant MAX_OUTFLOW_WINDOW = CircuitBreakerLogic.MAX_WINDOW;
    uint256 public constant DEFAULT_OUTFLOW_WINDOW = 1 days;
    /// @dev How long a ripe request stays redeemable: long enough to wait out a few circuit-breaker windows, short
    /// enough that a request is not a free, permanent option to leave at a price that ignores a loss under way.
    uint256 public constant REDEEM_WINDOW = 7 days;
    /// @dev Scale of stream rates, so a 1-wei premium over two years still has a non-zero per-second rate.
    uint256 internal constant RATE_SCALE = 1e18;

    /// @dev All premium streams at once: at time t, the scaled unearned premium is `endWeightedSum - t * rateSum`,
    /// where each stream adds `rate` and `rate * end + remainder` (the remainder makes the sum exact at its start).
    /// The streams are expired lazily up to `_streamsBoundary`.
    struct PremiumStreams {
        uint256 rateSum;
        uint256 endWeightedSum;
    }

    /// @dev The streams that end at one boundary, in one slot: they all end at its time T, so their weights sum to
    /// `T * rate + remainder`. A rate is below 2^172 (a premium below 2^128, scaled by 2^60, over at least a day),
    /// and each remainder below its stream's duration (2^27 seconds span the longest policy).
    struct ExpiringStreams {
        uint192 rate;
        uint64 remainder;
    }

    /// @dev The two totals nearly every call reads, in one slot. 128 bits hold 3e38 base units, beyond any token's
    /// supply; a sum past them reverts with SafeCast's error.
    struct Books {
        uint128 managedAssets;
        uint128 pendingReserve;
    }

    address public immutable coverManager;
    IProductRegistry public immutable registry;

    // These two fill the slot of AccessManaged's authority and Pausable's flag, which nearly every call reads first:
    // the share epoch (read by every share movement) and the streams' boundary (by every accrual) then cost no
    // storage read of their own. 32 bits hold a grid boundary (a week) for 80 million years.
    uint32 internal _shareEpoch;
    uint32 internal _streamsBoundary;

    uint256 public cooldown;

    Books internal _books;
    mapping(uint256 productId => uint256) internal _productReserve;
    PremiumStreams internal _streams;
    /// @dev Shares of earlier epochs not yet burned; they stay in ERC20's raw supply until their holder is touched.
    uint256 internal _writtenOffShares;
    mapping(address account => uint32) internal _accountEpoch;

    BackingLogic.Backing internal _backing;
    mapping(uint256 boundary => ExpiringStreams) internal _streamsExpiring;
    mapping(address controller => RedeemRequestState) internal _requests;
    mapping(address controller => mapping(address operator => bool)) internal _operators;

    CircuitBreakerLogic.Breaker internal _breaker;

    constructor(
        IERC20 asset_,
        string memory name_,
        string memory symbol_,
        address accessManager,
        address coverManager_,
        IProductRegistry registry_
    ) ERC20(name_, symbol_) ERC4626(asset_) AccessManaged(accessManager) {
        coverManager = coverManager_;
        registry = registry_;
    }

    /// @notice Shares of the current epoch; holdings written off by a total loss read as zero.
    function balanceOf(address account) public view override(ERC20, IERC20) returns (uint256) {
        return _accountEpoch[account] < _shareEpoch ? 0 : super.balanceOf(account);
    }

    /// @notice Shares of the current epoch.
    function totalSupply() public view override(ERC20, IERC20) returns (uint256) {
        // Until a first write-off nothing is written off, and the epoch sits in a slot the call has read already.
        return _shareEpoch == 0 ? super.totalSupply() : super.totalSupply() - _writtenOffShares;
    }

    /// @inheritdoc ERC4626
    function totalAssets() public view override returns (uint256) {
        return _navBid();
    }

    /// @dev `managedAssets` minus the premium still to stream.
    function _navAsk() internal view returns (uint256) {
        return _saturatingSub(_books.managedAssets, _unearnedPremium());
    }

    /// @dev `_navAsk` minus the pending reserve.
    function _navBid() internal view returns (uint256) {
        return _saturatingSub(_navAsk(), _books.pendingReserve);
    }

    /// @dev The premium still to stream now, the expiries since the last accrual walked but not written.
    function _unearnedPremium() internal view returns (uint256) {
        (PremiumStreams memory streams,) = _streamsAt(block.timestamp);
        return _unearned(streams.rateSum, streams.endWeightedSum);
    }

    /// @dev The premium still to stream now, rounded up, from the sums of streams expired up to now.
    function _unearned(uint256 rateSum, uint256 endWeightedSum) internal view returns (uint256) {
        return Math.ceilDiv(endWeightedSum - block.timestamp * rateSum, RATE_SCALE);
    }

    function _streamsAt(uint256 timestamp) internal view returns (PremiumStreams memory streams, uint256 current) {
        streams = _streams;
        uint256 processed = _streamsBoundary;
        current = TimeBuckets.floorBoundary(timestamp);
        uint256 last = TimeBuckets.walkEnd(processed, current);
        for (uint256 boundary = processed + 1; boundary <= last; ++boundary) {
            ExpiringStreams memory expiring = _streamsExpiring[boundary];
            streams.rateSum -= expiring.rate;
            streams.endWeightedSum -= expiring.rate * TimeBuckets.timeOf(boundary) + expiring.remainder;
        }
    }

    /// @dev Outflows paid within the breaker's current lookback.
    function _recentOutflows() internal view returns (uint256) {
        return OutflowMeter.recentOutflows(_breaker.meter, _breaker.window, block.timestamp);
    }

    /// @dev What may leave now, with `inFlight` already booked out of the managed assets but not yet queued. A meter
    /// that saturated (more than 2^96 - 1 base units in one bucket) lets nothing leave until the bucket ages out.
    function _allowance(uint256 inFlight) internal view returns (uint256) {
        uint256 recent = _recentOutflows();
        if (recent == type(uint256).max) return 0;
        uint256 limit = PremiumMath.wadMulDown(_navAsk() + _queuedAssets() + inFlight + recent, _breaker.limitWad);
        return _saturatingSub(limit, recent);
    }

    /// @dev What the queue owes. Its total is the sum of its entries, so an empty queue (both ends in the slot every
    /// payout and exit reads for the limit) owes nothing: the total's own slot is read only when an entry waits.
    function _queuedAssets() internal view returns (uint256) {
        return _breaker.head == _breaker.tail ? 0 : _breaker.queuedAssets;
    }

    /// @dev The asset balance, and what the books say the vault holds: managed, queued and parked assets.
    function _heldAndBooked() internal view returns (uint256 held, uint256 booked) {
        held = IERC20(asset()).balanceOf(address(this));
        booked = _books.managedAssets + _queuedAssets() + _breaker.parkedAssets;
    }

    /// @dev The controller's request, holding nothing if it is from an earlier share epoch.
    function _liveRequest(address controller) internal view returns (RedeemRequestState memory request) {
        request = _requests[controller];
        if (request.epoch < _shareEpoch) request.shares = 0;
    }

    function _checkControllerOrOperator(address controller) internal view {
        if (msg.sender != controller && !_operators[controller][msg.sender]) {
            revert IUnderwriterVault.NotControllerOrOperator(msg.sender, controller);
        }
    }

    /// @dev Assets entering the vault's books (a deposit, a premium, a voided payout); past 128 bits, SafeCast's error.
    function _bookIn(uint256 assets) internal {
        _books.managedAssets = (_books.managedAssets + assets).toUint128();
    }

    /// @dev ERC4626's informational conversions use `totalAssets() == navBid` and the same virtual offset.
    function _convertToShares(uint256 assets, Math.Rounding rounding) internal view override returns (uint256) {
        return Math.unsignedRoundsUp(rounding)
            ? SharesMath.toSharesUp(assets, _navBid(), totalSupply())
            : SharesMath.toSharesDown(assets, _navBid(), totalSupply());
    }

    function _convertToAssets(uint256 shares, Math.Rounding rounding) internal view override returns (uint256) {
        return Math.unsignedRoundsUp(rounding)
            ? SharesMath.toAssetsUp(shares, _navBid(), totalSupply())
            : SharesMath.toAssetsDown(shares, _navBid(), totalSupply());
    }

    /// @dev Must equal log10(SharesMath.VIRTUAL_SHARES) so `decimals()` matches the share math.
    function _decimalsOffset() internal pure override returns (uint8) {
        return 6;
    }

    /// @dev Pulls exactly `assets` (reverting `UnsupportedToken` otherwise) before minting, as ERC4626 does.
    function _deposit(address caller, address receiver, uint256 assets, uint256 shares) internal override {
        ExactTransfer.pullExact(IERC20(asset()), caller, address(this), assets);
        _bookIn(assets);
        _mint(receiver, shares);
        emit Deposit(caller, receiver, assets, shares);
    }

    /// @dev Lazily burns the written-off shares of `from` and `to` before they move, so stale holdings never transfer.
    function _update(address from, address to, uint256 value) internal virtual override {
        uint32 epoch = _shareEpoch;
        if (epoch != 0) {
            _settleEpoch(from, epoch);
            _settleEpoch(to, epoch);
        }
        super._update(from, to, value);
    }

    function _settleEpoch(address account, uint32 epoch) private {
        if (account == address(0) || _accountEpoch[account] == epoch) return;
        uint256 stale = super.balanceOf(account);
        _accountEpoch[account] = epoch;
        if (stale != 0) {
            _writtenOffShares -= stale;
            super._update(account, address(0), stale);
        }
    }

    function _saturatingSub(uint256 a, uint256 b) internal pure returns (uint256) {
        return a > b ? a - b : 0;
    }
}
