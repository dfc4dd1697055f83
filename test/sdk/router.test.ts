import { expect } from "chai";

import {
  defaultMinLeg,
  InsufficientCapacity,
  NoRouteWithoutDust,
  InvalidArgument,
  premiumUp,
  routeCover,
  ValueOutOfRange,
  WAD,
  YEAR,
  type RateCurve,
  type Route,
  type RouteVault,
} from "../../sdk/src/index.js";
import { SplitMix64 } from "./prng.js";

const DAY = 86_400n;
const PERCENT = WAD / 100n;
const flat = (rateWad: bigint): RateCurve => ({ baseRateWad: rateWad, kinkWad: WAD, maxRateWad: rateWad });
const vault = (name: string, curve: RateCurve, capacity: bigint, exposure = 0n): RouteVault => ({
  vault: name,
  curve,
  capacity,
  exposure,
});

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to throw");
}

function available(v: RouteVault): bigint {
  return v.capacity > v.exposure ? v.capacity - v.exposure : 0n;
}

/**
 * What the brute force needs of one vault, for every amount it may take: the exact cost before rounding, as a
 * numerator over a denominator shared by all vaults of the instance, and the premium `premiumUp` charges.
 *
 * The exact cost is computed unit by unit from the curve's definition, independently of the router's closed forms:
 * the rate at position x is `base` up to the floored kink K, then `base + (max - base)(x - K) / (C - K)`, linear on
 * every unit [e - 1, e] (K is whole), so a unit costs the average of its two end rates.
 */
type CostTable = { exact: bigint[]; premium: bigint[] };

function costTables(vaults: RouteVault[], period: bigint): { tables: CostTable[]; denominator: bigint } {
  const widths = vaults.map((v) => v.capacity - (v.curve.kinkWad * v.capacity) / WAD);
  const denominator = widths.reduce((product, width) => product * 2n * (width === 0n ? 1n : width), 1n);
  const tables = vaults.map((v, i) => {
    const { baseRateWad: base, maxRateWad: max } = v.curve;
    const kink = v.capacity - widths[i]!;
    // Rate at position x, times 2·width (or 2 when the curve never rises), so that unit averages stay whole.
    const scale = widths[i] === 0n ? 2n : 2n * widths[i]!;
    const rate = (x: bigint) => (x <= kink ? base * scale : base * scale + (max - base) * (x - kink) * 2n);
    const exact = [0n];
    const premium = [0n];
    for (let a = 1n; a <= available(v); a++) {
      const e = v.exposure + a;
      // (rate(e - 1) + rate(e)) / 2 / scale, over the shared denominator.
      exact.push(exact[exact.length - 1]! + ((rate(e - 1n) + rate(e)) * denominator) / (2n * scale));
      premium.push(premiumUp(v.curve, v.capacity, v.exposure, a, period));
    }
    return { exact, premium };
  });
  return { tables, denominator };
}

type Best = { exact: bigint; premium: bigint };

/** Every amount a vault can take: 0 to its free capacity. */
function everyAmount(v: RouteVault): bigint[] {
  return Array.from({ length: Number(available(v)) + 1 }, (_, a) => BigInt(a));
}

/** The amounts a vault can take on the `step` grid: multiples of the step, or all its free capacity. */
function gridAmounts(v: RouteVault, step: bigint): bigint[] {
  const multiples = Array.from({ length: Number(available(v) / step) + 1 }, (_, k) => BigInt(k) * step);
  return multiples[multiples.length - 1] === available(v) ? multiples : [...multiples, available(v)];
}

/** The lowest exact cost and the lowest total premium over every split of `amount` among the candidate amounts. */
function bruteForce(tables: CostTable[], amounts: bigint[][], amount: bigint): Best {
  let best: Best = { exact: -1n, premium: -1n };
  const visit = (i: number, left: bigint, exact: bigint, premium: bigint) => {
    if (i === tables.length) {
      if (left !== 0n) return;
      if (best.exact < 0n || exact < best.exact) best = { ...best, exact };
      if (best.premium < 0n || premium < best.premium) best = { ...best, premium };
      return;
    }
    for (const a of amounts[i]!) {
      if (a > left) break;
      visit(i + 1, left - a, exact + tables[i]!.exact[Number(a)]!, premium + tables[i]!.premium[Number(a)]!);
    }
  };
  visit(0, amount, 0n, 0n);
  return best;
}

function exactCostOf(route: Route, vaults: RouteVault[], tables: CostTable[]): bigint {
  return route.legs.reduce((sum, leg) => {
    const i = vaults.findIndex((v) => v.vault === leg.vault);
    return sum + tables[i]!.exact[Number(leg.amount)]!;
  }, 0n);
}

/** The route's invariants: amounts add up, each leg fits, and its premium is exactly what the vault charges. */
function checkRoute(route: Route, request: { amount: bigint; period: bigint; vaults: RouteVault[] }, at: string) {
  let total = 0n;
  let premiums = 0n;
  const seen = new Set<string>();
  for (const leg of route.legs) {
    const v = request.vaults.find((candidate) => candidate.vault === leg.vault)!;
    expect(seen.has(leg.vault), at).to.equal(false);
    seen.add(leg.vault);
    expect(leg.amount > 0n && leg.amount <= available(v), at).to.equal(true);
    expect(leg.premium, at).to.equal(premiumUp(v.curve, v.capacity, v.exposure, leg.amount, request.period));
    total += leg.amount;
    premiums += leg.premium;
  }
  expect(total, at).to.equal(request.amount);
  expect(route.totalPremium, at).to.equal(premiums);
  // Legs come in the order the vaults were given.
  const order = route.legs.map((leg) => request.vaults.findIndex((v) => v.vault === leg.vault));
  expect(order, at).to.deep.equal([...order].sort((a, b) => a - b));
}

/** Curves of every shape: flat, kinked, linear from zero, steep, with the kink anywhere including 0 and 100%. */
function randomCurve(rng: SplitMix64): RateCurve {
  const shape = rng.between(0n, 4n);
  const base = shape === 0n ? 0n : rng.between(1n, 20n) * PERCENT;
  const kinkWad = [0n, WAD, rng.between(0n, WAD)][Number(rng.between(0n, 2n))]!;
  const max = shape === 1n ? base : base + rng.between(0n, 80n) * PERCENT;
  return { baseRateWad: base, kinkWad, maxRateWad: max > WAD ? WAD : max };
}

function randomVaults(rng: SplitMix64, count: number, maxCapacity: bigint): RouteVault[] {
  return Array.from({ length: count }, (_, i) => {
    const capacity = rng.between(1n, maxCapacity);
    const exposure = rng.between(0n, 4n) === 0n ? 0n : rng.between(0n, capacity);
    return vault(`0x${(i + 1).toString(16).padStart(40, "0")}`, randomCurve(rng), capacity, exposure);
  });
}

describe("SDK router: the cheapest split of a cover across vaults", () => {
  describe("hand-checked splits", () => {
    it("takes the one-vault fast path", () => {
      const curve = { baseRateWad: 2n * PERCENT, kinkWad: WAD / 2n, maxRateWad: 30n * PERCENT };
      const only = vault("A", curve, 10n ** 12n);
      const route = routeCover({ amount: 7n * 10n ** 11n, period: YEAR, vaults: [only] });
      const premium = premiumUp(only.curve, only.capacity, 0n, 7n * 10n ** 11n, YEAR);
      expect(route).to.deep.equal({ legs: [{ vault: "A", amount: 7n * 10n ** 11n, premium }], totalPremium: premium });
    });

    it("fills the cheaper flat vault first and spills over", () => {
      const vaults = [vault("dear", flat(5n * PERCENT), 1_000_000n), vault("cheap", flat(2n * PERCENT), 1_000_000n)];
      const within = routeCover({ amount: 400_000n, period: YEAR, vaults });
      expect(within.legs).to.deep.equal([{ vault: "cheap", amount: 400_000n, premium: 8_000n }]);
      const spill = routeCover({ amount: 1_500_000n, period: YEAR, vaults });
      expect(spill.legs).to.deep.equal([
        { vault: "dear", amount: 500_000n, premium: 25_000n },
        { vault: "cheap", amount: 1_000_000n, premium: 20_000n },
      ]);
      expect(spill.totalPremium).to.equal(45_000n);
    });

    it("buys a tie in one leg, from the vault with the most room", () => {
      const vaults = [vault("A", flat(3n * PERCENT), 500n), vault("B", flat(3n * PERCENT), 900n)];
      const route = routeCover({ amount: 600n, period: YEAR, vaults });
      expect(route.legs.map((leg) => [leg.vault, leg.amount])).to.deep.equal([["B", 600n]]);
    });

    it("equalises the marginal rates of rising curves", () => {
      // Two 0 → 100% linear curves, one half full: the empty one takes units until both sit at the same utilisation.
      const linear: RateCurve = { baseRateWad: 0n, kinkWad: 0n, maxRateWad: WAD };
      const vaults = [vault("empty", linear, 1_000n), vault("half", linear, 1_000n, 500n)];
      const route = routeCover({ amount: 700n, period: YEAR, vaults });
      // 500 + x = 700 − x ⇒ x = 100: 600 from the empty vault, 100 from the half-full one, both ending at 60%.
      expect(route.legs.map((leg) => [leg.vault, leg.amount])).to.deep.equal([
        ["empty", 600n],
        ["half", 100n],
      ]);
    });

    it("lets a rising curve take its units below a flat rate, then the flat vault the rest", () => {
      // B's unit ending at e costs 10% × (2e − 1) / 2000: below A's flat 2% up to e = 200, so B takes 200 units.
      const vaults = [
        vault("A", flat(2n * PERCENT), 1_000n),
        vault("B", { baseRateWad: 0n, kinkWad: 0n, maxRateWad: 10n * PERCENT }, 1_000n),
      ];
      const route = routeCover({ amount: 500n, period: YEAR, vaults });
      expect(route.legs.map((leg) => [leg.vault, leg.amount])).to.deep.equal([
        ["A", 300n],
        ["B", 200n],
      ]);
    });

    it("leaves out vaults below the product's rate floor, full vaults and over-exposed ones", () => {
      const vaults = [
        { ...vault("floored", flat(1n * PERCENT), 10n ** 9n), minRateWad: 2n * PERCENT },
        vault("full", flat(1n * PERCENT), 1_000n, 1_000n),
        vault("over", flat(1n * PERCENT), 1_000n, 5_000n),
        { ...vault("ok", flat(3n * PERCENT), 10n ** 9n), minRateWad: 2n * PERCENT },
      ];
      const route = routeCover({ amount: 10n ** 6n, period: DAY, vaults });
      expect(route.legs.map((leg) => leg.vault)).to.deep.equal(["ok"]);
    });

    it("keeps every leg within the product's maxCoverPerPolicy", () => {
      const vaults = [vault("A", flat(PERCENT), 10n ** 9n), vault("B", flat(2n * PERCENT), 10n ** 9n)];
      const route = routeCover({ amount: 1_500n, period: YEAR, vaults, maxCoverPerPolicy: 1_000n });
      expect(route.legs.map((leg) => [leg.vault, leg.amount])).to.deep.equal([
        ["A", 1_000n],
        ["B", 500n],
      ]);
    });

    it("buys in whole steps, the cheapest split on the step grid", () => {
      const linear: RateCurve = { baseRateWad: 0n, kinkWad: 0n, maxRateWad: WAD };
      const vaults = [vault("A", linear, 10_000n), vault("B", linear, 10_000n), vault("C", linear, 10_500n)];
      const exact = routeCover({ amount: 10_000n, period: YEAR, vaults });
      // C is larger, so the same amount sits lower on its curve: it takes a bit more.
      expect(exact.legs.map((leg) => leg.amount)).to.deep.equal([3_279n, 3_279n, 3_442n]);
      // In steps of 1,000: three each, and the tenth to C, whose fourth step sits lowest on its curve.
      const stepped = routeCover({ amount: 10_000n, period: YEAR, vaults, step: 1_000n });
      expect(stepped.legs.map((leg) => leg.amount)).to.deep.equal([3_000n, 3_000n, 4_000n]);
      // Free capacity counts in whole steps only: 10,500 holds ten.
      expect(routeCover({ amount: 30_000n, period: YEAR, vaults, step: 1_000n }).legs).to.have.length(3);
      const short = thrownBy(() => routeCover({ amount: 31_000n, period: YEAR, vaults, step: 1_000n }));
      expect(short).to.be.instanceOf(InsufficientCapacity).and.include({ requested: 31_000n, available: 30_000n });
    });
  });

  describe("failures", () => {
    it("throws InsufficientCapacity with the amount and what all eligible vaults have free", () => {
      const vaults = [
        vault("A", flat(PERCENT), 1_000n, 400n),
        vault("B", flat(PERCENT), 500n, 900n),
        { ...vault("C", flat(PERCENT), 10n ** 9n), minRateWad: 2n * PERCENT },
        vault("D", flat(PERCENT), 300n),
      ];
      const error = thrownBy(() => routeCover({ amount: 901n, period: DAY, vaults }));
      expect(error).to.be.instanceOf(InsufficientCapacity).and.include({ requested: 901n, available: 900n });
      expect(routeCover({ amount: 900n, period: DAY, vaults }).legs).to.have.length(2);
      expect(thrownBy(() => routeCover({ amount: 1n, period: DAY, vaults: [] }))).to.include({ available: 0n });
    });

    it("rejects a zero amount or step, a vault listed twice and curves the chain refuses", () => {
      const ok = vault("A", flat(PERCENT), 1_000n);
      expect(() => routeCover({ amount: 0n, period: DAY, vaults: [ok] })).to.throw(InvalidArgument, "amount");
      expect(() => routeCover({ amount: 1n, period: DAY, vaults: [ok], step: 0n })).to.throw(InvalidArgument, "step");
      expect(() => routeCover({ amount: 15n, period: DAY, vaults: [ok], step: 10n })).to.throw(
        InvalidArgument,
        "multiple of the step"
      );
      expect(() => routeCover({ amount: 1n, period: DAY, vaults: [ok, { ...ok, vault: "a" }] })).to.throw(
        InvalidArgument,
        "listed twice"
      );
      const inverted = vault("B", { baseRateWad: 2n * PERCENT, kinkWad: 0n, maxRateWad: PERCENT }, 1_000n);
      expect(() => routeCover({ amount: 1n, period: DAY, vaults: [inverted] })).to.throw(InvalidArgument, "curve");
      const pastOne = vault("C", { baseRateWad: PERCENT, kinkWad: WAD + 1n, maxRateWad: PERCENT }, 1_000n);
      expect(() => routeCover({ amount: 1n, period: DAY, vaults: [pastOne] })).to.throw(InvalidArgument, "curve");
      expect(() => routeCover({ amount: -1n, period: DAY, vaults: [ok] })).to.throw(ValueOutOfRange);
      const wide = vault("D", { ...flat(PERCENT), maxRateWad: 1n << 64n }, 1_000n);
      expect(() => routeCover({ amount: 1n, period: DAY, vaults: [wide] })).to.throw(ValueOutOfRange);
    });
  });

  describe("optimality against brute force (seeded)", () => {
    // Why `2 × legs − 1`: the router minimises the exact cost Σ g over all integer splits (checked exactly below),
    // and the brute force's best premium is at least its exact cost, itself at least the router's. Each premium lies
    // in [ceil(g), ceil(g) + 1] (see premiumMath.test.ts), so it is below g + 2, and the router's total premium is
    // below Σ g + 2 × legs <= best + 2 × legs: as integers, at most best + 2 × legs − 1.
    it("finds the exact minimum of the cost before rounding, on tiny vaults, over every integer split", () => {
      const rng = new SplitMix64(0x40a7e5n);
      for (let i = 0; i < 400; i++) {
        const vaults = randomVaults(rng, Number(rng.between(2n, 3n)), 40n);
        const total = vaults.reduce((sum, v) => sum + available(v), 0n);
        if (total === 0n) continue;
        const amount = rng.between(1n, total);
        const period = rng.between(DAY, 2n * YEAR);
        const at = `instance ${i}`;
        const route = routeCover({ amount, period, vaults });
        checkRoute(route, { amount, period, vaults }, at);

        const { tables } = costTables(vaults, period);
        const best = bruteForce(tables, vaults.map(everyAmount), amount);
        expect(exactCostOf(route, vaults, tables), at).to.equal(best.exact);
        expect(route.totalPremium, at).to.be.at.most(best.premium + 2n * BigInt(route.legs.length) - 1n);
      }
    });

    it("beats every split on a grid, on vaults of real sizes", () => {
      const rng = new SplitMix64(0x9a1dn);
      for (let i = 0; i < 100; i++) {
        const decimals = rng.between(0n, 1n) === 0n ? 6n : 18n;
        const vaults = randomVaults(rng, Number(rng.between(2n, 3n)), 10n ** 9n).map((v) => ({
          ...v,
          capacity: v.capacity * 10n ** decimals,
          exposure: v.exposure * 10n ** decimals,
        }));
        const total = vaults.reduce((sum, v) => sum + available(v), 0n);
        if (total === 0n) continue;
        const amount = rng.between(1n, total);
        const period = rng.between(DAY, 2n * YEAR);
        const at = `instance ${i}`;
        const route = routeCover({ amount, period, vaults });
        checkRoute(route, { amount, period, vaults }, at);

        // Every vault but the last on a grid of about 50 points (plus all its free capacity), the last one taking
        // the rest exactly, priced with premiumUp.
        const grid = vaults.map((v) => gridAmounts(v, available(v) / 50n + 1n));
        const priced = vaults.map((v, k) =>
          grid[k]!.map((a) => premiumUp(v.curve, v.capacity, v.exposure, a, period))
        );
        let bestPremium = -1n;
        const last = vaults[vaults.length - 1]!;
        const visit = (k: number, left: bigint, premium: bigint) => {
          if (k === vaults.length - 1) {
            if (left > available(last)) return;
            const total = premium + premiumUp(last.curve, last.capacity, last.exposure, left, period);
            if (bestPremium < 0n || total < bestPremium) bestPremium = total;
            return;
          }
          grid[k]!.forEach((a, g) => {
            if (a <= left) visit(k + 1, left - a, premium + priced[k]![g]!);
          });
        };
        visit(0, amount, 0n);
        expect(bestPremium, at).to.be.at.least(0n);
        expect(route.totalPremium, at).to.be.at.most(bestPremium + 2n * BigInt(route.legs.length) - 1n);
      }
    });

    it("with a step, finds the exact minimum among splits in whole steps", () => {
      const rng = new SplitMix64(0x57e9n);
      for (let i = 0; i < 400; i++) {
        const step = rng.between(2n, 10n);
        const vaults = randomVaults(rng, Number(rng.between(2n, 3n)), 60n);
        const total = vaults.reduce((sum, v) => sum + (available(v) / step) * step, 0n);
        if (total === 0n) continue;
        const amount = rng.between(1n, total / step) * step;
        const period = rng.between(DAY, 2n * YEAR);
        const at = `instance ${i}`;
        const route = routeCover({ amount, period, vaults, step });
        checkRoute(route, { amount, period, vaults }, at);
        for (const leg of route.legs) expect(leg.amount % step, at).to.equal(0n);

        const { tables } = costTables(vaults, period);
        const multiples = (v: RouteVault) =>
          Array.from({ length: Number(available(v) / step) + 1 }, (_, k) => BigInt(k) * step);
        const best = bruteForce(tables, vaults.map(multiples), amount);
        expect(exactCostOf(route, vaults, tables), at).to.equal(best.exact);
        expect(route.totalPremium, at).to.be.at.most(best.premium + 2n * BigInt(route.legs.length) - 1n);
        // Never cheaper than the best split to the unit, of which the step grid is a part.
        const unitBest = bruteForce(tables, vaults.map(everyAmount), amount);
        expect(exactCostOf(route, vaults, tables), at).to.be.at.least(unitBest.exact);
      }
    });
  });

  it("routes across ten vaults of 1e30 quickly", () => {
    const rng = new SplitMix64(0xb16n);
    const vaults = Array.from({ length: 10 }, (_, i) => {
      const capacity = rng.logUniform(10n ** 24n, 10n ** 30n);
      return vault(`V${i}`, randomCurve(rng), capacity, rng.between(0n, capacity / 2n));
    });
    const amount = vaults.reduce((sum, v) => sum + available(v), 0n) / 2n;
    const started = performance.now();
    const route = routeCover({ amount, period: YEAR, vaults });
    const elapsed = performance.now() - started;
    checkRoute(route, { amount, period: YEAR, vaults }, "ten vaults");
    expect(elapsed).to.be.below(250);
  });

  describe("minimum leg (no dust policies)", () => {
    const USDC = 10n ** 6n;

    it("defaultMinLeg: one whole unit or 5% of the order, whichever is larger, never above the order", () => {
      expect(defaultMinLeg(1_000n * USDC, 6)).to.equal(50n * USDC);
      expect(defaultMinLeg(10n * USDC, 6)).to.equal(USDC);
      expect(defaultMinLeg(USDC / 2n, 6)).to.equal(USDC / 2n);
      expect(defaultMinLeg(1_001n, 0)).to.equal(51n);
    });

    it("the issue's case: a nearly full cheap vault gets no 0.000124-unit leg; the whole order goes elsewhere", () => {
      // The cheap vault has 124 base units (0.000124) of room: the optimum without a minimum uses it.
      const cheap = vault("cheap", flat(2n * PERCENT), 10_000n * USDC, 10_000n * USDC - 124n);
      const dear = vault("dear", flat(4n * PERCENT), 1_000_000n * USDC);
      const amount = 1_000n * USDC;
      const unconstrained = routeCover({ amount, period: YEAR, vaults: [cheap, dear] });
      expect(unconstrained.legs.map((leg) => leg.amount)).to.deep.equal([124n, amount - 124n]);
      const route = routeCover({ amount, period: YEAR, vaults: [cheap, dear], minLeg: defaultMinLeg(amount, 6) });
      expect(route.legs).to.deep.equal([
        { vault: "dear", amount, premium: premiumUp(dear.curve, dear.capacity, dear.exposure, amount, YEAR) },
      ]);
    });

    it("pins a dear vault at the minimum when the cheap one cannot hold the order alone", () => {
      const dear = vault("dear", flat(5n * PERCENT), 100n);
      const cheap = vault("cheap", flat(1n * PERCENT), 100n, 40n); // 60 free
      // Without a minimum: cheap 60, dear 50. With 55: dear may not take 50, and cheap cannot take 110 alone.
      expect(routeCover({ amount: 110n, period: YEAR, vaults: [dear, cheap] }).legs.map((leg) => leg.amount)).to.deep.equal([50n, 60n]);
      const route = routeCover({ amount: 110n, period: YEAR, vaults: [dear, cheap], minLeg: 55n });
      expect(route.legs.map((leg) => leg.amount)).to.deep.equal([55n, 55n]);
      // A vault with less room than the minimum takes no part at all.
      const tiny = vault("tiny", flat(0n), 10n);
      const error = thrownBy(() => routeCover({ amount: 165n, period: YEAR, vaults: [dear, cheap, tiny], minLeg: 55n }));
      expect(error).to.be.instanceOf(InsufficientCapacity).and.include({ requested: 165n, available: 160n });
    });

    it("fuzz: never returns a leg below the minimum; legs add up, fit each vault, and a refusal is justified", () => {
      const rng = new SplitMix64(0xd05en);
      let routed = 0;
      for (let i = 0; i < 3_000; i++) {
        const vaults = randomVaults(rng, Number(rng.between(1n, 5n)), rng.logUniform(10n, 10n ** 9n));
        const total = vaults.reduce((sum, v) => sum + available(v), 0n);
        if (total === 0n) continue;
        const amount = rng.between(1n, total);
        const minLeg = rng.between(0n, 1n) === 0n ? defaultMinLeg(amount, Number(rng.between(0n, 6n))) : rng.between(1n, amount);
        const floor = minLeg < amount ? minLeg : amount;
        const at = `instance ${i}: amount ${amount}, minLeg ${minLeg}`;
        let route: Route;
        try {
          route = routeCover({ amount, period: YEAR, vaults, minLeg });
        } catch (error) {
          if (error instanceof InsufficientCapacity) {
            // Only vaults able to take a whole minimum leg count, and they cannot hold the order.
            const usable = vaults.map(available).filter((free) => free >= floor);
            expect(usable.reduce((sum, free) => sum + free, 0n), at).to.be.below(amount);
            continue;
          }
          expect(error, at).to.be.instanceOf(NoRouteWithoutDust);
          continue;
        }
        routed++;
        checkRoute(route, { amount, period: YEAR, vaults }, at);
        for (const leg of route.legs) expect(leg.amount, at).to.be.at.least(floor);
      }
      expect(routed).to.be.greaterThan(2_000);
    });
  });
});
