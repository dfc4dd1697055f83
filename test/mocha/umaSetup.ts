import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { ContractTransactionReceipt } from "ethers";

import type { UmaArbiter } from "../../types/ethers-contracts/index.js";

import { SEED_UMA } from "../../deploy/seed.js";
import { ethers } from "./helpers.js";
import { WAD, withCover, type Setup } from "./claimsSetup.js";

// Shared by UmaArbiter.test.ts and attacks/umaEscalation.test.ts: the lending product's disputes go to UMA's DVM.

/** UMA's minimum bond with the seed final fee: the final fee over Optimistic Oracle V3's 50% burn. */
export const UMA_BOND = 2n * SEED_UMA.finalFee;
/** What a disputer approves to the UMA arbiter: both sides of the assertion. */
export const UMA_DEPOSIT = 2n * UMA_BOND;
/** What UMA keeps of the deposit (its burn of one bond, which is the final fee) and what it returns. */
export const UMA_BURN = SEED_UMA.finalFee;
export const UMA_REFUND = UMA_DEPOSIT - UMA_BURN;
/** `ASSERT_TRUTH` answers: 1e18 upholds the assertion (the claim stands), 0 rejects it. */
export const DVM_TRUE = WAD;
export const DVM_FALSE = 0n;

/** `UmaCaseStatus` as the contract numbers it. */
export const UmaStatus = { None: 0n, AwaitingDvm: 1n, Undelivered: 2n, Delivered: 3n } as const;

/** `withCover`, with the lending product's disputes sent to the UMA arbiter by the risk manager. */
export async function withUmaCover() {
  const s = await withCover();
  await (await s.adj.connect(s.accounts.riskManager).setProductArbiter(s.productIds.lending, s.umaArbiter)).wait();
  return { ...s, store: s.uma.store, oracle: s.uma.optimisticOracle, dvm: s.uma.mockOracle };
}

export type UmaSetup = Awaited<ReturnType<typeof withUmaCover>>;

/** The UMA case an escalation opened, read from its receipt: the arbiter's case and the DVM's price request. */
export function escalationOf(s: Setup, receipt: ContractTransactionReceipt, arbiter: UmaArbiter = s.umaArbiter) {
  let escalated: { caseId: bigint; assertionId: string; bond: bigint } | undefined;
  let requestId: string | undefined;
  for (const log of receipt.logs) {
    const fromArbiter = arbiter.interface.parseLog(log);
    if (fromArbiter?.name === "CaseEscalated") {
      escalated = {
        caseId: fromArbiter.args.caseId as bigint,
        assertionId: fromArbiter.args.assertionId as string,
        bond: fromArbiter.args.bond as bigint,
      };
    }
    const fromDvm = s.uma.mockOracle.interface.parseLog(log);
    if (fromDvm?.name === "PriceRequestAdded") requestId = fromDvm.args.requestId as string;
  }
  if (escalated === undefined || requestId === undefined) throw new Error("the transaction escalated nothing to UMA");
  return { ...escalated, requestId };
}

/** Disputes claim `claimId` (it goes to UMA) and returns the escalation. */
export async function disputeToUma(s: Setup, disputer: HardhatEthersSigner, claimId: bigint) {
  const receipt = (await (await s.adj.connect(disputer).disputeClaim(claimId)).wait())!;
  return escalationOf(s, receipt);
}

/** The DVM votes (the mock oracle's price stands in for the token holders' vote); anyone then settles the assertion. */
export async function dvmVotes(s: Setup, escalation: { requestId: string; assertionId: string }, approve: boolean) {
  await (await s.uma.mockOracle.pushPriceByRequestId(escalation.requestId, approve ? DVM_TRUE : DVM_FALSE)).wait();
  return s.uma.optimisticOracle.connect(s.accounts.outsider).settleAssertion(escalation.assertionId);
}

/** The UMA Store's balance of the bond currency (UMA's burns land there). */
export async function storeBalance(s: Setup) {
  return s.asset.balanceOf(await s.uma.store.getAddress());
}

export { ethers };
