// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OutflowMeter} from "../../contracts/libraries/OutflowMeter.sol";
import {Test} from "./utils/Test.sol";

contract OutflowMeterTest is Test {
    using OutflowMeter for OutflowMeter.Ring;

    uint256 internal constant WINDOW = 1 days;
    uint256 internal constant LENGTH = 6 hours;
    uint256 internal constant T0 = 1_700_000_000 - (1_700_000_000 % LENGTH);

    OutflowMeter.Ring internal ring;

    // Reference log for the fuzz test: every outflow with its time, summed by brute force.
    uint256[] internal times;
    uint256[] internal amounts;

    // ================================================================ unit

    function test_BucketLengthSpansTheWindowRoundedUp() public pure {
        assertEq(OutflowMeter.bucketLength(1 days), 6 hours, "1 day");
        assertEq(OutflowMeter.bucketLength(1 hours + 1), 901, "rounded up");
        assertEq(OutflowMeter.BUCKETS * OutflowMeter.bucketLength(1 hours + 1) >= 1 hours + 1, true, "covers window");
    }

    function test_SumsOutflowsOfTheLookback() public {
        ring.record(WINDOW, T0, 100);
        ring.record(WINDOW, T0 + 1 hours, 20);
        ring.record(WINDOW, T0 + 7 hours, 3);
        assertEq(ring.recentOutflows(WINDOW, T0 + 7 hours), 123, "same window");
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

    function test_ReusesARingSlotOnlyOnceItLeftTheLookback() public {
        ring.record(WINDOW, T0, 50);
        // Five buckets later the same slot is reused: the old amount is out of the lookback and is overwritten.
        ring.record(WINDOW, T0 + 5 * LENGTH, 9);
        assertEq(ring.recentOutflows(WINDOW, T0 + 5 * LENGTH), 9, "old slot replaced");
    }

    function test_CarriesAnOutflowStillInTheLookbackWhenTheWindowShrinks() public {
        // An 8-hour window has 2-hour buckets. Find a 6-hour bucket and a 2-hour one less than 8 hours later whose
        // ring slots coincide: a write then lands on a slot whose amount is still inside the new lookback. Such a
        // pair comes up within five 6-hour buckets, as 3q + k = q (mod 5) has a solution k in [1, 4] for q mod 5 != 0.
        uint256 shortWindow = 8 hours;
        uint256 first = T0;
        uint256 at = first + 2 hours;
        while ((at / 2 hours) % OutflowMeter.RING_SIZE != (first / LENGTH) % OutflowMeter.RING_SIZE) {
            at += 2 hours;
            if (at >= first + shortWindow) (first, at) = (first + LENGTH, first + LENGTH + 2 hours);
        }
        ring.record(WINDOW, first, 40);

        ring.record(shortWindow, at, 1);
        // Overwriting would have lost the 40; carried forward, it counts for a whole window more.
        assertEq(ring.recentOutflows(shortWindow, at), 41, "carried, not lost");
        assertEq(ring.recentOutflows(shortWindow, at + shortWindow), 41, "counted a window after the carry");
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
