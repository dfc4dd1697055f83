/**
 * `tranche.requestRedeem(shares, controller, owner)`: moves tranche shares into escrow; they keep bearing losses and
 * earning premium, and become redeemable after the vault's cooldown, for 7 days.
 *
 * @packageDocumentation
 */
import { INTERFACES } from "../contracts.js";
import { firstEvent } from "../receipts.js";
import type { RequestRedeemResult } from "../types.js";
import type { ActionContext, SendOptions, TrancheName } from "./context.js";

export async function trancheRequestRedeem(
  context: ActionContext,
  vault: string,
  tranche: TrancheName,
  shares: bigint,
  options: { controller?: string; owner?: string } = {},
  sendOptions: SendOptions = {},
): Promise<RequestRedeemResult> {
  const token = (await context.tranches(vault))[tranche];
  const address = await token.getAddress();
  const { account } = context;
  const receipt = await context.send(
    () => token.requestRedeem(shares, options.controller ?? account, options.owner ?? account),
    `${tranche} requestRedeem`,
    sendOptions,
  );
  const { args } = firstEvent(receipt, INTERFACES.trancheToken, address, "RedeemRequest");
  return { receipt, requestId: args.requestId as bigint, controller: args.controller as string, shares: args.shares as bigint };
}
