/**
 * Incremental index of the CoverManager's `CoverBought` and ERC-721 `Transfer` logs.
 *
 * The first sync scans from the deployment's start block; every later sync scans only the blocks mined since, so no
 * call ever walks the whole chain history again. The index keeps, per address, every policy ever transferred to it
 * (a superset of what it holds: the current owner always comes from a state read through the Lens), and, per policy,
 * its premium stream (for the vault yield estimate). Both are idempotent under re-processing, so re-scanning a range
 * (after a reorg, say) never corrupts them.
 *
 * @packageDocumentation
 */
import { id as topicOf, type Log, type Provider } from "ethers";

import { INTERFACES } from "./contracts.js";

const COVER_MANAGER = INTERFACES.coverManager;
const COVER_BOUGHT = COVER_MANAGER.getEvent("CoverBought")!.topicHash;
const TRANSFER = topicOf("Transfer(address,address,uint256)");

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

export class PolicyIndex {
  readonly #provider: Provider;
  readonly #coverManager: string;
  readonly #maxBlockRange: number;
  readonly #confirmations: number;
  readonly #received = new Map<string, Set<bigint>>();
  readonly #purchases = new Map<bigint, IndexedPurchase>();
  readonly #stats: PolicyIndexStats;
  #syncing: Promise<number> | undefined;

  constructor(provider: Provider, coverManager: string, startBlock: number, options: PolicyIndexOptions = {}) {
    this.#provider = provider;
    this.#coverManager = coverManager;
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
    return [...(this.#received.get(owner.toLowerCase()) ?? [])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
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
        address: this.#coverManager,
        topics: [[COVER_BOUGHT, TRANSFER]],
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
    if (log.topics[0] === TRANSFER && log.topics.length === 4) {
      const to = `0x${log.topics[2].slice(26)}`.toLowerCase();
      const policyId = BigInt(log.topics[3]);
      let set = this.#received.get(to);
      if (set === undefined) this.#received.set(to, (set = new Set()));
      set.add(policyId);
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
