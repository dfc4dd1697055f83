/**
 * Command-line plumbing shared by the Parapet tasks: parsing of user input into chain units, formatting of times, and
 * the action wrapper that turns expected failures into one clear `Error: …` line and a non-zero exit code.
 */
import { parseUnits } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { TaskArguments } from "hardhat/types/tasks";

import { table } from "../../lib/format.js";

/**
 * An expected failure: bad input, a missing deployment, too little balance, or a transaction the chain would revert.
 * Tasks throw it before sending anything, so nothing has changed on chain when it is reported.
 */
export class TaskError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TaskError";
  }
}

/** What every task action returns; Hardhat's CLI exits with code 1 when `success` is false. */
export type TaskResult<T = unknown> = { success: true; value: T } | { success: false; error: string };

/**
 * Wraps a task body: a {@link TaskError} (bad input, or a revert the `Parapet` module decoded) is printed as one line
 * on stderr and returned as a failed result, so the CLI exits with code 1 without a stack trace. Anything else is a
 * bug, or a failure of the node, and is rethrown for Hardhat to report.
 */
export function taskAction<ArgsT extends TaskArguments, T>(
  body: (args: ArgsT, hre: HardhatRuntimeEnvironment) => Promise<T>,
): (args: ArgsT, hre: HardhatRuntimeEnvironment) => Promise<TaskResult<T>> {
  return async (args, hre) => {
    try {
      return { success: true, value: await body(args, hre) };
    } catch (error) {
      if (!(error instanceof TaskError)) throw error;
      console.error(`Error: ${error.message}`);
      return { success: false, error: error.message };
    }
  };
}

/** The option's value, or a {@link TaskError} naming it when it is missing or blank. */
export function required(value: string | undefined, option: string): string {
  if (value === undefined || value.trim() === "") throw new TaskError(`${option} is required`);
  return value.trim();
}

const DECIMAL = /^(\d+\.?\d*|\.\d+)$/;

/**
 * Parses a positive amount given in human units (`1000`, `1_000.5`) into raw units, or as a raw integer when `raw`.
 * Rejects anything that is not a number, has more decimals than the token, or is not greater than zero.
 */
export function parseAmount(text: string | undefined, decimals: number, raw: boolean, option = "--amount"): bigint {
  const value = required(text, option).replaceAll("_", "");
  if (/^-\s*(\d|\.)/.test(value)) throw new TaskError(`${option} must be greater than 0 (got "${text}")`);
  if (raw ? !/^\d+$/.test(value) : !DECIMAL.test(value)) {
    throw new TaskError(`${option} must be ${raw ? "an integer number of raw units" : "a number"} (got "${text}")`);
  }
  const fraction = value.split(".")[1] ?? "";
  if (!raw && fraction.length > decimals) {
    throw new TaskError(`${option} has more than ${decimals} decimals (got "${text}")`);
  }
  const amount = raw ? BigInt(value) : parseUnits(value.endsWith(".") ? value.slice(0, -1) : value, decimals);
  if (amount <= 0n) throw new TaskError(`${option} must be greater than 0 (got "${text}")`);
  return amount;
}

/** Parses a positive integer id (policy, claim, incident, product). */
export function parseId(text: string | undefined, option: string): bigint {
  const value = required(text, option).replace(/^#/, "");
  if (!/^\d+$/.test(value) || BigInt(value) === 0n) {
    throw new TaskError(`${option} must be a positive integer id (got "${text}")`);
  }
  return BigInt(value);
}

/** Parses a cover period in days (fractions allowed) into seconds. */
export function parseDays(text: string | undefined, option = "--days"): bigint {
  const value = required(text, option);
  if (!DECIMAL.test(value)) throw new TaskError(`${option} must be a number of days (got "${text}")`);
  const seconds = BigInt(Math.round(Number(value) * 86_400));
  if (seconds <= 0n) throw new TaskError(`${option} must be greater than 0 (got "${text}")`);
  return seconds;
}

/** Parses basis points, an integer in `[0, max]`. */
export function parseBps(text: string, option: string, max = 10_000n): bigint {
  const value = text.trim();
  if (!/^\d+$/.test(value) || BigInt(value) > max) {
    throw new TaskError(`${option} must be an integer number of basis points between 0 and ${max} (got "${text}")`);
  }
  return BigInt(value);
}

/** Parses a percentage in `(0, 100]` into a WAD ratio (`30` → 0.3e18). */
export function parsePercentWad(text: string | undefined, option: string): bigint {
  const value = required(text, option).replace(/%$/, "");
  if (!DECIMAL.test(value)) throw new TaskError(`${option} must be a percentage (got "${text}")`);
  const fraction = value.split(".")[1] ?? "";
  if (fraction.length > 16) throw new TaskError(`${option} has too many decimals (got "${text}")`);
  const wad = parseUnits(value.endsWith(".") ? value.slice(0, -1) : value, 16);
  if (wad <= 0n || wad > 10n ** 18n) throw new TaskError(`${option} must be greater than 0 and at most 100 (got "${text}")`);
  return wad;
}

const UNIT_SECONDS: Record<string, bigint> = { s: 1n, m: 60n, h: 3_600n, d: 86_400n, w: 604_800n };

/**
 * Parses a point in time: unix seconds (`1732300000`), an ISO 8601 date (`2025-01-31T12:00:00Z`), `now`, or a time
 * before `now` (the chain's latest block time) such as `now-2h`, `3d-ago` or `"90m ago"` (a leading `-` would read as
 * an option on the command line).
 */
export function parseTime(text: string | undefined, now: bigint, option: string): bigint {
  const value = required(text, option);
  if (value === "now") return now;
  if (/^\d+$/.test(value)) return BigInt(value);
  const relative = /^(?:now\s*-\s*|-\s*)(\d+)\s*([smhdw])$|^(\d+)\s*([smhdw])[\s-]+ago$/.exec(value);
  if (relative !== null) {
    const [count, unit] = relative[1] === undefined ? [relative[3], relative[4]] : [relative[1], relative[2]];
    return now - BigInt(count) * UNIT_SECONDS[unit];
  }
  const millis = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(millis)) {
    throw new TaskError(
      `${option} must be unix seconds, an ISO date (2025-01-31T12:00:00Z), "now", or a time ago like now-2h or 3d-ago ` +
        `(got "${text}")`,
    );
  }
  return BigInt(Math.floor(millis / 1000));
}

/** `93784` → "1d 2h": the largest unit and the next one. */
export function formatDuration(seconds: bigint): string {
  const total = seconds < 0n ? -seconds : seconds;
  const units: Array<[bigint, string]> = [
    [total / 86_400n, "d"],
    [(total % 86_400n) / 3_600n, "h"],
    [(total % 3_600n) / 60n, "m"],
    [total % 60n, "s"],
  ];
  const first = units.findIndex(([count]) => count > 0n);
  if (first === -1) return "0s";
  return units
    .slice(first, first + 2)
    .filter(([count]) => count > 0n)
    .map(([count, unit]) => `${count}${unit}`)
    .join(" ");
}

/** A unix time as "2025-01-31 12:00:00 UTC", with "(in 2d 3h)" / "(3h ago)" relative to `now` when given. */
export function formatTime(timestamp: bigint, now?: bigint): string {
  const text = new Date(Number(timestamp) * 1000).toISOString().replace("T", " ").replace(/\.\d{3}Z$/, " UTC");
  if (now === undefined) return text;
  if (timestamp === now) return `${text} (now)`;
  return timestamp > now ? `${text} (in ${formatDuration(timestamp - now)})` : `${text} (${formatDuration(now - timestamp)} ago)`;
}

/** Prints a section heading. */
export function heading(text: string): void {
  console.log(`\n${text}\n${"─".repeat(text.length)}`);
}

/** Prints aligned `label  value` lines. */
export function keyValues(rows: Array<[string, string]>): void {
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
}

/** `table` from `scripts/lib/format.ts`, with the `left` columns (text) left-aligned instead of right-aligned. */
export function textTable(headers: string[], rows: string[][], left: number[]): string {
  const padded = [headers, ...rows].map((row) => [...row]);
  for (const column of left) {
    const width = Math.max(...padded.map((row) => row[column].length));
    for (const row of padded) row[column] = row[column].padEnd(width);
  }
  return table(padded[0], padded.slice(1))
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n");
}
