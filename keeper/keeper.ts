/**
 * The long-running keeper: wires the block follower, the event index, the monitors, the actions, the journaling
 * signer, the SQLite store and the metrics server, and runs the loop until stopped.
 *
 * Start-up refuses, with one clear error each: a node on another chain than the deployment, a deployment whose
 * contracts are not on the node, an empty or invalid signer key, and a database that belongs to another chain.
 */
import type { Server } from "node:http";

import { JsonRpcProvider, type Block } from "ethers";

import { loadDeployment, ParapetClient, type ParapetDeployment } from "../sdk/src/index.js";
import { KeeperActions } from "./actions.js";
import type { KeeperConfig } from "./config.js";
import { BlockFollower } from "./follower.js";
import { EventIndexer } from "./indexer.js";
import { JournalingWallet } from "./journalingWallet.js";
import { describeError, type Logger } from "./log.js";
import { KeeperMetrics, serveMetrics } from "./metrics.js";
import { Monitors } from "./monitors.js";
import { KeeperStore } from "./store.js";

/** A start-up problem the operator must fix; the command prints it and exits with status 1. */
export class KeeperStartError extends Error {}

export interface KeeperOptions {
  rpcUrl: string;
  /** The parsed deployment file. */
  deployment: unknown;
  /** The signer's private key (from the environment or the keystore). */
  privateKey: string | undefined;
  /** Where the key came from, for the error message when it is missing. */
  signerSource: string;
  config: KeeperConfig;
  dbFile: string;
  log: Logger;
}

export interface RunningKeeper {
  address: string;
  metricsPort: number | undefined;
  store: KeeperStore;
  metrics: KeeperMetrics;
  /** Resolves when the loop has stopped. */
  done: Promise<void>;
  /** Stops after the current pass, closes the server and the database. */
  stop(): Promise<void>;
}

function signerKey(options: KeeperOptions): string {
  const key = options.privateKey?.trim() ?? "";
  if (key === "") {
    throw new KeeperStartError(
      `no signer: ${options.signerSource} is empty or unset. Set the environment variable, or store the key with ` +
        "`npx hardhat keystore set <NAME>` and pass --signer <NAME>",
    );
  }
  const hex = key.startsWith("0x") ? key : `0x${key}`;
  if (!/^0x[0-9a-fA-F]{64}$/.test(hex)) throw new KeeperStartError(`the signer key from ${options.signerSource} is not a 32-byte hex private key`);
  return hex;
}

export async function startKeeper(options: KeeperOptions): Promise<RunningKeeper> {
  const { config, log } = options;
  const key = signerKey(options);
  let deployment: ParapetDeployment;
  try {
    deployment = loadDeployment(options.deployment);
  } catch (error) {
    throw new KeeperStartError(`unusable deployment: ${describeError(error).message}`);
  }
  const provider = new JsonRpcProvider(options.rpcUrl, undefined, { cacheTimeout: -1, staticNetwork: false, polling: true, pollingInterval: config.pollIntervalMs });
  let chainId: bigint;
  try {
    chainId = (await provider._detectNetwork()).chainId;
  } catch (error) {
    provider.destroy();
    throw new KeeperStartError(`no JSON-RPC node answers at ${options.rpcUrl}: ${describeError(error).message}`);
  }
  if (chainId !== BigInt(deployment.chainId)) {
    provider.destroy();
    throw new KeeperStartError(`wrong chain: the node at ${options.rpcUrl} is chain ${chainId}, the deployment is for chain ${deployment.chainId}`);
  }

  const store = new KeeperStore(options.dbFile);
  let client: ParapetClient;
  const wallet = new JournalingWallet(key, provider, store, (sent) => log.info("transaction sent", sent));
  try {
    store.bind({ chainId: String(chainId), coverManager: deployment.addresses.coverManager, signer: wallet.address });
    client = await ParapetClient.connect(wallet, deployment);
  } catch (error) {
    store.close();
    provider.destroy();
    throw new KeeperStartError(describeError(error).message);
  }

  const metrics = new KeeperMetrics();
  const actions = new KeeperActions({ client, wallet, store, config, log, metrics });
  const indexer = new EventIndexer(provider, store, deployment);
  const monitors = new Monitors(provider, store, config.monitors);
  const follower = new BlockFollower(provider, store, log, {
    startBlock: deployment.startBlock,
    reorgDepth: config.reorgDepth,
    onBlock: async (block: Block) => {
      const [logs, readings] = await Promise.all([indexer.read(block), monitors.read(block)]);
      store.atomically(() => {
        indexer.apply(logs, block.number);
        monitors.apply(readings, block);
        store.addBlock(block.number, block.hash!, block.timestamp);
      });
      for (const { monitor, evidence } of readings) {
        if (evidence === undefined) continue;
        metrics.increment("parapet_keeper_monitor_alerts_total", "Monitors that fired", { monitor: monitor.id, kind: monitor.kind });
        log.warn("monitor fired", { monitor: monitor.id, kind: monitor.kind, productId: monitor.productId, action: monitor.action, evidence });
      }
      metrics.gauge("parapet_keeper_block", "The last block the keeper processed", block.number);
    },
    onHead: async (head) => {
      await actions.run(head);
      metrics.lastPassAt = Date.now() / 1000;
    },
  });

  let server: Server | undefined;
  let metricsPort: number | undefined;
  if (config.metricsPort !== undefined) {
    ({ server, port: metricsPort } = await serveMetrics(metrics, config.health, config.metricsPort));
  }
  // Before following: the transactions a previous run signed are confirmed, re-broadcast or marked dropped.
  await actions.reconcile();
  log.info("keeper started", {
    signer: wallet.address,
    chainId,
    rpcUrl: options.rpcUrl,
    db: options.dbFile,
    cursor: store.cursor()?.number ?? null,
    monitors: config.monitors.map((monitor) => monitor.id),
    metricsPort: metricsPort ?? null,
  });

  let stopping = false;
  let wake: (() => void) | undefined;
  const loop = async () => {
    let failures = 0;
    while (!stopping) {
      try {
        await follower.step();
        failures = 0;
        const head = await provider.getBlockNumber();
        const behind = Math.max(0, head - (store.cursor()?.number ?? 0));
        metrics.blocksBehind = behind;
        metrics.gauge("parapet_keeper_blocks_behind", "Blocks between the node's head and the last block processed", behind);
        if (behind > 0) continue; // catching up: no pause
      } catch (error) {
        if (error instanceof Error && error.constructor.name === "ReorgTooDeep") throw error;
        failures += 1;
        metrics.increment("parapet_keeper_loop_errors_total", "Passes that failed (node unreachable, say); retried");
        log.error("pass failed; retrying", { failures, ...describeError(error) });
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, config.pollIntervalMs * Math.min(2 ** failures, 30));
      });
    }
  };
  const done = loop().finally(() => {
    server?.close();
    store.close();
    provider.destroy();
    log.info("keeper stopped");
  });
  return {
    address: wallet.address,
    metricsPort,
    store,
    metrics,
    done,
    stop: async () => {
      stopping = true;
      wake?.();
      await done.catch(() => undefined);
    },
  };
}
