/**
 * `assessRisk(profile)`: a protocol's risk facts in, failure probability, severity, expected loss and a recommended
 * rate curve out, with a breakdown in words and numbers.
 *
 * @packageDocumentation
 */
import { InvalidArgument } from "../core/errors.js";
import type { Calibration } from "./calibration.js";
import { DEFAULT_CALIBRATION } from "./defaultCalibration.js";
import { failureProbability, type FailureProbability } from "./failureModel.js";
import { COST_OF_CAPITAL_RATE, rateComponents, recommendTerms, type ProductTerms, type RateComponents } from "./pricing.js";
import { dayNumber, validateProfile, type ProtocolProfile } from "./profile.js";
import { severityShare, type SeverityShare } from "./severityShare.js";

export type AssessOptions = {
  /** `YYYY-MM-DD` of the assessment (default: today, UTC). Ages and audit staleness are measured to it. */
  asOf?: string;
  /** The fit to use (default: the shipped data's, {@link DEFAULT_CALIBRATION}). */
  calibration?: Calibration;
  /** The product's `minRateWad`: the recommended base rate never goes below it. */
  minRateWad?: bigint;
};

export type RiskAssessment = {
  profile: ProtocolProfile;
  asOf: string;
  failure: FailureProbability;
  severity: SeverityShare & { model: Calibration["severity"]["chosen"]["kind"] };
  /** `p E[S]`: expected loss per unit of cover per year. */
  expectedLossPerYear: number;
  rate: RateComponents;
  terms: ProductTerms;
  /** The breakdown, one line per step, in words and numbers. */
  explanation: string[];
};

const percent = (value: number, digits = 2) => `${(value * 100).toFixed(digits)}%`;

/**
 * Assesses a profile.
 *
 * @param profile - A {@link ProtocolProfile}, or any parsed JSON (it is validated).
 * @throws {@link InvalidArgument} for a malformed profile, or a launch date after `asOf`.
 */
export function assessRisk(profile: unknown, options: AssessOptions = {}): RiskAssessment {
  const valid = validateProfile(profile);
  const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
  if (Number.isNaN(dayNumber(asOf))) throw new InvalidArgument("asOf", `must be a YYYY-MM-DD date (got ${JSON.stringify(asOf)})`);
  if (dayNumber(valid.launchDate) > dayNumber(asOf)) throw new InvalidArgument("profile.launchDate", `is after the assessment date ${asOf}`);
  const calibration = options.calibration ?? DEFAULT_CALIBRATION;
  const model = calibration.severity.chosen;

  const failure = failureProbability(valid, calibration, asOf);
  const share = severityShare(model, valid.tvlUsd);
  const limit = share.effectiveLimitUsd;
  const rate = rateComponents({ ...failure, category: valid.category, model, limit });
  const terms = recommendTerms({ modelRate: rate.modelRate, probability: failure.probability, model, limit, minRateWad: options.minRateWad });

  const { chain } = failure;
  const explanation = [
    `base rate: ${chain.incidentsPerYear.toFixed(1)} incidents/yr on ${chain.pooled ? "the listed chains (pooled)" : valid.chain} ` +
      `in ${calibration.frequency.fromYear}-${calibration.frequency.toYear} over ${chain.liveProtocols} live protocols ` +
      `(outside figure, DefiLlama) = ${percent(chain.rate)} a year per protocol`,
    ...failure.factors.map(
      (factor) =>
        `${factor.factor}: ${factor.fact} → ×${factor.multiplier.toFixed(2)} on ${factor.appliesTo === "all" ? "all attacks" : `${factor.appliesTo} attacks`}` +
        ` (rate ×${factor.effect.toFixed(2)}): ${factor.reason}`,
    ),
    `prior failure rate ${percent(failure.priorRate)} a year; own record: ${failure.pastIncidents} incident(s) in ` +
      `${failure.exposureYears.toFixed(1)} years → posterior ${percent(failure.rate)} a year`,
    `failure within a year: ${percent(failure.probability)} (90% interval ${percent(failure.interval[0])} to ${percent(failure.interval[1])})`,
    `severity: one exploit takes on average ${percent(share.mean)} of covered value (median ${percent(share.median)}, ` +
      `90th pct ${percent(share.p90)}, 99th pct ${percent(share.p99)}, total loss ${percent(share.totalLossProbability)}) ` +
      `at TVL $${Math.round(valid.tvlUsd).toLocaleString("en-US")} (${model.kind} fit)`,
    `expected loss ${percent(rate.expectedLoss, 3)} + uncertainty ${percent(rate.uncertaintyLoading, 3)} + correlation ` +
      `${percent(rate.correlationLoading, 3)} + capital ${percent(rate.capitalCost, 3)} (${percent(COST_OF_CAPITAL_RATE, 0)} on ` +
      `${percent(rate.capitalPerCover)} held) ` +
      `= model rate ${percent(rate.modelRate, 3)} a year`,
  ];
  return {
    profile: valid,
    asOf,
    failure,
    severity: { ...share, model: model.kind },
    expectedLossPerYear: rate.expectedLoss,
    rate,
    terms,
    explanation,
  };
}
