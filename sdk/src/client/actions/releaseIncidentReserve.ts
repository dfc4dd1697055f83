/**
 * `ClaimAdjudicator.releaseIncidentReserve(incidentId)`: once an incident's claim window closes, returns to each
 * backing vault what its reserve holds beyond what the policies are owed (opening top-ups for those paid short);
 * once the top-up window closes, the rest. Anyone may call.
 *
 * @packageDocumentation
 */
import { INTERFACES } from "../contracts.js";
import { eventsOf } from "../receipts.js";
import type { ActionResult } from "../types.js";
import type { ActionContext, SendOptions } from "./context.js";

export type ReleaseIncidentReserveResult = ActionResult & {
  /** Per vault, what returned to its underwriters. */
  released: Array<{ vault: string; amount: bigint }>;
  /** Per vault, the top-up pool opened for the policies paid short, and the share of its shortfall each gets (WAD). */
  topUps: Array<{ vault: string; pool: bigint; topUpWad: bigint }>;
};

export async function releaseIncidentReserve(
  context: ActionContext,
  incidentId: bigint,
  sendOptions: SendOptions = {},
): Promise<ReleaseIncidentReserveResult> {
  const adjudicator = context.adjudicator;
  const address = context.deployment.addresses.claimAdjudicator;
  const receipt = await context.send(() => adjudicator.releaseIncidentReserve(incidentId), "releaseIncidentReserve", sendOptions);
  return {
    receipt,
    released: eventsOf(receipt, INTERFACES.adjudicator, address, "IncidentReserveReleased").map(({ args }) => ({
      vault: args.vault as string,
      amount: args.amount as bigint,
    })),
    topUps: eventsOf(receipt, INTERFACES.adjudicator, address, "IncidentTopUpOpened").map(({ args }) => ({
      vault: args.vault as string,
      pool: args.pool as bigint,
      topUpWad: args.topUpWad as bigint,
    })),
  };
}
