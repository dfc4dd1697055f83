import { expect } from "chai";

import { ethers, time, usd } from "../helpers.js";
import { bondOf, dispute, EVIDENCE, fileClaim, LIVENESS, State, withCover } from "../claimsSetup.js";

describe("Attack: policy NFT transfer mid-claim", () => {
  it("transferring the policy mid-claim: the payout goes to the new owner, the bond returns to the filer", async () => {
    const s = await withCover();
    const { adj, asset, coverManager, buyer, buyer2, policyId } = s;
    const amount = usd(25_000);
    const { claimId, claim } = await fileClaim(s, buyer, amount);
    await (await coverManager.connect(buyer).transferFrom(buyer.address, buyer2.address, policyId)).wait();
    await time.increaseTo(claim.expiration);

    const tx = adj.connect(s.watcher).settleClaim(claimId);
    await expect(tx).to.emit(adj, "ClaimSettled").withArgs(claimId, policyId, State.Approved, buyer2.address, amount);
    await expect(tx)
      .to.emit(adj, "BondsSettled")
      .withArgs(await adj.claimKey(claimId), claim.bond, 0n, 0n);
    await expect(tx).to.changeTokenBalances(ethers, asset, [buyer, buyer2], [claim.bond, amount]);
  });

  it("sending the claimed policy to a committee member to buy a vote: the holder is barred from voting, even when it received it mid-dispute", async () => {
    const s = await withCover();
    const { adj, arbiter, coverManager, committee, watcher, buyer, policyId } = s;
    const [member, second, third] = committee;
    const { claimId } = await fileClaim(s, buyer, usd(10_000));
    const caseId = await dispute(s, watcher, claimId);
    expect(await adj.isParty(await adj.claimKey(claimId), member.address)).to.equal(false);

    // The payout would go to whoever holds the NFT at settlement: a holder has a stake, whoever filed.
    await (await coverManager.connect(buyer).transferFrom(buyer.address, member.address, policyId)).wait();
    expect(await adj.isParty(await adj.claimKey(claimId), member.address)).to.equal(true);
    await expect(arbiter.connect(member).castVote(caseId, true))
      .to.be.revertedWithCustomError(arbiter, "ConflictOfInterest")
      .withArgs(caseId, member.address);
    await (await arbiter.connect(second).castVote(caseId, false)).wait();
    await (await arbiter.connect(third).castVote(caseId, false)).wait();
    await (await arbiter.resolve(caseId)).wait();
    expect((await adj.getClaim(claimId)).ruling).to.equal(2n);
  });

  it("filing a claim on someone else's policy: a non-owner is rejected; an approved operator files with its bond, for the owner's payout", async () => {
    const s = await withCover();
    const { adj, asset, coverManager, buyer, buyer2, buyer3, policyId, incidentTime } = s;
    await expect(adj.connect(buyer2).fileClaim(policyId, usd(10_000), incidentTime, EVIDENCE))
      .to.be.revertedWithCustomError(adj, "NotPolicyHolder")
      .withArgs(policyId, buyer2.address);

    await (await coverManager.connect(buyer).approve(buyer2.address, policyId)).wait();
    const bond = bondOf(usd(10_000));
    const tx = adj.connect(buyer2).fileClaim(policyId, usd(10_000), incidentTime, EVIDENCE);
    await expect(tx).to.changeTokenBalances(ethers, asset, [buyer, buyer2], [0n, -bond]);
    const claimId = await adj.claimCount();
    expect((await adj.getClaim(claimId)).filer).to.equal(buyer2.address);

    await time.increase(LIVENESS);
    const settle = adj.connect(buyer3).settleClaim(claimId);
    await expect(settle)
      .to.emit(adj, "ClaimSettled")
      .withArgs(claimId, policyId, State.Approved, buyer.address, usd(10_000));
    await expect(settle).to.changeTokenBalances(ethers, asset, [buyer, buyer2], [usd(10_000), bond]);

    // An operator for all of the owner's policies may file too.
    await expect(adj.connect(buyer3).fileClaim(policyId, usd(1_000), incidentTime, EVIDENCE))
      .to.be.revertedWithCustomError(adj, "NotPolicyHolder")
      .withArgs(policyId, buyer3.address);
    await (await coverManager.connect(buyer).setApprovalForAll(buyer3.address, true)).wait();
    await expect(adj.connect(buyer3).fileClaim(policyId, usd(1_000), incidentTime, EVIDENCE)).to.emit(
      adj,
      "ClaimFiled",
    );
  });
});
