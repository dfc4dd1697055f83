// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;
import {Test} from "./utils/Test.sol";
contract H is Test {
    uint256 public t;
    uint256 public calls;
    function step(uint256 dt) external {
        calls++;
        require(block.timestamp >= t, "time went back in handler");
        dt = bound(dt, 1 hours, 30 days);
        t = block.timestamp + dt;
        vm.warp(t);
    }
}
contract ProbeInv is Test {
    H h;
    function setUp() public {
        h = new H();
        targetContract(address(h));
        bytes4[] memory s = new bytes4[](1);
        s[0] = H.step.selector;
        targetSelector(FuzzSelector(address(h), s));
    }
    function invariant_time() public view {
        if (h.calls() > 0) assertEq(block.timestamp, h.t(), "timestamp in invariant");
    }
}
