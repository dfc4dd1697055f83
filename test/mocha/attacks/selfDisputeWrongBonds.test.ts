import { expect } from "chai";

import type { CommitteeArbiter, RulingRecorder } from "../../../types/ethers-contracts/index.js";
import { ethers, networkHelpers, time, usd } from "../helpers.js";
import { type Committee, deployCommittee, openCase, vote } from "../committeeSetup.js";
import { burnOf, dispute, fileClaim, rule, secondPolicy, State, VOTING_PERIOD, withCover } from "../claimsSetup.js";

describe("Attack: self-dispute and wrong bonds", () => {
  for (const approve of [false, true]) {
    it(`self-dispute by the filer: costs it exactly the burn (${approve ? "approved" : "rejected"})`, async () => {
      const s = await withCover();
      const { adj, asset, buyer, treasury, policyId } = s;
      const amount = usd(30_000);
      const startBalance = await asset.balanceOf(buyer.address);
      const { claimId, claim } = await fileClaim(s, buyer, amount);
      const caseId = await dispute(s, buyer, claimId);
      expect((await s.arbiter.getCase(caseId)).filer).to.equal(buyer.address);
      expect((await s.arbiter.getCase(caseId)).disputer).to.equal(buyer.address);
      await rule(s, caseId, approve);

      const burn = burnOf(claim.bond);
      const payout = approve ? amount : 0n;
      const tx = adj.connect(s.watcher).settleClaim(claimId);
      await expect(tx)
        .to.emit(adj, "ClaimSettled")
        .withArgs(claimId, policyId, approve ? State.Approved : State.Rejected, buyer.address, payout);
      await expect(tx)
        .to.emit(adj, "BondsSettled")
        .withArgs(
          await adj.claimKey(claimId),
          approve ? 2n * claim.bond - burn : 0n,
          approve ? 0n : 2n * claim.bond - burn,
          burn,
        );
      await expect(tx).to.changeTokenBalances(
        ethers,
        asset,
        [buyer, treasury],
        [2n * claim.bond - burn + payout, burn],
      );
      // Whatever the ruling, the bonds cost the filer the burn.
      expect(await asset.balanceOf(buyer.address)).to.equal(startBalance - burn + payout);
    });
  }

  it("disputing without matching the bond: an equal bond is pulled from the disputer, and a case opens with the committee", async () => {
    const s = await withCover();
    const { adj, arbiter, asset, buyer, watcher, policyId } = s;
    const { claimId, claim } = await fileClaim(s, buyer, usd(60_000));
    const key = await adj.claimKey(claimId);
    const disputedAt = BigInt(await time.latest()) + 1n;
    await time.setNextBlockTimestamp(disputedAt);
    const tx = adj.connect(watcher).disputeClaim(claimId);
    await expect(tx).to.emit(adj, "ClaimDisputed").withArgs(claimId, policyId, watcher.address, 1n);
    await expect(tx)
      .to.emit(arbiter, "CaseOpened")
      .withArgs(1n, key, buyer.address, watcher.address, disputedAt + VOTING_PERIOD);
    await expect(tx).to.changeTokenBalances(ethers, asset, [watcher, adj], [-claim.bond, claim.bond]);

    const disputed = await adj.getClaim(claimId);
    expect(disputed.state).to.equal(State.Disputed);
    expect(disputed.disputer).to.equal(watcher.address);
    expect(disputed.disputedAt).to.equal(disputedAt);
    expect(disputed.arbiter).to.equal(await arbiter.getAddress());
    expect(disputed.caseId).to.equal(1n);
    // The reserve stays while the case is decided.
    expect(await s.vault.pendingReserve()).to.equal(usd(60_000));

    await expect(adj.connect(watcher).disputeClaim(claimId))
      .to.be.revertedWithCustomError(adj, "InvalidAssertionState")
      .withArgs(key, State.Disputed);
    await expect(adj.connect(watcher).disputeClaim(claimId + 1n))
      .to.be.revertedWithCustomError(adj, "InvalidAssertionState")
      .withArgs(await adj.claimKey(claimId + 1n), State.None);
  });

  it("disputing without allowance or balance for the bond: reverts with the asset's error, changing nothing", async () => {
    const s = await withCover();
    const { adj, arbiter, asset, buyer, outsider } = s;
    const { claimId, claim } = await fileClaim(s, buyer, usd(10_000));
    const adjAddress = await adj.getAddress();
    const held = await asset.balanceOf(adjAddress);

    await expect(adj.connect(outsider).disputeClaim(claimId))
      .to.be.revertedWithCustomError(asset, "ERC20InsufficientAllowance")
      .withArgs(adjAddress, 0n, claim.bond);
    await (await asset.connect(outsider).approve(adjAddress, ethers.MaxUint256)).wait();
    await (await asset.mint(outsider.address, claim.bond - 1n)).wait();
    await expect(adj.connect(outsider).disputeClaim(claimId))
      .to.be.revertedWithCustomError(asset, "ERC20InsufficientBalance")
      .withArgs(outsider.address, claim.bond - 1n, claim.bond);

    const after = await adj.getClaim(claimId);
    expect(after.state).to.equal(State.Pending);
    expect(after.disputer).to.equal(ethers.ZeroAddress);
    expect(after.disputedAt).to.equal(0n);
    expect(after.caseId).to.equal(0n);
    expect(await arbiter.caseCount()).to.equal(0n);
    expect(await asset.balanceOf(adjAddress)).to.equal(held);
    expect(await asset.balanceOf(outsider.address)).to.equal(claim.bond - 1n);

    // The claim is still open to a funded disputer.
    await expect(adj.connect(s.watcher).disputeClaim(claimId)).to.emit(adj, "ClaimDisputed");
  });

  it("a committee member voting on a case it filed or disputed: barred", async () => {
    const s = await withCover();
    const { adj, arbiter, asset, coverManager, committee, watcher } = s;
    const [member, disputingMember, other] = committee;
    for (const account of [member, disputingMember]) {
      await (await asset.mint(account.address, usd(100_000))).wait();
      await (await asset.connect(account).approve(await adj.getAddress(), ethers.MaxUint256)).wait();
      await (await asset.connect(account).approve(await coverManager.getAddress(), ethers.MaxUint256)).wait();
    }
    const own = await secondPolicy(s, member, usd(10_000));
    const { claimId } = await fileClaim(s, member, usd(10_000), own.policyId, own.incidentTime);
    const caseId = await dispute(s, watcher, claimId);
    await expect(arbiter.connect(member).castVote(caseId, true))
      .to.be.revertedWithCustomError(arbiter, "ConflictOfInterest")
      .withArgs(caseId, member.address);

    const buyerClaim = await fileClaim(s, s.buyer, usd(10_000));
    const otherCase = await dispute(s, disputingMember, buyerClaim.claimId);
    await expect(arbiter.connect(disputingMember).castVote(otherCase, false))
      .to.be.revertedWithCustomError(arbiter, "ConflictOfInterest")
      .withArgs(otherCase, disputingMember.address);

    // The uninvolved members decide both.
    await (await arbiter.connect(disputingMember).castVote(caseId, false)).wait();
    await (await arbiter.connect(other).castVote(caseId, false)).wait();
    await expect(arbiter.resolve(caseId))
      .to.emit(adj, "RulingReceived")
      .withArgs(await adj.claimKey(claimId), await arbiter.getAddress(), caseId, false);
  });

  describe("parties voting (CommitteeArbiter)", () => {
    let c: Committee;
    let arbiter: CommitteeArbiter;
    let recorder: RulingRecorder;
    let caseId: bigint;

    beforeEach(async () => {
      c = await networkHelpers.loadFixture(deployCommittee);
      ({ arbiter, recorder } = c);
      caseId = await openCase(recorder, c.claimant, c.challenger);
    });

    it("a member voting on a case it filed or disputed: reverts ConflictOfInterest, whichever way it votes", async () => {
      const [filer, disputer, neutral] = c.members;
      const conflicted = await openCase(recorder, filer, disputer);
      for (const party of [filer, disputer]) {
        for (const approve of [true, false]) {
          await expect(arbiter.connect(party).castVote(conflicted, approve))
            .to.be.revertedWithCustomError(arbiter, "ConflictOfInterest")
            .withArgs(conflicted, party.address);
        }
      }
      // Both may still vote on a case they are no party to, and neutral members on this one.
      await vote(arbiter, caseId, [filer, disputer], true);
      await vote(arbiter, conflicted, [neutral], true);
    });
  });
});
