import { expect } from "chai";

import type { CommitteeArbiter, RulingRecorder } from "../../../types/ethers-contracts/index.js";
import { DAY, networkHelpers, time, usd } from "../helpers.js";
import { caseOf, type Committee, deployCommittee, openCase } from "../committeeSetup.js";
import { at, dispute, fileClaim, LIVENESS, State, WAD, withCover } from "../claimsSetup.js";
import { buy, funded, HOUR, incidentKey, now, report } from "../incidentsSetup.js";

describe("Attack: liveness and deadline boundaries", () => {
  it("disputing a claim at its expiration: works strictly before it, where settling reverts; at it only settling works", async () => {
    const s = await withCover();
    const { adj, buyer, watcher, policyId } = s;
    const filedAt = BigInt(await time.latest()) + 1n;
    await time.setNextBlockTimestamp(filedAt);
    const { claimId, claim } = await fileClaim(s, buyer, usd(10_000));
    const key = await adj.claimKey(claimId);
    const expiration = filedAt + LIVENESS;
    expect(claim.expiration).to.equal(expiration);

    // One second before the expiration: dispute yes, settle no.
    await at(expiration - 1n, async () => {
      await expect(adj.connect(watcher).settleClaim(claimId))
        .to.be.revertedWithCustomError(adj, "LivenessNotExpired")
        .withArgs(key, expiration);
    });
    await at(expiration - 1n, async () => {
      await expect(adj.connect(watcher).disputeClaim(claimId))
        .to.emit(adj, "ClaimDisputed")
        .withArgs(claimId, policyId, watcher.address, 1n);
      expect((await adj.getClaim(claimId)).disputedAt).to.equal(expiration - 1n);
    });
    // At the expiration: settle yes, dispute no.
    await at(expiration, async () => {
      await expect(adj.connect(watcher).disputeClaim(claimId))
        .to.be.revertedWithCustomError(adj, "LivenessExpired")
        .withArgs(key, expiration);
    });
    await at(expiration, async () => {
      await expect(adj.connect(watcher).settleClaim(claimId))
        .to.emit(adj, "ClaimSettled")
        .withArgs(claimId, policyId, State.Approved, buyer.address, usd(10_000));
    });
  });

  it("disputing an incident at or after its expiration: refused", async () => {
    const d = await funded();
    const { claimAdjudicator: adjudicator } = d;
    await buy(d, d.accounts.buyers[0], d.vaults.conservative, d.productIds.lending, usd(10_000));
    await time.increase(2n * DAY);
    const incidentId = await report(d, d.accounts.buyers[0], d.productIds.lending, (await now()) - HOUR, WAD);
    const { expiration } = await adjudicator.getIncident(incidentId);
    await time.setNextBlockTimestamp(expiration);
    await expect(adjudicator.connect(d.accounts.watcher).disputeIncident(incidentId))
      .to.be.revertedWithCustomError(adjudicator, "LivenessExpired")
      .withArgs(incidentKey(incidentId), expiration);
  });

  it("ruling after the dispute was settled as a draw: refused, the draw stands", async () => {
    const s = await withCover();
    const { adj, arbiter, committee, watcher, buyer } = s;
    const { claimId } = await fileClaim(s, buyer, usd(10_000));
    const caseId = await dispute(s, watcher, claimId);
    // The committee reaches its quorum in time, but nobody delivers the ruling before the timeout.
    await (await arbiter.connect(committee[0]).castVote(caseId, false)).wait();
    await (await arbiter.connect(committee[1]).castVote(caseId, false)).wait();
    await time.increase(14n * DAY);
    await (await adj.settleClaim(claimId)).wait();
    expect((await adj.getClaim(claimId)).state).to.equal(State.Drawn);

    await expect(arbiter.resolve(caseId))
      .to.be.revertedWithCustomError(adj, "InvalidAssertionState")
      .withArgs(await adj.claimKey(claimId), State.Drawn);
    const claim = await adj.getClaim(claimId);
    expect(claim.state).to.equal(State.Drawn);
    expect(claim.ruling).to.equal(0n);
  });

  describe("committee vote deadline (CommitteeArbiter)", () => {
    let c: Committee;
    let arbiter: CommitteeArbiter;
    let recorder: RulingRecorder;
    let caseId: bigint;

    beforeEach(async () => {
      c = await networkHelpers.loadFixture(deployCommittee);
      ({ arbiter, recorder } = c);
      caseId = await openCase(recorder, c.claimant, c.challenger);
    });

    it("voting at the deadline: a vote one second before it is accepted; at exactly the deadline it reverts VotingClosed", async () => {
      const [m1, m2] = c.members;
      const { deadline } = await caseOf(arbiter, caseId);
      await time.setNextBlockTimestamp(deadline - 1n);
      await expect(arbiter.connect(m1).castVote(caseId, true)).to.emit(arbiter, "VoteCast");
      await time.setNextBlockTimestamp(deadline);
      await expect(arbiter.connect(m2).castVote(caseId, true))
        .to.be.revertedWithCustomError(arbiter, "VotingClosed")
        .withArgs(caseId, deadline);
      expect((await caseOf(arbiter, caseId)).approvals).to.equal(1n);
    });
  });
});
