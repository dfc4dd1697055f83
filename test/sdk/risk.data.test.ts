/**
 * The risk model's data side: the CSV reader, the incident records and their dollar losses (the data README's rules:
 * dollar figures as given, stablecoins at the stated 1 USD peg, no price for tokens), frequencies and the outside
 * denominator, the shipped calibration (refitted here), and the backtest's scores on hand-made lists.
 */
import { readFileSync } from "node:fs";
import { expect } from "chai";

import {
  backtest,
  calendarYearsSpanned,
  chainRate,
  DEFAULT_CALIBRATION,
  dollarLoss,
  dollarLosses,
  fitCalibration,
  fitFrequency,
  InvalidArgument,
  LIVE_PROTOCOLS_BY_CHAIN,
  parseCsv,
  parseIncidents,
  shareAtOrBelow,
  type Incident,
} from "../../sdk/src/risk/index.js";

const HEADER = "date,protocol,chain,loss_usd,loss_raw,attack_type,attack_raw,poc_path,loss_basis,loss_amount,loss_unit";

/** A CSV row with the columns the model reads; the others empty. */
const row = (date: string, chain: string, attack: string, basis: string, usd = "", amount = "", unit = "") =>
  `${date},P,${chain},${usd},,${attack},,,${basis},${amount},${unit}`;

const incident = (fields: Partial<Incident>): Incident => ({
  date: "2024-01-01",
  year: 2024,
  protocol: "P",
  chain: "ethereum",
  attackType: "logic-error",
  lossBasis: "usd",
  lossUsd: 1000,
  lossAmount: 1000,
  lossUnit: "USD",
  ...fields,
});

describe("risk model data", () => {
  describe("CSV", () => {
    it("reads quoted fields with commas, doubled quotes and line breaks, and CRLF line ends", () => {
      expect(parseCsv('a,b\r\n"x, y","say ""hi"""\n"two\nlines",\n')).to.deep.equal([
        ["a", "b"],
        ["x, y", 'say "hi"'],
        ["two\nlines", ""],
      ]);
      expect(parseCsv("a,b")).to.deep.equal([["a", "b"]]);
    });

    it("refuses an unclosed quote and text after a closing quote, naming the line", () => {
      expect(() => parseCsv('a\n"open')).to.throw(InvalidArgument, "CSV line 2 has a quote that is never closed");
      expect(() => parseCsv('"a"b')).to.throw(InvalidArgument, "text after a closing quote");
    });
  });

  describe("incidents", () => {
    it("parses the columns the model reads, lower-cases chains, and skips blank lines", () => {
      const [first] = parseIncidents(`${HEADER}\n${row("2024-03-05", "BSC", "reentrancy", "token", "", "27", "ETH")}\n\n`);
      expect(first).to.deep.equal({
        date: "2024-03-05",
        year: 2024,
        protocol: "P",
        chain: "bsc",
        attackType: "reentrancy",
        lossBasis: "token",
        lossUsd: undefined,
        lossAmount: 27,
        lossUnit: "ETH",
      });
    });

    it("refuses a missing column, a bad date, an unknown loss basis and a negative amount, naming the line", () => {
      expect(() => parseIncidents("date,chain\n")).to.throw(InvalidArgument, "has no `loss_usd` column");
      expect(() => parseIncidents(`${HEADER}\n${row("2024-3-5", "bsc", "x", "usd", "1")}`)).to.throw(InvalidArgument, 'line 2: date "2024-3-5"');
      expect(() => parseIncidents(`${HEADER}\n${row("2024-03-05", "bsc", "x", "dollars", "1")}`)).to.throw(InvalidArgument, "loss_basis");
      expect(() => parseIncidents(`${HEADER}\n${row("2024-03-05", "bsc", "x", "usd", "-1")}`)).to.throw(InvalidArgument, "loss_usd");
      expect(() => parseIncidents("")).to.throw(InvalidArgument, "is empty");
    });

    it("dollar loss: usd and usd-partial as given, stablecoin at the 1 USD peg, no price for token, bare or no figure", () => {
      expect(dollarLoss(incident({ lossBasis: "usd", lossUsd: 1500 }))).to.equal(1500);
      expect(dollarLoss(incident({ lossBasis: "usd-partial", lossUsd: 17_743.91 }))).to.equal(17_743.91);
      expect(dollarLoss(incident({ lossBasis: "stablecoin", lossUsd: undefined, lossAmount: 413_000, lossUnit: "USDT" }))).to.equal(413_000);
      for (const lossBasis of ["token", "multi-token", "bare-number", "none"] as const) {
        expect(dollarLoss(incident({ lossBasis, lossUsd: undefined, lossAmount: 27, lossUnit: "ETH" })), lossBasis).to.equal(undefined);
      }
      expect(dollarLoss(incident({ lossUsd: 0 }))).to.equal(undefined);
      expect(dollarLosses([incident({ lossUsd: 5 }), incident({ lossBasis: "token", lossUsd: undefined })])).to.deep.equal([5]);
    });

    it("the shipped file: 583 incidents, 2017-2024, 351 with a dollar figure (as its README says), counts by basis", () => {
      const incidents = parseIncidents(readFileSync("data/exploits/defihacklabs-incidents.csv", "utf8"));
      expect(incidents).to.have.length(583);
      expect(calendarYearsSpanned(incidents)).to.deep.equal({ fromYear: 2017, toYear: 2024, years: 8 });
      // Counted independently with Python's csv module.
      const count = (basis: string) => incidents.filter((entry) => entry.lossBasis === basis).length;
      expect(["usd", "usd-partial", "stablecoin", "token", "multi-token", "bare-number", "none"].map(count)).to.deep.equal([
        351, 0, 20, 102, 2, 66, 42,
      ]);
      // The 351 dollar figures plus the 20 stablecoin rows at the peg.
      expect(incidents.filter((entry) => entry.lossUsd !== undefined && entry.lossUsd > 0)).to.have.length(351);
      expect(dollarLosses(incidents)).to.have.length(351 + 20);
    });
  });

  describe("frequency", () => {
    const incidents = [
      incident({ year: 2021, chain: "bsc" }),
      incident({ year: 2023, chain: "ethereum", attackType: "oracle" }),
      incident({ year: 2024, chain: "ethereum" }),
      incident({ year: 2024, chain: "bsc" }),
      incident({ year: 2024, chain: "" }),
      incident({ year: 2024, chain: "sei" }),
    ];

    it("averages the last two calendar years: 5 incidents in 2023-2024 are 2.5 a year, by chain and by type", () => {
      expect(fitFrequency(incidents)).to.deep.equal({
        fromYear: 2023,
        toYear: 2024,
        perYear: 2.5,
        perYearByChain: { "": 0.5, bsc: 0.5, ethereum: 1, sei: 0.5 },
        perYearByAttackType: { "logic-error": 2, oracle: 0.5 },
      });
    });

    it("per-protocol chain rate: chainless incidents spread pro rata (x 2.5/2), over the outside denominator", () => {
      const frequency = fitFrequency(incidents);
      expect(chainRate(frequency, "ethereum")).to.deep.equal({
        rate: 1.25 / LIVE_PROTOCOLS_BY_CHAIN.ethereum!,
        incidentsPerYear: 1.25,
        liveProtocols: 1300,
        pooled: false,
      });
      // sei has no denominator, arbitrum no incident: both take the pooled rate of the listed chains.
      const pooled = { rate: ((1 + 0.5) * 1.25) / 5250, incidentsPerYear: 1.875, liveProtocols: 5250, pooled: true };
      expect(chainRate(frequency, "sei")).to.deep.equal(pooled);
      expect(chainRate(frequency, "arbitrum")).to.deep.equal(pooled);
    });
  });

  describe("calibration", () => {
    it("the shipped calibration is the fit of the shipped CSV (regenerate with npm run risk -- calibrate)", () => {
      const refit = fitCalibration(parseIncidents(readFileSync("data/exploits/defihacklabs-incidents.csv", "utf8")));
      expect(JSON.parse(JSON.stringify(refit))).to.deep.equal(DEFAULT_CALIBRATION);
      expect(DEFAULT_CALIBRATION.severity.fromYear).to.equal(2022);
      expect(DEFAULT_CALIBRATION.frequency.perYear).to.equal((214 + 189) / 2);
    });

    it("counts the severity window's rows by loss basis and refuses a window without two dollar losses", () => {
      const fit = fitCalibration([
        incident({ year: 2024, lossUsd: 1000 }),
        incident({ year: 2024, lossUsd: 100_000 }),
        incident({ year: 2024, lossBasis: "token", lossUsd: undefined }),
        incident({ year: 2020, lossUsd: 5 }),
      ]);
      expect(fit.severity.rowsByBasis).to.deep.equal({ usd: { rows: 2, dollarLosses: 2 }, token: { rows: 1, dollarLosses: 0 } });
      expect(fit.severity.chosen).to.deep.include({ kind: "lognormal", mu: Math.log(10_000) });
      expect(() => fitCalibration([incident({})])).to.throw(InvalidArgument, "too few to fit a severity");
    });
  });

  describe("backtest", () => {
    it("share at or below a bound", () => {
      expect(shareAtOrBelow([1, 2, 3, 4], 2)).to.equal(0.5);
      expect(shareAtOrBelow([1, 2, 3, 4], 2.5)).to.equal(0.5);
      expect(Number.isNaN(shareAtOrBelow([], 2))).to.equal(true);
    });

    it("fits on train, scores test: median 10,000 and 90th pct 191,228 of a lognormal through 1,000 and 100,000", () => {
      const train = [incident({ year: 2022, lossUsd: 1000 }), incident({ year: 2023, lossUsd: 100_000 })];
      const test = [9000, 11_000, 20_000, 150_000, 300_000].map((lossUsd) => incident({ year: 2024, lossUsd }));
      test.push(incident({ year: 2024, lossBasis: "token", lossUsd: undefined }));
      const result = backtest(train, test);
      // Within the tolerance (hardhat's chai matchers make closeTo integer-only).
      expect(Math.abs(result.fittedMedianUsd - 10_000)).to.be.below(1e-8);
      expect(Math.abs(result.fittedP90Usd - 191_228.0363926203)).to.be.below(1e-6);
      expect(result).to.deep.include({
        testLosses: 5,
        coverageP50: 0.2,
        coverageP90: 0.8,
        predictedPerYear: 1,
        observedPerYear: 6,
        testFromYear: 2024,
        testToYear: 2024,
      });
    });
  });
});
