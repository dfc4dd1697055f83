import { expect } from "chai";

import { CommitteeArbiter__factory } from "../../../types/ethers-contracts/index.js";
import { caseOf, deployCommittee, openCase, vote } from "../committeeSetup.js";
import { DAY, loadParapet, networkHelpers, time, WEEK } from "../helpers.js";

describe("Attack: committee changes against open cases", () => {
  it("packing the committee, then removing members so an open case can no longer reach its quorum: reverts RemovalStrandsOpenCase(account, 3, 2, deadline) until the case is resolved", async () => {
    const c = await networkHelpers.loadFixture(deployCommittee);
    const { arbiter, admin, members, claimant, challenger, newcomer } = c;
    const [m1, m2, m3, m4] = members;
    const managed = arbiter.connect(admin);
    const caseId = await openCase(c.recorder, claimant, challenger);
    const { deadline } = await caseOf(arbiter, caseId);

    // Three eligible members are left for the case's quorum of 3: allowed.
    await expect(managed.removeMember(m4.address)).to.emit(arbiter, "MemberRemoved").withArgs(m4.address);
    // A newcomer keeps the committee's own quorum reachable, but it cannot vote on the open case.
    await (await managed.addMember(newcomer.address)).wait();
    await expect(managed.removeMember(m3.address))
      .to.be.revertedWithCustomError(arbiter, "RemovalStrandsOpenCase")
      .withArgs(m3.address, 3n, 2n, deadline);
    expect(await arbiter.isMember(m3.address)).to.equal(true);
    // Removing the ineligible newcomer changes nothing for the case.
    await expect(managed.removeMember(newcomer.address)).to.emit(arbiter, "MemberRemoved").withArgs(newcomer.address);

    // The case can still be decided by the members it was opened with.
    await vote(arbiter, caseId, [m1, m2, m3], true);
    await (await arbiter.resolve(caseId)).wait();
    await (await managed.addMember(newcomer.address)).wait();
    await expect(managed.removeMember(m3.address)).to.emit(arbiter, "MemberRemoved").withArgs(m3.address);
  });

  it("removing members while an undecided case runs out its vote: refused before its deadline, allowed from it on", async () => {
    const c = await networkHelpers.loadFixture(deployCommittee);
    const { arbiter, admin, members, claimant, challenger, newcomer } = c;
    const managed = arbiter.connect(admin);
    const caseId = await openCase(c.recorder, claimant, challenger);
    const { deadline } = await caseOf(arbiter, caseId);
    await (await managed.addMember(newcomer.address)).wait();
    await (await managed.removeMember(members[3].address)).wait();

    await time.setNextBlockTimestamp(deadline - 1n);
    await expect(managed.removeMember(members[2].address))
      .to.be.revertedWithCustomError(arbiter, "RemovalStrandsOpenCase")
      .withArgs(members[2].address, 3n, 2n, deadline);
    await time.setNextBlockTimestamp(deadline);
    await expect(managed.removeMember(members[2].address))
      .to.emit(arbiter, "MemberRemoved")
      .withArgs(members[2].address);
    // A case opened afterwards counts the current members: the newcomer and the two left are its electorate.
    await time.increase(1n);
    const next = await openCase(c.recorder, claimant, challenger);
    expect((await caseOf(arbiter, next)).quorum).to.equal(3n);
    await expect(managed.removeMember(newcomer.address))
      .to.be.revertedWithCustomError(arbiter, "InvalidQuorum")
      .withArgs(3n, 2n);
  });

  it("a voting period that outlasts the adjudicator's arbitration timeout (the vote would be cut short by a draw): reverts VotingPeriodNotBeforeTimeout(period, timeout); one second less is accepted", async () => {
    const d = await loadParapet();
    const arbiter = d.committeeArbiter.connect(d.accounts.committeeAdmin);
    const timeout = await d.claimAdjudicator.arbitrationTimeout();
    expect(timeout).to.equal(14n * DAY);
    for (const period of [timeout, timeout + 1n]) {
      await expect(arbiter.setVotingPeriod(period))
        .to.be.revertedWithCustomError(arbiter, "VotingPeriodNotBeforeTimeout")
        .withArgs(period, timeout);
    }
    expect(await arbiter.votingPeriod()).to.equal(WEEK);
    await expect(arbiter.setVotingPeriod(timeout - 1n))
      .to.emit(arbiter, "VotingPeriodSet")
      .withArgs(timeout - 1n);

    // A new arbiter for the adjudicator is held to the same rule from its constructor.
    const factory = new CommitteeArbiter__factory(d.accounts.admin);
    const committee = d.committee.map((member) => member.address);
    await expect(factory.deploy(d.accessManager, d.claimAdjudicator, committee, 2n, timeout))
      .to.be.revertedWithCustomError(factory, "VotingPeriodNotBeforeTimeout")
      .withArgs(timeout, timeout);
  });
});
