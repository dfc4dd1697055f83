/**
 * Where a Parapet deployment lives: contract addresses by chain id, and the block to index events from.
 *
 * Browser-safe: no Node imports (reading a deployment file is in `./node.ts`).
 *
 * @packageDocumentation
 */
import { getAddress, isAddress } from "ethers";

import { ParapetError } from "../core/index.js";
import { KNOWN_DEPLOYMENTS } from "./knownDeployments.js";

/** The contracts of one deployment. Every address is checksummed by {@link loadDeployment}. */
export type ParapetAddresses = {
  accessManager: string;
  productRegistry: string;
  coverManager: string;
  claimAdjudicator: string;
  committeeArbiter: string;
  /** The `ParapetLens` batch reader. */
  lens: string;
  /** Underwriter vaults by a short name (`conservative`, `highYield`, ...). */
  vaults: Record<string, string>;
  /** The deployment's asset: every vault's asset and the bond asset of the adjudicator. */
  asset: string;
  /** Junior/senior tranche managers by the name of the vault whose shares they hold (`highYield`), when deployed. */
  tranches?: Record<string, string>;
};

/** A deployment on one chain. */
export type ParapetDeployment = {
  chainId: number;
  addresses: ParapetAddresses;
  /** The block the protocol was deployed in: event indexing (policies, purchases) starts here. */
  startBlock: number;
};

/** A deployment description that does not have the expected shape. */
export class InvalidDeployment extends ParapetError {
  /** The offending field, e.g. `addresses.vaults.conservative`. */
  readonly field: string;

  /**
   * @param field - The offending field.
   * @param problem - What is wrong with it.
   */
  constructor(field: string, problem: string) {
    super(`invalid Parapet deployment: ${field} ${problem}`, "InvalidDeployment");
    this.field = field;
  }
}

/** No deployment is known for the chain the client is connected to. */
export class UnknownDeployment extends ParapetError {
  /** The chain id asked for. */
  readonly chainId: number;

  /** @param chainId - The chain id asked for. */
  constructor(chainId: number) {
    super(`no Parapet deployment is registered for chain ${chainId}; pass one to ParapetClient.connect`, "UnknownDeployment");
    this.chainId = chainId;
  }
}

/** The connected chain differs from the deployment's. */
export class ChainMismatch extends ParapetError {
  /** The deployment's chain id. */
  readonly expected: number;
  /** The provider's chain id. */
  readonly actual: number;

  /**
   * @param expected - The deployment's chain id.
   * @param actual - The provider's chain id.
   */
  constructor(expected: number, actual: number) {
    super(`the deployment is for chain ${expected} but the provider is on chain ${actual}`, "ChainMismatch");
    this.expected = expected;
    this.actual = actual;
  }
}

const CONTRACT_FIELDS = [
  "accessManager",
  "productRegistry",
  "coverManager",
  "claimAdjudicator",
  "committeeArbiter",
  "lens",
  "asset",
] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function address(value: unknown, field: string): string {
  if (typeof value !== "string" || !isAddress(value)) throw new InvalidDeployment(field, "is not an address");
  try {
    return getAddress(value);
  } catch {
    throw new InvalidDeployment(field, "has a wrong checksum");
  }
}

function nonNegativeInteger(value: unknown, field: string, min = 0): number {
  const number = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== "number" || !Number.isSafeInteger(number) || number < min) {
    throw new InvalidDeployment(field, `must be an integer >= ${min}`);
  }
  return number;
}

/**
 * Validates a deployment description (an object, or its JSON text) and returns it with checksummed addresses.
 * `chainId` and `startBlock` may be numbers or decimal strings.
 *
 * @throws {@link InvalidDeployment} naming the first field that is missing or malformed.
 */
export function loadDeployment(json: unknown): ParapetDeployment {
  let value = json;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      throw new InvalidDeployment("(root)", "is not valid JSON");
    }
  }
  if (!isRecord(value)) throw new InvalidDeployment("(root)", "is not an object");
  const chainId = nonNegativeInteger(value.chainId, "chainId", 1);
  const startBlock = nonNegativeInteger(value.startBlock, "startBlock");
  if (!isRecord(value.addresses)) throw new InvalidDeployment("addresses", "is not an object");
  const raw = value.addresses;
  const contracts = {} as Record<(typeof CONTRACT_FIELDS)[number], string>;
  for (const field of CONTRACT_FIELDS) contracts[field] = address(raw[field], `addresses.${field}`);
  if (!isRecord(raw.vaults)) throw new InvalidDeployment("addresses.vaults", "is not an object");
  const vaults: Record<string, string> = {};
  for (const [name, vault] of Object.entries(raw.vaults)) vaults[name] = address(vault, `addresses.vaults.${name}`);
  if (Object.keys(vaults).length === 0) throw new InvalidDeployment("addresses.vaults", "is empty");
  if (raw.tranches === undefined) return { chainId, startBlock, addresses: { ...contracts, vaults } };
  if (!isRecord(raw.tranches)) throw new InvalidDeployment("addresses.tranches", "is not an object");
  const tranches: Record<string, string> = {};
  for (const [name, manager] of Object.entries(raw.tranches)) {
    if (vaults[name] === undefined) throw new InvalidDeployment(`addresses.tranches.${name}`, "names no vault of addresses.vaults");
    tranches[name] = address(manager, `addresses.tranches.${name}`);
  }
  return { chainId, startBlock, addresses: { ...contracts, vaults, tranches } };
}

const registry = new Map<number, ParapetDeployment>(
  KNOWN_DEPLOYMENTS.map((deployment) => [deployment.chainId, loadDeployment(deployment)]),
);

/**
 * Known deployments by chain id: at load, the public deployments of `knownDeployments.ts` (generated from the
 * repository's `deployments/<chainId>.json` by `npm run sdk:deployments`); local chains register theirs at run time
 * with {@link registerDeployment}.
 */
export const DEPLOYMENTS: ReadonlyMap<number, ParapetDeployment> = registry;

/** Adds (or replaces) the deployment of its chain in {@link DEPLOYMENTS}, after validating it. */
export function registerDeployment(deployment: unknown): ParapetDeployment {
  const valid = loadDeployment(deployment);
  registry.set(valid.chainId, valid);
  return valid;
}

/**
 * The registered deployment of `chainId`.
 *
 * @throws {@link UnknownDeployment} if none is registered.
 */
export function getDeployment(chainId: number | bigint): ParapetDeployment {
  const deployment = registry.get(Number(chainId));
  if (deployment === undefined) throw new UnknownDeployment(Number(chainId));
  return deployment;
}
