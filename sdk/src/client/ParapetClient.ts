/**
 * The chain client: reads through the `ParapetLens` (one `eth_call` per screen), actions through the protocol's
 * contracts with allowance handling, slippage bounds and typed errors.
 *
 * Browser-safe: ethers v6 and the generated typechain bindings only.
 *
 * @packageDocumentation
 */
import {
  Contract,
  getAddress,
  isAddress,
  isError,
  MaxUint256,
  ZeroAddress,
  type ContractTransactionResponse,
  type BlockTag,
  type ContractTransactionReceipt,
  type Provider,
  type Signer,
} from "ethers";

import {
  ASSERTION_STATES,
  bpsDown,
  bpsUp,
  checkCoverTerms,
  claimDeadlines,
  defaultMinLeg,
  EnforcedPause,
  enumName,
  incidentBondUpperBound,
  InvalidArgument,
  ParapetError,
  parseAmount,
  policyClaimWindow,
  premiumUp,
  PRODUCT_KINDS,
  RESERVE_PHASES,
  RULINGS,
  routeCover,
  sharePriceWad,
  WAD,
  YEAR,
  type AmountInput,
  type AssertionDeadlines,
  type AssertionState,
  type RateCurve,
} from "../core/index.js";
import type { IParapetLens } from "../typechain/contracts/interfaces/IParapetLens.js";
import {
  connectAdjudicator,
  connectArbiter,
  connectCoverManager,
  connectLens,
  connectTrancheManager,
  connectTrancheToken,
  connectVault,
  INTERFACES,
  type AdjudicatorHandle,
  type ArbiterHandle,
  type CoverManagerHandle,
  type LensHandle,
  type VaultHandle,
} from "./contracts.js";
import { ChainMismatch, getDeployment, loadDeployment, type ParapetDeployment } from "./deployment.js";
import { withContractErrors } from "./errors.js";
import { buyCoverParamsOf, encodeBuyCover } from "./actions/encode.js";
import { erc20, planFunds, type Erc20 } from "./funds.js";
import { verifyDeployment } from "./verify.js";
import { eventsOf, firstEvent, payoutDelivery } from "./receipts.js";
import type { ActionContext, SendOptions, SentTransaction, TrancheHandles, TrancheName } from "./actions/context.js";
import { claimIncidentTopUp, type IncidentTopUpResult } from "./actions/claimIncidentTopUp.js";
import { fireTrigger, TRIGGER_INTERFACE, type FireTriggerResult } from "./actions/fireTrigger.js";
import { releaseIncidentReserve, type ReleaseIncidentReserveResult } from "./actions/releaseIncidentReserve.js";
import { readTranches, type TranchesView } from "./actions/readTranches.js";
import { trancheDeposit, type TrancheDepositResult } from "./actions/trancheDeposit.js";
import { trancheRedeem, type TrancheRedeemResult } from "./actions/trancheRedeem.js";
import { trancheRequestRedeem } from "./actions/trancheRequestRedeem.js";
import {
  arbiterKind,
  escalationTerms,
  pushUmaCase,
  readUmaCase,
  type ArbiterKind,
  type PushUmaCaseResult,
  type UmaCaseView,
} from "./actions/umaCase.js";
import { sweepProtocolFees, type SweepProtocolFeesResult } from "./actions/sweepProtocolFees.js";
import { withdrawParked } from "./actions/withdrawParked.js";
import { withdrawParkedSalePayments } from "./actions/withdrawParkedSalePayments.js";
import { withdrawParkedPayout, type WithdrawParkedResult } from "./actions/withdrawParkedPayout.js";
import { PolicyIndex, type PolicyIndexOptions, type PolicyIndexStats } from "./policyIndex.js";
import type { ProtocolEventSource } from "./eventSource.js";
import { IndexerSource, type IndexerOptions } from "./indexerSource.js";
import type {
  AssertionPhase,
  BondsSettled,
  BuyCoverResult,
  CancelRedeemResult,
  ClaimablePayout,
  ClaimView,
  CommitteeCaseView,
  CoverLeg,
  CoverOrder,
  CoverPurchase,
  CoverQuote,
  DepositResult,
  DisputeResult,
  FileClaimResult,
  IncidentPayoutResult,
  IncidentView,
  PolicyStatus,
  PolicyView,
  PositionView,
  ProductTermsView,
  ProductView,
  QuoteResult,
  ProcessOutflowQueueResult,
  RedeemResult,
  ReportIncidentResult,
  RequestRedeemResult,
  ResolveResult,
  SettleClaimResult,
  SettleIncidentResult,
  VaultProductView,
  VaultView,
  VaultYield,
  VoteResult,
} from "./types.js";

/** Options of {@link ParapetClient.connect}. */
export type ParapetClientOptions = PolicyIndexOptions & {
  /**
   * How much to approve when an allowance is short: `"exact"` (default) approves what the action needs, `"unlimited"`
   * approves `MaxUint256` once.
   */
  approval?: "exact" | "unlimited";
  /** Skip the check that the provider is on the deployment's chain (saves one round trip at connect). */
  skipChainCheck?: boolean;
  /** Skip the check that every contract of the deployment has code on the node (`DeploymentNotFound` otherwise). */
  skipCodeCheck?: boolean;
  /** Called as soon as each transaction (approval or action) is sent, before it is mined. */
  onSent?: (transaction: SentTransaction) => void;
  /**
   * A Parapet indexer (`npm run indexer`) to find policies, claims and incidents with, instead of the client's scan of
   * the chain's logs from the deployment block. Their state is still read through the Lens, at the block the indexer
   * has indexed, so both give the same results. `connect` checks that the indexer answers for the deployment's chain.
   */
  indexer?: IndexerOptions;
};

export type { SendOptions, SentTransaction } from "./actions/context.js";

/** An action needs a signer but the client was built from a provider only. */
export class SignerRequired extends ParapetError {
  /** @param action - The action attempted. */
  constructor(action: string) {
    super(`${action} sends a transaction: connect the client with a Signer`, "SignerRequired");
  }
}

/** The SDK's premium differs from the chain's for the same state: the SDK and the contracts disagree. */
export class QuoteMismatch extends ParapetError {
  readonly onChain: bigint;
  readonly sdk: bigint;

  constructor(onChain: bigint, sdk: bigint) {
    super(`the chain quotes a premium of ${onChain} but the SDK computes ${sdk} from the same state`, "QuoteMismatch");
    this.onChain = onChain;
    this.sdk = sdk;
  }
}

/**
 * An action failed after its approval was sent, and setting the allowance back failed too (the wallet refused, say):
 * `spender` may still take `approved` of `token`. `cause` is the action's error.
 */
export class ApprovalNotRestored extends ParapetError {
  readonly token: string;
  readonly spender: string;
  readonly approved: bigint;
  readonly previous: bigint;
  readonly resetError: unknown;

  constructor(token: string, spender: string, approved: bigint, previous: bigint, cause: unknown, resetError: unknown) {
    super(
      `the action failed after approving ${approved} of ${token} to ${spender}, and resetting the allowance to ` +
        `${previous} failed too: revoke it from the wallet (${cause instanceof Error ? cause.message : String(cause)})`,
      "ApprovalNotRestored",
    );
    this.token = token;
    this.spender = spender;
    this.approved = approved;
    this.previous = previous;
    this.resetError = resetError;
    (this as { cause?: unknown }).cause = cause;
  }
}

/** Products per `ParapetLens.products` call: the lens's MAX_PRODUCTS_PAGE. */
const PRODUCTS_PAGE = 100n;
/**
 * Policies per `ParapetLens.policies` call (~30k gas each): 1,000 in one call exceed the `eth_call` gas cap of a
 * Hardhat node, and of many public RPCs. Pages are sent together (one HTTP request on a batching provider).
 */
const POLICIES_PAGE = 100;
const DEFAULT_SLIPPAGE_BPS = 50n;
const DEFAULT_DEADLINE_SECONDS = 1_200n;
const WEEK = 7n * 86_400n;

type LensTerms = { capacityWad: bigint; baseRateWad: bigint; kinkWad: bigint; maxRateWad: bigint };
type LensCase = IParapetLens.ClaimInfoStructOutput["committeeCase"];

function isSigner(runner: Signer | Provider): runner is Signer {
  return typeof (runner as Signer).getAddress === "function" && typeof (runner as Signer).signTransaction === "function";
}

function termsOf(terms: LensTerms): ProductTermsView {
  return {
    capacityWad: terms.capacityWad,
    baseRateWad: terms.baseRateWad,
    kinkWad: terms.kinkWad,
    maxRateWad: terms.maxRateWad,
  };
}

function curveOf(terms: LensTerms): RateCurve {
  return { baseRateWad: terms.baseRateWad, kinkWad: terms.kinkWad, maxRateWad: terms.maxRateWad };
}

function toBigInt(value: bigint | number, name: string): bigint {
  if (typeof value === "number" && !Number.isSafeInteger(value)) throw new InvalidArgument(name, "must be an integer");
  const result = BigInt(value);
  if (result < 0n) throw new InvalidArgument(name, "must not be negative");
  return result;
}

function phaseOf(state: AssertionState, deadlines: AssertionDeadlines, now: bigint): AssertionPhase {
  if (state === "Pending") return now < deadlines.settleFrom! ? "Disputable" : "Settleable";
  if (state === "Disputed") return deadlines.settleFrom !== undefined && now >= deadlines.settleFrom ? "Settleable" : "AwaitingRuling";
  return "Settled";
}

function caseOf(found: boolean, caseId: bigint, committeeCase: LensCase): CommitteeCaseView | undefined {
  if (!found) return undefined;
  return {
    caseId,
    openedAt: committeeCase.openedAt,
    deadline: committeeCase.deadline,
    approvals: committeeCase.approvals,
    rejections: committeeCase.rejections,
    quorum: committeeCase.quorum,
    resolved: committeeCase.resolved,
  };
}

/**
 * A Parapet client over ethers v6.
 *
 * ```ts
 * const client = await ParapetClient.connect(signer, deployment);
 * const { policyIds, totalCost } = await client.buyCover({ productId: 1n, amount: 250_000_000000n, period: 90n * DAY });
 * const mine = await client.policiesOf(await signer.getAddress());
 * ```
 *
 * Every revert surfaces as the core's typed error (`InsufficientCapacity`, `PremiumAboveMax`, ...; see
 * `decodeContractError`), or `UnrecognizedRevert` for data the SDK does not know.
 *
 * Times (deadlines, phases, the order deadline) come from the chain's latest block, never from the local clock.
 *
 * With an ethers `Wallet` on an automining dev chain, build the `JsonRpcProvider` with `cacheTimeout: -1`: ethers
 * otherwise caches `eth_getTransactionCount` for 250 ms, and an approval followed at once by the action can be
 * signed with a stale nonce. Browser wallets and node-managed accounts assign nonces themselves.
 */
export class ParapetClient {
  readonly deployment: ParapetDeployment;
  readonly provider: Provider;
  readonly signer: Signer | undefined;
  readonly coverManager: CoverManagerHandle;
  readonly claimAdjudicator: AdjudicatorHandle;
  readonly committeeArbiter: ArbiterHandle;
  readonly lens: LensHandle;
  readonly #options: ParapetClientOptions;
  readonly #index: PolicyIndex;
  readonly #source: ProtocolEventSource;
  #account: string | undefined;

  private constructor(runner: Signer | Provider, provider: Provider, deployment: ParapetDeployment, options: ParapetClientOptions) {
    this.deployment = deployment;
    this.provider = provider;
    this.signer = isSigner(runner) ? runner : undefined;
    this.#options = options;
    const { addresses } = deployment;
    this.coverManager = connectCoverManager(addresses.coverManager, runner);
    this.claimAdjudicator = connectAdjudicator(addresses.claimAdjudicator, runner);
    this.committeeArbiter = connectArbiter(addresses.committeeArbiter, runner);
    this.lens = connectLens(addresses.lens, runner);
    this.#index = new PolicyIndex(provider, addresses, deployment.startBlock, options);
    this.#source = options.indexer === undefined ? this.#index : new IndexerSource(options.indexer, deployment.chainId);
  }

  /**
   * Builds a client. With a `Signer` it reads and acts; with a `Provider` it only reads.
   *
   * @param runner - A signer connected to a provider, or a provider.
   * @param deployment - The deployment; omitted, the one registered in `DEPLOYMENTS` for the provider's chain.
   * @throws `ChainMismatch` if the provider is on another chain; `UnknownDeployment` if none is registered;
   * `DeploymentNotFound` if a contract of the deployment has no code on the node (one batched `eth_getCode` each).
   */
  static async connect(
    runner: Signer | Provider,
    deployment?: ParapetDeployment,
    options: ParapetClientOptions = {},
  ): Promise<ParapetClient> {
    const provider = isSigner(runner) ? runner.provider : runner;
    if (provider === null || provider === undefined) throw new ParapetError("the signer is not connected to a provider");
    let resolved = deployment === undefined ? undefined : loadDeployment(deployment);
    if (resolved === undefined || options.skipChainCheck !== true) {
      const { chainId } = await provider.getNetwork();
      resolved ??= getDeployment(chainId);
      if (BigInt(resolved.chainId) !== chainId) throw new ChainMismatch(resolved.chainId, Number(chainId));
    }
    if (options.skipCodeCheck !== true) await verifyDeployment(provider, resolved);
    const client = new ParapetClient(runner, provider, resolved, options);
    if (client.#source instanceof IndexerSource) await client.#source.indexedBlock();
    return client;
  }

  /** Where policies, claims and incidents are found: `"indexer"` when connected with one, `"logs"` otherwise. */
  get eventSource(): "logs" | "indexer" {
    return this.#source.kind;
  }

  /** The index counters: a second `policiesOf` only scans the blocks mined since the first. */
  get indexStats(): PolicyIndexStats {
    return this.#index.stats;
  }

  /** A vault address from an address or a deployment vault name (`"conservative"`). */
  vaultAddress(vault: string): string {
    if (isAddress(vault)) return getAddress(vault);
    const named = this.deployment.addresses.vaults[vault];
    if (named === undefined) {
      throw new InvalidArgument("vault", `is neither an address nor one of ${Object.keys(this.deployment.addresses.vaults).join(", ")}`);
    }
    return named;
  }

  /** A typed handle on a vault (its interface, ERC-4626 shares and settings). */
  vaultContract(vault: string): VaultHandle {
    return connectVault(this.vaultAddress(vault), this.signer ?? this.provider);
  }

  /**
   * Typed handles on the junior/senior tranches over `vault` (a deployment name or address), from the deployment's
   * `tranches`.
   *
   * @throws {@link InvalidArgument} if the deployment has no tranches over that vault.
   */
  async trancheContracts(vault: string): Promise<TrancheHandles> {
    const vaultAddress = this.vaultAddress(vault);
    const entry = Object.entries(this.deployment.addresses.tranches ?? {}).find(
      ([name]) => this.deployment.addresses.vaults[name] === vaultAddress,
    );
    if (entry === undefined) {
      const known = Object.keys(this.deployment.addresses.tranches ?? {});
      throw new InvalidArgument("vault", `has no tranches in this deployment (tranches over: ${known.join(", ") || "none"})`);
    }
    const runner = this.signer ?? this.provider;
    const manager = connectTrancheManager(entry[1], runner);
    const [junior, senior] = await withContractErrors(() => Promise.all([manager.junior(), manager.senior()]));
    return {
      vault: connectVault(vaultAddress, runner),
      vaultAddress,
      manager,
      managerAddress: entry[1],
      junior: connectTrancheToken(junior, runner),
      senior: connectTrancheToken(senior, runner),
    };
  }

  // ------------------------------------------------------------------------------------------------------- reads

  /** Every product with its terms, metadata and backing vaults. One `eth_call` per page of `PRODUCTS_PAGE`. */
  async products(): Promise<ProductView[]> {
    const infos: Awaited<ReturnType<LensHandle["products"]>> = [];
    for (let offset = 0n; ; offset += PRODUCTS_PAGE) {
      const page = await withContractErrors(() => this.lens.products(offset, PRODUCTS_PAGE));
      infos.push(...page);
      if (BigInt(page.length) < PRODUCTS_PAGE) break;
    }
    return infos.map(({ product, vaults }) => ({
      id: product.id,
      kind: enumName(PRODUCT_KINDS, product.kind),
      active: product.active,
      minPeriod: product.minPeriod,
      maxPeriod: product.maxPeriod,
      coverageLag: product.coverageLag,
      claimGracePeriod: product.claimGracePeriod,
      minRateWad: product.minRateWad,
      openIncidents: product.openIncidents,
      maxCoverPerPolicy: product.maxCoverPerPolicy,
      trigger: product.trigger,
      metadataURI: product.metadataURI,
      vaults: [...vaults],
    }));
  }

  /**
   * A vault's accounting, per-product utilization and capacity left, and its premium yield (see `VaultYield`).
   * One `eth_call`; with the yield (the default), first `eth_blockNumber`, then the `eth_call` at that block sent
   * together with the incremental `eth_getLogs` the yield needs (one HTTP request on a batching provider).
   */
  async vault(vault: string, options: { withYield?: boolean } = {}): Promise<VaultView> {
    const address = this.vaultAddress(vault);
    const withYield = options.withYield ?? true;
    let status: IParapetLens.VaultStatusStructOutput;
    if (withYield) {
      const head = await this.#index.head();
      [status] = await Promise.all([
        withContractErrors(() => this.lens.vaultStatus(address, { blockTag: head })),
        this.#index.syncTo(head),
      ]);
    } else {
      status = await withContractErrors(() => this.lens.vaultStatus(address));
    }
    const products: VaultProductView[] = status.products.map((entry) => {
      const { capacity, exposure } = entry;
      return {
        vault: address,
        productId: entry.productId,
        terms: termsOf(entry.terms),
        curve: curveOf(entry.terms),
        capacityWad: entry.terms.capacityWad,
        capacity,
        exposure,
        capacityLeft: capacity > exposure ? capacity - exposure : 0n,
        utilizationWad: capacity === 0n ? 0n : (exposure * WAD) / capacity,
      };
    });
    return {
      address,
      asset: status.asset,
      name: status.name,
      symbol: status.symbol,
      assetDecimals: Number(status.assetDecimals),
      decimals: Number(status.decimals),
      totalSupply: status.totalSupply,
      navAsk: status.navAsk,
      navBid: status.navBid,
      unearnedPremium: status.unearnedPremium,
      managedAssets: status.managedAssets,
      pendingReserve: status.pendingReserve,
      unlockedAssets: status.unlockedAssets,
      cooldown: status.cooldown,
      paused: status.paused,
      shareEpoch: status.shareEpoch,
      totalCapacityWad: status.totalCapacityWad,
      maxLeverageWad: status.maxLeverageWad,
      outflows: {
        limitWad: status.outflows.limitWad,
        window: status.outflows.window,
        recent: status.outflows.recent,
        allowance: status.outflows.allowance,
        queuedAssets: status.outflows.queuedAssets,
        queueHead: status.outflows.queueHead,
        queueTail: status.outflows.queueTail,
      },
      sharePriceWad: sharePriceWad(status.navBid, status.totalSupply),
      products,
      yield: withYield ? this.#yieldOf(address, status.navBid, status.timestamp) : undefined,
      timestamp: status.timestamp,
    };
  }

  /**
   * Both tranches over `vault`: each one's NAV (exit and entry values), share price, premium APR/APY from the premium
   * the vault streams now, the loss buffer (junior value per unit of senior) and the vault loss at which the senior
   * starts losing; with `account`, its positions.
   */
  async tranches(vault: string, account?: string): Promise<TranchesView> {
    const handles = await this.trancheContracts(vault);
    const head = await this.#index.sync();
    const now = BigInt((await this.provider.getBlock(head))?.timestamp ?? 0);
    const { premiumPerSecondWad } = this.#yieldOf(handles.vaultAddress, await handles.vault.navBid(), now);
    return withContractErrors(() => readTranches(handles, premiumPerSecondWad, account));
  }

  /** `account`'s shares, redemption request and exit limits in `vault`. One `eth_call`. */
  async position(vault: string, account: string): Promise<PositionView> {
    const address = this.vaultAddress(vault);
    const p = await withContractErrors(() => this.lens.position(address, account));
    return {
      vault: address,
      asset: p.asset,
      account: getAddress(account),
      shares: p.shares,
      assetsAtBid: p.assetsAtBid,
      pendingShares: p.pendingShares,
      claimableShares: p.claimableShares,
      requestedAssetsAtBid: p.requestedAssetsAtBid,
      claimableAt: p.claimableAt,
      maxRedeem: p.maxRedeem,
      maxWithdraw: p.maxWithdraw,
      assetBalance: p.assetBalance,
      assetAllowance: p.assetAllowance,
      timestamp: p.timestamp,
    };
  }

  /**
   * The policies `owner` holds, by id. From the indexer when the client has one; otherwise indexes `CoverBought` and
   * ERC-721 `Transfer` logs from the deployment's start block on the first call, then only the blocks mined since
   * (per client). Either way reads the policies' state and holders through the Lens (one `eth_call` per 100) at the
   * indexed block.
   */
  async policiesOf(owner: string): Promise<PolicyView[]> {
    return (await this.#policiesOf(owner)).policies;
  }

  /** The claims filed on the policies `owner` holds, by id (from the indexer when the client has one, else logs). */
  async claimsOf(owner: string): Promise<ClaimView[]> {
    const { block, policies } = await this.#policiesOf(owner);
    const ids = await this.#source.claimIdsOf(policies.map((policy) => policy.id));
    return this.#claims(ids, block);
  }

  /**
   * Every incident reported on `productId` (on any product when omitted), by id, with its state through the Lens
   * (found by the indexer when the client has one, else in the logs).
   */
  async incidentsOf(productId?: bigint | number): Promise<IncidentView[]> {
    const products = productId === undefined ? undefined : [toBigInt(productId, "productId")];
    const { block, ids } = await this.#source.incidentIdsOf(products);
    return this.#incidents(ids, block);
  }

  /**
   * What confirmed incidents owe the policies `owner` holds now: each (policy, incident) pair on the same product whose
   * claim window is open, with the amount `claimIncidentPayout` pays for it — the chain's own answer (a static call),
   * so ineligible pairs (covered too late, already paid) are left out. Ordered by policy, then incident.
   */
  async claimablePayoutsOf(owner: string): Promise<ClaimablePayout[]> {
    const { block, policies } = await this.#policiesOf(owner);
    if (policies.length === 0) return [];
    const products = [...new Set(policies.map((policy) => policy.productId))];
    const incidents = await this.#incidents((await this.#source.incidentIdsOf(products)).ids, block);
    const open = incidents.filter((incident) => incident.confirmedAt !== 0n && incident.timestamp <= incident.claimWindowEnd);
    const pairs = policies.flatMap((policy) =>
      open.filter((incident) => incident.productId === policy.productId).map((incident) => ({ policy, incident })),
    );
    const adjudicator = this.claimAdjudicator;
    const amounts = await Promise.all(
      pairs.map(({ policy, incident }) =>
        adjudicator.claimIncidentPayout.staticCall(policy.id, incident.id, { blockTag: block }).catch((error: unknown) => {
          // A revert says this policy is owed nothing for this incident; anything else is a real failure.
          if (isError(error, "CALL_EXCEPTION")) return undefined;
          throw error;
        }),
      ),
    );
    return pairs.flatMap(({ policy, incident }, i) => {
      const amount = amounts[i];
      if (amount === undefined || amount === 0n) return [];
      return [{ policyId: policy.id, incidentId: incident.id, productId: policy.productId, amount, claimWindowEnd: incident.claimWindowEnd }];
    });
  }

  /** The policies `ids` (unknown ids are left out). One `eth_call` per 100 ids. */
  async policies(ids: readonly (bigint | number)[]): Promise<PolicyView[]> {
    return this.#policies(ids.map((id) => toBigInt(id, "id")));
  }

  /** A claim with its state name, phase and deadlines; `undefined` if never filed. One `eth_call`. */
  async claim(claimId: bigint | number): Promise<ClaimView | undefined> {
    return (await this.claims([claimId]))[0];
  }

  /** The claims `ids` (unknown ids are left out). One `eth_call`. */
  async claims(ids: readonly (bigint | number)[]): Promise<ClaimView[]> {
    return this.#claims(ids.map((id) => toBigInt(id, "claimId")));
  }

  async #claims(ids: bigint[], blockTag?: number): Promise<ClaimView[]> {
    if (ids.length === 0) return [];
    const infos = await withContractErrors(() => this.lens.claims(ids, { blockTag: blockTag ?? "latest" }));
    const views = infos
      .filter((info) => info.exists)
      .map((info) => {
        const c = info.claim;
        const state = enumName(ASSERTION_STATES, c.state);
        const ruling = enumName(RULINGS, c.ruling);
        const deadlines = claimDeadlines({ state, ruling, expiration: c.expiration, disputedAt: c.disputedAt, drawAt: c.drawAt });
        return {
          id: info.claimId,
          policyId: c.policyId,
          vault: c.vault,
          incidentTime: c.incidentTime,
          expiration: c.expiration,
          disputedAt: c.disputedAt,
          drawAt: c.drawAt,
          state,
          ruling,
          filer: c.filer,
          disputer: c.disputer,
          arbiter: c.arbiter,
          amount: c.amount,
          reserved: c.reserved,
          bond: c.bond,
          paid: c.paid,
          caseId: c.caseId,
          productId: info.productId,
          policyOwner: info.policyOwner,
          phase: phaseOf(state, deadlines, info.timestamp),
          deadlines,
          committeeCase: caseOf(info.hasCase, c.caseId, info.committeeCase),
          timestamp: info.timestamp,
          arbiterKind: undefined,
          umaCase: undefined,
        };
      });
    return this.#withUmaCases(views);
  }

  /** An incident with its state name, phase, deadlines and vault reserves; `undefined` if never reported. */
  async incident(incidentId: bigint | number): Promise<IncidentView | undefined> {
    return (await this.incidents([incidentId]))[0];
  }

  /** The incidents `ids` (unknown ids are left out). One `eth_call`. */
  async incidents(ids: readonly (bigint | number)[]): Promise<IncidentView[]> {
    return this.#incidents(ids.map((id) => toBigInt(id, "incidentId")));
  }

  async #incidents(ids: bigint[], blockTag?: number): Promise<IncidentView[]> {
    if (ids.length === 0) return [];
    const infos = await withContractErrors(() => this.lens.incidents(ids, { blockTag: blockTag ?? "latest" }));
    const views = infos
      .filter((info) => info.exists)
      .map((info) => {
        const i = info.incident;
        const state = enumName(ASSERTION_STATES, i.state);
        const ruling = enumName(RULINGS, i.ruling);
        const deadlines = claimDeadlines({ state, ruling, expiration: i.expiration, disputedAt: i.disputedAt, drawAt: i.drawAt });
        return {
          id: info.incidentId,
          productId: i.productId,
          incidentTime: i.incidentTime,
          expiration: i.expiration,
          disputedAt: i.disputedAt,
          drawAt: i.drawAt,
          confirmedAt: i.confirmedAt,
          state,
          ruling,
          payoutWad: i.payoutWad,
          reporter: i.reporter,
          disputer: i.disputer,
          arbiter: i.arbiter,
          bond: i.bond,
          caseId: i.caseId,
          phase: phaseOf(state, deadlines, info.timestamp),
          deadlines,
          claimWindowEnd: info.claimWindowEnd,
          committeeCase: caseOf(info.hasCase, i.caseId, info.committeeCase),
          reserves: info.reserves.map(({ vault, reserve }) => ({
            vault,
            needed: reserve.needed,
            reserved: reserve.reserved,
            reserveLeft: reserve.reserveLeft,
            entitled: reserve.entitled,
            paid: reserve.paid,
            topUpWad: reserve.topUpWad,
            phase: RESERVE_PHASES[Number(reserve.phase)],
          })),
          timestamp: info.timestamp,
          arbiterKind: undefined,
          umaCase: undefined,
        };
      });
    return this.#withUmaCases(views);
  }

  // ------------------------------------------------------------------------------------------------------ quotes

  /**
   * The chain's quote for one purchase (`CoverManager.quotePremium`, through the Lens with the state it priced from,
   * in one `eth_call`), cross-checked against the SDK's `premiumUp` on that same state unless `crossCheck` is false.
   *
   * The premium depends on the vault's `navBid`, which grows second by second as premium streams are earned, so a
   * quote holds exactly for the block it was read at. `blockTag: "pending"` prices for the next block where the node
   * supports it.
   *
   * @throws The contract's typed error when the purchase is impossible (e.g. `InsufficientCapacity`).
   * @throws {@link QuoteMismatch} if the SDK disagrees with the chain (and `crossCheck` is `"strict"`).
   */
  async quote(
    productId: bigint | number,
    vault: string,
    amount: bigint,
    period: bigint | number,
    options: { crossCheck?: boolean | "strict"; blockTag?: BlockTag } = {},
  ): Promise<QuoteResult> {
    const id = toBigInt(productId, "productId");
    const seconds = toBigInt(period, "period");
    const address = this.vaultAddress(vault);
    const q = await withContractErrors(() => this.lens.quote(id, address, amount, seconds, { blockTag: options.blockTag ?? "latest" }));
    const crossCheck = options.crossCheck ?? true;
    const sdkPremium = crossCheck === false ? undefined : premiumUp(curveOf(q.terms), q.capacity, q.exposure, amount, seconds);
    if (crossCheck === "strict" && sdkPremium !== q.premium) throw new QuoteMismatch(q.premium, sdkPremium!);
    return {
      productId: id,
      vault: address,
      amount,
      period: seconds,
      premium: q.premium,
      protocolFee: q.protocolFee,
      total: q.premium + q.protocolFee,
      sdkPremium,
      matchesSdk: sdkPremium === undefined || sdkPremium === q.premium,
      timestamp: q.timestamp,
    };
  }

  /**
   * Prices a cover order: what `buyCover` charges for it if the chain does not move. With a vault, the chain's quote;
   * without, the core router's cheapest split across the product's backing vaults, each leg priced by `premiumUp`
   * from the state the Lens returns (exactly what each vault will charge at that block). One `eth_call` either way.
   *
   * @param options - `blockTag` of the read, overriding the order's (default `"latest"`).
   */
  async quoteCover(order: CoverOrder, options: { blockTag?: BlockTag } = {}): Promise<CoverQuote> {
    const overrides = { blockTag: options.blockTag ?? order.blockTag ?? "latest" };
    const productId = toBigInt(order.productId, "productId");
    const period = toBigInt(order.period, "period");
    const commissionBps = toBigInt(order.commissionBps ?? 0n, "commissionBps");
    const decimals = await this.#decimals(this.deployment.addresses.asset);
    const amount = parseAmount(order.amount, decimals, "amount");
    const leg = (vault: string, legAmount: bigint, premium: bigint, feeBps: bigint): CoverLeg => {
      const protocolFee = bpsUp(premium, feeBps);
      const commission = bpsDown(premium, commissionBps);
      return { vault, amount: legAmount, premium, protocolFee, commission, total: premium + protocolFee + commission };
    };

    const vault = order.vault === undefined ? undefined : this.vaultAddress(order.vault);
    const market = await withContractErrors(() => this.lens.market(productId, overrides));
    // Only cover `buyCover` would sell, and that could pay: a typed `CoverUnavailable` names the reason otherwise.
    checkCoverTerms(productId, market.terms, { period, perPolicy: vault === undefined ? undefined : amount }, await this.#triggerFired(market.terms.trigger));
    const protocolFeeBps = market.protocolFeeBps;
    let legs: CoverLeg[];
    let timestamp = market.timestamp;
    if (vault !== undefined) {
      const q = await withContractErrors(() => this.lens.quote(productId, vault, amount, period, overrides));
      timestamp = q.timestamp;
      legs = [leg(vault, amount, q.premium, q.protocolFeeBps)];
    } else {
      const route = routeCover({
        amount,
        period,
        step: order.step,
        minLeg: order.minLeg ?? defaultMinLeg(amount, decimals),
        maxCoverPerPolicy: market.terms.maxCoverPerPolicy,
        vaults: market.vaults
          .filter((entry) => entry.listed && !entry.paused && entry.terms.capacityWad !== 0n)
          .map((entry) => ({
            vault: entry.vault,
            curve: curveOf(entry.terms),
            capacity: entry.capacity,
            exposure: entry.exposure,
            minRateWad: market.terms.minRateWad,
          })),
      });
      legs = route.legs.map((routed) => leg(getAddress(routed.vault), routed.amount, routed.premium, protocolFeeBps));
    }
    const sum = (pick: (leg: CoverLeg) => bigint) => legs.reduce((total, entry) => total + pick(entry), 0n);
    return {
      productId,
      amount,
      period,
      legs,
      premium: sum((entry) => entry.premium),
      protocolFee: sum((entry) => entry.protocolFee),
      commission: sum((entry) => entry.commission),
      total: sum((entry) => entry.total),
      protocolFeeBps,
      timestamp,
    };
  }

  // ----------------------------------------------------------------------------------------------------- actions

  /**
   * Buys cover. With `vault`, one policy from it; without, the router's split across the product's backing vaults,
   * bought atomically through `CoverManager.multicall` (all legs or none). Each leg's `maxPremium` is its quoted
   * total (premium + protocol fee + commission) plus `slippageBps` of it; the deadline is `deadlineSeconds` after the
   * chain's latest block. Approves the asset to the CoverManager first if the allowance is short of the sum of the
   * legs' `maxPremium`.
   */
  async buyCover(order: CoverOrder, sendOptions: SendOptions = {}): Promise<BuyCoverResult> {
    const signer = this.#requireSigner("buyCover");
    const buyer = await this.#accountOf(signer);
    const { asset, coverManager: spender } = this.deployment.addresses;
    const quote = await this.quoteCover(order);
    const params = buyCoverParamsOf(quote, {
      receiver: order.receiver === undefined ? buyer : getAddress(order.receiver),
      deadline: quote.timestamp + toBigInt(order.deadlineSeconds ?? DEFAULT_DEADLINE_SECONDS, "deadlineSeconds"),
      slippageBps: toBigInt(order.slippageBps ?? DEFAULT_SLIPPAGE_BPS, "slippageBps"),
      commissionBps: toBigInt(order.commissionBps ?? 0n, "commissionBps"),
      commissionRecipient: order.commissionRecipient === undefined ? ZeroAddress : getAddress(order.commissionRecipient),
    });
    const maxTotal = params.reduce((sum, leg) => sum + leg.maxPremium, 0n);
    // The balance must cover the quoted total; the allowance, the total with slippage (one approval at most).
    const call = encodeBuyCover(this.deployment, params);
    const { approval, receipt } = await this.#withFunds(
      { token: asset, spender, amount: quote.total, purpose: "buyCover", allowanceNeeded: maxTotal },
      () => this.#send(() => signer.sendTransaction(call) as Promise<ContractTransactionResponse>, "buyCover", sendOptions),
      sendOptions,
    );
    const purchases: CoverPurchase[] = eventsOf(receipt, INTERFACES.coverManager, this.deployment.addresses.coverManager, "CoverBought").map(
      ({ args }) => ({
        policyId: args.policyId as bigint,
        productId: args.productId as bigint,
        vault: args.vault as string,
        buyer: args.buyer as string,
        receiver: args.receiver as string,
        amount: args.amount as bigint,
        premium: args.premium as bigint,
        protocolFee: args.protocolFee as bigint,
        commission: args.commission as bigint,
        start: args.start as bigint,
        end: args.end as bigint,
      }),
    );
    const policyIds = purchases.map((purchase) => purchase.policyId);
    return {
      receipt,
      approval,
      policyId: policyIds[0]!,
      policyIds,
      purchases,
      totalCost: purchases.reduce((sum, p) => sum + p.premium + p.protocolFee + p.commission, 0n),
      quote,
    };
  }

  /**
   * Deposits `assets` (a `bigint` in the asset's smallest unit, or a decimal string in asset units) into `vault` for
   * `receiver` (default: the signer). Checks the balance and that the vault is not paused before anything is sent,
   * then approves exactly the deposit if the allowance is short.
   */
  async deposit(vault: string, assets: AmountInput, receiver?: string, sendOptions: SendOptions = {}): Promise<DepositResult> {
    const signer = this.#requireSigner("deposit");
    const account = await this.#accountOf(signer);
    const contract = this.vaultContract(vault);
    const address = await contract.getAddress();
    // One batch: the asset and the allowance to the vault, and whether the vault takes deposits now.
    const [{ asset, assetAllowance }, paused] = await withContractErrors(() =>
      Promise.all([this.lens.position(address, account), contract.paused()]),
    );
    if (paused) throw Object.assign(new EnforcedPause(), { message: `the vault ${address} is paused: deposits revert EnforcedPause()` });
    const amount = parseAmount(assets, await this.#decimals(asset), "assets");
    const { approval, receipt } = await this.#withFunds(
      { token: asset, spender: address, amount, purpose: "deposit", allowance: assetAllowance },
      () => this.#send(() => contract.deposit(amount, receiver ?? account), "deposit", sendOptions),
      sendOptions,
    );
    const { args } = firstEvent(receipt, INTERFACES.vault, address, "Deposit");
    return { receipt, approval, assets: args.assets as bigint, shares: args.shares as bigint };
  }

  /**
   * Moves `shares` of `owner` (default: the signer) into the vault's escrow for `controller` (default: the signer);
   * redeemable after the cooldown.
   */
  async requestRedeem(
    vault: string,
    shares: bigint,
    options: { controller?: string; owner?: string } = {},
  ): Promise<RequestRedeemResult> {
    const signer = this.#requireSigner("requestRedeem");
    const account = await this.#accountOf(signer);
    const contract = this.vaultContract(vault);
    const address = await contract.getAddress();
    const receipt = await this.#send(() =>
      contract.requestRedeem(shares, options.controller ?? account, options.owner ?? account), "requestRedeem",
    );
    const { args } = firstEvent(receipt, INTERFACES.vault, address, "RedeemRequest");
    return {
      receipt,
      requestId: args.requestId as bigint,
      controller: args.controller as string,
      shares: args.shares as bigint,
    };
  }

  /**
   * Redeems a ripe request at `navBid`. `shares` defaults to everything `maxRedeem(controller)` allows now;
   * `controller` and `receiver` default to the signer.
   */
  async redeem(
    vault: string,
    shares?: bigint,
    options: { controller?: string; receiver?: string } = {},
  ): Promise<RedeemResult> {
    const signer = this.#requireSigner("redeem");
    const account = await this.#accountOf(signer);
    const controller = options.controller ?? account;
    const contract = this.vaultContract(vault);
    const address = await contract.getAddress();
    const amount = shares ?? (await withContractErrors(() => contract.maxRedeem(controller)));
    const receipt = await this.#send(() => contract.redeem(amount, options.receiver ?? account, controller), "redeem");
    const { args } = firstEvent(receipt, INTERFACES.vault, address, "Withdraw");
    // An exit is paid in full or reverts (OutflowLimitReached past the circuit breaker): nothing of it queues.
    return {
      receipt,
      assets: args.assets as bigint,
      shares: args.shares as bigint,
      receiver: args.receiver as string,
    };
  }

  /**
   * Keeper action: pays the vault's queued outflows in order, as far as its circuit breaker allows now, looking at
   * `maxEntries` entries at most (default 32). Anyone may call it; it pays nothing while the window is used up.
   */
  async processOutflowQueue(vault: string, maxEntries = 32n): Promise<ProcessOutflowQueueResult> {
    this.#requireSigner("processOutflowQueue");
    const contract = this.vaultContract(vault);
    const address = await contract.getAddress();
    const receipt = await this.#send(() => contract.processOutflowQueue(maxEntries), "processOutflowQueue");
    const payments = eventsOf(receipt, INTERFACES.vault, address, "QueuedOutflowPaid").map(({ args }) => ({
      queueId: args.queueId as bigint,
      receiver: args.receiver as string,
      amount: args.amount as bigint,
      remaining: args.remaining as bigint,
    }));
    return { receipt, paid: payments.reduce((sum, payment) => sum + payment.amount, 0n), payments };
  }

  /**
   * Deposits `assets` into the `tranche` over `vault`: into the vault, then the vault shares into the tranche, with
   * the approvals each needs. A senior deposit the minimum junior ratio would refuse is refused before anything is sent.
   */
  async trancheDeposit(
    vault: string,
    tranche: TrancheName,
    assets: AmountInput,
    sendOptions: SendOptions = {},
  ): Promise<TrancheDepositResult> {
    const context = await this.#context("trancheDeposit");
    const asset = await withContractErrors(() => this.vaultContract(vault).asset());
    const amount = parseAmount(assets, await this.#decimals(asset), "assets");
    return trancheDeposit(context, vault, tranche, amount, sendOptions);
  }

  /** Moves `shares` of the `tranche` over `vault` into escrow; redeemable after the vault's cooldown, for 7 days. */
  async trancheRequestRedeem(
    vault: string,
    tranche: TrancheName,
    shares: bigint,
    options: { controller?: string; owner?: string } = {},
    sendOptions: SendOptions = {},
  ): Promise<RequestRedeemResult> {
    return trancheRequestRedeem(await this.#context("trancheRequestRedeem"), vault, tranche, shares, options, sendOptions);
  }

  /**
   * Redeems a ripe tranche request for vault shares (default: all `maxRedeem` allows now); with `requestVaultExit`,
   * requests their redemption from the vault at once.
   */
  async trancheRedeem(
    vault: string,
    tranche: TrancheName,
    shares?: bigint,
    options: { controller?: string; receiver?: string; requestVaultExit?: boolean } = {},
    sendOptions: SendOptions = {},
  ): Promise<TrancheRedeemResult> {
    return trancheRedeem(await this.#context("trancheRedeem"), vault, tranche, shares, options, sendOptions);
  }

  /** Cancels `controller`'s (default: the signer's) request: the escrowed shares return to it. */
  async cancelRedeemRequest(vault: string, controller?: string): Promise<CancelRedeemResult> {
    const signer = this.#requireSigner("cancelRedeemRequest");
    const account = await this.#accountOf(signer);
    const contract = this.vaultContract(vault);
    const address = await contract.getAddress();
    const receipt = await this.#send(() => contract.cancelRedeemRequest(controller ?? account), "cancelRedeemRequest");
    const { args } = firstEvent(receipt, INTERFACES.vault, address, "RedeemRequestCancelled");
    return { receipt, shares: args.shares as bigint };
  }

  /**
   * Files a claim on a discretionary policy, approving the bond (`bondFor(asset, amount)` in the policy vault's
   * asset) to the adjudicator first if needed.
   */
  async fileClaim(
    claim: {
      policyId: bigint | number;
      /** A `bigint` in the asset's smallest unit, or a decimal string in asset units. */
      amount: AmountInput;
      incidentTime: bigint | number;
      evidenceURI: string;
    },
    sendOptions: SendOptions = {},
  ): Promise<FileClaimResult> {
    this.#requireSigner("fileClaim");
    const policyId = toBigInt(claim.policyId, "policyId");
    const adjudicator = this.claimAdjudicator;
    const policy = await withContractErrors(() => this.coverManager.getPolicy(policyId));
    const asset = await withContractErrors(() => this.vaultContract(policy.vault).asset());
    const amount = parseAmount(claim.amount, await this.#decimals(asset), "amount");
    const bond = await withContractErrors(() => adjudicator.bondFor(asset, amount));
    const incidentTime = toBigInt(claim.incidentTime, "incidentTime");
    const { approval, receipt } = await this.#withFunds(
      { token: asset, spender: this.deployment.addresses.claimAdjudicator, amount: bond, purpose: "fileClaim (its bond)" },
      () => this.#send(() => adjudicator.fileClaim(policyId, amount, incidentTime, claim.evidenceURI), "fileClaim", sendOptions),
      sendOptions,
    );
    const { args } = firstEvent(receipt, INTERFACES.adjudicator, this.deployment.addresses.claimAdjudicator, "ClaimFiled");
    return {
      receipt,
      approval,
      claimId: args.claimId as bigint,
      bond: args.bond as bigint,
      reserved: args.reserved as bigint,
      expiration: args.expiration as bigint,
    };
  }

  /** Disputes a pending claim, approving the equal bond to the adjudicator first if needed. */
  async disputeClaim(claimId: bigint | number): Promise<DisputeResult> {
    this.#requireSigner("disputeClaim");
    const id = toBigInt(claimId, "claimId");
    const adjudicator = this.claimAdjudicator;
    const claim = await withContractErrors(() => adjudicator.getClaim(id));
    const [asset, policy] = await withContractErrors(() =>
      Promise.all([this.vaultContract(claim.vault).asset(), this.coverManager.getPolicy(claim.policyId)]),
    );
    const { approval, receipt } = await this.#withEscalationFunds("disputeClaim", policy.productId, { token: asset, amount: claim.bond }, () =>
      this.#send(() => adjudicator.disputeClaim(id), "disputeClaim"),
    );
    const { args } = firstEvent(receipt, INTERFACES.adjudicator, this.deployment.addresses.claimAdjudicator, "ClaimDisputed");
    return { receipt, approval, caseId: args.caseId as bigint };
  }

  /**
   * Moves a claim disputed before UMA's DVM on once the vote is in: settles its assertion on Optimistic Oracle V3, whose
   * callback delivers the ruling (or retries a ruling the adjudicator refused). `settleClaim` then executes it. Anyone
   * may call.
   */
  async pushClaim(claimId: bigint | number, sendOptions: SendOptions = {}): Promise<PushUmaCaseResult> {
    const claim = await withContractErrors(() => this.claimAdjudicator.getClaim(toBigInt(claimId, "claimId")));
    return pushUmaCase(await this.#context("pushClaim"), claim.arbiter, claim.caseId, sendOptions);
  }

  /** As {@link pushClaim}, for an incident report disputed before UMA's DVM. */
  async pushIncident(incidentId: bigint | number, sendOptions: SendOptions = {}): Promise<PushUmaCaseResult> {
    const incident = await withContractErrors(() => this.claimAdjudicator.getIncident(toBigInt(incidentId, "incidentId")));
    return pushUmaCase(await this.#context("pushIncident"), incident.arbiter, incident.caseId, sendOptions);
  }

  /** Settles a claim (approved after an undisputed liveness, per the ruling, or as a draw). Anyone may call. */
  async settleClaim(claimId: bigint | number): Promise<SettleClaimResult> {
    this.#requireSigner("settleClaim");
    const id = toBigInt(claimId, "claimId");
    const adjudicator = this.claimAdjudicator;
    const receipt = await this.#send(() => adjudicator.settleClaim(id), "settleClaim");
    const address = this.deployment.addresses.claimAdjudicator;
    const { args } = firstEvent(receipt, INTERFACES.adjudicator, address, "ClaimSettled");
    const receiver = args.receiver as string;
    return {
      receipt,
      outcome: enumName(ASSERTION_STATES, args.outcome as bigint),
      receiver,
      payout: args.payout as bigint,
      delivery: payoutDelivery(receipt, receiver),
      bonds: this.#bondsOf(receipt),
    };
  }

  /**
   * Reports an incident on a discretionary product, approving the bond first if needed: `incidentBond`, or `bondWad` of
   * what the report makes the backing vaults reserve, whichever is more (approved at its upper bound, which the
   * contract never exceeds).
   */
  async reportIncident(report: {
    productId: bigint | number;
    incidentTime: bigint | number;
    payoutWad: bigint;
    evidenceURI: string;
  }): Promise<ReportIncidentResult> {
    this.#requireSigner("reportIncident");
    const adjudicator = this.claimAdjudicator;
    const [productId, incidentTime] = [toBigInt(report.productId, "productId"), toBigInt(report.incidentTime, "incidentTime")];
    const [incidentBond, bondWad, asset, market] = await withContractErrors(() =>
      Promise.all([
        adjudicator.incidentBond(),
        adjudicator.bondWad(),
        adjudicator.incidentBondAsset(),
        this.lens.market(productId),
      ]),
    );
    const bond = incidentBondUpperBound(incidentBond, bondWad, asset, report.payoutWad, market.vaults);
    const { approval, receipt } = await this.#withFunds(
      { token: asset, spender: this.deployment.addresses.claimAdjudicator, amount: bond, purpose: "reportIncident (its bond)" },
      () => this.#send(() => adjudicator.reportIncident(productId, incidentTime, report.payoutWad, report.evidenceURI), "reportIncident"),
    );
    const { args } = firstEvent(receipt, INTERFACES.adjudicator, this.deployment.addresses.claimAdjudicator, "IncidentReported");
    return {
      receipt,
      approval,
      incidentId: args.incidentId as bigint,
      bond: args.bond as bigint,
      expiration: args.expiration as bigint,
    };
  }

  /** Disputes a pending incident report, approving the equal bond first if needed. */
  async disputeIncident(incidentId: bigint | number): Promise<DisputeResult> {
    this.#requireSigner("disputeIncident");
    const id = toBigInt(incidentId, "incidentId");
    const adjudicator = this.claimAdjudicator;
    const [incident, asset] = await withContractErrors(() =>
      Promise.all([adjudicator.getIncident(id), adjudicator.incidentBondAsset()]),
    );
    const { approval, receipt } = await this.#withEscalationFunds("disputeIncident", incident.productId, { token: asset, amount: incident.bond }, () =>
      this.#send(() => adjudicator.disputeIncident(id), "disputeIncident"),
    );
    const { args } = firstEvent(receipt, INTERFACES.adjudicator, this.deployment.addresses.claimAdjudicator, "IncidentDisputed");
    return { receipt, approval, caseId: args.caseId as bigint };
  }

  /** Settles an incident report; a confirmation reserves the payouts in every backing vault. Anyone may call. */
  async settleIncident(incidentId: bigint | number): Promise<SettleIncidentResult> {
    this.#requireSigner("settleIncident");
    const adjudicator = this.claimAdjudicator;
    const receipt = await this.#send(() => adjudicator.settleIncident(toBigInt(incidentId, "incidentId")), "settleIncident");
    const { args } = firstEvent(receipt, INTERFACES.adjudicator, this.deployment.addresses.claimAdjudicator, "IncidentSettled");
    return { receipt, outcome: enumName(ASSERTION_STATES, args.outcome as bigint), bonds: this.#bondsOf(receipt) };
  }

  /** Pays an eligible policy its share of a confirmed incident, to the policy's current owner. Anyone may call. */
  async claimIncidentPayout(policyId: bigint | number, incidentId: bigint | number): Promise<IncidentPayoutResult> {
    this.#requireSigner("claimIncidentPayout");
    const adjudicator = this.claimAdjudicator;
    const receipt = await this.#send(() =>
      adjudicator.claimIncidentPayout(toBigInt(policyId, "policyId"), toBigInt(incidentId, "incidentId")),
    );
    const { args } = firstEvent(
      receipt,
      INTERFACES.adjudicator,
      this.deployment.addresses.claimAdjudicator,
      "IncidentPayoutClaimed",
    );
    const receiver = args.receiver as string;
    return { receipt, payout: args.amount as bigint, receiver, delivery: payoutDelivery(receipt, receiver) };
  }

  /**
   * Pays a policy an incident paid short its share of the leftover reserve, between the close of the incident's
   * claim window and the close of the top-up window. Anyone may call; the top-up goes to the policy's owner.
   */
  async claimIncidentTopUp(policyId: bigint | number, incidentId: bigint | number, sendOptions: SendOptions = {}): Promise<IncidentTopUpResult> {
    return claimIncidentTopUp(await this.#context("claimIncidentTopUp"), toBigInt(policyId, "policyId"), toBigInt(incidentId, "incidentId"), sendOptions);
  }

  /**
   * Returns to the backing vaults what an incident's reserves hold beyond what its policies are owed (at the close of
   * the claim window, opening top-ups for policies paid short; at the close of the top-up window, the rest).
   */
  async releaseIncidentReserve(incidentId: bigint | number, sendOptions: SendOptions = {}): Promise<ReleaseIncidentReserveResult> {
    return releaseIncidentReserve(await this.#context("releaseIncidentReserve"), toBigInt(incidentId, "incidentId"), sendOptions);
  }

  /**
   * Fires the parametric trigger of `productId` (`PriceFeedTrigger.fire()`), confirming its incident at once if the
   * feed's latest reading allows it; the typed `TriggerBlocked { reason, answer, updatedAt }` says why not otherwise.
   * @throws `InvalidArgument` if the product has no armed trigger.
   */
  async fireTrigger(productId: bigint | number, sendOptions: SendOptions = {}): Promise<FireTriggerResult> {
    const context = await this.#context("fireTrigger");
    const market = await withContractErrors(() => this.lens.market(toBigInt(productId, "productId")));
    if (market.terms.trigger === ZeroAddress) throw new InvalidArgument("productId", `product ${productId} has no armed trigger`);
    return fireTrigger(context, market.terms.trigger, sendOptions);
  }

  /** Sends the signer's claim payouts that `vault`'s token refused (parked in the vault) to `to`. */
  async withdrawParkedPayout(vault: string, to: string, sendOptions: SendOptions = {}): Promise<WithdrawParkedResult> {
    return withdrawParkedPayout(await this.#context("withdrawParkedPayout"), vault, to, sendOptions);
  }

  /** Sends the signer's bonds and refunds in `token` that the token refused (parked in the adjudicator) to `to`. */
  async withdrawParked(token: string, to: string, sendOptions: SendOptions = {}): Promise<WithdrawParkedResult> {
    return withdrawParked(await this.#context("withdrawParked"), token, to, sendOptions);
  }

  /**
   * Sends the signer's sale payments in `token` that the token refused (a commission to a blocklisted frontend,
   * parked in the CoverManager) to `to`.
   */
  async withdrawParkedSalePayments(token: string, to: string, sendOptions: SendOptions = {}): Promise<WithdrawParkedResult> {
    return withdrawParkedSalePayments(await this.#context("withdrawParkedSalePayments"), token, to, sendOptions);
  }

  /**
   * Sends a vault's protocol fees (what it holds beyond its books) to the CoverManager's treasury; anyone may. Reverts
   * `NoProtocolFees(held, booked)` when there are none, and while the vault is paused.
   */
  async sweepProtocolFees(vault: string, sendOptions: SendOptions = {}): Promise<SweepProtocolFeesResult> {
    return sweepProtocolFees(await this.#context("sweepProtocolFees"), vault, sendOptions);
  }

  /** A committee member's vote on a case of the deployment's `CommitteeArbiter`. */
  async castVote(caseId: bigint | number, approve: boolean): Promise<VoteResult> {
    this.#requireSigner("castVote");
    const receipt = await this.#send(() => this.committeeArbiter.castVote(toBigInt(caseId, "caseId"), approve), "castVote");
    return { receipt, approve };
  }

  /** Delivers the committee's ruling on a decided case. Anyone may call. */
  async resolveCase(caseId: bigint | number): Promise<ResolveResult> {
    this.#requireSigner("resolveCase");
    const arbiter = this.committeeArbiter;
    const receipt = await this.#send(() => arbiter.resolve(toBigInt(caseId, "caseId")), "resolveCase");
    const { args } = firstEvent(receipt, INTERFACES.arbiter, this.deployment.addresses.committeeArbiter, "CaseResolved");
    return { receipt, approved: args.approved as boolean };
  }

  // ---------------------------------------------------------------------------------------------------- internals

  /** The policies `owner` holds at the block the event source is complete up to, with that block. */
  async #policiesOf(owner: string): Promise<{ block: number; policies: PolicyView[] }> {
    if (!isAddress(owner)) throw new InvalidArgument("owner", `is not an address: ${JSON.stringify(owner)}`);
    const holder = getAddress(owner);
    const { block, ids } = await this.#source.policyCandidatesOf(holder);
    const policies = await this.#policies(ids, block);
    return { block, policies: policies.filter((policy) => policy.owner === holder) };
  }

  async #policies(ids: bigint[], blockTag?: number): Promise<PolicyView[]> {
    if (ids.length === 0) return [];
    const pages: bigint[][] = [];
    for (let i = 0; i < ids.length; i += POLICIES_PAGE) pages.push(ids.slice(i, i + POLICIES_PAGE));
    const infos = (
      await Promise.all(
        pages.map((page) => withContractErrors(() => (blockTag === undefined ? this.lens.policies(page) : this.lens.policies(page, { blockTag })))),
      )
    ).flat();
    return infos
      .filter((info) => info.exists)
      .map((info) => {
        const p = info.policy;
        const window = policyClaimWindow(p, {
          coverageLag: info.coveredFrom - 1n - p.start,
          claimGracePeriod: info.claimDeadline - p.end,
        });
        const remaining = p.amount - p.claimed;
        const now = info.timestamp;
        let status: PolicyStatus;
        if (remaining === 0n || now > window.fileUntil) status = "Closed";
        else if (now > window.coveredUntil) status = "ClaimWindow";
        else status = now < window.coveredFrom ? "Waiting" : "Covering";
        return {
          id: info.policyId,
          productId: p.productId,
          kind: enumName(PRODUCT_KINDS, info.kind),
          vault: p.vault,
          owner: info.owner,
          amount: p.amount,
          claimed: p.claimed,
          remaining,
          start: p.start,
          end: p.end,
          window,
          openClaimId: info.openClaimId,
          status,
          timestamp: info.timestamp,
        };
      });
  }

  /**
   * The vault's premium earning rate rebuilt from the indexed purchases: each stream runs from its purchase to the
   * policy end rounded up to the 7-day grid at `floor(premium × 1e18 / duration)` per second, as the vault books it.
   */
  #yieldOf(vault: string, navBid: bigint, now: bigint): VaultYield {
    let premiumPerSecondWad = 0n;
    for (const purchase of this.#index.purchasesOf(vault)) {
      const streamEnd = ((purchase.end + WEEK - 1n) / WEEK) * WEEK;
      if (purchase.start > now || now >= streamEnd) continue;
      premiumPerSecondWad += (purchase.premium * WAD) / (streamEnd - purchase.start);
    }
    const aprWad = navBid === 0n ? 0n : (premiumPerSecondWad * YEAR) / navBid;
    const apy = Math.pow(1 + Number(aprWad) / 1e18 / 52, 52) - 1;
    return { premiumPerSecondWad, aprWad, apy };
  }

  #bondsOf(receipt: ContractTransactionReceipt): BondsSettled | undefined {
    const [event] = eventsOf(receipt, INTERFACES.adjudicator, this.deployment.addresses.claimAdjudicator, "BondsSettled");
    if (event === undefined) return undefined;
    return {
      toFiler: event.args.toFiler as bigint,
      toDisputer: event.args.toDisputer as bigint,
      burned: event.args.burned as bigint,
    };
  }

  /** What the actions of `./actions/` need from the client, for `action` (which needs a signer). */
  async #context(action: string): Promise<ActionContext> {
    const signer = this.#requireSigner(action);
    return {
      deployment: this.deployment,
      account: await this.#accountOf(signer),
      runner: signer,
      adjudicator: this.claimAdjudicator,
      coverManager: this.coverManager,
      vault: (vault) => this.vaultContract(vault),
      tranches: (vault) => this.trancheContracts(vault),
      withFunds: (funds, action, sendOptions) => this.#withFunds(funds, action, sendOptions),
      send: (send, name, sendOptions) => this.#send(send, name, sendOptions),
    };
  }

  #requireSigner(action: string): Signer {
    if (this.signer === undefined) throw new SignerRequired(action);
    return this.signer;
  }

  async #accountOf(signer: Signer): Promise<string> {
    this.#account ??= getAddress(await signer.getAddress());
    return this.#account;
  }

  #erc20(token: string): Erc20 {
    return erc20(token, this.signer ?? this.provider);
  }

  readonly #decimalsOf = new Map<string, Promise<number>>();

  /** A token's decimals, read once per client. */
  async #decimals(token: string): Promise<number> {
    const key = token.toLowerCase();
    let decimals = this.#decimalsOf.get(key);
    if (decimals === undefined) {
      decimals = withContractErrors(() => this.#erc20(token).decimals()).then(Number);
      decimals.catch(() => this.#decimalsOf.delete(key));
      this.#decimalsOf.set(key, decimals);
    }
    return decimals;
  }

  /** Whether the product's parametric trigger (if any) already fired. */
  async #triggerFired(trigger: string): Promise<boolean> {
    if (trigger === ZeroAddress) return false;
    const contract = new Contract(trigger, TRIGGER_INTERFACE, this.provider);
    return withContractErrors(() => contract.getFunction("fired").staticCall() as Promise<boolean>);
  }

  /**
   * Before anything is signed: throws `InsufficientFunds` if the signer holds less than `amount` of `token`; then
   * approves `spender` for `allowanceNeeded` (default `amount`; `MaxUint256` with `approval: "unlimited"`) in one
   * transaction if the allowance is short, and sends the action. If the action fails after that approval (a revert
   * the balance check could not foresee), the allowance is set back to what it was, so a failed action leaves no
   * approval behind; the action's error is rethrown (`ApprovalNotRestored` if the reset itself failed).
   */
  /**
   * Fills in which kind of arbiter each disputed case went to and, for UMA's, where the DVM's vote stands (one
   * `eth_call` per arbiter, then one per UMA case).
   */
  async #withUmaCases<View extends { arbiter: string; caseId: bigint; arbiterKind: ArbiterKind | undefined; umaCase: UmaCaseView | undefined }>(
    views: View[],
  ): Promise<View[]> {
    return Promise.all(
      views.map(async (view) => {
        if (view.arbiter === ZeroAddress) return view;
        const arbiterKind = await this.#arbiterKindOf(view.arbiter);
        const umaCase = arbiterKind === "uma" ? await readUmaCase(this.provider, view.arbiter, view.caseId) : undefined;
        return { ...view, arbiterKind, umaCase };
      }),
    );
  }

  /**
   * A dispute's bond, and, when the product's disputes go to UMA's DVM, the escalation deposit UMA's arbiter pulls
   * (twice UMA's minimum bond; the balance check counts both when they are in the same token).
   */
  async #withEscalationFunds(
    action: "disputeClaim" | "disputeIncident",
    productId: bigint,
    bondFunds: { token: string; amount: bigint },
    dispute: () => Promise<ContractTransactionReceipt>,
  ): Promise<{ approval: ContractTransactionReceipt | undefined; receipt: ContractTransactionReceipt }> {
    const bond = { ...bondFunds, spender: this.deployment.addresses.claimAdjudicator, purpose: `${action} (its bond)` };
    const arbiter = await withContractErrors(() => this.claimAdjudicator.arbiterFor(productId));
    if ((await this.#arbiterKindOf(arbiter)) !== "uma") return this.#withFunds(bond, dispute);
    const { currency, deposit } = await withContractErrors(() => escalationTerms(this.provider, arbiter));
    const sameToken = getAddress(currency) === getAddress(bond.token);
    const escalation = await this.#withFunds(
      {
        token: currency,
        spender: arbiter,
        amount: sameToken ? deposit + bond.amount : deposit,
        allowanceNeeded: deposit,
        purpose: `${action} (UMA's escalation deposit)`,
      },
      () => this.#withFunds(bond, dispute).then(({ receipt }) => receipt),
    );
    return escalation;
  }

  #arbiterKinds = new Map<string, Promise<ArbiterKind>>();

  #arbiterKindOf(arbiter: string): Promise<ArbiterKind> {
    let kind = this.#arbiterKinds.get(arbiter);
    if (kind === undefined) {
      kind = withContractErrors(() => arbiterKind(this.provider, arbiter));
      this.#arbiterKinds.set(arbiter, kind);
    }
    return kind;
  }

  async #withFunds(
    funds: { token: string; spender: string; amount: bigint; purpose: string; allowanceNeeded?: bigint; allowance?: bigint },
    action: () => Promise<ContractTransactionReceipt>,
    sendOptions: SendOptions = {},
  ): Promise<{ approval: ContractTransactionReceipt | undefined; receipt: ContractTransactionReceipt }> {
    const { token, spender, amount, purpose } = funds;
    const owner = await this.#accountOf(this.#requireSigner(purpose));
    const contract = this.#erc20(token);
    const plan = await planFunds(contract, token, owner, spender, amount, {
      allowanceNeeded: funds.allowanceNeeded,
      allowance: funds.allowance,
      purpose,
      unlimited: this.#options.approval === "unlimited" ? MaxUint256 : undefined,
    });
    const value = plan.approve;
    if (value === undefined) return { approval: undefined, receipt: await action() };
    const approval = await this.#send(() => contract.approve(spender, value), "approve", sendOptions);
    try {
      return { approval, receipt: await action() };
    } catch (error) {
      try {
        await this.#send(() => contract.approve(spender, plan.allowance), "approve (reset)", sendOptions);
      } catch (resetError) {
        throw new ApprovalNotRestored(token, spender, value, plan.allowance, error, resetError);
      }
      throw error;
    }
  }

  /**
   * Sends a transaction, reports it to the `onSent` callbacks as soon as the node has it, and waits for its receipt;
   * a revert (in estimation or on chain) becomes its typed error.
   */
  async #send(
    send: () => Promise<ContractTransactionResponse>,
    action = "transaction",
    sendOptions: SendOptions = {},
  ): Promise<ContractTransactionReceipt> {
    return withContractErrors(async () => {
      const response = await send();
      let mined: Promise<ContractTransactionReceipt> | undefined;
      const wait = () =>
        (mined ??= withContractErrors(async () => {
          const receipt = await response.wait();
          if (receipt === null) throw new ParapetError(`no receipt for transaction ${response.hash}`);
          return receipt as ContractTransactionReceipt;
        }));
      const sent: SentTransaction = { action, hash: response.hash, wait };
      this.#options.onSent?.(sent);
      sendOptions.onSent?.(sent);
      return wait();
    });
  }
}
