// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OutflowMeter} from "../../contracts/libraries/OutflowMeter.sol";
import {Test} from "./utils/Test.sol";

contract OutflowMeterTest is Test {
    using OutflowMeter for OutflowMeter.Ring;

    uint256 internal constant WINDOW = 1 days;
    uint256 internal constant LENGTH = 8 hours;
    uint256 internal constant T0 = 1_700_000_000 - (1_700_000_000 % LENGTH);

    OutflowMeter.Ring internal ring;

    // Reference log for the fuzz test: every outflow with its time, summed by brute force.
    uint256[] internal times;
    uint256[] internal amounts;

    // ================================================================ unit

    function test_BucketLengthSpansTheWindowRoundedUp() public pure {
        assertEq(OutflowMeter.bucketLength(1 days), 8 hours, "1 day");
        assertEq(OutflowMeter.bucketLength(1 hours + 1), 1201, "rounded up");
    }

    function test_SumsOutflowsOfTheLookback() public {
        ring.record(WINDOW, T0, 100);
        ring.record(WINDOW, T0 + 1 hours, 20);
        ring.record(WINDOW, T0 + 9 hours, 3);
        assertEq(ring.recentOutflows(WINDOW, T0 + 9 hours), 123, "same window");
    }

    function test_CountsAnOutflowForAtLeastTheWindowAndAtMostOneBucketMore() public {
        uint256 at = T0 + 5 hours;
        ring.record(WINDOW, at, 7);
        // Still counted a full window after it left ...
        assertEq(ring.recentOutflows(WINDOW, at + WINDOW), 7, "at + window");
        assertEq(ring.recentOutflows(WINDOW, T0 + WINDOW + LENGTH - 1), 7, "end of its bucket + window");
        // ... and gone once its whole bucket is more than a window old.
        assertEq(ring.recentOutflows(WINDOW, T0 + WINDOW + LENGTH), 0, "bucket + window later");
    }

    function test_ClearsPositionsOfBucketsThatSawNoOutflow() public {
        ring.record(WINDOW, T0, 50);
        ring.record(WINDOW, T0 + LENGTH, 5);
        // Four buckets later the ring wraps to T0's position: the 50 is out of the lookback and cleared; the 5 is not.
        ring.record(WINDOW, T0 + 4 * LENGTH, 9);
        assertEq(ring.recentOutflows(WINDOW, T0 + 4 * LENGTH), 14, "5 + 9");
        // After a long pause everything is cleared.
        ring.record(WINDOW, T0 + 40 * LENGTH, 1);
        assertEq(ring.recentOutflows(WINDOW, T0 + 40 * LENGTH), 1, "only the new one");
    }

    /// @notice A bucket saturates instead of overflowing; since it no longer knows what it holds, everything reads as
    /// gone (`type(uint256).max`) while it is in the lookback, and it counts for nothing once it ages out.
    function test_SaturatedBucketReadsAsEverythingGoneUntilItAgesOut() public {
        ring.record(WINDOW, T0, type(uint96).max - 1);
        ring.record(WINDOW, T0, 5);
        assertEq(ring.recentOutflows(WINDOW, T0), type(uint256).max, "saturated");
        assertEq(ring.recentOutflows(WINDOW, T0 + 40 * LENGTH), 0, "aged out");
    }

    function test_RebaseCarriesTheLookbackIntoAWholeNewWindow() public {
        ring.record(WINDOW, T0, 40);
        ring.record(WINDOW, T0 + LENGTH, 2);
        uint256 shortWindow = 3 hours;
        ring.rebase(WINDOW, shortWindow, T0 + LENGTH + 1);
        // Nothing is forgotten, and it all counts for a full short window from the change.
        assertEq(ring.recentOutflows(shortWindow, T0 + LENGTH + 1), 42, "carried");
        assertEq(ring.recentOutflows(shortWindow, T0 + LENGTH + 1 + shortWindow), 42, "a window later");
        assertEq(ring.recentOutflows(shortWindow, T0 + LENGTH + 2 hours + 2 * shortWindow), 0, "then gone");
    }

    // ================================================================ fuzz

    /// @notice Over any sequence of outflows, the meter counts at least everything of the last window and nothing
    /// older than a window plus one bucket.
    function testFuzz_BracketsTheRollingWindowSum(uint256 seed) public {
        uint256 clock = T0;
        for (uint256 step; step < 40; ++step) {
            seed = uint256(keccak256(abi.encode(seed)));
            clock += seed % (10 hours);
            uint256 amount = (seed >> 64) % 1e12;
            ring.record(WINDOW, clock, amount);
            times.push(clock);
            amounts.push(amount);

            uint256 lastWindow;
            uint256 withSlack;
            for (uint256 i; i < times.length; ++i) {
                if (times[i] + WINDOW > clock) lastWindow += amounts[i];
                if (times[i] + WINDOW + LENGTH > clock) withSlack += amounts[i];
            }
            uint256 metered = ring.recentOutflows(WINDOW, clock);
            assertGe(metered, lastWindow, "misses an outflow of the last window");
            assertLe(metered, withSlack, "counts an outflow older than window + bucket");
        }
    }
}
