/**
 * The indexer's tables (README "Indexer"). Amounts are raw token units (bigint), rates WAD (1e18), times unix seconds;
 * every row records the block it was last changed in, so a client knows how fresh it is. Ponder reverts rows written
 * by blocks that a reorganisation orphaned.
 */
import { index, onchainTable, primaryKey, relations } from "ponder";

/** Every protocol event, decoded: the journal the other tables are built from, queryable as is. */
export const protocolEvent = onchainTable(
  "protocol_event",
  (t) => ({
    /** `<block number>-<log index>`. */
    id: t.text().primaryKey(),
    contract: t.text().notNull(),
    address: t.hex().notNull(),
    name: t.text().notNull(),
    /** The decoded arguments, integers as decimal strings. */
    args: t.json().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
  }),
  (table) => ({ byName: index().on(table.name), byBlock: index().on(table.blockNumber) }),
);

export const product = onchainTable("product", (t) => ({
  id: t.bigint().primaryKey(),
  /** `Discretionary` | `Parametric`. */
  kind: t.text().notNull(),
  active: t.boolean().notNull(),
  metadataURI: t.text().notNull(),
  minRateWad: t.bigint().notNull(),
  minPeriod: t.bigint().notNull(),
  maxPeriod: t.bigint().notNull(),
  maxCoverPerPolicy: t.bigint().notNull(),
  coverageLag: t.bigint().notNull(),
  claimGracePeriod: t.bigint().notNull(),
  /** The parametric trigger; `triggerArmed` is false once it fired (sales stop until a new one is set). */
  trigger: t.hex(),
  triggerArmed: t.boolean().notNull(),
  openIncidents: t.bigint().notNull(),
  createdBlock: t.bigint().notNull(),
  updatedBlock: t.bigint().notNull(),
}));

/** A vault's backing of a product: attachment (registry) and curve terms (vault). */
export const productVault = onchainTable(
  "product_vault",
  (t) => ({
    productId: t.bigint().notNull(),
    vault: t.hex().notNull(),
    attached: t.boolean().notNull(),
    capacityWad: t.bigint().notNull(),
    baseRateWad: t.bigint().notNull(),
    kinkWad: t.bigint().notNull(),
    maxRateWad: t.bigint().notNull(),
    /** Cover sold on the product against the vault, as `CoverUnderwritten` last reported it. */
    exposure: t.bigint().notNull(),
    updatedBlock: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.productId, table.vault] }) }),
);

export const vault = onchainTable("vault", (t) => ({
  address: t.hex().primaryKey(),
  vaultId: t.bigint().notNull(),
  listedBlock: t.bigint().notNull(),
  totalSupply: t.bigint().notNull(),
  navAsk: t.bigint().notNull(),
  navBid: t.bigint().notNull(),
  /** `navBid × 1e18 / totalSupply` (the SDK's `sharePriceWad`, with the vault's virtual shares). */
  sharePriceWad: t.bigint().notNull(),
  deposited: t.bigint().notNull(),
  withdrawn: t.bigint().notNull(),
  premiums: t.bigint().notNull(),
  claimsPaid: t.bigint().notNull(),
  pendingReserve: t.bigint().notNull(),
  /** Claim payouts the circuit breaker holds back, still owed. */
  queuedOutflow: t.bigint().notNull(),
  cooldown: t.bigint(),
  maxLeverageWad: t.bigint(),
  outflowLimitWad: t.bigint(),
  outflowWindow: t.bigint(),
  paused: t.boolean().notNull(),
  updatedBlock: t.bigint().notNull(),
}));

/** NAV and share price after every block that changed a vault. */
export const vaultSnapshot = onchainTable(
  "vault_snapshot",
  (t) => ({
    /** `<vault>-<block number>`. */
    id: t.text().primaryKey(),
    vault: t.hex().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    totalSupply: t.bigint().notNull(),
    navAsk: t.bigint().notNull(),
    navBid: t.bigint().notNull(),
    sharePriceWad: t.bigint().notNull(),
  }),
  (table) => ({ byVault: index().on(table.vault, table.blockNumber) }),
);

/**
 * Money in and out of a vault: `deposit`, `withdraw`, `premium`, `claimPaid`, `reserveIncreased`, `reserveDecreased`,
 * `redeemRequest`, `redeemCancelled`, `writeOff`.
 */
export const vaultFlow = onchainTable(
  "vault_flow",
  (t) => ({
    /** `<block number>-<log index>`. */
    id: t.text().primaryKey(),
    vault: t.hex().notNull(),
    kind: t.text().notNull(),
    /** The depositor, the controller of a redemption, or the receiver of a payout. */
    account: t.hex(),
    productId: t.bigint(),
    assets: t.bigint().notNull(),
    shares: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
  }),
  (table) => ({ byVault: index().on(table.vault, table.blockNumber), byAccount: index().on(table.account) }),
);

/** Redemption requests per vault and controller, as the ERC-7540 events report them. */
export const redeemRequest = onchainTable(
  "redeem_request",
  (t) => ({
    vault: t.hex().notNull(),
    controller: t.hex().notNull(),
    /** Shares requested and not cancelled nor redeemed yet. */
    pendingShares: t.bigint().notNull(),
    requested: t.bigint().notNull(),
    cancelled: t.bigint().notNull(),
    redeemed: t.bigint().notNull(),
    updatedBlock: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.vault, table.controller] }) }),
);

/** The circuit breaker's queue of held-back claim payouts. */
export const outflowQueue = onchainTable(
  "outflow_queue",
  (t) => ({
    vault: t.hex().notNull(),
    queueId: t.bigint().notNull(),
    receiver: t.hex().notNull(),
    amount: t.bigint().notNull(),
    paid: t.bigint().notNull(),
    remaining: t.bigint().notNull(),
    /** `Queued` | `Paid` | `Voided`. */
    status: t.text().notNull(),
    queuedBlock: t.bigint().notNull(),
    updatedBlock: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.vault, table.queueId] }) }),
);

export const policy = onchainTable(
  "policy",
  (t) => ({
    id: t.bigint().primaryKey(),
    productId: t.bigint().notNull(),
    vault: t.hex().notNull(),
    buyer: t.hex().notNull(),
    /** The current holder of the policy NFT (ERC-721 `Transfer`s followed). */
    owner: t.hex().notNull(),
    amount: t.bigint().notNull(),
    premium: t.bigint().notNull(),
    protocolFee: t.bigint().notNull(),
    commission: t.bigint().notNull(),
    start: t.bigint().notNull(),
    end: t.bigint().notNull(),
    claimed: t.bigint().notNull(),
    /**
     * `Active`, `ClaimOpen` (a claim awaits settlement), or `PaidOut` (claimed in full). Whether it covers now depends
     * on the clock: `start`/`end` and the product's lag and grace give the window (the SDK's `PolicyView.status`).
     */
    status: t.text().notNull(),
    openClaimId: t.bigint(),
    boughtBlock: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    updatedBlock: t.bigint().notNull(),
  }),
  (table) => ({ byOwner: index().on(table.owner, table.id), byProduct: index().on(table.productId) }),
);

export const claim = onchainTable(
  "claim",
  (t) => ({
    id: t.bigint().primaryKey(),
    policyId: t.bigint().notNull(),
    filer: t.hex().notNull(),
    amount: t.bigint().notNull(),
    reserved: t.bigint().notNull(),
    incidentTime: t.bigint().notNull(),
    bond: t.bigint().notNull(),
    expiration: t.bigint().notNull(),
    evidenceURI: t.text().notNull(),
    /** The SDK's `AssertionState` names: `Pending`, `Disputed`, `Approved`, `Rejected`, `Drawn`. */
    state: t.text().notNull(),
    disputer: t.hex(),
    caseId: t.bigint(),
    /** `None`, `Approve`, `Reject`. */
    ruling: t.text().notNull(),
    receiver: t.hex(),
    payout: t.bigint(),
    filedBlock: t.bigint().notNull(),
    updatedBlock: t.bigint().notNull(),
  }),
  (table) => ({ byPolicy: index().on(table.policyId) }),
);

export const incident = onchainTable(
  "incident",
  (t) => ({
    id: t.bigint().primaryKey(),
    productId: t.bigint().notNull(),
    reporter: t.hex().notNull(),
    incidentTime: t.bigint().notNull(),
    payoutWad: t.bigint().notNull(),
    bond: t.bigint().notNull(),
    expiration: t.bigint().notNull(),
    evidenceURI: t.text().notNull(),
    state: t.text().notNull(),
    disputer: t.hex(),
    caseId: t.bigint(),
    ruling: t.text().notNull(),
    paidOut: t.bigint().notNull(),
    reportedBlock: t.bigint().notNull(),
    updatedBlock: t.bigint().notNull(),
  }),
  (table) => ({ byProduct: index().on(table.productId) }),
);

/** What a confirmed (or pending) incident holds in each backing vault. */
export const incidentReserve = onchainTable(
  "incident_reserve",
  (t) => ({
    incidentId: t.bigint().notNull(),
    vault: t.hex().notNull(),
    needed: t.bigint().notNull(),
    reserved: t.bigint().notNull(),
    released: t.bigint().notNull(),
    topUpPool: t.bigint().notNull(),
    topUpWad: t.bigint().notNull(),
    updatedBlock: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.incidentId, table.vault] }) }),
);

/** Incident payouts (and top-ups) paid to policies. */
export const incidentPayout = onchainTable(
  "incident_payout",
  (t) => ({
    incidentId: t.bigint().notNull(),
    policyId: t.bigint().notNull(),
    receiver: t.hex().notNull(),
    amount: t.bigint().notNull(),
    topUp: t.bigint().notNull(),
    paidBlock: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.incidentId, table.policyId] }), byPolicy: index().on(table.policyId) }),
);

/** The bonds of a claim or incident report: posted, disputed, and how they were settled. */
export const bond = onchainTable(
  "bond",
  (t) => ({
    /** The adjudicator's dispute key (`claimKey(id)` / `incidentKey(id)`). */
    key: t.hex().primaryKey(),
    /** `claim` | `incident`. */
    kind: t.text().notNull(),
    refId: t.bigint().notNull(),
    filer: t.hex().notNull(),
    amount: t.bigint().notNull(),
    disputer: t.hex(),
    toFiler: t.bigint(),
    toDisputer: t.bigint(),
    burned: t.bigint(),
    postedBlock: t.bigint().notNull(),
    settledBlock: t.bigint(),
  }),
);

/** Committee arbitration cases and their votes. */
export const committeeCase = onchainTable("committee_case", (t) => ({
  id: t.bigint().primaryKey(),
  disputeKey: t.hex().notNull(),
  filer: t.hex().notNull(),
  disputer: t.hex().notNull(),
  deadline: t.bigint().notNull(),
  approvals: t.bigint().notNull(),
  rejections: t.bigint().notNull(),
  resolved: t.boolean().notNull(),
  approved: t.boolean(),
  openedBlock: t.bigint().notNull(),
  updatedBlock: t.bigint().notNull(),
}));

/** Disputes escalated to UMA's DVM by a `UmaArbiter`. */
export const umaCase = onchainTable("uma_case", (t) => ({
  /** `<arbiter>-<case id>`. */
  id: t.text().primaryKey(),
  arbiter: t.hex().notNull(),
  caseId: t.bigint().notNull(),
  disputeKey: t.hex().notNull(),
  assertionId: t.hex().notNull(),
  disputer: t.hex().notNull(),
  bond: t.bigint().notNull(),
  /** `Escalated`, `Resolved` (the DVM answered), `Delivered` (the adjudicator took the ruling), `Undelivered`. */
  status: t.text().notNull(),
  approved: t.boolean(),
  refund: t.bigint(),
  escalatedBlock: t.bigint().notNull(),
  updatedBlock: t.bigint().notNull(),
}));

export const policyRelations = relations(policy, ({ many }) => ({ claims: many(claim), payouts: many(incidentPayout) }));
export const claimRelations = relations(claim, ({ one }) => ({ policy: one(policy, { fields: [claim.policyId], references: [policy.id] }) }));
export const incidentPayoutRelations = relations(incidentPayout, ({ one }) => ({
  policy: one(policy, { fields: [incidentPayout.policyId], references: [policy.id] }),
}));
