/**
 * Writes test/vectors/tranche-vectors.json: tranche accruals (the loss waterfall, provisions given back, the premium
 * split) and the ratio limits computed by the SDK's twin (`sdk/src/core/trancheMath.ts`), which the Solidity suite
 * recomputes with `TrancheMath`, so the file is the shared proof that both agree to the unit.
 *
 * Deterministic (fixed seed): rerunning reproduces the file byte for byte.
 *
 * Run: `npm run vectors:tranche` (or `npx tsx scripts/generate-tranche-vectors.ts`).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import {
  accrueTranches,
  juniorRatioMet,
  maxJuniorExitDown,
  maxSeniorEntryDown,
  WAD,
  type TrancheBook,
  type TrancheParams,
} from "../sdk/src/index.js";
import { SplitMix64 } from "../test/sdk/prng.js";

const SEED = 0x7a4c4e_5eedn;
const CASES_PER_CATEGORY = 16;
const OUTPUT = new URL("../test/vectors/tranche-vectors.json", import.meta.url);
/** Bounds of TrancheManager's setters. */
const SHARE_BOUNDS = [10n ** 17n, 95n * 10n ** 16n] as const;
const RATIO_BOUNDS = [5n * 10n ** 16n, 5n * 10n ** 17n] as const;

type AccrualCase = {
  book: TrancheBook;
  value: bigint;
  provision: bigint;
  lastProvision: bigint;
  params: TrancheParams;
  bidPerEntryWad: bigint;
};

/** Amounts of a 6-decimal asset up to 1e12 units (1e18 base units), or of an 18-decimal one up to 1e30. */
function amount(rng: SplitMix64, high = 10n ** 24n): bigint {
  return rng.logUniform(1n, high);
}

function randomCase(rng: SplitMix64): AccrualCase {
  const junior = rng.between(0n, 3n) === 0n ? 0n : amount(rng);
  const senior = rng.between(0n, 3n) === 0n ? 0n : amount(rng);
  const juniorProvision = rng.between(0n, 1n) === 0n ? 0n : amount(rng);
  const seniorProvision = rng.between(0n, 2n) === 0n ? amount(rng) : 0n;
  const lastProvision = juniorProvision + seniorProvision + (rng.between(0n, 1n) === 0n ? 0n : amount(rng));
  return {
    book: { junior, senior, juniorProvision, seniorProvision },
    value: junior + senior,
    provision: lastProvision,
    lastProvision,
    params: {
      seniorPremiumShareWad: rng.between(...SHARE_BOUNDS),
      minJuniorRatioWad: rng.between(...RATIO_BOUNDS),
    },
    bidPerEntryWad: rng.between(WAD / 2n, WAD),
  };
}

const held = (c: AccrualCase) => c.book.junior + c.book.senior;

const CATEGORIES: Array<{ name: string; build: (rng: SplitMix64) => AccrualCase }> = [
  { name: "random-change", build: (rng) => ({ ...randomCase(rng), value: held(randomCase(rng)) }) },
  {
    name: "premium-only",
    build: (rng) => {
      const c = randomCase(rng);
      return { ...c, value: held(c) + amount(rng, held(c) / 10n + 1n) };
    },
  },
  {
    name: "loss-within-junior",
    build: (rng) => {
      const c = randomCase(rng);
      return { ...c, value: held(c) - rng.between(0n, c.book.junior) };
    },
  },
  {
    name: "loss-exactly-junior",
    build: (rng) => {
      const c = randomCase(rng);
      return { ...c, value: held(c) - c.book.junior };
    },
  },
  {
    name: "loss-junior-plus-one",
    build: (rng) => {
      const c = randomCase(rng);
      const book = { ...c.book, senior: c.book.senior + 1n };
      return { ...c, book, value: book.senior - 1n };
    },
  },
  {
    name: "loss-into-senior",
    build: (rng) => {
      const c = randomCase(rng);
      return { ...c, value: rng.between(0n, c.book.senior) };
    },
  },
  {
    name: "reserve-raised",
    build: (rng) => {
      const c = randomCase(rng);
      const raised = rng.between(0n, held(c));
      return { ...c, value: held(c) - raised, provision: c.lastProvision + raised };
    },
  },
  {
    name: "reserve-raised-with-premium",
    build: (rng) => {
      const c = randomCase(rng);
      const raised = rng.between(0n, held(c));
      const premium = rng.between(0n, raised);
      return { ...c, value: held(c) - raised + premium, provision: c.lastProvision + raised };
    },
  },
  {
    name: "reserve-released",
    build: (rng) => {
      const c = randomCase(rng);
      const fall = rng.between(0n, c.lastProvision);
      return { ...c, value: held(c) + fall, provision: c.lastProvision - fall };
    },
  },
  {
    name: "reserve-paid",
    build: (rng) => {
      const c = randomCase(rng);
      return { ...c, provision: rng.between(0n, c.lastProvision) };
    },
  },
  {
    name: "empty-book",
    build: (rng) => {
      const c = randomCase(rng);
      return { ...c, book: { junior: 0n, senior: 0n, juniorProvision: 0n, seniorProvision: 0n }, value: rng.between(0n, 3n) };
    },
  },
  {
    name: "dust",
    build: (rng) => {
      const c = randomCase(rng);
      const book = { junior: rng.between(0n, 3n), senior: rng.between(0n, 3n), juniorProvision: 0n, seniorProvision: 0n };
      return { ...c, book, value: rng.between(0n, 7n), provision: rng.between(0n, 2n), lastProvision: rng.between(0n, 2n) };
    },
  },
  {
    name: "bounds",
    build: (rng) => {
      const c = randomCase(rng);
      const params = {
        seniorPremiumShareWad: SHARE_BOUNDS[Number(rng.between(0n, 1n))],
        minJuniorRatioWad: RATIO_BOUNDS[Number(rng.between(0n, 1n))],
      };
      return { ...c, params, value: held(c) + amount(rng) };
    },
  },
];

const rng = new SplitMix64(SEED);
const vectors = CATEGORIES.flatMap((category) =>
  Array.from({ length: CASES_PER_CATEGORY }, (_, index) => {
    const c = category.build(rng);
    const { book, moved } = accrueTranches(c.book, c.value, c.provision, c.lastProvision, c.params);
    const { junior, senior } = c.book;
    const { minJuniorRatioWad } = c.params;
    return {
      name: `${category.name}-${index}`,
      junior: junior.toString(),
      senior: senior.toString(),
      juniorProvision: c.book.juniorProvision.toString(),
      seniorProvision: c.book.seniorProvision.toString(),
      value: c.value.toString(),
      provision: c.provision.toString(),
      lastProvision: c.lastProvision.toString(),
      seniorPremiumShareWad: c.params.seniorPremiumShareWad.toString(),
      minJuniorRatioWad: minJuniorRatioWad.toString(),
      bidPerEntryWad: c.bidPerEntryWad.toString(),
      expectedJunior: book.junior.toString(),
      expectedSenior: book.senior.toString(),
      expectedJuniorProvision: book.juniorProvision.toString(),
      expectedSeniorProvision: book.seniorProvision.toString(),
      premium: moved.premium.toString(),
      seniorPremium: moved.seniorPremium.toString(),
      juniorLoss: moved.juniorLoss.toString(),
      seniorLoss: moved.seniorLoss.toString(),
      juniorReleased: moved.juniorReleased.toString(),
      seniorReleased: moved.seniorReleased.toString(),
      ratioMet: juniorRatioMet(junior, senior, minJuniorRatioWad) ? "1" : "0",
      maxJuniorExit: maxJuniorExitDown(junior, senior, minJuniorRatioWad).toString(),
      maxSeniorEntry: maxSeniorEntryDown(junior, senior, c.bidPerEntryWad, minJuniorRatioWad).toString(),
    };
  }),
);

const file = {
  description:
    "Tranche parity vectors for TrancheMath (contracts/libraries/TrancheMath.sol) and its SDK twin " +
    "(sdk/src/core/trancheMath.ts): `accrue` of the book (junior, senior, juniorProvision, seniorProvision) to " +
    "`value` with the provision moving from `lastProvision` to `provision`, expected book and what moved; plus " +
    "juniorRatioMet (1/0), maxJuniorExitDown and maxSeniorEntryDown on the book before. Decimal strings in base " +
    "units, WAD parameters. Generated deterministically by scripts/generate-tranche-vectors.ts; do not edit by hand.",
  vectors,
};

mkdirSync(new URL(".", OUTPUT), { recursive: true });
writeFileSync(OUTPUT, `${JSON.stringify(file, null, 2)}\n`);
console.log(`Wrote ${vectors.length} vectors to ${fileURLToPath(OUTPUT)}`);
