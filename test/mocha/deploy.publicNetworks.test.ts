/**
 * Public-network deployment (docs/deployment.md), in two parts:
 * - the network parameter files and the checks `parapet:deploy` runs before sending anything (no chain);
 * - the production parameters (deploy/parameters/production.json) deployed through `parapet:deploy`'s own path
 *   (`deployProtocol`: timelock, protocol, hand-over) to a Hardhat node in a child process over JSON-RPC, then read
 *   on chain: roles, execution/grant/target-admin delays, guardians, the timelock, the deployer's leftovers;
 *   `parapet:check-deployment` run as a task against it; and the SDK registry generated from its deployment file.
 * The in-process behaviour of the delays (schedule, execute, veto) is in governance.delays.test.ts.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { getAddress, id, ZeroAddress, ZeroHash } from "ethers";
import hre, { network } from "hardhat";
import { createHardhatRuntimeEnvironment } from "hardhat/hre";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { NetworkConnection } from "hardhat/types/network";

import { PUBLIC_CHAINS } from "../../deploy/chains.js";
import { deployUmaLocal } from "../../deploy/uma.js";
import { checkDeployment, creationBlockOf, expectedFromParameters, initialAdminOf } from "../../deploy/checkDeployment.js";
import { deployProtocol, triggerDeploymentId, type PublicDeployment } from "../../deploy/deployNetwork.js";
import { selectorsByRole } from "../../deploy/ignition/Parapet.js";
import {
  checkNetworkParameters,
  DeploymentRefused,
  NETWORK_PARAMETER_FILES,
  parameterFileOf,
  placeholdersIn,
  readParameterFile,
  type NetworkParameters,
  type PublicNetworkName,
} from "../../deploy/networks.js";
import { ROLE_GUARDIANS, ROLES, RESTRICTED_FUNCTIONS } from "../../deploy/roles.js";
import { readDeploymentFiles, renderRegistry } from "../../scripts/generate-sdk-deployments.js";
import { writeDeployment } from "../../scripts/tasks/lib/deployment.js";
import { confirmOnPublicChains } from "../../scripts/tasks/lib/networkFiles.js";
import { getDeployment, ParapetClient, registerDeployment, type ParapetDeployment } from "../../sdk/src/index.js";
import {
  AccessManager__factory,
  MockV3Aggregator__factory,
  PriceFeedTrigger__factory,
  ProductRegistry__factory,
  TestStablecoin__factory,
  TimelockController__factory,
} from "../../types/ethers-contracts/index.js";
import { rpcCall, startRpcNode, type RpcNode } from "../sdk/rpcNode.js";

const PRODUCTION = new URL("../../deploy/parameters/production.json", import.meta.url);
const DAY = 86_400;
/** AccessManager's `minSetback()`: increases of grant and target-admin delays bind this long after they are set. */
const MIN_SETBACK = 5 * DAY;

/** Replaces every `REPLACE_WITH_*` placeholder in the modules' parameters by its value in `values`. */
function fill(parameters: NetworkParameters, values: Record<string, string>): NetworkParameters {
  const replace = (value: unknown): unknown => {
    if (typeof value === "string" && value in values) return values[value];
    return Array.isArray(value) ? value.map(replace) : value;
  };
  const modules = Object.fromEntries(
    Object.entries(parameters.modules).map(([moduleId, moduleParameters]) => [
      moduleId,
      Object.fromEntries(Object.entries(moduleParameters).map(([name, value]) => [name, replace(value)])),
    ]),
  );
  return { network: parameters.network, modules: modules as NetworkParameters["modules"] };
}

/** Writes parameters back as a parameter file (bigints as `"123n"`, as Ignition reads them). */
async function writeParameterFile(file: string, parameters: NetworkParameters): Promise<void> {
  const json = { _network: parameters.network, ...parameters.modules };
  await writeFile(file, JSON.stringify(json, (_key, value: unknown) => (typeof value === "bigint" ? `${value}n` : value), 2));
}

function refusal(action: () => unknown): DeploymentRefused {
  try {
    action();
  } catch (error) {
    if (error instanceof DeploymentRefused) return error;
    throw error;
  }
  expect.fail("expected DeploymentRefused");
}

const ROLE_HOLDERS = {
  REPLACE_WITH_GOVERNANCE_MULTISIG: "0x1000000000000000000000000000000000000001",
  REPLACE_WITH_TREASURY: "0x1000000000000000000000000000000000000002",
  REPLACE_WITH_GUARDIAN: "0x1000000000000000000000000000000000000003",
  REPLACE_WITH_RISK_MANAGER: "0x1000000000000000000000000000000000000004",
  REPLACE_WITH_CURATOR: "0x1000000000000000000000000000000000000005",
  REPLACE_WITH_COMMITTEE_ADMIN: "0x1000000000000000000000000000000000000006",
  REPLACE_WITH_MEMBER_1: "0x1000000000000000000000000000000000000007",
  REPLACE_WITH_MEMBER_2: "0x1000000000000000000000000000000000000008",
  REPLACE_WITH_MEMBER_3: "0x1000000000000000000000000000000000000009",
  REPLACE_WITH_CLAIM_ADJUDICATOR: "0x100000000000000000000000000000000000000a",
  REPLACE_WITH_DEPEG_PRODUCT_ID: "3",
};
const PROTOCOL_MODULES = ["ParapetTimelock", "Parapet"];
const NETWORKS = Object.keys(NETWORK_PARAMETER_FILES) as PublicNetworkName[];

describe("public network parameter files and the checks before deploying", () => {
  for (const name of NETWORKS) {
    it(`${name}: is for its chain, and every external address is checksummed and used as recorded`, () => {
      const parameters = readParameterFile(parameterFileOf(name));
      expect(parameters.network!.name).to.equal(name);
      expect(parameters.network!.chainId).to.equal(PUBLIC_CHAINS[name].chainId);
      expect(hre.config.networks[name]).to.include({ type: "http", chainId: PUBLIC_CHAINS[name].chainId });
      for (const [key, entry] of Object.entries(parameters.network!.addresses)) {
        if (entry.address !== null) expect(getAddress(entry.address), key).to.equal(entry.address);
        expect(entry.source, key).to.not.equal("");
        for (const usedBy of entry.usedBy) {
          const [moduleId, parameter] = usedBy.split(".") as [string, string];
          expect(parameters.modules[moduleId]![parameter], usedBy).to.equal(entry.address ?? ZeroAddress);
        }
      }
      // Filled in, the protocol deploys (its asset is confirmed everywhere); the trigger only once its feeds are.
      const filled = fill(parameters, ROLE_HOLDERS);
      const chainId = PUBLIC_CHAINS[name].chainId;
      expect(checkNetworkParameters(filled, name, { chainId, moduleIds: PROTOCOL_MODULES })).to.deep.equal({ warnings: [] });
      const trigger = () => checkNetworkParameters(filled, name, { chainId, moduleIds: ["DepegTrigger"] });
      const unconfirmed = Object.values(parameters.network!.addresses).filter(
        (entry) => entry.status !== "confirmed" && entry.usedBy.some((usedBy) => usedBy.startsWith("DepegTrigger.")),
      );
      if (unconfirmed.length === 0) expect(trigger()).to.deep.equal({ warnings: [] });
      else expect(refusal(trigger).problems).to.have.length(unconfirmed.length);
    });
  }

  it("the Chainlink and Circle addresses are the ones confirmed in the docs table", () => {
    const address = (name: PublicNetworkName, key: string) => readParameterFile(parameterFileOf(name)).network!.addresses[key]!;
    expect(address("sepolia", "usdcUsdFeed").address).to.equal("0xA2F78ab2355fe2f984D808B5CeE7FD0A93D5270E");
    expect(address("baseSepolia", "usdcUsdFeed").address).to.equal("0xd30e2101a97dcbAeBCBC04F14C3f624E67A35165");
    expect(address("arbitrumSepolia", "usdcUsdFeed").address).to.equal("0x0153002d20B96532C639313c2d54c3dA09109309");
    expect(address("sepolia", "asset").address).to.equal("0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238");
    expect(address("baseSepolia", "asset").address).to.equal("0x036CbD53842c5426634e7929541eC2318f3dCF7e");
    expect(address("arbitrumSepolia", "asset").address).to.equal("0x75faf114eafb1BDbe2F0316DF893fd58CE46AA4d");
    for (const l2 of ["baseSepolia", "arbitrumSepolia"] as const) {
      expect(address(l2, "sequencerUptimeFeed")).to.include({ address: null, status: "UNCONFIRMED" });
    }
    expect(address("mainnet", "asset").address).to.equal("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48");
    expect(address("base", "asset").address).to.equal("0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913");
    expect(address("arbitrum", "asset").address).to.equal("0xaf88d065e77c8cC2239327C5EDb3A432268e5831");
    expect(address("base", "sequencerUptimeFeed")).to.include({ address: "0xBCF85224fc0756B9Fa45aA7892530B47e10b6433", status: "confirmed" });
    expect(address("arbitrum", "sequencerUptimeFeed")).to.include({ address: "0xFdB631F5EE196F0ed6FAa767959853A9F217697D", status: "confirmed" });
    expect(address("arbitrum", "usdcUsdFeed")).to.include({ address: "0x50834F3163758fcC1Df9973b6e91f0F0F0434aD3", status: "confirmed" });
    // Chainlink lists several USDC / USD proxies on Ethereum and Base: which one is standard is left to confirm.
    expect(address("mainnet", "usdcUsdFeed")).to.include({ address: "0x8fFfFfd4AfB6115b954Bd326cbe7B4BA576818f6", status: "UNCONFIRMED" });
    expect(address("base", "usdcUsdFeed")).to.include({ address: "0x7e860098F58bBFC8648a4311b374B1D669a2bc6B", status: "UNCONFIRMED" });
  });

  it("mainnets use production.json's governance values; L2 triggers have a sequencer grace period", () => {
    const production = readParameterFile(PRODUCTION).modules;
    const { timelockAdmin: _filledByDeploy, asset: _perNetwork, optimisticOracleV3: _umaPerNetwork, ...governance } =
      production.Parapet!;
    for (const name of ["mainnet", "base", "arbitrum"] as const) {
      const { modules } = readParameterFile(parameterFileOf(name));
      expect(modules.ParapetTimelock, name).to.deep.equal(production.ParapetTimelock);
      expect(modules.Parapet, name).to.deep.include(governance);
      expect(modules.DepegTrigger!.sequencerGracePeriod, name).to.equal(name === "mainnet" ? 0 : 3600);
    }
  });

  it("refuses placeholders, listing each one, before anything is sent", () => {
    const parameters = readParameterFile(parameterFileOf("baseSepolia"));
    const { problems } = refusal(() =>
      checkNetworkParameters(parameters, "base-sepolia.json", { chainId: 84_532, moduleIds: PROTOCOL_MODULES }),
    );
    expect(problems).to.deep.equal([
      "placeholder left: ParapetTimelock.proposers[0] = REPLACE_WITH_GOVERNANCE_MULTISIG",
      "placeholder left: Parapet.treasury = REPLACE_WITH_TREASURY",
      "placeholder left: Parapet.guardian = REPLACE_WITH_GUARDIAN",
      "placeholder left: Parapet.riskManager = REPLACE_WITH_RISK_MANAGER",
      "placeholder left: Parapet.curator = REPLACE_WITH_CURATOR",
      "placeholder left: Parapet.committeeAdmin = REPLACE_WITH_COMMITTEE_ADMIN",
      "placeholder left: Parapet.committee[0] = REPLACE_WITH_MEMBER_1",
      "placeholder left: Parapet.committee[1] = REPLACE_WITH_MEMBER_2",
      "placeholder left: Parapet.committee[2] = REPLACE_WITH_MEMBER_3",
    ]);
  });

  it("refuses another chain and an address that differs from the recorded one", () => {
    const parameters = fill(readParameterFile(parameterFileOf("sepolia")), ROLE_HOLDERS);
    parameters.modules.Parapet!.asset = "0x2000000000000000000000000000000000000002";
    const { problems, message } = refusal(() =>
      checkNetworkParameters(parameters, "sepolia.json", { chainId: 1, moduleIds: PROTOCOL_MODULES }),
    );
    expect(problems).to.deep.equal([
      "the file is for chain 11155111 (sepolia) but the network is chain 1",
      "Parapet.asset = 0x2000000000000000000000000000000000000002 but _network.addresses.asset is " +
        "0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238",
    ]);
    expect(message).to.match(/^sepolia\.json: refusing to deploy:\n {2}- the file is for chain/);
  });

  it("refuses an UNCONFIRMED address the modules use unless allowed, and then reports it", () => {
    const parameters = fill(readParameterFile(parameterFileOf("arbitrumSepolia")), ROLE_HOLDERS);
    const options = { chainId: 421_614, moduleIds: ["DepegTrigger"] };
    const { problems } = refusal(() => checkNetworkParameters(parameters, "arbitrum-sepolia.json", options));
    const unconfirmed = `sequencerUptimeFeed (DepegTrigger.sequencerUptimeFeed) is UNCONFIRMED: ${
      parameters.network!.addresses.sequencerUptimeFeed!.source
    }`;
    expect(problems).to.deep.equal([`${unconfirmed} (deploy with --allow-unconfirmed to accept it)`]);
    expect(
      checkNetworkParameters(parameters, "arbitrum-sepolia.json", { ...options, allowUnconfirmed: true }),
    ).to.deep.equal({ warnings: [unconfirmed] });
    // The protocol modules do not use the sequencer feed: they deploy without the override.
    expect(
      checkNetworkParameters(parameters, "arbitrum-sepolia.json", { chainId: 421_614, moduleIds: PROTOCOL_MODULES }),
    ).to.deep.equal({ warnings: [] });
  });

  it("asks the operator before deploying to a public chain; local nodes and the confirm variable skip it", async () => {
    const confirm = confirmOnPublicChains("sepolia", ROLE_HOLDERS.REPLACE_WITH_TREASURY);
    const previous = process.env.HARDHAT_IGNITION_CONFIRM_DEPLOYMENT;
    delete process.env.HARDHAT_IGNITION_CONFIRM_DEPLOYMENT;
    try {
      expect(process.stdin.isTTY, "the test runs without a terminal").to.not.equal(true);
      const refused = await confirm(11_155_111).then(String, (error: Error) => error.message);
      expect(refused).to.equal(
        "deploying to sepolia (chain 11155111) needs a confirmation: run it in a terminal, or set HARDHAT_IGNITION_CONFIRM_DEPLOYMENT=1",
      );
      expect(await confirm(31_337)).to.equal(true);
      process.env.HARDHAT_IGNITION_CONFIRM_DEPLOYMENT = "1";
      expect(await confirm(11_155_111)).to.equal(true);
    } finally {
      if (previous === undefined) delete process.env.HARDHAT_IGNITION_CONFIRM_DEPLOYMENT;
      else process.env.HARDHAT_IGNITION_CONFIRM_DEPLOYMENT = previous;
    }
  });

  it("needs no RPC URL, key or explorer key until a command connects to a public network", async () => {
    const variables = ["SEPOLIA_RPC_URL", "DEPLOYER_PRIVATE_KEY", "ETHERSCAN_API_KEY"].filter((name) => name in process.env);
    expect(variables, "the test must run without them").to.deep.equal([]);
    const sepolia = hre.config.networks.sepolia!;
    if (sepolia.type !== "http") expect.fail("sepolia is an HTTP network");
    // This runtime loaded the config and runs tests without them; resolving one is what fails, naming it.
    const url = sepolia.url;
    if (typeof url === "string") expect.fail("the RPC URL is a configuration variable");
    const failure = (pending: Promise<string>) => pending.then(() => "resolved", (error: Error) => error.message);
    expect(await failure(url.get())).to.match(/"SEPOLIA_RPC_URL" not found/);
    expect(await failure(hre.config.verify.etherscan.apiKey.get())).to.match(/"ETHERSCAN_API_KEY" not found/);
  });
});

describe("production deployment to a JSON-RPC node process (parapet:deploy's path)", function () {
  this.timeout(300_000);

  let node: RpcNode;
  let connection: NetworkConnection;
  let client: HardhatRuntimeEnvironment;
  let dir: string;
  let parameters: NetworkParameters;
  let parameterFile: string;
  let deploymentFile: string;
  let deployment: PublicDeployment;
  let deployer: HardhatEthersSigner;
  let proposer: HardhatEthersSigner;
  let outsider: HardhatEthersSigner;
  let holders: Record<"guardian" | "riskManager" | "curator" | "committeeAdmin" | "treasury", string>;
  const production = readParameterFile(PRODUCTION);
  const delay = (name: string) => BigInt(production.modules.Parapet![name] as number);

  before(async () => {
    node = await startRpcNode();
    connection = await network.create({ network: "localhost", override: { url: node.url } });
    const signers = await connection.ethers.getSigners();
    [deployer, proposer, outsider] = [signers[0]!, signers[1]!, signers[12]!];
    holders = {
      guardian: signers[2]!.address,
      riskManager: signers[3]!.address,
      curator: signers[4]!.address,
      committeeAdmin: signers[5]!.address,
      treasury: signers[6]!.address,
    };
    const asset = await new TestStablecoin__factory(deployer).deploy("Test USD", "tUSD", 6);
    await asset.waitForDeployment();
    const assetAddress = await asset.getAddress();
    // UMA is not on this node: its stack, deployed from UMA's own artifacts, stands in for the network's oracle.
    const { optimisticOracle } = await deployUmaLocal(connection, assetAddress);

    // production.json as a network file for this node: its placeholders filled with the node's accounts, and the
    // test stablecoin recorded as the asset, so the same checks as on a public network run.
    parameters = fill(production, {
      REPLACE_WITH_GOVERNANCE_MULTISIG: proposer.address,
      REPLACE_WITH_STABLECOIN: assetAddress,
      REPLACE_WITH_UMA_OPTIMISTIC_ORACLE_V3: await optimisticOracle.getAddress(),
      REPLACE_WITH_TREASURY: holders.treasury,
      REPLACE_WITH_GUARDIAN: holders.guardian,
      REPLACE_WITH_RISK_MANAGER: holders.riskManager,
      REPLACE_WITH_CURATOR: holders.curator,
      REPLACE_WITH_COMMITTEE_ADMIN: holders.committeeAdmin,
      REPLACE_WITH_MEMBER_1: signers[7]!.address,
      REPLACE_WITH_MEMBER_2: signers[8]!.address,
      REPLACE_WITH_MEMBER_3: signers[9]!.address,
    });
    parameters.network = {
      name: "localhost",
      chainId: node.chainId,
      layer: "L1",
      addresses: {
        asset: {
          address: assetAddress,
          description: "the test stablecoin",
          status: "confirmed",
          source: "deployed by this test",
          usedBy: ["Parapet.asset"],
        },
      },
    };
    // Only the timelock address is left to fill, and parapet:deploy fills it with the timelock it deploys.
    expect(placeholdersIn(parameters.modules, PROTOCOL_MODULES)).to.deep.equal([
      "Parapet.timelockAdmin = REPLACE_WITH_PARAPET_TIMELOCK_ADDRESS",
    ]);

    dir = await mkdtemp(path.join(tmpdir(), "parapet-deploy-"));
    parameterFile = path.join(dir, "parameters.json");
    await writeParameterFile(parameterFile, parameters);
    ({ deployment } = await deployProtocol(connection, readParameterFile(parameterFile), {
      source: parameterFile,
      displayUi: false,
    }));
    deploymentFile = path.join(dir, "deployments", `${node.chainId}.json`);
    await writeDeployment(deploymentFile, deployment);

    // A second runtime whose default network is the node: tasks run on it reach the node, as with --network.
    client = await createHardhatRuntimeEnvironment(
      { ...hre.userConfig, networks: { ...hre.userConfig.networks, localhost: { type: "http", url: node.url } } },
      { network: "localhost", config: hre.globalOptions.config },
      hre.config.paths.root,
    );
  });

  after(async () => {
    await connection?.close();
    for (const productId of [3, 4]) {
      const journal = path.join(hre.config.paths.ignition, "deployments", triggerDeploymentId(node.chainId, productId));
      await rm(journal, { recursive: true, force: true });
    }
    await node?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it("records the deployment: every contract, the timelock, and the AccessManager's creation block", async () => {
    const { provider } = connection.ethers;
    expect(deployment.chainId).to.equal(node.chainId);
    expect(deployment.startBlock).to.equal(await creationBlockOf(provider, deployment.addresses.accessManager));
    expect(await provider.getCode(deployment.addresses.accessManager, deployment.startBlock - 1)).to.equal("0x");
    expect(await initialAdminOf(provider, deployment.addresses.accessManager)).to.equal(deployer.address);
    for (const address of [deployment.addresses.timelock, deployment.addresses.lens, ...Object.values(deployment.addresses.vaults)]) {
      expect(await provider.getCode(address)).to.not.equal("0x");
    }
  });

  it("parapet:deploy run again resumes Ignition's journal: nothing is sent, same addresses, checks pass", async () => {
    const nonce = await connection.ethers.provider.getTransactionCount(deployer.address);
    const out = path.join(dir, "again.json");
    const result = (await client.tasks
      .getTask("parapet:deploy")
      .run({ parameters: parameterFile, allowUnconfirmed: false, out, verify: false, quiet: true })) as { success: boolean; value: unknown };
    expect(result).to.deep.equal({ success: true, value: deployment });
    expect(await connection.ethers.provider.getTransactionCount(deployer.address)).to.equal(nonce);
    expect(JSON.parse(await readFile(out, "utf8"))).to.deep.equal(deployment);
  });

  it("parapet:deploy refuses a testnet file on this chain, listing every problem, and sends nothing", async () => {
    const nonce = await connection.ethers.provider.getTransactionCount(deployer.address);
    const result = (await client.tasks.getTask("parapet:deploy").run({
      parameters: fileURLToPath(parameterFileOf("baseSepolia")),
      allowUnconfirmed: false,
      out: path.join(dir, "refused.json"),
      verify: false,
      quiet: true,
    })) as { success: boolean; error: string };
    expect(result.success).to.equal(false);
    expect(result.error.split("\n").slice(1, 3)).to.deep.equal([
      `  - the file is for chain 84532 (baseSepolia) but the network is chain ${node.chainId}`,
      "  - placeholder left: ParapetTimelock.proposers[0] = REPLACE_WITH_GOVERNANCE_MULTISIG",
    ]);
    expect(result.error.split("\n")).to.have.length(1 + 10);
    expect(await connection.ethers.provider.getTransactionCount(deployer.address)).to.equal(nonce);
  });

  it("sends nothing when the operator does not confirm", async () => {
    const nonce = await connection.ethers.provider.getTransactionCount(deployer.address);
    const asked: number[] = [];
    const outcome = await deployProtocol(connection, readParameterFile(parameterFile), {
      source: "parameters.json",
      displayUi: false,
      confirm: (chainId) => {
        asked.push(chainId);
        return Promise.resolve(false);
      },
    }).then(() => "deployed", (error: Error) => error.message);
    expect(outcome).to.equal("parameters.json: refusing to deploy:\n  - not confirmed by the operator");
    expect(asked).to.deep.equal([node.chainId]);
    expect(await connection.ethers.provider.getTransactionCount(deployer.address)).to.equal(nonce);
  });

  it("hands ADMIN to the timelock with the admin delay; the deployer keeps no role", async () => {
    const manager = AccessManager__factory.connect(deployment.addresses.accessManager, connection.ethers.provider);
    expect(await manager.hasRole(ROLES.ADMIN, deployment.addresses.timelock)).to.deep.equal([true, 172_800n]);
    expect(delay("adminDelay")).to.equal(172_800n);
    for (const role of Object.values(ROLES)) {
      expect(await manager.hasRole(role, deployer.address), `role ${role}`).to.deep.equal([false, 0n]);
    }
  });

  it("grants each role to its holder with the production execution delay", async () => {
    const manager = AccessManager__factory.connect(deployment.addresses.accessManager, connection.ethers.provider);
    expect(await manager.hasRole(ROLES.GUARDIAN, holders.guardian)).to.deep.equal([true, 0n]);
    expect(await manager.hasRole(ROLES.RISK_MANAGER, holders.riskManager)).to.deep.equal([true, 172_800n]);
    expect(await manager.hasRole(ROLES.CURATOR, holders.curator)).to.deep.equal([true, 172_800n]);
    expect(await manager.hasRole(ROLES.COMMITTEE_ADMIN, holders.committeeAdmin)).to.deep.equal([true, 172_800n]);
    const registry = ProductRegistry__factory.connect(deployment.addresses.productRegistry, connection.ethers.provider);
    expect(await registry.claimsModule()).to.equal(deployment.addresses.claimAdjudicator);
    for (const [guarded, guardian] of Object.entries(ROLE_GUARDIANS)) {
      expect(await manager.getRoleGuardian(ROLES[guarded as keyof typeof ROLES])).to.equal(ROLES[guardian]);
    }
  });

  it("sets the timelock's delay and roles: the governance multisig proposes and cancels, anyone executes", async () => {
    const timelock = TimelockController__factory.connect(deployment.addresses.timelock, connection.ethers.provider);
    expect(await timelock.getMinDelay()).to.equal(172_800n);
    const [admin, proposerRole, executor, canceller] = await Promise.all([
      timelock.DEFAULT_ADMIN_ROLE(),
      timelock.PROPOSER_ROLE(),
      timelock.EXECUTOR_ROLE(),
      timelock.CANCELLER_ROLE(),
    ]);
    expect(await timelock.hasRole(proposerRole, proposer.address)).to.equal(true);
    expect(await timelock.hasRole(canceller, proposer.address)).to.equal(true);
    expect(await timelock.hasRole(executor, ZeroAddress)).to.equal(true);
    expect(await timelock.hasRole(admin, deployment.addresses.timelock)).to.equal(true);
    for (const role of [admin, proposerRole, executor, canceller]) {
      expect(await timelock.hasRole(role, deployer.address)).to.equal(false);
    }
  });

  it("parapet:check-deployment passes every check against the parameter file", async () => {
    const result = (await client.tasks
      .getTask("parapet:check-deployment")
      .run({ parameters: parameterFile, deployment: deploymentFile })) as { success: boolean; value: Awaited<ReturnType<typeof checkDeployment>> };
    expect(result.success).to.equal(true);
    expect(result.value.mismatches).to.deep.equal([]);
    const selectors = Object.keys(RESTRICTED_FUNCTIONS)
      .map((contract) => selectorsByRole(contract as keyof typeof RESTRICTED_FUNCTIONS))
      .map((pairs, index) => {
        const count = pairs.reduce((sum, [, list]) => sum + list.length, 0);
        return Object.keys(RESTRICTED_FUNCTIONS)[index] === "UnderwriterVault" ? 2 * count : count;
      })
      .reduce((sum, count) => sum + count, 0);
    const roles = Object.keys(ROLES).length;
    const targets = 7; // registry, CoverManager, adjudicator, committee, two vaults, the high-yield tranches
    // Per role: members, holder's delay, deployer's membership; then grant delays, target-admin delays, guardians,
    // function roles, the timelock (delay, 4 roles × members and deployer, open execution), committee (3), adjudicator
    // (3), treasury, the registry's claims module, each vault's asset and listing, each target's authority.
    expect(result.value.checked).to.equal(
      3 * roles + roles + targets + Object.keys(ROLE_GUARDIANS).length + selectors + 10 + 3 + 3 + 1 + 1 + 2 * 2 + targets,
    );
  });

  it("binds the grant and target-admin delays once AccessManager's setback has passed", async () => {
    const manager = AccessManager__factory.connect(deployment.addresses.accessManager, connection.ethers.provider);
    const targets = [
      deployment.addresses.productRegistry,
      deployment.addresses.coverManager,
      deployment.addresses.claimAdjudicator,
      deployment.addresses.committeeArbiter,
      ...Object.values(deployment.addresses.vaults),
    ];
    for (const role of Object.values(ROLES)) expect(await manager.getRoleGrantDelay(role)).to.equal(0n);
    await rpcCall(node, "evm_increaseTime", [MIN_SETBACK]);
    await rpcCall(node, "evm_mine");
    for (const role of Object.values(ROLES)) expect(await manager.getRoleGrantDelay(role)).to.equal(delay("grantDelay"));
    for (const target of targets) expect(await manager.getTargetAdminDelay(target)).to.equal(delay("targetAdminDelay"));
  });

  it("the check names each value that differs from what it expects", async () => {
    const expected = expectedFromParameters(parameters.modules, deployer.address, deployment.addresses.timelock);
    const check = await checkDeployment(connection.ethers.provider, deployment.addresses, {
      ...expected,
      delays: { ...expected.delays, curatorDelay: 86_400n },
      quorum: 3n,
    });
    expect(check.mismatches).to.deep.equal([
      {
        check: `AccessManager role CURATOR: ${holders.curator} is a member with execution delay`,
        expected: '[true,"86400"]',
        actual: '[true,"172800"]',
      },
      { check: "CommitteeArbiter: quorum", expected: '"3"', actual: '"2"' },
    ]);
  });

  /**
   * Has ADMIN (the timelock) call `target` with `call`: ADMIN has an execution delay, so the timelock schedules the
   * call on the AccessManager, then executes it once ready, each step after the timelock's own 2-day delay.
   */
  async function asAdmin(target: string, call: string) {
    const manager = AccessManager__factory.connect(deployment.addresses.accessManager, connection.ethers.provider);
    const timelock = TimelockController__factory.connect(deployment.addresses.timelock, proposer);
    const through = async (data: string) => {
      const salt = id(data);
      await (await timelock.schedule(deployment.addresses.accessManager, 0, data, ZeroHash, salt, 172_800)).wait();
      await rpcCall(node, "evm_increaseTime", [172_800]);
      await (await timelock.connect(outsider).execute(deployment.addresses.accessManager, 0, data, ZeroHash, salt)).wait();
    };
    await through(manager.interface.encodeFunctionData("schedule", [target, call, 0]));
    await through(manager.interface.encodeFunctionData("execute", [target, call]));
  }

  it("catches a role granted later through the timelock (two delays: the timelock's and ADMIN's)", async () => {
    const { provider } = connection.ethers;
    const manager = AccessManager__factory.connect(deployment.addresses.accessManager, provider);
    const grant = manager.interface.encodeFunctionData("grantRole", [ROLES.RISK_MANAGER, outsider.address, 0]);
    await asAdmin(deployment.addresses.accessManager, grant);

    const expected = expectedFromParameters(parameters.modules, deployer.address, deployment.addresses.timelock);
    const check = await checkDeployment(provider, deployment.addresses, expected);
    expect(check.mismatches).to.deep.equal([
      {
        check: "AccessManager role RISK_MANAGER: members",
        expected: JSON.stringify([holders.riskManager]),
        actual: JSON.stringify([holders.riskManager, outsider.address].map((a) => getAddress(a)).sort()),
      },
    ]);
  });

  it("catches a claims module swapped through the timelock, and passes again once the adjudicator is named back", async () => {
    const { provider } = connection.ethers;
    const registry = ProductRegistry__factory.connect(deployment.addresses.productRegistry, provider);
    const setModule = (module: string) => registry.interface.encodeFunctionData("setClaimsModule", [module]);
    const expected = expectedFromParameters(parameters.modules, deployer.address, deployment.addresses.timelock);
    const riskManagers = [holders.riskManager, outsider.address].map((a) => getAddress(a)).sort();
    // The role granted by the test above stays reported; only the claims module's line is new.
    const claimsModuleLine = (actual: string) => ({
      check: "ProductRegistry: claims module",
      expected: JSON.stringify(getAddress(deployment.addresses.claimAdjudicator)),
      actual: JSON.stringify(actual),
    });

    await asAdmin(deployment.addresses.productRegistry, setModule(outsider.address));
    expect(await registry.claimsModule()).to.equal(outsider.address);
    const swapped = await checkDeployment(provider, deployment.addresses, expected);
    expect(swapped.mismatches.map((mismatch) => mismatch.check)).to.deep.equal([
      "AccessManager role RISK_MANAGER: members",
      "ProductRegistry: claims module",
    ]);
    expect(swapped.mismatches[0]!.actual).to.equal(JSON.stringify(riskManagers));
    expect(swapped.mismatches[1]).to.deep.equal(claimsModuleLine(getAddress(outsider.address)));

    await asAdmin(deployment.addresses.productRegistry, setModule(deployment.addresses.claimAdjudicator));
    const restored = await checkDeployment(provider, deployment.addresses, expected);
    expect(restored.mismatches.map((mismatch) => mismatch.check)).to.deep.equal(["AccessManager role RISK_MANAGER: members"]);
  });

  it("parapet:deploy-trigger deploys one trigger per product, each in its own Ignition deployment", async () => {
    const feed = await new MockV3Aggregator__factory(deployer).deploy(8, 100_000_000n);
    await feed.waitForDeployment();
    const feedAddress = await feed.getAddress();
    // Sepolia's trigger parameters, on this node's chain and with a mock feed recorded as its USDC / USD feed.
    const sepolia = readParameterFile(parameterFileOf("sepolia"));
    const triggerFile = async (productId: bigint) => {
      const file = path.join(dir, `trigger-${productId}.json`);
      await writeParameterFile(file, {
        network: {
          ...sepolia.network!,
          chainId: node.chainId,
          addresses: { usdcUsdFeed: { ...sepolia.network!.addresses.usdcUsdFeed!, address: feedAddress, source: "mock" } },
        },
        modules: { DepegTrigger: { ...sepolia.modules.DepegTrigger!, productId, priceFeed: feedAddress } },
      });
      return file;
    };
    const run = async (productId: bigint) =>
      (await client.tasks.getTask("parapet:deploy-trigger").run({
        parameters: await triggerFile(productId),
        deployment: deploymentFile,
        allowUnconfirmed: false,
        quiet: true,
      })) as { success: boolean; value: { trigger: string; deploymentId: string } };

    const first = await run(3n);
    expect(first.success).to.equal(true);
    expect(first.value.deploymentId).to.equal(`chain-${node.chainId}-trigger-product-3`);
    const trigger = PriceFeedTrigger__factory.connect(first.value.trigger, connection.ethers.provider);
    expect(await trigger.adjudicator()).to.equal(deployment.addresses.claimAdjudicator); // filled from the deployment
    expect(await trigger.productId()).to.equal(3n);
    expect(await trigger.priceFeed()).to.equal(feedAddress);
    expect(await trigger.feedDecimals()).to.equal(8n);
    expect(await trigger.threshold()).to.equal(97_000_000n);
    expect(await trigger.stalenessLimit()).to.equal(90_000n);
    expect(await trigger.payoutWad()).to.equal(10n ** 18n);
    expect(await trigger.sequencerUptimeFeed()).to.equal(ZeroAddress);
    expect(await trigger.sequencerGracePeriod()).to.equal(0n);

    const second = await run(4n);
    expect(second.value.deploymentId).to.equal(`chain-${node.chainId}-trigger-product-4`);
    expect(second.value.trigger).to.not.equal(first.value.trigger);
    expect(await PriceFeedTrigger__factory.connect(second.value.trigger, connection.ethers.provider).productId()).to.equal(4n);
    // Run again for product 3: its own journal says it is done, so nothing is sent.
    const nonce = await connection.ethers.provider.getTransactionCount(deployer.address);
    expect((await run(3n)).value).to.deep.equal(first.value);
    expect(await connection.ethers.provider.getTransactionCount(deployer.address)).to.equal(nonce);
  });

  it("the SDK registry generated from the deployment file finds it by chain id", async () => {
    const generated = path.join(dir, "knownDeployments.ts");
    const deployments = await readDeploymentFiles(path.dirname(deploymentFile), [node.chainId]);
    await writeFile(generated, renderRegistry(deployments));
    const { KNOWN_DEPLOYMENTS } = (await import(generated)) as { KNOWN_DEPLOYMENTS: ParapetDeployment[] };
    expect(KNOWN_DEPLOYMENTS).to.deep.equal([
      {
        chainId: node.chainId,
        startBlock: deployment.startBlock,
        addresses: {
          accessManager: deployment.addresses.accessManager,
          productRegistry: deployment.addresses.productRegistry,
          coverManager: deployment.addresses.coverManager,
          claimAdjudicator: deployment.addresses.claimAdjudicator,
          committeeArbiter: deployment.addresses.committeeArbiter,
          lens: deployment.addresses.lens,
          asset: deployment.addresses.asset,
          vaults: deployment.addresses.vaults,
          tranches: deployment.addresses.tranches,
        },
      },
    ]);
    // What the SDK does with the generated list when it loads: register each, then a client finds it by chain id.
    for (const known of KNOWN_DEPLOYMENTS) registerDeployment(known);
    expect(getDeployment(node.chainId)).to.deep.equal(KNOWN_DEPLOYMENTS[0]);
    const sdkClient = await ParapetClient.connect(connection.ethers.provider);
    expect(sdkClient.deployment).to.deep.equal(KNOWN_DEPLOYMENTS[0]);
  });
});

describe("parapet:deploy --network baseSepolia: the network entry, its configuration variables and its file", function () {
  this.timeout(300_000);
  /** Hardhat's first default account: the node funds it. */
  const DEPLOYER_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
  const VARIABLES = ["BASE_SEPOLIA_RPC_URL", "DEPLOYER_PRIVATE_KEY", "HARDHAT_IGNITION_CONFIRM_DEPLOYMENT"] as const;
  let server: Awaited<ReturnType<typeof hre.network.createServer>>;
  let dir: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "parapet-base-sepolia-"));
    // A simulated OP-stack chain serving chain id 84532, as Base Sepolia's RPC would.
    server = await hre.network.createServer({ network: "node", chainType: "op", override: { chainId: 84_532 } }, "127.0.0.1", 0);
    const { address, port } = await server.listen();
    process.env.BASE_SEPOLIA_RPC_URL = `http://${address}:${port}`;
    process.env.DEPLOYER_PRIVATE_KEY = DEPLOYER_KEY;
    process.env.HARDHAT_IGNITION_CONFIRM_DEPLOYMENT = "1";
  });

  after(async () => {
    for (const name of VARIABLES) delete process.env[name];
    await server?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it("deploys base-sepolia.json (filled in) with the RPC URL and key from the environment, and checks it", async () => {
    // Ignition's journal goes to a temporary folder: the repository's ignition/ may hold the real chain-84532 one.
    const operator = await createHardhatRuntimeEnvironment(
      { ...hre.userConfig, paths: { ...hre.userConfig.paths, ignition: path.join(dir, "ignition") } },
      { network: "baseSepolia", config: hre.globalOptions.config },
      hre.config.paths.root,
    );
    const connection = await operator.network.create();
    try {
      expect(connection.chainType).to.equal("op");
      // The network's one account is DEPLOYER_PRIVATE_KEY's.
      const signers = await connection.ethers.getSigners();
      expect(signers.map((signer) => signer.address)).to.deep.equal(["0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"]);
      const deployer = signers[0]!;
      // Circle's Base Sepolia USDC has no code on this chain: give its address the test stablecoin's (6 decimals).
      const usdc = readParameterFile(parameterFileOf("baseSepolia")).network!.addresses.asset!.address!;
      const stand = await new TestStablecoin__factory(deployer).deploy("USD Coin", "USDC", 6);
      await stand.waitForDeployment();
      await connection.provider.request({
        method: "hardhat_setCode",
        params: [usdc, await connection.ethers.provider.getCode(await stand.getAddress())],
      });
      // Nor is UMA's Base Sepolia oracle: a UMA stack accepting that USDC, its oracle's code at UMA's address (the
      // oracle keeps its Finder in its code, so the copy reads the same whitelists and Store).
      const umaAddress = readParameterFile(parameterFileOf("baseSepolia")).network!.addresses.optimisticOracleV3!.address!;
      const { optimisticOracle } = await deployUmaLocal(connection, usdc);
      await connection.provider.request({
        method: "hardhat_setCode",
        params: [umaAddress, await connection.ethers.provider.getCode(await optimisticOracle.getAddress())],
      });

      const holders = ROLE_HOLDERS;
      const filled = fill(readParameterFile(parameterFileOf("baseSepolia")), holders);
      const parameters = path.join(dir, "base-sepolia.json");
      await writeParameterFile(parameters, filled);
      const out = path.join(dir, "84532.json");
      const result = (await operator.tasks
        .getTask("parapet:deploy")
        .run({ parameters, allowUnconfirmed: false, out, verify: false, quiet: true })) as {
        success: boolean;
        value: PublicDeployment;
      };
      expect(result.success).to.equal(true);
      expect(result.value.chainId).to.equal(84_532);
      expect(result.value.addresses.asset).to.equal(usdc);

      const manager = AccessManager__factory.connect(result.value.addresses.accessManager, connection.ethers.provider);
      const timelock = TimelockController__factory.connect(result.value.addresses.timelock, connection.ethers.provider);
      // The testnet file's one-hour delays, the timelock holding ADMIN, the deployer with nothing.
      expect(await manager.hasRole(ROLES.ADMIN, result.value.addresses.timelock)).to.deep.equal([true, 3_600n]);
      expect(await manager.hasRole(ROLES.RISK_MANAGER, holders.REPLACE_WITH_RISK_MANAGER)).to.deep.equal([true, 3_600n]);
      expect(await manager.hasRole(ROLES.ADMIN, deployer.address)).to.deep.equal([false, 0n]);
      expect(await timelock.getMinDelay()).to.equal(3_600n);
      expect(await timelock.hasRole(await timelock.PROPOSER_ROLE(), holders.REPLACE_WITH_GOVERNANCE_MULTISIG)).to.equal(true);
      expect(JSON.parse(await readFile(out, "utf8"))).to.deep.equal(result.value);
    } finally {
      await connection.close();
    }
  });
});
