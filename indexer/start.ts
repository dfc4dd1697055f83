/**
 * `npm run indexer`: starts Ponder (`ponder start`) on the deployment `npm run chain` wrote.
 *
 * A local chain restarts from genesis under the same chain id and at the same addresses, so the database of a previous
 * run would hold another chain's rows. The launcher therefore names the database after the chain instance — the chain
 * id and the hash of the deployment's start block — : a PGlite directory `indexer/.ponder/pglite/<id>-<hash>` (unless
 * `PARAPET_PGLITE_DIR` is set), or the PostgreSQL schema `parapet_<id>_<hash>` with `DATABASE_URL` (unless
 * `DATABASE_SCHEMA` is set). Restarting the indexer against the same chain resumes where it stopped.
 *
 * Extra arguments go to `ponder start` (e.g. `npm run indexer -- --port 42070`).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { indexerSettings } from "./settings.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PONDER_CLI = path.join(HERE, "..", "node_modules", "ponder", "dist", "esm", "bin", "ponder.js");

async function startBlockHash(rpcUrl: string, block: number): Promise<string> {
  let response: Response;
  try {
    response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_getBlockByNumber", params: [`0x${block.toString(16)}`, false] }),
    });
  } catch (error) {
    throw new Error(`no JSON-RPC node answers at ${rpcUrl} (${(error as Error).message}): start \`npm run chain\` or set PARAPET_RPC_URL`);
  }
  const body = (await response.json()) as { result?: { hash: string } | null; error?: { message: string } };
  if (body.result?.hash === undefined) {
    throw new Error(`the node at ${rpcUrl} has no block ${block} (the deployment's start block): is the deployment file from this chain?`);
  }
  return body.result.hash;
}

async function main(): Promise<void> {
  const settings = indexerSettings(process.env);
  const hash = (await startBlockHash(settings.rpcUrl, settings.deployment.startBlock)).slice(2, 10);
  const env: NodeJS.ProcessEnv = { ...process.env };
  env.PARAPET_PGLITE_DIR ||= path.join(HERE, ".ponder", "pglite", `${settings.chainId}-${hash}`);
  env.DATABASE_SCHEMA ||= `parapet_${settings.chainId}_${hash}`;
  const args = [PONDER_CLI, "start", "--root", HERE, ...process.argv.slice(2)];
  console.log(
    `Parapet indexer: chain ${settings.chainId} at ${settings.rpcUrl}, deployment ${settings.deploymentFile} (start block ` +
      `${settings.deployment.startBlock}), database ${settings.databaseUrl === undefined ? `PGlite in ${env.PARAPET_PGLITE_DIR}` : `PostgreSQL schema ${env.DATABASE_SCHEMA}`}`,
  );
  const child = spawn(process.execPath, args, { cwd: HERE, stdio: "inherit", env });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  child.once("exit", (code, signal) => process.exit(code ?? (signal === null ? 1 : 0)));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
