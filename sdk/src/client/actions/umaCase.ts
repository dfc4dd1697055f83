/**
 * Disputes that go to UMA's DVM (`UmaArbiter`, one per product chosen by the risk manager): what a dispute escalates
 * with, where the vote stands, and pushing a decided vote along to the adjudicator.
 *
 * A case before the UMA arbiter is an Optimistic Oracle V3 assertion of the claim's statement, disputed at once so the
 * DVM votes. Once the vote is in, anyone settles the assertion on the oracle (`pushUmaCase`); its callback delivers the
 * ruling, and `settleClaim` / `settleIncident` then execute it as for any arbiter.
 *
 * @packageDocumentation
 */
import { Contract, Interface, type ContractRunner, type ContractTransactionReceipt } from "ethers";

import { IUmaArbiter__factory } from "../../typechain/factories/contracts/interfaces/IUmaArbiter__factory.js";
import type { IUmaArbiter } from "../../typechain/contracts/interfaces/IUmaArbiter.js";
import { ParapetError } from "../../core/index.js";
import { firstEvent } from "../receipts.js";
import type { ActionContext, SendOptions } from "./context.js";

export const UMA_ARBITER_INTERFACE = new Interface(IUmaArbiter__factory.abi);
const ORACLE_INTERFACE = new Interface(["function settleAssertion(bytes32 assertionId)"]);

const connectUmaArbiter = (address: string, runner: ContractRunner) =>
  new Contract(address, UMA_ARBITER_INTERFACE, runner) as unknown as IUmaArbiter;

/**
 * Where a UMA case stands:
 * - `AwaitingVote`: the DVM has not answered yet;
 * - `VoteIn`: the DVM answered; the assertion waits for anyone to settle it on the oracle (`pushUmaCase`);
 * - `Delivered`: the ruling reached the adjudicator (`settleClaim` / `settleIncident` executes it);
 * - `Undelivered`: the adjudicator refused the ruling in the oracle's callback; `pushUmaCase` retries it.
 */
export type DvmStatus = "AwaitingVote" | "VoteIn" | "Delivered" | "Undelivered";

/** A dispute before UMA's DVM. */
export type UmaCaseView = {
  arbiter: string;
  caseId: bigint;
  /** The Optimistic Oracle V3 assertion the DVM votes on. */
  assertionId: string;
  optimisticOracle: string;
  dvmStatus: DvmStatus;
  /** The DVM's answer once the vote is in: the claim or incident stands. */
  approved: boolean | undefined;
  /** UMA's bond on each side (the disputer advanced twice it; UMA keeps its final fee and returns the rest). */
  bond: bigint;
  disputer: string;
  escalatedAt: bigint;
  /** When the vote's answer was settled on the oracle (0n before). */
  resolvedAt: bigint;
};

/** Which kind of arbiter decides disputes: UMA's DVM (always rules) or a committee (may stay silent: a draw). */
export type ArbiterKind = "uma" | "committee";

/** Which kind of arbiter `arbiter` is (`IArbiter.alwaysRules`). */
export async function arbiterKind(runner: ContractRunner, arbiter: string): Promise<ArbiterKind> {
  return (await connectUmaArbiter(arbiter, runner).alwaysRules()) ? "uma" : "committee";
}

/** What disputing before the UMA arbiter takes from the disputer on top of the protocol's bond. */
export async function escalationTerms(runner: ContractRunner, arbiter: string): Promise<{ currency: string; deposit: bigint }> {
  const contract = connectUmaArbiter(arbiter, runner);
  const [currency, deposit] = await Promise.all([contract.currency(), contract.escalationDeposit()]);
  return { currency, deposit };
}

/** The UMA case `caseId` of `arbiter`, with the DVM's status (a static settlement tells whether the vote is in). */
export async function readUmaCase(runner: ContractRunner, arbiter: string, caseId: bigint): Promise<UmaCaseView> {
  const contract = connectUmaArbiter(arbiter, runner);
  const [umaCase, optimisticOracle] = await Promise.all([contract.getUmaCase(caseId), contract.optimisticOracle()]);
  const status = Number(umaCase.status);
  let dvmStatus: DvmStatus = status === 3 ? "Delivered" : status === 2 ? "Undelivered" : "AwaitingVote";
  if (dvmStatus === "AwaitingVote" && (await voteIsIn(runner, optimisticOracle, umaCase.assertionId))) dvmStatus = "VoteIn";
  return {
    arbiter,
    caseId,
    assertionId: umaCase.assertionId,
    optimisticOracle,
    dvmStatus,
    approved: status >= 2 ? umaCase.approved : undefined,
    bond: umaCase.bond,
    disputer: umaCase.disputer,
    escalatedAt: umaCase.escalatedAt,
    resolvedAt: umaCase.resolvedAt,
  };
}

async function voteIsIn(runner: ContractRunner, oracle: string, assertionId: string): Promise<boolean> {
  try {
    await new Contract(oracle, ORACLE_INTERFACE, runner).getFunction("settleAssertion").staticCall(assertionId);
    return true;
  } catch {
    return false;
  }
}

/** A UMA case with nothing to push: the DVM has not voted yet, or its ruling was already delivered. */
export class UmaCaseNotReady extends ParapetError {
  readonly caseId: bigint;
  readonly dvmStatus: DvmStatus;

  /**
   * @param caseId - The UMA arbiter's case.
   * @param dvmStatus - Where it stands.
   */
  constructor(caseId: bigint, dvmStatus: DvmStatus) {
    super(`UMA case ${caseId} has nothing to push: ${dvmStatus}`, "UmaCaseNotReady");
    this.caseId = caseId;
    this.dvmStatus = dvmStatus;
  }
}

/** What `pushUmaCase` did. */
export type PushUmaCaseResult = {
  receipt: ContractTransactionReceipt;
  action: "settleAssertion" | "deliverRuling";
  /** The DVM's answer: the claim or incident stands. */
  approved: boolean;
  /**
   * What UMA returned of the escalation deposit (to the disputer), when this call settled the assertion: both bonds
   * less UMA's burn of one, its final fee. `undefined` for a retried delivery (the refund went with the settlement).
   */
  refund: bigint | undefined;
};

/**
 * Moves a UMA case on once the DVM has voted: settles its assertion on the oracle (whose callback delivers the ruling
 * to the adjudicator), or retries a ruling the adjudicator refused. Anyone may call.
 *
 * @throws Error naming the status when there is nothing to push (the vote is not in, or the ruling was delivered).
 */
export async function pushUmaCase(
  context: ActionContext,
  arbiter: string,
  caseId: bigint,
  sendOptions: SendOptions = {},
): Promise<PushUmaCaseResult> {
  const view = await readUmaCase(context.runner, arbiter, caseId);
  const contract = connectUmaArbiter(arbiter, context.runner);
  if (view.dvmStatus === "Undelivered") {
    const receipt = await context.send(() => contract.deliverRuling(caseId), "deliverRuling", sendOptions);
    const { args } = firstEvent(receipt, UMA_ARBITER_INTERFACE, arbiter, "RulingDelivered");
    return { receipt, action: "deliverRuling", approved: args.approved as boolean, refund: undefined };
  }
  if (view.dvmStatus !== "VoteIn") throw new UmaCaseNotReady(caseId, view.dvmStatus);
  const oracle = new Contract(view.optimisticOracle, ORACLE_INTERFACE, context.runner);
  const receipt = await context.send(
    () => oracle.getFunction("settleAssertion")(view.assertionId) as ReturnType<IUmaArbiter["deliverRuling"]>,
    "settleAssertion",
    sendOptions,
  );
  const { args } = firstEvent(receipt, UMA_ARBITER_INTERFACE, arbiter, "DvmResolved");
  return { receipt, action: "settleAssertion", approved: args.approved as boolean, refund: args.refund as bigint };
}
