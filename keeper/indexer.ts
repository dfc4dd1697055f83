/**
 * Finds the keeper's work in the protocol's events, block by block: claims filed (`ClaimFiled`), incidents reported
 * or fired (`IncidentReported`), policies sold (`CoverBought`, for incident payouts). What to do with them is read
 * from the chain's current state at the head (actions.ts), so the index only has to know *which* ids exist.
 */
import { INTERFACES, type ParapetDeployment } from "../sdk/src/index.js";
import type { Block, Log, Provider } from "ethers";

import type { KeeperStore } from "./store.js";

export class EventIndexer {
  readonly #provider: Provider;
  readonly #store: KeeperStore;
  readonly #adjudicator: string;
  readonly #coverManager: string;

  constructor(provider: Provider, store: KeeperStore, deployment: ParapetDeployment) {
    this.#provider = provider;
    this.#store = store;
    this.#adjudicator = deployment.addresses.claimAdjudicator.toLowerCase();
    this.#coverManager = deployment.addresses.coverManager.toLowerCase();
  }

  /** The protocol's logs of exactly this block (by hash, so a reorganised block can never mix in). */
  async read(block: Block): Promise<Log[]> {
    return this.#provider.getLogs({ blockHash: block.hash!, address: [this.#adjudicator, this.#coverManager] });
  }

  /** Stores the work the logs create (inside the block's SQL transaction). */
  apply(logs: Log[], blockNumber: number): void {
    for (const log of logs) {
      const address = log.address.toLowerCase();
      const iface = address === this.#adjudicator ? INTERFACES.adjudicator : address === this.#coverManager ? INTERFACES.coverManager : undefined;
      const parsed = iface?.parseLog(log);
      if (parsed === null || parsed === undefined) continue;
      const { args } = parsed;
      switch (parsed.name) {
        case "ClaimFiled":
          this.#store.addClaim(args.claimId as bigint, args.policyId as bigint, blockNumber);
          break;
        case "IncidentReported":
          this.#store.addIncident(args.incidentId as bigint, args.productId as bigint, blockNumber);
          break;
        case "CoverBought":
          this.#store.addPolicy(
            {
              id: args.policyId as bigint,
              productId: args.productId as bigint,
              vault: args.vault as string,
              start: args.start as bigint,
              end: args.end as bigint,
            },
            blockNumber,
          );
          break;
      }
    }
  }
}
