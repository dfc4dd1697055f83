/**
 * Incident payouts the account's policies can claim now. Without an indexer this reads the adjudicator's
 * `IncidentReported` logs from the deployment's start block (fine on a local chain; the indexer serves it at scale),
 * keeps the confirmed incidents whose claim window is open, and asks the chain what `claimIncidentPayout` would pay
 * each eligible, unpaid policy (a static call from the account: the exact amount, pro-rata share included).
 */
import { INTERFACES, type IncidentView, type ParapetClient, type PolicyView } from "@parapet/sdk";

export type ClaimablePayout = { policyId: bigint; incident: IncidentView; payout: bigint };

const INCIDENT_REPORTED = INTERFACES.adjudicator.getEvent("IncidentReported")!.topicHash;

/** Ids of every incident reported on the deployment. */
async function incidentIds(parapet: ParapetClient): Promise<bigint[]> {
  const logs = await parapet.provider.getLogs({
    address: parapet.deployment.addresses.claimAdjudicator,
    topics: [INCIDENT_REPORTED],
    fromBlock: parapet.deployment.startBlock,
    toBlock: "latest",
  });
  return logs.map((log) => BigInt(log.topics[1]!));
}

export async function claimablePayouts(parapet: ParapetClient, account: string, policies: PolicyView[]): Promise<ClaimablePayout[]> {
  const open = policies.filter((policy) => policy.remaining > 0n);
  if (open.length === 0) return [];
  const incidents = (await parapet.incidents(await incidentIds(parapet))).filter(
    (incident) => incident.state === "Approved" && incident.timestamp <= incident.claimWindowEnd,
  );
  const adjudicator = parapet.claimAdjudicator;
  const found: ClaimablePayout[] = [];
  for (const incident of incidents) {
    for (const policy of open) {
      const covered = policy.window.coveredFrom <= incident.incidentTime && incident.incidentTime <= policy.window.coveredUntil;
      if (policy.productId !== incident.productId || !covered) continue;
      if (await adjudicator.incidentPaid(incident.id, policy.id)) continue;
      try {
        const payout = await adjudicator.claimIncidentPayout.staticCall(policy.id, incident.id, { from: account });
        if (payout > 0n) found.push({ policyId: policy.id, incident, payout });
      } catch {
        // The contract refuses this pair (locked out at the report, say): nothing to claim.
      }
    }
  }
  return found;
}
