// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {BackingLogic, ExpiringCover, Exposure} from "../../contracts/libraries/BackingLogic.sol";
import {TimeBuckets} from "../../contracts/libraries/TimeBuckets.sol";
import {Test} from "./utils/Test.sol";

/// @notice The exposure walks and lock loops the vault's hot paths compile in (`BackingLogic`'s internal functions).
/// Adding and removing products, which call the registry, are tested through the vault (UnderwriterVault.governance).
contract BackingLogicTest is Test {
    using BackingLogic for BackingLogic.Backing;

    uint256 internal constant B0 = 2_900; // a grid boundary in 2025
    uint256 internal constant P1 = 1;
    uint256 internal constant P2 = 2;

    BackingLogic.Backing internal backing;

    function setUp() public {
        vm.warp(TimeBuckets.timeOf(B0));
    }

    /// @dev A sale whose lock ends exactly at `boundary`'s time, so it expires at that boundary.
    function _sell(uint256 productId, uint256 boundary, uint128 amount, uint128 locked) internal {
        backing.addCover(productId, amount, locked, TimeBuckets.timeOf(boundary));
    }

    function _back(uint256 productId) internal {
        backing.products.push(uint32(productId));
        backing.exposure[productId].processedBoundary = uint32(B0);
    }

    // ================================================================ unit

    function test_ExposureAtExpiresEachBucketPassedWithoutWriting() public {
        _back(P1);
        _sell(P1, B0 + 1, 30, 10);
        _sell(P1, B0 + 3, 20, 5);
        _sell(P1, B0 + 9, 50, 35);

        Exposure memory before = backing.exposureAt(P1, TimeBuckets.timeOf(B0 + 1) - 1);
        assertEq(before.amount, 100, "nothing expired before the first boundary");
        assertEq(before.processedBoundary, B0, "still at B0");
        Exposure memory later = backing.exposureAt(P1, TimeBuckets.timeOf(B0 + 3));
        assertEq(later.amount, 50, "two buckets expired");
        assertEq(later.locked, 35, "their locks too");
        assertEq(later.processedBoundary, B0 + 3, "walked to the boundary of the time asked");
        assertEq(backing.exposure[P1].processedBoundary, B0, "a read writes nothing");
        assertEq(backing.exposure[P1].amount, 100, "the stored total is kept");
    }

    function test_AddCoverBooksTheSaleInTheTotalAndInItsBucket() public {
        _back(P1);
        uint256 exposureAfter = backing.addCover(P1, 40, 10, TimeBuckets.timeOf(B0 + 2) - 1);
        assertEq(exposureAfter, 40, "returned");
        assertEq(backing.expiring[P1][B0 + 2].amount, 40, "a lock ending mid-week expires at the next boundary");
        assertEq(backing.addCover(P1, 5, 1, TimeBuckets.timeOf(B0 + 2)), 45, "the total grows");
        assertEq(backing.expiring[P1][B0 + 2].locked, 11, "same bucket");
        assertEq(backing.exposure[P1].locked, 11, "total lock");
    }

    /// @notice A payout frees its part of the cover from the total and from its bucket alike, its lock in proportion
    /// (rounded down); a bucket the walk has already passed has nothing left to free.
    function test_FreeCoverTakesThePayoutOffTheTotalAndItsBucket() public {
        _back(P1);
        _sell(P1, B0 + 2, 100, 30);
        _sell(P1, B0 + 3, 50, 50);
        backing.freeCover(P1, 40, TimeBuckets.timeOf(B0 + 2));
        assertEq(backing.expiring[P1][B0 + 2].amount, 60, "bucket amount");
        assertEq(backing.expiring[P1][B0 + 2].locked, 18, "bucket lock: 30 - 40 * 30 / 100");
        assertEq(backing.exposure[P1].amount, 110, "total amount");
        assertEq(backing.exposure[P1].locked, 68, "total lock");
        assertEq(backing.exposureAt(P1, TimeBuckets.timeOf(B0 + 2)).amount, 50, "the later walk agrees");

        vm.warp(TimeBuckets.timeOf(B0 + 2));
        backing.syncExposure(P1);
        backing.freeCover(P1, 10, TimeBuckets.timeOf(B0 + 2));
        assertEq(backing.exposure[P1].amount, 50, "a bucket already walked frees nothing");
    }

    function test_SyncExposureWritesOnlyWhenTheWalkMoved() public {
        _back(P1);
        _sell(P1, B0 + 2, 40, 8);
        backing.syncExposure(P1);
        assertEq(backing.exposure[P1].amount, 40, "same week: unchanged");

        vm.warp(TimeBuckets.timeOf(B0 + 2));
        Exposure memory synced = backing.syncExposure(P1);
        assertEq(synced.amount, 0, "expired");
        assertEq(backing.exposure[P1].amount, 0, "written");
        assertEq(backing.exposure[P1].locked, 0, "lock freed");
        assertEq(backing.exposure[P1].processedBoundary, B0 + 2, "boundary written");
    }

    /// @notice Every expiry is scheduled within HORIZON boundaries of the boundary processed when it was written, so a
    /// walk after a long idle time reads HORIZON buckets at most and lands on the current boundary.
    function test_WalkReadsAtMostTheHorizonAfterALongIdleTime() public {
        _back(P1);
        _sell(P1, B0 + TimeBuckets.HORIZON, 7, 7);
        backing.expiring[P1][B0 + TimeBuckets.HORIZON + 1] = ExpiringCover({amount: 1_000, locked: 1_000});

        Exposure memory walked = backing.exposureAt(P1, TimeBuckets.timeOf(B0 + 10 * TimeBuckets.HORIZON));
        assertEq(walked.amount, 0, "the bucket at the horizon expired");
        assertEq(walked.processedBoundary, B0 + 10 * TimeBuckets.HORIZON, "lands on the current boundary");
    }

    function test_LockedAssetsIsTheLargestLockOfAnyProduct() public {
        _back(P1);
        _back(P2);
        _sell(P1, B0 + 1, 100, 60);
        _sell(P2, B0 + 4, 90, 45);
        assertEq(backing.lockedAssets(), 60, "P1 locks most");
        assertEq(backing.storedLockedAssets(), 60, "stored: the same before any expiry");

        vm.warp(TimeBuckets.timeOf(B0 + 1));
        assertEq(backing.lockedAssets(), 45, "P1's cover expired: P2 locks most");
        assertEq(backing.storedLockedAssets(), 60, "the stored figure still counts P1's expired lock");
        assertEq(backing.syncLockedAssets(), 45, "the synced walk agrees with the exact one");
        assertEq(backing.storedLockedAssets(), 45, "and writes it down");
    }

    // ================================================================ fuzz

    /// @notice The walk equals the brute-force sum of the buckets not yet expired, and the stored lock never reads
    /// below the exact one: exits and entries may decide on it first without ever letting out what the exact lock
    /// holds back.
    function testFuzz_WalkMatchesTheBucketsLeftAndStoredLockBoundsIt(uint256 seed, uint256 elapsed) public {
        _back(P1);
        _back(P2);
        uint256 horizon = TimeBuckets.HORIZON;
        uint128[2][] memory sales = new uint128[2][](12);
        uint256[] memory ends = new uint256[](12);
        for (uint256 i; i < 12; ++i) {
            uint256 draw = uint256(keccak256(abi.encode(seed, i)));
            ends[i] = B0 + 1 + (draw % horizon);
            uint128 amount = uint128(bound(draw >> 64, 1, 1e30));
            uint128 locked = uint128(bound(draw >> 160, 0, amount));
            sales[i] = [amount, locked];
            _sell(i % 2 == 0 ? P1 : P2, ends[i], amount, locked);
        }
        uint256 boundary = B0 + bound(elapsed, 0, 2 * horizon);
        vm.warp(TimeBuckets.timeOf(boundary));

        uint256[2] memory amountLeft;
        uint256[2] memory lockLeft;
        for (uint256 i; i < 12; ++i) {
            if (ends[i] > boundary) {
                amountLeft[i % 2] += sales[i][0];
                lockLeft[i % 2] += sales[i][1];
            }
        }
        assertEq(backing.exposureAt(P1, block.timestamp).amount, amountLeft[0], "P1 amount");
        assertEq(backing.exposureAt(P2, block.timestamp).locked, lockLeft[1], "P2 lock");
        uint256 exact = lockLeft[0] > lockLeft[1] ? lockLeft[0] : lockLeft[1];
        assertEq(backing.lockedAssets(), exact, "the largest lock left");
        assertGe(backing.storedLockedAssets(), exact, "the stored lock bounds the exact one");
        assertEq(backing.syncLockedAssets(), exact, "the synced walk");
        assertEq(backing.storedLockedAssets(), exact, "written down");
    }
}
