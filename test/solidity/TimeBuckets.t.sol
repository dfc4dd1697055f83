// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TimeBuckets} from "../../contracts/libraries/TimeBuckets.sol";
import {Test} from "./utils/Test.sol";

contract TimeBucketsTest is Test {
    uint256 internal constant BUCKET = 7 days;
    /// @dev Far beyond any block timestamp we will see, and small enough that `t + BUCKET` cannot overflow.
    uint256 internal constant MAX_TIME = type(uint64).max;
    /// @dev Longest lock a policy can schedule: ProductRegistry.MAX_PERIOD + MAX_CLAIM_GRACE_PERIOD.
    uint256 internal constant MAX_LOCK = 730 days + 90 days;

    // ================================================================ unit

    function test_BoundariesOfGridPointsAreExact() public pure {
        assertEq(TimeBuckets.floorBoundary(0), 0, "floor(0)");
        assertEq(TimeBuckets.ceilBoundary(0), 0, "ceil(0)");
        assertEq(TimeBuckets.floorBoundary(3 * BUCKET), 3, "floor on grid");
        assertEq(TimeBuckets.ceilBoundary(3 * BUCKET), 3, "ceil on grid");
    }

    function test_BoundariesAroundAGridPoint() public pure {
        assertEq(TimeBuckets.floorBoundary(3 * BUCKET - 1), 2, "floor just before");
        assertEq(TimeBuckets.ceilBoundary(3 * BUCKET - 1), 3, "ceil just before");
        assertEq(TimeBuckets.floorBoundary(3 * BUCKET + 1), 3, "floor just after");
        assertEq(TimeBuckets.ceilBoundary(3 * BUCKET + 1), 4, "ceil just after");
    }

    function test_TimeOfIsTheInverseOnTheGrid() public pure {
        assertEq(TimeBuckets.timeOf(0), 0, "timeOf(0)");
        assertEq(TimeBuckets.timeOf(5), 5 * BUCKET, "timeOf(5)");
    }

    function test_HorizonCoversTheLongestLock() public pure {
        // (730 + 90) days = 117.14 buckets: 117 whole buckets, one partial, one for the write's own bucket.
        assertEq(TimeBuckets.HORIZON, 119, "HORIZON");
    }

    function test_WalkEndStopsAtTheClockOrTheHorizon() public pure {
        assertEq(TimeBuckets.walkEnd(10, 12), 12, "clock first");
        assertEq(TimeBuckets.walkEnd(10, 10 + TimeBuckets.HORIZON), 10 + TimeBuckets.HORIZON, "both equal");
        assertEq(TimeBuckets.walkEnd(10, 10_000), 10 + TimeBuckets.HORIZON, "horizon first");
        assertEq(TimeBuckets.walkEnd(10, 10), 10, "nothing to walk");
    }

    // ================================================================ fuzz

    /// @notice The floor boundary is the last grid point at or before `t`.
    function testFuzz_FloorBoundaryBracketsTime(uint256 t) public pure {
        t = bound(t, 0, MAX_TIME);
        uint256 b = TimeBuckets.floorBoundary(t);
        assertLe(TimeBuckets.timeOf(b), t, "floor boundary after t");
        assertGt(TimeBuckets.timeOf(b + 1), t, "a later boundary is still at or before t");
    }

    /// @notice The ceil boundary is the first grid point at or after `t`: expiry is never early.
    function testFuzz_CeilBoundaryBracketsTime(uint256 t) public pure {
        t = bound(t, 0, MAX_TIME);
        uint256 b = TimeBuckets.ceilBoundary(t);
        assertGe(TimeBuckets.timeOf(b), t, "ceil boundary before t: expiry would be early");
        if (b > 0) assertLt(TimeBuckets.timeOf(b - 1), t, "an earlier boundary is still at or after t");
    }

    /// @notice ceil and floor agree exactly on the grid and differ by one off it.
    function testFuzz_CeilIsFloorOrNext(uint256 t) public pure {
        t = bound(t, 0, MAX_TIME);
        uint256 floor = TimeBuckets.floorBoundary(t);
        uint256 ceil = TimeBuckets.ceilBoundary(t);
        assertEq(ceil - floor, t % BUCKET == 0 ? 0 : 1, "ceil - floor");
    }

    /// @notice Both boundaries are monotone in time: a later lock never expires earlier.
    function testFuzz_BoundariesMonotone(uint256 t, uint256 u) public pure {
        u = bound(u, 0, MAX_TIME);
        t = bound(t, 0, u);
        assertLe(TimeBuckets.floorBoundary(t), TimeBuckets.floorBoundary(u), "floor");
        assertLe(TimeBuckets.ceilBoundary(t), TimeBuckets.ceilBoundary(u), "ceil");
    }

    /// @notice A lock written at `now` and ending after `now` expires at a boundary strictly after the one the
    /// vault has processed, so the lazy walk cannot skip it.
    function testFuzz_LockExpiresAfterTheProcessedBoundary(uint256 nowTime, uint256 lock) public pure {
        nowTime = bound(nowTime, 0, MAX_TIME);
        lock = bound(lock, 1, MAX_LOCK);
        assertGt(
            TimeBuckets.ceilBoundary(nowTime + lock), TimeBuckets.floorBoundary(nowTime), "expiry at or before now"
        );
    }

    /// @notice Every expiry a write schedules lies within HORIZON boundaries of the boundary processed at the
    /// write, so capping the walk at the horizon never skips a scheduled expiry.
    function testFuzz_LongestLockFitsTheHorizon(uint256 nowTime, uint256 lock) public pure {
        nowTime = bound(nowTime, 0, MAX_TIME);
        lock = bound(lock, 0, MAX_LOCK);
        assertLe(
            TimeBuckets.ceilBoundary(nowTime + lock),
            TimeBuckets.floorBoundary(nowTime) + TimeBuckets.HORIZON,
            "expiry beyond the walk horizon"
        );
    }

    /// @notice The walk ends at the clock or the horizon, whichever is first, and never before the processed
    /// boundary when the clock is not behind it.
    function testFuzz_WalkEndIsMinOfClockAndHorizon(uint256 processed, uint256 current) public pure {
        processed = bound(processed, 0, MAX_TIME / BUCKET);
        current = bound(current, processed, MAX_TIME / BUCKET);
        uint256 end = TimeBuckets.walkEnd(processed, current);
        assertLe(end, current, "walk past the clock");
        assertLe(end, processed + TimeBuckets.HORIZON, "walk past the horizon");
        assertGe(end, processed, "walk ends before it starts");
        assertTrue(end == current || end == processed + TimeBuckets.HORIZON, "walk stops early");
    }
}
