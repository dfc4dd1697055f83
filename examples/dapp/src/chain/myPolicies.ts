/**
 * Where "my policies" come from: the indexer when `VITE_PARAPET_INDEXER_URL` is set, else the SDK's incremental log
 * index (`ParapetClient.policiesOf`: `CoverBought` and `Transfer` logs from the deployment's start block, then only
 * new blocks). Either way the policies' current state is read from the chain through the Lens.
 */
import type { ParapetClient, PolicyView } from "@parapet/sdk";

export type PolicySource = {
  /** Shown on the page, so the reader knows where the list came from. */
  label: string;
  policiesOf(owner: string): Promise<PolicyView[]>;
};

export function policySource(parapet: ParapetClient): PolicySource {
  return {
    label: `SDK log index (from block ${parapet.deployment.startBlock})`,
    policiesOf: (owner) => parapet.policiesOf(owner),
  };
}
