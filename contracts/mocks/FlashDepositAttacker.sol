// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {BuyCoverParams, ICoverManager} from "../interfaces/ICoverManager.sol";
import {IUnderwriterVault} from "../interfaces/IUnderwriterVault.sol";

/// @notice Deposits into a vault and buys cover from it in one transaction (so in one block), to lower the
/// utilization the premium is priced at, then tries to get the deposit straight back.
contract FlashDepositAttacker {
    /// @notice What one attack did, all within its transaction.
    event Attacked(uint256 depositedAssets, uint256 shares, uint256 policyId, uint256 redeemValue, uint256 requestId);

    /// @param tryRedeem Also calls `redeem` on the request at once (it reverts, and with it the whole transaction).
    function attack(
        IERC4626 vault,
        ICoverManager coverManager,
        uint256 depositAssets,
        BuyCoverParams calldata params,
        bool tryRedeem
    ) external returns (uint256 policyId) {
        IERC20 asset = IERC20(vault.asset());
        asset.approve(address(vault), depositAssets);
        asset.approve(address(coverManager), type(uint256).max);
        uint256 shares = depositAssets == 0 ? 0 : vault.deposit(depositAssets, address(this));
        policyId = coverManager.buyCover(params);
        // What the shares are worth at the exit price in this very block (`previewRedeem` reverts: ERC-7540).
        uint256 redeemValue = vault.convertToAssets(shares);
        uint256 requestId;
        if (shares != 0) {
            requestId = IUnderwriterVault(address(vault)).requestRedeem(shares, address(this), address(this));
            if (tryRedeem) vault.redeem(shares, address(this), address(this));
        }
        emit Attacked(depositAssets, shares, policyId, redeemValue, requestId);
    }

    /// @notice Claims the ripe request later.
    function exit(IERC4626 vault, uint256 shares) external returns (uint256 assets) {
        return vault.redeem(shares, address(this), address(this));
    }
}
