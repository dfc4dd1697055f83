/**
 * Event handlers: every protocol event goes to `protocol_event`; the domain tables follow the events that change
 * them. Handlers only write what the event says, except two reads at the event's block: a new product's terms
 * (`ProductCreated` carries none), and a vault's `navAsk`, `navBid` and `totalSupply` once per block that touches it
 * (the NAV and share-price history).
 */
import { ponder, type Context, type Event, type EventNames as RegisteredEvents } from "ponder:registry";
import {
  bond,
  claim,
  committeeCase,
  incident,
  incidentPayout,
  incidentReserve,
  outflowQueue,
  policy,
  product,
  productVault,
  protocolEvent,
  redeemRequest,
  umaCase,
  vault,
  vaultFlow,
  vaultSnapshot,
} from "ponder:schema";
import { zeroAddress, type Hex } from "viem";

import { ASSERTION_STATES, PRODUCT_KINDS } from "../../sdk/src/core/entities.js";
import { sharePriceWad } from "../../sdk/src/core/sharesMath.js";
import {
  ClaimAdjudicatorAbi,
  CommitteeArbiterAbi,
  CoverManagerAbi,
  PriceFeedTriggerAbi,
  ProductRegistryAbi,
  UmaArbiterAbi,
  UnderwriterVaultAbi,
} from "../abis.js";

/** The adjudicator's `incidentKey` flag (`ClaimAdjudicator.INCIDENT_KEY_FLAG`). */
const INCIDENT_KEY_FLAG = 1n << 248n;

const claimKey = (claimId: bigint): Hex => `0x${claimId.toString(16).padStart(64, "0")}`;
const incidentKey = (incidentId: bigint): Hex => `0x${(incidentId | INCIDENT_KEY_FLAG).toString(16).padStart(64, "0")}`;

type AnyEvent = { args: unknown; log: { address: Hex; logIndex: number }; block: { number: bigint; timestamp: bigint }; transaction: { hash: Hex } };

const eventId = (event: AnyEvent) => `${event.block.number}-${event.log.logIndex}`;

/** JSON for the journal: bigints as decimal strings. */
function plain(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

async function journal(contract: string, name: string, event: AnyEvent, context: Context): Promise<void> {
  await context.db.insert(protocolEvent).values({
    id: eventId(event),
    contract,
    address: event.log.address,
    name,
    args: plain(event.args) as Record<string, unknown>,
    blockNumber: event.block.number,
    timestamp: event.block.timestamp,
    transactionHash: event.transaction.hash,
    logIndex: event.log.logIndex,
  });
}

type Handler<E> = (event: E, context: Context) => Promise<void>;

/** Event names of an ABI. */
type EventNames<abi> = abi extends readonly (infer item)[] ? (item extends { type: "event"; name: infer name extends string } ? name : never) : never;

/**
 * Registers one handler per event of `contract`: the journal entry, then the domain handler if there is one. Ponder
 * allows one handler per event, so both go through here.
 */
function handle<abi extends readonly unknown[], const name extends string>(
  contract: name,
  abi: abi,
  handlers: { [event in EventNames<abi>]?: Handler<Event<Extract<`${name}:${event}`, RegisteredEvents>>> },
): void {
  const events = (abi as readonly { type: string; name?: string }[]).filter((item) => item.type === "event").map((item) => item.name!);
  for (const eventName of events) {
    const domain = (handlers as Record<string, Handler<AnyEvent> | undefined>)[eventName];
    const register = ponder.on.bind(ponder) as unknown as (key: string, handler: (args: { event: AnyEvent; context: Context }) => Promise<void>) => void;
    register(`${contract}:${eventName}`, async ({ event, context }) => {
      await journal(contract, eventName, event, context);
      if (domain !== undefined) await domain(event, context);
    });
  }
}

// ------------------------------------------------------------------------------------------------ products, vaults

async function touchVault(context: Context, address: Hex, block: { number: bigint; timestamp: bigint }, change: Partial<typeof vault.$inferInsert> = {}) {
  // Calls at a block read the state after all of it: one read per vault and block serves every event in it.
  const id = `${address}-${block.number}`;
  let snapshot = await context.db.find(vaultSnapshot, { id });
  if (snapshot === null) {
    const read = (functionName: "navAsk" | "navBid" | "totalSupply") =>
      context.client.readContract({ abi: UnderwriterVaultAbi, address, functionName, blockNumber: block.number });
    const [navAsk, navBid, totalSupply] = await Promise.all([read("navAsk"), read("navBid"), read("totalSupply")]);
    snapshot = await context.db.insert(vaultSnapshot).values({
      id,
      vault: address,
      blockNumber: block.number,
      timestamp: block.timestamp,
      totalSupply,
      navAsk,
      navBid,
      sharePriceWad: sharePriceWad(navBid, totalSupply),
    });
  }
  const { navAsk, navBid, totalSupply, sharePriceWad: price } = snapshot;
  await context.db.update(vault, { address }).set((row) => {
    const next = { ...row, navAsk, navBid, totalSupply, sharePriceWad: price, updatedBlock: block.number };
    for (const [key, value] of Object.entries(change)) {
      const current = (row as Record<string, unknown>)[key];
      // Numeric changes are deltas (flows add up); everything else replaces.
      (next as Record<string, unknown>)[key] = typeof value === "bigint" && typeof current === "bigint" && key in DELTA_COLUMNS ? current + value : value;
    }
    return next;
  });
}

/** `vault` columns that `touchVault` changes by adding to them. */
const DELTA_COLUMNS = { deposited: true, withdrawn: true, premiums: true, claimsPaid: true, queuedOutflow: true } as const;

async function flow(context: Context, event: AnyEvent, kind: string, values: { account?: Hex; productId?: bigint; assets?: bigint; shares?: bigint }) {
  await context.db.insert(vaultFlow).values({
    id: eventId(event),
    vault: event.log.address,
    kind,
    account: values.account,
    productId: values.productId,
    assets: values.assets ?? 0n,
    shares: values.shares ?? 0n,
    blockNumber: event.block.number,
    timestamp: event.block.timestamp,
    transactionHash: event.transaction.hash,
  });
}

async function backing(context: Context, productId: bigint, address: Hex, block: bigint, change: Partial<typeof productVault.$inferInsert>) {
  await context.db
    .insert(productVault)
    .values({ productId, vault: address, attached: false, capacityWad: 0n, baseRateWad: 0n, kinkWad: 0n, maxRateWad: 0n, exposure: 0n, updatedBlock: block, ...change })
    .onConflictDoUpdate({ ...change, updatedBlock: block });
}

handle("ProductRegistry", ProductRegistryAbi, {
  ProductCreated: async ({ args, block, log }, context) => {
    // The event carries the kind and URI only: the terms the product was created with are read at its block.
    const created = await context.client.readContract({
      abi: ProductRegistryAbi,
      address: log.address,
      functionName: "getProduct",
      args: [args.productId],
      blockNumber: block.number,
    });
    await context.db.insert(product).values({
      id: args.productId,
      kind: PRODUCT_KINDS[args.kind]!,
      active: created.active,
      metadataURI: args.metadataURI,
      minRateWad: BigInt(created.minRateWad),
      minPeriod: BigInt(created.minPeriod),
      maxPeriod: BigInt(created.maxPeriod),
      maxCoverPerPolicy: BigInt(created.maxCoverPerPolicy),
      coverageLag: BigInt(created.coverageLag),
      claimGracePeriod: BigInt(created.claimGracePeriod),
      trigger: created.trigger === zeroAddress ? null : created.trigger,
      triggerArmed: created.trigger !== zeroAddress,
      openIncidents: BigInt(created.openIncidents),
      createdBlock: block.number,
      updatedBlock: block.number,
    });
  },
  ProductTermsUpdated: async ({ args, block }, context) => {
    const { minRateWad, minPeriod, maxPeriod, maxCoverPerPolicy, metadataURI } = args;
    await context.db.update(product, { id: args.productId }).set({ minRateWad, minPeriod, maxPeriod, maxCoverPerPolicy, metadataURI, updatedBlock: block.number });
  },
  ProductActiveSet: async ({ args, block }, context) => {
    await context.db.update(product, { id: args.productId }).set({ active: args.active, updatedBlock: block.number });
  },
  ProductTriggerSet: async ({ args, block }, context) => {
    const armed = args.trigger !== zeroAddress;
    await context.db.update(product, { id: args.productId }).set({ trigger: armed ? args.trigger : null, triggerArmed: armed, updatedBlock: block.number });
  },
  TriggerDisarmed: async ({ args, block }, context) => {
    await context.db.update(product, { id: args.productId }).set({ triggerArmed: false, updatedBlock: block.number });
  },
  OpenIncidentsChanged: async ({ args, block }, context) => {
    await context.db.update(product, { id: args.productId }).set({ openIncidents: args.openIncidents, updatedBlock: block.number });
  },
  VaultListed: async ({ args, block }, context) => {
    await context.db.insert(vault).values({
      address: args.vault,
      vaultId: args.vaultId,
      listedBlock: block.number,
      totalSupply: 0n,
      navAsk: 0n,
      navBid: 0n,
      sharePriceWad: 0n,
      deposited: 0n,
      withdrawn: 0n,
      premiums: 0n,
      claimsPaid: 0n,
      pendingReserve: 0n,
      queuedOutflow: 0n,
      paused: false,
      updatedBlock: block.number,
    });
    await touchVault(context, args.vault, block);
  },
  VaultAttached: async ({ args, block }, context) => backing(context, args.productId, args.vault, block.number, { attached: true }),
  VaultDetached: async ({ args, block }, context) => backing(context, args.productId, args.vault, block.number, { attached: false }),
});

handle("UnderwriterVault", UnderwriterVaultAbi, {
  Deposit: async (event, context) => {
    await flow(context, event, "deposit", { account: event.args.owner, assets: event.args.assets, shares: event.args.shares });
    await touchVault(context, event.log.address, event.block, { deposited: event.args.assets });
  },
  Withdraw: async (event, context) => {
    const { owner, assets, shares } = event.args;
    await flow(context, event, "withdraw", { account: owner, assets, shares });
    await context.db
      .insert(redeemRequest)
      .values({ vault: event.log.address, controller: owner, pendingShares: 0n, requested: 0n, cancelled: 0n, redeemed: shares, updatedBlock: event.block.number })
      .onConflictDoUpdate((row) => ({
        pendingShares: row.pendingShares > shares ? row.pendingShares - shares : 0n,
        redeemed: row.redeemed + shares,
        updatedBlock: event.block.number,
      }));
    await touchVault(context, event.log.address, event.block, { withdrawn: assets });
  },
  Transfer: async (event, context) => {
    // Share transfers change no NAV; mints and burns come with Deposit/Withdraw (and escrow moves with requests).
    if (event.args.from !== zeroAddress && event.args.to !== zeroAddress) return;
    await touchVault(context, event.log.address, event.block);
  },
  CoverUnderwritten: async (event, context) => {
    const { productId, premium, exposure } = event.args;
    await flow(context, event, "premium", { productId, assets: premium });
    await backing(context, productId, event.log.address, event.block.number, { exposure });
    await touchVault(context, event.log.address, event.block, { premiums: premium });
  },
  ProductTermsSet: async ({ args, block, log }, context) => {
    const { productId, capacityWad, baseRateWad, kinkWad, maxRateWad } = args;
    await backing(context, productId, log.address, block.number, { capacityWad, baseRateWad, kinkWad, maxRateWad });
  },
  ProductRemoved: async ({ args, block, log }, context) => {
    await backing(context, args.productId, log.address, block.number, { capacityWad: 0n });
  },
  CooldownSet: async ({ args, block, log }, context) => {
    await context.db.update(vault, { address: log.address }).set({ cooldown: args.cooldown, updatedBlock: block.number });
  },
  MaxLeverageSet: async ({ args, block, log }, context) => {
    await context.db.update(vault, { address: log.address }).set({ maxLeverageWad: args.maxLeverageWad, updatedBlock: block.number });
  },
  OutflowLimitSet: async ({ args, block, log }, context) => {
    await context.db.update(vault, { address: log.address }).set({ outflowLimitWad: args.limitWad, outflowWindow: args.window, updatedBlock: block.number });
  },
  Paused: async ({ block, log }, context) => {
    await context.db.update(vault, { address: log.address }).set({ paused: true, updatedBlock: block.number });
  },
  Unpaused: async ({ block, log }, context) => {
    await context.db.update(vault, { address: log.address }).set({ paused: false, updatedBlock: block.number });
  },
  PendingReserveIncreased: async (event, context) => {
    await flow(context, event, "reserveIncreased", { productId: event.args.productId, assets: event.args.amount });
    await touchVault(context, event.log.address, event.block, { pendingReserve: event.args.pendingReserve });
  },
  PendingReserveDecreased: async (event, context) => {
    await flow(context, event, "reserveDecreased", { productId: event.args.productId, assets: event.args.amount });
    await touchVault(context, event.log.address, event.block, { pendingReserve: event.args.pendingReserve });
  },
  ClaimPaid: async (event, context) => {
    await flow(context, event, "claimPaid", { productId: event.args.productId, account: event.args.receiver, assets: event.args.amount });
    await touchVault(context, event.log.address, event.block, { claimsPaid: event.args.amount });
  },
  SharesWrittenOff: async (event, context) => {
    await flow(context, event, "writeOff", { shares: event.args.writtenOffShares });
    await touchVault(context, event.log.address, event.block);
  },
  RedeemRequest: async (event, context) => {
    const { controller, shares } = event.args;
    await flow(context, event, "redeemRequest", { account: controller, shares });
    await context.db
      .insert(redeemRequest)
      .values({ vault: event.log.address, controller, pendingShares: shares, requested: shares, cancelled: 0n, redeemed: 0n, updatedBlock: event.block.number })
      .onConflictDoUpdate((row) => ({ pendingShares: row.pendingShares + shares, requested: row.requested + shares, updatedBlock: event.block.number }));
  },
  RedeemRequestCancelled: async (event, context) => {
    const { controller, shares } = event.args;
    await flow(context, event, "redeemCancelled", { account: controller, shares });
    await context.db
      .update(redeemRequest, { vault: event.log.address, controller })
      .set((row) => ({ pendingShares: 0n, cancelled: row.cancelled + shares, updatedBlock: event.block.number }));
  },
  OutflowQueued: async (event, context) => {
    const { queueId, receiver, amount } = event.args;
    await context.db.insert(outflowQueue).values({
      vault: event.log.address,
      queueId,
      receiver,
      amount,
      paid: 0n,
      remaining: amount,
      status: "Queued",
      queuedBlock: event.block.number,
      updatedBlock: event.block.number,
    });
    await touchVault(context, event.log.address, event.block, { queuedOutflow: amount });
  },
  QueuedOutflowPaid: async (event, context) => {
    const { queueId, amount, remaining } = event.args;
    await context.db
      .update(outflowQueue, { vault: event.log.address, queueId })
      .set((row) => ({ paid: row.paid + amount, remaining, status: remaining === 0n ? "Paid" : "Queued", updatedBlock: event.block.number }));
    await touchVault(context, event.log.address, event.block, { queuedOutflow: -amount });
  },
  QueuedOutflowVoided: async (event, context) => {
    const { queueId, amount } = event.args;
    await context.db.update(outflowQueue, { vault: event.log.address, queueId }).set({ remaining: 0n, status: "Voided", updatedBlock: event.block.number });
    await touchVault(context, event.log.address, event.block, { queuedOutflow: -amount });
  },
});

// ------------------------------------------------------------------------------------------------------- policies

handle("CoverManager", CoverManagerAbi, {
  CoverBought: async (event, context) => {
    const { policyId, productId, vault: backingVault, buyer, receiver, amount, premium, protocolFee, commission, start, end } = event.args;
    // The mint's Transfer came first (same transaction) and created no row: the purchase fills it in.
    await context.db
      .insert(policy)
      .values({
        id: policyId,
        productId,
        vault: backingVault,
        buyer,
        owner: receiver,
        amount,
        premium,
        protocolFee,
        commission,
        start,
        end,
        claimed: 0n,
        status: "Active",
        boughtBlock: event.block.number,
        transactionHash: event.transaction.hash,
        updatedBlock: event.block.number,
      })
      .onConflictDoUpdate((row) => ({ productId, vault: backingVault, buyer, amount, premium, protocolFee, commission, start, end, owner: row.owner }));
  },
  Transfer: async ({ args, block }, context) => {
    if (args.to === zeroAddress) return;
    const row = await context.db.find(policy, { id: args.id });
    // A mint precedes its CoverBought in the same transaction: CoverBought creates the row with the receiver.
    if (row === null) return;
    await context.db.update(policy, { id: args.id }).set({ owner: args.to, updatedBlock: block.number });
  },
  PolicyClaimed: async ({ args, block }, context) => {
    await context.db
      .update(policy, { id: args.policyId })
      .set((row) => ({ claimed: args.claimed, status: args.claimed >= row.amount ? "PaidOut" : row.status, updatedBlock: block.number }));
  },
});

// ---------------------------------------------------------------------------------------------- claims, incidents

const stateName = (state: number) => ASSERTION_STATES[state]!;

async function dispute(context: Context, key: Hex, disputer: Hex) {
  await context.db.update(bond, { key }).set({ disputer });
}

handle("ClaimAdjudicator", ClaimAdjudicatorAbi, {
  ClaimFiled: async ({ args, block }, context) => {
    await context.db.insert(claim).values({
      id: args.claimId,
      policyId: args.policyId,
      filer: args.filer,
      amount: args.amount,
      reserved: args.reserved,
      incidentTime: args.incidentTime,
      bond: args.bond,
      expiration: args.expiration,
      evidenceURI: args.evidenceURI,
      state: "Pending",
      ruling: "None",
      filedBlock: block.number,
      updatedBlock: block.number,
    });
    await context.db.insert(bond).values({ key: claimKey(args.claimId), kind: "claim", refId: args.claimId, filer: args.filer, amount: args.bond, postedBlock: block.number });
    await context.db.update(policy, { id: args.policyId }).set({ status: "ClaimOpen", openClaimId: args.claimId, updatedBlock: block.number });
  },
  ClaimDisputed: async ({ args, block }, context) => {
    await context.db.update(claim, { id: args.claimId }).set({ state: "Disputed", disputer: args.disputer, caseId: args.caseId, updatedBlock: block.number });
    await dispute(context, claimKey(args.claimId), args.disputer);
  },
  ClaimSettled: async ({ args, block }, context) => {
    await context.db
      .update(claim, { id: args.claimId })
      .set({ state: stateName(args.outcome), receiver: args.receiver, payout: args.payout, updatedBlock: block.number });
    await context.db
      .update(policy, { id: args.policyId })
      .set((row) => ({ status: row.claimed >= row.amount ? "PaidOut" : "Active", openClaimId: null, updatedBlock: block.number }));
  },
  RulingReceived: async ({ args, block }, context) => {
    const isIncident = (BigInt(args.key) & INCIDENT_KEY_FLAG) !== 0n;
    const id = BigInt(args.key) & (INCIDENT_KEY_FLAG - 1n);
    const ruling = args.approved ? "Approve" : "Reject";
    if (isIncident) await context.db.update(incident, { id }).set({ ruling, updatedBlock: block.number });
    else await context.db.update(claim, { id }).set({ ruling, updatedBlock: block.number });
  },
  BondsSettled: async ({ args, block }, context) => {
    const { toFiler, toDisputer, burned } = args;
    // Parametric incidents post no bond and have no row: nothing to settle then.
    const row = await context.db.find(bond, { key: args.key });
    if (row !== null) await context.db.update(bond, { key: args.key }).set({ toFiler, toDisputer, burned, settledBlock: block.number });
  },
  IncidentReported: async ({ args, block }, context) => {
    await context.db.insert(incident).values({
      id: args.incidentId,
      productId: args.productId,
      reporter: args.reporter,
      incidentTime: args.incidentTime,
      payoutWad: args.payoutWad,
      bond: args.bond,
      expiration: args.expiration,
      evidenceURI: args.evidenceURI,
      state: "Pending",
      ruling: "None",
      paidOut: 0n,
      reportedBlock: block.number,
      updatedBlock: block.number,
    });
    if (args.bond !== 0n) {
      await context.db.insert(bond).values({ key: incidentKey(args.incidentId), kind: "incident", refId: args.incidentId, filer: args.reporter, amount: args.bond, postedBlock: block.number });
    }
  },
  IncidentDisputed: async ({ args, block }, context) => {
    await context.db.update(incident, { id: args.incidentId }).set({ state: "Disputed", disputer: args.disputer, caseId: args.caseId, updatedBlock: block.number });
    await dispute(context, incidentKey(args.incidentId), args.disputer);
  },
  IncidentSettled: async ({ args, block }, context) => {
    await context.db.update(incident, { id: args.incidentId }).set({ state: stateName(args.outcome), updatedBlock: block.number });
  },
  IncidentReserved: async ({ args, block }, context) => {
    await context.db
      .insert(incidentReserve)
      .values({ incidentId: args.incidentId, vault: args.vault, needed: args.needed, reserved: args.reserved, released: 0n, topUpPool: 0n, topUpWad: 0n, updatedBlock: block.number })
      .onConflictDoUpdate({ needed: args.needed, reserved: args.reserved, updatedBlock: block.number });
  },
  IncidentReserveReleased: async ({ args, block }, context) => {
    await context.db
      .update(incidentReserve, { incidentId: args.incidentId, vault: args.vault })
      .set((row) => ({ released: row.released + args.amount, updatedBlock: block.number }));
  },
  IncidentTopUpOpened: async ({ args, block }, context) => {
    await context.db
      .update(incidentReserve, { incidentId: args.incidentId, vault: args.vault })
      .set({ topUpPool: args.pool, topUpWad: args.topUpWad, updatedBlock: block.number });
  },
  IncidentPayoutClaimed: async ({ args, block }, context) => {
    await context.db
      .insert(incidentPayout)
      .values({ incidentId: args.incidentId, policyId: args.policyId, receiver: args.receiver, amount: args.amount, topUp: 0n, paidBlock: block.number });
    await context.db.update(incident, { id: args.incidentId }).set((row) => ({ paidOut: row.paidOut + args.amount, updatedBlock: block.number }));
  },
  IncidentTopUpClaimed: async ({ args, block }, context) => {
    await context.db.update(incidentPayout, { incidentId: args.incidentId, policyId: args.policyId }).set((row) => ({ topUp: row.topUp + args.amount }));
    await context.db.update(incident, { id: args.incidentId }).set((row) => ({ paidOut: row.paidOut + args.amount, updatedBlock: block.number }));
  },
});

// ------------------------------------------------------------------------------------------------ committee, trigger

handle("CommitteeArbiter", CommitteeArbiterAbi, {
  CaseOpened: async ({ args, block }, context) => {
    await context.db.insert(committeeCase).values({
      id: args.caseId,
      disputeKey: args.disputeKey,
      filer: args.filer,
      disputer: args.disputer,
      deadline: args.deadline,
      approvals: 0n,
      rejections: 0n,
      resolved: false,
      openedBlock: block.number,
      updatedBlock: block.number,
    });
  },
  VoteCast: async ({ args, block }, context) => {
    await context.db
      .update(committeeCase, { id: args.caseId })
      .set((row) => ({
        ...(args.approve ? { approvals: row.approvals + 1n } : { rejections: row.rejections + 1n }),
        updatedBlock: block.number,
      }));
  },
  CaseResolved: async ({ args, block }, context) => {
    const { approved, approvals, rejections } = args;
    await context.db.update(committeeCase, { id: args.caseId }).set({ resolved: true, approved, approvals, rejections, updatedBlock: block.number });
  },
});

handle("PriceFeedTrigger", PriceFeedTriggerAbi, {});

const umaCaseId = (arbiter: Hex, caseId: bigint) => `${arbiter}-${caseId}`;

handle("UmaArbiter", UmaArbiterAbi, {
  CaseEscalated: async ({ args, block, log }, context) => {
    await context.db.insert(umaCase).values({
      id: umaCaseId(log.address, args.caseId),
      arbiter: log.address,
      caseId: args.caseId,
      disputeKey: args.key,
      assertionId: args.assertionId,
      disputer: args.disputer,
      bond: args.bond,
      status: "Escalated",
      escalatedBlock: block.number,
      updatedBlock: block.number,
    });
  },
  DvmResolved: async ({ args, block, log }, context) => {
    await context.db
      .update(umaCase, { id: umaCaseId(log.address, args.caseId) })
      .set({ status: "Resolved", approved: args.approved, refund: args.refund, updatedBlock: block.number });
  },
  RulingDelivered: async ({ args, block, log }, context) => {
    await context.db.update(umaCase, { id: umaCaseId(log.address, args.caseId) }).set({ status: "Delivered", updatedBlock: block.number });
  },
  RulingUndelivered: async ({ args, block, log }, context) => {
    await context.db.update(umaCase, { id: umaCaseId(log.address, args.caseId) }).set({ status: "Undelivered", updatedBlock: block.number });
  },
});
