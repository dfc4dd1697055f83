/**
 * The lognormal severity distribution: `ln L ~ Normal(mu, sigma²)`. Its maximum-likelihood fit is closed-form (the
 * mean and the population standard deviation of the log losses), and so is its limited expected value.
 *
 * @packageDocumentation
 */
import { InvalidArgument } from "../core/errors.js";
import { normalCdf, normalQuantile } from "./specialFunctions.js";

/** A lognormal distribution of losses in dollars. */
export type Lognormal = {
  kind: "lognormal";
  /** Mean of `ln L`. */
  mu: number;
  /** Standard deviation of `ln L`, > 0. */
  sigma: number;
};

/**
 * Maximum-likelihood lognormal: `mu = mean(ln x)`, `sigma² = mean((ln x - mu)²)` (the MLE divides by n, not n - 1).
 *
 * @param losses - At least two positive losses, not all equal.
 */
export function fitLognormal(losses: readonly number[]): Lognormal {
  if (losses.length < 2) throw new InvalidArgument("losses", `holds ${losses.length} value(s): a fit needs at least 2`);
  if (losses.some((loss) => !(loss > 0) || !Number.isFinite(loss))) throw new InvalidArgument("losses", "must all be positive and finite");
  const logs = losses.map(Math.log);
  const mu = logs.reduce((sum, value) => sum + value, 0) / logs.length;
  const variance = logs.reduce((sum, value) => sum + (value - mu) ** 2, 0) / logs.length;
  if (!(variance > 0)) throw new InvalidArgument("losses", "are all equal: no spread to fit");
  return { kind: "lognormal", mu, sigma: Math.sqrt(variance) };
}

/** `ln f(x) = -ln x - ln sigma - ln(2π)/2 - (ln x - mu)² / (2 sigma²)`. */
export function lognormalLogPdf({ mu, sigma }: Lognormal, x: number): number {
  const z = (Math.log(x) - mu) / sigma;
  return -Math.log(x) - Math.log(sigma) - 0.5 * Math.log(2 * Math.PI) - 0.5 * z * z;
}

/** `F(x) = Φ((ln x - mu) / sigma)`, 0 at and below 0. */
export function lognormalCdf({ mu, sigma }: Lognormal, x: number): number {
  return x <= 0 ? 0 : normalCdf((Math.log(x) - mu) / sigma);
}

/** `F⁻¹(p) = exp(mu + sigma Φ⁻¹(p))`. */
export function lognormalQuantile({ mu, sigma }: Lognormal, probability: number): number {
  return Math.exp(mu + sigma * normalQuantile(probability));
}

/**
 * `E[min(L, m)] = e^{mu + sigma²/2} Φ((ln m - mu - sigma²)/sigma) + m (1 - Φ((ln m - mu)/sigma))`: the expected
 * loss when no more than `m` can be lost (Klugman, Panjer & Willmot, *Loss Models*, appendix A.4.1.1).
 */
export function lognormalLimitedMean(model: Lognormal, limit: number): number {
  if (limit <= 0) return 0;
  return lognormalPartialMean(model, limit) + limit * (1 - lognormalCdf(model, limit));
}

/** `E[L; L <= a] = e^{mu + sigma²/2} Φ((ln a - mu - sigma²)/sigma)`: the part of the mean from losses up to `a`. */
export function lognormalPartialMean({ mu, sigma }: Lognormal, upTo: number): number {
  if (upTo <= 0) return 0;
  return Math.exp(mu + (sigma * sigma) / 2) * normalCdf((Math.log(upTo) - mu - sigma * sigma) / sigma);
}
