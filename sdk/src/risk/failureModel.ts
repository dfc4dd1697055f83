/**
 * The annual failure probability: a prior rate from the calibrated frequency and the profile's factors, updated with
 * the protocol's own record in a Poisson-gamma model.
 *
 * - Prior rate `λ0 = chain rate × Σ_types share_t × Π(factors acting on t)`, where the chain rate is incidents per
 *   year per live protocol and `share_t` the attack-type mix of the calibration window.
 * - Uncertainty: `λ ~ Gamma(shape a0, rate a0/λ0)` (mean λ0). With `k` past incidents over `t` years live the
 *   posterior is `Gamma(a0 + k, a0/λ0 + t)` (Bühlmann credibility's conjugate case).
 * - Failure within the year: `p = 1 - E[e^{-λ}] = 1 - (b / (b + 1))^a` for a posterior `Gamma(a, b)`, with an interval
 *   from the posterior's quantiles, `1 - e^{-λ_q}`.
 *
 * @packageDocumentation
 */
import type { Calibration } from "./calibration.js";
import { chainRate, type ChainRate } from "./frequency.js";
import { attackGroup, frequencyFactors, yearsBetween, type AttackGroup, type FrequencyFactor } from "./frequencyFactors.js";
import type { ProtocolProfile } from "./profile.js";
import { gammaQuantile } from "./specialFunctions.js";

/**
 * Prior shape `a0`: the prior weighs as much as `a0` observed incidents. 2 says the factor model is known to within a
 * factor of about 5 either way (the 5%-95% range of Gamma(2) runs from 0.18 to 2.37 times its mean), which is as
 * much as coarse judgemental multipliers deserve; one past exploit then moves the rate by half again.
 */
export const PRIOR_SHAPE = 2;

/** The interval reported around the failure probability: the posterior's 5% and 95% quantiles. */
export const INTERVAL_QUANTILES = [0.05, 0.95] as const;

/** One attack type's part of the prior rate. */
export type AttackTypeShare = {
  attackType: string;
  group: AttackGroup;
  /** Share of the calibration window's incidents. */
  share: number;
  /** Product of the factors acting on its group (excluding those on all types). */
  multiplier: number;
};

/** A factor with its effect on the whole prior rate: `λ0 / λ0 without this factor`. */
export type FactorEffect = FrequencyFactor & { effect: number };

export type FailureProbability = {
  chain: ChainRate;
  attackTypes: AttackTypeShare[];
  factors: FactorEffect[];
  /** λ0, failures per year before the protocol's own record. */
  priorRate: number;
  /** Years live (the exposure of the record) and incidents in it. */
  exposureYears: number;
  pastIncidents: number;
  /** Posterior Gamma(shape, rate) of λ. */
  posteriorShape: number;
  posteriorRate: number;
  /** Posterior mean of λ. */
  rate: number;
  /** Probability of at least one failure within a year. */
  probability: number;
  /** [5%, 95%] interval of that probability. */
  interval: [number, number];
};

/** `1 - e^{-λ}`: probability of at least one failure in a year at rate λ. */
export const failureWithinYear = (rate: number) => -Math.expm1(-rate);

/** `1 - (b / (b + 1))^a`: `1 - E[e^{-λ}]` for `λ ~ Gamma(a, b)`. */
export const predictiveFailureProbability = (shape: number, rate: number) => 1 - (rate / (rate + 1)) ** shape;

/** Product of the multipliers of the factors acting on `target`. */
function productOf(factors: readonly FrequencyFactor[], target: AttackGroup | "all"): number {
  return factors.filter((factor) => factor.appliesTo === target).reduce((product, factor) => product * factor.multiplier, 1);
}

/** λ0 for a set of factors: `base × Π(all-type factors) × Σ share_t × Π(factors on t's group)`. */
function rateWith(base: number, shares: ReadonlyArray<{ group: AttackGroup; share: number }>, factors: readonly FrequencyFactor[]): number {
  const mixed = shares.reduce((sum, { group, share }) => sum + share * productOf(factors, group), 0);
  return base * productOf(factors, "all") * mixed;
}

/**
 * The failure probability of a profile.
 *
 * @param profile - A validated profile.
 * @param calibration - The fitted frequency (its chain counts and attack-type mix).
 * @param asOf - `YYYY-MM-DD` of the assessment.
 */
export function failureProbability(profile: ProtocolProfile, calibration: Calibration, asOf: string): FailureProbability {
  const { frequency } = calibration;
  const chain = chainRate(frequency, profile.chain);
  const factors = frequencyFactors(profile, asOf);
  const shares = Object.entries(frequency.perYearByAttackType).map(([attackType, perYear]) => ({
    attackType,
    group: attackGroup(attackType),
    share: perYear / frequency.perYear,
  }));
  const priorRate = rateWith(chain.rate, shares, factors);
  const exposureYears = Math.max(0, yearsBetween(profile.launchDate, asOf));
  const posteriorShape = PRIOR_SHAPE + profile.pastIncidents;
  const posteriorRate = PRIOR_SHAPE / priorRate + exposureYears;
  const [low, high] = INTERVAL_QUANTILES.map((q) => failureWithinYear(gammaQuantile(q, posteriorShape, posteriorRate)));
  return {
    chain,
    attackTypes: shares.map(({ attackType, group, share }) => ({
      attackType,
      group,
      share,
      multiplier: productOf(factors, group),
    })),
    factors: factors.map((factor) => ({
      ...factor,
      effect: priorRate / rateWith(chain.rate, shares, factors.filter((other) => other !== factor)),
    })),
    priorRate,
    exposureYears,
    pastIncidents: profile.pastIncidents,
    posteriorShape,
    posteriorRate,
    rate: posteriorShape / posteriorRate,
    probability: predictiveFailureProbability(posteriorShape, posteriorRate),
    interval: [low!, high!],
  };
}
