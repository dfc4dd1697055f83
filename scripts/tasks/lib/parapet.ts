/**
 * The tasks' only door to the chain. Reads and protocol actions go through the SDK's `ParapetClient` (Lens reads,
 * event-derived results, typed errors); this module adds what a command line needs around it: the deployment file,
 * vault and product names, the signer chosen with `--from`, balance and allowance checks before anything is sent, and
 * reverts reported as the decoded custom error. The few things the client does not cover (the parametric triggers,
 * token metadata, an explicit approval) use the typechain factories.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import {
  getAddress,
  isAddress,
  ZeroAddress,
  type ContractTransactionReceipt,
  type ContractTransactionResponse,
  type Interface,
} from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { NetworkConnection } from "hardhat/types/network";

import { ParapetClient, toParapetError, UnrecognizedRevert, type PayoutDelivery, type ProductView } from "../../../sdk/src/client/index.js";
import {
  ASSERTION_STATES,
  ContractError,
  CoverUnavailable,
  ParapetError,
  PRODUCT_KINDS,
  RULINGS,
  TRIGGER_BLOCKS,
} from "../../../sdk/src/core/index.js";
import {
  MockV3Aggregator__factory,
  PriceFeedTrigger__factory,
  ProductRegistry__factory,
  TestStablecoin__factory,
  UnderwriterVault__factory,
  type PriceFeedTrigger,
  type ProductRegistry,
  type TestStablecoin,
  type UnderwriterVault,
} from "../../../types/ethers-contracts/index.js";
import { formatAmount } from "../../lib/format.js";
import { formatDuration, formatTime, keyValues, TaskError } from "./cli.js";
import { readDeployment, type DeploymentFile } from "./deployment.js";

/** Enum values as the tasks print them. */
export const STATE_NAMES: Record<(typeof ASSERTION_STATES)[number], string> = {
  None: "none",
  Pending: "pending",
  Disputed: "disputed",
  Approved: "approved",
  Rejected: "rejected",
  Drawn: "drawn",
};
export const TRIGGER_BLOCK_NAMES: Record<(typeof TRIGGER_BLOCKS)[number], string> = {
  None: "none (can fire)",
  AlreadyFired: "already fired",
  SequencerDown: "sequencer down",
  SequencerGracePeriod: "sequencer grace period",
  NonPositiveAnswer: "non-positive answer",
  StaleAnswer: "stale answer",
  AboveThreshold: "above threshold",
  ReadingNotAfterCreation: "reading not after the trigger's creation",
  UnknownRound: "unknown round",
};

/** Names of the enum values that errors carry, by Solidity enum name. */
const ENUMS: Record<string, readonly string[]> = {
  AssertionState: ASSERTION_STATES,
  Ruling: RULINGS,
  ProductKind: PRODUCT_KINDS,
  TriggerBlock: TRIGGER_BLOCKS,
};

/** Error arguments that hold unix times, shown with their date too. */
const TIME_ARGUMENTS = new Set([
  "timestamp", "deadline", "expiration", "claimableAt", "drawAt", "windowEnd", "start", "coveredFrom", "coveredUntil",
  "incidentTime", "updatedAt",
]);

/** Error arguments that hold amounts of the deployment's asset, also shown in asset units with the symbol. */
const AMOUNT_ARGUMENTS = new Set([
  "amount", "requested", "available", "premium", "totalCost", "maxPremium", "maxCoverPerPolicy", "remaining", "balance",
  "needed", "allowance", "bond", "assets", "booked", "expected", "received", "payout", "reserved",
]);

/**
 * A decoded contract error as `Name(param=value, …)`, with enum names and dates, followed by its amounts in asset units
 * when the token is known: `InsufficientCapacity(requested=…, available=…) [requested 300,000.00 tUSD, available …]`.
 */
function formatContractError(error: ContractError, token?: { symbol: string; decimals: number }): string {
  const args = error.params.map((param, index) => {
    const value = error.args[index];
    let text = String(value);
    if (param.enum !== undefined && ENUMS[param.enum] !== undefined) text = ENUMS[param.enum][Number(value)] ?? text;
    else if (TIME_ARGUMENTS.has(param.name) && typeof value === "bigint" && value > 0n && value < 1n << 40n) {
      text = `${value} [${formatTime(value)}]`;
    }
    return `${param.name}=${text}`;
  });
  const amounts = token === undefined ? [] : error.params.flatMap((param, index) => {
    const value = error.args[index];
    return AMOUNT_ARGUMENTS.has(param.name) && typeof value === "bigint"
      ? [`${param.name} ${formatAmount(value, token.decimals)} ${token.symbol}`]
      : [];
  });
  return `${error.errorName}(${args.join(", ")})${amounts.length === 0 ? "" : ` [${amounts.join(", ")}]`}`;
}

/**
 * The revert reason of `error` as the decoded custom error (`InsufficientCapacity(requested=…, available=…)`,
 * `Error("…")`, `Panic(code=17)`), or `undefined` when the error is not a revert.
 */
export function decodeRevert(error: unknown, token?: { symbol: string; decimals: number }): string | undefined {
  const typed = toParapetError(error);
  if (typed instanceof ContractError) return formatContractError(typed, token);
  if (typed instanceof UnrecognizedRevert) {
    return typed.selector === undefined ? "a revert without a reason" : `an unknown custom error (selector ${typed.selector})`;
  }
  return undefined;
}

export interface VaultRef {
  name: string;
  address: string;
  contract: UnderwriterVault;
}

export interface ProductRef {
  id: bigint;
  /** The last segment of the metadata URI, e.g. `lendora-v3`. */
  slug: string;
  kind: "discretionary" | "parametric";
  view: ProductView;
}

export interface TokenRef {
  address: string;
  symbol: string;
  decimals: number;
  contract: TestStablecoin;
}

/** The options every task takes: `--from <index>` and `--deployment <file>`. */
export interface CommonArgs {
  from: number;
  deployment: string | undefined;
}

export interface OpenOptions {
  /** A deployment file other than `deployments/<chainId>.json`. */
  deployment?: string;
  /** Index of the signer among the network's accounts (default 0). */
  from?: number;
}

/** A connected deployment and the signer the task acts as. */
export class Parapet {
  readonly registry: ProductRegistry;
  readonly vaults: VaultRef[];
  #tokens = new Map<string, TokenRef>();
  #products?: ProductRef[];

  private constructor(
    readonly connection: NetworkConnection,
    readonly deployment: DeploymentFile,
    readonly client: ParapetClient,
    readonly signer: HardhatEthersSigner,
    readonly signers: HardhatEthersSigner[],
  ) {
    this.registry = ProductRegistry__factory.connect(deployment.addresses.productRegistry, signer);
    this.vaults = Object.entries(deployment.addresses.vaults).map(([name, address]) => ({
      name,
      address,
      contract: UnderwriterVault__factory.connect(address, signer),
    }));
  }

  /**
   * Connects to the network Hardhat was started with (`--network`), loads the deployment for its chain, checks that
   * the contracts are there, picks the signer `from` among the node's accounts, and builds the SDK client on it.
   */
  static async open(hre: HardhatRuntimeEnvironment, options: OpenOptions = {}): Promise<Parapet> {
    const connection = await hre.network.create();
    try {
      const chainId = Number((await connection.ethers.provider.getNetwork()).chainId);
      const deployment = await readDeployment(hre.config.paths.root, chainId, options.deployment);
      const code = await connection.ethers.provider.getCode(deployment.addresses.coverManager);
      if (code === "0x") {
        throw new TaskError(
          `no Parapet contracts on network "${connection.networkName}" (chain ${chainId}) at the deployment's ` +
            "addresses. Was the chain restarted? Start it with `npm run chain` and pass `--network localhost`",
        );
      }
      const { lens } = deployment.addresses;
      if (lens === undefined) {
        throw new TaskError(
          "the deployment file has no `lens` address (the ParapetLens the SDK client reads through): " +
            "redeploy, e.g. restart `npm run chain`",
        );
      }
      const signers = await connection.ethers.getSigners();
      const from = options.from ?? 0;
      if (!Number.isInteger(from) || from < 0 || from >= signers.length) {
        throw new TaskError(
          signers.length === 0
            ? `network "${connection.networkName}" has no accounts to sign with`
            : `--from must be an account index between 0 and ${signers.length - 1} (got ${from})`,
        );
      }
      const signer = signers[from];
      const client = await ParapetClient.connect(signer, { ...deployment, addresses: { ...deployment.addresses, lens } }, {
        skipChainCheck: true,
      });
      return new Parapet(connection, deployment, client, signer, signers);
    } catch (error) {
      await connection.close();
      throw error instanceof ParapetError && !(error instanceof ContractError) ? new TaskError(error.message) : error;
    }
  }

  async close(): Promise<void> {
    await this.connection.close();
  }

  // ------------------------------------------------------------------------------------------------ resolution

  /** A vault by deployment name (case-insensitive) or by address (any vault the registry lists). */
  async vault(nameOrAddress: string | undefined): Promise<VaultRef> {
    const names = this.vaults.map((vault) => vault.name).join(", ");
    if (nameOrAddress === undefined || nameOrAddress.trim() === "") {
      throw new TaskError(`--vault is required: one of ${names}, or a vault address`);
    }
    const wanted = nameOrAddress.trim();
    const byName = this.vaults.find((vault) => vault.name.toLowerCase() === wanted.toLowerCase());
    if (byName !== undefined) return byName;
    if (isAddress(wanted)) {
      const address = getAddress(wanted);
      const known = this.vaults.find((vault) => vault.address === address);
      if (known !== undefined) return known;
      if (await this.registry.isListedVault(address)) {
        return { name: address, address, contract: UnderwriterVault__factory.connect(address, this.signer) };
      }
      throw new TaskError(`${address} is not a vault listed in the product registry (known vaults: ${names})`);
    }
    throw new TaskError(`unknown vault "${nameOrAddress.trim()}": use one of ${names}, or a vault address`);
  }

  /** Every product, in id order. */
  async products(): Promise<ProductRef[]> {
    this.#products ??= (await this.read("read the products", () => this.client.products())).map((view) => ({
      id: view.id,
      slug: view.metadataURI.split("/").filter((part) => part !== "").pop() ?? `product-${view.id}`,
      kind: view.kind === "Parametric" ? "parametric" : "discretionary",
      view,
    }));
    return this.#products;
  }

  /**
   * A product by id (`2`, `#2`) or by its exact name, the last segment of its metadata URI (`swappeak-dex`, any case).
   * A partial name is refused with the products it could mean: buying cover on the wrong product is not undone.
   */
  async product(idOrSlug: string | undefined): Promise<ProductRef> {
    const products = await this.products();
    const list = products.map((product) => `${product.id} (${product.slug})`).join(", ");
    if (idOrSlug === undefined || idOrSlug.trim() === "") throw new TaskError(`--product is required: one of ${list}`);
    const wanted = idOrSlug.trim().replace(/^#/, "");
    const lower = wanted.toLowerCase();
    const found = /^\d+$/.test(wanted)
      ? products.find((product) => product.id === BigInt(wanted))
      : products.find((product) => product.slug.toLowerCase() === lower);
    if (found !== undefined) return found;
    const candidates = products.filter((product) => product.slug.toLowerCase().includes(lower));
    if (candidates.length > 0 && !/^\d+$/.test(wanted)) {
      throw new TaskError(
        `--product "${idOrSlug}" is not a product name; give the exact name or id: did you mean ` +
          `${candidates.map((product) => `${product.slug} (${product.id})`).join(" or ")}?`,
      );
    }
    throw new TaskError(`unknown product "${idOrSlug}": products are ${list}`);
  }

  /** `#2 swappeak-dex`. */
  async productName(id: bigint): Promise<string> {
    const product = (await this.products()).find((candidate) => candidate.id === id);
    return product === undefined ? `#${id}` : `#${id} ${product.slug}`;
  }

  /** The deployment name of a vault address (or the address itself). */
  vaultName(address: string): string {
    return this.vaults.find((vault) => vault.address === getAddress(address))?.name ?? address;
  }

  /** An ERC-20 token's symbol and decimals (cached). */
  async token(address: string): Promise<TokenRef> {
    const key = getAddress(address);
    let token = this.#tokens.get(key);
    if (token === undefined) {
      const contract = TestStablecoin__factory.connect(key, this.signer);
      const [symbol, decimals] = await Promise.all([contract.symbol(), contract.decimals()]);
      token = { address: key, symbol, decimals: Number(decimals), contract };
      this.#tokens.set(key, token);
    }
    return token;
  }

  /** The asset of a vault. */
  async assetOf(vault: VaultRef | string): Promise<TokenRef> {
    const contract = typeof vault === "string" ? (await this.vault(vault)).contract : vault.contract;
    return this.token(await contract.asset());
  }

  /** An account given as an address, or the signer when omitted. */
  account(address: string | undefined, option: string): string {
    if (address === undefined || address.trim() === "") return this.signer.address;
    if (!isAddress(address.trim())) throw new TaskError(`${option} must be an address (got "${address}")`);
    return getAddress(address.trim());
  }

  /** The latest block's timestamp: the chain's "now", which local chains move with time travel. */
  async now(): Promise<bigint> {
    const block = await this.connection.ethers.provider.getBlock("latest");
    if (block === null) throw new TaskError("the node returned no latest block");
    return BigInt(block.timestamp);
  }

  /** The trigger contracts of parametric products. */
  async triggers(): Promise<Array<{ product: ProductRef; contract: PriceFeedTrigger }>> {
    return (await this.products())
      .filter((product) => product.view.trigger !== ZeroAddress)
      .map((product) => ({ product, contract: PriceFeedTrigger__factory.connect(product.view.trigger, this.signer) }));
  }

  /** Decimals of a Chainlink feed. */
  async feedDecimals(feed: string): Promise<number> {
    return Number(await MockV3Aggregator__factory.connect(feed, this.signer).decimals());
  }

  // ------------------------------------------------------------------------------------------------ checks

  /** `amount` of `token` as "1,234.56 tUSD" (or raw units). */
  show(amount: bigint, token: TokenRef, raw = false): string {
    return raw ? `${amount} (raw ${token.symbol})` : `${formatAmount(amount, token.decimals)} ${token.symbol}`;
  }

  /**
   * Checks, before anything is sent, that the signer holds `amount` of `token` and allows `spender` at least
   * `allowanceNeeded` (default `amount`). With `approve`, a short allowance is raised to `allowanceNeeded` by an
   * approval transaction instead of failing.
   */
  async requireFunds(
    token: TokenRef,
    spender: { address: string; name: string },
    amount: bigint,
    { approve = false, allowanceNeeded = amount, raw = false, purpose = "" } = {},
  ): Promise<void> {
    const owner = this.signer.address;
    const [balance, allowance] = await Promise.all([
      token.contract.balanceOf(owner),
      token.contract.allowance(owner, spender.address),
    ]);
    const why = purpose === "" ? "" : ` for ${purpose}`;
    if (balance < amount) {
      throw new TaskError(
        `insufficient ${token.symbol} balance: ${owner} holds ${this.show(balance, token, raw)} but needs ` +
          `${this.show(amount, token, raw)}${why}`,
      );
    }
    if (allowance >= allowanceNeeded) return;
    if (!approve) {
      throw new TaskError(
        `insufficient allowance: ${owner} allows the ${spender.name} (${spender.address}) to take ` +
          `${this.show(allowance, token, raw)} but it needs ${this.show(allowanceNeeded, token, raw)}${why}. ` +
          "Approve it first, or rerun with --approve",
      );
    }
    await this.execute(
      `approve ${this.show(allowanceNeeded, token, raw)} to the ${spender.name}`,
      () => token.contract.approve.staticCall(spender.address, allowanceNeeded),
      () => token.contract.approve(spender.address, allowanceNeeded),
    );
  }

  // ------------------------------------------------------------------------------------------------ calls

  /**
   * Runs an action of the SDK client and reports its transaction. The client estimates gas before sending, so a
   * revert surfaces before anything is sent; it becomes a {@link TaskError} carrying the decoded custom error.
   */
  async act<T extends { receipt: ContractTransactionReceipt }>(label: string, action: () => Promise<T>): Promise<T> {
    try {
      const result = await action();
      console.log(`✔ ${label} (tx ${result.receipt.hash}, block ${result.receipt.blockNumber})`);
      return result;
    } catch (error) {
      throw this.#taskError(error, label);
    }
  }

  /**
   * Simulates a call (`eth_call`) and, if it would succeed, sends it and waits for the receipt; for what the SDK
   * client does not do. Returns the simulation's result with the receipt.
   */
  async execute<T>(
    label: string,
    simulate: () => Promise<T>,
    send: () => Promise<ContractTransactionResponse>,
  ): Promise<{ result: T; receipt: ContractTransactionReceipt }> {
    let result: T;
    try {
      result = await simulate();
    } catch (error) {
      throw this.#taskError(error, label);
    }
    return this.act(label, async () => {
      const response = await send();
      const receipt = await response.wait();
      if (receipt === null) throw new TaskError(`the transaction ${response.hash} was dropped`);
      return { result, receipt };
    });
  }

  /** Runs a read, turning a revert into a {@link TaskError} with the decoded custom error. */
  async read<T>(label: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw this.#taskError(error, label, "the call reverted with");
    }
  }

  /**
   * An argument of the first `event` that `contract` emitted in `receipt`: the id a transaction really created, which
   * on a busy chain may differ from the one its simulation returned.
   */
  eventArg(receipt: ContractTransactionReceipt, contract: { interface: Interface }, event: string, argument: string): bigint {
    for (const log of receipt.logs) {
      const parsed = contract.interface.parseLog(log);
      if (parsed?.name === event) return parsed.args.getValue(argument) as bigint;
    }
    throw new TaskError(`the transaction ${receipt.hash} emitted no ${event} event`);
  }

  /** The deployment's asset, if already read (for amounts in messages). */
  get #asset(): TokenRef | undefined {
    return this.#tokens.get(getAddress(this.deployment.addresses.asset));
  }

  /** A `CoverUnavailable` as one line, amounts in asset units and periods in days. */
  #coverUnavailable(error: CoverUnavailable): string {
    const asset = this.#asset;
    const details = Object.entries(error.details).map(([name, value]) => {
      if (typeof value !== "bigint") return `${name}=${value}`;
      if (/period/i.test(name)) return `${name}=${formatDuration(value)}`;
      return asset === undefined ? `${name}=${value}` : `${name}=${this.show(value, asset)}`;
    });
    return `${error.reason}${details.length === 0 ? "" : `(${details.join(", ")})`}: ${error.message}`;
  }

  #taskError(error: unknown, label: string, verb?: string): unknown {
    if (error instanceof TaskError) return error;
    if (error instanceof CoverUnavailable) return new TaskError(`${label}: ${this.#coverUnavailable(error)}`);
    const reason = decodeRevert(error, this.#asset);
    if (reason !== undefined) {
      const mined = typeof error === "object" && error !== null && "receipt" in error && error.receipt != null;
      return new TaskError(`${label}: ${verb ?? (mined ? "the transaction reverted with" : "the transaction would revert with")} ${reason}`);
    }
    if (error instanceof ParapetError) return new TaskError(`${label}: ${error.message}`);
    return error;
  }
}

/** Opens the deployment for a task body and closes the connection afterwards. */
export async function withParapet<T>(
  hre: HardhatRuntimeEnvironment,
  options: OpenOptions,
  body: (parapet: Parapet) => Promise<T>,
): Promise<T> {
  const parapet = await Parapet.open(hre, options);
  try {
    return await body(parapet);
  } finally {
    await parapet.close();
  }
}

/** A committee case's tallies, or a {@link TaskError} if no such case was opened. */
export async function committeeCase(parapet: Parapet, caseId: bigint) {
  const found = await parapet.read("read the committee case", () => parapet.client.committeeArbiter.getCase(caseId));
  if (found.openedAt === 0n) throw new TaskError(`committee case #${caseId} does not exist`);
  return found;
}

/** A claim as the client reads it, or a {@link TaskError} if it was never filed. */
export async function claimOf(parapet: Parapet, claimId: bigint) {
  const claim = await parapet.read("read the claim", () => parapet.client.claim(claimId));
  if (claim === undefined) {
    throw new TaskError(`claim #${claimId} does not exist (${await parapet.client.claimAdjudicator.claimCount()} claims filed)`);
  }
  return claim;
}

/** An incident as the client reads it, or a {@link TaskError} if it was never reported. */
export async function incidentOf(parapet: Parapet, incidentId: bigint) {
  const incident = await parapet.read("read the incident", () => parapet.client.incident(incidentId));
  if (incident === undefined) {
    throw new TaskError(`incident #${incidentId} does not exist (${await parapet.client.claimAdjudicator.incidentCount()} incidents reported)`);
  }
  return incident;
}

/**
 * Prints a payout and how it was delivered: the whole amount is booked out of the vault, but its circuit breaker pays
 * at once only what the window allows and queues the rest (`vault:process-queue` pays it), and a payment the token
 * refuses is parked for the receiver (`vault:withdraw-parked`).
 */
export async function printDelivery(
  parapet: Parapet,
  what: string,
  payout: bigint,
  receiver: string,
  delivery: PayoutDelivery,
  raw: boolean,
): Promise<void> {
  const asset = await parapet.token(parapet.deployment.addresses.asset);
  const show = (value: bigint) => parapet.show(value, asset, raw);
  const rows: Array<[string, string]> = [
    ["payout", `${show(payout)} to ${receiver} for ${what}`],
    ["paid now", show(payout - delivery.queued - delivery.parked)],
  ];
  for (const entry of delivery.queueEntries) {
    rows.push(["queued", `${show(entry.amount)} in the ${parapet.vaultName(entry.vault)} vault's outflow queue (entry #${entry.queueId})`]);
  }
  if (delivery.parked > 0n) rows.push(["parked", `${show(delivery.parked)}: the token refused it (vault:withdraw-parked)`]);
  keyValues(rows);
  for (const vault of new Set(delivery.queueEntries.map((entry) => parapet.vaultName(entry.vault)))) {
    console.log(`The circuit breaker queued part of it: vault:process-queue --vault ${vault} pays it once its window has room.`);
  }
}
