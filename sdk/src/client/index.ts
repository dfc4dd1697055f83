/**
 * The Parapet chain client (ethers v6): `ParapetClient`, deployments, typed revert handling. Browser-safe; the
 * Node-only file helpers live in `./node.ts`.
 *
 * @packageDocumentation
 */
export type { ActionContext, SendOptions, SentTransaction, TrancheHandles, TrancheName } from "./actions/context.js";
export type { IncidentTopUpResult } from "./actions/claimIncidentTopUp.js";
export type { FireTriggerResult } from "./actions/fireTrigger.js";
export type { ReleaseIncidentReserveResult } from "./actions/releaseIncidentReserve.js";
export type { WithdrawParkedResult } from "./actions/withdrawParkedPayout.js";
export type { SweepProtocolFeesResult } from "./actions/sweepProtocolFees.js";
export type { TrancheDepositResult } from "./actions/trancheDeposit.js";
export type { TrancheRedeemResult } from "./actions/trancheRedeem.js";
export type { TrancheView, TranchesView } from "./actions/readTranches.js";
export { UmaCaseNotReady, type ArbiterKind, type DvmStatus, type PushUmaCaseResult, type UmaCaseView } from "./actions/umaCase.js";
export * from "./actions/encode.js";
export * from "./contracts.js";
export * from "./deployment.js";
export * from "./errors.js";
export * from "./eventSource.js";
export * from "./funds.js";
export * from "./indexerSource.js";
export * from "./ParapetClient.js";
export * from "./policyIndex.js";
export * from "./receipts.js";
export * from "./types.js";
export * from "./verify.js";
