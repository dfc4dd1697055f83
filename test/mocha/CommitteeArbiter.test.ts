import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { id, ZeroAddress } from "ethers";

import type { CommitteeArbiter, RulingRecorder } from "../../types/ethers-contracts/index.js";
import { ROLES } from "../../deploy/roles.js";
import { WEEK, connection, networkHelpers, time } from "./helpers.js";
import {
  caseOf,
  type Committee,
  deployCommittee,
  DISPUTE_KEY,
  filler,
  MAX_MEMBERS,
  MAX_VOTING_PERIOD,
  MIN_VOTING_PERIOD,
  openCase,
  QUORUM,
  RESTRICTED,
  restrictedCallsOf,
  vote,
} from "./committeeSetup.js";

describe("CommitteeArbiter", () => {
  let c: Committee;
  let arbiter: CommitteeArbiter;
  let recorder: RulingRecorder;

  beforeEach(async () => {
    c = await networkHelpers.loadFixture(deployCommittee);
    ({ arbiter, recorder } = c);
  });

  describe("deployment", () => {
    it("stores the adjudicator, members, quorum and voting period, announcing each", async () => {
      expect(await arbiter.adjudicator()).to.equal(await recorder.getAddress());
      expect(await arbiter.members()).to.deep.equal(c.members.map((member) => member.address));
      for (const member of c.members) expect(await arbiter.isMember(member.address)).to.equal(true);
      expect(await arbiter.isMember(c.outsider.address)).to.equal(false);
      expect(await arbiter.quorum()).to.equal(QUORUM);
      expect(await arbiter.votingPeriod()).to.equal(WEEK);
      expect(await arbiter.caseCount()).to.equal(0n);
      expect(await arbiter.MIN_VOTING_PERIOD()).to.equal(MIN_VOTING_PERIOD);
      expect(await arbiter.MAX_VOTING_PERIOD()).to.equal(MAX_VOTING_PERIOD);
      expect(await arbiter.DEFAULT_VOTING_PERIOD()).to.equal(WEEK);
      expect(await arbiter.MAX_MEMBERS()).to.equal(MAX_MEMBERS);
      expect(await arbiter.authority()).to.equal(await c.accessManager.getAddress());

      const deployment = arbiter.deploymentTransaction()!;
      for (const member of c.members) await expect(deployment).to.emit(arbiter, "MemberAdded").withArgs(member.address);
      await expect(deployment).to.emit(arbiter, "QuorumSet").withArgs(QUORUM);
      await expect(deployment).to.emit(arbiter, "VotingPeriodSet").withArgs(WEEK);
    });

    it("rejects the inputs the setters reject, and a zero adjudicator", async () => {
      const { arbiterFactory: factory, accessManager, members } = c;
      const addresses = members.map((member) => member.address);
      const deploy = (adjudicator: string, initialMembers: string[], quorum: bigint, period: bigint) =>
        factory.deploy(accessManager, adjudicator, initialMembers, quorum, period);
      const adjudicator = await recorder.getAddress();

      await expect(deploy(ZeroAddress, addresses, QUORUM, WEEK)).to.be.revertedWithCustomError(factory, "ZeroAddress");
      await expect(deploy(adjudicator, [...addresses, ZeroAddress], QUORUM, WEEK)).to.be.revertedWithCustomError(
        factory,
        "ZeroAddress",
      );
      await expect(deploy(adjudicator, [...addresses, addresses[1]], QUORUM, WEEK))
        .to.be.revertedWithCustomError(factory, "MembershipUnchanged")
        .withArgs(addresses[1], true);
      const tooMany = Array.from({ length: Number(MAX_MEMBERS) + 1 }, (_, index) => filler(index));
      await expect(deploy(adjudicator, tooMany, QUORUM, WEEK))
        .to.be.revertedWithCustomError(factory, "TooManyMembers")
        .withArgs(MAX_MEMBERS);
      await expect(deploy(adjudicator, addresses, 0n, WEEK))
        .to.be.revertedWithCustomError(factory, "InvalidQuorum")
        .withArgs(0n, 4n);
      await expect(deploy(adjudicator, addresses, 5n, WEEK))
        .to.be.revertedWithCustomError(factory, "InvalidQuorum")
        .withArgs(5n, 4n);
      await expect(deploy(adjudicator, [], 1n, WEEK))
        .to.be.revertedWithCustomError(factory, "InvalidQuorum")
        .withArgs(1n, 0n);
      await expect(deploy(adjudicator, addresses, QUORUM, MIN_VOTING_PERIOD - 1n))
        .to.be.revertedWithCustomError(factory, "InvalidVotingPeriod")
        .withArgs(MIN_VOTING_PERIOD - 1n);
      await expect(deploy(adjudicator, addresses, QUORUM, MAX_VOTING_PERIOD + 1n))
        .to.be.revertedWithCustomError(factory, "InvalidVotingPeriod")
        .withArgs(MAX_VOTING_PERIOD + 1n);

      // The bounds themselves are valid, as is a full committee.
      const full = Array.from({ length: Number(MAX_MEMBERS) }, (_, index) => filler(index));
      const atBounds = await deploy(adjudicator, full, MAX_MEMBERS, MAX_VOTING_PERIOD);
      expect(await atBounds.members()).to.deep.equal(full);
      expect(await (await deploy(adjudicator, addresses, 1n, MIN_VOTING_PERIOD)).votingPeriod()).to.equal(
        MIN_VOTING_PERIOD,
      );
    });
  });

  describe("requestRuling", () => {
    it("opens cases with sequential ids from 1, storing the parties, the deadline and the quorum", async () => {
      const { claimant, challenger } = c;
      const opening = await recorder.requestRuling(DISPUTE_KEY, claimant.address, challenger.address);
      const openedAt = BigInt(await time.latest());
      await expect(opening)
        .to.emit(arbiter, "CaseOpened")
        .withArgs(1n, DISPUTE_KEY, claimant.address, challenger.address, openedAt + WEEK);
      expect(await caseOf(arbiter, 1n)).to.deep.equal({
        disputeKey: DISPUTE_KEY,
        filer: claimant.address,
        disputer: challenger.address,
        openedAt,
        deadline: openedAt + WEEK,
        approvals: 0n,
        rejections: 0n,
        resolved: false,
        quorum: QUORUM,
      });

      const otherKey = id("incident:7");
      expect(await openCase(recorder, challenger, claimant, otherKey)).to.equal(2n);
      expect(await arbiter.caseCount()).to.equal(2n);
      const second = await caseOf(arbiter, 2n);
      expect([second.disputeKey, second.filer, second.disputer]).to.deep.equal([
        otherKey,
        challenger.address,
        claimant.address,
      ]);
    });

    it("answers only to the adjudicator", async () => {
      for (const caller of [c.outsider, c.admin, c.members[0]]) {
        await expect(arbiter.connect(caller).requestRuling(DISPUTE_KEY, c.claimant.address, c.challenger.address))
          .to.be.revertedWithCustomError(arbiter, "NotAdjudicator")
          .withArgs(caller.address);
      }
      expect(await arbiter.caseCount()).to.equal(0n);
    });

    it("fixes the deadline and the quorum at opening: later changes apply to new cases only", async () => {
      const first = await openCase(recorder, c.claimant, c.challenger);
      const { deadline } = await caseOf(arbiter, first);
      await (await arbiter.connect(c.admin).setVotingPeriod(MAX_VOTING_PERIOD)).wait();
      await (await arbiter.connect(c.admin).setQuorum(2n)).wait();
      expect((await caseOf(arbiter, first)).deadline).to.equal(deadline);
      expect((await caseOf(arbiter, first)).quorum).to.equal(QUORUM);

      const second = await openCase(recorder, c.claimant, c.challenger);
      const opened = await caseOf(arbiter, second);
      expect(opened.deadline).to.equal(opened.openedAt + MAX_VOTING_PERIOD);
      expect(opened.quorum).to.equal(2n);
    });

    it("getCase reverts UnknownCase for an id never opened", async () => {
      await expect(arbiter.getCase(0n)).to.be.revertedWithCustomError(arbiter, "UnknownCase").withArgs(0n);
      await openCase(recorder, c.claimant, c.challenger);
      await expect(arbiter.getCase(2n)).to.be.revertedWithCustomError(arbiter, "UnknownCase").withArgs(2n);
    });
  });

  describe("castVote", () => {
    let caseId: bigint;

    beforeEach(async () => {
      caseId = await openCase(recorder, c.claimant, c.challenger);
    });

    it("records each vote, tallies both sides and emits VoteCast", async () => {
      const [m1, m2] = c.members;
      await expect(arbiter.connect(m1).castVote(caseId, true))
        .to.emit(arbiter, "VoteCast")
        .withArgs(caseId, m1.address, true);
      await expect(arbiter.connect(m2).castVote(caseId, false))
        .to.emit(arbiter, "VoteCast")
        .withArgs(caseId, m2.address, false);
      const tallied = await caseOf(arbiter, caseId);
      expect([tallied.approvals, tallied.rejections, tallied.resolved]).to.deep.equal([1n, 1n, false]);
      expect(await arbiter.hasVoted(caseId, m1.address)).to.equal(true);
      expect(await arbiter.hasVoted(caseId, m2.address)).to.equal(true);
      expect(await arbiter.hasVoted(caseId, c.members[2].address)).to.equal(false);
    });

    it("reverts UnknownCase for an id never opened", async () => {
      for (const unknown of [0n, caseId + 1n]) {
        await expect(arbiter.connect(c.members[0]).castVote(unknown, true))
          .to.be.revertedWithCustomError(arbiter, "UnknownCase")
          .withArgs(unknown);
      }
    });

    it("turns away a non-member with NotEligibleMember", async () => {
      for (const caller of [c.outsider, c.admin]) {
        await expect(arbiter.connect(caller).castVote(caseId, true))
          .to.be.revertedWithCustomError(arbiter, "NotEligibleMember")
          .withArgs(caseId, caller.address);
      }
    });

    it("turns away a member added after the case opened, who may vote on later cases", async () => {
      await expect(arbiter.connect(c.admin).addMember(c.newcomer.address)).to.emit(arbiter, "MemberAdded");
      expect(await arbiter.memberSince(c.newcomer.address)).to.equal(BigInt(await time.latest()));
      await expect(arbiter.connect(c.newcomer).castVote(caseId, true))
        .to.be.revertedWithCustomError(arbiter, "NotEligibleMember")
        .withArgs(caseId, c.newcomer.address);

      const later = await openCase(recorder, c.claimant, c.challenger);
      await expect(arbiter.connect(c.newcomer).castVote(later, true))
        .to.emit(arbiter, "VoteCast")
        .withArgs(later, c.newcomer.address, true);
    });

    it("turns away a member added in the very block the case opened", async () => {
      await connection.provider.request({ method: "evm_setAutomine", params: [false] });
      try {
        await arbiter.connect(c.admin).addMember(c.newcomer.address, { gasLimit: 200_000n });
        await recorder.requestRuling(DISPUTE_KEY, c.claimant.address, c.challenger.address, { gasLimit: 300_000n });
        await networkHelpers.mine();
      } finally {
        await connection.provider.request({ method: "evm_setAutomine", params: [true] });
      }
      const sameBlock = await arbiter.caseCount();
      expect(await arbiter.memberSince(c.newcomer.address)).to.equal((await caseOf(arbiter, sameBlock)).openedAt);
      await expect(arbiter.connect(c.newcomer).castVote(sameBlock, true))
        .to.be.revertedWithCustomError(arbiter, "NotEligibleMember")
        .withArgs(sameBlock, c.newcomer.address);
    });

    it("turns away a member removed since, even when re-added", async () => {
      const [m1] = c.members;
      await (await arbiter.connect(c.admin).removeMember(m1.address)).wait();
      await expect(arbiter.connect(m1).castVote(caseId, true))
        .to.be.revertedWithCustomError(arbiter, "NotEligibleMember")
        .withArgs(caseId, m1.address);
      await (await arbiter.connect(c.admin).addMember(m1.address)).wait();
      await expect(arbiter.connect(m1).castVote(caseId, true))
        .to.be.revertedWithCustomError(arbiter, "NotEligibleMember")
        .withArgs(caseId, m1.address);
    });

    it("reverts ConflictOfInterest for a member the adjudicator names as a party (say, the claimed policy's holder)", async () => {
      const [holder, neutral] = c.members;
      const key = (await caseOf(arbiter, caseId)).disputeKey;
      await (await recorder.setParty(key, holder.address, true)).wait();
      await expect(arbiter.connect(holder).castVote(caseId, true))
        .to.be.revertedWithCustomError(arbiter, "ConflictOfInterest")
        .withArgs(caseId, holder.address);
      await vote(arbiter, caseId, [neutral], true);
      // The stake is read at vote time: once it is gone, the member may vote.
      await (await recorder.setParty(key, holder.address, false)).wait();
      await vote(arbiter, caseId, [holder], false);
    });

    it("reverts AlreadyVoted on a second vote, whichever way", async () => {
      const [m1] = c.members;
      await vote(arbiter, caseId, [m1], true);
      for (const approve of [true, false]) {
        await expect(arbiter.connect(m1).castVote(caseId, approve))
          .to.be.revertedWithCustomError(arbiter, "AlreadyVoted")
          .withArgs(caseId, m1.address);
      }
    });

    it("reverts CaseAlreadyDecided once a side has the quorum, so the other side cannot draw level", async () => {
      // With a quorum of 2 out of 4, both sides could otherwise reach it.
      await (await arbiter.connect(c.admin).setQuorum(2n)).wait();
      const lowQuorum = await openCase(recorder, c.claimant, c.challenger);
      const [m1, m2, m3] = c.members;
      await vote(arbiter, lowQuorum, [m1, m2], false);
      await expect(arbiter.connect(m3).castVote(lowQuorum, true))
        .to.be.revertedWithCustomError(arbiter, "CaseAlreadyDecided")
        .withArgs(lowQuorum);
    });

    it("reverts CaseAlreadyResolved once the ruling was delivered", async () => {
      const [m1, m2, m3, m4] = c.members;
      await vote(arbiter, caseId, [m1, m2, m3], true);
      await (await arbiter.resolve(caseId)).wait();
      await expect(arbiter.connect(m4).castVote(caseId, false))
        .to.be.revertedWithCustomError(arbiter, "CaseAlreadyResolved")
        .withArgs(caseId);
    });
  });

  describe("resolve", () => {
    let caseId: bigint;

    beforeEach(async () => {
      caseId = await openCase(recorder, c.claimant, c.challenger);
    });

    it("delivers an approval once approvals reach the quorum", async () => {
      const [m1, m2, m3] = c.members;
      await vote(arbiter, caseId, [m1, m2, m3], true);
      const resolution = arbiter.connect(c.outsider).resolve(caseId);
      await expect(resolution).to.emit(arbiter, "CaseResolved").withArgs(caseId, true, 3n, 0n);
      await expect(resolution).to.emit(recorder, "RulingReceived").withArgs(caseId, true);
      expect(await recorder.rulingCount(caseId)).to.equal(1n);
      expect(await recorder.ruling(caseId)).to.equal(true);
      expect((await caseOf(arbiter, caseId)).resolved).to.equal(true);
    });

    it("delivers a rejection once rejections reach the quorum", async () => {
      const [m1, m2, m3, m4] = c.members;
      await vote(arbiter, caseId, [m1], true);
      await vote(arbiter, caseId, [m2, m3, m4], false);
      const resolution = arbiter.connect(c.claimant).resolve(caseId);
      await expect(resolution).to.emit(arbiter, "CaseResolved").withArgs(caseId, false, 1n, 3n);
      await expect(resolution).to.emit(recorder, "RulingReceived").withArgs(caseId, false);
      expect(await recorder.rulingCount(caseId)).to.equal(1n);
      expect(await recorder.ruling(caseId)).to.equal(false);
    });

    it("reverts QuorumNotReached with the tallies while no side has the quorum, even past the deadline", async () => {
      await expect(arbiter.resolve(caseId))
        .to.be.revertedWithCustomError(arbiter, "QuorumNotReached")
        .withArgs(caseId, 0n, 0n, QUORUM);
      const [m1, m2, m3] = c.members;
      await vote(arbiter, caseId, [m1, m2], true);
      await vote(arbiter, caseId, [m3], false);
      await expect(arbiter.resolve(caseId))
        .to.be.revertedWithCustomError(arbiter, "QuorumNotReached")
        .withArgs(caseId, 2n, 1n, QUORUM);
      await time.increaseTo((await caseOf(arbiter, caseId)).deadline);
      await expect(arbiter.resolve(caseId))
        .to.be.revertedWithCustomError(arbiter, "QuorumNotReached")
        .withArgs(caseId, 2n, 1n, QUORUM);
      expect(await recorder.rulingCount(caseId)).to.equal(0n);
    });

    it("resolves after the deadline when the quorum was reached before it", async () => {
      await vote(arbiter, caseId, c.members.slice(0, 3), false);
      await time.increaseTo((await caseOf(arbiter, caseId)).deadline + WEEK);
      await expect(arbiter.resolve(caseId)).to.emit(recorder, "RulingReceived").withArgs(caseId, false);
    });

    it("holds each case to the quorum in force when it opened", async () => {
      const [m1, m2, m3] = c.members;
      await (await arbiter.connect(c.admin).setQuorum(2n)).wait();
      await vote(arbiter, caseId, [m1, m2], true);
      await expect(arbiter.resolve(caseId))
        .to.be.revertedWithCustomError(arbiter, "QuorumNotReached")
        .withArgs(caseId, 2n, 0n, QUORUM);

      const lowQuorum = await openCase(recorder, c.claimant, c.challenger);
      await (await arbiter.connect(c.admin).setQuorum(4n)).wait();
      await vote(arbiter, lowQuorum, [m3, m1], true);
      await expect(arbiter.resolve(lowQuorum)).to.emit(arbiter, "CaseResolved").withArgs(lowQuorum, true, 2n, 0n);
    });

    it("reverts UnknownCase and, the second time, CaseAlreadyResolved", async () => {
      await expect(arbiter.resolve(caseId + 1n))
        .to.be.revertedWithCustomError(arbiter, "UnknownCase")
        .withArgs(caseId + 1n);
      await vote(arbiter, caseId, c.members.slice(0, 3), true);
      await (await arbiter.resolve(caseId)).wait();
      await expect(arbiter.resolve(caseId))
        .to.be.revertedWithCustomError(arbiter, "CaseAlreadyResolved")
        .withArgs(caseId);
      expect(await recorder.rulingCount(caseId)).to.equal(1n);
    });

    it("cannot be re-entered from the ruling callback", async () => {
      await vote(arbiter, caseId, c.members.slice(0, 3), true);
      await (await recorder.setReenterOnRuling(true)).wait();
      await expect(arbiter.resolve(caseId)).to.be.revertedWithCustomError(arbiter, "ReentrancyGuardReentrantCall");
      expect((await caseOf(arbiter, caseId)).resolved).to.equal(false);
    });
  });

  describe("governance", () => {
    function restrictedCalls(caller: HardhatEthersSigner) {
      return restrictedCallsOf(c, caller);
    }

    it("lets the AccessManager admin change membership, quorum and voting period", async () => {
      const calls = restrictedCalls(c.admin);
      await expect(calls.addMember()).to.emit(arbiter, "MemberAdded").withArgs(c.newcomer.address);
      await expect(calls.removeMember()).to.emit(arbiter, "MemberRemoved").withArgs(c.members[3].address);
      await expect(calls.setQuorum()).to.emit(arbiter, "QuorumSet").withArgs(2n);
      await expect(calls.setVotingPeriod()).to.emit(arbiter, "VotingPeriodSet").withArgs(2n * WEEK);
      expect(await arbiter.quorum()).to.equal(2n);
      expect(await arbiter.votingPeriod()).to.equal(2n * WEEK);
      expect(await arbiter.isMember(c.newcomer.address)).to.equal(true);
      expect(await arbiter.isMember(c.members[3].address)).to.equal(false);
      expect(await arbiter.memberSince(c.members[3].address)).to.equal(0n);
    });

    it("lets a COMMITTEE_ADMIN role holder through once the AccessManager maps the functions to it", async () => {
      const { accessManager, admin, committeeAdmin } = c;
      const role = ROLES.COMMITTEE_ADMIN;
      expect(role).to.equal(5n);
      const selectors = RESTRICTED.map((name) => arbiter.interface.getFunction(name).selector);
      await (await accessManager.connect(admin).setTargetFunctionRole(arbiter, selectors, role)).wait();
      await (await accessManager.connect(admin).grantRole(role, committeeAdmin.address, 0)).wait();

      const calls = restrictedCalls(committeeAdmin);
      await expect(calls.addMember()).to.emit(arbiter, "MemberAdded").withArgs(c.newcomer.address);
      await expect(calls.removeMember()).to.emit(arbiter, "MemberRemoved").withArgs(c.members[3].address);
      await expect(calls.setQuorum()).to.emit(arbiter, "QuorumSet").withArgs(2n);
      await expect(calls.setVotingPeriod()).to.emit(arbiter, "VotingPeriodSet").withArgs(2n * WEEK);
      // The functions now belong to the role alone: the AccessManager admin no longer passes.
      await expect(arbiter.connect(admin).setQuorum(1n))
        .to.be.revertedWithCustomError(arbiter, "AccessManagedUnauthorized")
        .withArgs(admin.address);
      await expect(arbiter.connect(c.outsider).setQuorum(1n))
        .to.be.revertedWithCustomError(arbiter, "AccessManagedUnauthorized")
        .withArgs(c.outsider.address);
    });

    it("addMember rejects the zero address, a member, and a 33rd member", async () => {
      const managed = arbiter.connect(c.admin);
      await expect(managed.addMember(ZeroAddress)).to.be.revertedWithCustomError(arbiter, "ZeroAddress");
      await expect(managed.addMember(c.members[2].address))
        .to.be.revertedWithCustomError(arbiter, "MembershipUnchanged")
        .withArgs(c.members[2].address, true);
      for (let index = c.members.length; index < Number(MAX_MEMBERS); ++index) {
        await (await managed.addMember(filler(index))).wait();
      }
      expect((await arbiter.members()).length).to.equal(Number(MAX_MEMBERS));
      await expect(managed.addMember(c.newcomer.address))
        .to.be.revertedWithCustomError(arbiter, "TooManyMembers")
        .withArgs(MAX_MEMBERS);
    });

    it("removeMember swaps the last member in, rejects a non-member and keeps the quorum reachable", async () => {
      const managed = arbiter.connect(c.admin);
      const [m1, m2, m3, m4] = c.members;
      await expect(managed.removeMember(c.outsider.address))
        .to.be.revertedWithCustomError(arbiter, "MembershipUnchanged")
        .withArgs(c.outsider.address, false);
      await (await managed.removeMember(m1.address)).wait();
      expect(await arbiter.members()).to.deep.equal([m4.address, m2.address, m3.address]);
      await expect(managed.removeMember(m1.address))
        .to.be.revertedWithCustomError(arbiter, "MembershipUnchanged")
        .withArgs(m1.address, false);
      // Three members left with a quorum of 3: one more removal would leave it unreachable.
      await expect(managed.removeMember(m3.address))
        .to.be.revertedWithCustomError(arbiter, "InvalidQuorum")
        .withArgs(QUORUM, 2n);
      await (await managed.setQuorum(1n)).wait();
      await (await managed.removeMember(m3.address)).wait();
      await (await managed.removeMember(m4.address)).wait();
      expect(await arbiter.members()).to.deep.equal([m2.address]);
      await expect(managed.removeMember(m2.address))
        .to.be.revertedWithCustomError(arbiter, "InvalidQuorum")
        .withArgs(1n, 0n);
    });

    it("setQuorum accepts 1 to the member count and nothing else", async () => {
      const managed = arbiter.connect(c.admin);
      for (const quorum of [0n, 5n]) {
        await expect(managed.setQuorum(quorum))
          .to.be.revertedWithCustomError(arbiter, "InvalidQuorum")
          .withArgs(quorum, 4n);
      }
      for (const quorum of [1n, 4n]) {
        await expect(managed.setQuorum(quorum)).to.emit(arbiter, "QuorumSet").withArgs(quorum);
        expect(await arbiter.quorum()).to.equal(quorum);
      }
    });

    it("setVotingPeriod accepts MIN_VOTING_PERIOD to MAX_VOTING_PERIOD and nothing else", async () => {
      const managed = arbiter.connect(c.admin);
      for (const period of [0n, MIN_VOTING_PERIOD - 1n, MAX_VOTING_PERIOD + 1n]) {
        await expect(managed.setVotingPeriod(period))
          .to.be.revertedWithCustomError(arbiter, "InvalidVotingPeriod")
          .withArgs(period);
      }
      for (const period of [MIN_VOTING_PERIOD, MAX_VOTING_PERIOD]) {
        await expect(managed.setVotingPeriod(period)).to.emit(arbiter, "VotingPeriodSet").withArgs(period);
        expect(await arbiter.votingPeriod()).to.equal(period);
      }
    });
  });
});
