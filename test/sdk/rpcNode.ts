/**
 * A real Hardhat JSON-RPC node in a child process, for tests that must talk to a node over HTTP exactly as a dApp
 * does (separate process, real sockets, real JSON-RPC encoding), rather than to the in-process network.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { rm, rmdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const HARDHAT_CLI = path.join(ROOT, "node_modules", "hardhat", "dist", "src", "cli.js");

export interface RpcNode {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly chainId: number;
  readonly child: ChildProcess;
  /** Kills the node (SIGTERM, then SIGKILL after a grace period) and removes its Ignition journal. */
  stop(): Promise<void>;
}

export interface StartRpcNodeOptions {
  /**
   * Chain id of the node. Defaults to a random id so that Ignition, which journals deployments to HTTP networks in
   * `ignition/deployments/chain-<id>`, never resumes a journal left by another node or a concurrent run.
   */
  chainId?: number;
  /** How long to wait for the node to answer `eth_chainId` (default 60 s). */
  timeoutMs?: number;
}

async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error !== undefined) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

/**
 * Starts `hardhat node --port 0 --chain-id <id>` (the OS picks a free port; the node prints it), waits until the node
 * answers `eth_chainId`, and returns its URL. The child is also killed if this process exits first.
 */
export async function startRpcNode(options: StartRpcNodeOptions = {}): Promise<RpcNode> {
  const chainId = options.chainId ?? 700_000 + Math.floor(Math.random() * 200_000);
  const timeoutMs = options.timeoutMs ?? 60_000;
  // The Hardhat CLI is started with this process's Node directly: through `npx` the signal would reach npx and
  // could leave the node itself running.
  const child = spawn(process.execPath, [HARDHAT_CLI, "node", "--hostname", "127.0.0.1", "--port", "0", "--chain-id", String(chainId)], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" },
  });
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hardhat node did not start in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      // The node logs every request; keep only the start of the output for diagnostics.
      if (output.length < 20_000) output += chunk.toString();
      const match = /JSON-RPC server at (http:\/\/[\d.]+:\d+)/.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`hardhat node exited with code ${code}:\n${output}`));
    });
  });
  // Keep draining the pipes so the node never blocks on a full stdout.
  child.stdout!.resume();
  child.stderr!.resume();

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const answered = Number(await rpc(url, "eth_chainId"));
      if (answered !== chainId) throw new Error(`node answered chain id ${answered}, expected ${chainId}`);
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const port = Number(new URL(url).port);
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      process.removeListener("exit", killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(path.join(ROOT, "ignition", "deployments", `chain-${chainId}`), { recursive: true, force: true });
      // Leave no empty `ignition/deployments` behind either (rmdir fails, harmlessly, if anything else is there).
      for (const dir of [path.join(ROOT, "ignition", "deployments"), path.join(ROOT, "ignition")]) {
        await rmdir(dir).catch(() => undefined);
      }
    })());
  return { url, port, chainId, child, stop };
}

/** Calls a JSON-RPC method on the node directly (outside any provider), e.g. `evm_increaseTime`. */
export async function rpcCall(node: RpcNode, method: string, params: unknown[] = []): Promise<unknown> {
  return rpc(node.url, method, params);
}
