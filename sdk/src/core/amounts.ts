// Solidity twin: none. Turns what a caller passes as an amount into the asset's smallest unit, refusing anything that
// would be silently misread (a JS number, a negative value, more decimals than the asset has).

import { ParapetError } from "./errors.js";

/**
 * An amount as the SDK accepts it: a `bigint` in the asset's smallest unit (`250_000_000000n` for 250,000 of a
 * 6-decimal asset), or a decimal string in whole asset units (`"250000"`, `"0.5"`, `"1_000.25"`).
 */
export type AmountInput = bigint | string;

/** An amount the SDK cannot read unambiguously; carries the offending value and what was expected. */
export class InvalidAmount extends ParapetError {
  /** Name of the offending argument, e.g. `amount`. */
  readonly parameter: string;
  /** The value passed, as given. */
  readonly value: unknown;

  /**
   * @param parameter - Name of the offending argument.
   * @param value - The value passed.
   * @param problem - What is wrong with it.
   */
  constructor(parameter: string, value: unknown, problem: string) {
    const shown = typeof value === "string" ? JSON.stringify(value) : typeof value === "bigint" ? `${value}n` : String(value);
    super(`${parameter} = ${shown} (${typeof value}) ${problem}`, "InvalidAmount");
    this.parameter = parameter;
    this.value = value;
  }
}

const DECIMAL = /^\d+(\.\d+)?$/;

/**
 * Reads an {@link AmountInput} into the asset's smallest unit.
 *
 * @param value - A `bigint` in base units, or a decimal string in asset units.
 * @param decimals - The asset's decimals (for strings).
 * @param parameter - The argument's name, for the error.
 * @param options - `allowZero` (default false).
 * @throws {@link InvalidAmount} for a number (even an integer: `1000` could mean units or base units), a negative or
 * zero amount, a string that is not a plain decimal, or one with more decimals than the asset.
 */
export function parseAmount(value: unknown, decimals: number, parameter = "amount", options: { allowZero?: boolean } = {}): bigint {
  let amount: bigint;
  if (typeof value === "bigint") {
    amount = value;
  } else if (typeof value === "string") {
    const text = value.trim().replaceAll("_", "");
    if (!DECIMAL.test(text)) {
      throw new InvalidAmount(parameter, value, 'is not a decimal number in asset units (e.g. "1000" or "0.25")');
    }
    const [whole, fraction = ""] = text.split(".") as [string, string?];
    if (fraction.length > decimals) throw new InvalidAmount(parameter, value, `has more than the asset's ${decimals} decimals`);
    amount = BigInt(whole) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, "0") || "0");
  } else {
    throw new InvalidAmount(
      parameter,
      value,
      'must be a bigint in the asset\'s smallest unit (250_000_000000n) or a decimal string in asset units ("250000")',
    );
  }
  if (amount < 0n) throw new InvalidAmount(parameter, value, "must not be negative");
  if (amount === 0n && options.allowZero !== true) throw new InvalidAmount(parameter, value, "must be greater than 0");
  return amount;
}

/** `amount` (smallest unit) as a decimal string in asset units, without trailing zeros: `1234500000n, 6` → `"1234.5"`. */
export function formatAssetAmount(amount: bigint, decimals: number): string {
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const unit = 10n ** BigInt(decimals);
  const fraction = (abs % unit).toString().padStart(decimals, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${abs / unit}${fraction === "" ? "" : `.${fraction}`}`;
}
