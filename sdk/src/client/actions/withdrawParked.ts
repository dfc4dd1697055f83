/**
 * `ClaimAdjudicator.withdrawParked(token, to)`: bonds and refunds in `token` that the token refused to deliver to the
 * signer wait in the adjudicator; this sends all of them to `to`.
 *
 * @packageDocumentation
 */
import { getAddress } from "ethers";

import { INTERFACES } from "../contracts.js";
import { firstEvent } from "../receipts.js";
import type { ActionContext, SendOptions } from "./context.js";
import type { WithdrawParkedResult } from "./withdrawParkedPayout.js";

export async function withdrawParked(
  context: ActionContext,
  token: string,
  to: string,
  sendOptions: SendOptions = {},
): Promise<WithdrawParkedResult> {
  const adjudicator = context.adjudicator;
  const receiver = getAddress(to);
  const receipt = await context.send(() => adjudicator.withdrawParked(getAddress(token), receiver), "withdrawParked", sendOptions);
  const { args } = firstEvent(receipt, INTERFACES.adjudicator, context.deployment.addresses.claimAdjudicator, "ParkedWithdrawn");
  return { receipt, amount: args.amount as bigint, to: args.to as string };
}
