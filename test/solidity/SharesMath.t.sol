// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {SharesMath} from "../../contracts/libraries/SharesMath.sol";
import {Test} from "./utils/Test.sol";

contract SharesMathTest is Test {
    /// @dev Vault sizes worth checking: up to 1e12 whole tokens of an 18-decimal asset, and share supplies up to a
    /// million times that (the 1e6 virtual offset makes shares worth ~1e-6 asset units at the start).
    uint256 internal constant MAX_ASSETS = 1e30;
    uint256 internal constant MAX_SHARES = 1e36;

    // ================================================================ unit

    function test_EmptyVaultMintsVirtualOffsetPerUnit() public pure {
        // 1e6 virtual shares over 1 virtual asset: the first unit deposited buys 1e6 shares.
        assertEq(SharesMath.toSharesDown(1, 0, 0), 1e6, "first unit");
        assertEq(SharesMath.toSharesUp(1, 0, 0), 1e6, "first unit, up");
        assertEq(SharesMath.toAssetsDown(1e6, 0, 0), 1, "1e6 shares back");
        assertEq(SharesMath.toAssetsUp(1, 0, 0), 1, "one share costs a whole unit");
        assertEq(SharesMath.toAssetsDown(1, 0, 0), 0, "one share is worth nothing");
    }

    function test_RoundingDirectionsOnAnInexactRatio() public pure {
        // 10 units over 3 shares (+ offsets: 11 / 1,000,003): 1 unit buys 90,909.36... shares.
        assertEq(SharesMath.toSharesDown(1, 10, 3), 90_909, "shares down");
        assertEq(SharesMath.toSharesUp(1, 10, 3), 90_910, "shares up");
        // 100,000 shares are worth 1.09999... units.
        assertEq(SharesMath.toAssetsDown(100_000, 10, 3), 1, "assets down");
        assertEq(SharesMath.toAssetsUp(100_000, 10, 3), 2, "assets up");
    }

    function test_ExactRatioDoesNotRound() public pure {
        // 999,999 units over 999,999,000,000 shares (+ offsets: 1e6 / 1e12): exactly 1e6 shares per unit.
        assertEq(SharesMath.toSharesDown(7, 999_999, 999_999_000_000), 7e6, "down");
        assertEq(SharesMath.toSharesUp(7, 999_999, 999_999_000_000), 7e6, "up");
        assertEq(SharesMath.toAssetsDown(7e6, 999_999, 999_999_000_000), 7, "assets down");
        assertEq(SharesMath.toAssetsUp(7e6, 999_999, 999_999_000_000), 7, "assets up");
    }

    /// @notice The classic inflation attack: the first depositor buys with 1 unit, then donates a fortune (modelled
    /// as NAV, the worst case: this vault ignores raw transfers). The victim still gets shares and loses under 0.1%
    /// to rounding, while half the donation accrues to the 1e6 virtual shares: the attack costs far more than it takes.
    function test_VirtualOffsetBluntsInflationAttack() public pure {
        uint256 totalAssets = 1 + 1e12; // attacker's 1 unit plus a 1,000,000-token donation (6 decimals)
        uint256 totalShares = 1e6; // what the attacker's 1 unit bought
        uint256 victimShares = SharesMath.toSharesDown(1e9, totalAssets, totalShares);
        assertGt(victimShares, 0, "victim rounded to zero shares");
        uint256 victimAssets =
            SharesMath.toAssetsDown(victimShares, totalAssets + 1e9, totalShares + victimShares);
        assertGe(victimAssets * 1e3 + 1e9, 1e9 * 1e3, "victim lost more than 0.1%");
    }

    // ================================================================ fuzz: each direction

    /// @notice For a deposit the vault's share count rounds down, for a withdrawal up; the two differ by at most 1.
    function testFuzz_SharesDownAtMostSharesUp(uint256 assets, uint256 totalAssets, uint256 totalShares)
        public
        pure
    {
        (assets, totalAssets, totalShares) = _state(assets, totalAssets, totalShares);
        uint256 down = SharesMath.toSharesDown(assets, totalAssets, totalShares);
        uint256 up = SharesMath.toSharesUp(assets, totalAssets, totalShares);
        assertLe(down, up, "down > up");
        assertLe(up - down, 1, "up - down > 1");
    }

    /// @notice For a redemption the vault's asset count rounds down, for a mint up; the two differ by at most 1.
    function testFuzz_AssetsDownAtMostAssetsUp(uint256 shares, uint256 totalAssets, uint256 totalShares)
        public
        pure
    {
        (shares, totalAssets, totalShares) = _state(shares, totalAssets, totalShares);
        uint256 down = SharesMath.toAssetsDown(shares, totalAssets, totalShares);
        uint256 up = SharesMath.toAssetsUp(shares, totalAssets, totalShares);
        assertLe(down, up, "down > up");
        assertLe(up - down, 1, "up - down > 1");
    }

    // ================================================================ fuzz: round trips never create value

    /// @notice Shares bought for `assets` are worth at most `assets` at the same price.
    function testFuzz_DepositThenRedeemAtSamePriceNeverProfits(
        uint256 assets,
        uint256 totalAssets,
        uint256 totalShares
    ) public pure {
        (assets, totalAssets, totalShares) = _state(assets, totalAssets, totalShares);
        uint256 shares = SharesMath.toSharesDown(assets, totalAssets, totalShares);
        assertLe(SharesMath.toAssetsDown(shares, totalAssets, totalShares), assets, "value created");
    }

    /// @notice Depositing `assets` and redeeming the shares right after, against the vault as the deposit left
    /// it, returns at most `assets`.
    function testFuzz_DepositThenRedeemNeverProfits(uint256 assets, uint256 totalAssets, uint256 totalShares)
        public
        pure
    {
        (assets, totalAssets, totalShares) = _state(assets, totalAssets, totalShares);
        uint256 shares = SharesMath.toSharesDown(assets, totalAssets, totalShares);
        uint256 back = SharesMath.toAssetsDown(shares, totalAssets + assets, totalShares + shares);
        assertLe(back, assets, "value created");
    }

    /// @notice Minting `shares` costs at least what redeeming them pays, before and after the mint.
    function testFuzz_MintThenRedeemNeverProfits(uint256 shares, uint256 totalAssets, uint256 totalShares)
        public
        pure
    {
        (shares, totalAssets, totalShares) = _state(shares, totalAssets, totalShares);
        uint256 cost = SharesMath.toAssetsUp(shares, totalAssets, totalShares);
        assertLe(SharesMath.toAssetsDown(shares, totalAssets, totalShares), cost, "value created at same price");
        uint256 back = SharesMath.toAssetsDown(shares, totalAssets + cost, totalShares + shares);
        assertLe(back, cost, "value created");
    }

    /// @notice Withdrawing `assets` burns at least as many shares as depositing `assets` would mint.
    function testFuzz_WithdrawBurnsAtLeastWhatDepositMints(uint256 assets, uint256 totalAssets, uint256 totalShares)
        public
        pure
    {
        (assets, totalAssets, totalShares) = _state(assets, totalAssets, totalShares);
        uint256 minted = SharesMath.toSharesDown(assets, totalAssets, totalShares);
        uint256 burned = SharesMath.toSharesUp(assets, totalAssets + assets, totalShares + minted);
        assertGe(burned, minted, "withdrawal cheaper in shares than the deposit paid");
    }

    /// @notice Redeeming shares and depositing the proceeds never yields more shares than were redeemed.
    function testFuzz_RedeemThenDepositNeverProfits(uint256 shares, uint256 totalAssets, uint256 totalShares)
        public
        pure
    {
        (shares, totalAssets, totalShares) = _state(shares, totalAssets, totalShares);
        shares = bound(shares, 0, totalShares);
        uint256 assets = SharesMath.toAssetsDown(shares, totalAssets, totalShares);
        uint256 again = SharesMath.toSharesDown(assets, totalAssets - assets, totalShares - shares);
        assertLe(again, shares, "shares created");
    }

    /// @notice Any entry or exit at the vault's own price leaves the price per share (with virtual offsets) no
    /// lower: rounding always favours the holders who stay.
    function testFuzz_RoundingNeverLowersSharePrice(
        uint256 amount,
        uint256 totalAssets,
        uint256 totalShares,
        uint256 action
    ) public pure {
        (amount, totalAssets, totalShares) = _state(amount, totalAssets, totalShares);
        uint256 assetsAfter;
        uint256 sharesAfter;
        action = bound(action, 0, 3);
        if (action == 0) {
            // deposit `amount` assets
            assetsAfter = totalAssets + amount;
            sharesAfter = totalShares + SharesMath.toSharesDown(amount, totalAssets, totalShares);
        } else if (action == 1) {
            // mint `amount` shares
            assetsAfter = totalAssets + SharesMath.toAssetsUp(amount, totalAssets, totalShares);
            sharesAfter = totalShares + amount;
        } else if (action == 2) {
            // redeem `amount` shares
            amount = bound(amount, 0, totalShares);
            assetsAfter = totalAssets - SharesMath.toAssetsDown(amount, totalAssets, totalShares);
            sharesAfter = totalShares - amount;
        } else {
            // withdraw `amount` assets, if the supply covers the shares it burns
            amount = bound(amount, 0, totalAssets);
            uint256 burned = SharesMath.toSharesUp(amount, totalAssets, totalShares);
            vm.assume(burned <= totalShares);
            assetsAfter = totalAssets - amount;
            sharesAfter = totalShares - burned;
        }
        // (A' + 1) / (S' + 1e6) >= (A + 1) / (S + 1e6), cross-multiplied in 512 bits: a deposit into a vault
        // with a tiny NAV and a huge supply mints ~1e72 shares, so the products overflow 256 bits.
        (uint256 afterHigh, uint256 afterLow) = Math.mul512(
            assetsAfter + SharesMath.VIRTUAL_ASSETS, totalShares + SharesMath.VIRTUAL_SHARES
        );
        (uint256 beforeHigh, uint256 beforeLow) = Math.mul512(
            totalAssets + SharesMath.VIRTUAL_ASSETS, sharesAfter + SharesMath.VIRTUAL_SHARES
        );
        assertTrue(
            afterHigh > beforeHigh || (afterHigh == beforeHigh && afterLow >= beforeLow), "price per share fell"
        );
    }

    /// @notice More assets never buy fewer shares, and more shares are never worth fewer assets.
    function testFuzz_ConversionsMonotone(uint256 a, uint256 b, uint256 totalAssets, uint256 totalShares)
        public
        pure
    {
        (a, totalAssets, totalShares) = _state(a, totalAssets, totalShares);
        b = bound(b, a, MAX_SHARES);
        assertLe(
            SharesMath.toSharesDown(a, totalAssets, totalShares),
            SharesMath.toSharesDown(b, totalAssets, totalShares),
            "toSharesDown"
        );
        assertLe(
            SharesMath.toSharesUp(a, totalAssets, totalShares),
            SharesMath.toSharesUp(b, totalAssets, totalShares),
            "toSharesUp"
        );
        assertLe(
            SharesMath.toAssetsDown(a, totalAssets, totalShares),
            SharesMath.toAssetsDown(b, totalAssets, totalShares),
            "toAssetsDown"
        );
        assertLe(
            SharesMath.toAssetsUp(a, totalAssets, totalShares),
            SharesMath.toAssetsUp(b, totalAssets, totalShares),
            "toAssetsUp"
        );
    }

    // ================================================================ helpers

    function _state(uint256 amount, uint256 totalAssets, uint256 totalShares)
        internal
        pure
        returns (uint256, uint256, uint256)
    {
        return (bound(amount, 0, MAX_SHARES), bound(totalAssets, 0, MAX_ASSETS), bound(totalShares, 0, MAX_SHARES));
    }
}
