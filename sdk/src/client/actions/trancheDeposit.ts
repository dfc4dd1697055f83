/**
 * A deposit into one tranche over a vault: the asset goes into the vault (`vault.deposit`, priced at its entry
 * price), and the vault shares it mints into the tranche (`tranche.deposit`, priced at the tranche's entry value).
 * A senior deposit the minimum junior ratio would refuse is refused before anything is sent.
 *
 * @packageDocumentation
 */
import { InvalidArgument } from "../../core/index.js";
import { INTERFACES } from "../contracts.js";
import { firstEvent } from "../receipts.js";
import type { ActionResult } from "../types.js";
import type { ActionContext, SendOptions, TrancheName } from "./context.js";

export type TrancheDepositResult = ActionResult & {
  /** The vault deposit (and its approval, if any) that came first. */
  vaultDeposit: ActionResult;
  /** Vault shares minted by the vault deposit, all moved into the tranche. */
  vaultShares: bigint;
  /** Their value at the vault's entry price, credited to the tranche. */
  credit: bigint;
  /** Tranche shares received. */
  shares: bigint;
};

export async function trancheDeposit(
  context: ActionContext,
  vault: string,
  tranche: TrancheName,
  assets: bigint,
  sendOptions: SendOptions = {},
): Promise<TrancheDepositResult> {
  const handles = await context.tranches(vault);
  const token = handles[tranche];
  const tokenAddress = await token.getAddress();
  const account = context.account;
  const [asset, expectedShares, room] = await Promise.all([
    handles.vault.asset(),
    handles.vault.previewDeposit(assets),
    token.maxDeposit(account),
  ]);
  if (expectedShares > room) {
    throw new InvalidArgument(
      "assets",
      room === 0n
        ? `cannot enter the ${tranche} tranche now (the vault is paused, or the junior is below the minimum ratio)`
        : `would bring ${expectedShares} vault shares, above the ${room} the ${tranche} tranche takes now (minimum junior ratio)`,
    );
  }
  const vaultDeposit = await context.withFunds(
    { token: asset, spender: handles.vaultAddress, amount: assets, purpose: "deposit" },
    () => context.send(() => handles.vault.deposit(assets, account), "deposit", sendOptions),
    sendOptions,
  );
  const vaultShares = firstEvent(vaultDeposit.receipt, INTERFACES.vault, handles.vaultAddress, "Deposit").args.shares as bigint;
  const { approval, receipt } = await context.withFunds(
    { token: handles.vaultAddress, spender: tokenAddress, amount: vaultShares, purpose: `${tranche} deposit` },
    () => context.send(() => token.deposit(vaultShares, account), `${tranche} deposit`, sendOptions),
    sendOptions,
  );
  const entered = firstEvent(receipt, INTERFACES.trancheManager, handles.managerAddress, "TrancheEntered");
  const deposited = firstEvent(receipt, INTERFACES.trancheToken, tokenAddress, "Deposit");
  return {
    receipt,
    approval,
    vaultDeposit,
    vaultShares,
    credit: entered.args.credit as bigint,
    shares: deposited.args.shares as bigint,
  };
}
