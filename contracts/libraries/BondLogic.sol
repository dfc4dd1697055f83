// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {AssertionState, IClaimAdjudicator} from "../interfaces/IClaimAdjudicator.sol";
import {ParkedPayments} from "./ParkedPayments.sol";

/// @title BondLogic
/// @notice The adjudicator's bond settlement: a disputed case's as a linked library (delegatecall) to keep the
/// adjudicator under the code size limit, an undisputed one's inline. Events are the adjudicator's.
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

    /// @notice Undisputed: the bond returns to its filer, and nothing burns. Internal, so compiled into the
    /// adjudicator: the usual settlement makes no library call. The payment is pushed once and parked in `parked` if
    /// the token refuses it.
    function returnBond(
        mapping(address token => mapping(address account => uint256)) storage parked,
        bytes32 key,
        IERC20 asset,
        address filer,
        uint256 bond
    ) internal {
        emit IClaimAdjudicator.BondsSettled(key, bond, 0, 0);
        _pushOrPark(parked, asset, filer, bond);
    }

    /// @notice Disputed: the winner gets both bonds less the burn of the loser's, which goes to the treasury, so a
    /// self-dispute always costs money; a draw returns both bonds. Every payment is pushed once and parked in
    /// `parked` if the token refuses it.
    /// @param s A disputed case's settlement (`s.disputer` is set).
    function settle(mapping(address token => mapping(address account => uint256)) storage parked, Settlement calldata s)
        external
    {
        uint256 toFiler;
        uint256 toDisputer;
        uint256 burned;
        if (s.outcome == AssertionState.Drawn) {
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
        ParkedPayments.park(parked, address(token), account, amount);
    }
}
