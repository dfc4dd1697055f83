// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IParkedPayments} from "../interfaces/IParkedPayments.sol";

/// @title ParkedPayments
/// @notice The balances of `IParkedPayments`, shared by the contracts that park: what a token refused to deliver,
/// by token and receiver.
library ParkedPayments {
    /// @notice Books `amount` of `token` for `account` (`PaymentParked`); the caller holds or takes the tokens.
    function park(
        mapping(address token => mapping(address account => uint256)) storage parked,
        address token,
        address account,
        uint256 amount
    ) internal {
        parked[token][account] += amount;
        emit IParkedPayments.PaymentParked(token, account, amount);
    }

    /// @notice Sends all of `msg.sender`'s parked `token` to `to` (`ParkedWithdrawn`); `NothingParked` if none. The
    /// caller checks `to`.
    function withdraw(
        mapping(address token => mapping(address account => uint256)) storage parked,
        address token,
        address to
    ) internal returns (uint256 amount) {
        amount = parked[token][msg.sender];
        if (amount == 0) revert IParkedPayments.NothingParked(token, msg.sender);
        delete parked[token][msg.sender];
        emit IParkedPayments.ParkedWithdrawn(token, msg.sender, to, amount);
        SafeERC20.safeTransfer(IERC20(token), to, amount);
    }
}
