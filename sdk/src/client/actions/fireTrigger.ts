/**
 * `PriceFeedTrigger.fire()`: confirms a parametric product's incident at once when the trigger's feed reading
 * allows it (below the threshold, fresh, sequencer up, newer than the trigger). Anyone may call. The trigger is
 * one-shot: firing disarms it, and the product sells no cover until a fresh trigger is armed.
 *
 * @packageDocumentation
 */
import { Contract, Interface } from "ethers";

import { INTERFACES } from "../contracts.js";
import { eventsOf, firstEvent } from "../receipts.js";
import type { ActionResult } from "../types.js";
import type { ActionContext, SendOptions } from "./context.js";

/** The trigger's functions the client uses (the SDK carries no trigger bindings: one call, one event). */
export const TRIGGER_INTERFACE = new Interface([
  "function fire() returns (uint256 incidentId)",
  "function fired() view returns (bool)",
  "event TriggerFired(uint256 indexed productId, uint256 indexed incidentId, uint80 roundId, int256 answer, uint256 updatedAt)",
]);

export type FireTriggerResult = ActionResult & {
  incidentId: bigint;
  /** The feed round and answer it fired on. */
  roundId: bigint;
  answer: bigint;
  /** The incident's reserve at confirmation, per backing vault (`IncidentReserved`). */
  reserves: Array<{ vault: string; needed: bigint; reserved: bigint }>;
};

export async function fireTrigger(
  context: ActionContext,
  trigger: string,
  sendOptions: SendOptions = {},
): Promise<FireTriggerResult> {
  const contract = new Contract(trigger, TRIGGER_INTERFACE, context.runner);
  const receipt = await context.send(() => contract.getFunction("fire")(), "fireTrigger", sendOptions);
  const { args } = firstEvent(receipt, TRIGGER_INTERFACE, trigger, "TriggerFired");
  const adjudicator = context.deployment.addresses.claimAdjudicator;
  return {
    receipt,
    incidentId: args.incidentId as bigint,
    roundId: args.roundId as bigint,
    answer: args.answer as bigint,
    reserves: eventsOf(receipt, INTERFACES.adjudicator, adjudicator, "IncidentReserved").map((event) => ({
      vault: event.args.vault as string,
      needed: event.args.needed as bigint,
      reserved: event.args.reserved as bigint,
    })),
  };
}
