/**
 * The severity model: the distribution of one exploit's loss in dollars. Two candidates are fitted to the same losses,
 * a lognormal and a lognormal body with a Pareto tail, and the one with the lower AIC is kept.
 *
 * **Criterion.** Akaike's information criterion, `AIC = 2k - 2 ln L̂` (k free parameters, `ln L̂` the maximised
 * log-likelihood): the candidates have different numbers of parameters, and AIC charges each extra one two units of
 * log-likelihood. The Pareto-tailed candidate counts five (`mu`, `sigma`, `u`, `w`, `alpha`: the threshold is chosen
 * from the data, so it is charged too), the lognormal two. The Kolmogorov-Smirnov distance is reported beside it as a
 * check on the whole curve, but does not decide.
 *
 * @packageDocumentation
 */
import { fitLognormal, lognormalCdf, lognormalLimitedMean, lognormalLogPdf, lognormalQuantile, type Lognormal } from "./lognormal.js";
import {
  fitParetoTailed,
  paretoTailedCdf,
  paretoTailedLimitedMean,
  paretoTailedLogPdf,
  paretoTailedQuantile,
  type ParetoTailed,
} from "./paretoTail.js";

/** A fitted distribution of one loss, in dollars. */
export type SeverityModel = Lognormal | ParetoTailed;

/** Free parameters of each candidate, for AIC. */
export const PARAMETER_COUNT: Record<SeverityModel["kind"], number> = { lognormal: 2, "lognormal-pareto-tail": 5 };

/** `ln f(x)`. */
export function severityLogPdf(model: SeverityModel, x: number): number {
  return model.kind === "lognormal" ? lognormalLogPdf(model, x) : paretoTailedLogPdf(model, x);
}

/** `P(L <= x)`. */
export function severityCdf(model: SeverityModel, x: number): number {
  return model.kind === "lognormal" ? lognormalCdf(model, x) : paretoTailedCdf(model, x);
}

/** The loss at or below which a share `probability` of losses falls. */
export function severityQuantile(model: SeverityModel, probability: number): number {
  return model.kind === "lognormal" ? lognormalQuantile(model, probability) : paretoTailedQuantile(model, probability);
}

/** `E[min(L, limit)]`: the mean loss when at most `limit` can be lost. */
export function severityLimitedMean(model: SeverityModel, limit: number): number {
  return model.kind === "lognormal" ? lognormalLimitedMean(model, limit) : paretoTailedLimitedMean(model, limit);
}

/** `Σ ln f(x_i)`. */
export function logLikelihood(model: SeverityModel, losses: readonly number[]): number {
  return losses.reduce((sum, loss) => sum + severityLogPdf(model, loss), 0);
}

/** `2k - 2 ln L̂`: lower is better. */
export function aic(model: SeverityModel, losses: readonly number[]): number {
  return 2 * PARAMETER_COUNT[model.kind] - 2 * logLikelihood(model, losses);
}

/**
 * Kolmogorov-Smirnov distance `sup |F(x) - F_n(x)|` between the model and the empirical CDF; at each sorted loss
 * `x_(i)` the empirical CDF jumps from `(i-1)/n` to `i/n` (ties jump together), so both sides of the jump are checked.
 */
export function ksStatistic(model: SeverityModel, losses: readonly number[]): number {
  const sorted = [...losses].sort((a, b) => a - b);
  const n = sorted.length;
  let distance = 0;
  for (let first = 0; first < n; ) {
    // A run of equal losses [first, last) is one jump of the empirical CDF, from first/n to last/n.
    let last = first + 1;
    while (last < n && sorted[last] === sorted[first]) last++;
    const fitted = severityCdf(model, sorted[first]!);
    distance = Math.max(distance, Math.abs(fitted - first / n), Math.abs(fitted - last / n));
    first = last;
  }
  return distance;
}

/** One candidate's fit and scores. */
export type SeverityCandidate = {
  model: SeverityModel;
  logLikelihood: number;
  aic: number;
  ks: number;
};

/** Both candidates, and the one kept. */
export type SeverityFit = {
  /** The candidate with the lower AIC. */
  chosen: SeverityModel;
  candidates: SeverityCandidate[];
  /** Losses fitted. */
  count: number;
};

/**
 * Fits both candidates to the losses and keeps the lower AIC (the lognormal wins ties and stands alone when too few
 * losses lie in the tail for a Pareto fit).
 *
 * @param losses - Positive dollar losses, at least two and not all equal.
 */
export function fitSeverity(losses: readonly number[]): SeverityFit {
  const candidates: SeverityCandidate[] = [];
  for (const model of [fitLognormal(losses), fitParetoTailed(losses)]) {
    if (model === undefined) continue;
    candidates.push({ model, logLikelihood: logLikelihood(model, losses), aic: aic(model, losses), ks: ksStatistic(model, losses) });
  }
  const best = candidates.reduce((kept, candidate) => (candidate.aic < kept.aic ? candidate : kept));
  return { chosen: best.model, candidates, count: losses.length };
}
