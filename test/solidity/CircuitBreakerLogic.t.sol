// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IUnderwriterVault, QueuedOutflow} from "../../contracts/interfaces/IUnderwriterVault.sol";
import {CircuitBreakerLogic} from "../../contracts/libraries/CircuitBreakerLogic.sol";
import {OutflowMeter} from "../../contracts/libraries/OutflowMeter.sol";
import {BlocklistStablecoin} from "../../contracts/mocks/BlocklistStablecoin.sol";
import {Test} from "./utils/Test.sol";

/// @notice The breaker's queue, parking and limit, run in this contract's storage as in the vault's (a delegatecall
/// into the linked library); this contract holds the assets, as the vault does.
contract CircuitBreakerLogicTest is Test {
    address internal constant ALICE = address(0xA11CE);
    address internal constant BOB = address(0xB0B);
    address internal constant CAROL = address(0xCA401);

    CircuitBreakerLogic.Breaker internal breaker;
    BlocklistStablecoin internal token;

    function setUp() public {
        vm.warp(1_750_000_000);
        token = new BlocklistStablecoin("USD", "USD", 6);
        token.mint(address(this), 1_000);
        (breaker.limitWad, breaker.window) = (0.25e18, 1 days);
    }

    function _queueThree() internal {
        CircuitBreakerLogic.enqueue(breaker, ALICE, 100);
        CircuitBreakerLogic.enqueue(breaker, BOB, 50);
        CircuitBreakerLogic.enqueue(breaker, CAROL, 30);
    }

    // ================================================================ unit

    function test_EnqueueAppendsBehindEveryEarlierEntry() public {
        _queueThree();
        assertEq(breaker.head, 0, "head");
        assertEq(breaker.tail, 3, "tail");
        assertEq(breaker.queuedAssets, 180, "queued total");
        QueuedOutflow memory last = breaker.queue[2];
        assertEq(last.receiver, CAROL, "last receiver");
        assertEq(last.amount, 30, "last amount");
    }

    function test_DrainBooksEntriesInOrderUpToTheAllowance() public {
        _queueThree();
        (address[] memory receivers, uint256[] memory payments, uint256 paid) =
            CircuitBreakerLogic.drain(breaker, 4, 120);
        assertEq(paid, 120, "paid the allowance");
        assertEq(receivers.length, 3, "looked at every entry");
        assertEq(receivers[0], ALICE, "first in line");
        assertEq(payments[0], 100, "paid in full");
        assertEq(payments[1], 20, "the rest of the allowance");
        assertEq(payments[2], 0, "nothing left for the third");
        assertEq(breaker.head, 1, "the entry paid in full left the queue");
        assertEq(breaker.queue[0].amount, 0, "and was deleted");
        assertEq(breaker.queue[1].amount, 30, "the entry paid in part keeps what is owed");
        assertEq(breaker.queuedAssets, 60, "queued total");
        assertEq(token.balanceOf(ALICE), 0, "drain books, it does not pay");
    }

    function test_DrainLooksAtMostAtMaxEntries() public {
        _queueThree();
        (address[] memory receivers,, uint256 paid) = CircuitBreakerLogic.drain(breaker, 1, type(uint256).max);
        assertEq(receivers.length, 1, "one entry");
        assertEq(paid, 100, "its amount only");
        assertEq(breaker.head, 1, "head");
    }

    function test_PayQueuePaysAndMetersWhatItDrained() public {
        _queueThree();
        uint256 paid = CircuitBreakerLogic.payQueue(breaker, IERC20(address(token)), 10, 160);
        assertEq(paid, 160, "paid");
        assertEq(token.balanceOf(ALICE), 100, "alice in full");
        assertEq(token.balanceOf(BOB), 50, "bob in full");
        assertEq(token.balanceOf(CAROL), 10, "carol in part");
        assertEq(breaker.queuedAssets, 20, "carol's rest stays queued");
        assertEq(OutflowMeter.recentOutflows(breaker.meter, breaker.window, block.timestamp), 160, "metered");
    }

    function test_PayQueueRefusesZeroEntries() public {
        vm.expectRevert(abi.encodeWithSelector(IUnderwriterVault.ZeroAmount.selector));
        CircuitBreakerLogic.payQueue(breaker, IERC20(address(token)), 0, 100);
    }

    function test_APaymentTheTokenRefusesIsParkedAndTheOthersArePaid() public {
        _queueThree();
        token.setBlocked(ALICE, true);
        CircuitBreakerLogic.payQueue(breaker, IERC20(address(token)), 10, type(uint256).max);
        assertEq(token.balanceOf(ALICE), 0, "refused");
        assertEq(breaker.parked[ALICE], 100, "parked for alice");
        assertEq(breaker.parkedAssets, 100, "parked total");
        assertEq(token.balanceOf(BOB), 50, "bob is paid all the same");
        assertEq(token.balanceOf(CAROL), 30, "so is carol");
        assertEq(breaker.queuedAssets, 0, "nothing queued");
    }

    /// @notice The library runs by delegatecall, so its caller is this test's caller, as the vault's is its user.
    function test_WithdrawParkedPaysTheCallerOnce() public {
        CircuitBreakerLogic.park(breaker, msg.sender, 40);
        uint256 amount = CircuitBreakerLogic.withdrawParked(breaker, IERC20(address(token)), BOB);
        assertEq(amount, 40, "returned");
        assertEq(token.balanceOf(BOB), 40, "paid to the address given");
        assertEq(breaker.parked[msg.sender], 0, "cleared");
        assertEq(breaker.parkedAssets, 0, "parked total");
        vm.expectRevert(abi.encodeWithSelector(IUnderwriterVault.ZeroAmount.selector));
        CircuitBreakerLogic.withdrawParked(breaker, IERC20(address(token)), BOB);
    }

    function test_WithdrawParkedRefusesTheZeroAddress() public {
        CircuitBreakerLogic.park(breaker, msg.sender, 40);
        vm.expectRevert(abi.encodeWithSelector(IUnderwriterVault.InvalidReceiver.selector, address(0)));
        CircuitBreakerLogic.withdrawParked(breaker, IERC20(address(token)), address(0));
    }

    function test_SetLimitKeepsItsBounds() public {
        CircuitBreakerLogic.setLimit(breaker, 0.5e18, 7 days);
        assertEq(breaker.limitWad, 0.5e18, "limit at its maximum");
        assertEq(breaker.window, 7 days, "window at its maximum");
        vm.expectRevert(abi.encodeWithSelector(IUnderwriterVault.InvalidOutflowLimit.selector, 0.5e18 + 1, 7 days));
        CircuitBreakerLogic.setLimit(breaker, 0.5e18 + 1, 7 days);
        vm.expectRevert(abi.encodeWithSelector(IUnderwriterVault.InvalidOutflowLimit.selector, 0.05e18, 1 hours - 1));
        CircuitBreakerLogic.setLimit(breaker, 0.05e18, 1 hours - 1);
        assertEq(breaker.limitWad, 0.5e18, "a refused setting changes nothing");
    }
}
