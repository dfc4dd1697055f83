/**
 * Follows the chain over JSON-RPC: polls the head, processes every block after the store's cursor in order (none
 * skipped, none twice), and detects reorganisations by hash: when a new block's parent is not the block stored at
 * the cursor, it walks back up to `reorgDepth` blocks to the last block both agree on and rewinds the store there.
 */
import type { Block, Provider } from "ethers";

import type { Logger } from "./log.js";
import type { KeeperStore } from "./store.js";

export class ReorgTooDeep extends Error {}

export interface FollowerOptions {
  /** The first block to process on an empty store (the deployment's start block). */
  startBlock: number;
  reorgDepth: number;
  /** Processes one block; must store it with `store.addBlock` in the same SQL transaction as what it learnt. */
  onBlock: (block: Block) => Promise<void>;
  /** Runs once the cursor is at the head: the actions that are due now. */
  onHead: (head: Block, behind: number) => Promise<void>;
}

export class BlockFollower {
  readonly #provider: Provider;
  readonly #store: KeeperStore;
  readonly #log: Logger;
  readonly #options: FollowerOptions;

  constructor(provider: Provider, store: KeeperStore, log: Logger, options: FollowerOptions) {
    this.#provider = provider;
    this.#store = store;
    this.#log = log;
    this.#options = options;
  }

  async #block(number: number): Promise<Block | null> {
    return this.#provider.getBlock(number);
  }

  /** One pass: catch up to the head (at most `maxBlocks` blocks), then, at the head, the due actions. */
  async step(maxBlocks = 200): Promise<void> {
    let head = await this.#provider.getBlockNumber();
    let cursor = this.#store.cursor();
    // The block at the cursor may itself have been replaced (or the chain may have shrunk below it).
    if (cursor !== undefined) {
      const current = cursor.number <= head ? await this.#block(cursor.number) : null;
      if (current?.hash !== cursor.hash) {
        await this.#rewind(cursor.number);
        cursor = this.#store.cursor();
      }
    }
    let next = cursor === undefined ? this.#options.startBlock : cursor.number + 1;
    for (let processed = 0; next <= head && processed < maxBlocks; processed++) {
      const block = await this.#block(next);
      if (block === null) break; // the node has not served it yet
      if (cursor !== undefined && block.parentHash !== cursor.hash) {
        await this.#rewind(cursor.number);
        cursor = this.#store.cursor();
        next = cursor === undefined ? this.#options.startBlock : cursor.number + 1;
        continue;
      }
      await this.#options.onBlock(block);
      cursor = { number: block.number, hash: block.hash!, timestamp: block.timestamp };
      next = block.number + 1;
    }
    head = Math.max(head, cursor?.number ?? 0);
    const behind = cursor === undefined ? head : head - cursor.number;
    if (behind === 0 && cursor !== undefined) {
      const headBlock = await this.#block(cursor.number);
      // A reorg between the last block and now: the next pass rewinds first.
      if (headBlock !== null && headBlock.hash === cursor.hash) await this.#options.onHead(headBlock, 0);
    }
  }

  /** Walks back from `from` to the newest block whose stored hash the chain still has, and rewinds to it. */
  async #rewind(from: number): Promise<void> {
    const floor = Math.max(this.#options.startBlock - 1, from - this.#options.reorgDepth);
    for (let number = from - 1; number >= floor; number--) {
      const stored = this.#store.blockHash(number);
      const onChain = number >= this.#options.startBlock ? await this.#block(number) : null;
      if (stored === undefined || onChain?.hash === stored || number < this.#options.startBlock) {
        this.#log.warn("chain reorganisation: rewinding", { from, to: number, depth: from - number });
        this.#store.rewindTo(number);
        return;
      }
    }
    throw new ReorgTooDeep(
      `the chain replaced more than ${this.#options.reorgDepth} blocks below block ${from}: restart with a larger reorgDepth or a fresh --db`,
    );
  }
}
