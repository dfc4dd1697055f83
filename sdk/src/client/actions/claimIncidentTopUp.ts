/**
 * `ClaimAdjudicator.claimIncidentTopUp(policyId, incidentId)`: a policy an incident paid short (the vault could not
 * pay every eligible policy in full) gets its share of the leftover reserve, once the claim window has closed and
 * until the top-up window (as long again) closes. Anyone may call; the top-up goes to the policy's current owner.
 *
 * @packageDocumentation
 */
import { INTERFACES } from "../contracts.js";
import { firstEvent, payoutDelivery, type PayoutDelivery } from "../receipts.js";
import type { ActionResult } from "../types.js";
import type { ActionContext, SendOptions } from "./context.js";

export type IncidentTopUpResult = ActionResult & {
  topUp: bigint;
  receiver: string;
  /** What of `topUp` the vault's circuit breaker queued or the token refused. */
  delivery: PayoutDelivery;
};

export async function claimIncidentTopUp(
  context: ActionContext,
  policyId: bigint,
  incidentId: bigint,
  sendOptions: SendOptions = {},
): Promise<IncidentTopUpResult> {
  const adjudicator = context.adjudicator;
  const receipt = await context.send(() => adjudicator.claimIncidentTopUp(policyId, incidentId), "claimIncidentTopUp", sendOptions);
  const { args } = firstEvent(receipt, INTERFACES.adjudicator, context.deployment.addresses.claimAdjudicator, "IncidentTopUpClaimed");
  const receiver = args.receiver as string;
  return { receipt, topUp: args.amount as bigint, receiver, delivery: payoutDelivery(receipt, receiver) };
}
