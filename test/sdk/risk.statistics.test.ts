/**
 * The risk model's statistics, each against a case computed by hand (or with Python's `math.erfc`, independently of
 * this code): special functions, the lognormal and Pareto-tailed fits and their CDFs, quantiles, limited expected
 * values, the comparison criteria, and the choice between the candidates.
 */
import { expect } from "chai";

import {
  aic,
  fitLognormal,
  fitParetoTailed,
  fitSeverity,
  fitTruncatedLognormal,
  gammaQuantile,
  hillEstimator,
  InvalidArgument,
  ksStatistic,
  logGamma,
  logLikelihood,
  lognormalCdf,
  lognormalLimitedMean,
  lognormalLogPdf,
  lognormalQuantile,
  nelderMead,
  normalCdf,
  normalQuantile,
  paretoTailedCdf,
  paretoTailedLimitedMean,
  paretoTailedLogPdf,
  paretoTailedQuantile,
  regularizedGammaP,
  type Lognormal,
  type ParetoTailed,
} from "../../sdk/src/risk/index.js";

const close = (actual: number, expected: number, tolerance = 1e-12) =>
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).to.be.at.most(tolerance * Math.max(1, Math.abs(expected)));

const STANDARD: Lognormal = { kind: "lognormal", mu: 0, sigma: 1 };
/** Body N(0,1) in logs, threshold 1 (its median), half the mass in a Pareto tail of index 2. */
const SPLICED: ParetoTailed = { kind: "lognormal-pareto-tail", body: STANDARD, threshold: 1, tailWeight: 0.5, tailIndex: 2 };

describe("risk model statistics", () => {
  describe("special functions", () => {
    it("log-gamma: ln Γ(5) = ln 24, ln Γ(1/2) = ln √π, ln Γ(1) = 0", () => {
      close(logGamma(5), Math.log(24));
      close(logGamma(0.5), Math.log(Math.sqrt(Math.PI)));
      close(logGamma(1), 0);
    });

    it("regularized incomplete gamma: P(1, x) = 1 - e^-x, P(2, x) = 1 - e^-x (1 + x), on both sides of x = a + 1", () => {
      for (const x of [0.1, 1, 2, 5, 30]) {
        close(regularizedGammaP(1, x), 1 - Math.exp(-x));
        close(regularizedGammaP(2, x), 1 - Math.exp(-x) * (1 + x));
      }
      expect(regularizedGammaP(3, 0)).to.equal(0);
    });

    it("gamma quantile inverts the CDF: exponential median ln 2 / rate, Gamma(2, 1) 95% = 4.743864518...", () => {
      close(gammaQuantile(0.5, 1, 2), Math.LN2 / 2);
      close(gammaQuantile(0.95, 2, 1), 4.743864518390566, 1e-12);
      close(regularizedGammaP(2.5, gammaQuantile(0.3, 2.5, 7) * 7), 0.3);
    });

    it("normal CDF and quantile: Φ(0) = 1/2, Φ(-1) = 0.158655..., Φ(-10) = 7.6198530e-24, Φ⁻¹(0.975) = 1.959963984540054", () => {
      expect(normalCdf(0)).to.equal(0.5);
      close(normalCdf(-1), 0.15865525393145707);
      close(normalCdf(1), 0.8413447460685429);
      close(normalCdf(-10), 7.619853024160527e-24, 1e-10);
      close(normalQuantile(0.975), 1.959963984540054, 1e-12);
      close(normalQuantile(0.25), -0.6744897501960817, 1e-12);
    });
  });

  describe("lognormal", () => {
    it("maximum likelihood: losses 1 and e² give mu = 1, sigma = 1 (population, not sample, deviation)", () => {
      const fit = fitLognormal([1, Math.exp(2)]);
      close(fit.mu, 1);
      close(fit.sigma, 1);
    });

    it("refuses fewer than two losses, non-positive ones and no spread", () => {
      expect(() => fitLognormal([5])).to.throw(InvalidArgument, "at least 2");
      expect(() => fitLognormal([5, 0])).to.throw(InvalidArgument, "positive");
      expect(() => fitLognormal([5, 5])).to.throw(InvalidArgument, "all equal");
    });

    it("log-density, CDF and quantile of the standard lognormal", () => {
      close(lognormalLogPdf(STANDARD, 1), -0.5 * Math.log(2 * Math.PI));
      close(lognormalLogPdf(STANDARD, Math.E), -1 - 0.5 * Math.log(2 * Math.PI) - 0.5);
      close(lognormalCdf(STANDARD, Math.E), 0.8413447460685429);
      expect(lognormalCdf(STANDARD, 0)).to.equal(0);
      close(lognormalQuantile(STANDARD, 0.975), Math.exp(1.959963984540054), 1e-12);
    });

    it("limited expected value: E[min(L, 1)] = e^0.5 Φ(-1) + 1/2 = 0.7615782918651235, and the mean e^0.5 far out", () => {
      close(lognormalLimitedMean(STANDARD, 1), 0.7615782918651235);
      close(lognormalLimitedMean(STANDARD, 1e12), Math.exp(0.5));
      expect(lognormalLimitedMean(STANDARD, 0)).to.equal(0);
    });
  });

  describe("Pareto-tailed (lognormal body, Pareto tail)", () => {
    it("Hill estimator: exceedances 2 and 4 over 1 give 2 / (ln 2 + ln 4) = 0.9617966939259757", () => {
      close(hillEstimator([2, 4], 1), 0.9617966939259757);
      expect(() => hillEstimator([], 1)).to.throw(InvalidArgument);
    });

    it("CDF: (1-w) F_body(x)/F_body(u) in the body, 1 - w (u/x)^alpha above", () => {
      close(paretoTailedCdf(SPLICED, 1), 0.5);
      close(paretoTailedCdf(SPLICED, 2), 0.875);
      close(paretoTailedCdf(SPLICED, Math.exp(-1)), 0.15865525393145707);
    });

    it("quantile inverts the CDF on both pieces", () => {
      close(paretoTailedQuantile(SPLICED, 0.875), 2);
      close(paretoTailedQuantile(SPLICED, 0.25), 0.5094162838632775, 1e-12);
    });

    it("log-density: ln(w alpha u^alpha / x^(alpha+1)) above u, ln((1-w) f_body / F_body(u)) below", () => {
      close(paretoTailedLogPdf(SPLICED, 2), Math.log(0.125));
      close(paretoTailedLogPdf(SPLICED, 1), -0.5 * Math.log(2 * Math.PI));
    });

    it("limited expected value: body part 0.7615782918651235 up to u = 1, plus the tail's 0.25 up to 2", () => {
      close(paretoTailedLimitedMean(SPLICED, 1), 0.7615782918651235);
      close(paretoTailedLimitedMean(SPLICED, 2), 1.0115782918651235);
      // alpha = 1: the tail integral is w u ln(m/u).
      close(paretoTailedLimitedMean({ ...SPLICED, tailIndex: 1 }, Math.E), 0.7615782918651235 + 0.5);
    });

    it("fit: threshold below the top 20%, tail weight k/n, Hill index over it, body fitted to the rest", () => {
      // 25 losses 1..25: the top 5 (21..25) form the tail, the threshold is the 20th, 20.
      const losses = Array.from({ length: 25 }, (_, index) => index + 1);
      const fit = fitParetoTailed(losses)!;
      expect(fit.threshold).to.equal(20);
      expect(fit.tailWeight).to.equal(0.2);
      close(fit.tailIndex, 5 / [21, 22, 23, 24, 25].reduce((sum, loss) => sum + Math.log(loss / 20), 0));
      // Fewer than 5 exceedances: no tail fit.
      expect(fitParetoTailed(losses.slice(0, 20))).to.equal(undefined);
    });

    it("truncated body: the Nelder-Mead optimum beats every nearby point of the truncated likelihood", () => {
      const body = [1, 2, 3, 5, 8, 13, 21];
      const fit = fitTruncatedLognormal(body, 25);
      const objective = (mu: number, sigma: number) => {
        const model: Lognormal = { kind: "lognormal", mu, sigma };
        return body.reduce((sum, loss) => sum + lognormalLogPdf(model, loss), 0) - body.length * Math.log(lognormalCdf(model, 25));
      };
      const best = objective(fit.mu, fit.sigma);
      for (const [dMu, dSigma] of [[1e-3, 0], [-1e-3, 0], [0, 1e-3], [0, -1e-3]] as const) {
        expect(objective(fit.mu + dMu, fit.sigma + dSigma)).to.be.below(best);
      }
    });
  });

  describe("criteria and choice", () => {
    it("Nelder-Mead finds the minimum of (x-1)² + (y+2)²", () => {
      const [x, y] = nelderMead(([a, b]) => (a! - 1) ** 2 + (b! + 2) ** 2, [0, 0], 0.5);
      close(x!, 1, 1e-6);
      close(y!, -2, 1e-6);
    });

    it("log-likelihood and AIC = 2k - 2 ln L (k = 2 for the lognormal, 5 for the Pareto-tailed)", () => {
      close(logLikelihood(STANDARD, [1, 1]), -Math.log(2 * Math.PI));
      close(aic(STANDARD, [1, 1]), 4 + 2 * Math.log(2 * Math.PI));
      close(aic(SPLICED, [2]), 10 - 2 * Math.log(0.125));
    });

    it("Kolmogorov-Smirnov: one loss at the median is 1/2 away on both sides of its jump; ties jump together", () => {
      expect(ksStatistic(STANDARD, [1])).to.equal(0.5);
      // Losses 1, 1, e: F = 0.5, 0.5, 0.8413; the empirical CDF jumps 0 → 2/3 at 1 and 2/3 → 1 at e.
      close(ksStatistic(STANDARD, [1, 1, Math.E]), Math.max(0.5, 2 / 3 - 0.5, 1 - 0.8413447460685429, 0.8413447460685429 - 2 / 3));
    });

    it("keeps the lower AIC: lognormal quantiles choose the lognormal, Pareto quantiles the Pareto tail", () => {
      const n = 200;
      const grid = Array.from({ length: n }, (_, index) => (index + 0.5) / n);
      const lognormalSample = grid.map((p) => Math.exp(10 + 2 * normalQuantile(p)));
      const paretoSample = grid.map((p) => 1000 * (1 - p) ** (-1 / 0.7));
      for (const [sample, kind] of [[lognormalSample, "lognormal"], [paretoSample, "lognormal-pareto-tail"]] as const) {
        const fit = fitSeverity(sample);
        expect(fit.chosen.kind).to.equal(kind);
        expect(fit.candidates).to.have.length(2);
        const [first, second] = fit.candidates;
        expect(fit.chosen).to.equal(first!.aic <= second!.aic ? first!.model : second!.model);
        expect(fit.count).to.equal(n);
      }
    });
  });
});
