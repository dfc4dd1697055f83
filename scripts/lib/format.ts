import { formatUnits } from "ethers";

/** `1234567.891` → "1,234,567.89": human units with thousands separators and `digits` decimals. */
export function formatAmount(raw: bigint, decimals: number, digits = 2): string {
  const [whole, fraction = ""] = formatUnits(raw, decimals).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return digits === 0 ? grouped : `${grouped}.${fraction.padEnd(digits, "0").slice(0, digits)}`;
}

/** A WAD ratio as a percentage with two decimals. */
export function formatWadPercent(wad: bigint): string {
  // 1e18 is 100%, so 1e14 is one hundredth of a percent.
  return `${formatAmount(wad / 10n ** 14n, 2)}%`;
}

/** A plain-text table: a header row, a rule, then the rows, each column padded to its widest cell. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join("  ");
  return [line(headers), widths.map((width) => "─".repeat(width)).join("  "), ...rows.map(line)].join("\n");
}
