// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title OutflowMeter
/// @notice Sums what left a vault over a rolling window, in O(1): the window is cut into `BUCKETS` buckets and a ring
/// of `BUCKETS + 1` slots keeps the current one and the `BUCKETS` before it.
/// @dev The sum always covers at least the last `window` seconds (and at most `window + window / BUCKETS`), so a cap
/// on it holds over every rolling window: it errs towards counting an outflow too long, never too short. Changing
/// the window keeps that property: a slot still inside the lookback when it is reused is carried into the new bucket.
library OutflowMeter {
    using SafeCast for uint256;

    /// @notice Buckets per window; the lookback is the current bucket plus this many before it.
    uint256 internal constant BUCKETS = 4;
    uint256 internal constant RING_SIZE = BUCKETS + 1;

    struct Bucket {
        uint64 start;
        uint192 amount;
    }

    struct Ring {
        Bucket[RING_SIZE] buckets;
    }

    /// @notice What left within the lookback of `window` seconds ending at `timestamp`.
    function recentOutflows(Ring storage ring, uint256 window, uint256 timestamp) internal view returns (uint256 sum) {
        uint256 oldestStart = _oldestStart(window, timestamp);
        for (uint256 i; i < RING_SIZE; ++i) {
            Bucket memory bucket = ring.buckets[i];
            if (bucket.start >= oldestStart) sum += bucket.amount;
        }
    }

    /// @notice Adds `amount` to the bucket of `timestamp`.
    function record(Ring storage ring, uint256 window, uint256 timestamp, uint256 amount) internal {
        uint256 length = bucketLength(window);
        uint256 index = timestamp / length;
        Bucket storage bucket = ring.buckets[index % RING_SIZE];
        // A slot from a bucket still inside the lookback (possible only after the window changed) is carried forward,
        // so it counts longer rather than not at all; a slot a full ring old has left the lookback.
        uint256 carried = bucket.start >= _oldestStart(window, timestamp) ? bucket.amount : 0;
        bucket.start = (index * length).toUint64();
        bucket.amount = (carried + amount).toUint192();
    }

    /// @notice Seconds per bucket, rounded up so that `BUCKETS` buckets span at least the window.
    function bucketLength(uint256 window) internal pure returns (uint256) {
        return Math.ceilDiv(window, BUCKETS);
    }

    /// @dev Start of the oldest bucket still counted (0 near the epoch, where everything counts).
    function _oldestStart(uint256 window, uint256 timestamp) private pure returns (uint256) {
        uint256 length = bucketLength(window);
        uint256 currentStart = timestamp - timestamp % length;
        uint256 lookback = BUCKETS * length;
        return currentStart > lookback ? currentStart - lookback : 0;
    }
}
