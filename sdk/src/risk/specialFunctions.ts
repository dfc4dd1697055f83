/**
 * The few special functions the risk model needs, in plain floating point: the log-gamma function, the regularized
 * incomplete gamma function (for the Poisson-gamma failure model), and the normal distribution (for the lognormal
 * severity). Written here rather than imported so the risk entry stays dependency-free and bundles for a browser.
 *
 * @packageDocumentation
 */

/** Lanczos coefficients for g = 7, n = 9 (Numerical Recipes 3rd ed. §6.1 / Godfrey): ~15 significant digits. */
const LANCZOS_G = 7;
const LANCZOS_COEFFICIENTS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** Iteration cap and relative tolerance of the incomplete-gamma series and continued fraction. */
const GAMMA_MAX_ITERATIONS = 10_000;
const GAMMA_EPSILON = 1e-16;
/** Smallest positive double divided by its epsilon: keeps Lentz's continued fraction away from a zero divisor. */
const TINY = 1e-300;

/**
 * `ln Γ(x)` for `x > 0` (Lanczos approximation, reflected below 0.5).
 *
 * @param x - A positive number.
 * @returns The natural logarithm of the gamma function at `x`.
 */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const shifted = x - 1;
  let sum = LANCZOS_COEFFICIENTS[0]!;
  for (let index = 1; index < LANCZOS_COEFFICIENTS.length; index++) {
    sum += LANCZOS_COEFFICIENTS[index]! / (shifted + index);
  }
  const t = shifted + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * The regularized lower incomplete gamma function `P(a, x) = γ(a, x) / Γ(a)`: the CDF at `x` of a gamma
 * distribution with shape `a` and rate 1. A series below `x = a + 1`, Lentz's continued fraction above
 * (Numerical Recipes §6.2), each accurate to about 1e-15.
 *
 * @param shape - `a > 0`.
 * @param x - `x >= 0`.
 */
export function regularizedGammaP(shape: number, x: number): number {
  return incompleteGamma(shape, x).lower;
}

/**
 * `P(a, x)` and `Q(a, x) = 1 - P(a, x)`, each computed directly where it is the small one, so a tail probability
 * near 1e-300 keeps its digits instead of vanishing in `1 - (1 - tiny)`.
 */
function incompleteGamma(shape: number, x: number): { lower: number; upper: number } {
  if (x <= 0) return { lower: 0, upper: 1 };
  const logPrefix = shape * Math.log(x) - x - logGamma(shape);
  if (x < shape + 1) {
    // Series: P = e^{-x} x^a / Γ(a) · Σ x^n / (a (a+1) ... (a+n)).
    let term = 1 / shape;
    let sum = term;
    for (let n = 1; n < GAMMA_MAX_ITERATIONS; n++) {
      term *= x / (shape + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * GAMMA_EPSILON) break;
    }
    const lower = Math.min(1, sum * Math.exp(logPrefix));
    return { lower, upper: 1 - lower };
  }
  // Continued fraction for Q = 1 - P (modified Lentz).
  let b = x + 1 - shape;
  let c = 1 / TINY;
  let d = 1 / b;
  let fraction = d;
  for (let n = 1; n < GAMMA_MAX_ITERATIONS; n++) {
    const an = -n * (n - shape);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    fraction *= delta;
    if (Math.abs(delta - 1) < GAMMA_EPSILON) break;
  }
  const upper = Math.min(1, Math.exp(logPrefix) * fraction);
  return { lower: 1 - upper, upper };
}

/** Bisection steps: 200 halvings take any bracket below one unit in the last place of a double. */
const BISECTION_STEPS = 200;

/**
 * Inverts an increasing function by bisection on `[low, high]`: slow but exact to the last bit and always
 * convergent, which matters more here than speed (a handful of calls per assessment).
 */
export function invertIncreasing(fn: (x: number) => number, target: number, low: number, high: number): number {
  let lo = low;
  let hi = high;
  for (let step = 0; step < BISECTION_STEPS && hi - lo > 0; step++) {
    const mid = lo + (hi - lo) / 2;
    if (mid === lo || mid === hi) break;
    if (fn(mid) < target) lo = mid;
    else hi = mid;
  }
  return lo + (hi - lo) / 2;
}

/**
 * Quantile of a gamma distribution with the given shape and rate (mean `shape / rate`).
 *
 * @param probability - In (0, 1).
 */
export function gammaQuantile(probability: number, shape: number, rate: number): number {
  // The upper bracket grows until it holds the quantile; the mean plus 50 standard deviations holds any p < 1 - 1e-12.
  let high = (shape + 50 * Math.sqrt(shape) + 50) / rate;
  while (regularizedGammaP(shape, high * rate) < probability) high *= 2;
  return invertIncreasing((x) => regularizedGammaP(shape, x * rate), probability, 0, high);
}

/**
 * Standard normal CDF `Φ(z)`, through `Φ(z) = (1 + sign(z) · P(1/2, z²/2)) / 2`, so it is as accurate as
 * {@link regularizedGammaP} (about 1e-15) without a separate error-function approximation.
 */
export function normalCdf(z: number): number {
  if (z === Infinity) return 1;
  if (z === -Infinity) return 0;
  const { lower, upper } = incompleteGamma(0.5, (z * z) / 2);
  // Φ(z) = 1/2 + P/2 above the mean; below it, Φ(z) = Q/2 keeps the far lower tail exact.
  return z >= 0 ? 0.5 + 0.5 * lower : 0.5 * upper;
}

/** Range searched by {@link normalQuantile}: Φ(±40) is 1 and 0 in double precision. */
const NORMAL_QUANTILE_BOUND = 40;

/**
 * Standard normal quantile `Φ⁻¹(p)`, by bisection on {@link normalCdf}.
 *
 * @param probability - In (0, 1).
 */
export function normalQuantile(probability: number): number {
  return invertIncreasing(normalCdf, probability, -NORMAL_QUANTILE_BOUND, NORMAL_QUANTILE_BOUND);
}
