/**
 * Nelder-Mead simplex minimisation (Nelder & Mead 1965, with the standard coefficients: reflection 1, expansion 2,
 * contraction 1/2, shrink 1/2). Derivative-free and deterministic: enough for the two-parameter likelihood of the
 * truncated lognormal body, which has no closed-form maximum.
 *
 * @packageDocumentation
 */

/** Iterations at most; a two-parameter problem converges in well under a hundred. */
const MAX_ITERATIONS = 2_000;
/** Stop once the simplex's values differ by less than this (absolute, in log-likelihood units here). */
const VALUE_TOLERANCE = 1e-12;

/**
 * Minimises `objective` from `start`, with an initial simplex stepped by `step` along each axis.
 *
 * @returns The best point found.
 */
export function nelderMead(objective: (point: number[]) => number, start: readonly number[], step: number): number[] {
  const dimension = start.length;
  let simplex = [start.slice(), ...start.map((_, axis) => start.map((value, index) => (index === axis ? value + step : value)))];
  let values = simplex.map(objective);
  const combine = (a: number[], b: number[], weight: number) => a.map((value, index) => value + weight * (b[index]! - value));
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const order = values.map((_, index) => index).sort((a, b) => values[a]! - values[b]!);
    simplex = order.map((index) => simplex[index]!);
    values = order.map((index) => values[index]!);
    if (values[dimension]! - values[0]! < VALUE_TOLERANCE) break;
    const centroid = start.map((_, axis) => simplex.slice(0, dimension).reduce((sum, point) => sum + point[axis]!, 0) / dimension);
    const worst = simplex[dimension]!;
    const reflected = combine(centroid, worst, -1);
    const reflectedValue = objective(reflected);
    if (reflectedValue < values[0]!) {
      const expanded = combine(centroid, worst, -2);
      const expandedValue = objective(expanded);
      [simplex[dimension], values[dimension]] = expandedValue < reflectedValue ? [expanded, expandedValue] : [reflected, reflectedValue];
    } else if (reflectedValue < values[dimension - 1]!) {
      [simplex[dimension], values[dimension]] = [reflected, reflectedValue];
    } else {
      const contracted = combine(centroid, worst, 0.5);
      const contractedValue = objective(contracted);
      if (contractedValue < values[dimension]!) {
        [simplex[dimension], values[dimension]] = [contracted, contractedValue];
      } else {
        simplex = simplex.map((point) => combine(simplex[0]!, point, 0.5));
        values = simplex.map(objective);
      }
    }
  }
  return simplex[values.indexOf(Math.min(...values))]!;
}
