/**
 * `CoverManager.withdrawParked(token, to)`: a sale's frontend commission in `token` that the token refused to deliver
 * to the signer (a blocklisted frontend, say) waits in the CoverManager; this sends all of it to `to`. (Protocol fees
 * wait in the vaults instead: see `sweepProtocolFees`.)
 *
 * @packageDocumentation
 */
import { getAddress } from "ethers";

import { INTERFACES } from "../contracts.js";
import { firstEvent } from "../receipts.js";
import type { ActionContext, SendOptions } from "./context.js";
import type { WithdrawParkedResult } from "./withdrawParkedPayout.js";

export async function withdrawParkedSalePayments(
  context: ActionContext,
  token: string,
  to: string,
  sendOptions: SendOptions = {},
): Promise<WithdrawParkedResult> {
  const coverManager = context.coverManager;
  const receiver = getAddress(to);
  const receipt = await context.send(
    () => coverManager.withdrawParked(getAddress(token), receiver),
    "withdrawParkedSalePayments",
    sendOptions,
  );
  const address = context.deployment.addresses.coverManager;
  const { args } = firstEvent(receipt, INTERFACES.coverManager, address, "ParkedWithdrawn");
  return { receipt, amount: args.amount as bigint, to: args.to as string };
}
