/**
 * Incremental index of the CoverManager's `CoverBought` and ERC-721 `Transfer` logs, and of the ClaimAdjudicator's
 * `ClaimFiled` and `IncidentReported` logs: the client's default {@link ProtocolEventSource}.
 *
 * The first sync scans from the deployment's start block; every later sync scans only the blocks mined since, so no
 * call ever walks the whole chain history again. The index keeps, per address, every policy ever transferred to it
 * (a superset of what it holds: the current owner always comes from a state read through the Lens), and, per policy,
 * its premium stream (for the vault yield estimate), and the claims of each policy and the incidents of each product.
 * All are idempotent under re-processing, so re-scanning a range
 * (after a reorg, say) never corrupts them.
 *
 * @packageDocumentation
 */
import { id as topicOf, type Log, type Provider } from "ethers";

import { INTERFACES } from "./contracts.js";
import type { ProtocolEventSource, SourcedIds } from "./eventSource.js";

const COVER_MANAGER = INTERFACES.coverManager;
const COVER_BOUGHT = COVER_MANAGER.getEvent("CoverBought")!.topicHash;
const TRANSFER = topicOf("Transfer(address,address,uint256)");
const CLAIM_FILED = INTERFACES.adjudicator.getEvent("ClaimFiled")!.topicHash;
const INCIDENT_REPORTED = INTERFACES.adjudicator.getEvent("IncidentReported")!.topicHash;

/** The contracts whose logs the index reads. */
export type PolicyIndexContracts = { coverManager: string; claimAdjudicator: string };

/** A purchase as `CoverBought` recorded it. */
export type IndexedPurchase = {
  policyId: bigint;
  productId: bigint;
  vault: string;
  buyer: string;
  premium: bigint;
  start: bigint;
  end: bigint;
  blockNumber: number;
};

/** What the index has done so far: lets callers (and tests) check that syncs are incremental. */
export type PolicyIndexStats = {
  /** Last block included in the index, or `startBlock - 1` before the first sync. */
  lastIndexedBlock: number;
  /** Total blocks covered by `eth_getLogs` requests since the client was built. */
  scannedBlocks: number;
  /** Number of `eth_getLogs` requests sent. */
  logRequests: number;
  /** Number of syncs that found new blocks to scan. */
  syncs: number;
};

export type PolicyIndexOptions = {
  /** Widest block range per `eth_getLogs` request (many providers cap it; default 10,000). */
  maxBlockRange?: number;
  /** Blocks behind the head left unindexed, for chains that reorganise (default 0). */
  confirmations?: number;
};

/** Reads the head without the provider's short-lived cache, which could hide a block mined a moment ago. */
async function headBlock(provider: Provider): Promise<number> {
  const send = (provider as { send?: (method: string, params: unknown[]) => Promise<unknown> }).send;
  if (typeof send === "function") return Number(await send.call(provider, "eth_blockNumber", []));
  return provider.getBlockNumber();
}

const ascending = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

function addTo<K>(map: Map<K, Set<bigint>>, key: K, value: bigint): void {
  let set = map.get(key);
  if (set === undefined) map.set(key, (set = new Set()));
  set.add(value);
}

export class PolicyIndex implements ProtocolEventSource {
  readonly kind = "logs";
  readonly #provider: Provider;
  readonly #contracts: PolicyIndexContracts;
  readonly #maxBlockRange: number;
  readonly #confirmations: number;
  readonly #received = new Map<string, Set<bigint>>();
  readonly #purchases = new Map<bigint, IndexedPurchase>();
  readonly #claimsOfPolicy = new Map<bigint, Set<bigint>>();
  readonly #incidentsOfProduct = new Map<bigint, Set<bigint>>();
  readonly #stats: PolicyIndexStats;
  #syncing: Promise<number> | undefined;

  constructor(provider: Provider, contracts: PolicyIndexContracts, startBlock: number, options: PolicyIndexOptions = {}) {
    this.#provider = provider;
    this.#contracts = contracts;
    this.#maxBlockRange = Math.max(1, options.maxBlockRange ?? 10_000);
    this.#confirmations = Math.max(0, options.confirmations ?? 0);
    this.#stats = { lastIndexedBlock: startBlock - 1, scannedBlocks: 0, logRequests: 0, syncs: 0 };
  }

  /** A copy of the counters. */
  get stats(): PolicyIndexStats {
    return { ...this.#stats };
  }

  /**
   * Scans the blocks mined since the last sync (concurrent callers share one scan).
   *
   * @returns The block the index is now complete up to: read state at this block for a consistent view.
   */
  sync(): Promise<number> {
    this.#syncing ??= this.head()
      .then((head) => this.#sync(head))
      .finally(() => {
        this.#syncing = undefined;
      });
    return this.#syncing;
  }

  /**
   * Scans up to `head` (a block from {@link head}), so that a caller can read state at `head` in parallel: ethers
   * batches the `eth_getLogs` and the `eth_call` into one HTTP request.
   */
  async syncTo(head: number): Promise<number> {
    while (this.#syncing !== undefined) await this.#syncing.catch(() => undefined);
    if (head <= this.#stats.lastIndexedBlock) return this.#stats.lastIndexedBlock;
    this.#syncing = this.#sync(head).finally(() => {
      this.#syncing = undefined;
    });
    return this.#syncing;
  }

  /** The block the next sync would index up to: the chain head minus the confirmations. */
  async head(): Promise<number> {
    return (await headBlock(this.#provider)) - this.#confirmations;
  }

  /** Ids of every policy ever transferred (or minted) to `owner`: a superset of those it holds now. */
  candidatesOf(owner: string): bigint[] {
    return [...(this.#received.get(owner.toLowerCase()) ?? [])].sort(ascending);
  }

  /** {@link candidatesOf} after a sync. */
  async policyCandidatesOf(owner: string): Promise<SourcedIds> {
    const block = await this.sync();
    return { block, ids: this.candidatesOf(owner) };
  }

  /** Ids of the claims indexed so far on `policyIds`, ascending. */
  claimIdsOf(policyIds: readonly bigint[]): Promise<bigint[]> {
    const ids = policyIds.flatMap((policyId) => [...(this.#claimsOfPolicy.get(policyId) ?? [])]);
    return Promise.resolve(ids.sort(ascending));
  }

  /** Ids of the incidents on `productIds` (any product when omitted) after a sync, ascending. */
  async incidentIdsOf(productIds?: readonly bigint[]): Promise<SourcedIds> {
    const block = await this.sync();
    const products = productIds ?? [...this.#incidentsOfProduct.keys()];
    const ids = products.flatMap((productId) => [...(this.#incidentsOfProduct.get(productId) ?? [])]);
    return { block, ids: ids.sort(ascending) };
  }

  /** Every purchase indexed so far backed by `vault`. */
  purchasesOf(vault: string): IndexedPurchase[] {
    const key = vault.toLowerCase();
    return [...this.#purchases.values()].filter((purchase) => purchase.vault.toLowerCase() === key);
  }

  async #sync(head: number): Promise<number> {
    const from = this.#stats.lastIndexedBlock + 1;
    if (head < from) return this.#stats.lastIndexedBlock;
    for (let start = from; start <= head; start += this.#maxBlockRange) {
      const end = Math.min(head, start + this.#maxBlockRange - 1);
      const logs = await this.#provider.getLogs({
        address: [this.#contracts.coverManager, this.#contracts.claimAdjudicator],
        topics: [[COVER_BOUGHT, TRANSFER, CLAIM_FILED, INCIDENT_REPORTED]],
        fromBlock: start,
        toBlock: end,
      });
      this.#stats.logRequests += 1;
      this.#stats.scannedBlocks += end - start + 1;
      for (const log of logs) this.#apply(log);
      this.#stats.lastIndexedBlock = end;
    }
    this.#stats.syncs += 1;
    return head;
  }

  #apply(log: Log): void {
    const from = log.address.toLowerCase();
    if (from === this.#contracts.claimAdjudicator.toLowerCase()) {
      // Both events index their own id, then the policy (a claim's) or the product (an incident's).
      if (log.topics.length < 3) return;
      const [id, parent] = [BigInt(log.topics[1]), BigInt(log.topics[2])];
      if (log.topics[0] === CLAIM_FILED) addTo(this.#claimsOfPolicy, parent, id);
      else if (log.topics[0] === INCIDENT_REPORTED) addTo(this.#incidentsOfProduct, parent, id);
      return;
    }
    if (log.topics[0] === TRANSFER && log.topics.length === 4) {
      addTo(this.#received, `0x${log.topics[2].slice(26)}`.toLowerCase(), BigInt(log.topics[3]));
    } else if (log.topics[0] === COVER_BOUGHT) {
      const parsed = COVER_MANAGER.parseLog(log);
      if (parsed === null) return;
      const args = parsed.args;
      this.#purchases.set(args.policyId as bigint, {
        policyId: args.policyId as bigint,
        productId: args.productId as bigint,
        vault: args.vault as string,
        buyer: args.buyer as string,
        premium: args.premium as bigint,
        start: args.start as bigint,
        end: args.end as bigint,
        blockNumber: log.blockNumber,
      });
    }
  }
}
