/**
 * The keeper's configuration file (JSON), validated at start so that a typo stops the keeper with the field's name
 * rather than silently disabling a monitor. Addresses may be written as `0x…` or as a path into the deployment file
 * (`coveredProtocols.lendora-v3.pool`, `addresses.asset`), so that one config serves every fresh local chain.
 */
import { readFileSync } from "node:fs";

import { getAddress, isAddress, parseUnits } from "ethers";

export class ConfigError extends Error {}

export type MonitorAction = "report" | "alert";

interface MonitorBase {
  /** Unique name: the monitor's state in the database is keyed by it. */
  id: string;
  /** The covered product an exploit of this protocol is reported on. */
  productId: bigint;
  /** `report`: report a bonded incident; `alert`: only log and count it. */
  action: MonitorAction;
  /** The payout of a report, as a WAD fraction of each policy's remaining cover (default 100%). */
  payoutWad: bigint;
}

/** Fires when the summed `token` balance of `contracts` falls more than `dropPercent` below its highest value over the last `windowBlocks` blocks. */
export interface BalanceDropMonitor extends MonitorBase {
  kind: "balanceDrop";
  token: string;
  contracts: string[];
  /** In basis points (a config `dropPercent` of 20 is 2,000). */
  dropBps: bigint;
  windowBlocks: number;
}

/** Fires on an event (default OpenZeppelin's `Paused(address)`) from one of `contracts`. */
export interface EventMonitor extends MonitorBase {
  kind: "pausedEvent";
  contracts: string[];
  event: string;
}

/** Fires when a Chainlink-style feed's `latestRoundData` answer leaves `[min, max]` (in the feed's decimals). */
export interface PriceBandMonitor extends MonitorBase {
  kind: "priceBand";
  feed: string;
  decimals: number;
  min: bigint;
  max: bigint;
}

export type MonitorConfig = BalanceDropMonitor | EventMonitor | PriceBandMonitor;

export const ACTION_KINDS = [
  "settleClaim",
  "settleIncident",
  "pushClaim",
  "pushIncident",
  "processOutflowQueue",
  "sweepProtocolFees",
  "fireTrigger",
  "claimIncidentPayout",
  "claimIncidentTopUp",
  "releaseIncidentReserve",
  "reportIncident",
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export interface KeeperConfig {
  /** How often to ask the node for a new head, in milliseconds. */
  pollIntervalMs: number;
  /** How many blocks back a reorganisation is followed; deeper ones stop the keeper. */
  reorgDepth: number;
  /** Blocks indexed per `eth_getLogs` while catching up. */
  logRange: number;
  /** Queue entries one `processOutflowQueue` looks at. */
  maxQueueEntries: bigint;
  /**
   * Whole tokens of the asset (a decimal string) a vault must hold in protocol fees before the keeper sweeps them to
   * the treasury, so that a sweep is worth its gas.
   */
  minProtocolFeeSweep: string;
  /** The action kinds this keeper performs (all by default). */
  actions: Set<ActionKind>;
  monitors: MonitorConfig[];
  /** Port of the `/metrics` and `/health` server (0: any free port; absent: no server). */
  metricsPort: number | undefined;
  /** `/health` fails when the keeper is this many blocks behind the head, or its last pass is this old. */
  health: { maxBlocksBehind: number; maxStaleSeconds: number };
}

const DEFAULTS = { pollIntervalMs: 1_000, reorgDepth: 12, logRange: 500, maxQueueEntries: 32, minProtocolFeeSweep: "1000" };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Validates a parsed config. `deployment` is the parsed deployment file, against which named addresses resolve.
 *
 * @throws {@link ConfigError} naming the first bad field.
 */
export function parseKeeperConfig(json: unknown, deployment: unknown, source = "config"): KeeperConfig {
  const fail = (field: string, problem: string): never => {
    throw new ConfigError(`${source}: ${field} ${problem}`);
  };
  if (!isRecord(json)) return fail("(root)", "is not an object");
  const int = (value: unknown, field: string, fallback: number | undefined, min = 0): number => {
    if (value === undefined && fallback !== undefined) return fallback;
    return typeof value === "number" && Number.isSafeInteger(value) && value >= min ? value : fail(field, `must be an integer >= ${min}`);
  };
  const address = (value: unknown, field: string): string => {
    if (typeof value !== "string") return fail(field, "must be an address or a path into the deployment file");
    const text: string = value;
    if (isAddress(value)) return getAddress(value);
    let node: unknown = deployment;
    for (const part of text.split(".")) node = isRecord(node) ? node[part] : undefined;
    return typeof node === "string" && isAddress(node) ? getAddress(node) : fail(field, `names no address in the deployment file ("${text}")`);
  };
  const productId = (value: unknown, field: string): bigint => {
    if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return BigInt(value);
    // A covered protocol's name in the deployment file stands for its product.
    const covered = isRecord(deployment) && isRecord(deployment.coveredProtocols) ? deployment.coveredProtocols[typeof value === "string" ? value : ""] : undefined;
    if (isRecord(covered) && typeof covered.productId === "number") return BigInt(covered.productId);
    return fail(field, "must be a product id or a covered protocol named in the deployment file");
  };
  const positiveDecimal = (value: unknown, field: string, fallback: string, problem = "must be a positive decimal number of tokens"): string => {
    const text = value === undefined ? fallback : typeof value === "number" || typeof value === "string" ? String(value) : "";
    return /^\d+(\.\d+)?$/.test(text) && Number(text) > 0 ? text : fail(field, problem);
  };
  const percentWad = (value: unknown, field: string, fallback: string): bigint => {
    const problem = "must be a percentage in (0, 100]";
    const text = positiveDecimal(value, field, fallback, problem);
    if (Number(text) > 100) fail(field, problem);
    return parseUnits(text, 16);
  };

  let actions = new Set<ActionKind>(ACTION_KINDS);
  if (json.actions !== undefined) {
    if (!Array.isArray(json.actions)) return fail("actions", `must be a list of ${ACTION_KINDS.join(", ")}`);
    actions = new Set();
    for (const [i, kind] of json.actions.entries()) {
      if (!ACTION_KINDS.includes(kind as ActionKind)) fail(`actions[${i}]`, `must be one of ${ACTION_KINDS.join(", ")}`);
      actions.add(kind as ActionKind);
    }
  }

  const monitors: MonitorConfig[] = [];
  const ids = new Set<string>();
  const rawMonitors = json.monitors ?? [];
  if (!Array.isArray(rawMonitors)) return fail("monitors", "must be a list");
  for (const [i, raw] of rawMonitors.entries()) {
    const at = `monitors[${i}]`;
    if (!isRecord(raw)) return fail(at, "is not an object");
    if (typeof raw.id !== "string" || raw.id === "" || ids.has(raw.id)) return fail(`${at}.id`, "must be a unique non-empty name");
    ids.add(raw.id);
    const action = raw.action ?? "alert";
    if (action !== "report" && action !== "alert") return fail(`${at}.action`, 'must be "report" or "alert"');
    const base = {
      id: raw.id,
      productId: productId(raw.product, `${at}.product`),
      action: action as MonitorAction,
      payoutWad: percentWad(raw.payoutPercent, `${at}.payoutPercent`, "100"),
    };
    const contracts = (): string[] => {
      if (!Array.isArray(raw.contracts) || raw.contracts.length === 0) return fail(`${at}.contracts`, "must list at least one contract");
      return raw.contracts.map((entry, j) => address(entry, `${at}.contracts[${j}]`));
    };
    switch (raw.kind) {
      case "balanceDrop": {
        const drop = percentWad(raw.dropPercent, `${at}.dropPercent`, "");
        monitors.push({
          ...base,
          kind: "balanceDrop",
          token: address(raw.token, `${at}.token`),
          contracts: contracts(),
          dropBps: drop / 10n ** 14n,
          windowBlocks: int(raw.windowBlocks, `${at}.windowBlocks`, undefined, 1),
        });
        break;
      }
      case "pausedEvent":
        if (raw.event !== undefined && (typeof raw.event !== "string" || !/^\w+\(.*\)$/.test(raw.event))) {
          fail(`${at}.event`, 'must be an event signature such as "Paused(address)"');
        }
        monitors.push({ ...base, kind: "pausedEvent", contracts: contracts(), event: (raw.event as string | undefined) ?? "Paused(address)" });
        break;
      case "priceBand": {
        const decimals = int(raw.decimals, `${at}.decimals`, undefined);
        const bound = (value: unknown, field: string) =>
          typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value) ? parseUnits(value, decimals) : fail(`${at}.${field}`, 'must be a decimal string such as "0.97"');
        const min = bound(raw.min, "min");
        const max = bound(raw.max, "max");
        if (min >= max) fail(`${at}.min`, "must be below max");
        monitors.push({ ...base, kind: "priceBand", feed: address(raw.feed, `${at}.feed`), decimals, min, max });
        break;
      }
      default:
        return fail(`${at}.kind`, 'must be "balanceDrop", "pausedEvent" or "priceBand"');
    }
  }

  const health = isRecord(json.health) ? json.health : {};
  return {
    pollIntervalMs: int(json.pollIntervalMs, "pollIntervalMs", DEFAULTS.pollIntervalMs, 50),
    reorgDepth: int(json.reorgDepth, "reorgDepth", DEFAULTS.reorgDepth, 1),
    logRange: int(json.logRange, "logRange", DEFAULTS.logRange, 1),
    maxQueueEntries: BigInt(int(json.maxQueueEntries, "maxQueueEntries", DEFAULTS.maxQueueEntries, 1)),
    minProtocolFeeSweep: positiveDecimal(json.minProtocolFeeSweep, "minProtocolFeeSweep", DEFAULTS.minProtocolFeeSweep),
    actions,
    monitors,
    metricsPort: json.metricsPort === undefined ? undefined : int(json.metricsPort, "metricsPort", undefined),
    health: {
      maxBlocksBehind: int(health.maxBlocksBehind, "health.maxBlocksBehind", 5),
      maxStaleSeconds: int(health.maxStaleSeconds, "health.maxStaleSeconds", 60, 1),
    },
  };
}

/** Reads and validates a config file; without one, the defaults (every action, no monitor). */
export function loadKeeperConfig(file: string | undefined, deployment: unknown): KeeperConfig {
  if (file === undefined) return parseKeeperConfig({}, deployment, "(defaults)");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new ConfigError(`cannot read the keeper config ${file}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(`${file} is not valid JSON`);
  }
  return parseKeeperConfig(json, deployment, file);
}
