/**
 * `npm run chain` (the `chain` task): a local JSON-RPC node with Parapet deployed and seeded, for dApp developers.
 *
 * It serves Hardhat's simulated network over HTTP and WebSocket (what `hardhat node` does, in this process), deploys
 * and seeds the protocol with `deployParapet` through an HTTP connection to it, writes `deployments/31337.json` (chain
 * id, addresses including the SDK's `ParapetLens`, start block) for the SDK and the tasks, prints the funded accounts
 * and the contracts, and runs until Ctrl-C.
 *
 * The deployment goes through a second Hardhat runtime whose Ignition journal lives in a temporary directory: Ignition
 * journals HTTP deployments under `ignition/deployments/chain-<id>` and would otherwise "resume" the previous run's
 * deployment on a fresh chain.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { HDNodeWallet } from "ethers";
import { createHardhatRuntimeEnvironment } from "hardhat/hre";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { NetworkConnection } from "hardhat/types/network";

import type { ParapetDeployment } from "../deploy/fixture.js";
import { formatAmount, table } from "./lib/format.js";
import { TaskError, taskAction, textTable } from "./tasks/lib/cli.js";
import { defaultDeploymentPath, deploymentFileOf, writeDeployment, type DeploymentFile } from "./tasks/lib/deployment.js";

export interface LocalChainOptions {
  /** Port to listen on (default 8545; 0 lets the OS pick one). */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  hostname?: string;
  /** Where to write the deployment file (default `deployments/<chainId>.json`). */
  out?: string;
  /** Log every JSON-RPC request once the protocol is deployed. */
  logging?: boolean;
  /** Print nothing. */
  quiet?: boolean;
  /**
   * Seed the vaults with underwriter deposits (`SEED_DEPOSITS`: 400,000 in each, from accounts 5 and 6), so that
   * cover can be bought at once, as the README's dApp snippet does. `npm run chain` does; the task tests start empty.
   */
  seedDeposits?: boolean;
}

/**
 * The covered lending pool (`contracts/mocks/MockLendingPool.sol`) for the `lendora-v3` product: deposits from
 * buyer accounts (indexes into the fixture's buyers), in whole units, so that an exploit moves real money.
 */
export const POOL_DEPOSITS = [
  { buyer: 2, amount: 300_000n },
  { buyer: 3, amount: 200_000n },
] as const;

/** The deposits `npm run chain` makes, in whole units: underwriter account index and vault name. */
export const SEED_DEPOSITS = [
  { underwriter: 0, vault: "conservative", amount: 400_000n },
  { underwriter: 1, vault: "highYield", amount: 400_000n },
] as const;

export interface LocalChain {
  url: string;
  port: number;
  chainId: number;
  deploymentFile: string;
  deployment: DeploymentFile;
  /** The fixture's handles, connected through `connection`. */
  parapet: ParapetDeployment;
  /** A Hardhat runtime whose default network is this node over HTTP: tasks run on it reach the node. */
  client: HardhatRuntimeEnvironment;
  /** An HTTP connection to the node (the one the protocol was deployed through). */
  connection: NetworkConnection;
  /** Resolves when the server has stopped. */
  closed: Promise<void>;
  /** Stops the server and removes the temporary Ignition journal. */
  close(): Promise<void>;
}

/** The network name under which the client runtime reaches the node. */
const CLIENT_NETWORK = "parapetLocalChain";

/** Roles of the fixture's accounts, by address. */
function roles(parapet: ParapetDeployment): Map<string, string> {
  const { accounts } = parapet;
  const names = new Map<string, string>([
    [accounts.admin.address, "admin, deployer"],
    [accounts.guardian.address, "guardian"],
    [accounts.riskManager.address, "risk manager"],
    [accounts.curator.address, "curator"],
    [parapet.treasury.address, "treasury"],
    [accounts.outsider.address, "outsider (unfunded)"],
    [accounts.watcher.address, "watcher / keeper (approved: adjudicator)"],
    [accounts.committeeAdmin.address, "committee admin"],
  ]);
  for (const underwriter of accounts.underwriters) names.set(underwriter.address, "underwriter (approved: vaults)");
  for (const buyer of accounts.buyers) names.set(buyer.address, "buyer (approved: CoverManager, adjudicator)");
  for (const member of parapet.committee) names.set(member.address, "committee member");
  return names;
}

/** The node's private keys, derived from its account configuration (Hardhat's well-known test mnemonic by default). */
async function privateKeys(hre: HardhatRuntimeEnvironment): Promise<string[]> {
  const config = hre.config.networks.node;
  if (config === undefined || config.type !== "edr-simulated") return [];
  const { accounts } = config;
  if (Array.isArray(accounts)) return Promise.all(accounts.map((account) => account.privateKey.get()));
  const root = HDNodeWallet.fromPhrase(await accounts.mnemonic.get(), await accounts.passphrase.get(), accounts.path);
  return Array.from({ length: accounts.count }, (_, index) => root.deriveChild(accounts.initialIndex + index).privateKey);
}

/** Starts the node, deploys and seeds Parapet, and writes the deployment file. */
export async function startLocalChain(hre: HardhatRuntimeEnvironment, options: LocalChainOptions = {}): Promise<LocalChain> {
  const log = options.quiet === true ? () => {} : (line = "") => console.log(line);
  const server = await hre.network.createServer({ network: "node" }, options.hostname ?? "127.0.0.1", options.port ?? 8545);
  let address: string;
  let port: number;
  try {
    ({ address, port } = await server.listen());
  } catch (error) {
    if ((error as { code?: string }).code === "EADDRINUSE") {
      throw new TaskError(`port ${options.port ?? 8545} is already in use (another node running?): pick one with --port`);
    }
    throw error;
  }
  const url = `http://${address}:${port}`;
  const closed = server.afterClosed();
  const ignitionDir = await mkdtemp(path.join(tmpdir(), "parapet-ignition-"));
  let connection: NetworkConnection | undefined;
  const close = async () => {
    await connection?.close();
    await server.close();
    await rm(ignitionDir, { recursive: true, force: true });
  };

  try {
    const client = await createHardhatRuntimeEnvironment(
      {
        ...hre.userConfig,
        paths: { ...hre.userConfig.paths, ignition: ignitionDir },
        networks: { ...hre.userConfig.networks, [CLIENT_NETWORK]: { type: "http", url } },
      },
      { network: CLIENT_NETWORK, config: hre.globalOptions.config },
      hre.config.paths.root,
    );
    connection = await client.network.create();
    const { ethers } = connection;
    const chainId = Number((await ethers.provider.getNetwork()).chainId);
    // Imported here, not at the top: the fixture needs the typechain types, which the `chain` task builds first.
    const { deployParapet } = await import("../deploy/fixture.js");
    const parapet = await deployParapet(connection);
    const at = (contract: { getAddress(): Promise<string> }) => contract.getAddress();
    const unit = 10n ** (await parapet.asset.decimals());
    const seeded: string[] = [];
    if (options.seedDeposits === true) {
      for (const { underwriter, vault, amount } of SEED_DEPOSITS) {
        const signer = parapet.accounts.underwriters[underwriter]!;
        await (await parapet.vaults[vault].connect(signer).deposit(amount * unit, signer.address)).wait();
        seeded.push(`${formatAmount(amount * unit, Number(await parapet.asset.decimals()))} into ${vault} from ${signer.address}`);
      }
    }

    // The covered protocol the keeper's monitors watch (README "Keeper"): deployed beside the fixture, whose
    // signature stays as it is. Its admin is the deployer; anyone can exploit it (see the contract).
    const { MockLendingPool__factory } = await import("../types/ethers-contracts/index.js");
    const pool = await new MockLendingPool__factory(parapet.accounts.admin).deploy(parapet.asset, parapet.accounts.admin.address);
    await pool.waitForDeployment();
    for (const { buyer, amount } of POOL_DEPOSITS) {
      const signer = parapet.accounts.buyers[buyer]!;
      await (await parapet.asset.connect(signer).approve(await pool.getAddress(), amount * unit)).wait();
      await (await pool.connect(signer).deposit(amount * unit)).wait();
    }

    const deployment: DeploymentFile = {
      ...(await deploymentFileOf(parapet, chainId)),
      coveredProtocols: {
        "lendora-v3": { productId: Number(parapet.productIds.lending), pool: await at(pool), token: await at(parapet.asset) },
      },
    };
    const deploymentFile = path.resolve(options.out ?? defaultDeploymentPath(hre.config.paths.root, chainId));
    await writeDeployment(deploymentFile, deployment);

    if (options.quiet !== true) {
      const decimals = Number(await parapet.asset.decimals());
      const symbol = await parapet.asset.symbol();
      const names = roles(parapet);
      const signers = await ethers.getSigners();
      const keys = await privateKeys(hre);
      const accountRows: string[][] = [];
      for (const [index, signer] of signers.entries()) {
        accountRows.push([
          String(index),
          names.get(signer.address) ?? "-",
          signer.address,
          formatAmount(await parapet.asset.balanceOf(signer.address), decimals),
          formatAmount(await ethers.provider.getBalance(signer.address), 18, 0),
        ]);
      }
      const { vaults, tranches = {}, ...contracts } = deployment.addresses;
      const contractRows: string[][] = [
        ...Object.entries(contracts).map(([name, value]) => [name, String(value)]),
        ...Object.entries(vaults).map(([name, value]) => [`vaults.${name}`, value]),
        ...Object.entries(tranches).map(([name, value]) => [`tranches.${name} (manager)`, value]),
        ["priceFeed (mock USDx/USD)", await at(parapet.priceFeed)],
        ["lending pool (covered by lendora-v3)", await at(pool)],
      ];
      const productRows: string[][] = [];
      for (const [name, id] of Object.entries(parapet.productIds)) {
        const product = await parapet.productRegistry.getProduct(id);
        const backing = await parapet.productRegistry.backingVaults(id);
        const vaultNames = backing.map((vault) => Object.entries(deployment.addresses.vaults).find(([, a]) => a === vault)?.[0] ?? vault);
        const slug = product.metadataURI.split("/").filter((part) => part !== "").pop() ?? name;
        productRows.push([String(id), slug, ["discretionary", "parametric"][Number(product.kind)], vaultNames.join(", ")]);
      }
      log(`Parapet local chain: JSON-RPC (HTTP and WebSocket) at ${url}, chain ${chainId}`);
      log(`Deployment written to ${path.relative(process.cwd(), deploymentFile) || deploymentFile} (start block ${deployment.startBlock})`);
      if (seeded.length > 0) log(`Seed deposits: ${seeded.join("; ")}`);
      log();
      log(table(["contract", "address"], contractRows));
      log();
      log(textTable(["product", "name (for --product)", "kind", "backed by"], productRows, [1, 2, 3]));
      log();
      log(`Accounts (${symbol} is the test stablecoin, ${decimals} decimals)`);
      log(textTable(["#", "role", "address", symbol, "ETH"], accountRows, [1]));
      if (keys.length > 0) {
        log();
        log("Private keys: Hardhat's well-known test accounts. Anyone can take funds sent to them on a real network.");
        for (const [index, key] of keys.entries()) log(`  #${String(index).padEnd(2)} ${key}`);
      }
      log();
      log("Try (the `localhost` network of hardhat.config.ts points at port 8545):");
      log("  npx hardhat vault:status --network localhost");
      log("  npx hardhat vault:deposit --network localhost --from 5 --vault conservative --amount 100000");
      log("  npx hardhat cover:quote --network localhost --product lendora-v3 --amount 10000 --days 30");
      log("  npx hardhat cover:buy --network localhost --from 8 --product lendora-v3 --vault conservative --amount 10000 --days 30");
      if (port !== 8545) log(`  (this node is on port ${port}: add a network with url ${url} to reach it from tasks)`);
    }
    if (options.logging === true) await ethers.provider.send("hardhat_setLoggingEnabled", [true]);
    return { url, port, chainId, deploymentFile, deployment, parapet, client, connection, closed, close };
  } catch (error) {
    await close();
    throw error;
  }
}

interface ChainArgs {
  port: number;
  hostname: string;
  out: string | undefined;
  logging: boolean;
  empty: boolean;
}

/** The `chain` task: build, start, deploy, then serve until Ctrl-C. */
export default taskAction(async (args: ChainArgs, hre: HardhatRuntimeEnvironment) => {
  await hre.tasks.getTask("build").run({ quiet: true, noTests: true });
  const chain = await startLocalChain(hre, { ...args, seedDeposits: !args.empty });
  console.log("\nPress Ctrl-C to stop the node.");
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
    void chain.closed.then(resolve);
  });
  console.log("\nStopping the node.");
  await chain.close();
});
