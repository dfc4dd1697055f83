/**
 * Writes test/vectors/premium-vectors.json: premium cases priced by the SDK's `premiumUp`, which the Solidity suite
 * re-prices with `PremiumMath`, so the file is the shared proof that both agree to the unit.
 *
 * Deterministic (fixed seed, no Math.random): rerunning must reproduce the file byte for byte, so any diff in review
 * means the pricing or the generator changed.
 *
 * Run: `npx hardhat run scripts/generate-premium-vectors.ts` (or `npx tsx scripts/generate-premium-vectors.ts`).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { premiumUp, WAD, wadMulDown, YEAR, type RateCurve } from "../sdk/src/index.js";

const SEED = 0x9a7a9e7_5eedn;
const CASES_PER_CATEGORY_AND_DECIMALS = 12;
const DAY = 86_400n;
const MIN_PERIOD = DAY;
const MAX_PERIOD = 730n * DAY;
const LOWEST_BASE_RATE_WAD = 10n ** 14n;
const HIGHEST_RATE_WAD = WAD;
const HUGE_CAPACITY_FLOOR = 10n ** 27n;
const DUST_CAPACITY_CEILING = 100n;
const CAPACITY_CEILING = 10n ** 30n;
const OUTPUT = new URL("../test/vectors/premium-vectors.json", import.meta.url);

type Decimals = 6 | 18;

type PremiumCase = {
  curve: RateCurve;
  capacity: bigint;
  exposure: bigint;
  amount: bigint;
  period: bigint;
};

/** What a purchase is priced against. */
type Market = Omit<PremiumCase, "exposure" | "amount">;

type Category = {
  name: string;
  decimals: readonly Decimals[];
  build: (rng: SplitMix64, decimals: Decimals) => PremiumCase;
};

/** SplitMix64 over bigint: tiny, well mixed, and identical on every platform. */
class SplitMix64 {
  static readonly #MASK = (1n << 64n) - 1n;
  #state: bigint;

  constructor(seed: bigint) {
    this.#state = seed & SplitMix64.#MASK;
  }

  next64(): bigint {
    this.#state = (this.#state + 0x9e3779b97f4a7c15n) & SplitMix64.#MASK;
    let z = this.#state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & SplitMix64.#MASK;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & SplitMix64.#MASK;
    return z ^ (z >> 31n);
  }

  /** Uniform in [low, high]; 64 spare random bits keep the modulo bias below 2^-64. */
  between(low: bigint, high: bigint): bigint {
    const span = high - low + 1n;
    let bits = 0n;
    let entropy = 0n;
    while (bits < BigInt(span.toString(2).length) + 64n) {
      entropy = (entropy << 64n) | this.next64();
      bits += 64n;
    }
    return low + (entropy % span);
  }

  /** Spread evenly over orders of magnitude in [low, high], so 1-digit and 30-digit values are equally likely. */
  logUniform(low: bigint, high: bigint): bigint {
    const digits = Number(this.between(BigInt(low.toString().length), BigInt(high.toString().length)));
    const decadeLow = 10n ** BigInt(digits - 1);
    return this.between(decadeLow > low ? decadeLow : low, decadeLow * 10n - 1n < high ? decadeLow * 10n - 1n : high);
  }
}

function randomCurve(rng: SplitMix64): RateCurve {
  const baseRateWad = rng.logUniform(LOWEST_BASE_RATE_WAD, HIGHEST_RATE_WAD);
  return { baseRateWad, kinkWad: rng.between(0n, WAD), maxRateWad: rng.between(baseRateWad, HIGHEST_RATE_WAD) };
}

/** A kink strictly inside the capacity, so purchases can sit wholly on either side of it. */
function withInteriorKink(rng: SplitMix64, curve: RateCurve): RateCurve {
  return { ...curve, kinkWad: rng.between(WAD / 100n, (WAD * 99n) / 100n) };
}

/** From ten whole units up to a trillion, capped where the vectors promise nothing overflows. */
function randomCapacity(rng: SplitMix64, decimals: Decimals): bigint {
  const ceiling = 10n ** BigInt(decimals + 12);
  return rng.logUniform(10n ** BigInt(decimals + 1), ceiling < CAPACITY_CEILING ? ceiling : CAPACITY_CEILING);
}

function randomPeriod(rng: SplitMix64): bigint {
  return rng.between(MIN_PERIOD, MAX_PERIOD);
}

/** A curve, capacity and period, random unless given; the purchase against them is chosen per category. */
function randomMarket(
  rng: SplitMix64,
  decimals: Decimals,
  {
    curve = randomCurve(rng),
    capacity = randomCapacity(rng, decimals),
    period = randomPeriod(rng),
  }: Partial<Market> = {}
): Market {
  return { curve, capacity, period };
}

/** Any purchase that fits: exposure uniform, amount spread over magnitudes so both dust and bulk appear. */
function randomCase(rng: SplitMix64, decimals: Decimals, fixed: Partial<Market> = {}): PremiumCase {
  const market = randomMarket(rng, decimals, fixed);
  const exposure = rng.between(0n, market.capacity - 1n);
  return { ...market, exposure, amount: rng.logUniform(1n, market.capacity - exposure) };
}

/** A purchase from `exposure` to `end`, on a curve with an interior kink placed before the range is chosen. */
function caseAroundKink(
  rng: SplitMix64,
  decimals: Decimals,
  chooseRange: (kink: bigint, capacity: bigint) => { exposure: bigint; end: bigint }
): PremiumCase {
  const market = randomMarket(rng, decimals, { curve: withInteriorKink(rng, randomCurve(rng)) });
  const { exposure, end } = chooseRange(wadMulDown(market.capacity, market.curve.kinkWad), market.capacity);
  return { ...market, exposure, amount: end - exposure };
}

/** A purchase ending exactly at `end`, with the amount spread over magnitudes. */
function caseEndingAt(rng: SplitMix64, decimals: Decimals, endFromCapacity: (capacity: bigint) => bigint): PremiumCase {
  const market = randomMarket(rng, decimals);
  const end = endFromCapacity(market.capacity);
  const amount = rng.logUniform(1n, end);
  return { ...market, exposure: end - amount, amount };
}

function greatestCommonDivisor(a: bigint, b: bigint): bigint {
  return b === 0n ? a : greatestCommonDivisor(b, a % b);
}

/** `value⁻¹ mod modulus`, for `value` coprime to `modulus`, by the extended Euclidean algorithm. */
function modularInverse(value: bigint, modulus: bigint): bigint {
  let [remainder, nextRemainder] = [value % modulus, modulus];
  let [coefficient, nextCoefficient] = [1n, 0n];
  while (nextRemainder !== 0n) {
    const quotient = remainder / nextRemainder;
    [remainder, nextRemainder] = [nextRemainder, remainder - quotient * nextRemainder];
    [coefficient, nextCoefficient] = [nextCoefficient, coefficient - quotient * nextCoefficient];
  }
  return ((coefficient % modulus) + modulus) % modulus;
}

/**
 * A purchase past the kink whose integral, with its slope term rounded down, is an exact multiple of one premium
 * unit (YEAR·WAD / period). Rounding the slope up then adds exactly one unit to the premium, so these vectors tell
 * `Ceil` from `Floor` in the slope step, which on random inputs the final division almost always hides.
 * Solved for the base rate: base·amount + floor(slope) ≡ 0 (mod YEAR·WAD / gcd(period, YEAR·WAD)).
 */
function caseWithVisibleSlopeRounding(rng: SplitMix64, decimals: Decimals): PremiumCase {
  for (;;) {
    const market = randomMarket(rng, decimals, {
      curve: withInteriorKink(rng, randomCurve(rng)),
      period: rng.between(1n, 2n) * YEAR,
    });
    const kink = wadMulDown(market.capacity, market.curve.kinkWad);
    const exposure = rng.between(0n, market.capacity - 1n);
    const amount = rng.logUniform(1n, market.capacity - exposure);
    const end = exposure + amount;
    const premiumUnitModulus = (YEAR * WAD) / greatestCommonDivisor(market.period, YEAR * WAD);
    if (end <= kink || greatestCommonDivisor(amount, premiumUnitModulus) !== 1n) continue;
    const start = exposure > kink ? exposure : kink;
    const rateSpread = rng.between(1n, HIGHEST_RATE_WAD / 2n);
    const slopeNumerator = rateSpread * (end - start) * (end + start - 2n * kink);
    const slopeDenominator = 2n * (market.capacity - kink);
    if (slopeNumerator % slopeDenominator === 0n) continue;
    const flooredSlope = slopeNumerator / slopeDenominator;
    const residue =
      (premiumUnitModulus - ((flooredSlope * modularInverse(amount, premiumUnitModulus)) % premiumUnitModulus)) %
      premiumUnitModulus;
    const baseRateWad = residue < LOWEST_BASE_RATE_WAD ? residue + premiumUnitModulus : residue;
    if (baseRateWad + rateSpread > HIGHEST_RATE_WAD) continue;
    const curve = { ...market.curve, baseRateWad, maxRateWad: baseRateWad + rateSpread };
    return { ...market, curve, exposure, amount };
  }
}

const BOTH: readonly Decimals[] = [6, 18];

const CATEGORIES: readonly Category[] = [
  {
    name: "below-kink",
    decimals: BOTH,
    build: (rng, decimals) =>
      caseAroundKink(rng, decimals, (kink) => {
        const end = rng.between(1n, kink - 1n);
        return { exposure: end - rng.logUniform(1n, end), end };
      }),
  },
  {
    name: "end-at-kink",
    decimals: BOTH,
    build: (rng, decimals) =>
      caseAroundKink(rng, decimals, (kink) => ({ exposure: kink - rng.logUniform(1n, kink), end: kink })),
  },
  {
    name: "start-at-kink",
    decimals: BOTH,
    build: (rng, decimals) =>
      caseAroundKink(rng, decimals, (kink, capacity) => ({
        exposure: kink,
        end: kink + rng.logUniform(1n, capacity - kink),
      })),
  },
  {
    name: "straddle-kink",
    decimals: BOTH,
    build: (rng, decimals) =>
      caseAroundKink(rng, decimals, (kink, capacity) => ({
        exposure: rng.between(0n, kink - 1n),
        end: rng.between(kink + 1n, capacity),
      })),
  },
  {
    name: "above-kink",
    decimals: BOTH,
    build: (rng, decimals) =>
      caseAroundKink(rng, decimals, (kink, capacity) => {
        const exposure = rng.between(kink + 1n, capacity - 1n);
        return { exposure, end: exposure + rng.logUniform(1n, capacity - exposure) };
      }),
  },
  {
    name: "full-capacity",
    decimals: BOTH,
    build: (rng, decimals) => caseEndingAt(rng, decimals, (capacity) => capacity),
  },
  {
    name: "capacity-minus-one",
    decimals: BOTH,
    build: (rng, decimals) => caseEndingAt(rng, decimals, (capacity) => capacity - 1n),
  },
  {
    name: "tiny-1wei",
    decimals: BOTH,
    build: (rng, decimals) => {
      const market = randomMarket(rng, decimals);
      return { ...market, exposure: rng.between(0n, market.capacity - 1n), amount: 1n };
    },
  },
  {
    name: "tiny-1unit",
    decimals: BOTH,
    build: (rng, decimals) => {
      const market = randomMarket(rng, decimals);
      const oneUnit = 10n ** BigInt(decimals);
      return { ...market, exposure: rng.between(0n, market.capacity - oneUnit), amount: oneUnit };
    },
  },
  {
    name: "dust-capacity",
    decimals: BOTH,
    build: (rng, decimals) => randomCase(rng, decimals, { capacity: rng.between(2n, DUST_CAPACITY_CEILING) }),
  },
  {
    name: "slope-round-up",
    decimals: BOTH,
    build: caseWithVisibleSlopeRounding,
  },
  {
    name: "huge",
    decimals: [18],
    build: (rng) => {
      const capacity = rng.logUniform(HUGE_CAPACITY_FLOOR, CAPACITY_CEILING);
      const exposure = rng.between(0n, capacity / 2n);
      const amount = rng.logUniform(capacity / 1000n, capacity - exposure);
      return { curve: randomCurve(rng), capacity, exposure, amount, period: randomPeriod(rng) };
    },
  },
  {
    name: "min-period",
    decimals: BOTH,
    build: (rng, decimals) => randomCase(rng, decimals, { period: MIN_PERIOD }),
  },
  {
    name: "max-period",
    decimals: BOTH,
    build: (rng, decimals) => randomCase(rng, decimals, { period: MAX_PERIOD }),
  },
  {
    name: "kink-zero",
    decimals: BOTH,
    build: (rng, decimals) => randomCase(rng, decimals, { curve: { ...randomCurve(rng), kinkWad: 0n } }),
  },
  {
    name: "kink-one",
    decimals: BOTH,
    build: (rng, decimals) => randomCase(rng, decimals, { curve: { ...randomCurve(rng), kinkWad: WAD } }),
  },
  {
    name: "flat-curve",
    decimals: BOTH,
    build: (rng, decimals) => {
      const curve = randomCurve(rng);
      return randomCase(rng, decimals, { curve: { ...curve, maxRateWad: curve.baseRateWad } });
    },
  },
  {
    name: "max-rate-100pct",
    decimals: BOTH,
    build: (rng, decimals) =>
      randomCase(rng, decimals, { curve: { ...randomCurve(rng), maxRateWad: HIGHEST_RATE_WAD } }),
  },
  {
    name: "low-base",
    decimals: BOTH,
    build: (rng, decimals) =>
      randomCase(rng, decimals, { curve: { ...randomCurve(rng), baseRateWad: LOWEST_BASE_RATE_WAD } }),
  },
];

const rng = new SplitMix64(SEED);
const vectors = CATEGORIES.flatMap((category) =>
  category.decimals.flatMap((decimals) =>
    Array.from({ length: CASES_PER_CATEGORY_AND_DECIMALS }, (_, index) => {
      const { curve, capacity, exposure, amount, period } = category.build(rng, decimals);
      return {
        name: `${category.name}-${decimals}dec-${index}`,
        decimals,
        baseRateWad: curve.baseRateWad.toString(),
        kinkWad: curve.kinkWad.toString(),
        maxRateWad: curve.maxRateWad.toString(),
        capacity: capacity.toString(),
        exposure: exposure.toString(),
        amount: amount.toString(),
        period: period.toString(),
        premium: premiumUp(curve, capacity, exposure, amount, period).toString(),
      };
    })
  )
);

const file = {
  description:
    "Premium parity vectors for PremiumMath.premiumUp (contracts/libraries/PremiumMath.sol) and its SDK twin " +
    "premiumUp (sdk/src/core/premiumMath.ts). All numbers are decimal strings in the asset's smallest unit, rates " +
    "in WAD per year, period in seconds; `premium` is the expected result to the unit. Names are " +
    "<category>-<decimals>dec-<index>. Generated deterministically by scripts/generate-premium-vectors.ts; " +
    "do not edit by hand.",
  vectors,
};

mkdirSync(new URL(".", OUTPUT), { recursive: true });
writeFileSync(OUTPUT, `${JSON.stringify(file, null, 2)}\n`);
console.log(`Wrote ${vectors.length} vectors to ${fileURLToPath(OUTPUT)}`);
