// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";

/// @notice An ERC-20 that calls back into a configured target during its next transfer, to probe reentrancy guards.
/// @dev Armed with `arm(target, data, bubble)`, the next transfer that is not a mint or burn disarms the hook, then
/// calls `target` with `data` after moving the balances. With `bubble`, a failed call reverts the transfer with the
/// callee's revert data; otherwise the outcome is recorded (`lastSuccess`, `lastReturnData`) and the transfer goes on.
contract ReentrantToken is ERC20 {
    event HookCalled(address indexed target, bool success, bytes returnData);

    address public hookTarget;
    bytes public hookData;
    bool public bubble;
    bool public armed;
    uint256 public hookCount;
    bool public lastSuccess;
    bytes public lastReturnData;

    constructor() ERC20("Reentrant USD", "rUSD") {}

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function arm(address target, bytes calldata data, bool bubble_) external {
        hookTarget = target;
        hookData = data;
        bubble = bubble_;
        armed = true;
    }

    function disarm() external {
        armed = false;
    }

    /// @notice Lets the token itself act as a protocol user (it is the caller of the re-entrant call).
    function approveFromToken(address spender, uint256 amount) external {
        _approve(address(this), spender, amount);
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (!armed || from == address(0) || to == address(0)) return;
        armed = false;
        ++hookCount;
        // solhint-disable-next-line avoid-low-level-calls
        (bool success, bytes memory returnData) = hookTarget.call(hookData);
        lastSuccess = success;
        lastReturnData = returnData;
        emit HookCalled(hookTarget, success, returnData);
        if (bubble) Address.verifyCallResult(success, returnData);
    }
}
