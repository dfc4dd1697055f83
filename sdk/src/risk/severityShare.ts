/**
 * Severity as a share of covered value: from one exploit's dollar loss `L` (the calibrated severity) to the share `S`
 * of a protocol's TVL it takes, which is what a depositor holding cover loses.
 *
 * The incident list has no TVL column, so how losses scale with a protocol's size cannot be fitted. The model reads a
 * listed loss as a loss at {@link REFERENCE_TVL_USD} and scales it to the protocol's TVL `T` with elasticity β:
 * `L_T = L (T / T_ref)^β`, and `S = min(1, L_T / T) = min(1, L / m)` with the *effective limit*
 * `m = T_ref^β T^(1-β)`. β = 1 would make the share independent of size; β = 0 would make large protocols lose the same
 * dollars as small ones; {@link SEVERITY_SIZE_ELASTICITY} sits between.
 *
 * Then `E[S] = E[min(L, m)] / m` (the limited expected value), `q_S(p) = min(1, q_L(p) / m)`, and
 * `P(S = 1) = 1 - F_L(m)` (the chance an exploit takes everything).
 *
 * @packageDocumentation
 */
import { REFERENCE_TVL_USD } from "./outsideFigures.js";
import { severityCdf, severityLimitedMean, severityQuantile, type SeverityModel } from "./severityModel.js";

/**
 * β, the elasticity of an exploit's loss to the protocol's TVL. Judgement, not fitted: larger protocols lose more in
 * dollars (in the data the median Ethereum loss, $470k, is nine times the BSC one, $50k, and Ethereum protocols are
 * larger), but less than in proportion, since they split funds across markets, caps and contracts that one bug rarely
 * drains together. The square root is the neutral choice between the two extremes.
 */
export const SEVERITY_SIZE_ELASTICITY = 0.5;

/** `m = T_ref^β T^(1-β)`: the dollar loss that would take a protocol of this TVL to zero. */
export function effectiveLimit(tvlUsd: number): number {
  return REFERENCE_TVL_USD ** SEVERITY_SIZE_ELASTICITY * tvlUsd ** (1 - SEVERITY_SIZE_ELASTICITY);
}

/** The distribution of `S`, the share of covered value one failure takes. */
export type SeverityShare = {
  /** `m`, dollars. */
  effectiveLimitUsd: number;
  /** `E[S]`. */
  mean: number;
  median: number;
  p90: number;
  p99: number;
  /** `P(S = 1)`. */
  totalLossProbability: number;
};

/** `q_S(p) = min(1, q_L(p) / m)`. */
export function shareQuantile(model: SeverityModel, limit: number, probability: number): number {
  return Math.min(1, severityQuantile(model, probability) / limit);
}

/** `E[S] = E[min(L, m)] / m`. */
export function shareMean(model: SeverityModel, limit: number): number {
  return severityLimitedMean(model, limit) / limit;
}

/**
 * `∫_a^1 q_S(v) dv`: the mean of the worst `1 - a` of shares, times `1 - a`. With `s = q_S(a)`: `1 - a` if `s = 1`
 * (every quantile above `a` is a total loss), else `E[S] - E[min(S, s)] + s (1 - a)`, where
 * `E[min(S, s)] = E[min(L, s m)] / m`.
 */
export function shareUpperIntegral(model: SeverityModel, limit: number, level: number): number {
  const s = shareQuantile(model, limit, level);
  if (s >= 1) return 1 - level;
  return shareMean(model, limit) - severityLimitedMean(model, s * limit) / limit + s * (1 - level);
}

/** The severity share of a protocol with TVL `tvlUsd`. */
export function severityShare(model: SeverityModel, tvlUsd: number): SeverityShare {
  const limit = effectiveLimit(tvlUsd);
  return {
    effectiveLimitUsd: limit,
    mean: shareMean(model, limit),
    median: shareQuantile(model, limit, 0.5),
    p90: shareQuantile(model, limit, 0.9),
    p99: shareQuantile(model, limit, 0.99),
    totalLossProbability: 1 - severityCdf(model, limit),
  };
}
