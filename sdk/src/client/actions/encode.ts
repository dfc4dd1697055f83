/**
 * Pure calldata builders: each returns the `{ to, data, value }` of one protocol call, for a Safe, a smart account
 * (ERC-4337 user operation), a batched wallet call (EIP-5792) or another library. Nothing is read or sent: amounts
 * are `bigint`s in the asset's smallest unit (parse decimal strings with the core's `parseAmount`), addresses are
 * the deployment's.
 *
 * ```ts
 * const calls = [
 *   encodeApprove(deployment.addresses.asset, deployment.addresses.coverManager, quote.total),
 *   encodeBuyCover(deployment, legsOf(quote, { buyer, deadline })),
 * ];
 * ```
 *
 * @packageDocumentation
 */
import { Interface, ZeroAddress } from "ethers";

import { bpsUp } from "../../core/index.js";
import { INTERFACES } from "../contracts.js";
import type { ParapetDeployment } from "../deployment.js";
import type { CoverQuote } from "../types.js";

/** One call: the target, its calldata and the ether it sends (always 0 for the protocol). */
export type EncodedCall = { to: string; data: string; value: bigint };

/** One `CoverManager.buyCover` order, as the contract takes it. */
export type BuyCoverParams = {
  productId: bigint;
  vault: string;
  amount: bigint;
  period: bigint;
  /** Bound on premium + protocol fee + commission. */
  maxPremium: bigint;
  /** Unix seconds after which the order reverts. */
  deadline: bigint;
  receiver: string;
  commissionBps: bigint;
  commissionRecipient: string;
};

const ERC20 = new Interface(["function approve(address spender, uint256 amount) returns (bool)"]);

const call = (to: string, data: string): EncodedCall => ({ to, data, value: 0n });

/** `asset.approve(spender, amount)`. */
export function encodeApprove(asset: string, spender: string, amount: bigint): EncodedCall {
  return call(asset, ERC20.encodeFunctionData("approve", [spender, amount]));
}

/**
 * The `buyCover` orders of a quote (one per leg): each leg's `maxPremium` is its quoted total plus `slippageBps`
 * (default 50) of it.
 */
export function buyCoverParamsOf(
  quote: CoverQuote,
  options: {
    receiver: string;
    deadline: bigint;
    slippageBps?: bigint;
    commissionBps?: bigint;
    commissionRecipient?: string;
  },
): BuyCoverParams[] {
  const slippageBps = options.slippageBps ?? 50n;
  return quote.legs.map((leg) => ({
    productId: quote.productId,
    vault: leg.vault,
    amount: leg.amount,
    period: quote.period,
    maxPremium: leg.total + bpsUp(leg.total, slippageBps),
    deadline: options.deadline,
    receiver: options.receiver,
    commissionBps: options.commissionBps ?? 0n,
    commissionRecipient: options.commissionRecipient ?? ZeroAddress,
  }));
}

/** `CoverManager.buyCover(order)` for one order, `CoverManager.multicall([buyCover, ...])` (all or none) for several. */
export function encodeBuyCover(deployment: ParapetDeployment, orders: BuyCoverParams | readonly BuyCoverParams[]): EncodedCall {
  const list = Array.isArray(orders) ? (orders as readonly BuyCoverParams[]) : [orders as BuyCoverParams];
  if (list.length === 0) throw new RangeError("encodeBuyCover needs at least one order");
  const encoded = list.map((order) => INTERFACES.coverManager.encodeFunctionData("buyCover", [order]));
  const data = encoded.length === 1 ? encoded[0]! : INTERFACES.coverManager.encodeFunctionData("multicall", [encoded]);
  return call(deployment.addresses.coverManager, data);
}

/** `vault.deposit(assets, receiver)`. */
export function encodeDeposit(vault: string, assets: bigint, receiver: string): EncodedCall {
  return call(vault, INTERFACES.vault.encodeFunctionData("deposit(uint256,address)", [assets, receiver]));
}

/** `vault.requestRedeem(shares, controller, owner)`. */
export function encodeRequestRedeem(vault: string, shares: bigint, controller: string, owner: string): EncodedCall {
  return call(vault, INTERFACES.vault.encodeFunctionData("requestRedeem", [shares, controller, owner]));
}

/** `vault.redeem(shares, receiver, controller)`. */
export function encodeRedeem(vault: string, shares: bigint, receiver: string, controller: string): EncodedCall {
  return call(vault, INTERFACES.vault.encodeFunctionData("redeem(uint256,address,address)", [shares, receiver, controller]));
}

/** `vault.cancelRedeemRequest(controller)`. */
export function encodeCancelRedeemRequest(vault: string, controller: string): EncodedCall {
  return call(vault, INTERFACES.vault.encodeFunctionData("cancelRedeemRequest", [controller]));
}

/** `ClaimAdjudicator.fileClaim(policyId, amount, incidentTime, evidenceURI)` (approve the bond first). */
export function encodeFileClaim(
  deployment: ParapetDeployment,
  claim: { policyId: bigint; amount: bigint; incidentTime: bigint; evidenceURI: string },
): EncodedCall {
  const data = INTERFACES.adjudicator.encodeFunctionData("fileClaim", [
    claim.policyId,
    claim.amount,
    claim.incidentTime,
    claim.evidenceURI,
  ]);
  return call(deployment.addresses.claimAdjudicator, data);
}

/** `ClaimAdjudicator.disputeClaim(claimId)` (approve the equal bond first). */
export function encodeDisputeClaim(deployment: ParapetDeployment, claimId: bigint): EncodedCall {
  return call(deployment.addresses.claimAdjudicator, INTERFACES.adjudicator.encodeFunctionData("disputeClaim", [claimId]));
}

/** `ClaimAdjudicator.settleClaim(claimId)`. */
export function encodeSettleClaim(deployment: ParapetDeployment, claimId: bigint): EncodedCall {
  return call(deployment.addresses.claimAdjudicator, INTERFACES.adjudicator.encodeFunctionData("settleClaim", [claimId]));
}

/** `ClaimAdjudicator.claimIncidentPayout(policyId, incidentId)`. */
export function encodeClaimIncidentPayout(deployment: ParapetDeployment, policyId: bigint, incidentId: bigint): EncodedCall {
  const data = INTERFACES.adjudicator.encodeFunctionData("claimIncidentPayout", [policyId, incidentId]);
  return call(deployment.addresses.claimAdjudicator, data);
}
