/**
 * `vault.withdrawParkedPayout(to)`: a claim payout the token refused to deliver to the signer (a blocklisted
 * address, say) waits in the vault as the signer's parked balance; this sends all of it to `to`.
 *
 * @packageDocumentation
 */
import { getAddress } from "ethers";

import { INTERFACES } from "../contracts.js";
import { firstEvent } from "../receipts.js";
import type { ActionResult } from "../types.js";
import type { ActionContext, SendOptions } from "./context.js";

export type WithdrawParkedResult = ActionResult & { amount: bigint; to: string };

export async function withdrawParkedPayout(
  context: ActionContext,
  vault: string,
  to: string,
  sendOptions: SendOptions = {},
): Promise<WithdrawParkedResult> {
  const contract = context.vault(vault);
  const address = await contract.getAddress();
  const receiver = getAddress(to);
  const receipt = await context.send(() => contract.withdrawParkedPayout(receiver), "withdrawParkedPayout", sendOptions);
  const { args } = firstEvent(receipt, INTERFACES.vault, address, "ParkedPayoutWithdrawn");
  return { receipt, amount: args.amount as bigint, to: args.to as string };
}
