// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title OutflowMeter
/// @notice Sums what left a vault over a rolling window in two storage slots: the window is cut into `BUCKETS`
/// buckets, and a ring of `BUCKETS + 1` amounts keeps the current bucket and the `BUCKETS` before it.
/// @dev The sum always covers at least the last `window` seconds (and at most `window + window / BUCKETS`), so a cap
/// on it holds over every rolling window: it errs towards counting an outflow too long, never too short. Amounts
/// saturate at 2^96 - 1 per bucket; a saturated bucket no longer knows what it holds, so while it is in the lookback
/// the sum reads as `type(uint256).max` (everything is counted as gone) and never as less than what left.
library OutflowMeter {
    /// @notice Buckets per window; the lookback is the current bucket plus this many before it.
    uint256 internal constant BUCKETS = 3;
    uint256 internal constant RING_SIZE = BUCKETS + 1;
    uint256 internal constant MAX_AMOUNT = type(uint96).max;

    /// @dev `newest` is the index (timestamp / bucket length) of the last bucket written; ring position `i` holds the
    /// bucket of the latest index `<= newest` that is `i` modulo RING_SIZE. `occupied` is always 1 once written: it
    /// keeps the second slot non-zero when its amounts are, so refilling it costs a 2,900-gas rewrite, not 20,000.
    struct Ring {
        uint32 newest;
        uint96 amount0;
        uint96 amount1;
        uint96 amount2;
        uint96 amount3;
        uint8 occupied;
    }

    /// @notice What left within the lookback of `window` seconds ending at `timestamp`; `type(uint256).max` while a
    /// saturated bucket is in the lookback.
    function recentOutflows(Ring storage ring, uint256 window, uint256 timestamp) internal view returns (uint256 sum) {
        uint256 current = timestamp / bucketLength(window);
        (uint256 newest, uint256[RING_SIZE] memory amounts) = _load(ring);
        for (uint256 age; age < RING_SIZE && age <= newest; ++age) {
            uint256 index = newest - age;
            if (index + BUCKETS < current) continue;
            uint256 amount = amounts[index % RING_SIZE];
            if (amount == MAX_AMOUNT) return type(uint256).max;
            sum += amount;
        }
    }

    /// @notice Adds `amount` to the bucket of `timestamp`.
    function record(Ring storage ring, uint256 window, uint256 timestamp, uint256 amount) internal {
        uint256 current = timestamp / bucketLength(window);
        (uint256 newest, uint256[RING_SIZE] memory amounts) = _load(ring);
        // Buckets between the last write and now had no outflow: their positions are cleared of older amounts.
        if (current > newest) {
            uint256 gap = Math.min(current - newest, RING_SIZE);
            for (uint256 step = 1; step <= gap; ++step) amounts[(newest + step) % RING_SIZE] = 0;
            newest = current;
        }
        uint256 position = newest % RING_SIZE;
        amounts[position] = Math.min(amounts[position] + amount, MAX_AMOUNT);
        _store(ring, newest, amounts);
    }

    /// @notice Restarts the ring for a new window with everything of the old lookback in the current bucket, so it
    /// counts for a whole new window: a window change never forgets an outflow.
    function rebase(Ring storage ring, uint256 oldWindow, uint256 newWindow, uint256 timestamp) internal {
        uint256 carried = recentOutflows(ring, oldWindow, timestamp);
        uint256 current = timestamp / bucketLength(newWindow);
        uint256[RING_SIZE] memory amounts;
        amounts[current % RING_SIZE] = Math.min(carried, MAX_AMOUNT);
        _store(ring, current, amounts);
    }

    /// @notice Seconds per bucket, rounded up so that `BUCKETS` buckets span at least the window.
    function bucketLength(uint256 window) internal pure returns (uint256) {
        return Math.ceilDiv(window, BUCKETS);
    }

    function _load(Ring storage ring) private view returns (uint256 newest, uint256[RING_SIZE] memory amounts) {
        Ring memory loaded = ring;
        newest = loaded.newest;
        amounts = [uint256(loaded.amount0), loaded.amount1, loaded.amount2, loaded.amount3];
    }

    /// @dev Every amount is at most 2^96 - 1 (saturated above) and `newest` is a timestamp divided by at least
    /// 20 minutes, far below 2^32, so the casts are exact.
    function _store(Ring storage ring, uint256 newest, uint256[RING_SIZE] memory amounts) private {
        ring.newest = uint32(newest);
        (ring.amount0, ring.amount1) = (uint96(amounts[0]), uint96(amounts[1]));
        (ring.amount2, ring.amount3, ring.occupied) = (uint96(amounts[2]), uint96(amounts[3]), 1);
    }
}
