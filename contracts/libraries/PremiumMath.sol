// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice A vault's annual premium-rate curve for one product, in WAD (1e18 = 100% per year).
/// @dev `r(u) = baseRateWad` for `u <= kinkWad`, then linear up to `maxRateWad` at `u = 1`.
struct RateCurve {
    uint64 baseRateWad;
    uint64 kinkWad;
    uint64 maxRateWad;
}

/// @title PremiumMath
/// @notice Premium pricing as the integral of the rate curve over the capacity a purchase consumes.
/// @dev SDK twin: `sdk/src/core/premiumMath.ts`. Both must agree to the unit on `test/vectors/premium-vectors.json`.
/// Every rounding step rounds up, so the vault never undercharges and buying in pieces never costs less.
library PremiumMath {
    uint256 internal constant WAD = 1e18;
    uint256 internal constant YEAR = 365 days;
    uint256 internal constant BPS = 10_000;

    /// @notice Premium for `amount` of cover bought over `period` seconds when `exposure` of `capacity` is in use.
    /// @dev premium = ceil( ∫_{E}^{E+A} r(x / C) dx * period / (YEAR * WAD) ), computed exactly:
    ///   ∫ = base * A + (max - base) * ((b - K)^2 - (a - K)^2) / (2 * (C - K))
    /// over the part [a, b] of [E, E + A] above the kink K = floor(kink * C / WAD).
    /// The caller guarantees `exposure + amount <= capacity`.
    function premiumUp(RateCurve memory curve, uint256 capacity, uint256 exposure, uint256 amount, uint256 period)
        internal
        pure
        returns (uint256)
    {
        uint256 integralWad = curve.baseRateWad * amount + _slopeIntegralUp(curve, capacity, exposure, amount);
        return Math.mulDiv(integralWad, period, YEAR * WAD, Math.Rounding.Ceil);
    }

    /// @notice `value * bps / 10_000`, rounded up (protocol fee: the treasury never gets less than its rate).
    function bpsUp(uint256 value, uint256 bps) internal pure returns (uint256) {
        return Math.mulDiv(value, bps, BPS, Math.Rounding.Ceil);
    }

    /// @notice `value * bps / 10_000`, rounded down (frontend commission: the buyer never pays more than the rate).
    function bpsDown(uint256 value, uint256 bps) internal pure returns (uint256) {
        return Math.mulDiv(value, bps, BPS);
    }

    /// @notice `value * wad / 1e18`, rounded down (capacity: a vault never offers more than its share of NAV).
    function wadMulDown(uint256 value, uint256 wad) internal pure returns (uint256) {
        return Math.mulDiv(value, wad, WAD);
    }

    /// @dev The extra rate above `base` integrated over the part of [exposure, exposure + amount] past the kink.
    function _slopeIntegralUp(RateCurve memory curve, uint256 capacity, uint256 exposure, uint256 amount)
        private
        pure
        returns (uint256)
    {
        uint256 kink = wadMulDown(capacity, curve.kinkWad);
        uint256 end = exposure + amount;
        if (end <= kink || curve.maxRateWad == curve.baseRateWad) return 0;
        uint256 start = exposure > kink ? exposure : kink;
        // (b - K)^2 - (a - K)^2 = (b - a) * (b + a - 2K); both factors fit in 128 bits for any real asset amount,
        // and mulDiv keeps the 512-bit product exact.
        uint256 spread = (end - start) * (end + start - 2 * kink);
        return Math.mulDiv(spread, curve.maxRateWad - curve.baseRateWad, 2 * (capacity - kink), Math.Rounding.Ceil);
    }
}
