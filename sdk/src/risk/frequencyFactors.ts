/**
 * How a protocol's risk facts scale its failure rate. Each factor multiplies the rate of one group of attack types
 * (the incident data's `attack_type`), or of all of them; the groups' weights are the attack-type mix the data shows.
 *
 * None of these multipliers can be fitted from the incident list (it records no audits, admins or ages), so each is a
 * stated judgement with its reasoning, kept deliberately coarse; the neutral value 1 is the typical listed protocol.
 *
 * @packageDocumentation
 */
import type { Category, ProtocolProfile } from "./profile.js";
import { dayNumber } from "./profile.js";

/** Groups of attack types a factor can act on. */
export type AttackGroup = "code" | "economic" | "admin" | "bridge";

/** The incident data's attack types, grouped by what defends against them. Types not listed count as `code`. */
export const ATTACK_GROUP: Readonly<Record<string, AttackGroup>> = {
  // Bugs in the protocol's own code: audits, bounties and less code help.
  reentrancy: "code",
  "logic-error": "code",
  rounding: "code",
  overflow: "code",
  "input-validation": "code",
  "arbitrary-call": "code",
  signature: "code",
  randomness: "code",
  other: "code",
  // Price and market attacks: the oracle design decides.
  "price-manipulation": "economic",
  oracle: "economic",
  flashloan: "economic",
  // Who holds the keys: admin control and upgradeability decide.
  "access-control": "admin",
  "key-compromise": "admin",
  "rug-pull": "admin",
  governance: "admin",
  // Cross-chain messaging.
  bridge: "bridge",
};

/** The group of an attack type (`code` for a type the table does not list). */
export function attackGroup(attackType: string): AttackGroup {
  return ATTACK_GROUP[attackType] ?? "code";
}

/** One factor's multiplier and what it acts on. */
export type FrequencyFactor = {
  factor: "category" | "age" | "audits" | "bug bounty" | "admin" | "upgradeability" | "oracle" | "code size";
  /** The fact, in words (`3 audits, latest 4 months ago`). */
  fact: string;
  multiplier: number;
  appliesTo: AttackGroup | "all";
  /** Why the multiplier has this value. */
  reason: string;
};

/**
 * Failure rate by category, relative to a lending market. Judgement from the public loss record: bridges hold the
 * largest single losses (Ronin, Wormhole, Nomad, Harmony; Chainalysis put bridge hacks at about 69% of funds stolen
 * in 2022) and concentrate keys and message verification; yield aggregators compose other protocols and inherit
 * their failures on top of their own strategies (Harvest, Value DeFi, Pickle, Yearn's 2021 DAI vault); DEXes and
 * stablecoins have simpler, much-forked cores; liquid staking has the fewest incidents in the list.
 */
export const CATEGORY_MULTIPLIER: Readonly<Record<Category, number>> = {
  lending: 1,
  dex: 0.8,
  yield: 1.5,
  bridge: 2,
  stablecoin: 0.8,
  "liquid-staking": 0.6,
};

/**
 * Failure rate by age (years live). Judgement: new code has not yet been attacked by the whole market, and bugs are
 * found fastest in the first months; a protocol that has held value for years has survived that scrutiny (the
 * "Lindy" argument). One to two years is neutral.
 */
export const AGE_MULTIPLIER: ReadonlyArray<{ belowYears: number; multiplier: number }> = [
  { belowYears: 0.5, multiplier: 2 },
  { belowYears: 1, multiplier: 1.5 },
  { belowYears: 2, multiplier: 1 },
  { belowYears: 4, multiplier: 0.7 },
  { belowYears: Infinity, multiplier: 0.5 },
];

/**
 * Code-bug rate by number of independent audits. Judgement: one audit is the norm among listed protocols (neutral);
 * an unaudited protocol ships the bugs any audit finds first; each further audit finds fewer new ones (diminishing
 * returns), so three or more are capped at 0.6.
 */
export const AUDIT_MULTIPLIER: readonly number[] = [2.5, 1, 0.75, 0.6];

/**
 * An audit older than this no longer covers the code that runs: teams ship changes after it. Such audits keep half
 * their effect (the square root of the multiplier). 24 months is two typical release cycles.
 */
export const STALE_AUDIT_MONTHS = 24;

/**
 * Code-bug rate by the largest bounty on offer, US dollars. Judgement: a bounty turns some finders into reporters,
 * the more so the closer it comes to what an exploit pays; none at all is slightly worse than the typical protocol.
 */
export const BUG_BOUNTY_MULTIPLIER: ReadonlyArray<{ fromUsd: number; multiplier: number }> = [
  { fromUsd: 1_000_000, multiplier: 0.7 },
  { fromUsd: 100_000, multiplier: 0.85 },
  { fromUsd: 1, multiplier: 1 },
  { fromUsd: 0, multiplier: 1.2 },
];

/**
 * Admin-attack rate (access control, key compromise, rug pull, governance) by who holds control. Judgement: one key
 * (EOA) is one phishing or one insider away from a drain, several times a multisig's exposure; a timelock lets users
 * and guardians react to a malicious action (halved with a delay of two days or more, the common governance delay);
 * no admin at all leaves only permissionless paths.
 */
export const ADMIN_MULTIPLIER = { eoa: 3, multisig: 1, timelockShort: 0.75, timelockLong: 0.5, none: 0.4 } as const;

/** A timelock delay at or above this many hours counts as long (Compound's and Aave's governance use 2 days). */
export const LONG_TIMELOCK_HOURS = 48;

/**
 * Admin-attack rate by upgradeability. Judgement: an upgradeable proxy adds an initialisation and upgrade path
 * (uninitialised proxies and unprotected upgrades are recurring `access-control` rows) and lets unaudited code in.
 */
export const UPGRADEABILITY_MULTIPLIER = { immutable: 0.8, upgradeable: 1.25 } as const;

/**
 * Market-attack rate (price manipulation, oracle, flash loan) by oracle design. Judgement: spot prices read from an
 * AMM are what most `price-manipulation` rows exploit (one flash loan moves them); a TWAP costs more to move; a
 * decentralised push feed is the neutral norm for lending; no price dependence removes most of the surface.
 */
export const ORACLE_MULTIPLIER = { none: 0.3, feed: 1, twap: 1.5, spot: 3 } as const;

/**
 * Code size at which the code-bug rate is neutral, in non-comment Solidity lines: the order of a typical audit scope
 * for a single DeFi protocol.
 */
export const REFERENCE_CODE_LINES = 3_000;

/**
 * Exponent of the code-size effect, `(lines / REFERENCE_CODE_LINES)^0.5`: defects grow with code, but larger code
 * bases also get more review, so less than proportionally. Bounded to [0.5, 3] so one fact cannot dominate.
 */
export const CODE_SIZE_EXPONENT = 0.5;
export const CODE_SIZE_BOUNDS = [0.5, 3] as const;

const DAYS_PER_YEAR = 365.25;
const DAYS_PER_MONTH = DAYS_PER_YEAR / 12;

/** Years from a `YYYY-MM-DD` date to another. */
export function yearsBetween(from: string, to: string): number {
  return (dayNumber(to) - dayNumber(from)) / DAYS_PER_YEAR;
}

/**
 * Every factor of a profile, as of a date.
 *
 * @param profile - A validated profile.
 * @param asOf - `YYYY-MM-DD` of the assessment (ages and audit staleness are measured to it).
 */
export function frequencyFactors(profile: ProtocolProfile, asOf: string): FrequencyFactor[] {
  const ageYears = Math.max(0, yearsBetween(profile.launchDate, asOf));
  const age = AGE_MULTIPLIER.find((step) => ageYears < step.belowYears)!;

  const { count, lastAuditDate } = profile.audits;
  const byCount = AUDIT_MULTIPLIER[Math.min(count, AUDIT_MULTIPLIER.length - 1)]!;
  const auditMonths = lastAuditDate === undefined ? undefined : (dayNumber(asOf) - dayNumber(lastAuditDate)) / DAYS_PER_MONTH;
  const stale = auditMonths !== undefined && auditMonths > STALE_AUDIT_MONTHS;

  const bounty = BUG_BOUNTY_MULTIPLIER.find((step) => profile.bugBountyUsd >= step.fromUsd)!;

  const { kind, timelockDelayHours = 0 } = profile.admin;
  const longTimelock = timelockDelayHours >= LONG_TIMELOCK_HOURS;
  const admin =
    kind === "timelock" ? (longTimelock ? ADMIN_MULTIPLIER.timelockLong : ADMIN_MULTIPLIER.timelockShort) : ADMIN_MULTIPLIER[kind];

  const [low, high] = CODE_SIZE_BOUNDS;
  const size = Math.min(high, Math.max(low, (profile.codeLines / REFERENCE_CODE_LINES) ** CODE_SIZE_EXPONENT));

  return [
    {
      factor: "category",
      fact: profile.category,
      multiplier: CATEGORY_MULTIPLIER[profile.category],
      appliesTo: "all",
      reason: "category's failure record relative to lending",
    },
    {
      factor: "age",
      fact: `${ageYears.toFixed(1)} years live`,
      multiplier: age.multiplier,
      appliesTo: "all",
      reason: ageYears < 1 ? "young code the market has not finished attacking" : ageYears >= 2 ? "survived years of attacks" : "neutral age",
    },
    {
      factor: "audits",
      fact: count === 0 ? "no audit" : `${count} audit${count > 1 ? "s" : ""}, latest ${auditMonths!.toFixed(0)} months ago`,
      multiplier: stale ? Math.sqrt(byCount) : byCount,
      appliesTo: "code",
      reason: count === 0 ? "unaudited code ships the bugs any audit finds" : stale ? `older than ${STALE_AUDIT_MONTHS} months: half its effect` : "audited code",
    },
    {
      factor: "bug bounty",
      fact: profile.bugBountyUsd === 0 ? "none" : `$${profile.bugBountyUsd.toLocaleString("en-US")}`,
      multiplier: bounty.multiplier,
      appliesTo: "code",
      reason: profile.bugBountyUsd === 0 ? "no reward for reporting instead of exploiting" : "a reward for reporting instead of exploiting",
    },
    {
      factor: "admin",
      fact: kind === "timelock" ? `timelock, ${timelockDelayHours} h delay` : kind,
      multiplier: admin,
      appliesTo: "admin",
      reason: kind === "eoa" ? "one key controls the protocol" : kind === "timelock" ? "admin actions wait for the delay" : kind === "none" ? "no admin path" : "several keys must agree",
    },
    {
      factor: "upgradeability",
      fact: profile.upgradeability,
      multiplier: UPGRADEABILITY_MULTIPLIER[profile.upgradeability],
      appliesTo: "admin",
      reason: profile.upgradeability === "upgradeable" ? "an upgrade path can be hijacked or ship unaudited code" : "no upgrade path",
    },
    {
      factor: "oracle",
      fact: profile.oracle,
      multiplier: ORACLE_MULTIPLIER[profile.oracle],
      appliesTo: "economic",
      reason: { none: "no price dependence", feed: "decentralised push feed", twap: "time-weighted price, costly to move", spot: "spot price one flash loan can move" }[profile.oracle],
    },
    {
      factor: "code size",
      fact: `${profile.codeLines.toLocaleString("en-US")} lines`,
      multiplier: size,
      appliesTo: "code",
      reason: `(lines / ${REFERENCE_CODE_LINES.toLocaleString("en-US")})^${CODE_SIZE_EXPONENT}, within [${low}, ${high}]`,
    },
  ];
}
