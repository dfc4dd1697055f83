// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IUnderwriterVault, QueuedOutflow} from "../interfaces/IUnderwriterVault.sol";
import {OutflowMeter} from "./OutflowMeter.sol";

/// @title CircuitBreakerLogic
/// @notice The vault's payout circuit breaker beyond its common path (an external library, so that the vault keeps room
/// under the contract size limit): the queue of payouts held back, its draining in order, the balances parked for
/// receivers the token refused, and the limit's governance. Events and errors are the vault's (see IUnderwriterVault).
/// @dev The vault calls in only when there is something to do here: a payout that fits the allowance while nothing is
/// queued, the usual case, pays without a library call. Every function looks at a bounded number of entries.
library CircuitBreakerLogic {
    using SafeCast for uint256;

    uint256 internal constant MIN_LIMIT_WAD = 0.05e18;
    uint256 internal constant MAX_LIMIT_WAD = 0.5e18;
    uint256 internal constant MIN_WINDOW = 1 hours;
    uint256 internal constant MAX_WINDOW = 7 days;

    /// @notice The breaker's state: its limit, the outflows of the rolling window, the queue in [head, tail), and the
    /// balances parked for receivers the token refused.
    struct Breaker {
        uint64 limitWad;
        uint32 window;
        uint64 head;
        uint64 tail;
        OutflowMeter.Ring meter;
        uint256 queuedAssets;
        uint256 parkedAssets;
        mapping(uint256 queueId => QueuedOutflow) queue;
        mapping(address receiver => uint256) parked;
    }

    /// @notice Pays queued entries in order, up to `allowance` in all and `maxEntries` entries, and records them in
    /// the meter (processOutflowQueue, releaseOutflowQueue).
    function payQueue(Breaker storage breaker, IERC20 asset, uint256 maxEntries, uint256 allowance)
        external
        returns (uint256 paid)
    {
        if (maxEntries == 0) revert IUnderwriterVault.ZeroAmount();
        address[] memory receivers;
        uint256[] memory payments;
        (receivers, payments, paid) = drain(breaker, maxEntries, allowance);
        if (paid != 0) OutflowMeter.record(breaker.meter, breaker.window, block.timestamp, paid);
        payAll(breaker, asset, receivers, payments);
    }

    /// @notice Books the payment of queued entries in order, up to `allowance` in all and `maxEntries` entries, and
    /// emits their events; the caller records the meter and makes the transfers (`payAll`), after its own writes.
    function drain(Breaker storage breaker, uint256 maxEntries, uint256 allowance)
        public
        returns (address[] memory receivers, uint256[] memory payments, uint256 paid)
    {
        uint256 head = breaker.head;
        uint256 count = Math.min(maxEntries, breaker.tail - head);
        receivers = new address[](count);
        payments = new uint256[](count);
        for (uint256 i; i < count && paid < allowance; ++i) {
            uint256 queueId = head;
            QueuedOutflow storage entry = breaker.queue[queueId];
            uint256 owed = entry.amount;
            uint256 payment = Math.min(owed, allowance - paid);
            (receivers[i], payments[i]) = (entry.receiver, payment);
            paid += payment;
            // Safe: `payment <= owed` by the min above.
            unchecked {
                owed -= payment;
            }
            if (owed == 0) {
                delete breaker.queue[queueId];
                ++head;
            } else {
                entry.amount = owed;
            }
            if (payment != 0) emit IUnderwriterVault.QueuedOutflowPaid(queueId, receivers[i], payment, owed);
        }
        if (count != 0) {
            breaker.head = head.toUint64();
            breaker.queuedAssets -= paid;
        }
    }

    /// @notice Makes the payments `drain` booked, each in one attempt; a refused one is parked.
    function payAll(Breaker storage breaker, IERC20 asset, address[] memory receivers, uint256[] memory payments)
        public
    {
        for (uint256 i; i < receivers.length; ++i) {
            uint256 payment = payments[i];
            if (payment != 0 && !SafeERC20.trySafeTransfer(asset, receivers[i], payment)) {
                park(breaker, receivers[i], payment);
            }
        }
    }

    /// @notice Holds `amount` for `receiver`, whom the token refused it, until they withdraw it (`withdrawParked`):
    /// no receiver can make a payment, the queue or a settlement revert.
    function park(Breaker storage breaker, address receiver, uint256 amount) public {
        breaker.parked[receiver] += amount;
        breaker.parkedAssets += amount;
        emit IUnderwriterVault.PayoutParked(receiver, amount);
    }

    /// @notice Queues what the breaker holds back of a payout, behind every earlier entry.
    function enqueue(Breaker storage breaker, address receiver, uint256 amount) external {
        uint256 queueId = breaker.tail;
        breaker.queue[queueId] = QueuedOutflow({receiver: receiver, amount: amount});
        breaker.tail = (queueId + 1).toUint64();
        breaker.queuedAssets += amount;
        emit IUnderwriterVault.OutflowQueued(queueId, receiver, amount);
    }

    /// @notice Pays the caller's parked balance to `to` (withdrawParkedPayout).
    function withdrawParked(Breaker storage breaker, IERC20 asset, address to) external returns (uint256 amount) {
        if (to == address(0)) revert IUnderwriterVault.InvalidReceiver(to);
        amount = breaker.parked[msg.sender];
        if (amount == 0) revert IUnderwriterVault.ZeroAmount();
        delete breaker.parked[msg.sender];
        breaker.parkedAssets -= amount;
        emit IUnderwriterVault.ParkedPayoutWithdrawn(msg.sender, to, amount);
        SafeERC20.safeTransfer(asset, to, amount);
    }

    /// @notice Sets the limit and the window within their bounds; the meter carries the old lookback into the new
    /// window, so a change never forgets an outflow (setOutflowLimit).
    function setLimit(Breaker storage breaker, uint256 limitWad, uint256 window) external {
        if (limitWad < MIN_LIMIT_WAD || limitWad > MAX_LIMIT_WAD || window < MIN_WINDOW || window > MAX_WINDOW) {
            revert IUnderwriterVault.InvalidOutflowLimit(limitWad, window);
        }
        OutflowMeter.rebase(breaker.meter, breaker.window, window, block.timestamp);
        // Exact casts: limitWad <= 0.5e18 < 2^64 and window <= 7 days < 2^32, checked just above.
        (breaker.limitWad, breaker.window) = (uint64(limitWad), uint32(window));
        emit IUnderwriterVault.OutflowLimitSet(limitWad, window);
    }
}
