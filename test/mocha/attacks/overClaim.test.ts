import { expect } from "chai";
import { parseUnits } from "ethers";

import { DAY, time, usd } from "../helpers.js";
import { COVER, EVIDENCE, fileClaim, State, withCover } from "../claimsSetup.js";
import { buy, claimPayout, funded, HOUR, now, report, settleAtExpiration } from "../incidentsSetup.js";

describe("Attack: over-claim", () => {
  it("claiming zero or more than the remaining cover: rejected", async () => {
    const s = await withCover();
    const { adj, buyer, policyId, incidentTime } = s;
    await expect(adj.connect(buyer).fileClaim(policyId, 0n, incidentTime, EVIDENCE))
      .to.be.revertedWithCustomError(adj, "InvalidClaimAmount")
      .withArgs(policyId, 0n, COVER);
    await expect(adj.connect(buyer).fileClaim(policyId, COVER + 1n, incidentTime, EVIDENCE))
      .to.be.revertedWithCustomError(adj, "InvalidClaimAmount")
      .withArgs(policyId, COVER + 1n, COVER);
  });

  it("over-claiming across claims: a policy is never paid more than its amount", async () => {
    const s = await withCover();
    const { adj, coverManager, buyer, policyId, incidentTime } = s;
    const first = await fileClaim(s, buyer, usd(30_000));
    await time.increaseTo(first.claim.expiration);
    await (await adj.settleClaim(first.claimId)).wait();
    await expect(adj.connect(buyer).fileClaim(policyId, usd(70_000) + 1n, incidentTime, EVIDENCE))
      .to.be.revertedWithCustomError(adj, "InvalidClaimAmount")
      .withArgs(policyId, usd(70_000) + 1n, usd(70_000));

    const rest = await fileClaim(s, buyer, usd(70_000));
    await time.increaseTo(rest.claim.expiration);
    await expect(adj.settleClaim(rest.claimId))
      .to.emit(adj, "ClaimSettled")
      .withArgs(rest.claimId, policyId, State.Approved, buyer.address, usd(70_000));
    const policy = await coverManager.getPolicy(policyId);
    expect(policy.claimed).to.equal(policy.amount);

    await expect(adj.connect(buyer).fileClaim(policyId, 1n, incidentTime, EVIDENCE))
      .to.be.revertedWithCustomError(adj, "InvalidClaimAmount")
      .withArgs(policyId, 1n, 0n);
  });

  it("claiming in full after an incident payout: the approved claim is capped at what the payout left of the cover", async () => {
    const d = await funded();
    const { claimAdjudicator: adjudicator, coverManager } = d;
    const { lending } = d.productIds;
    const [alice] = d.accounts.buyers;
    const amount = usd(100_000);
    const policyId = await buy(d, alice, d.vaults.conservative, lending, amount);
    await time.increase(2n * DAY);
    const claimId = await adjudicator.connect(alice).fileClaim.staticCall(policyId, amount, (await now()) - HOUR, "");
    await (await adjudicator.connect(alice).fileClaim(policyId, amount, (await now()) - HOUR, "")).wait();
    const incidentId = await report(d, d.accounts.watcher, lending, (await now()) - HOUR, parseUnits("0.6", 18));
    await settleAtExpiration(d, incidentId);
    expect(await claimPayout(d, alice, policyId, incidentId)).to.equal(usd(60_000));

    await expect(adjudicator.settleClaim(claimId))
      .to.emit(adjudicator, "ClaimSettled")
      .withArgs(claimId, policyId, State.Approved, alice.address, usd(40_000));
    const policy = await coverManager.getPolicy(policyId);
    expect(policy.claimed).to.equal(amount);
  });
});
