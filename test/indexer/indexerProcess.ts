/**
 * `npm run indexer` (indexer/start.ts, which starts `ponder start`) as a child process for the tests and the
 * benchmark, on a free port with its PGlite database in a temporary folder.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface IndexerProcess {
  /** `http://127.0.0.1:<port>`: GraphQL at `/graphql`, SQL at `/sql`. */
  url: string;
  child: ChildProcess;
  /** What the indexer printed (the first 200 kB). */
  output(): string;
  /** The block the indexer has indexed (`/status`), or undefined before it answers. */
  indexedBlock(): Promise<number | undefined>;
  /** Resolves when the indexer has indexed `block` (or later); rejects after `timeoutMs` or if it exits. */
  waitForBlock(block: number, timeoutMs?: number): Promise<void>;
  /** Sends a GraphQL query and returns its `data` (throws on errors). */
  graphql<T = any>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** SIGTERM to the whole process group (launcher and Ponder), SIGKILL after 10 s; removes the database. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startIndexer(options: {
  rpcUrl: string;
  deploymentFile: string;
  pollingMs?: number;
  /** PostgreSQL instead of PGlite. */
  databaseUrl?: string;
}): Promise<IndexerProcess> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), "parapet-indexer-test-"));
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "indexer", "start.ts"), "--port", String(port)], {
    cwd: ROOT,
    // Its own process group: the test stops the launcher and Ponder together.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      FORCE_COLOR: "0",
      NO_COLOR: "1",
      PONDER_TELEMETRY_DISABLED: "true",
      PARAPET_RPC_URL: options.rpcUrl,
      PARAPET_DEPLOYMENT: options.deploymentFile,
      PARAPET_POLLING_MS: String(options.pollingMs ?? 200),
      PARAPET_PGLITE_DIR: path.join(dir, "pglite"),
      ...(options.databaseUrl === undefined ? {} : { DATABASE_URL: options.databaseUrl }),
    },
  });
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // Already gone.
    }
  };
  const killOnExit = () => killGroup("SIGKILL");
  process.once("exit", killOnExit);
  let output = "";
  const collect = (chunk: Buffer) => {
    if (output.length < 200_000) output += chunk.toString();
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;

  const indexedBlock = async () => {
    try {
      const response = await fetch(`${url}/status`);
      if (!response.ok) return undefined;
      const status = (await response.json()) as Record<string, { block?: { number: number } }>;
      return Object.values(status)[0]?.block?.number;
    } catch {
      return undefined;
    }
  };
  const waitForBlock = async (block: number, timeoutMs = 90_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the indexer exited with code ${child.exitCode}:\n${output.slice(-5_000)}`);
      const indexed = await indexedBlock();
      if (indexed !== undefined && indexed >= block) return;
      if (Date.now() > deadline) throw new Error(`the indexer did not reach block ${block} in ${timeoutMs} ms (at ${indexed}):\n${output.slice(-5_000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const graphql = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: { message: string }[] };
    if (body.errors !== undefined) throw new Error(`GraphQL: ${body.errors.map((error) => error.message).join("; ")}`);
    return body.data;
  };
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      process.removeListener("exit", killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        killGroup("SIGTERM");
        const timer = setTimeout(() => killGroup("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    })());
  return { url, child, output: () => output, indexedBlock, waitForBlock, graphql, stop };
}
