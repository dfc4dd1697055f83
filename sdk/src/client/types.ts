/**
 * What the client's reads and actions return: plain objects of `bigint`s, strings and booleans (no ethers `Result`s).
 * Times are Unix seconds of the chain (its latest block), never of the local clock.
 *
 * @packageDocumentation
 */
import type { BlockTag, ContractTransactionReceipt } from "ethers";

import type { ArbiterKind, UmaCaseView } from "./actions/umaCase.js";
import type {
  AmountInput,
  AssertionDeadlines,
  AssertionState,
  Claim,
  Incident,
  IncidentReserve,
  Policy,
  PolicyClaimWindow,
  Product,
  ProductKind,
  VaultProductState,
  VaultState,
} from "../core/index.js";
import type { PayoutDelivery } from "./receipts.js";

/** A vault's terms for one product. */
export type ProductTermsView = {
  capacityWad: bigint;
  baseRateWad: bigint;
  kinkWad: bigint;
  maxRateWad: bigint;
};

/** A product with its sale terms, metadata and backing vaults. */
export type ProductView = Product & {
  /** The vaults backing it. */
  vaults: string[];
};

/** One product a vault backs (a `RouteVault` for the core router as it stands). */
export type VaultProductView = VaultProductState & {
  terms: ProductTermsView;
  /** `capacity − exposure` (0 when exposure is above capacity). */
  capacityLeft: bigint;
  /** `exposure / capacity` in WAD (0 with no capacity). */
  utilizationWad: bigint;
};

/**
 * Estimated yield of a vault from its premium stream, before claims.
 *
 * Every premium is earned linearly from the purchase to the policy's end rounded up to the vault's 7-day grid. The
 * client rebuilds the vault's current earning rate exactly as the vault does (the sum, over the streams still
 * running, of `premium × 1e18 / duration`, from the indexed `CoverBought` events) and annualises it against `navBid`:
 * `aprWad = premiumPerSecondWad × 365 days / navBid`. It assumes today's cover is renewed at today's prices and
 * ignores claims; `apy` compounds the APR weekly (capacity, hence premium income, grows with NAV).
 */
export type VaultYield = {
  /** Premium earned per second right now, scaled by 1e18 (the vault's `rateSum`). */
  premiumPerSecondWad: bigint;
  /** Annual premium yield on `navBid`, WAD (1e18 = 100%). */
  aprWad: bigint;
  /** `aprWad` compounded weekly, as a fraction (0.05 = 5%). */
  apy: number;
};

/** A vault's accounting, products and yield. */
export type VaultView = VaultState & {
  name: string;
  symbol: string;
  assetDecimals: number;
  /** Share decimals (asset decimals + 6). */
  decimals: number;
  managedAssets: bigint;
  unlockedAssets: bigint;
  cooldown: bigint;
  paused: boolean;
  shareEpoch: bigint;
  totalCapacityWad: bigint;
  maxLeverageWad: bigint;
  /** The payout circuit breaker: outflows past `limitWad` of NAV within `window` seconds wait in a queue. */
  outflows: OutflowStatus;
  /** Assets per share at `navBid`, WAD (the SDK twin of the vault's virtual-share pricing). */
  sharePriceWad: bigint;
  products: VaultProductView[];
  /** Undefined when read with `{ withYield: false }`. */
  yield: VaultYield | undefined;
  /** Chain time of the read. */
  timestamp: bigint;
};

/** A vault's payout circuit breaker (`UnderwriterVault.outflow*`), read through the lens. */
export type OutflowStatus = {
  /** Share of NAV that may leave per window, WAD. */
  limitWad: bigint;
  /** Window length in seconds. */
  window: bigint;
  /** Outflows paid within the current lookback. */
  recent: bigint;
  /** What may leave now before outflows queue. */
  allowance: bigint;
  /** Assets owed to queued outflows (already out of NAV). */
  queuedAssets: bigint;
  /** Live queue entries are the ids in [queueHead, queueTail). */
  queueHead: bigint;
  queueTail: bigint;
};

/** An account's stake in a vault. */
export type PositionView = {
  vault: string;
  /** The vault's asset. */
  asset: string;
  account: string;
  shares: bigint;
  /** What `shares` redeem for at `navBid`. */
  assetsAtBid: bigint;
  /** Requested shares still in cooldown. */
  pendingShares: bigint;
  /** Requested shares past their cooldown. */
  claimableShares: bigint;
  /** What the requested shares redeem for at `navBid`. */
  requestedAssetsAtBid: bigint;
  /** When the request's cooldown ends (0 without a request). */
  claimableAt: bigint;
  /** Shares `redeem` accepts now (cooldown and locked capital applied). */
  maxRedeem: bigint;
  /** Assets `withdraw` accepts now. */
  maxWithdraw: bigint;
  /** The account's balance of the vault asset. */
  assetBalance: bigint;
  /** The account's allowance of the vault asset to the vault. */
  assetAllowance: bigint;
  timestamp: bigint;
};

/**
 * Where a policy stands: `Waiting` (within its coverage lag), `Covering` (incidents now are covered), `ClaimWindow`
 * (ended; claims on past incidents still accepted), `Closed` (claim window over, or no cover left).
 */
export type PolicyStatus = "Waiting" | "Covering" | "ClaimWindow" | "Closed";

/** A policy with its current holder and claim window. */
export type PolicyView = Policy & {
  kind: ProductKind;
  /** The NFT's holder now: the one payouts go to. */
  owner: string;
  /** `amount − claimed`. */
  remaining: bigint;
  /** Which incident times it covers and when claims may be filed (core `policyClaimWindow`). */
  window: PolicyClaimWindow;
  /** The claim being decided on the policy, or 0n. */
  openClaimId: bigint;
  status: PolicyStatus;
  timestamp: bigint;
};

/**
 * What can happen next to an assertion at the time of the read:
 * - `Disputable`: pending and within its liveness: anyone may dispute until `deadlines.disputeUntil` (inclusive);
 *   settling is possible from `deadlines.settleFrom`;
 * - `Settleable`: `settleClaim` / `settleIncident` succeeds now (undisputed after the liveness, ruled, or drawn);
 * - `AwaitingRuling`: disputed, waiting for the arbiter (or for `deadlines.drawAt`, when it settles as a draw);
 * - `Settled`: final.
 */
export type AssertionPhase = "Disputable" | "Settleable" | "AwaitingRuling" | "Settled";

/** A committee case as the arbiter stores it. */
export type CommitteeCaseView = {
  caseId: bigint;
  openedAt: bigint;
  deadline: bigint;
  approvals: bigint;
  rejections: bigint;
  quorum: bigint;
  resolved: boolean;
};

/** A claim with its state name, phase and deadlines. */
export type ClaimView = Claim & {
  productId: bigint;
  /** The policy's holder now: an approved claim pays it. */
  policyOwner: string;
  phase: AssertionPhase;
  /** When it may be disputed and settled (core `claimDeadlines`). */
  deadlines: AssertionDeadlines;
  committeeCase: CommitteeCaseView | undefined;
  timestamp: bigint;
  /** Which kind of arbiter the dispute went to (`undefined` before a dispute). */
  arbiterKind: ArbiterKind | undefined;
  /** For a dispute before UMA's DVM: its Optimistic Oracle V3 assertion and where the vote stands. */
  umaCase: UmaCaseView | undefined;
};

/** One vault's reserve for an incident (taken at the report). */
export type IncidentReserveView = IncidentReserve & { vault: string };

/** An incident with its state name, phase and deadlines. */
export type IncidentView = Incident & {
  phase: AssertionPhase;
  /** When it may be disputed and settled (core `claimDeadlines`). */
  deadlines: AssertionDeadlines;
  /** Last moment to claim a payout (0n until confirmed). */
  claimWindowEnd: bigint;
  committeeCase: CommitteeCaseView | undefined;
  reserves: IncidentReserveView[];
  timestamp: bigint;
  /** Which kind of arbiter the dispute went to (`undefined` before a dispute). */
  arbiterKind: ArbiterKind | undefined;
  /** For a dispute before UMA's DVM: its Optimistic Oracle V3 assertion and where the vote stands. */
  umaCase: UmaCaseView | undefined;
};

/** The on-chain quote of one purchase, with the SDK's recomputation from the same state. */
export type QuoteResult = {
  productId: bigint;
  vault: string;
  amount: bigint;
  period: bigint;
  premium: bigint;
  protocolFee: bigint;
  /** `premium + protocolFee` (commission, if any, comes on top). */
  total: bigint;
  /** `premiumUp` over the state the chain priced from; `undefined` when the cross-check was skipped. */
  sdkPremium: bigint | undefined;
  /** Whether `sdkPremium === premium` (true when skipped). */
  matchesSdk: boolean;
  timestamp: bigint;
};

/** What a cover order asks for. */
export type CoverOrder = {
  productId: bigint | number;
  /** A vault address or a deployment vault name; omitted, the router splits the cover across backing vaults. */
  vault?: string;
  /** A `bigint` in the asset's smallest unit, or a decimal string in asset units (`"250000"`). */
  amount: AmountInput;
  /** Seconds. */
  period: bigint | number;
  /** Tolerance on the quoted total, in bps (default 50 = 0.5%). */
  slippageBps?: bigint | number;
  /** The order expires this many seconds after the chain's latest block (default 1,200). */
  deadlineSeconds?: bigint | number;
  /** Holder of the policy NFTs (default: the signer). */
  receiver?: string;
  /** Frontend commission in bps of the premium (max 3,000), paid to `commissionRecipient`. */
  commissionBps?: bigint | number;
  commissionRecipient?: string;
  /** Leg granularity for a split, in the asset's smallest unit (the router's `step`, default 1). */
  step?: bigint;
  /**
   * The smallest policy a split may create, in the asset's smallest unit. Default: one whole asset unit or 5% of the
   * order, whichever is larger (`defaultMinLeg`), so a split never mints near-empty policies.
   */
  minLeg?: bigint;
  /**
   * The block the order is priced (and split) at: `"latest"` by default. Premiums follow `navBid`, which grows each
   * second as premium streams are earned, so `"pending"` (on nodes that execute calls on the pending block) prices
   * for the block the purchase lands in.
   */
  blockTag?: BlockTag;
};

/** One purchase of a cover order. */
export type CoverLeg = {
  vault: string;
  amount: bigint;
  premium: bigint;
  protocolFee: bigint;
  commission: bigint;
  /** `premium + protocolFee + commission`: what this leg costs the buyer. */
  total: bigint;
};

/** The priced plan of a cover order: what `buyCover` will charge if the chain does not move. */
export type CoverQuote = {
  productId: bigint;
  amount: bigint;
  period: bigint;
  legs: CoverLeg[];
  premium: bigint;
  protocolFee: bigint;
  commission: bigint;
  total: bigint;
  protocolFeeBps: bigint;
  timestamp: bigint;
};

/** A `CoverBought` event. */
export type CoverPurchase = {
  policyId: bigint;
  productId: bigint;
  vault: string;
  buyer: string;
  receiver: string;
  amount: bigint;
  premium: bigint;
  protocolFee: bigint;
  commission: bigint;
  start: bigint;
  end: bigint;
};

/** Every action returns its receipt (and the approval's, if one was needed). */
export type ActionResult = {
  receipt: ContractTransactionReceipt;
  /** The ERC-20 approval sent first because the allowance was short, if any. */
  approval?: ContractTransactionReceipt;
};

export type BuyCoverResult = ActionResult & {
  /** The first (or only) policy. */
  policyId: bigint;
  policyIds: bigint[];
  purchases: CoverPurchase[];
  /** What left the buyer: the sum of the purchases' premium, fee and commission. */
  totalCost: bigint;
  /** The plan the order was built from; `maxPremium` per leg is its total plus the slippage. */
  quote: CoverQuote;
};

export type DepositResult = ActionResult & { assets: bigint; shares: bigint };
export type RequestRedeemResult = ActionResult & { requestId: bigint; controller: string; shares: bigint };
/** An exit is paid in full at once: `assets` reached `receiver`. */
export type RedeemResult = ActionResult & { assets: bigint; shares: bigint; receiver: string };
/** One queue entry paid (in part if `remaining` > 0) by `processOutflowQueue`. */
export type QueuedOutflowPayment = { queueId: bigint; receiver: string; amount: bigint; remaining: bigint };
export type ProcessOutflowQueueResult = ActionResult & { paid: bigint; payments: QueuedOutflowPayment[] };
export type CancelRedeemResult = ActionResult & { shares: bigint };
export type FileClaimResult = ActionResult & {
  claimId: bigint;
  bond: bigint;
  reserved: bigint;
  expiration: bigint;
};
export type DisputeResult = ActionResult & { caseId: bigint };
export type BondsSettled = { toFiler: bigint; toDisputer: bigint; burned: bigint };
export type SettleClaimResult = ActionResult & {
  outcome: AssertionState;
  receiver: string;
  /** What the claim pays, booked out of the vault in full; `delivery` says what of it did not arrive yet. */
  payout: bigint;
  /** What the vault's circuit breaker queued (`processOutflowQueue` pays it later) and what the token refused. */
  delivery: PayoutDelivery;
  bonds: BondsSettled | undefined;
};
export type ReportIncidentResult = ActionResult & { incidentId: bigint; bond: bigint; expiration: bigint };
export type SettleIncidentResult = ActionResult & { outcome: AssertionState; bonds: BondsSettled | undefined };
export type IncidentPayoutResult = ActionResult & {
  /** What the policy is paid, booked out of the vault in full; `delivery` says what of it did not arrive yet. */
  payout: bigint;
  receiver: string;
  /** What the vault's circuit breaker queued (`processOutflowQueue` pays it later) and what the token refused. */
  delivery: PayoutDelivery;
};
export type VoteResult = ActionResult & { approve: boolean };
export type ResolveResult = ActionResult & { approved: boolean };
