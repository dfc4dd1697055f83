/**
 * The heavy-tailed alternative: a lognormal body spliced to a Pareto tail above a threshold `u`.
 *
 * - Tail: the largest `k` losses, those above `u`, follow `P(L > x | L > u) = (u/x)^alpha`; `alpha` is the Hill
 *   estimator `k / Σ ln(x_i / u)`, the maximum-likelihood estimate of a Pareto index given `u`.
 * - Body: below `u`, a lognormal truncated to `(0, u]` and scaled to weight `1 - w`, fitted by maximum likelihood to
 *   the losses at or below `u` (Nelder-Mead from the whole-sample fit: the truncated likelihood has no closed form).
 * - `w = k / n`, the maximum-likelihood weight of the tail.
 *
 * @packageDocumentation
 */
import { InvalidArgument } from "../core/errors.js";
import { fitLognormal, lognormalCdf, lognormalLogPdf, lognormalPartialMean, lognormalQuantile, type Lognormal } from "./lognormal.js";
import { nelderMead } from "./nelderMead.js";

/** A lognormal body below `threshold` and a Pareto tail above it. */
export type ParetoTailed = {
  kind: "lognormal-pareto-tail";
  /** The body's lognormal, before truncation at `threshold`. */
  body: Lognormal;
  /** `u`: losses above it follow the Pareto tail. */
  threshold: number;
  /** `w`: probability of a loss above `u`. */
  tailWeight: number;
  /** `alpha`: the Pareto index; the mean is infinite for `alpha <= 1`. */
  tailIndex: number;
};

/**
 * The share of losses treated as the tail. Hill-estimator practice takes the top 5-20% of a sample (Embrechts,
 * Klüppelberg & Mikosch, *Modelling Extremal Events*, §6.4); with a few hundred losses the top 20% still leaves
 * only dozens of points, so the upper end of that range keeps the index's standard error (`alpha / √k`) near 15%.
 */
export const TAIL_SHARE = 0.2;

/** Fewer exceedances than this and the Hill estimate is noise: no tail fit is attempted. */
export const MIN_TAIL_POINTS = 5;

/**
 * Hill estimator of a Pareto index over a threshold.
 *
 * @param exceedances - Losses strictly above `threshold`.
 * @returns `k / Σ ln(x_i / u)`.
 */
export function hillEstimator(exceedances: readonly number[], threshold: number): number {
  const logExcess = exceedances.reduce((sum, loss) => sum + Math.log(loss / threshold), 0);
  if (exceedances.length === 0 || !(logExcess > 0)) throw new InvalidArgument("exceedances", "must hold losses above the threshold");
  return exceedances.length / logExcess;
}

/**
 * Fits the spliced model with the threshold at the order statistic below the top {@link TAIL_SHARE} of the losses.
 *
 * @returns The fit, or `undefined` if fewer than {@link MIN_TAIL_POINTS} losses lie above the threshold.
 */
export function fitParetoTailed(losses: readonly number[]): ParetoTailed | undefined {
  const sorted = [...losses].sort((a, b) => a - b);
  const wanted = Math.ceil(TAIL_SHARE * sorted.length);
  const threshold = sorted[sorted.length - wanted - 1];
  if (threshold === undefined) return undefined;
  // Ties at the threshold stay in the body: the tail holds the losses strictly above it.
  const exceedances = sorted.filter((loss) => loss > threshold);
  if (exceedances.length < MIN_TAIL_POINTS) return undefined;
  const body = fitTruncatedLognormal(sorted.slice(0, sorted.length - exceedances.length), threshold);
  return {
    kind: "lognormal-pareto-tail",
    body,
    threshold,
    tailWeight: exceedances.length / sorted.length,
    tailIndex: hillEstimator(exceedances, threshold),
  };
}

/**
 * Maximum-likelihood lognormal of losses known to lie in `(0, u]`: maximises
 * `Σ ln f(x_i) - n ln F(u)` over `(mu, ln sigma)` (the log keeps sigma positive).
 */
export function fitTruncatedLognormal(bodyLosses: readonly number[], threshold: number): Lognormal {
  const start = fitLognormal(bodyLosses);
  const negativeLogLikelihood = ([mu, logSigma]: number[]) => {
    const model: Lognormal = { kind: "lognormal", mu: mu!, sigma: Math.exp(logSigma!) };
    const mass = lognormalCdf(model, threshold);
    if (!(mass > 0)) return Infinity;
    return -bodyLosses.reduce((sum, loss) => sum + lognormalLogPdf(model, loss), 0) + bodyLosses.length * Math.log(mass);
  };
  const [mu, logSigma] = nelderMead(negativeLogLikelihood, [start.mu, Math.log(start.sigma)], NELDER_MEAD_STEP);
  return { kind: "lognormal", mu: mu!, sigma: Math.exp(logSigma!) };
}

/** Initial simplex step: half a unit of log-dollars in mu and in ln sigma, the scale the data's fits move on. */
const NELDER_MEAD_STEP = 0.5;

/** `ln f(x)`: `ln((1-w) f_body(x) / F_body(u))` up to `u`, `ln(w alpha u^alpha / x^(alpha+1))` above. */
export function paretoTailedLogPdf(model: ParetoTailed, x: number): number {
  const { body, threshold, tailWeight, tailIndex } = model;
  if (x <= threshold) return Math.log(1 - tailWeight) + lognormalLogPdf(body, x) - Math.log(lognormalCdf(body, threshold));
  return Math.log(tailWeight) + Math.log(tailIndex) + tailIndex * Math.log(threshold) - (tailIndex + 1) * Math.log(x);
}

/** `F(x)`: `(1-w) F_body(x) / F_body(u)` up to `u`, `1 - w (u/x)^alpha` above. */
export function paretoTailedCdf(model: ParetoTailed, x: number): number {
  const { body, threshold, tailWeight, tailIndex } = model;
  if (x <= threshold) return ((1 - tailWeight) * lognormalCdf(body, x)) / lognormalCdf(body, threshold);
  return 1 - tailWeight * (threshold / x) ** tailIndex;
}

/** `F⁻¹(p)`: in the body for `p <= 1 - w`, else `u (w / (1-p))^(1/alpha)`. */
export function paretoTailedQuantile(model: ParetoTailed, probability: number): number {
  const { body, threshold, tailWeight, tailIndex } = model;
  if (probability <= 1 - tailWeight) {
    return lognormalQuantile(body, (probability * lognormalCdf(body, threshold)) / (1 - tailWeight));
  }
  return threshold * (tailWeight / (1 - probability)) ** (1 / tailIndex);
}

/**
 * `E[min(L, m)] = ∫₀^m (1 - F(x)) dx`. Up to `u` the integral of the body's CDF is closed-form,
 * `∫₀^a F_body = a F_body(a) - E[L_body; L_body <= a]`; above it `∫_u^m w (u/x)^alpha dx` is
 * `w u^alpha (m^(1-alpha) - u^(1-alpha)) / (1 - alpha)`, or `w u ln(m/u)` at `alpha = 1`.
 */
export function paretoTailedLimitedMean(model: ParetoTailed, limit: number): number {
  const { body, threshold, tailWeight, tailIndex } = model;
  if (limit <= 0) return 0;
  const upTo = Math.min(limit, threshold);
  const integralOfBodyCdf = upTo * lognormalCdf(body, upTo) - lognormalPartialMean(body, upTo);
  const bodyPart = upTo - ((1 - tailWeight) / lognormalCdf(body, threshold)) * integralOfBodyCdf;
  if (limit <= threshold) return bodyPart;
  const tailPart =
    tailIndex === 1
      ? tailWeight * threshold * Math.log(limit / threshold)
      : (tailWeight * threshold ** tailIndex * (limit ** (1 - tailIndex) - threshold ** (1 - tailIndex))) / (1 - tailIndex);
  return bodyPart + tailPart;
}
