import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { getAddress, id, toBeHex, zeroPadValue } from "ethers";

import {
  AccessManager__factory,
  CommitteeArbiter__factory,
  RulingRecorder__factory,
  type CommitteeArbiter,
  type RulingRecorder,
} from "../../types/ethers-contracts/index.js";
import { RESTRICTED_FUNCTIONS } from "../../deploy/roles.js";
import { DAY, WEEK, ethers } from "./helpers.js";

// Shared by CommitteeArbiter.test.ts and the attack files in attacks/ that moved committee tests out of it.


export const MIN_VOTING_PERIOD = DAY;
export const MAX_VOTING_PERIOD = 30n * DAY;
export const MAX_MEMBERS = 32n;
export const QUORUM = 3n;
export const DISPUTE_KEY = id("claim:1");
export const RESTRICTED = RESTRICTED_FUNCTIONS.CommitteeArbiter.COMMITTEE_ADMIN;

/** A distinct, non-zero address that no signer controls. */
export const filler = (index: number) => getAddress(zeroPadValue(toBeHex(0xc0ffee00 + index), 20));

/**
 * A committee of four (quorum 3, one-week votes) serving a RulingRecorder as its adjudicator, under a fresh
 * AccessManager whose admin is signer 0. The claimant and challenger are the parties of the default case; the
 * newcomer is no member yet; the outsider never gets anything.
 */
export async function deployCommittee() {
  const [admin, m1, m2, m3, m4, claimant, challenger, newcomer, outsider, committeeAdmin] = await ethers.getSigners();
  const members = [m1, m2, m3, m4];
  const accessManager = await new AccessManager__factory(admin).deploy(admin.address);
  const recorder = await new RulingRecorder__factory(admin).deploy();
  const arbiterFactory = new CommitteeArbiter__factory(admin);
  const arbiter = await arbiterFactory.deploy(
    accessManager,
    recorder,
    members.map((member) => member.address),
    QUORUM,
    WEEK,
  );
  await arbiter.waitForDeployment();
  await (await recorder.setArbiter(arbiter)).wait();
  return {
    accessManager,
    recorder,
    arbiter,
    arbiterFactory,
    admin,
    members,
    claimant,
    challenger,
    newcomer,
    outsider,
    committeeAdmin,
  };
}

export type Committee = Awaited<ReturnType<typeof deployCommittee>>;

/** Opens a case through the recorder (the arbiter's adjudicator) and returns its id. */
export async function openCase(
  recorder: RulingRecorder,
  filer: HardhatEthersSigner,
  disputer: HardhatEthersSigner,
  disputeKey = DISPUTE_KEY,
): Promise<bigint> {
  const caseId = await recorder.requestRuling.staticCall(disputeKey, filer.address, disputer.address);
  await (await recorder.requestRuling(disputeKey, filer.address, disputer.address)).wait();
  return caseId;
}

/** Casts one vote per voter, all the same way. */
export async function vote(arbiter: CommitteeArbiter, caseId: bigint, voters: HardhatEthersSigner[], approve: boolean) {
  for (const voter of voters) await (await arbiter.connect(voter).castVote(caseId, approve)).wait();
}

/** The case as `getCase` returns it, as a plain object for deep comparison. */
export async function caseOf(arbiter: CommitteeArbiter, caseId: bigint) {
  const c = await arbiter.getCase(caseId);
  return {
    disputeKey: c.disputeKey,
    filer: c.filer,
    disputer: c.disputer,
    openedAt: c.openedAt,
    deadline: c.deadline,
    approvals: c.approvals,
    rejections: c.rejections,
    resolved: c.resolved,
    quorum: c.quorum,
  };
}

/** Calls each restricted function with arguments that would succeed for an authorized caller. */
export function restrictedCallsOf(c: Committee, caller: HardhatEthersSigner) {
  const managed = c.arbiter.connect(caller);
  return {
    addMember: () => managed.addMember(c.newcomer.address),
    removeMember: () => managed.removeMember(c.members[3].address),
    setQuorum: () => managed.setQuorum(2n),
    setVotingPeriod: () => managed.setVotingPeriod(2n * WEEK),
  } satisfies Record<(typeof RESTRICTED)[number], () => Promise<unknown>>;
}
