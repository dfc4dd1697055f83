/**
 * The keeper tests' processes: `npm run chain` (the `chain` task) on a free port as one child process, and the
 * keeper (the `keeper` task) as another, with its JSON log lines collected so tests can wait for them.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { HDNodeWallet, JsonRpcProvider, Mnemonic } from "ethers";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const HARDHAT_CLI = path.join(ROOT, "node_modules", "hardhat", "dist", "src", "cli.js");
const MNEMONIC = "test test test test test test test test test test test junk";

/** The private key of account `index` of the local chain (Hardhat's well-known test mnemonic). */
export function accountKey(index: number): string {
  return HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(MNEMONIC), `m/44'/60'/0'/0/${index}`).privateKey;
}

export interface Chain {
  url: string;
  dir: string;
  deploymentFile: string;
  provider: JsonRpcProvider;
  rpc(method: string, params?: unknown[]): Promise<any>;
  stop(): Promise<void>;
}

function killOnExit(child: ChildProcess): () => void {
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  return () => process.removeListener("exit", kill);
}

/** Starts `hardhat chain --port 0` with its deployment file in a temporary folder. */
export async function startChain(): Promise<Chain> {
  const dir = mkdtempSync(path.join(tmpdir(), "parapet-keeper-test-"));
  const deploymentFile = path.join(dir, "deployment.json");
  const child = spawn(process.execPath, [HARDHAT_CLI, "chain", "--port", "0", "--out", deploymentFile], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" },
  });
  const forget = killOnExit(child);
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the chain did not start in 150 s:\n${output}`)), 150_000);
    const onData = (chunk: Buffer) => {
      if (output.length < 50_000) output += chunk.toString();
      const found = /JSON-RPC \(HTTP and WebSocket\) at (http:\/\/[\d.]+:\d+)/.exec(output)?.[1];
      if (found !== undefined && output.includes("Press Ctrl-C")) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`the chain exited with code ${code}:\n${output}`)));
  });
  child.stdout!.resume();
  child.stderr!.resume();
  const provider = new JsonRpcProvider(url, undefined, { cacheTimeout: -1 });
  return {
    url,
    dir,
    deploymentFile,
    provider,
    rpc: (method, params = []) => provider.send(method, params),
    stop: async () => {
      forget();
      provider.destroy();
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGINT");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type LogLine = { msg: string; level: string; [field: string]: any };

export interface KeeperProcess {
  child: ChildProcess;
  lines: LogLine[];
  stderr: () => string;
  /** Resolves with the first log line (from the start) that matches; rejects after `timeoutMs`. */
  waitFor(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  exited: Promise<number | null>;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
}

export interface KeeperArgs {
  rpcUrl: string;
  deploymentFile?: string;
  configFile?: string;
  db: string;
  key?: string;
  metricsPort?: number;
}

/** Runs `hardhat keeper` as a child process (not through npm, so a signal reaches the keeper itself). */
export function startKeeperProcess(args: KeeperArgs): KeeperProcess {
  const argv = [HARDHAT_CLI, "keeper", "--rpc-url", args.rpcUrl, "--db", args.db];
  if (args.deploymentFile !== undefined) argv.push("--deployment", args.deploymentFile);
  if (args.configFile !== undefined) argv.push("--keeper-config", args.configFile);
  if (args.metricsPort !== undefined) argv.push("--metrics-port", String(args.metricsPort));
  const env: Record<string, string | undefined> = { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1", KEEPER_PRIVATE_KEY: args.key };
  if (args.key === undefined) delete env.KEEPER_PRIVATE_KEY;
  const child = spawn(process.execPath, argv, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env });
  const forget = killOnExit(child);
  const lines: LogLine[] = [];
  const waiters = new Set<() => void>();
  let buffered = "";
  let errors = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline: number;
    while ((newline = buffered.indexOf("\n")) >= 0) {
      const text = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      try {
        lines.push(JSON.parse(text) as LogLine);
      } catch {
        lines.push({ msg: text, level: "raw" });
      }
    }
    for (const wake of waiters) wake();
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      forget();
      for (const wake of waiters) wake();
      resolve(code);
    }),
  );
  const waitFor = (match: (line: LogLine) => boolean, timeoutMs = 30_000) =>
    new Promise<LogLine>((resolve, reject) => {
      const check = () => {
        const found = lines.find(match);
        if (found !== undefined) {
          done();
          resolve(found);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          done();
          reject(new Error(`the keeper exited (${child.exitCode ?? child.signalCode}) first:\n${errors}\n${JSON.stringify(lines.slice(-10))}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no matching keeper log line in ${timeoutMs} ms; last lines:\n${lines.slice(-8).map((line) => JSON.stringify(line)).join("\n")}\n${errors}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });
  return {
    child,
    lines,
    stderr: () => errors,
    waitFor,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
