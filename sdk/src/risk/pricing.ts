/**
 * From failure probability and severity to an annual rate per unit of cover, and from that rate to a vault's curve
 * (`setProductTerms`).
 *
 * `rate = expected loss + uncertainty loading + correlation loading + cost of capital`:
 * - expected loss `p E[S]`;
 * - uncertainty: `(p_75 - p) E[S]`, the extra expected loss if the failure rate sits at its posterior's 75th
 *   percentile instead of its mean (the model's parameters are uncertain; see `failureModel.ts`);
 * - correlation: a share of the expected loss by category, for failures that strike many covered protocols together;
 * - capital: the cost-of-capital rate times the capital held per unit of cover, the 99% expected shortfall of one
 *   year's loss (the Swiss Solvency Test's measure).
 *
 * @packageDocumentation
 */
import { WAD } from "../core/premiumMath.js";
import { failureWithinYear } from "./failureModel.js";
import type { Category } from "./profile.js";
import { shareMean, shareQuantile, shareUpperIntegral } from "./severityShare.js";
import type { SeverityModel } from "./severityModel.js";
import { gammaQuantile } from "./specialFunctions.js";

/** Posterior quantile of the failure rate the uncertainty loading prices at. Judgement: a moderate prudence margin. */
export const UNCERTAINTY_QUANTILE = 0.75;

/**
 * Correlation loading, a share of the expected loss, by category. Judgement: a failure can spread (a shared oracle or
 * collateral, a chain halt, a depeg): yield aggregators and bridges sit on other protocols and chains, stablecoin
 * depegs propagate to every pool holding the coin, lending markets share price feeds and collateral, liquid-staking
 * tokens share validators' slashing, DEXes are the most self-contained.
 */
export const CORRELATION_LOADING: Readonly<Record<Category, number>> = {
  lending: 0.25,
  dex: 0.15,
  yield: 0.5,
  bridge: 0.5,
  stablecoin: 0.5,
  "liquid-staking": 0.3,
};

/**
 * Cost-of-capital rate, per year, on the capital held. Source: the 6% cost-of-capital rate of Solvency II's risk margin
 * (Commission Delegated Regulation (EU) 2015/35, Art. 39) and of the Swiss Solvency Test (FINMA): the return above the
 * risk-free rate investors require for holding insurance capital.
 */
export const COST_OF_CAPITAL_RATE = 0.06;

/** Confidence of the expected shortfall that sets the capital held: 99%, the Swiss Solvency Test's level. */
export const CAPITAL_LEVEL = 0.99;

/** Rate components, each per unit of cover per year. */
export type RateComponents = {
  expectedLoss: number;
  uncertaintyLoading: number;
  correlationLoading: number;
  capitalCost: number;
  /** The capital held per unit of cover (99% expected shortfall of a year's loss). */
  capitalPerCover: number;
  /** The sum: the model rate. */
  modelRate: number;
};

/**
 * 99% expected shortfall of a year's loss per unit of cover `X` (0 with probability `1 - p`, `S` with probability
 * `p`): the mean of its worst 1%. If `p <= 1%` every failure lies in that 1%: `p E[S] / 0.01`. Otherwise the worst 1%
 * is the part of the severity above its level `a = 1 - 0.01 / p`: `∫_a^1 q_S(v) dv / (1 - a)`.
 */
export function expectedShortfall(probability: number, model: SeverityModel, limit: number, level = CAPITAL_LEVEL): number {
  const tail = 1 - level;
  if (probability <= tail) return (probability * shareMean(model, limit)) / tail;
  const a = 1 - tail / probability;
  return shareUpperIntegral(model, limit, a) / (1 - a);
}

/** The model rate and its parts. */
export function rateComponents(input: {
  probability: number;
  posteriorShape: number;
  posteriorRate: number;
  category: Category;
  model: SeverityModel;
  limit: number;
}): RateComponents {
  const { probability, posteriorShape, posteriorRate, category, model, limit } = input;
  const meanShare = shareMean(model, limit);
  const expectedLoss = probability * meanShare;
  const prudentProbability = failureWithinYear(gammaQuantile(UNCERTAINTY_QUANTILE, posteriorShape, posteriorRate));
  const uncertaintyLoading = Math.max(0, prudentProbability - probability) * meanShare;
  const correlationLoading = CORRELATION_LOADING[category] * expectedLoss;
  const capitalPerCover = expectedShortfall(probability, model, limit);
  const capitalCost = COST_OF_CAPITAL_RATE * capitalPerCover;
  return {
    expectedLoss,
    uncertaintyLoading,
    correlationLoading,
    capitalCost,
    capitalPerCover,
    modelRate: expectedLoss + uncertaintyLoading + correlationLoading + capitalCost,
  };
}

/** `setProductTerms` values: uint64 WAD fields. */
export type ProductTerms = { capacityWad: bigint; baseRateWad: bigint; kinkWad: bigint; maxRateWad: bigint };

/**
 * Max rate as a multiple of the base rate. Source: the seeded conservative vault's curves (`deploy/seed.ts`: 15% over
 * 2.5%, 20% over 3.5%, 10% over 1.5%, about 6x), in line with kinked lending-rate models whose rate at full
 * utilisation is several times the rate at the kink.
 */
export const MAX_RATE_MULTIPLE = 6n;

/**
 * Kink by annual failure probability. Judgement, anchored on the seeded conservative vault (80% for lending, 70% for
 * the DEX): the riskier the product, the earlier its price should rise, so capacity tightens before it is all sold.
 */
export const KINK_BY_PROBABILITY: ReadonlyArray<{ belowProbability: number; kinkWad: bigint }> = [
  { belowProbability: 0.02, kinkWad: (WAD * 80n) / 100n },
  { belowProbability: 0.1, kinkWad: (WAD * 70n) / 100n },
  { belowProbability: Infinity, kinkWad: (WAD * 60n) / 100n },
];

/**
 * Share of a vault's NAV one product's single failure may take, at its 99th-percentile severity. Source: the vaults'
 * circuit breaker lets 25% of NAV leave per rolling day (`UnderwriterVault`), so such a failure's payouts clear within
 * one window instead of queueing. Capacity is `min(1, 25% / q_S(0.99))`.
 */
export const SINGLE_EVENT_LOSS_BUDGET = 0.25;

/** One basis point in WAD: recommended rates are whole basis points, rounded up so the model never undercharges. */
const BASIS_POINT_WAD = 10n ** 14n;

/** A fraction in whole basis points as WAD, rounded up (`up`) or down. Guards float noise like 0.025 → 250.0000003. */
export function fractionToWadBps(fraction: number, up: boolean): bigint {
  const bps = Number((fraction * 10_000).toFixed(6));
  return BigInt(up ? Math.ceil(bps) : Math.floor(bps)) * BASIS_POINT_WAD;
}

/**
 * The recommended curve: base at the model rate (not below the product's floor), kink by risk, max a multiple of the
 * base, capacity from the single-event budget; every rate capped at 100% a year (the contract's bound).
 */
export function recommendTerms(input: {
  modelRate: number;
  probability: number;
  model: SeverityModel;
  limit: number;
  minRateWad?: bigint;
}): ProductTerms {
  const { modelRate, probability, model, limit, minRateWad = 0n } = input;
  const floored = fractionToWadBps(modelRate, true) > minRateWad ? fractionToWadBps(modelRate, true) : minRateWad;
  const baseRateWad = floored < WAD ? floored : WAD;
  const scaled = baseRateWad * MAX_RATE_MULTIPLE;
  const capacity = Math.min(1, SINGLE_EVENT_LOSS_BUDGET / shareQuantile(model, limit, 0.99));
  return {
    capacityWad: fractionToWadBps(capacity, false),
    baseRateWad,
    kinkWad: KINK_BY_PROBABILITY.find((tier) => probability < tier.belowProbability)!.kinkWad,
    maxRateWad: scaled < WAD ? scaled : WAD,
  };
}
