/**
 * `npm run keeper` (the `keeper` task): starts the long-running keeper (`keeper/`) against a node, until Ctrl-C or
 * SIGTERM. The node is `--rpc-url`, or the HTTP network given with `--network` (`localhost` by default); the signer's
 * private key is the configuration variable `--signer` (default `KEEPER_PRIVATE_KEY`), read from the environment or,
 * when unset there, from Hardhat's encrypted keystore (`npx hardhat keystore set KEEPER_PRIVATE_KEY`).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

import { FetchRequest, JsonRpcProvider } from "ethers";
import { configVariable } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { ConfigError, loadKeeperConfig } from "../../keeper/config.js";
import { KeeperStartError, startKeeper } from "../../keeper/keeper.js";
import { jsonLogger, type LogLevel } from "../../keeper/log.js";
import { TaskError, taskAction } from "./lib/cli.js";
import { defaultDeploymentPath, parseDeployment } from "./lib/deployment.js";

interface Args {
  rpcUrl: string | undefined;
  deployment: string | undefined;
  signer: string;
  keeperConfig: string | undefined;
  db: string | undefined;
  metricsPort: string | undefined;
  logLevel: string;
}

async function rpcUrlOf(args: Args, hre: HardhatRuntimeEnvironment): Promise<string> {
  if (args.rpcUrl !== undefined && args.rpcUrl.trim() !== "") return args.rpcUrl.trim();
  // The keeper follows a node over JSON-RPC: Hardhat's in-process network (the default) has nothing to follow.
  const name = hre.globalOptions.network === undefined || hre.globalOptions.network === "default" ? "localhost" : hre.globalOptions.network;
  const network = hre.config.networks[name];
  if (network === undefined) throw new TaskError(`unknown network ${name}: pass --rpc-url or a network of hardhat.config.ts`);
  if (network.type !== "http") throw new TaskError(`network ${name} is not an HTTP network: pass --rpc-url <url> of a node`);
  return network.url.get();
}

/** The key from the environment or, when unset there, the keystore (which asks for its password). */
async function signerKey(name: string, hre: HardhatRuntimeEnvironment): Promise<string | undefined> {
  if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) throw new TaskError(`--signer must name a configuration variable such as KEEPER_PRIVATE_KEY (got "${name}")`);
  if (process.env[name] !== undefined) return process.env[name];
  try {
    return await hre.hooks.runHandlerChain("configurationVariables", "fetchValue", [configVariable(name)], (_context, variable) => {
      const value = process.env[variable.name];
      return value === undefined ? Promise.reject(new TaskError("unset")) : Promise.resolve(value);
    });
  } catch {
    return undefined;
  }
}

async function chainIdAt(url: string): Promise<number> {
  const request = new FetchRequest(url);
  request.timeout = 10_000;
  const provider = new JsonRpcProvider(request, undefined, { staticNetwork: false });
  try {
    return Number((await provider._detectNetwork()).chainId);
  } catch {
    throw new TaskError(`no JSON-RPC node answers at ${url}`);
  } finally {
    provider.destroy();
  }
}

export default taskAction(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const level = args.logLevel as LogLevel;
  if (!["debug", "info", "warn", "error"].includes(level)) throw new TaskError("--log-level must be debug, info, warn or error");
  const log = jsonLogger(level);
  const rpcUrl = await rpcUrlOf(args, hre);
  const chainId = await chainIdAt(rpcUrl);
  const file = args.deployment === undefined ? defaultDeploymentPath(hre.config.paths.root, chainId) : path.resolve(args.deployment);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new TaskError(`unknown deployment: cannot read ${file}${args.deployment === undefined ? ` (none for chain ${chainId}; pass --deployment <file>)` : ""}`);
  }
  let deployment;
  try {
    deployment = parseDeployment(JSON.parse(text), file);
  } catch (error) {
    throw new TaskError(error instanceof SyntaxError ? `${file} is not valid JSON` : (error as Error).message);
  }
  let config;
  try {
    config = loadKeeperConfig(args.keeperConfig, deployment);
  } catch (error) {
    if (error instanceof ConfigError) throw new TaskError(error.message);
    throw error;
  }
  if (args.metricsPort !== undefined) {
    const port = Number(args.metricsPort);
    if (!Number.isSafeInteger(port) || port < 0 || port > 65_535) throw new TaskError("--metrics-port must be a port number (0: any free port)");
    config.metricsPort = port;
  }
  let keeper;
  try {
    keeper = await startKeeper({
      rpcUrl,
      deployment,
      privateKey: await signerKey(args.signer, hre),
      signerSource: args.signer,
      config,
      dbFile: args.db ?? path.join(hre.config.paths.root, "keeper-data", `${chainId}.sqlite`),
      log,
    });
  } catch (error) {
    if (error instanceof KeeperStartError) throw new TaskError(error.message);
    throw error;
  }
  const stop = () => void keeper.stop();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await keeper.done;
});
