// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CoverManager} from "../../../contracts/CoverManager.sol";
import {AssertionState} from "../../../contracts/interfaces/IClaimAdjudicator.sol";
import {BuyCoverParams} from "../../../contracts/interfaces/ICoverManager.sol";
import {QueuedOutflow} from "../../../contracts/interfaces/IUnderwriterVault.sol";
import {TestStablecoin} from "../../../contracts/mocks/TestStablecoin.sol";
import {UnderwriterVault} from "../../../contracts/UnderwriterVault.sol";
import {TestBase} from "../utils/Test.sol";

/// @notice What every invariant handler shares: the vault and CoverManager it drives, actor creation, the purchase at
/// exactly the quoted price, the ghost ledger of asset flows into and out of the vault, the record of refused bounded
/// actions, the per-action counters, and the claim/incident lifecycle rules.
/// @dev Storage, not immutables: the runner identifies a target by matching its deployed code against the artifact,
/// and handlers that read immutables in many places fail that match ("address does not have an associated contract").
/// Outflows are booked as the amounts the vault *assigns* (what `redeem` returns, what a settlement records as paid),
/// not as what the receiver's balance shows, so that a payout circuit breaker that queues outflows changes only
/// `queuedOutflows()`.
abstract contract ProtocolHandlerBase is TestBase {
    uint256 internal constant BUCKET = 7 days;
    uint256 internal constant WAD = 1e18;
    /// @dev 10M tokens of a 6-decimal asset per entry: large against the seed deposits, far from any overflow.
    uint256 internal constant MAX_DEPOSIT = 1e13;

    UnderwriterVault public vault;
    CoverManager public coverManager;
    TestStablecoin public asset;
    address public treasury;

    // ---------------------------------------------------------------- ghost ledger of the vault

    /// @dev Assets that entered the vault through deposits and mints.
    uint256 public ghostDeposited;
    /// @dev Assets the vault assigned to exits (redeem's return value, withdraw's argument).
    uint256 public ghostWithdrawn;
    /// @dev Premiums that reached the vault.
    uint256 public ghostPremiumPaid;
    /// @dev Protocol fees paid into the vault with their premiums and not swept yet.
    uint256 public ghostFeesHeld;
    /// @dev Protocol fees swept to the treasury.
    uint256 public ghostProtocolFees;

    /// @dev Bounded actions the protocol refused, which it must not: the first refusal's action and revert data.
    uint256 public unexpectedReverts;
    string public firstUnexpectedAction;
    bytes public firstUnexpectedRevert;

    /// @dev How often each action did something, to tell a vacuous campaign from a real one.
    mapping(bytes32 action => uint256) public calls;

    /// @dev A queue drain that moved other amounts than the entries it looked at say, or stopped at an entry it
    /// could pay in full (a refused receiver must be parked, never block the entries behind it): the first one.
    bool public queueBroken;
    string public queueBrokenWhat;

    /// @notice Assets the vault has assigned to third parties (claim payouts) but still holds: the circuit breaker's
    /// queue and the balances parked for receivers the token refused, both out of `managedAssets` but in the balance
    /// until paid or withdrawn. Every suite's "vault balance vs books" check goes through here.
    function queuedOutflows() public view returns (uint256) {
        return vault.queuedOutflowAssets() + vault.parkedPayoutAssets();
    }

    /// @notice What the vault's balance must cover: its books plus the outflows it still holds.
    function vaultBooks() public view returns (uint256) {
        return vault.managedAssets() + queuedOutflows();
    }

    function _initBase(UnderwriterVault vault_, CoverManager coverManager_) internal {
        vault = vault_;
        coverManager = coverManager_;
        asset = TestStablecoin(vault_.asset());
        treasury = coverManager_.treasury();
    }

    /// @dev `count` labelled actors derived from `prefix`, each approving `spenderA` and `spenderB` (zero: skipped).
    function _newActors(string memory prefix, uint256 count, address spenderA, address spenderB)
        internal
        returns (address[] memory actors)
    {
        actors = new address[](count);
        for (uint256 i; i < count; ++i) {
            address actor = address(uint160(uint256(keccak256(abi.encode(prefix, i)))));
            vm.label(actor, string.concat(prefix, vm.toString(i)));
            actors[i] = actor;
            if (spenderA != address(0)) {
                vm.prank(actor);
                asset.approve(spenderA, type(uint256).max);
            }
            if (spenderB != address(0)) {
                vm.prank(actor);
                asset.approve(spenderB, type(uint256).max);
            }
        }
    }

    /// @dev Buys `amount` of cover on `productId` from `vault` for `buyer`, paying exactly the quoted price, and books
    /// what reached the vault and the treasury. A refusal is recorded as unexpected: callers only buy what must sell.
    /// @return ok Whether the purchase went through.
    /// @return policyId The new policy (0 if refused).
    /// @return cost What left the buyer (premium + fee).
    function _purchase(address buyer, uint256 productId, uint256 amount, uint256 period)
        internal
        returns (bool ok, uint256 policyId, uint256 cost)
    {
        (uint256 premium, uint256 fee) = coverManager.quotePremium(productId, address(vault), amount, period);
        asset.mint(buyer, premium + fee);
        BuyCoverParams memory params = _buyParams(buyer, productId, amount, period, premium + fee);
        uint256 vaultBefore = asset.balanceOf(address(vault));
        uint256 treasuryBefore = asset.balanceOf(treasury);
        uint256 buyerBefore = asset.balanceOf(buyer);
        vm.prank(buyer);
        try coverManager.buyCover(params) returns (uint256 id) {
            ++calls["buyCover"];
            (ok, policyId) = (true, id);
        } catch (bytes memory reason) {
            _unexpected("buyCover", reason);
            return (false, 0, 0);
        }
        // The premium and the fee reach the vault together; the treasury gets nothing until a sweep.
        ghostPremiumPaid += asset.balanceOf(address(vault)) - vaultBefore - fee;
        ghostFeesHeld += fee;
        ghostProtocolFees += asset.balanceOf(treasury) - treasuryBefore;
        cost = buyerBefore - asset.balanceOf(buyer);
    }

    function _buyParams(address buyer, uint256 productId, uint256 amount, uint256 period, uint256 maxPremium)
        internal
        view
        returns (BuyCoverParams memory)
    {
        return BuyCoverParams({
            productId: productId,
            vault: address(vault),
            amount: amount,
            period: period,
            maxPremium: maxPremium,
            deadline: block.timestamp,
            receiver: buyer,
            commissionBps: 0,
            commissionRecipient: address(0)
        });
    }

    /// @dev Where the vault expires a policy's exposure: `end + claimGracePeriod` rounded up to the 7-day grid.
    function _lockBoundaryTime(uint256 end, uint256 claimGracePeriod) internal pure returns (uint256) {
        uint256 lockedUntil = end + claimGracePeriod;
        return (lockedUntil + BUCKET - 1) / BUCKET * BUCKET;
    }

    /// @dev Anyone sends the vault's protocol fees to the treasury. What reaches the treasury leaves the fees held; a
    /// sweep of anything but exactly those fees (no suite sends the vault unsolicited tokens) shows in the suites'
    /// balance-vs-ledger checks. Refused only with no fees held, while the vault is paused, or when the token refuses
    /// the treasury.
    function _sweepProtocolFees() internal {
        uint256 treasuryBefore = asset.balanceOf(treasury);
        try vault.sweepProtocolFees() {
            ++calls["sweepProtocolFees"];
            uint256 swept = asset.balanceOf(treasury) - treasuryBefore;
            ghostProtocolFees += swept;
            ghostFeesHeld = swept > ghostFeesHeld ? 0 : ghostFeesHeld - swept;
        } catch (bytes memory reason) {
            if (ghostFeesHeld != 0 && !vault.paused() && !_refuses(treasury)) _unexpected("sweepProtocolFees", reason);
        }
    }

    /// @dev Anyone pays the circuit breaker's queue as far as the allowance goes (`_drainQueue` checks it).
    function _processOutflowQueue(uint256 maxEntries) internal {
        (uint256 head, uint256 tail) = vault.outflowQueueRange();
        if (head == tail || vault.paused()) return;
        maxEntries = bound(maxEntries, 1, 8);
        uint256 allowance = vault.outflowAllowance();
        (bool ok, bytes memory result) =
            _drainQueue(address(this), abi.encodeCall(vault.processOutflowQueue, (maxEntries)), maxEntries, allowance);
        if (ok) ++calls["processOutflowQueue"];
        else _unexpected("processOutflowQueue", result);
    }

    /// @dev Runs a queue drain (`processOutflowQueue` or the guardian's `releaseOutflowQueue`) as `caller` and checks
    /// it against the queue as it stood: entries are paid in order, each `min(owed, allowance left)`, until the
    /// allowance or `maxEntries` runs out; the head moves past every entry paid in full, whoever its receiver; what a
    /// refused receiver is owed is parked, the rest leaves the vault. Nothing else moves.
    function _drainQueue(address caller, bytes memory call, uint256 maxEntries, uint256 allowance)
        internal
        returns (bool ok, bytes memory result)
    {
        (uint256 head, uint256 tail) = vault.outflowQueueRange();
        (uint256 paid, uint256 parked, uint256 expectedHead) = (0, 0, head);
        for (uint256 id = head; id < tail && id < head + maxEntries && paid < allowance; ++id) {
            QueuedOutflow memory entry = vault.queuedOutflow(id);
            uint256 payment = entry.amount < allowance - paid ? entry.amount : allowance - paid;
            paid += payment;
            if (_refuses(entry.receiver)) parked += payment;
            if (payment == entry.amount) expectedHead = id + 1;
        }
        (uint256 queued, uint256 parkedBefore) = (vault.queuedOutflowAssets(), vault.parkedPayoutAssets());
        uint256 balance = asset.balanceOf(address(vault));
        vm.prank(caller);
        (ok, result) = address(vault).call(call);
        if (!ok) return (ok, result);
        (uint256 newHead,) = vault.outflowQueueRange();
        if (abi.decode(result, (uint256)) != paid) _breakQueue("paid other than the entries it looked at");
        if (newHead != expectedHead) _breakQueue("head stopped at an entry it could pay");
        if (vault.queuedOutflowAssets() != queued - paid) _breakQueue("queue books moved by other than the payment");
        if (vault.parkedPayoutAssets() != parkedBefore + parked) _breakQueue("refused receivers not parked");
        if (asset.balanceOf(address(vault)) != balance - (paid - parked)) _breakQueue("queue paid other than booked");
    }

    /// @dev Whether the token refuses transfers to `account`; none does unless a suite's token has a blocklist.
    function _refuses(address) internal view virtual returns (bool) {
        return false;
    }

    function _breakQueue(string memory what) internal {
        if (queueBroken) return;
        queueBroken = true;
        queueBrokenWhat = what;
    }

    function _unexpected(string memory action, bytes memory reason) internal {
        if (unexpectedReverts == 0) {
            firstUnexpectedAction = action;
            firstUnexpectedRevert = reason;
        }
        ++unexpectedReverts;
    }

    // ---------------------------------------------------------------- lifecycle of claims and incidents

    /// @dev Pending -> Disputed | Approved; Disputed -> Approved | Rejected | Drawn; settled states are final.
    function _isLifecycleStep(AssertionState from, AssertionState to) internal pure returns (bool) {
        if (from == AssertionState.Pending) return to == AssertionState.Disputed || to == AssertionState.Approved;
        if (from == AssertionState.Disputed) return _isFinal(to);
        return false;
    }

    function _isFinal(AssertionState state) internal pure returns (bool) {
        return state == AssertionState.Approved || state == AssertionState.Rejected || state == AssertionState.Drawn;
    }

    function _isOpen(AssertionState state) internal pure returns (bool) {
        return state == AssertionState.Pending || state == AssertionState.Disputed;
    }
}
