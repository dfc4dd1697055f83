/**
 * `vault.sweepProtocolFees()`: sends what a vault holds beyond its books (the protocol fees its sales paid in with
 * their premiums, and any tokens sent to it unasked) to the CoverManager's treasury. Anyone may send it; the treasury
 * receives, whoever signs.
 *
 * @packageDocumentation
 */
import { INTERFACES } from "../contracts.js";
import { firstEvent } from "../receipts.js";
import type { ActionResult } from "../types.js";
import type { ActionContext, SendOptions } from "./context.js";

export type SweepProtocolFeesResult = ActionResult & { amount: bigint; treasury: string };

export async function sweepProtocolFees(
  context: ActionContext,
  vault: string,
  sendOptions: SendOptions = {},
): Promise<SweepProtocolFeesResult> {
  const contract = context.vault(vault);
  const address = await contract.getAddress();
  const receipt = await context.send(() => contract.sweepProtocolFees(), "sweepProtocolFees", sendOptions);
  const { args } = firstEvent(receipt, INTERFACES.vault, address, "ProtocolFeesSwept");
  return { receipt, amount: args.amount as bigint, treasury: args.treasury as string };
}
