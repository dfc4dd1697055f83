// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @title ExactTransfer
/// @notice Pulls tokens and proves the receiver got exactly the amount: Parapet only supports plain ERC-20s, and a
/// fee-on-transfer or rebasing token would silently break vault accounting.
library ExactTransfer {
    /// @notice The token moved `received` instead of `expected` (fee-on-transfer, rebasing or otherwise exotic).
    error UnsupportedToken(address token, uint256 expected, uint256 received);

    function pullExact(IERC20 token, address from, address to, uint256 amount) internal {
        uint256 balanceBefore = token.balanceOf(to);
        SafeERC20.safeTransferFrom(token, from, to, amount);
        uint256 balanceAfter = token.balanceOf(to);
        uint256 received = balanceAfter > balanceBefore ? balanceAfter - balanceBefore : 0;
        if (received != amount) revert UnsupportedToken(address(token), amount, received);
    }
}
