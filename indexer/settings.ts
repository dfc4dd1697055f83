/**
 * The indexer's settings from the environment, shared by Ponder's config and the `npm run indexer` launcher.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { loadDeployment, type ParapetDeployment } from "../sdk/src/client/deployment.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Hardhat's chain id: the chain `npm run chain` serves. */
export const LOCAL_CHAIN_ID = 31337;

export type IndexerSettings = {
  chainId: number;
  rpcUrl: string;
  deploymentFile: string;
  deployment: ParapetDeployment;
  pollingMs: number;
  /** A chain that restarts from genesis under the same id (Hardhat's): no RPC cache across runs. */
  localChain: boolean;
  /** PostgreSQL connection string; PGlite when undefined. */
  databaseUrl: string | undefined;
  /** PGlite's directory (the launcher picks one per chain instance). */
  pgliteDir: string;
};

/** An environment value that is not what the indexer expects. */
export class InvalidIndexerSetting extends Error {
  constructor(name: string, value: string, expected: string) {
    super(`${name}=${JSON.stringify(value)}: expected ${expected}`);
  }
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new InvalidIndexerSetting(name, raw, "a positive integer");
  return Number(raw);
}

/** Reads the settings; the deployment file must exist (`npm run chain` writes it). */
export function indexerSettings(env: NodeJS.ProcessEnv): IndexerSettings {
  const chainId = positiveInteger(env, "PARAPET_CHAIN_ID", LOCAL_CHAIN_ID);
  const rpcUrl = env.PARAPET_RPC_URL || "http://127.0.0.1:8545";
  if (!/^https?:\/\//.test(rpcUrl)) throw new InvalidIndexerSetting("PARAPET_RPC_URL", rpcUrl, "an http(s) URL");
  const deploymentFile = path.resolve(ROOT, env.PARAPET_DEPLOYMENT || path.join("deployments", `${chainId}.json`));
  let text: string;
  try {
    text = readFileSync(deploymentFile, "utf8");
  } catch {
    throw new Error(`no deployment file at ${deploymentFile}: start \`npm run chain\` first, or set PARAPET_DEPLOYMENT`);
  }
  const deployment = loadDeployment(text);
  if (deployment.chainId !== chainId) {
    throw new InvalidIndexerSetting("PARAPET_CHAIN_ID", String(chainId), `the chain id of ${deploymentFile} (${deployment.chainId})`);
  }
  return {
    chainId,
    rpcUrl,
    deploymentFile,
    deployment,
    pollingMs: Math.max(100, positiveInteger(env, "PARAPET_POLLING_MS", 1_000)),
    localChain: chainId === LOCAL_CHAIN_ID || env.PARAPET_LOCAL_CHAIN === "1",
    databaseUrl: env.DATABASE_URL || undefined,
    pgliteDir: path.resolve(ROOT, env.PARAPET_PGLITE_DIR || path.join("indexer", ".ponder", "pglite", String(chainId))),
  };
}
