import { readFileSync } from "node:fs";
import { expect } from "chai";

import {
  accrueTranches,
  juniorRatioMet,
  lossBufferWad,
  maxJuniorExitDown,
  maxSeniorEntryDown,
  seniorLossThreshold,
  seniorPremiumDown,
  tranchePremiumRates,
  ValueOutOfRange,
  WAD,
} from "../../sdk/src/index.js";

type VectorJson = Record<string, string>;

const file = JSON.parse(readFileSync(new URL("../vectors/tranche-vectors.json", import.meta.url), "utf8")) as {
  vectors: VectorJson[];
};
const big = (vector: VectorJson, field: string) => BigInt(vector[field]);
const PARAMS = { seniorPremiumShareWad: 6n * 10n ** 17n, minJuniorRatioWad: 2n * 10n ** 17n };

/** Categories the generator writes, each with what its vectors must show, so a generator bug cannot hollow one out. */
const CATEGORY_PROMISES: Record<string, (v: VectorJson) => boolean> = {
  "random-change": () => true,
  "premium-only": (v) => v.premium !== "0",
  "loss-within-junior": (v) => v.seniorLoss === "0",
  "loss-exactly-junior": (v) => v.seniorLoss === "0" && v.expectedJunior === "0",
  "loss-junior-plus-one": (v) => v.seniorLoss === "1" && v.expectedJunior === "0",
  "loss-into-senior": (v) => v.expectedJunior === "0",
  "reserve-raised": (v) => v.premium === "0",
  "reserve-raised-with-premium": (v) => v.premium === "0",
  "reserve-released": (v) => v.juniorLoss === "0" && v.seniorLoss === "0",
  "reserve-paid": (v) => v.premium === "0",
  "empty-book": (v) => v.junior === "0" && v.senior === "0",
  dust: (v) => big(v, "value") < 8n,
  bounds: (v) => v.premium !== "0",
};

describe("trancheMath (twin of TrancheMath.sol)", () => {
  describe("parity vectors (test/vectors/tranche-vectors.json)", () => {
    it("holds 208 vectors over every category, each keeping its promise", () => {
      expect(file.vectors.length).to.equal(208);
      const categories = new Map<string, number>();
      for (const vector of file.vectors) {
        const category = vector.name.replace(/-\d+$/, "");
        categories.set(category, (categories.get(category) ?? 0) + 1);
        expect(CATEGORY_PROMISES[category], `unknown category ${category}`).to.not.equal(undefined);
        expect(CATEGORY_PROMISES[category](vector), vector.name).to.equal(true);
      }
      expect([...categories.keys()].sort()).to.deep.equal(Object.keys(CATEGORY_PROMISES).sort());
    });

    it("reproduces every book, movement and limit to the unit", () => {
      for (const v of file.vectors) {
        const book = {
          junior: big(v, "junior"),
          senior: big(v, "senior"),
          juniorProvision: big(v, "juniorProvision"),
          seniorProvision: big(v, "seniorProvision"),
        };
        const params = { seniorPremiumShareWad: big(v, "seniorPremiumShareWad"), minJuniorRatioWad: big(v, "minJuniorRatioWad") };
        const result = accrueTranches(book, big(v, "value"), big(v, "provision"), big(v, "lastProvision"), params);
        expect(result.book, v.name).to.deep.equal({
          junior: big(v, "expectedJunior"),
          senior: big(v, "expectedSenior"),
          juniorProvision: big(v, "expectedJuniorProvision"),
          seniorProvision: big(v, "expectedSeniorProvision"),
        });
        expect(result.moved, v.name).to.deep.equal({
          premium: big(v, "premium"),
          seniorPremium: big(v, "seniorPremium"),
          juniorLoss: big(v, "juniorLoss"),
          seniorLoss: big(v, "seniorLoss"),
          juniorReleased: big(v, "juniorReleased"),
          seniorReleased: big(v, "seniorReleased"),
        });
        expect(juniorRatioMet(book.junior, book.senior, params.minJuniorRatioWad), v.name).to.equal(v.ratioMet === "1");
        expect(maxJuniorExitDown(book.junior, book.senior, params.minJuniorRatioWad), v.name).to.equal(big(v, "maxJuniorExit"));
        expect(maxSeniorEntryDown(book.junior, book.senior, big(v, "bidPerEntryWad"), params.minJuniorRatioWad), v.name).to.equal(
          big(v, "maxSeniorEntry"),
        );
      }
    });
  });

  describe("hand-computed cases", () => {
    const book = { junior: 300n, senior: 700n, juniorProvision: 0n, seniorProvision: 0n };

    it("a loss of exactly the junior takes the junior only; one unit more takes one of the senior", () => {
      expect(accrueTranches(book, 700n, 0n, 0n, PARAMS).book).to.deep.equal({ ...book, junior: 0n });
      const more = accrueTranches(book, 699n, 0n, 0n, PARAMS);
      expect(more.book).to.deep.equal({ ...book, junior: 0n, senior: 699n });
      expect([more.moved.juniorLoss, more.moved.seniorLoss]).to.deep.equal([300n, 1n]);
    });

    it("a reserve is booked as provision and given back, senior first, when released", () => {
      const reserved = accrueTranches(book, 650n, 350n, 0n, PARAMS).book;
      expect(reserved).to.deep.equal({ junior: 0n, senior: 650n, juniorProvision: 300n, seniorProvision: 50n });
      const partly = accrueTranches(reserved, 720n, 280n, 350n, PARAMS);
      expect([partly.moved.seniorReleased, partly.moved.juniorReleased]).to.deep.equal([50n, 20n]);
      expect(partly.book).to.deep.equal({ junior: 20n, senior: 700n, juniorProvision: 280n, seniorProvision: 0n });
    });

    it("splits 1,000 of premium 420 / 580 at full protection, 60% kept by the senior", () => {
      expect(seniorPremiumDown(1_000n, 300n, 700n, PARAMS)).to.equal(420n);
      // A thin junior (50) protects only 200 of senior: the senior keeps all of the rest's premium.
      expect(seniorPremiumDown(1_000n, 50n, 700n, PARAMS)).to.equal(826n);
    });

    it("the lens figures: loss buffer, senior loss threshold, premium rates", () => {
      expect(lossBufferWad(300n, 700n)).to.equal((300n * WAD) / 700n);
      expect(lossBufferWad(300n, 0n)).to.equal(null);
      // The layer holds half the vault's shares: the senior starts losing after a vault loss of twice the junior.
      expect(seniorLossThreshold(300n, 500n * 10n ** 6n, 1_000n * 10n ** 6n - 10n ** 6n)).to.equal(600n);
      expect(seniorLossThreshold(300n, 0n, 10n)).to.equal(null);
      const rates = tranchePremiumRates(2_000n, 10n ** 6n, 10n ** 6n, { junior: 300n, senior: 700n }, PARAMS);
      expect(rates).to.deep.equal({ juniorPerYear: 580n, seniorPerYear: 420n, juniorAprWad: (580n * WAD) / 300n, seniorAprWad: (420n * WAD) / 700n });
    });

    it("rejects negative amounts as the twin's uint256 parameters would", () => {
      expect(() => accrueTranches({ ...book, junior: -1n }, 0n, 0n, 0n, PARAMS)).to.throw(ValueOutOfRange);
    });
  });
});
