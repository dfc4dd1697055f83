// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

import {RateCurve} from "../libraries/PremiumMath.sol";

/// @notice A vault's terms for one product it backs. Packed in one slot.
/// @param capacityWad Share of `navBid` that may be exposed to the product (0 < c <= 1e18).
/// @param baseRateWad Annual rate up to the kink (>= the product's `minRateWad`).
/// @param kinkWad Utilization (WAD) where the rate starts rising.
/// @param maxRateWad Annual rate at 100% utilization.
struct ProductTerms {
    uint64 capacityWad;
    uint64 baseRateWad;
    uint64 kinkWad;
    uint64 maxRateWad;
}

/// @notice An underwriter's redemption request, aggregated per controller (ERC-7540 `requestId` 0).
/// @dev A request from an earlier share epoch (see `shareEpoch`) holds nothing. It can be redeemed from `claimableAt`
/// until `claimableAt + REDEEM_WINDOW`; after that it has expired and only `cancelRedeemRequest` returns its shares.
struct RedeemRequestState {
    uint256 shares;
    uint64 claimableAt;
    uint32 epoch;
}

/// @notice A claim payout held back by the circuit breaker: `amount` is still owed to `receiver`.
struct QueuedOutflow {
    address receiver;
    uint256 amount;
}

/// @title IUnderwriterVault
/// @notice An ERC-4626 vault of one asset whose capital backs cover on a curator-chosen set of products.
/// @dev Entries (deposit, mint) are priced at `max(navAsk, unearnedPremium)`, exits (redeem, withdraw) and capacity at
/// `navBid`; `totalAssets() == navBid()`. The floor on the entry price matters only once losses have taken the vault
/// below its unearned premium: the premium still to stream belongs to the holders who bore its risk, and a tiny
/// deposit at a near-zero `navAsk` would otherwise buy most of it. Exits are asynchronous in the style of ERC-7540:
/// `requestRedeem`, a cooldown, then `redeem`/`withdraw` with the controller as third argument, limited by the capital
/// locked behind active cover.
///
/// Circuit breaker: at most `outflowLimitWad` of the NAV the outflows came out of (`navAsk + queued + recent outflows`)
/// leaves within any rolling window. A redemption is paid in full or not at all: it is refused while it would take
/// more than the window leaves after every queued claim payout (`maxRedeem`/`maxWithdraw` say how much can leave now).
/// With no live cover, no reserve and no queued payout there is no claimant to protect, and exits are not limited.
/// A claim payout is never refused: what the window does not allow waits in a first-in, first-out queue, booked out of
/// `managedAssets` at once (it no longer bears losses nor earns premium) and paid in order by every later outflow
/// (up to 4 entries ahead of itself), by anyone's `processOutflowQueue`, or at once by the guardian's
/// `releaseOutflowQueue`.
///
/// Pull, never block: every payment the vault makes to a third party (a claim payout, a queued entry) is attempted
/// once; if the token refuses it (a blacklisted receiver), the amount is parked as the receiver's balance, which it
/// withdraws to any address with `withdrawParkedPayout`. No receiver can stop the queue or another payment.
///
/// Standards: ERC-4626 with ERC-7540 asynchronous redemption (`requestRedeem`, operators, `previewRedeem` and
/// `previewWithdraw` revert) and ERC-7575 (`share()`), announced through ERC-165.
interface IUnderwriterVault is IERC165 {
    /// @notice The vault's extension was called directly; its functions run only inside the vault (`extension`).
    error ExtensionCalledDirectly(address extension);
    /// @notice The purchase needs `requested` of capacity but only `available` is left.
    error InsufficientCapacity(uint256 requested, uint256 available);
    /// @notice The vault does not back `productId`.
    error ProductNotBacked(uint256 productId);
    /// @notice The product's rate floor rose above this vault's base rate; the curator must reprice.
    error RateBelowProductFloor(uint256 productId, uint256 baseRateWad, uint256 minRateWad);
    /// @notice `capacityWad` outside (0, 1e18].
    error InvalidCapacity(uint256 capacityWad);
    /// @notice A curve with `base > max`, `max > MAX_RATE_WAD` or `kink > 1e18`.
    error InvalidRateCurve(uint256 baseRateWad, uint256 kinkWad, uint256 maxRateWad);
    /// @notice The sum of capacities would exceed the leverage cap.
    error LeverageExceeded(uint256 totalCapacityWad, uint256 maxLeverageWad);
    /// @notice The vault already backs MAX_PRODUCTS products.
    error TooManyProducts(uint256 count);
    /// @notice A product cannot be dropped while cover on it still locks capital.
    error ProductExposureOutstanding(uint256 productId, uint256 exposure);
    /// @notice A product cannot be dropped while a claim or an incident on it holds a reserve, or an incident report on
    /// it is open: the vault would escape a loss already under way.
    error ProductCasesOutstanding(uint256 productId, uint256 reserve, uint256 openIncidents);
    /// @notice `cooldown` outside [MIN_COOLDOWN, MAX_COOLDOWN].
    error InvalidCooldown(uint256 cooldown);
    /// @notice `maxLeverageWad` outside [1e18, MAX_LEVERAGE_WAD].
    error InvalidMaxLeverage(uint256 maxLeverageWad);
    /// @notice Only the CoverManager may underwrite.
    error NotCoverManager(address caller);
    /// @notice Only the registry's claims module may move pending reserves (the CoverManager may also release them).
    error NotClaimsModule(address caller);
    /// @notice Nothing to sweep: the vault holds no more than its books (managed, queued and parked assets).
    error NoProtocolFees(uint256 held, uint256 booked);
    /// @notice The caller is neither the controller nor one of its operators.
    error NotControllerOrOperator(address caller, address controller);
    /// @notice The controller asked for more than its request holds, or before the cooldown ended.
    error RedeemRequestNotClaimable(address controller, uint256 shares, uint256 claimableShares, uint256 claimableAt);
    /// @notice The request was not redeemed within REDEEM_WINDOW of becoming claimable; cancel it and request again.
    error RedeemRequestExpired(address controller, uint256 expiredAt);
    /// @notice Assets cannot go to the zero address.
    error InvalidReceiver(address receiver);
    /// @notice A request for the zero address as controller would lock its shares for good.
    error InvalidController(address controller);
    /// @notice The exit would take more than the circuit breaker lets leave now, after every queued claim payout.
    error OutflowLimitReached(uint256 assets, uint256 available);
    /// @notice ERC-7540: an asynchronous vault's `previewRedeem` and `previewWithdraw` always revert.
    error AsynchronousRedemption();
    /// @notice Live cover locks more than the vault's `navBid` (a reserve pending at full utilization, say): new money
    /// would be locked at once. `maxDeposit`/`maxMint` read 0 meanwhile.
    error DepositWouldBeLocked(uint256 lockedAssets, uint256 navBid);
    /// @notice The exit would unlock capital that backs active cover.
    error WithdrawalExceedsUnlockedCapital(uint256 assets, uint256 unlockedAssets);
    /// @notice A zero amount where a positive one is required.
    error ZeroAmount();
    /// @notice Releasing more reserve than `productId` holds.
    error ReserveUnderflow(uint256 productId, uint256 amount, uint256 productReserve);
    /// @notice A payout above what the vault can pay without touching other cases' reserves (`navBid` plus the
    /// reserve the payout releases).
    error PayoutExceedsAssets(uint256 amount, uint256 payable_);
    /// @notice The vault holds less of its asset than its books say it owes (a rebasing or otherwise misbehaving
    /// asset): exits stop, so no underwriter leaves ahead of the loss at a price the vault cannot pay.
    error AssetShortfall(uint256 balance, uint256 booked);
    /// @notice `limitWad` outside [MIN_OUTFLOW_LIMIT_WAD, MAX_OUTFLOW_LIMIT_WAD] or `window` outside
    /// [MIN_OUTFLOW_WINDOW, MAX_OUTFLOW_WINDOW].
    error InvalidOutflowLimit(uint256 limitWad, uint256 window);
    /// @notice Only a queued claim payout with something left to pay can be voided.
    error OutflowNotVoidable(uint256 queueId, uint256 amount);

    /// @notice The curator set the terms on which the vault backs a product.
    event ProductTermsSet(
        uint256 indexed productId, uint256 capacityWad, uint256 baseRateWad, uint256 kinkWad, uint256 maxRateWad
    );
    /// @notice The curator stopped backing a product.
    event ProductRemoved(uint256 indexed productId);
    /// @notice Cover was sold against this vault's capital.
    event CoverUnderwritten(
        uint256 indexed productId, uint256 amount, uint256 premium, uint256 exposure, uint256 lockedUntil
    );
    /// @notice The redemption cooldown changed.
    event CooldownSet(uint256 cooldown);
    /// @notice The leverage cap changed.
    event MaxLeverageSet(uint256 maxLeverageWad);
    /// @notice A claims module reserved assets for a pending claim or incident on `productId`.
    event PendingReserveIncreased(uint256 indexed productId, uint256 amount, uint256 pendingReserve);
    /// @notice A claims module released reserved assets of `productId`.
    event PendingReserveDecreased(uint256 indexed productId, uint256 amount, uint256 pendingReserve);
    /// @notice `amount` the vault held beyond its books (the protocol fees of its sales) went to `treasury`.
    event ProtocolFeesSwept(address indexed treasury, uint256 amount);
    /// @notice A claims module paid `amount` of reserved assets to `receiver` for cover on `productId`.
    event ClaimPaid(uint256 indexed productId, address indexed receiver, uint256 amount);
    /// @notice After a total loss the old share class was written off, so new capital is not diluted by worthless
    /// shares; `writtenOffShares` stop counting and read as zero balances from now on.
    event SharesWrittenOff(uint256 indexed epoch, uint256 writtenOffShares, uint256 navAsk);
    /// @notice ERC-7540: `owner` moved `shares` into escrow, to be redeemed by `controller` after the cooldown.
    event RedeemRequest(
        address indexed controller, address indexed owner, uint256 indexed requestId, address sender, uint256 shares
    );
    /// @notice The controller's request was cancelled and its shares returned to it.
    event RedeemRequestCancelled(address indexed controller, uint256 shares);
    /// @notice ERC-7540: `controller` approved or revoked `operator`.
    event OperatorSet(address indexed controller, address indexed operator, bool approved);
    /// @notice The circuit breaker held back `amount` of a claim payout to `receiver`, as queue entry `queueId`.
    event OutflowQueued(uint256 indexed queueId, address indexed receiver, uint256 amount);
    /// @notice `amount` of queue entry `queueId` was paid to `receiver`; `remaining` is still owed.
    event QueuedOutflowPaid(uint256 indexed queueId, address indexed receiver, uint256 amount, uint256 remaining);
    /// @notice Governance voided queued claim payout `queueId`: `amount` returned to the underwriters.
    event QueuedOutflowVoided(uint256 indexed queueId, address indexed receiver, uint256 amount);
    /// @notice The circuit breaker's limit changed.
    event OutflowLimitSet(uint256 limitWad, uint256 window);
    /// @notice The token refused a payment to `receiver`; `amount` waits as its parked balance.
    event PayoutParked(address indexed receiver, uint256 amount);
    /// @notice `account` withdrew `amount` of its parked balance to `to`.
    event ParkedPayoutWithdrawn(address indexed account, address indexed to, uint256 amount);

    /// @notice Prices and records a sale of `amount` of cover on `productId` for `period` seconds, locking the
    /// capital until `lockedUntil` (the policy end plus the claim grace period). CoverManager only.
    /// @dev The CoverManager transfers exactly `premium` to the vault in the same transaction.
    /// @return premium The premium the vault charges, rounded up.
    /// @return asset The vault's asset, which the premium is paid in.
    function underwrite(uint256 productId, uint256 amount, uint256 period, uint256 minRateWad, uint256 lockedUntil)
        external
        returns (uint256 premium, address asset);

    /// @notice Moves `shares` of `owner` into escrow for `controller`; redeemable after the cooldown, for
    /// REDEEM_WINDOW.
    /// @dev Adding to an existing request restarts its cooldown, so a request cannot be pre-armed with dust; an expired
    /// request is re-armed the same way.
    /// @return requestId Always 0: requests are aggregated per controller.
    function requestRedeem(uint256 shares, address controller, address owner) external returns (uint256 requestId);

    /// @notice Returns the controller's escrowed shares to it and clears the request.
    function cancelRedeemRequest(address controller) external returns (uint256 shares);

    /// @notice ERC-7540: shares requested by `controller` still in cooldown.
    function pendingRedeemRequest(uint256 requestId, address controller) external view returns (uint256 shares);

    /// @notice ERC-7540: shares requested by `controller` past their cooldown and not expired. What a `redeem` can take
    /// now is `maxRedeem`, which also counts locked capital and the circuit breaker.
    function claimableRedeemRequest(uint256 requestId, address controller) external view returns (uint256 shares);

    /// @notice The controller's request as stored.
    function redeemRequest(address controller) external view returns (RedeemRequestState memory);

    /// @notice ERC-7540: lets `operator` request, redeem and cancel on the caller's behalf.
    function setOperator(address operator, bool approved) external returns (bool);

    /// @notice ERC-7540: whether `operator` acts for `controller`.
    function isOperator(address controller, address operator) external view returns (bool);

    /// @notice Sets (or adds) the terms on which the vault backs `productId`. Curator role.
    /// @dev Raising the total is bounded by `maxLeverageWad`. Capacity prices and limits new sales only: each sale
    /// locks `amount / capacityWad` of NAV at the capacity it was sold at, so lowering a capacity (to stop sales, say)
    /// never locks more of the capital behind cover already sold.
    function setProductTerms(uint256 productId, ProductTerms calldata terms) external;

    /// @notice Stops backing `productId`; only once no cover on it locks capital, no claim or incident on it holds a
    /// reserve and no incident report on it is open. Curator role.
    function removeProduct(uint256 productId) external;

    /// @notice Sets the redemption cooldown. Curator role.
    function setCooldown(uint256 cooldown) external;

    /// @notice Sets the cap on the sum of product capacities. Risk-manager role.
    function setMaxLeverage(uint256 maxLeverageWad) external;

    /// @notice Reserves up to `amount` for a claim or incident on `productId` being decided: `min(amount, navBid())`,
    /// what the vault can set aside now, which `navBid` then drops by. Only the registry's claims module
    /// (`NotClaimsModule` otherwise, see `IProductRegistry.claimsModule`). Nothing reserved changes nothing and emits
    /// nothing.
    /// @return reserved What was set aside.
    /// @return asset The vault's asset, which a claim's bond is sized in.
    function reserveUpTo(uint256 productId, uint256 amount) external returns (uint256 reserved, address asset);

    /// @notice Releases assets reserved for `productId`. Only the registry's claims module, or the CoverManager when
    /// the claims module closes a claim unpaid (`ICoverManager.closeClaim`).
    function decreasePendingReserve(uint256 productId, uint256 amount) external;

    /// @notice Releases `releasedReserve` of `productId`'s reserve, pays `amount` to `receiver` and frees the matching
    /// exposure of the policy locked until `lockedUntil`. `amount` may exceed the released reserve up to `navBid`: what
    /// a case pays is decided when it pays. Only the CoverManager calls it (`NotCoverManager` otherwise), from
    /// `ICoverManager.payClaim`, which fixes the receiver to the policy's owner and caps `amount` at its remaining
    /// cover. Works while paused, since settlement must, but then the payment waits in the outflow queue (as it does
    /// past the circuit breaker's limit).
    /// @dev Exposure is freed from the policy's expiry bucket, which it shares with other policies: hence the cap.
    function payClaim(uint256 productId, uint256 lockedUntil, address receiver, uint256 amount, uint256 releasedReserve)
        external;

    /// @notice Sends what the vault holds beyond its books (managed, queued and parked assets) to the CoverManager's
    /// treasury: the protocol fees its sales paid in with their premiums, and any tokens sent to it unasked (which
    /// never count for its shares). Anyone may call it; not while paused (`EnforcedPause`); `NoProtocolFees(held,
    /// booked)` when there is nothing beyond the books.
    /// @dev Until swept, the fees are the first to absorb a shortfall of the vault's balance against its books.
    /// @return amount The assets sent.
    function sweepProtocolFees() external returns (uint256 amount);

    /// @notice What `sweepProtocolFees` would send now (zero while the vault holds no more than its books).
    function protocolFeesHeld() external view returns (uint256);

    /// @notice Sends the caller's parked balance (payments its address could not receive) to `to`. Works while
    /// paused: the amount already left the vault's books.
    /// @return amount The assets sent.
    function withdrawParkedPayout(address to) external returns (uint256 amount);

    /// @notice Pays queued outflows in order, as far as the rolling window allows; the head entry may be paid in part.
    /// Anyone may call it; not while paused.
    /// @param maxEntries How many entries to look at, at most (> 0), to bound the gas.
    /// @return paid The assets paid out.
    function processOutflowQueue(uint256 maxEntries) external returns (uint256 paid);

    /// @notice Pays up to `maxEntries` queued outflows in full and in order, past the limit and while paused; they
    /// still count in the window. Guardian role.
    function releaseOutflowQueue(uint256 maxEntries) external returns (uint256 paid);

    /// @notice Cancels what is left of queued claim payout `queueId` and returns it to the underwriters, for payouts a
    /// compromised claims process approved. Admin role.
    /// @dev The policy's recorded `claimed` amount is not reduced: its holder must seek redress through governance.
    function voidQueuedOutflow(uint256 queueId) external;

    /// @notice Sets the circuit breaker: at most `limitWad` of NAV may leave within any `window` seconds.
    /// Risk-manager role.
    function setOutflowLimit(uint256 limitWad, uint256 window) external;

    /// @notice Stops deposits, purchases and exits, and queues claim payouts instead of paying them. Guardian role.
    function pause() external;

    /// @notice Resumes deposits, purchases and exits. Guardian role.
    function unpause() external;

    /// @notice The contract this vault delegates its calls off the payment paths to: redeem requests, product
    /// governance, the outflow queue's upkeep and the fee sweep. Deployed by the vault's constructor, on this vault's
    /// storage through `delegatecall`, and fixed for the vault's life.
    function extension() external view returns (address);

    /// @notice Starts at 0 and grows each time a total loss writes the share class off.
    function shareEpoch() external view returns (uint32);

    /// @notice Assets minus unearned premium: the price of what comes in.
    function navAsk() external view returns (uint256);

    /// @notice `navAsk` minus the pending reserve: the price of what goes out, and the base of capacity.
    function navBid() external view returns (uint256);

    /// @notice Premium received but not yet earned: a liability, excluded from NAV.
    function unearnedPremium() external view returns (uint256);

    /// @notice Assets the vault accounts for (deposits + premiums - exits). Unsolicited transfers are not counted.
    function managedAssets() external view returns (uint256);

    /// @notice Assets reserved for claims and incidents still being decided.
    function pendingReserve() external view returns (uint256);

    /// @notice Assets reserved for claims and incidents on `productId`.
    function productReserve(uint256 productId) external view returns (uint256);

    /// @notice Cover on `productId` that still locks capital (lazy expiry applied).
    function exposureOf(uint256 productId) external view returns (uint256);

    /// @notice NAV locked behind live cover on `productId`: each sale's amount over the capacity it was sold at.
    function lockedBy(uint256 productId) external view returns (uint256);

    /// @notice Capacity for `productId`: `capacityWad * navBid / 1e18`.
    function capacityOf(uint256 productId) external view returns (uint256);

    /// @notice The curve that prices `productId`.
    function rateCurveOf(uint256 productId) external view returns (RateCurve memory);

    /// @notice The terms for `productId` (all zero if not backed).
    function productTerms(uint256 productId) external view returns (ProductTerms memory);

    /// @notice The products this vault backs.
    function backedProducts() external view returns (uint256[] memory);

    /// @notice Assets that exits may take now without unlocking capital that backs cover.
    function unlockedAssets() external view returns (uint256);

    /// @notice Share of NAV that may leave within the window (WAD).
    function outflowLimitWad() external view returns (uint256);

    /// @notice Length of the circuit breaker's rolling window, in seconds.
    function outflowWindow() external view returns (uint256);

    /// @notice Outflows paid within the current lookback (at least the last `outflowWindow` seconds).
    function recentOutflows() external view returns (uint256);

    /// @notice What may leave now before the circuit breaker queues: `limitWad * (navAsk + queued + recent) - recent`.
    function outflowAllowance() external view returns (uint256);

    /// @notice Assets owed to queued outflows; held by the vault, already out of `managedAssets`.
    function queuedOutflowAssets() external view returns (uint256);

    /// @notice What `account` may withdraw of payments its address could not receive.
    function parkedPayoutOf(address account) external view returns (uint256);

    /// @notice Parked balances of all accounts; held by the vault, already out of `managedAssets`.
    function parkedPayoutAssets() external view returns (uint256);

    /// @notice ERC-7575: the share token, this vault itself.
    function share() external view returns (address);

    /// @notice The queue's live entries are the ids in [head, tail).
    function outflowQueueRange() external view returns (uint256 head, uint256 tail);

    /// @notice Queue entry `queueId` (zero amount once paid or voided).
    function queuedOutflow(uint256 queueId) external view returns (QueuedOutflow memory);

    /// @notice Premium for a purchase at the current state, or a revert with the reason the vault would give.
    function quote(uint256 productId, uint256 amount, uint256 period, uint256 minRateWad)
        external
        view
        returns (uint256 premium);
}
