// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {AssertionState, IClaimAdjudicator} from "../interfaces/IClaimAdjudicator.sol";

/// @title BondLogic
/// @notice The adjudicator's bond settlement, as a linked library (delegatecall) to keep the adjudicator under the
/// code size limit. Events are the adjudicator's.
library BondLogic {
    uint256 private constant WAD = 1e18;

    /// @notice A settled case's bonds: who posted them, in what, and how it ended.
    /// @param burnWad The burn rate fixed when the case began.
    struct Settlement {
        bytes32 key;
        IERC20 asset;
        AssertionState outcome;
        address filer;
        address disputer;
        uint256 burnWad;
        uint256 bond;
        address treasury;
    }

    /// @notice Undisputed: the bond returns. Disputed: the winner gets both bonds less the burn of the loser's, which
    /// goes to the treasury, so a self-dispute always costs money. Draw: both bonds return. Every payment is pushed
    /// once and parked in `parked` if the token refuses it.
    function settle(mapping(address token => mapping(address account => uint256)) storage parked, Settlement calldata s)
        external
    {
        uint256 toFiler;
        uint256 toDisputer;
        uint256 burned;
        if (s.disputer == address(0)) {
            toFiler = s.bond;
        } else if (s.outcome == AssertionState.Drawn) {
            (toFiler, toDisputer) = (s.bond, s.bond);
        } else {
            burned = Math.mulDiv(s.bond, s.burnWad, WAD, Math.Rounding.Ceil);
            // Safe: `burned <= bond` since `burnWad <= 1e18`.
            unchecked {
                if (s.outcome == AssertionState.Approved) toFiler = 2 * s.bond - burned;
                else toDisputer = 2 * s.bond - burned;
            }
        }
        emit IClaimAdjudicator.BondsSettled(s.key, toFiler, toDisputer, burned);
        _pushOrPark(parked, s.asset, s.filer, toFiler);
        _pushOrPark(parked, s.asset, s.disputer, toDisputer);
        _pushOrPark(parked, s.asset, s.treasury, burned);
    }

    function _pushOrPark(
        mapping(address token => mapping(address account => uint256)) storage parked,
        IERC20 token,
        address account,
        uint256 amount
    ) private {
        if (amount == 0 || SafeERC20.trySafeTransfer(token, account, amount)) return;
        parked[address(token)][account] += amount;
        emit IClaimAdjudicator.PaymentParked(address(token), account, amount);
    }
}
