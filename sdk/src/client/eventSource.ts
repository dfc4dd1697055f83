/**
 * Where the client finds which policies, claims and incidents exist: the in-memory index of the chain's logs
 * (`PolicyIndex`, the default) or a Parapet indexer (`IndexerSource`, with `ParapetClient.connect(..., { indexer })`).
 *
 * A source only answers "which ids"; the client reads their state through the Lens at the block the source is
 * complete up to, so both sources give identical results for the same chain.
 *
 * @packageDocumentation
 */

/** Ids with the block the answer is complete up to. */
export type SourcedIds = {
  /** Read state at this block for a view consistent with the ids. */
  block: number;
  ids: bigint[];
};

export interface ProtocolEventSource {
  /** `"logs"` (the client's own log index) or `"indexer"`. */
  readonly kind: "logs" | "indexer";
  /** Ids of the policies `owner` may hold (a superset is allowed: the client checks the holder on chain). */
  policyCandidatesOf(owner: string): Promise<SourcedIds>;
  /** Ids of every claim filed on `policyIds`, ascending. */
  claimIdsOf(policyIds: readonly bigint[]): Promise<bigint[]>;
  /** Ids of every incident reported on `productIds` (on any product when omitted), ascending. */
  incidentIdsOf(productIds?: readonly bigint[]): Promise<SourcedIds>;
}
