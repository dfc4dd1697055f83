import { readFileSync } from "node:fs";
import { expect } from "chai";
import {
  ArithmeticOverflow,
  bpsDown,
  bpsUp,
  DivisionByZero,
  InsufficientCapacity,
  mulDivDown,
  mulDivUp,
  ParapetError,
  premiumUp,
  UINT256_MAX,
  ValueOutOfRange,
  WAD,
  wadMulDown,
  YEAR,
  type RateCurve,
} from "../../sdk/src/index.js";
import { SplitMix64 } from "./prng.js";

const DAY = 86_400n;
const MIN_PERIOD = DAY;
const MAX_PERIOD = 730n * DAY;
const PROPERTY_ITERATIONS = 600;

type PremiumCase = {
  curve: RateCurve;
  capacity: bigint;
  exposure: bigint;
  amount: bigint;
  period: bigint;
};

type VectorJson = Record<
  "name" | "baseRateWad" | "kinkWad" | "maxRateWad" | "capacity" | "exposure" | "amount" | "period" | "premium",
  string
> & { decimals: number };

type Vector = PremiumCase & { name: string; category: string; decimals: number; premium: bigint };

const vectorFile = JSON.parse(readFileSync(new URL("../vectors/premium-vectors.json", import.meta.url), "utf8")) as {
  description: string;
  vectors: VectorJson[];
};

const vectors: Vector[] = vectorFile.vectors.map((json) => ({
  name: json.name,
  category: json.name.replace(/-\d+dec-\d+$/, ""),
  decimals: json.decimals,
  curve: { baseRateWad: BigInt(json.baseRateWad), kinkWad: BigInt(json.kinkWad), maxRateWad: BigInt(json.maxRateWad) },
  capacity: BigInt(json.capacity),
  exposure: BigInt(json.exposure),
  amount: BigInt(json.amount),
  period: BigInt(json.period),
  premium: BigInt(json.premium),
}));

/** The library places the kink at a whole unit, rounding down; the reference must price the same curve. */
function flooredKink({ curve, capacity }: PremiumCase): bigint {
  return (curve.kinkWad * capacity) / WAD;
}

/** What each category promises about its vectors, so a generator bug cannot silently hollow one out. */
const CATEGORY_PROMISES: Record<string, (vector: Vector) => boolean> = {
  "below-kink": (v) => v.exposure + v.amount < flooredKink(v),
  "end-at-kink": (v) => v.exposure + v.amount === flooredKink(v),
  "start-at-kink": (v) => v.exposure === flooredKink(v) && flooredKink(v) > 0n,
  "straddle-kink": (v) => v.exposure < flooredKink(v) && flooredKink(v) < v.exposure + v.amount,
  "above-kink": (v) => v.exposure > flooredKink(v),
  "full-capacity": (v) => v.exposure + v.amount === v.capacity,
  "capacity-minus-one": (v) => v.exposure + v.amount === v.capacity - 1n,
  "tiny-1wei": (v) => v.amount === 1n,
  "tiny-1unit": (v) => v.amount === 10n ** BigInt(v.decimals),
  huge: (v) => v.decimals === 18 && v.capacity >= 10n ** 27n,
  "min-period": (v) => v.period === MIN_PERIOD,
  "max-period": (v) => v.period === MAX_PERIOD,
  "kink-zero": (v) => v.curve.kinkWad === 0n,
  "kink-one": (v) => v.curve.kinkWad === WAD,
  "flat-curve": (v) => v.curve.baseRateWad === v.curve.maxRateWad,
  "max-rate-100pct": (v) => v.curve.maxRateWad === WAD,
  "low-base": (v) => v.curve.baseRateWad === 10n ** 14n,
  "dust-capacity": (v) => v.capacity <= 100n,
  "slope-round-up": (v) => {
    const exact = exactPremium(v);
    return !exact.slopeIsWhole && (exact.integralWadWithSlopeDown * v.period) % (YEAR * WAD) === 0n;
  },
};

type Fraction = { numerator: bigint; denominator: bigint };

function ceilFraction({ numerator, denominator }: Fraction): bigint {
  return (numerator + denominator - 1n) / denominator;
}

/**
 * The exact premium on the library's curve, before any rounding:
 *   (base·A + (max − base)·((b − K)² − (a − K)²) / (2(C − K))) · period / (YEAR·WAD),
 * over [a, b] = the part of the purchase above the floored kink K. Expanded from the squares rather than the
 * library's factored product, so a slip in either form shows up.
 */
function exactPremium(c: PremiumCase): Fraction & { slopeIsWhole: boolean; integralWadWithSlopeDown: bigint } {
  const kink = flooredKink(c);
  const end = c.exposure + c.amount;
  const baseIntegral = c.curve.baseRateWad * c.amount;
  let slopeNumerator = 0n;
  let slopeDenominator = 1n;
  if (end > kink) {
    const start = c.exposure > kink ? c.exposure : kink;
    slopeNumerator = (c.curve.maxRateWad - c.curve.baseRateWad) * ((end - kink) ** 2n - (start - kink) ** 2n);
    slopeDenominator = 2n * (c.capacity - kink);
  }
  return {
    numerator: (baseIntegral * slopeDenominator + slopeNumerator) * c.period,
    denominator: slopeDenominator * YEAR * WAD,
    slopeIsWhole: slopeNumerator % slopeDenominator === 0n,
    integralWadWithSlopeDown: baseIntegral + slopeNumerator / slopeDenominator,
  };
}

/**
 * The exact premium with the kink where the curve really puts it, K* = kinkWad·C / WAD, not floored. Flooring moves
 * the start of the slope left while keeping its end at (C, max), which raises the rate everywhere, so the library
 * must never charge less than this.
 */
function continuousCurvePremium(c: PremiumCase): Fraction {
  const { baseRateWad, kinkWad, maxRateWad } = c.curve;
  const end = c.exposure + c.amount;
  const kinkTimesWad = kinkWad * c.capacity;
  const baseIntegral = baseRateWad * c.amount;
  if (kinkWad >= WAD || end * WAD <= kinkTimesWad) {
    return { numerator: baseIntegral * c.period, denominator: YEAR * WAD };
  }
  const startTimesWad = c.exposure * WAD > kinkTimesWad ? c.exposure * WAD : kinkTimesWad;
  // Positions are scaled by WAD so that K* stays whole in ((b − K*)² − (a − K*)²) / (2(C − K*)).
  const slopeDenominator = 2n * WAD * c.capacity * (WAD - kinkWad);
  const slopeNumerator =
    (maxRateWad - baseRateWad) * ((end * WAD - kinkTimesWad) ** 2n - (startTimesWad - kinkTimesWad) ** 2n);
  return {
    numerator: (baseIntegral * slopeDenominator + slopeNumerator) * c.period,
    denominator: slopeDenominator * YEAR * WAD,
  };
}

/** Tiny capacities make rounding dominate; 6- and 18-decimal ones cover real assets up to 1e30 wei. */
function randomMarket(rng: SplitMix64): Pick<PremiumCase, "curve" | "capacity" | "period"> {
  const scale = rng.between(0n, 2n);
  const capacity =
    scale === 0n
      ? rng.between(16n, 1_000n)
      : scale === 1n
      ? rng.logUniform(10n ** 7n, 10n ** 18n)
      : rng.logUniform(10n ** 19n, 10n ** 30n);
  const baseRateWad = rng.logUniform(1n, WAD) - 1n;
  const kinkChoice = rng.between(0n, 9n);
  const kinkWad = kinkChoice === 0n ? 0n : kinkChoice === 1n ? WAD : rng.between(0n, WAD);
  return {
    curve: { baseRateWad, kinkWad, maxRateWad: rng.between(baseRateWad, WAD) },
    capacity,
    period: rng.between(1n, MAX_PERIOD),
  };
}

function premiumOf(c: PremiumCase): bigint {
  return premiumUp(c.curve, c.capacity, c.exposure, c.amount, c.period);
}

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to throw");
}

describe("SDK premiumMath, twin of PremiumMath.sol", () => {
  describe("parity vectors (test/vectors/premium-vectors.json)", () => {
    it("holds at least 300 vectors and every category the generator promises", () => {
      expect(vectors.length).to.be.at.least(300);
      const categories = new Set(vectors.map((v) => v.category));
      expect([...categories].sort()).to.deep.equal(Object.keys(CATEGORY_PROMISES).sort());
      for (const decimals of [6, 18]) expect(vectors.some((v) => v.decimals === decimals)).to.equal(true);
    });

    it("keeps every vector inside the ranges the Solidity side relies on", () => {
      for (const v of vectors) {
        const { baseRateWad, kinkWad, maxRateWad } = v.curve;
        expect(baseRateWad >= 10n ** 14n && baseRateWad <= maxRateWad && maxRateWad <= WAD, v.name).to.equal(true);
        expect(kinkWad <= WAD, v.name).to.equal(true);
        expect(v.capacity <= 10n ** 30n && v.exposure + v.amount <= v.capacity && v.amount > 0n, v.name).to.equal(true);
        expect(v.period >= MIN_PERIOD && v.period <= MAX_PERIOD, v.name).to.equal(true);
      }
    });

    it("puts every vector in the situation its name claims", () => {
      for (const v of vectors) expect(CATEGORY_PROMISES[v.category]!(v), v.name).to.equal(true);
    });

    it("prices every vector to the unit", () => {
      for (const v of vectors) expect(premiumOf(v), v.name).to.equal(v.premium);
    });

    // Why at most one unit above: premium = ceil((base·A + ceil(S))·P / (YEAR·WAD)) where S is the exact slope
    // term. ceil(S) − S < 1, so the quantity rounded exceeds the exact premium e by less than P / (YEAR·WAD),
    // which is below 1 for any period shorter than YEAR·WAD seconds; the ceiling of a number in [e, e + 1) is at
    // most ceil(e) + 1. When S is whole the two computations coincide and the premium is exactly ceil(e).
    it("lies between ceil(exact) and ceil(exact) + 1, and equals ceil(exact) when the slope term is whole", () => {
      for (const v of vectors) {
        const exact = exactPremium(v);
        const lowest = ceilFraction(exact);
        expect(v.premium, v.name).to.be.at.least(lowest);
        expect(v.premium, v.name).to.be.at.most(exact.slopeIsWhole ? lowest : lowest + 1n);
      }
    });

    it("never charges less than the curve with its kink unfloored", () => {
      for (const v of vectors) expect(v.premium, v.name).to.be.at.least(ceilFraction(continuousCurvePremium(v)));
    });
  });

  describe("properties", () => {
    it("never lets buying in 2 to 8 pieces cost less than buying at once", () => {
      const rng = new SplitMix64(0x5b117n);
      for (let i = 0; i < PROPERTY_ITERATIONS; i++) {
        const market = randomMarket(rng);
        const pieceCount = rng.between(2n, 8n);
        const exposure = rng.between(0n, market.capacity - pieceCount);
        const amount = rng.logUniform(pieceCount, market.capacity - exposure);
        const whole = premiumOf({ ...market, exposure, amount });
        let remaining = amount;
        let piecewise = 0n;
        for (let piecesLeft = pieceCount; piecesLeft > 0n; piecesLeft--) {
          const piece = piecesLeft === 1n ? remaining : rng.between(1n, remaining - (piecesLeft - 1n));
          piecewise += premiumOf({ ...market, exposure: exposure + amount - remaining, amount: piece });
          remaining -= piece;
        }
        expect(piecewise, `iteration ${i}`).to.be.at.least(whole);
      }
    });

    it("is non-decreasing in amount", () => {
      const rng = new SplitMix64(0xa3017n);
      for (let i = 0; i < PROPERTY_ITERATIONS; i++) {
        const market = randomMarket(rng);
        const exposure = rng.between(0n, market.capacity - 1n);
        const larger = rng.logUniform(1n, market.capacity - exposure);
        const smaller = larger - rng.step(larger);
        expect(premiumOf({ ...market, exposure, amount: smaller }), `iteration ${i}`).to.be.at.most(
          premiumOf({ ...market, exposure, amount: larger })
        );
      }
    });

    it("is non-decreasing in exposure", () => {
      const rng = new SplitMix64(0xe1905n);
      for (let i = 0; i < PROPERTY_ITERATIONS; i++) {
        const market = randomMarket(rng);
        const amount = rng.logUniform(1n, market.capacity);
        const higher = rng.between(0n, market.capacity - amount);
        const lower = higher - rng.step(higher);
        expect(premiumOf({ ...market, exposure: lower, amount }), `iteration ${i}`).to.be.at.most(
          premiumOf({ ...market, exposure: higher, amount })
        );
      }
    });

    it("is non-decreasing in period", () => {
      const rng = new SplitMix64(0x9e210dn);
      for (let i = 0; i < PROPERTY_ITERATIONS; i++) {
        const { curve, capacity, period: longer } = randomMarket(rng);
        const exposure = rng.between(0n, capacity - 1n);
        const amount = rng.logUniform(1n, capacity - exposure);
        const shorter = longer - rng.step(longer);
        expect(premiumUp(curve, capacity, exposure, amount, shorter), `iteration ${i}`).to.be.at.most(
          premiumUp(curve, capacity, exposure, amount, longer)
        );
      }
    });
  });

  describe("hand-checked values", () => {
    const tenPercentFlat: RateCurve = { baseRateWad: WAD / 10n, kinkWad: WAD / 2n, maxRateWad: WAD / 10n };

    it("prices a flat 10% curve like simple interest, rounded up", () => {
      expect(premiumUp(tenPercentFlat, 10n ** 12n, 0n, 10n ** 6n, YEAR)).to.equal(100_000n);
      // 1e5 / 365 = 273.97…
      expect(premiumUp(tenPercentFlat, 10n ** 12n, 0n, 10n ** 6n, DAY)).to.equal(274n);
      expect(premiumUp(tenPercentFlat, 10n ** 12n, 5n, 0n, DAY)).to.equal(0n);
    });

    it("charges at least one unit for any priced dust", () => {
      expect(premiumUp({ baseRateWad: 10n ** 14n, kinkWad: 0n, maxRateWad: 10n ** 14n }, 1n, 0n, 1n, 1n)).to.equal(1n);
    });

    it("reaches ceil(exact) + 1 when rounding the slope up tips the premium past a whole unit", () => {
      // Exact premium: (36/14)·WAD over a 7-wei capacity for 12_264_000 s = 36·12_264_000 / (14·YEAR) = exactly 1.
      const tight: PremiumCase = {
        curve: { baseRateWad: 0n, kinkWad: 0n, maxRateWad: WAD },
        capacity: 7n,
        exposure: 0n,
        amount: 6n,
        period: 12_264_000n,
      };
      expect(ceilFraction(exactPremium(tight))).to.equal(1n);
      expect(premiumOf(tight)).to.equal(2n);
    });

    it("prices the whole slope of a 0-to-100% curve at its average, 50%", () => {
      const linear: RateCurve = { baseRateWad: 0n, kinkWad: 0n, maxRateWad: WAD };
      expect(premiumUp(linear, 10n ** 6n, 0n, 10n ** 6n, YEAR)).to.equal(500_000n);
    });

    it("rounds basis points up for fees and down for commissions", () => {
      expect(bpsUp(1n, 1n)).to.equal(1n);
      expect(bpsDown(1n, 1n)).to.equal(0n);
      expect(bpsUp(9_999n, 1n)).to.equal(1n);
      expect(bpsDown(9_999n, 1n)).to.equal(0n);
      expect(bpsUp(10_000n, 1n)).to.equal(1n);
      expect(bpsDown(10_000n, 1n)).to.equal(1n);
      expect(bpsUp(10_001n, 1n)).to.equal(2n);
      expect(bpsDown(10_001n, 1n)).to.equal(1n);
      expect(bpsUp(333n, 3_000n)).to.equal(100n);
      expect(bpsDown(333n, 3_000n)).to.equal(99n);
      expect(bpsUp(1_000_000n, 30n)).to.equal(3_000n);
      expect(bpsDown(1_000_000n, 30n)).to.equal(3_000n);
      expect(bpsUp(0n, 10_000n)).to.equal(0n);
    });

    it("rounds WAD multiplication down", () => {
      expect(wadMulDown(1n, WAD - 1n)).to.equal(0n);
      expect(wadMulDown(3n, WAD / 2n)).to.equal(1n);
      expect(wadMulDown(10n ** 6n, 333_333_333_333_333_333n)).to.equal(333_333n);
      expect(wadMulDown(UINT256_MAX, WAD)).to.equal(UINT256_MAX);
    });

    it("keeps mulDiv exact past 256 bits, reverting only when the result does not fit", () => {
      expect(mulDivDown(7n, 1n, 2n)).to.equal(3n);
      expect(mulDivUp(7n, 1n, 2n)).to.equal(4n);
      expect(mulDivDown(UINT256_MAX, UINT256_MAX, UINT256_MAX)).to.equal(UINT256_MAX);
      expect(mulDivUp(UINT256_MAX, UINT256_MAX, UINT256_MAX)).to.equal(UINT256_MAX);
      // (MAX − 1)² / (MAX − 2) = MAX + 1 / (MAX − 2): the floor fits, OpenZeppelin's checked "+ 1" does not.
      expect(mulDivDown(UINT256_MAX - 1n, UINT256_MAX - 1n, UINT256_MAX - 2n)).to.equal(UINT256_MAX);
      expect(() => mulDivUp(UINT256_MAX - 1n, UINT256_MAX - 1n, UINT256_MAX - 2n)).to.throw(ArithmeticOverflow);
      expect(() => wadMulDown(UINT256_MAX, WAD + 1n)).to.throw(ArithmeticOverflow);
    });
  });

  describe("failures", () => {
    const curve: RateCurve = { baseRateWad: WAD / 50n, kinkWad: (WAD * 8n) / 10n, maxRateWad: WAD / 2n };

    it("throws InsufficientCapacity with what was asked and what is free", () => {
      const overCapacity = thrownBy(() => premiumUp(curve, 100n, 40n, 61n, DAY));
      expect(overCapacity).to.be.instanceOf(InsufficientCapacity).and.instanceOf(ParapetError);
      expect(overCapacity).to.include({ requested: 61n, available: 60n, name: "InsufficientCapacity" });

      const alreadyOver = thrownBy(() => premiumUp(curve, 100n, 150n, 1n, DAY));
      expect(alreadyOver).to.be.instanceOf(InsufficientCapacity);
      expect(alreadyOver).to.include({ requested: 1n, available: 0n });

      expect(premiumUp(curve, 100n, 40n, 60n, DAY)).to.be.a("bigint");
    });

    it("throws ArithmeticOverflow where Solidity's checked arithmetic reverts", () => {
      const overflow = thrownBy(() => premiumUp(curve, UINT256_MAX, 0n, UINT256_MAX, DAY));
      expect(overflow).to.be.instanceOf(ArithmeticOverflow).and.include({ operation: "curve.baseRateWad * amount" });
    });

    it("prices an inverted curve below its kink but reverts past it, as the uint64 subtraction does", () => {
      const inverted: RateCurve = { baseRateWad: WAD / 2n, kinkWad: WAD / 2n, maxRateWad: WAD / 10n };
      expect(premiumUp(inverted, 10n ** 6n, 0n, 5n * 10n ** 5n, YEAR)).to.equal(250_000n);
      const pastKink = thrownBy(() => premiumUp(inverted, 10n ** 6n, 0n, 5n * 10n ** 5n + 1n, YEAR));
      expect(pastKink).to.be.instanceOf(ArithmeticOverflow).and.include({
        operation: "curve.maxRateWad - curve.baseRateWad",
      });
    });

    it("rejects arguments the Solidity types cannot hold", () => {
      expect(() => premiumUp({ ...curve, maxRateWad: 1n << 64n }, 100n, 0n, 1n, DAY)).to.throw(ValueOutOfRange);
      expect(() => premiumUp(curve, 100n, 0n, -1n, DAY)).to.throw(ValueOutOfRange);
      expect(() => bpsUp(UINT256_MAX + 1n, 1n)).to.throw(ValueOutOfRange);
    });

    it("throws DivisionByZero for a zero denominator", () => {
      expect(() => mulDivDown(1n, 1n, 0n)).to.throw(DivisionByZero);
      expect(() => mulDivUp(0n, 0n, 0n)).to.throw(DivisionByZero);
    });
  });
});
