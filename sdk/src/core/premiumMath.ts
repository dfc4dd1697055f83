// Solidity twin: contracts/libraries/PremiumMath.sol
// Every function must agree with its twin to the unit, and fail wherever the twin reverts;
// test/vectors/premium-vectors.json is checked against both sides.

import { InsufficientCapacity } from "./contractErrors.js";
import { checkedUint, mulDivDown, mulDivUp, requireUint } from "./mathLib.js";

/**
 * A vault's annual premium-rate curve for one product, in WAD (`1e18` = 100% per year). Each field must fit uint64,
 * like the Solidity struct.
 *
 * The rate at utilisation `u` is `baseRateWad` for `u <= kinkWad`, then rises linearly to `maxRateWad` at `u = 1`.
 */
export type RateCurve = {
  /** Rate while utilisation is at or below the kink. */
  baseRateWad: bigint;
  /** Utilisation, in WAD, where the rate starts to rise. */
  kinkWad: bigint;
  /** Rate at full utilisation. */
  maxRateWad: bigint;
};

/** Fixed-point one: `1e18`. */
export const WAD = 10n ** 18n;

/** Seconds in the 365-day year that annual rates refer to. */
export const YEAR = 365n * 86_400n;

/** Basis points in one: `10_000`. */
export const BPS = 10_000n;

/**
 * Premium for `amount` of cover bought over `period` seconds while `exposure` of `capacity` is already in use:
 * the rate curve integrated over the capacity the purchase consumes, rounded up so the vault never undercharges
 * and buying in pieces never costs less than buying at once.
 *
 * `premium = ceil(∫_{E}^{E+A} r(x / C) dx * period / (YEAR * WAD))`, with the kink placed at
 * `K = floor(kinkWad * C / WAD)` and the part above it rounded up before the final division, exactly as on chain.
 *
 * Callers must ensure `exposure + amount <= capacity`. The contract checks capacity before it prices, whereas the
 * library would quietly price an oversized purchase, so this function refuses one instead.
 *
 * @param curve - The vault's rate curve for the product.
 * @param capacity - Cover the vault can underwrite for the product, in the asset's smallest unit.
 * @param exposure - Cover already sold against that capacity.
 * @param amount - Cover being bought.
 * @param period - Cover duration in seconds.
 * @returns The premium in the asset's smallest unit.
 * @throws {@link InsufficientCapacity} if `exposure + amount > capacity`.
 * @throws {@link ValueOutOfRange} if a rate does not fit uint64 or another argument does not fit uint256.
 * @throws {@link ArithmeticOverflow} wherever the Solidity library would revert on over- or underflow.
 */
export function premiumUp(
  curve: RateCurve,
  capacity: bigint,
  exposure: bigint,
  amount: bigint,
  period: bigint
): bigint {
  requireUint(curve.baseRateWad, 64, "curve.baseRateWad");
  requireUint(curve.kinkWad, 64, "curve.kinkWad");
  requireUint(curve.maxRateWad, 64, "curve.maxRateWad");
  requireUint(capacity, 256, "capacity");
  requireUint(exposure, 256, "exposure");
  requireUint(amount, 256, "amount");
  requireUint(period, 256, "period");
  if (exposure + amount > capacity) {
    throw new InsufficientCapacity(amount, capacity > exposure ? capacity - exposure : 0n);
  }
  const baseIntegralWad = checkedUint(curve.baseRateWad * amount, 256, "curve.baseRateWad * amount");
  const integralWad = checkedUint(
    baseIntegralWad + slopeIntegralUp(curve, capacity, exposure, amount),
    256,
    "integralWad"
  );
  return mulDivUp(integralWad, period, YEAR * WAD);
}

/**
 * `value * bps / 10_000`, rounded up: the protocol fee, so the treasury never gets less than its rate.
 *
 * @param value - Amount the fee is taken from, a uint256.
 * @param bps - Fee in basis points, a uint256.
 * @returns The fee, rounded up.
 * @throws {@link ValueOutOfRange} if an argument does not fit uint256.
 * @throws {@link ArithmeticOverflow} if the result does not fit uint256.
 */
export function bpsUp(value: bigint, bps: bigint): bigint {
  return mulDivUp(value, bps, BPS);
}

/**
 * `value * bps / 10_000`, rounded down: the frontend commission, so the buyer never pays more than the rate.
 *
 * @param value - Amount the commission is taken from, a uint256.
 * @param bps - Commission in basis points, a uint256.
 * @returns The commission, rounded down.
 * @throws {@link ValueOutOfRange} if an argument does not fit uint256.
 * @throws {@link ArithmeticOverflow} if the result does not fit uint256.
 */
export function bpsDown(value: bigint, bps: bigint): bigint {
  return mulDivDown(value, bps, BPS);
}

/**
 * `value * wad / 1e18`, rounded down: capacity, so a vault never offers more than its share of NAV.
 *
 * @param value - Amount to scale, a uint256.
 * @param wad - Fraction in WAD, a uint256.
 * @returns The scaled amount, rounded down.
 * @throws {@link ValueOutOfRange} if an argument does not fit uint256.
 * @throws {@link ArithmeticOverflow} if the result does not fit uint256.
 */
export function wadMulDown(value: bigint, wad: bigint): bigint {
  return mulDivDown(value, wad, WAD);
}

/** The rate above `base`, integrated over the part of [exposure, exposure + amount] past the kink, rounded up. */
function slopeIntegralUp(curve: RateCurve, capacity: bigint, exposure: bigint, amount: bigint): bigint {
  const kink = wadMulDown(capacity, curve.kinkWad);
  // Cannot overflow: premiumUp has checked it against capacity.
  const end = exposure + amount;
  if (end <= kink || curve.maxRateWad === curve.baseRateWad) return 0n;
  const start = exposure > kink ? exposure : kink;
  const spread = checkedUint(
    (end - start) * (checkedUint(end + start, 256, "end + start") - checkedUint(2n * kink, 256, "2 * kink")),
    256,
    "(end - start) * (end + start - 2 * kink)"
  );
  // Only reached past the kink, so an inverted curve (max < base) prices at base below it and reverts beyond it.
  const rateSpreadWad = checkedUint(curve.maxRateWad - curve.baseRateWad, 64, "curve.maxRateWad - curve.baseRateWad");
  const twiceWidthAboveKink = checkedUint(2n * (capacity - kink), 256, "2 * (capacity - kink)");
  return mulDivUp(spread, rateSpreadWad, twiceWidthAboveKink);
}
