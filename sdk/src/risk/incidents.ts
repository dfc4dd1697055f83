/**
 * The exploit incident list (`data/exploits/defihacklabs-incidents.csv`, see its README and NOTICE) read into typed
 * records, and the one rule that turns a record's loss into US dollars.
 *
 * @packageDocumentation
 */
import { InvalidArgument } from "../core/errors.js";
import { parseCsv } from "./csv.js";

/** How the source's loss text reads (the data README's `loss_basis`). */
export type LossBasis = "usd" | "usd-partial" | "stablecoin" | "token" | "multi-token" | "bare-number" | "none";

const LOSS_BASES: readonly LossBasis[] = ["usd", "usd-partial", "stablecoin", "token", "multi-token", "bare-number", "none"];

/** One incident: the columns the model reads. */
export type Incident = {
  /** `YYYY-MM-DD`, the source heading's date. */
  date: string;
  /** Calendar year of `date`. */
  year: number;
  protocol: string;
  /** Lower-case chain of the proof of concept's fork, or `""` where the data has none. */
  chain: string;
  /** One coarse label (`logic-error`, `price-manipulation`, ...). */
  attackType: string;
  lossBasis: LossBasis;
  /** The source's explicit dollar figure, where it has one. */
  lossUsd: number | undefined;
  /** The parsed number in `lossUnit` units (not dollars unless the unit is USD). */
  lossAmount: number | undefined;
  lossUnit: string;
};

/** The columns the model needs; a file without one of them is not the incident list. */
export const INCIDENT_COLUMNS = ["date", "chain", "loss_usd", "attack_type", "loss_basis", "loss_amount", "loss_unit"] as const;

/**
 * Parses the incident CSV (the shipped file, or any file with the same columns, e.g. one year split off it).
 *
 * @param text - The whole file, header first.
 * @returns One record per row.
 * @throws {@link InvalidArgument} naming the row and column of the first malformed value.
 */
export function parseIncidents(text: string): Incident[] {
  const [header, ...rows] = parseCsv(text);
  if (header === undefined) throw new InvalidArgument("incident CSV", "is empty");
  const column = new Map(header.map((name, index) => [name.trim(), index]));
  for (const name of INCIDENT_COLUMNS) {
    if (!column.has(name)) throw new InvalidArgument("incident CSV", `has no \`${name}\` column (header: ${header.join(",")})`);
  }
  return rows
    .filter((row) => row.some((cell) => cell.trim() !== ""))
    .map((row, index) => {
      const line = index + 2;
      const cell = (name: (typeof INCIDENT_COLUMNS)[number] | "protocol") => (row[column.get(name) ?? -1] ?? "").trim();
      const date = cell("date");
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new InvalidArgument(`incident CSV line ${line}: date`, `"${date}" is not YYYY-MM-DD`);
      const lossBasis = cell("loss_basis") as LossBasis;
      if (!LOSS_BASES.includes(lossBasis)) {
        throw new InvalidArgument(`incident CSV line ${line}: loss_basis`, `"${lossBasis}" is not one of ${LOSS_BASES.join(", ")}`);
      }
      const number = (name: "loss_usd" | "loss_amount") => {
        const text = cell(name);
        if (text === "") return undefined;
        const value = Number(text);
        if (!Number.isFinite(value) || value < 0) {
          throw new InvalidArgument(`incident CSV line ${line}: ${name}`, `"${text}" is not a non-negative number`);
        }
        return value;
      };
      return {
        date,
        year: Number(date.slice(0, 4)),
        protocol: cell("protocol"),
        chain: cell("chain").toLowerCase(),
        attackType: cell("attack_type") || "other",
        lossBasis,
        lossUsd: number("loss_usd"),
        lossAmount: number("loss_amount"),
        lossUnit: cell("loss_unit"),
      };
    });
}

/**
 * The peg at which a stablecoin-only loss is read as dollars. The data README applies no prices and says a model
 * that reads stablecoin rows at the 1 USD peg must say so: this model does, and only for rows the source itself
 * classed `stablecoin` (USDT, USDC, BUSD, DAI, ...). No other price is applied anywhere.
 */
export const STABLECOIN_PEG_USD = 1;

/**
 * A record's loss in US dollars, or `undefined` where the data gives none without inventing a price:
 * - `usd`: the source's dollar figure;
 * - `usd-partial`: the dollar figure, a lower bound (the unpriced token remainder is left out, not priced);
 * - `stablecoin`: the amount at {@link STABLECOIN_PEG_USD};
 * - `token`, `multi-token`, `bare-number`, `none`: no dollar value (these rows still count as incidents).
 *
 * Zero losses count as no loss figure: a severity distribution is over positive losses.
 */
export function dollarLoss(incident: Incident): number | undefined {
  let value: number | undefined;
  if (incident.lossBasis === "usd" || incident.lossBasis === "usd-partial") value = incident.lossUsd;
  else if (incident.lossBasis === "stablecoin" && incident.lossAmount !== undefined) value = incident.lossAmount * STABLECOIN_PEG_USD;
  return value !== undefined && value > 0 ? value : undefined;
}

/** The positive dollar losses of a list of incidents, in file order. */
export function dollarLosses(incidents: readonly Incident[]): number[] {
  return incidents.map(dollarLoss).filter((value): value is number => value !== undefined);
}
