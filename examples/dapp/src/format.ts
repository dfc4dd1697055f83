/** How the dApp writes amounts, rates and times (display only: every number sent to the chain is a bigint). */
import { formatAssetAmount, WAD } from "@parapet/sdk";

/**
 * `1234567.5` → `1,234,567.5` (the asset's smallest unit in, at most `maxDecimals` decimals shown, truncated, without
 * trailing zeros whether the full amount had them or not: `15097.501` and `15097.5` both show as `15,097.5`).
 */
export function amount(value: bigint, decimals: number, maxDecimals = 2): string {
  const [whole, fraction = ""] = formatAssetAmount(value, decimals).split(".");
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const shown = fraction.slice(0, maxDecimals).replace(/0+$/, "");
  return shown === "" ? grouped : `${grouped}.${shown}`;
}

/** A WAD fraction as a percentage with two decimals: `25e15` → `2.50%`. */
export function percentWad(value: bigint): string {
  const basisPoints = (value * 10_000n + WAD / 2n) / WAD;
  return `${basisPoints / 100n}.${(basisPoints % 100n).toString().padStart(2, "0")}%`;
}

/** A fraction as a percentage: `0.0425` → `4.25%`. */
export function percent(value: number): string {
  return `${(value * 100).toFixed(2)}%`;
}

/** Seconds as days (`7d`) or hours. */
export function duration(seconds: bigint): string {
  return seconds % 86_400n === 0n ? `${seconds / 86_400n}d` : `${(Number(seconds) / 3600).toFixed(1)}h`;
}

/** A chain timestamp (Unix seconds) in UTC, to the minute (`zone: false` leaves out the " UTC"). */
export function time(seconds: bigint, zone = true): string {
  const minute = new Date(Number(seconds) * 1000).toISOString().replace("T", " ").slice(0, 16);
  return zone ? `${minute} UTC` : minute;
}

/** `0x1234…abcd`. */
export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/** The product's name: the last segment of its metadata URI (`ipfs://parapet/products/lendora-v3` → `lendora-v3`). */
export function productName(metadataURI: string, id: bigint): string {
  return metadataURI.split("/").filter((part) => part !== "").pop() ?? `#${id}`;
}
