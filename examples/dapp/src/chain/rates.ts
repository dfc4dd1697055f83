/**
 * Display rates. `curveRateWad` is the rate curve that `PremiumMath.sol` integrates (its integrand): the annual rate
 * the next unit of cover costs at a vault's current utilization. Quotes and purchases never use it; they use the
 * SDK's `premiumUp` and the chain's own quote.
 */
import { WAD, type RateCurve } from "@parapet/sdk";

/** `base` up to the kink, then linear to `max` at full utilization (rounded down). */
export function curveRateWad(curve: RateCurve, utilizationWad: bigint): bigint {
  if (utilizationWad <= curve.kinkWad || curve.kinkWad >= WAD) return curve.baseRateWad;
  const over = (utilizationWad > WAD ? WAD : utilizationWad) - curve.kinkWad;
  return curve.baseRateWad + ((curve.maxRateWad - curve.baseRateWad) * over) / (WAD - curve.kinkWad);
}

/** The annual rate a premium amounts to: `premium / amount × year / period`, in WAD. */
export function annualRateWad(premium: bigint, amount: bigint, period: bigint): bigint {
  return amount === 0n || period === 0n ? 0n : (premium * WAD * (365n * 86_400n)) / (amount * period);
}
