/**
 * The keeper's actions, run at the head once the follower has caught up. Each pass reads what is due from the chain
 * (through the SDK's Lens reads), then for each due action: skips it if a transaction for it is still unconfirmed,
 * estimates its gas (a revert is logged once as a skip, with the SDK's decoded error, and nothing is sent), and sends
 * it through the SDK with the journaling signer. Every action is idempotent: due-ness comes from chain state, so an
 * action already done is never due again.
 */
import { Contract, parseUnits, ZeroAddress, type Block, type ContractTransactionReceipt } from "ethers";

import { INTERFACES, withContractErrors, type ClaimView, type IncidentView, type ParapetClient, type ProductView } from "../sdk/src/index.js";
import { ACTION_KINDS, type ActionKind, type KeeperConfig } from "./config.js";
import type { JournalingWallet } from "./journalingWallet.js";
import { describeError, type Logger } from "./log.js";
import type { KeeperMetrics } from "./metrics.js";
import { evidenceURI, type Evidence } from "./monitors.js";
import type { KeeperStore } from "./store.js";

const TRIGGER = [
  "function fire() returns (uint256 incidentId)",
  "function status() view returns (uint8 reason, int256 answer, uint256 updatedAt)",
  "function fired() view returns (bool)",
];
const ERC20 = [
  "function balanceOf(address) view returns (uint256)",
  "function allowance(address, address) view returns (uint256)",
  "function decimals() view returns (uint8)",
];
/** Reverted attempts of one action before the keeper stops trying it (a skip is logged instead). */
const MAX_REVERTED_ATTEMPTS = 3;
/** Ids per Lens call. */
const PAGE = 100;
/** Kinds whose key may succeed more than once (the queue is paid window after window, fees are swept as they grow). */
const REPEATABLE = new Set<ActionKind>(["processOutflowQueue", "sweepProtocolFees"]);
/** Errors that pass with time, so a policy's payout is tried again rather than recorded as ineligible. */
const TRANSIENT = new Set(["EnforcedPause", "OutflowLimitReached"]);
const SETTLED = new Set(["Approved", "Rejected", "Drawn"]);
/** Pushing a UMA case is not estimated: the SDK reads the case first and refuses one with nothing to push. */
const NO_ESTIMATE = () => Promise.resolve(0n);

/** A claim or incident before UMA's DVM whose vote is in but has not reached the adjudicator. */
function votedBeforeUma(view: ClaimView | IncidentView): boolean {
  const status = view.umaCase?.dvmStatus;
  return status === "VoteIn" || status === "Undelivered";
}

export interface ActionContext {
  client: ParapetClient;
  wallet: JournalingWallet;
  store: KeeperStore;
  config: KeeperConfig;
  log: Logger;
  metrics: KeeperMetrics;
}

type Outcome = { done: true; receipt?: ContractTransactionReceipt; result?: unknown } | { done: false; reason?: string };

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export class KeeperActions {
  readonly #c: ActionContext;
  /** The last skip reason logged per action key: a skip is logged when it first happens or its reason changes. */
  readonly #skips = new Map<string, string>();
  /** The asset's decimals, read once. */
  #decimals: number | undefined;

  constructor(context: ActionContext) {
    this.#c = context;
    // Every kind at 0 from the start, so that rates and alerts work before the first action of a kind.
    for (const kind of ACTION_KINDS) {
      context.metrics.increment("parapet_keeper_actions_total", "Actions confirmed on chain, by kind", { kind }, 0);
      context.metrics.increment("parapet_keeper_failures_total", "Actions that failed after estimation, by kind", { kind }, 0);
      context.metrics.increment("parapet_keeper_skips_total", "Actions skipped because they would revert, by kind", { kind }, 0);
    }
  }

  /** Everything due at `head`. */
  async run(head: Block): Promise<void> {
    await this.reconcile();
    const products = await this.#c.client.products();
    await this.#reports(head, products);
    await this.#claims(head);
    await this.#incidents(head, products);
    await this.#queues();
    await this.#protocolFees();
    await this.#triggers(products);
    await this.#balances();
  }

  /**
   * Settles the journal: each transaction still marked sent is looked up by hash. Mined: its outcome is recorded.
   * Unknown to the node with its nonce still unused: the same signed bytes are broadcast again (same hash, so it
   * can never execute twice). Unknown with the nonce used by another transaction: dropped.
   */
  async reconcile(): Promise<void> {
    const { store, wallet, log } = this.#c;
    const provider = wallet.provider!;
    for (const row of store.unconfirmedActions()) {
      const receipt = await provider.getTransactionReceipt(row.hash);
      if (receipt !== null) {
        store.recordOutcome(row.hash, receipt.status === 1 ? "mined" : "reverted", receipt.blockNumber, receipt.gasUsed);
        log.info("transaction confirmed", { key: row.key, hash: row.hash, block: receipt.blockNumber, status: receipt.status === 1 ? "mined" : "reverted" });
        continue;
      }
      if ((await provider.getTransaction(row.hash)) !== null) continue; // still pending: wait for it
      const used = await provider.getTransactionCount(wallet.address, "latest");
      if (used > row.nonce) {
        store.recordOutcome(row.hash, "dropped", null);
        log.warn("transaction dropped: its nonce was used by another", { key: row.key, hash: row.hash, nonce: row.nonce });
      } else {
        await provider.broadcastTransaction(row.raw);
        log.info("transaction re-broadcast from the journal", { key: row.key, hash: row.hash, nonce: row.nonce });
      }
    }
  }

  /**
   * Performs one action unless it is pending, done, or would revert. `estimate` is the gas estimate through the SDK's
   * typed handle; `send` the SDK action (which signs through the journaling wallet).
   */
  async #act(kind: ActionKind, key: string, estimate: () => Promise<bigint>, send: () => Promise<{ receipt: ContractTransactionReceipt }>): Promise<Outcome> {
    const { store, wallet, log, metrics, config } = this.#c;
    if (!config.actions.has(kind)) return { done: false, reason: "disabled" };
    const rows = store.actionsFor(key);
    if (rows.some((row) => row.status === "sent")) return { done: false, reason: "pending" };
    if (!REPEATABLE.has(kind) && rows.some((row) => row.status === "mined")) return { done: false, reason: "done" };
    if (rows.filter((row) => row.status === "reverted").length >= MAX_REVERTED_ATTEMPTS) {
      this.#skip(kind, key, { error: "GaveUp", message: `${MAX_REVERTED_ATTEMPTS} transactions reverted` });
      return { done: false, reason: "GaveUp" };
    }
    let gas: bigint;
    try {
      gas = await withContractErrors(estimate);
    } catch (error) {
      const reason = describeError(error);
      this.#skip(kind, key, reason);
      return { done: false, reason: reason.error };
    }
    this.#skips.delete(key);
    try {
      const result = await wallet.forAction(key, kind, send);
      const { receipt } = result;
      store.recordOutcome(receipt.hash, "mined", receipt.blockNumber, receipt.gasUsed);
      await this.#settleJournal(key);
      metrics.increment("parapet_keeper_actions_total", "Actions confirmed on chain, by kind", { kind });
      log.info("action done", { kind, key, hash: receipt.hash, block: receipt.blockNumber, gasEstimate: gas, gasUsed: receipt.gasUsed });
      return { done: true, receipt, result };
    } catch (error) {
      await this.#settleJournal(key);
      metrics.increment("parapet_keeper_failures_total", "Actions that failed after estimation, by kind", { kind });
      log.error("action failed", { kind, key, ...describeError(error) });
      return { done: false, reason: describeError(error).error };
    }
  }

  /** Records the receipts of the key's transactions (the approval an action sent first, say). */
  async #settleJournal(key: string): Promise<void> {
    const provider = this.#c.wallet.provider!;
    for (const row of this.#c.store.actionsFor(key)) {
      if (row.status !== "sent") continue;
      const receipt = await provider.getTransactionReceipt(row.hash);
      if (receipt !== null) this.#c.store.recordOutcome(row.hash, receipt.status === 1 ? "mined" : "reverted", receipt.blockNumber, receipt.gasUsed);
    }
  }

  #skip(kind: ActionKind, key: string, reason: { error: string; message: string }): void {
    const text = `${reason.error}: ${reason.message}`;
    if (this.#skips.get(key) === text) return;
    this.#skips.set(key, text);
    this.#c.metrics.increment("parapet_keeper_skips_total", "Actions skipped because they would revert, by kind", { kind });
    this.#c.log.info("action skipped: it would revert", { kind, key, ...reason });
  }

  // --------------------------------------------------------------------------------------------- monitors

  async #reports(head: Block, products: ProductView[]): Promise<void> {
    const { store, client, log, metrics, wallet } = this.#c;
    for (const alert of store.pendingAlerts()) {
      const key = `reportIncident:${alert.monitor}`;
      const evidence = JSON.parse(alert.evidence) as Evidence;
      const mined = store.actionsFor(key).find((row) => row.status === "mined" && row.kind === "reportIncident");
      if (mined !== undefined) {
        // Reported before a restart: take the incident id from the receipt.
        const receipt = await wallet.provider!.getTransactionReceipt(mined.hash);
        const event = receipt?.logs.map((entry) => INTERFACES.adjudicator.parseLog(entry)).find((parsed) => parsed?.name === "IncidentReported");
        if (event !== undefined && event !== null) {
          store.settleAlert(alert.monitor, "reported", event.args.incidentId as bigint);
          continue;
        }
      }
      const product = products.find((entry) => entry.id === alert.productId);
      if (product !== undefined && product.openIncidents > 0n && !store.actionsFor(key).some((row) => row.status === "sent")) {
        store.settleAlert(alert.monitor, "superseded");
        log.info("monitor fired on a product with an open incident: not reported again", { monitor: alert.monitor, productId: alert.productId });
        continue;
      }
      const payoutWad = this.#c.config.monitors.find((monitor) => monitor.id === alert.monitor)?.payoutWad ?? 10n ** 18n;
      const report = { productId: alert.productId, incidentTime: BigInt(evidence.incidentTime), payoutWad, evidenceURI: evidenceURI(evidence) };
      const adjudicator = client.claimAdjudicator;
      const [bondAsset, bond] = await Promise.all([adjudicator.incidentBondAsset(), adjudicator.incidentBond()]);
      const allowance = (await new Contract(bondAsset, ERC20, wallet.provider).getFunction("allowance").staticCall(wallet.address, await adjudicator.getAddress())) as bigint;
      // With the bond not yet approved, the estimate would revert on the allowance: the SDK approves it first, and
      // ethers estimates the report itself before signing it.
      const estimate =
        allowance >= bond
          ? () => adjudicator.reportIncident.estimateGas(report.productId, report.incidentTime, report.payoutWad, report.evidenceURI)
          : () => Promise.resolve(0n);
      const outcome = await this.#act("reportIncident", key, estimate, () => client.reportIncident(report));
      if (outcome.done) {
        const { incidentId } = outcome.result as { incidentId: bigint };
        store.settleAlert(alert.monitor, "reported", incidentId);
        metrics.increment("parapet_keeper_incidents_reported_total", "Incidents reported by the keeper's monitors", { monitor: alert.monitor });
        log.info("incident reported", {
          monitor: alert.monitor,
          incidentId,
          productId: alert.productId,
          exploitBlock: evidence.incidentBlock,
          reportBlock: outcome.receipt?.blockNumber,
          blocksAfterExploit: (outcome.receipt?.blockNumber ?? head.number) - evidence.incidentBlock,
        });
      }
    }
  }

  // --------------------------------------------------------------------------------------------- claims

  async #claims(head: Block): Promise<void> {
    const { store, client } = this.#c;
    for (const ids of chunks(store.openClaims(), PAGE)) {
      const claims: ClaimView[] = await client.claims(ids);
      for (const claim of claims) {
        if (SETTLED.has(claim.state)) {
          store.markClaimDone(claim.id, head.number);
        } else if (claim.phase === "Settleable") {
          const outcome = await this.#act(
            "settleClaim",
            `settleClaim:${claim.id}`,
            () => client.claimAdjudicator.settleClaim.estimateGas(claim.id),
            () => client.settleClaim(claim.id),
          );
          if (outcome.done) store.markClaimDone(claim.id, head.number);
        } else if (votedBeforeUma(claim)) {
          // UMA's DVM has voted: settling its assertion delivers the ruling, and the next pass settles the claim.
          await this.#act("pushClaim", `pushClaim:${claim.id}`, NO_ESTIMATE, () => client.pushClaim(claim.id));
        }
      }
    }
  }

  // --------------------------------------------------------------------------------------------- incidents

  async #incidents(head: Block, products: ProductView[]): Promise<void> {
    const { store, client } = this.#c;
    for (const ids of chunks(store.openIncidents(), PAGE)) {
      const incidents: IncidentView[] = await client.incidents(ids);
      for (const incident of incidents) {
        if (incident.phase === "Settleable") {
          await this.#act(
            "settleIncident",
            `settleIncident:${incident.id}`,
            () => client.claimAdjudicator.settleIncident.estimateGas(incident.id),
            () => client.settleIncident(incident.id),
          );
          continue;
        }
        if (votedBeforeUma(incident)) {
          await this.#act("pushIncident", `pushIncident:${incident.id}`, NO_ESTIMATE, () => client.pushIncident(incident.id));
          continue;
        }
        if (incident.state === "Rejected" || incident.state === "Drawn") {
          store.markIncidentDone(incident.id, head.number); // settlement released the reserves
        } else if (incident.state === "Approved") {
          await this.#confirmedIncident(incident, head, products);
        }
      }
    }
  }

  /** A confirmed incident: payouts while the claim window is open, then releases, with top-ups between them. */
  async #confirmedIncident(incident: IncidentView, head: Block, products: ProductView[]): Promise<void> {
    const { store, client } = this.#c;
    const now = BigInt(head.timestamp);
    const adjudicator = client.claimAdjudicator;
    const product = products.find((entry) => entry.id === incident.productId);
    if (incident.reserves.length > 0 && incident.reserves.every((reserve) => reserve.phase === "Released")) {
      store.markIncidentDone(incident.id, head.number);
      return;
    }
    if (now <= incident.claimWindowEnd) {
      const lag = product?.coverageLag ?? 0n;
      for (const policy of store.policiesOfProduct(incident.productId)) {
        if (store.payoutDecided(incident.id, policy.id, "payout")) continue;
        // The contract's cover window (start + lag < incidentTime ≤ end): no call for policies outside it.
        if (!(policy.start + lag < incident.incidentTime && incident.incidentTime <= policy.end)) {
          store.decidePayout(incident.id, policy.id, "payout", "outside the cover window", head.number);
          continue;
        }
        if (await adjudicator.incidentPaid(incident.id, policy.id)) {
          store.decidePayout(incident.id, policy.id, "payout", "paid", head.number);
          continue;
        }
        const outcome = await this.#act(
          "claimIncidentPayout",
          `claimIncidentPayout:${incident.id}:${policy.id}`,
          () => adjudicator.claimIncidentPayout.estimateGas(policy.id, incident.id),
          () => client.claimIncidentPayout(policy.id, incident.id),
        );
        if (outcome.done) store.decidePayout(incident.id, policy.id, "payout", "paid", head.number);
        else if (outcome.reason !== undefined && !["pending", "disabled"].includes(outcome.reason) && !TRANSIENT.has(outcome.reason)) {
          // Not eligible (locked out at the report, say): the contract said so; never asked again.
          store.decidePayout(incident.id, policy.id, "payout", outcome.reason, head.number);
        }
      }
      return;
    }
    const stored = await withContractErrors(() => adjudicator.getIncident(incident.id));
    const topUpsEnd = incident.claimWindowEnd + stored.claimWindow;
    const phases = new Set(incident.reserves.map((reserve) => reserve.phase));
    if (phases.has("Open") || (phases.has("TopUp") && now > topUpsEnd)) {
      const stage = phases.has("Open") ? "claimWindow" : "topUpWindow";
      await this.#act(
        "releaseIncidentReserve",
        `releaseIncidentReserve:${incident.id}:${stage}`,
        () => adjudicator.releaseIncidentReserve.estimateGas(incident.id),
        () => this.#sendTyped(() => adjudicator.releaseIncidentReserve(incident.id)),
      );
      return;
    }
    if (phases.has("TopUp")) {
      for (const policy of store.policiesOfProduct(incident.productId)) {
        if (store.payoutDecided(incident.id, policy.id, "topUp")) continue;
        if ((await adjudicator.incidentShortfall(incident.id, policy.id)) === 0n) {
          store.decidePayout(incident.id, policy.id, "topUp", "no shortfall", head.number);
          continue;
        }
        const outcome = await this.#act(
          "claimIncidentTopUp",
          `claimIncidentTopUp:${incident.id}:${policy.id}`,
          () => adjudicator.claimIncidentTopUp.estimateGas(policy.id, incident.id),
          () => this.#sendTyped(() => adjudicator.claimIncidentTopUp(policy.id, incident.id)),
        );
        if (outcome.done || (outcome.reason !== undefined && outcome.reason === "NoTopUp")) {
          store.decidePayout(incident.id, policy.id, "topUp", outcome.done ? "paid" : outcome.reason!, head.number);
        }
      }
    }
  }

  /** An action the SDK client has no method for, sent through its typed contract handle; reverts decoded by the SDK. */
  async #sendTyped(send: () => Promise<{ wait(): Promise<ContractTransactionReceipt | null> }>): Promise<{ receipt: ContractTransactionReceipt }> {
    return withContractErrors(async () => {
      const receipt = await (await send()).wait();
      if (receipt === null) throw new Error("no receipt");
      return { receipt };
    });
  }

  // --------------------------------------------------------------------------------------------- queues

  async #queues(): Promise<void> {
    const { client, config } = this.#c;
    for (const [name, address] of Object.entries(client.deployment.addresses.vaults)) {
      const { outflows } = await client.vault(address, { withYield: false });
      this.#c.metrics.gauge("parapet_keeper_vault_queued_assets", "Claim payouts queued behind the circuit breaker", Number(outflows.queuedAssets), { vault: name });
      // Due when something is queued and the window lets some of it leave; otherwise the call would pay nothing.
      if (outflows.queueHead >= outflows.queueTail || outflows.allowance === 0n) continue;
      await this.#act(
        "processOutflowQueue",
        `processOutflowQueue:${address}`,
        () => client.vaultContract(address).processOutflowQueue.estimateGas(config.maxQueueEntries),
        () => client.processOutflowQueue(address, config.maxQueueEntries),
      );
    }
  }

  // --------------------------------------------------------------------------------------------- protocol fees

  /** Sweeps a vault's protocol fees to the treasury once they reach `minProtocolFeeSweep` whole tokens. */
  async #protocolFees(): Promise<void> {
    const { client, config, metrics } = this.#c;
    const threshold = parseUnits(config.minProtocolFeeSweep, await this.#assetDecimals());
    for (const [name, address] of Object.entries(client.deployment.addresses.vaults)) {
      const vault = client.vaultContract(address);
      const held = await vault.protocolFeesHeld();
      metrics.gauge("parapet_keeper_vault_protocol_fees", "Protocol fees a vault holds for the treasury (smallest unit)", Number(held), { vault: name });
      if (held < threshold) continue;
      await this.#act(
        "sweepProtocolFees",
        `sweepProtocolFees:${address}`,
        () => vault.sweepProtocolFees.estimateGas(),
        () => client.sweepProtocolFees(address),
      );
    }
  }

  async #assetDecimals(): Promise<number> {
    this.#decimals ??= Number(await new Contract(this.#c.client.deployment.addresses.asset, ERC20, this.#c.wallet.provider!).getFunction("decimals").staticCall());
    return this.#decimals;
  }

  // --------------------------------------------------------------------------------------------- triggers

  async #triggers(products: ProductView[]): Promise<void> {
    const provider = this.#c.wallet.provider!;
    for (const product of products) {
      if (product.trigger === ZeroAddress) continue;
      const reader = new Contract(product.trigger, TRIGGER, provider);
      const [[reason], fired] = (await Promise.all([reader.getFunction("status").staticCall(), reader.getFunction("fired").staticCall()])) as [[bigint], boolean];
      // Upkeep needed: the feed's reading fires the trigger (TriggerBlock.None) and it has not fired yet.
      if (fired || reason !== 0n) continue;
      const trigger = new Contract(product.trigger, TRIGGER, this.#c.wallet);
      await this.#act(
        "fireTrigger",
        `fireTrigger:${product.trigger}`,
        () => trigger.getFunction("fire").estimateGas(),
        () => this.#sendTyped(() => trigger.getFunction("fire").send() as Promise<{ wait(): Promise<ContractTransactionReceipt | null> }>),
      );
    }
  }

  // --------------------------------------------------------------------------------------------- balances

  async #balances(): Promise<void> {
    const { wallet, client, metrics } = this.#c;
    const provider = wallet.provider!;
    const asset = client.deployment.addresses.asset;
    const [eth, bondAsset] = await Promise.all([
      provider.getBalance(wallet.address),
      new Contract(asset, ERC20, provider).getFunction("balanceOf").staticCall(wallet.address) as Promise<bigint>,
    ]);
    metrics.gauge("parapet_keeper_signer_balance_wei", "The keeper signer's native balance (gas)", Number(eth), { signer: wallet.address });
    metrics.gauge("parapet_keeper_signer_asset_balance", "The keeper signer's balance of the bond asset (smallest unit)", Number(bondAsset), {
      signer: wallet.address,
      asset,
    });
  }
}
