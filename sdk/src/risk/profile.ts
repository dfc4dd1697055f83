/**
 * The risk facts of one protocol, as a risk manager writes them down (a JSON file for `npm run risk -- assess`), and
 * their validation.
 *
 * @packageDocumentation
 */
import { InvalidArgument } from "../core/errors.js";

/** Protocol categories the model prices. */
export const CATEGORIES = ["lending", "dex", "yield", "bridge", "stablecoin", "liquid-staking"] as const;
export type Category = (typeof CATEGORIES)[number];

/** Who can change the protocol: one key, several keys, or several keys behind a delay. */
export const ADMIN_KINDS = ["eoa", "multisig", "timelock", "none"] as const;
export type AdminKind = (typeof ADMIN_KINDS)[number];

/** Where prices come from: none, a decentralised push feed (Chainlink-style), a time-weighted average, a spot price. */
export const ORACLE_KINDS = ["none", "feed", "twap", "spot"] as const;
export type OracleKind = (typeof ORACLE_KINDS)[number];

export const UPGRADEABILITY = ["immutable", "upgradeable"] as const;
export type Upgradeability = (typeof UPGRADEABILITY)[number];

/** One protocol's risk facts. */
export type ProtocolProfile = {
  /** Display name. */
  name: string;
  category: Category;
  /** Lower-case chain name as in the incident data (`ethereum`, `bsc`, `arbitrum`, ...). */
  chain: string;
  /** `YYYY-MM-DD` the covered contracts went live. */
  launchDate: string;
  /** Total value locked, US dollars. */
  tvlUsd: number;
  audits: {
    /** Independent audits of the deployed code. */
    count: number;
    /** `YYYY-MM-DD` of the latest one (required if count > 0). */
    lastAuditDate?: string;
  };
  /** Largest bug-bounty payout on offer, US dollars (0: none). */
  bugBountyUsd: number;
  admin: {
    kind: AdminKind;
    /** For `timelock`: the delay before an admin action takes effect, hours. */
    timelockDelayHours?: number;
  };
  upgradeability: Upgradeability;
  oracle: OracleKind;
  /** Size of the covered code, in non-blank, non-comment lines of Solidity. */
  codeLines: number;
  /** Exploits of this protocol so far (each a failure the cover would have paid). */
  pastIncidents: number;
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Days since the epoch of a `YYYY-MM-DD` date, or NaN if it is not a calendar date. */
export function dayNumber(date: string): number {
  if (!DATE.test(date)) return NaN;
  const time = Date.parse(`${date}T00:00:00Z`);
  return Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== date ? NaN : time / 86_400_000;
}

/**
 * Checks a parsed JSON value is a complete {@link ProtocolProfile}.
 *
 * @param value - E.g. `JSON.parse(file)`.
 * @returns The same value, typed.
 * @throws {@link InvalidArgument} naming the first missing or wrong field (`profile.audits.count must be ...`).
 */
export function validateProfile(value: unknown): ProtocolProfile {
  const record = (path: string, input: unknown): Record<string, unknown> => {
    if (typeof input !== "object" || input === null || Array.isArray(input)) throw new InvalidArgument(path, "must be an object");
    return input as Record<string, unknown>;
  };
  const profile = record("profile", value);
  const oneOf = <T extends string>(path: string, input: unknown, allowed: readonly T[]): T => {
    if (typeof input !== "string" || !allowed.includes(input as T)) {
      throw new InvalidArgument(path, `must be one of ${allowed.join(", ")} (got ${JSON.stringify(input)})`);
    }
    return input as T;
  };
  const number = (path: string, input: unknown, { min = 0, integer = false } = {}): number => {
    if (typeof input !== "number" || !Number.isFinite(input) || input < min || (integer && !Number.isInteger(input))) {
      throw new InvalidArgument(path, `must be a${integer ? "n integer" : " number"} >= ${min} (got ${JSON.stringify(input)})`);
    }
    return input;
  };
  const date = (path: string, input: unknown): string => {
    if (typeof input !== "string" || Number.isNaN(dayNumber(input))) {
      throw new InvalidArgument(path, `must be a YYYY-MM-DD date (got ${JSON.stringify(input)})`);
    }
    return input;
  };
  const text = (path: string, input: unknown): string => {
    if (typeof input !== "string" || input.trim() === "") throw new InvalidArgument(path, "must be a non-empty string");
    return input;
  };
  // Checked in the order the fields are declared, so the first wrong one is reported.
  const name = text("profile.name", profile.name);
  const category = oneOf("profile.category", profile.category, CATEGORIES);
  const chain = text("profile.chain", profile.chain).toLowerCase();
  const launchDate = date("profile.launchDate", profile.launchDate);
  const tvlUsd = number("profile.tvlUsd", profile.tvlUsd, { min: 1 });
  const audits = record("profile.audits", profile.audits);
  const auditCount = number("profile.audits.count", audits.count, { integer: true });
  const lastAuditDate = auditCount === 0 ? undefined : date("profile.audits.lastAuditDate", audits.lastAuditDate);
  const bugBountyUsd = number("profile.bugBountyUsd", profile.bugBountyUsd);
  const admin = record("profile.admin", profile.admin);
  const adminKind = oneOf("profile.admin.kind", admin.kind, ADMIN_KINDS);
  return {
    name,
    category,
    chain,
    launchDate,
    tvlUsd,
    audits: lastAuditDate === undefined ? { count: 0 } : { count: auditCount, lastAuditDate },
    bugBountyUsd,
    admin:
      adminKind === "timelock"
        ? { kind: adminKind, timelockDelayHours: number("profile.admin.timelockDelayHours", admin.timelockDelayHours) }
        : { kind: adminKind },
    upgradeability: oneOf("profile.upgradeability", profile.upgradeability, UPGRADEABILITY),
    oracle: oneOf("profile.oracle", profile.oracle, ORACLE_KINDS),
    codeLines: number("profile.codeLines", profile.codeLines, { min: 1, integer: true }),
    pastIncidents: number("profile.pastIncidents", profile.pastIncidents, { integer: true }),
  };
}
