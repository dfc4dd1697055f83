/**
 * Public networks: the Ignition parameter file of each (`deploy/parameters/<file>.json`) and the checks a deployment
 * must pass before anything is sent.
 *
 * Besides the Ignition module parameters (`ParapetTimelock`, `Parapet`, `DepegTrigger`), each network file has a
 * `_network` block, which Ignition ignores (it is no module id): the chain id, and every external address the modules
 * use, each with its `status` (`confirmed` or `UNCONFIRMED`), the `source` it was confirmed from, and `usedBy`, the
 * module parameters (`Module.parameter`) that must hold exactly this address. Another protocol's address (an oracle,
 * a second asset) goes into `_network.addresses` in the same shape, next to the module parameter that uses it.
 *
 * Pure: no Hardhat, no chain. `scripts/tasks/deploy.ts` runs these checks before it deploys.
 */
import { readFileSync } from "node:fs";

import type { DeploymentParameters, ModuleParameters as IgnitionModuleParameters } from "@nomicfoundation/ignition-core";
import { getAddress, isAddress, ZeroAddress } from "ethers";

import type { PublicChainName } from "./chains.js";

/** Hardhat network name (as in `hardhat.config.ts`) → its parameter file under `deploy/parameters/`. */
export const NETWORK_PARAMETER_FILES = {
  sepolia: "sepolia.json",
  baseSepolia: "base-sepolia.json",
  arbitrumSepolia: "arbitrum-sepolia.json",
  mainnet: "mainnet.json",
  base: "base.json",
  arbitrum: "arbitrum.json",
} as const satisfies Partial<Record<PublicChainName, string>>;

export type PublicNetworkName = keyof typeof NETWORK_PARAMETER_FILES;

/** The parameter file of a public network, as a URL (for `readFileSync` and Ignition's `--parameters`). */
export function parameterFileOf(network: PublicNetworkName): URL {
  return new URL(`./parameters/${NETWORK_PARAMETER_FILES[network]}`, import.meta.url);
}

/** One external address a deployment relies on, and where it was confirmed. */
export interface ExternalAddress {
  /** `null` when no such contract is known on the network (e.g. no sequencer uptime feed published). */
  address: string | null;
  description: string;
  status: "confirmed" | "UNCONFIRMED";
  /** Where the address was confirmed, or why it could not be. */
  source: string;
  /** Module parameters (`Module.parameter`) that must equal `address` (the zero address when `address` is null). */
  usedBy: string[];
}

export interface NetworkBlock {
  /** The Hardhat network name. */
  name: string;
  chainId: number;
  layer: string;
  addresses: Record<string, ExternalAddress>;
}

/** Module id → parameter name → value, as Ignition takes it (bigints as bigints). */
export type ModuleParameters = DeploymentParameters;

export interface NetworkParameters {
  network?: NetworkBlock;
  modules: ModuleParameters;
}

/** Placeholder values in parameter files: each must be replaced by a real address before deploying. */
export const PLACEHOLDER_PREFIX = "REPLACE_WITH_";

/** A parameter file that must not be deployed as it is; `problems` lists every reason, one per line. */
export class DeploymentRefused extends Error {
  readonly problems: readonly string[];

  constructor(source: string, problems: readonly string[]) {
    super(`${source}: refusing to deploy:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "DeploymentRefused";
    this.problems = problems;
  }
}

/** A parameter value as the file shows it (bigints as `123n`). */
export function shown(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "bigint") return `${value}n`;
  return JSON.stringify(value) ?? "undefined";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Splits a parsed parameter file into its `_network` block and its Ignition module parameters. */
export function splitParameters(json: unknown, source: string): NetworkParameters {
  if (!isRecord(json)) throw new DeploymentRefused(source, ["the file is not a JSON object"]);
  const { _network: network, ...rest } = json;
  const modules: ModuleParameters = {};
  for (const [id, parameters] of Object.entries(rest)) {
    if (!isRecord(parameters)) throw new DeploymentRefused(source, [`module "${id}": parameters are not an object`]);
    modules[id] = parameters as IgnitionModuleParameters;
  }
  return { network: network === undefined ? undefined : (network as NetworkBlock), modules };
}

/** Integers written as `"123n"` become bigints, as Ignition reads its parameter files. */
function bigintReviver(_key: string, value: unknown): unknown {
  return typeof value === "string" && /^\d+n$/.test(value) ? BigInt(value.slice(0, -1)) : value;
}

/** Reads a parameter file (JSON; `"123n"` strings become bigints, as Ignition reads them) and splits it. */
export function readParameterFile(file: URL | string): NetworkParameters {
  const source = String(file);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"), bigintReviver);
  } catch (error) {
    throw new DeploymentRefused(source, [`cannot read it as JSON: ${(error as Error).message}`]);
  }
  return splitParameters(json, source);
}

/** Every placeholder left in the given modules' parameters, as `Module.parameter = value`. */
export function placeholdersIn(modules: ModuleParameters, moduleIds: readonly string[]): string[] {
  const found: string[] = [];
  const visit = (value: unknown, at: string) => {
    if (typeof value === "string" && value.startsWith(PLACEHOLDER_PREFIX)) found.push(`${at} = ${value}`);
    else if (Array.isArray(value)) value.forEach((item, index) => visit(item, `${at}[${index}]`));
  };
  for (const id of moduleIds) {
    for (const [name, value] of Object.entries(modules[id] ?? {})) visit(value, `${id}.${name}`);
  }
  return found;
}

export interface CheckOptions {
  /** The chain id of the network being deployed to: must equal `_network.chainId`. */
  chainId: number;
  /** The Ignition modules about to be deployed: only their parameters are checked. */
  moduleIds: readonly string[];
  /** Deploy even though an address the modules use is UNCONFIRMED (each is still reported as a warning). */
  allowUnconfirmed?: boolean;
}

export interface CheckResult {
  /** UNCONFIRMED addresses deployed anyway under `allowUnconfirmed`. */
  warnings: string[];
}

/**
 * Checks a network's parameters before deploying `moduleIds`: the chain id matches, no placeholder is left, every
 * `_network` address equals the module parameters it is used by, and none of those is UNCONFIRMED (unless
 * `allowUnconfirmed`, which turns each into a warning).
 *
 * @throws {@link DeploymentRefused} listing every problem found.
 */
export function checkNetworkParameters(
  parameters: NetworkParameters,
  source: string,
  options: CheckOptions,
): CheckResult {
  const { network, modules } = parameters;
  const problems: string[] = [];
  const warnings: string[] = [];
  if (network === undefined) {
    throw new DeploymentRefused(source, ["no _network block: the file does not say which chain it is for"]);
  }
  if (network.chainId !== options.chainId) {
    problems.push(`the file is for chain ${network.chainId} (${network.name}) but the network is chain ${options.chainId}`);
  }
  for (const id of options.moduleIds) {
    if (modules[id] === undefined) problems.push(`no parameters for module "${id}"`);
  }
  problems.push(...placeholdersIn(modules, options.moduleIds).map((entry) => `placeholder left: ${entry}`));

  for (const [key, entry] of Object.entries(network.addresses)) {
    const expected = entry.address === null ? ZeroAddress : entry.address;
    if (!isAddress(expected)) {
      problems.push(`_network.addresses.${key}.address is not an address: ${String(entry.address)}`);
      continue;
    }
    const used = entry.usedBy.filter((path) => options.moduleIds.includes(path.split(".")[0]!));
    for (const path of used) {
      const [id, name] = path.split(".") as [string, string];
      const actual = modules[id]?.[name];
      if (typeof actual !== "string" || !isAddress(actual) || getAddress(actual) !== getAddress(expected)) {
        problems.push(`${path} = ${shown(actual)} but _network.addresses.${key} is ${expected}`);
      }
    }
    if (used.length > 0 && entry.status !== "confirmed") {
      const message = `${key} (${used.join(", ")}) is ${entry.status}: ${entry.source}`;
      if (options.allowUnconfirmed === true) warnings.push(message);
      else problems.push(`${message} (deploy with --allow-unconfirmed to accept it)`);
    }
  }
  if (problems.length > 0) throw new DeploymentRefused(source, problems);
  return { warnings };
}
