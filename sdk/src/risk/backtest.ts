/**
 * Out-of-sample check: fit on one incident list, score on another (e.g. fit on the years up to Y, score on later ones).
 *
 * - Severity: the share of the test list's dollar losses at or below the fitted median and 90th percentile. A
 *   calibrated fit scores about 50% and 90%; more means the fit over-states losses, less that it under-states them.
 * - Frequency: the incidents per year the fit predicts (its window's average) against the test list's count per
 *   calendar year it spans.
 *
 * @packageDocumentation
 */
import { fitCalibration, type Calibration } from "./calibration.js";
import { calendarYearsSpanned } from "./frequency.js";
import { dollarLosses, type Incident } from "./incidents.js";
import { severityQuantile } from "./severityModel.js";

export type Backtest = {
  calibration: Calibration;
  /** Fitted median and 90th percentile of one loss, dollars. */
  fittedMedianUsd: number;
  fittedP90Usd: number;
  /** Test dollar losses scored. */
  testLosses: number;
  /** Shares of them at or below the fitted median and 90th percentile. */
  coverageP50: number;
  coverageP90: number;
  predictedPerYear: number;
  observedPerYear: number;
  testFromYear: number;
  testToYear: number;
};

/** Share of `values` at or below `bound`. */
export function shareAtOrBelow(values: readonly number[], bound: number): number {
  return values.length === 0 ? NaN : values.filter((value) => value <= bound).length / values.length;
}

/** Fits on `train`, scores on `test`. */
export function backtest(train: readonly Incident[], test: readonly Incident[]): Backtest {
  const calibration = fitCalibration(train);
  const model = calibration.severity.chosen;
  const fittedMedianUsd = severityQuantile(model, 0.5);
  const fittedP90Usd = severityQuantile(model, 0.9);
  const losses = dollarLosses(test);
  const span = calendarYearsSpanned(test);
  return {
    calibration,
    fittedMedianUsd,
    fittedP90Usd,
    testLosses: losses.length,
    coverageP50: shareAtOrBelow(losses, fittedMedianUsd),
    coverageP90: shareAtOrBelow(losses, fittedP90Usd),
    predictedPerYear: calibration.frequency.perYear,
    observedPerYear: test.length / span.years,
    testFromYear: span.fromYear,
    testToYear: span.toYear,
  };
}
