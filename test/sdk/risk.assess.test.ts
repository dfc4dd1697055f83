/**
 * The risk model from profile to curve, each formula against a hand-computed case: profile validation, the frequency
 * factors, the Poisson-gamma failure probability, severity as a share of covered value, the rate components, the
 * WAD curve, and `assessRisk` on the two worked profiles of docs/risk-model.md.
 */
import { readFileSync } from "node:fs";
import { expect } from "chai";

import {
  assessRisk,
  DEFAULT_CALIBRATION,
  effectiveLimit,
  expectedShortfall,
  failureProbability,
  failureWithinYear,
  fractionToWadBps,
  frequencyFactors,
  InvalidArgument,
  predictiveFailureProbability,
  rateComponents,
  recommendTerms,
  severityShare,
  shareUpperIntegral,
  validateProfile,
  type Calibration,
  type Lognormal,
  type ProtocolProfile,
} from "../../sdk/src/risk/index.js";

const close = (actual: number, expected: number, tolerance = 1e-12) =>
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).to.be.at.most(tolerance * Math.max(1, Math.abs(expected)));

const PERCENT = 10n ** 16n;

/** A profile on which every factor is neutral except upgradeability (×1.25 on admin attacks). */
const NEUTRAL: ProtocolProfile = {
  name: "Neutral",
  category: "lending",
  chain: "ethereum",
  launchDate: "2023-07-01",
  tvlUsd: 5_000_000,
  audits: { count: 1, lastAuditDate: "2024-06-01" },
  bugBountyUsd: 50_000,
  admin: { kind: "multisig" },
  upgradeability: "upgradeable",
  oracle: "feed",
  codeLines: 3000,
  pastIncidents: 0,
};
const AS_OF = "2025-01-01";

/** Losses in units of the reference TVL ($5M): at TVL $5M the share is min(1, L / 5M) with ln(L / 5M) ~ N(0, 1). */
const UNIT: Lognormal = { kind: "lognormal", mu: Math.log(5_000_000), sigma: 1 };
/** E[min(X, 1)] for ln X ~ N(0, 1): e^0.5 Φ(-1) + 1/2. */
const UNIT_SHARE_MEAN = 0.7615782918651235;

const readProfile = (name: string): unknown => JSON.parse(readFileSync(`docs/risk-model/${name}.json`, "utf8"));

describe("risk model assessment", () => {
  describe("profile", () => {
    it("accepts a complete profile, lower-casing the chain and dropping fields a kind does not use", () => {
      const input = { ...NEUTRAL, chain: "Ethereum", audits: { count: 0, lastAuditDate: "2024-01-01" } };
      expect(validateProfile(input)).to.deep.equal({ ...NEUTRAL, audits: { count: 0 } });
      expect(validateProfile({ ...NEUTRAL, admin: { kind: "timelock", timelockDelayHours: 48 } }).admin).to.deep.equal({
        kind: "timelock",
        timelockDelayHours: 48,
      });
    });

    it("names the first wrong field", () => {
      const cases: Array<[unknown, string]> = [
        [[], "profile must be an object"],
        [{ ...NEUTRAL, category: "casino" }, "profile.category must be one of lending, dex, yield, bridge, stablecoin, liquid-staking"],
        [{ ...NEUTRAL, launchDate: "2024-02-30" }, "profile.launchDate must be a YYYY-MM-DD date"],
        [{ ...NEUTRAL, tvlUsd: 0 }, "profile.tvlUsd must be a number >= 1"],
        [{ ...NEUTRAL, audits: { count: 1.5 } }, "profile.audits.count must be an integer >= 0"],
        [{ ...NEUTRAL, audits: { count: 2 } }, "profile.audits.lastAuditDate must be a YYYY-MM-DD date"],
        [{ ...NEUTRAL, admin: { kind: "timelock" } }, "profile.admin.timelockDelayHours must be a number >= 0"],
        [{ ...NEUTRAL, oracle: "magic" }, "profile.oracle must be one of none, feed, twap, spot"],
        [{ ...NEUTRAL, name: " " }, "profile.name must be a non-empty string"],
      ];
      for (const [input, message] of cases) expect(() => validateProfile(input), message).to.throw(InvalidArgument, message);
    });
  });

  describe("frequency factors", () => {
    it("the young yield aggregator: yield 1.5, age 2, one audit 1, no bounty 1.2, EOA 3, upgradeable 1.25, spot 3, 2,500 lines", () => {
      const factors = frequencyFactors(validateProfile(readProfile("yield-aggregator")), AS_OF);
      expect(factors.map(({ factor, multiplier, appliesTo }) => [factor, multiplier, appliesTo])).to.deep.equal([
        ["category", 1.5, "all"],
        ["age", 2, "all"],
        ["audits", 1, "code"],
        ["bug bounty", 1.2, "code"],
        ["admin", 3, "admin"],
        ["upgradeability", 1.25, "admin"],
        ["oracle", 3, "economic"],
        ["code size", Math.sqrt(2500 / 3000), "code"],
      ]);
      expect(factors[1]!.fact).to.equal("0.3 years live");
    });

    it("a stale audit keeps half its effect, a long timelock halves admin attacks, size is bounded", () => {
      const profile = {
        ...NEUTRAL,
        audits: { count: 2, lastAuditDate: "2022-07-01" },
        admin: { kind: "timelock" as const, timelockDelayHours: 48 },
        codeLines: 100_000,
        launchDate: "2019-01-01",
      };
      const byName = Object.fromEntries(frequencyFactors(profile, AS_OF).map((factor) => [factor.factor, factor.multiplier]));
      expect(byName).to.deep.include({ audits: Math.sqrt(0.75), admin: 0.5, "code size": 3, age: 0.5 });
      const short = frequencyFactors({ ...profile, admin: { kind: "timelock", timelockDelayHours: 24 } }, AS_OF);
      expect(short.find((factor) => factor.factor === "admin")!.multiplier).to.equal(0.75);
    });
  });

  describe("failure probability", () => {
    it("1 - e^-λ, and the gamma predictive 1 - (b/(b+1))^a = 81/1681 for a = 2, b = 40", () => {
      close(failureWithinYear(Math.LN2), 0.5);
      close(predictiveFailureProbability(2, 40), 81 / 1681);
    });

    it("prior λ0 = chain rate × Σ share × factors; posterior Gamma(2 + k, 2/λ0 + years); probability and interval", () => {
      const calibration: Calibration = {
        ...DEFAULT_CALIBRATION,
        frequency: {
          fromYear: 2023,
          toYear: 2024,
          perYear: 10,
          perYearByChain: { ethereum: 10 },
          perYearByAttackType: { "logic-error": 5, "access-control": 5 },
        },
      };
      const failure = failureProbability(NEUTRAL, calibration, AS_OF);
      // 10 a year over 1,300 protocols; half the attacks are admin ones, ×1.25 for upgradeability.
      const prior = (10 / 1300) * (0.5 + 0.5 * 1.25);
      close(failure.priorRate, prior);
      close(failure.priorRate, 0.008653846153846154);
      close(failure.exposureYears, 550 / 365.25);
      expect(failure.posteriorShape).to.equal(2);
      close(failure.posteriorRate, 2 / prior + 550 / 365.25);
      close(failure.rate, 2 / (2 / prior + 550 / 365.25));
      close(failure.probability, predictiveFailureProbability(2, 2 / prior + 550 / 365.25));
      expect(failure.interval[0]).to.be.below(failure.probability);
      expect(failure.interval[1]).to.be.above(failure.probability);
      close(failure.factors.find((factor) => factor.factor === "upgradeability")!.effect, 1.125);
      expect(failure.attackTypes).to.deep.equal([
        { attackType: "logic-error", group: "code", share: 0.5, multiplier: 1 },
        { attackType: "access-control", group: "admin", share: 0.5, multiplier: 1.25 },
      ]);
      // Two past incidents: shape 4, so the mean rate doubles.
      const burned = failureProbability({ ...NEUTRAL, pastIncidents: 2 }, calibration, AS_OF);
      close(burned.rate, 2 * failure.rate);
    });
  });

  describe("severity share", () => {
    it("effective limit √(5M × TVL): $5M at $5M, $50M at $500M", () => {
      close(effectiveLimit(5_000_000), 5_000_000);
      close(effectiveLimit(500_000_000), 50_000_000);
    });

    it("mean E[min(L, m)]/m, quantiles min(1, q/m), total-loss chance 1 - F(m)", () => {
      const share = severityShare(UNIT, 5_000_000);
      close(share.mean, UNIT_SHARE_MEAN);
      close(share.median, 1);
      expect(share.p99).to.equal(1);
      close(share.totalLossProbability, 0.5);
    });

    it("∫_a^1 q_S: E[S] - E[min(S, s)] + s(1 - a) below a total loss (checked numerically too), 1 - a at it", () => {
      close(shareUpperIntegral(UNIT, 5_000_000, 0.3), 0.6565475814846288, 1e-10);
      close(shareUpperIntegral(UNIT, 5_000_000, 0.6), 0.4);
    });
  });

  describe("rate", () => {
    it("99% expected shortfall: p E[S] / 1% for p <= 1%, else the mean of the worst 1% of shares", () => {
      close(expectedShortfall(0.005, UNIT, 5_000_000), 0.5 * UNIT_SHARE_MEAN);
      close(expectedShortfall(0.01 / 0.7, UNIT, 5_000_000), 0.6565475814846288 / 0.7, 1e-10);
      close(expectedShortfall(0.5, UNIT, 5_000_000), 1);
    });

    it("components: expected loss, uncertainty at the 75th percentile, correlation 25% for lending, 6% cost of capital", () => {
      // Posterior Gamma(1, 100): an exponential, 75th percentile ln 4 / 100.
      const rate = rateComponents({ probability: 0.005, posteriorShape: 1, posteriorRate: 100, category: "lending", model: UNIT, limit: 5_000_000 });
      close(rate.expectedLoss, 0.005 * UNIT_SHARE_MEAN);
      close(rate.uncertaintyLoading, (0.013767295506640798 - 0.005) * UNIT_SHARE_MEAN, 1e-12);
      close(rate.correlationLoading, 0.25 * 0.005 * UNIT_SHARE_MEAN);
      close(rate.capitalPerCover, 0.5 * UNIT_SHARE_MEAN);
      close(rate.capitalCost, 0.06 * 0.5 * UNIT_SHARE_MEAN);
      close(rate.modelRate, rate.expectedLoss + rate.uncertaintyLoading + rate.correlationLoading + rate.capitalCost);
    });

    it("whole basis points in WAD, up for rates and down for capacity, without float noise", () => {
      expect(fractionToWadBps(0.025, true)).to.equal(250n * 10n ** 14n);
      expect(fractionToWadBps(0.02501, true)).to.equal(251n * 10n ** 14n);
      expect(fractionToWadBps(0.33489, false)).to.equal(3348n * 10n ** 14n);
    });

    it("terms: base at the model rate or the floor, max 6x base up to 100%, kink by probability, capacity 25% / q99", () => {
      const common = { model: UNIT, limit: 5_000_000 };
      expect(recommendTerms({ ...common, modelRate: 0.0379, probability: 0.024 })).to.deep.equal({
        capacityWad: 25n * PERCENT,
        baseRateWad: 379n * 10n ** 14n,
        kinkWad: 70n * PERCENT,
        maxRateWad: 6n * 379n * 10n ** 14n,
      });
      expect(recommendTerms({ ...common, modelRate: 0.0379, probability: 0.01, minRateWad: 5n * PERCENT })).to.deep.include({
        baseRateWad: 5n * PERCENT,
        kinkWad: 80n * PERCENT,
        maxRateWad: 30n * PERCENT,
      });
      expect(recommendTerms({ ...common, modelRate: 1.2, probability: 0.5 })).to.deep.include({
        baseRateWad: 100n * PERCENT,
        kinkWad: 60n * PERCENT,
        maxRateWad: 100n * PERCENT,
      });
      // Larger protocols: q99 of the share is e^2.3263 / √(TVL / $5M) = 10.2405 / 31.623 at $5B, so capacity is
      // 0.25 / 0.32383 = 77.20%; at $5T it is 10.2405 / 1000, and capacity is capped at 100%.
      const capacity = (tvl: number) => recommendTerms({ model: UNIT, limit: effectiveLimit(tvl), modelRate: 0.01, probability: 0.01 }).capacityWad;
      expect(capacity(5e9)).to.equal(7720n * 10n ** 14n);
      expect(capacity(5e12)).to.equal(100n * PERCENT);
    });
  });

  describe("assessRisk on the worked profiles (docs/risk-model.md)", () => {
    it("large lending market: 2.40% failure a year, model rate 0.379%, curve at the 2% floor", () => {
      const assessment = assessRisk(readProfile("lending-market"), { asOf: AS_OF, minRateWad: 2n * PERCENT });
      close(assessment.failure.probability, 0.024, 5e-4);
      expect(assessment.terms).to.deep.equal({
        capacityWad: 3348n * 10n ** 14n,
        baseRateWad: 2n * PERCENT,
        kinkWad: 70n * PERCENT,
        maxRateWad: 12n * PERCENT,
      });
      expect(assessment.explanation.at(-1)).to.match(/= model rate 0\.379% a year$/);
    });

    it("young yield aggregator: 39.20% failure a year, model rate 17.44%, max rate 100%, capacity 25%", () => {
      const assessment = assessRisk(readProfile("yield-aggregator"), { asOf: AS_OF });
      close(assessment.failure.probability, 0.392, 5e-4);
      expect(assessment.terms).to.deep.equal({
        capacityWad: 25n * PERCENT,
        baseRateWad: 1745n * 10n ** 14n,
        kinkWad: 60n * PERCENT,
        maxRateWad: 100n * PERCENT,
      });
      expect(assessment.rate.capitalPerCover).to.equal(1);
      expect(assessment.explanation[0]).to.equal(
        "base rate: 93.5 incidents/yr on bsc in 2023-2024 over 850 live protocols (outside figure, DefiLlama) = 11.00% a year per protocol",
      );
    });

    it("refuses a launch after the assessment date and a malformed date", () => {
      expect(() => assessRisk(NEUTRAL, { asOf: "2023-01-01" })).to.throw(InvalidArgument, "is after the assessment date 2023-01-01");
      expect(() => assessRisk(NEUTRAL, { asOf: "tomorrow" })).to.throw(InvalidArgument, "asOf must be a YYYY-MM-DD date");
    });
  });
});
