/**
 * What an action needs from the client: the deployment, the signer, typed contract handles, and `send` (which reports
 * each transaction to the `onSent` callbacks and turns a revert into its typed error). Each action of this folder is
 * a function of this context, one per file; `ParapetClient` exposes them as methods.
 *
 * @packageDocumentation
 */
import type { ContractRunner, ContractTransactionReceipt, ContractTransactionResponse } from "ethers";

import type {
  AdjudicatorHandle,
  CoverManagerHandle,
  TrancheManagerHandle,
  TrancheTokenHandle,
  VaultHandle,
} from "../contracts.js";
import type { ParapetDeployment } from "../deployment.js";

/** Per-call options of the actions that send transactions. */
export type SendOptions = {
  /** Called as soon as each transaction of this call is sent (the approval, if any, then the action). */
  onSent?: (transaction: SentTransaction) => void;
};

/** A transaction just sent: its hash at once, and a way to wait for it. */
export type SentTransaction = {
  /** What it does: `"approve"` or the action's name (`"buyCover"`, `"deposit"`, ...). */
  action: string;
  hash: string;
  /** Resolves with the receipt once mined (a revert becomes its typed error). */
  wait(): Promise<ContractTransactionReceipt>;
};

/** The junior/senior tranches over one vault. */
export type TrancheHandles = {
  vault: VaultHandle;
  vaultAddress: string;
  manager: TrancheManagerHandle;
  managerAddress: string;
  junior: TrancheTokenHandle;
  senior: TrancheTokenHandle;
};

/** Which tranche: the junior takes losses first, the senior only once the junior is worth nothing. */
export type TrancheName = "junior" | "senior";

export type ActionContext = {
  deployment: ParapetDeployment;
  /** The signer's address. */
  account: string;
  /** The signer, as the runner of contracts an action builds itself (a trigger, a token). */
  runner: ContractRunner;
  adjudicator: AdjudicatorHandle;
  coverManager: CoverManagerHandle;
  /** A vault by address or deployment name. */
  vault(vault: string): VaultHandle;
  /** The tranches over a vault (by deployment name or address), from the deployment's `tranches`. */
  tranches(vault: string): Promise<TrancheHandles>;
  /**
   * Checks the signer holds `amount` of `token`, approves `spender` if the allowance is short, then sends `action`
   * (an approval left by a failed action is reset).
   */
  withFunds(
    funds: { token: string; spender: string; amount: bigint; purpose: string },
    action: () => Promise<ContractTransactionReceipt>,
    sendOptions?: SendOptions,
  ): Promise<{ approval: ContractTransactionReceipt | undefined; receipt: ContractTransactionReceipt }>;
  send(
    send: () => Promise<ContractTransactionResponse>,
    action: string,
    sendOptions?: SendOptions,
  ): Promise<ContractTransactionReceipt>;
};
