/**
 * `tranche.redeem(shares, receiver, controller)`: redeems a ripe tranche request at the tranche's exit value, paid in
 * vault shares (default: all `maxRedeem(controller)` allows now, the junior's capped by the minimum junior ratio).
 * With `requestVaultExit`, the vault shares received go straight into a vault redemption request, so the vault's own
 * cooldown starts at once.
 *
 * @packageDocumentation
 */
import { InvalidArgument } from "../../core/index.js";
import { INTERFACES } from "../contracts.js";
import { firstEvent } from "../receipts.js";
import type { ActionResult } from "../types.js";
import type { ActionContext, SendOptions, TrancheName } from "./context.js";

export type TrancheRedeemResult = ActionResult & {
  /** Tranche shares burned. */
  shares: bigint;
  /** The tranche value they took, in the vault's asset at its exit price. */
  value: bigint;
  /** Vault shares received, worth at most `value` at `navBid`. */
  vaultShares: bigint;
  receiver: string;
  /** The vault redemption request made with them, when asked for. */
  vaultRequest?: ActionResult;
};

export async function trancheRedeem(
  context: ActionContext,
  vault: string,
  tranche: TrancheName,
  shares?: bigint,
  options: { controller?: string; receiver?: string; requestVaultExit?: boolean } = {},
  sendOptions: SendOptions = {},
): Promise<TrancheRedeemResult> {
  const handles = await context.tranches(vault);
  const token = handles[tranche];
  const address = await token.getAddress();
  const { account } = context;
  const controller = options.controller ?? account;
  const receiver = options.receiver ?? account;
  if (options.requestVaultExit === true && receiver !== account) {
    throw new InvalidArgument("receiver", "must be the signer to request the vault exit with the shares received");
  }
  const amount = shares ?? (await token.maxRedeem(controller));
  if (amount === 0n) throw new InvalidArgument("shares", `: nothing of ${controller}'s ${tranche} request may be redeemed now`);
  const receipt = await context.send(() => token.redeem(amount, receiver, controller), `${tranche} redeem`, sendOptions);
  const exited = firstEvent(receipt, INTERFACES.trancheManager, handles.managerAddress, "TrancheExited");
  const vaultShares = exited.args.vaultShares as bigint;
  const withdrawn = firstEvent(receipt, INTERFACES.trancheToken, address, "Withdraw");
  const result: TrancheRedeemResult = {
    receipt,
    shares: withdrawn.args.shares as bigint,
    value: exited.args.value as bigint,
    vaultShares,
    receiver,
  };
  if (options.requestVaultExit !== true) return result;
  const request = await context.send(() => handles.vault.requestRedeem(vaultShares, account, account), "requestRedeem", sendOptions);
  return { ...result, vaultRequest: { receipt: request } };
}
