/**
 * The deployment file the tasks, the SDK and dApps find the protocol by: `deployments/<chainId>.json`, written by
 * `npm run chain` for the local chain.
 *
 * ```json
 * { "chainId": 31337,
 *   "addresses": { "accessManager": "0x…", "productRegistry": "0x…", "coverManager": "0x…", "claimAdjudicator": "0x…",
 *                  "committeeArbiter": "0x…", "vaults": { "conservative": "0x…", "highYield": "0x…" },
 *                  "asset": "0x…", "priceFeedTrigger": "0x…", "lens": "0x…" },
 *   "startBlock": 1 }
 * ```
 *
 * `priceFeedTrigger`, `lens`, `umaArbiter` and `timelock` are optional here; every other field is required. Public
 * networks' files are written by `npx hardhat parapet:deploy` and committed (see `.gitignore`); the SDK's registry is
 * generated from them.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { getAddress, isAddress } from "ethers";

import type { ParapetDeployment } from "../../../deploy/fixture.js";
import { TaskError } from "./cli.js";

export interface DeploymentAddresses {
  accessManager: string;
  productRegistry: string;
  coverManager: string;
  claimAdjudicator: string;
  committeeArbiter: string;
  /** Vaults by short name (`conservative`, `highYield`). */
  vaults: Record<string, string>;
  /** The deployment's asset (every vault's asset and the bond asset). */
  asset: string;
  /** The depeg product's Chainlink-fed trigger, when the deployment has one. */
  priceFeedTrigger?: string;
  /** The `ParapetLens` batch reader used by the SDK client, when deployed. */
  lens?: string;
  /** The arbiter sending the disputes of the products assigned to it to UMA's DVM, when deployed. */
  umaArbiter?: string;
  /** The TimelockController holding ADMIN, on deployments that handed ADMIN over (`npx hardhat parapet:deploy`). */
  timelock?: string;
}

/** A covered protocol's contracts on this chain (for monitors): its product and named addresses. */
export interface CoveredProtocol {
  productId: number;
  /** Named contracts of the protocol (`pool`, `token`, ...). */
  [contract: string]: string | number;
}

export interface DeploymentFile {
  chainId: number;
  addresses: DeploymentAddresses;
  /** Covered protocols by name (the product's slug), when the deployment lists any. */
  coveredProtocols?: Record<string, CoveredProtocol>;
  /** The first block of the deployment: event queries start here. */
  startBlock: number;
}

const REQUIRED = ["accessManager", "productRegistry", "coverManager", "claimAdjudicator", "committeeArbiter", "asset"] as const;
const OPTIONAL = ["priceFeedTrigger", "lens", "umaArbiter", "timelock"] as const;

/** `deployments/<chainId>.json` under the project root. */
export function defaultDeploymentPath(root: string, chainId: number): string {
  return path.join(root, "deployments", `${chainId}.json`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Validates a parsed deployment file; `source` names it in errors. Addresses come back checksummed. */
export function parseDeployment(json: unknown, source: string): DeploymentFile {
  const fail = (field: string, problem: string): never => {
    throw new TaskError(`${source}: ${field} ${problem}`);
  };
  const address = (value: unknown, field: string): string =>
    typeof value === "string" && isAddress(value) ? getAddress(value) : fail(field, "is not an address");
  const integer = (value: unknown, field: string, min: number): number =>
    typeof value === "number" && Number.isSafeInteger(value) && value >= min ? value : fail(field, `must be an integer >= ${min}`);

  if (!isRecord(json)) return fail("(root)", "is not an object");
  const chainId = integer(json.chainId, "chainId", 1);
  const startBlock = integer(json.startBlock, "startBlock", 0);
  const raw = json.addresses;
  if (!isRecord(raw)) return fail("addresses", "is not an object");
  const addresses = {} as DeploymentAddresses;
  for (const field of REQUIRED) addresses[field] = address(raw[field], `addresses.${field}`);
  for (const field of OPTIONAL) {
    if (raw[field] !== undefined) addresses[field] = address(raw[field], `addresses.${field}`);
  }
  if (!isRecord(raw.vaults) || Object.keys(raw.vaults).length === 0) return fail("addresses.vaults", "must name at least one vault");
  addresses.vaults = {};
  for (const [name, vault] of Object.entries(raw.vaults)) addresses.vaults[name] = address(vault, `addresses.vaults.${name}`);
  if (json.coveredProtocols === undefined) return { chainId, addresses, startBlock };
  if (!isRecord(json.coveredProtocols)) return fail("coveredProtocols", "is not an object");
  const coveredProtocols: Record<string, CoveredProtocol> = {};
  for (const [name, raw] of Object.entries(json.coveredProtocols)) {
    if (!isRecord(raw)) return fail(`coveredProtocols.${name}`, "is not an object");
    const entry: CoveredProtocol = { productId: integer(raw.productId, `coveredProtocols.${name}.productId`, 0) };
    for (const [key, value] of Object.entries(raw)) {
      if (key !== "productId") entry[key] = address(value, `coveredProtocols.${name}.${key}`);
    }
    coveredProtocols[name] = entry;
  }
  return { chainId, addresses, startBlock, coveredProtocols };
}

/**
 * Reads the deployment for `chainId` from `file` (default `deployments/<chainId>.json`), and checks it is for that
 * chain.
 */
export async function readDeployment(root: string, chainId: number, file?: string): Promise<DeploymentFile> {
  const location = file === undefined ? defaultDeploymentPath(root, chainId) : path.resolve(file);
  let text: string;
  try {
    text = await readFile(location, "utf8");
  } catch {
    throw new TaskError(
      file === undefined
        ? `no deployment for chain ${chainId}: ${path.relative(process.cwd(), location)} does not exist. Start a local ` +
            "chain with `npm run chain` and pass `--network localhost`, or pass --deployment <file>"
        : `cannot read the deployment file ${file}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new TaskError(`${location} is not valid JSON`);
  }
  const deployment = parseDeployment(json, location);
  if (deployment.chainId !== chainId) {
    throw new TaskError(`${location} is for chain ${deployment.chainId}, but the network is chain ${chainId}`);
  }
  return deployment;
}

/** Writes a deployment file (validated first), creating its directory. */
export async function writeDeployment(file: string, deployment: DeploymentFile): Promise<void> {
  const valid = parseDeployment(deployment, file);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(valid, null, 2)}\n`);
}

/** The deployment file of contracts `deployParapet` deployed (the local chain writes it; the demo's SDK reads it). */
export async function deploymentFileOf(parapet: ParapetDeployment, chainId: number): Promise<DeploymentFile> {
  const at = (contract: { getAddress(): Promise<string> }) => contract.getAddress();
  return {
    chainId,
    addresses: {
      accessManager: await at(parapet.accessManager),
      productRegistry: await at(parapet.productRegistry),
      coverManager: await at(parapet.coverManager),
      claimAdjudicator: await at(parapet.claimAdjudicator),
      committeeArbiter: await at(parapet.committeeArbiter),
      vaults: { conservative: await at(parapet.vaults.conservative), highYield: await at(parapet.vaults.highYield) },
      asset: await at(parapet.asset),
      priceFeedTrigger: await at(parapet.priceFeedTrigger),
      lens: await at(parapet.lens),
      umaArbiter: await at(parapet.umaArbiter),
    },
    startBlock: parapet.startBlock,
  };
}
