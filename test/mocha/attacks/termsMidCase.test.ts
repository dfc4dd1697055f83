import { expect } from "chai";
import { encodeBytes32String } from "ethers";

import type { ParapetDeployment } from "../../../deploy/fixture.js";
import { DAY, ethers, networkHelpers, time, usd } from "../helpers.js";
import {
  bondOf,
  burnOf,
  COVER,
  dispute,
  fileClaim,
  LIVENESS,
  rule,
  secondPolicy,
  State,
  WAD,
  withCover,
} from "../claimsSetup.js";
import {
  BOND,
  buy,
  CLAIM_WINDOW,
  funded,
  HOUR,
  INCIDENT_EVIDENCE,
  now,
  report,
  settleAtExpiration,
} from "../incidentsSetup.js";

/** The risk manager sets an adjudicator parameter, as governance may at any time. */
async function setParameter(d: ParapetDeployment, name: string, value: bigint) {
  const tx = d.claimAdjudicator.connect(d.accounts.riskManager).setParameter(encodeBytes32String(name), value);
  await expect(tx).to.emit(d.claimAdjudicator, "ParameterSet").withArgs(encodeBytes32String(name), value);
}

describe("Attack: changing the adjudicator's parameters in the middle of a case", () => {
  it("lengthening incidentClaimWindow after an incident's reserve was released: the incident stays closed (IncidentClaimWindow(id, fixed end)), and another claim's reserve on the product is untouched and pays in full", async () => {
    const d = await funded();
    const { claimAdjudicator: adjudicator, asset } = d;
    const { lending } = d.productIds;
    const vault = d.vaults.conservative;
    const [alice, bob, carol] = d.accounts.buyers;
    const p1 = await buy(d, alice, vault, lending, usd(100_000));
    const p2 = await buy(d, bob, vault, lending, usd(100_000));
    await time.increase(2n * DAY);
    const incidentId = await report(d, d.accounts.watcher, lending, (await now()) - HOUR, WAD);
    await settleAtExpiration(d, incidentId);
    const { claimWindowEnd } = await adjudicator.getIncident(incidentId);
    await (await adjudicator.claimIncidentPayout(p1, incidentId)).wait();
    // Cover bought after the incident: its claim is another case on the same product.
    const p3 = await buy(d, carol, vault, lending, usd(50_000));
    const p3Start = (await d.coverManager.getPolicy(p3)).start;

    // Bob never claimed: his reserve returns to the underwriters when the window closes.
    await time.setNextBlockTimestamp(claimWindowEnd + 1n);
    await expect(adjudicator.releaseIncidentReserve(incidentId))
      .to.emit(adjudicator, "IncidentReserveReleased")
      .withArgs(incidentId, await vault.getAddress(), usd(100_000));
    expect(await vault.productReserve(lending)).to.equal(0n);
    await (await adjudicator.connect(carol).fileClaim(p3, usd(50_000), p3Start + DAY + 1n, INCIDENT_EVIDENCE)).wait();
    const claimId = await adjudicator.claimCount();
    expect(await vault.productReserve(lending)).to.equal(usd(50_000));

    await setParameter(d, "incidentClaimWindow", 90n * DAY);
    const incident = await adjudicator.getIncident(incidentId);
    expect([incident.claimWindow, incident.claimWindowEnd]).to.deep.equal([CLAIM_WINDOW, claimWindowEnd]);
    // Well inside what a 90-day window would allow: still closed, and nothing is taken from carol's reserve.
    await expect(adjudicator.claimIncidentPayout(p2, incidentId))
      .to.be.revertedWithCustomError(adjudicator, "IncidentClaimWindow")
      .withArgs(incidentId, claimWindowEnd);
    await expect(adjudicator.releaseIncidentReserve(incidentId)).not.to.emit(adjudicator, "IncidentReserveReleased");
    expect(await vault.productReserve(lending)).to.equal(usd(50_000));
    expect(await vault.pendingReserve()).to.equal(usd(50_000));

    await time.increaseTo((await adjudicator.getClaim(claimId)).expiration);
    const settle = adjudicator.settleClaim(claimId);
    await expect(settle)
      .to.emit(adjudicator, "ClaimSettled")
      .withArgs(claimId, p3, State.Approved, carol.address, usd(50_000));
    await expect(settle).to.changeTokenBalance(ethers, asset, carol, usd(50_000) + bondOf(usd(50_000)));
    expect(await vault.pendingReserve()).to.equal(0n);
  });

  it("shortening incidentClaimWindow to 7 days while an incident is open: its claim window stays 30 days from confirmation, payouts are accepted up to that fixed end and refused one second after; new reports take 7 days", async () => {
    const d = await funded();
    const { claimAdjudicator: adjudicator } = d;
    const { lending, dex } = d.productIds;
    const [alice, bob, carol] = d.accounts.buyers;
    const p1 = await buy(d, alice, d.vaults.conservative, lending, usd(100_000));
    const p2 = await buy(d, bob, d.vaults.highYield, lending, usd(40_000));
    const p3 = await buy(d, carol, d.vaults.conservative, lending, usd(10_000));
    await time.increase(2n * DAY);
    const incidentId = await report(d, d.accounts.watcher, lending, (await now()) - HOUR, WAD);

    await setParameter(d, "incidentClaimWindow", 7n * DAY);
    await settleAtExpiration(d, incidentId);
    const { confirmedAt, claimWindow, claimWindowEnd } = await adjudicator.getIncident(incidentId);
    expect([claimWindow, claimWindowEnd]).to.deep.equal([CLAIM_WINDOW, confirmedAt + CLAIM_WINDOW]);
    const nextId = await report(d, d.accounts.watcher, dex, (await now()) - HOUR, WAD);
    expect((await adjudicator.getIncident(nextId)).claimWindow).to.equal(7n * DAY);
    // Changed again once the incident is confirmed: nothing moves either.
    await setParameter(d, "incidentClaimWindow", 8n * DAY);
    const confirmed = await adjudicator.getIncident(incidentId);
    expect([confirmed.claimWindow, confirmed.claimWindowEnd]).to.deep.equal([CLAIM_WINDOW, claimWindowEnd]);

    await time.setNextBlockTimestamp(confirmedAt + 7n * DAY + 1n);
    await expect(adjudicator.claimIncidentPayout(p1, incidentId))
      .to.emit(adjudicator, "IncidentPayoutClaimed")
      .withArgs(incidentId, p1, alice.address, usd(100_000));
    await time.setNextBlockTimestamp(claimWindowEnd);
    await expect(adjudicator.claimIncidentPayout(p2, incidentId))
      .to.emit(adjudicator, "IncidentPayoutClaimed")
      .withArgs(incidentId, p2, bob.address, usd(40_000));
    await expect(adjudicator.claimIncidentPayout(p3, incidentId))
      .to.be.revertedWithCustomError(adjudicator, "IncidentClaimWindow")
      .withArgs(incidentId, claimWindowEnd);
  });

  it("shortening arbitrationTimeout during the committee's vote: the dispute's drawAt stays as fixed at the dispute (AwaitingRuling(key, drawAt) until then); a timeout not above the 7-day voting period is refused", async () => {
    const s = await networkHelpers.loadFixture(withCover);
    const { claimId } = await fileClaim(s, s.buyer, COVER);
    await dispute(s, s.watcher, claimId);
    const { disputedAt, drawAt } = await s.adj.getClaim(claimId);
    expect(drawAt).to.equal(disputedAt + 14n * DAY);
    const key = await s.adj.claimKey(claimId);

    const votingPeriod = await s.arbiter.votingPeriod();
    expect(votingPeriod).to.equal(7n * DAY);
    await expect(s.adj.connect(s.accounts.riskManager).setParameter(encodeBytes32String("arbitrationTimeout"), votingPeriod))
      .to.be.revertedWithCustomError(s.adj, "ParameterOutOfBounds")
      .withArgs(encodeBytes32String("arbitrationTimeout"), votingPeriod);
    await setParameter(s, "arbitrationTimeout", votingPeriod + 1n);
    expect((await s.adj.getClaim(claimId)).drawAt).to.equal(drawAt);

    // Past the draw time the new timeout would give, and one second before the fixed one: still awaiting a ruling.
    for (const when of [disputedAt + votingPeriod + 2n, drawAt - 1n]) {
      await time.setNextBlockTimestamp(when);
      await expect(s.adj.settleClaim(claimId))
        .to.be.revertedWithCustomError(s.adj, "AwaitingRuling")
        .withArgs(key, drawAt);
    }
    await time.setNextBlockTimestamp(drawAt);
    const settle = s.adj.settleClaim(claimId);
    await expect(settle).to.emit(s.adj, "ClaimSettled").withArgs(claimId, s.policyId, State.Drawn, s.buyer.address, 0n);
    await expect(settle).to.emit(s.adj, "BondsSettled").withArgs(key, bondOf(COVER), bondOf(COVER), 0n);
  });

  it("raising burnWad to 100% and liveness to 14 days mid-case: a disputed claim burns at its filing's 50%, and an undisputed claim and incident settle at the expiration fixed at filing and report", async () => {
    const s = await networkHelpers.loadFixture(withCover);
    const second = await secondPolicy(s, s.buyer2);
    const disputed = await fileClaim(s, s.buyer, COVER);
    const caseId = await dispute(s, s.watcher, disputed.claimId);
    const undisputed = await fileClaim(s, s.buyer2, COVER, second.policyId, second.incidentTime);
    const filedAt = await now();
    const incidentId = await report(s, s.watcher, s.productIds.dex, (await now()) - HOUR, WAD);
    const incident = await s.adj.getIncident(incidentId);
    expect(undisputed.claim.expiration).to.equal(filedAt + LIVENESS);
    expect(incident.expiration).to.equal(incident.reportedAt + LIVENESS);

    await setParameter(s, "burnWad", WAD);
    await setParameter(s, "liveness", 14n * DAY);

    await rule(s, caseId, false);
    const bond = bondOf(COVER);
    const burned = burnOf(bond);
    expect(burned).to.equal(bond / 2n);
    const settle = s.adj.settleClaim(disputed.claimId);
    await expect(settle)
      .to.emit(s.adj, "BondsSettled")
      .withArgs(await s.adj.claimKey(disputed.claimId), 0n, 2n * bond - burned, burned);
    await expect(settle).to.changeTokenBalances(ethers, s.asset, [s.watcher, s.treasury], [2n * bond - burned, burned]);

    const { expiration } = undisputed.claim;
    const undisputedKey = await s.adj.claimKey(undisputed.claimId);
    expect((await s.adj.getClaim(undisputed.claimId)).expiration).to.equal(expiration);
    await time.setNextBlockTimestamp(expiration - 1n);
    await expect(s.adj.settleClaim(undisputed.claimId))
      .to.be.revertedWithCustomError(s.adj, "LivenessNotExpired")
      .withArgs(undisputedKey, expiration);
    await time.setNextBlockTimestamp(expiration);
    await expect(s.adj.settleClaim(undisputed.claimId))
      .to.emit(s.adj, "ClaimSettled")
      .withArgs(undisputed.claimId, second.policyId, State.Approved, s.buyer2.address, COVER);

    expect((await s.adj.getIncident(incidentId)).expiration).to.equal(incident.expiration);
    await time.setNextBlockTimestamp(incident.expiration);
    const settleIncident = s.adj.settleIncident(incidentId);
    await expect(settleIncident).to.emit(s.adj, "IncidentSettled").withArgs(incidentId, s.productIds.dex, State.Approved);
    await expect(settleIncident).to.emit(s.adj, "BondsSettled").withArgs(await s.adj.incidentKey(incidentId), BOND, 0n, 0n);
  });

  it("raising bondWad to 50% after a claim was filed: the claim keeps its 5% bond; the disputer matches that bond and the winner is paid on it", async () => {
    const s = await networkHelpers.loadFixture(withCover);
    const { claimId, claim } = await fileClaim(s, s.buyer, COVER);
    const bond = bondOf(COVER);
    expect(claim.bond).to.equal(bond);

    await setParameter(s, "bondWad", WAD / 2n);
    expect(await s.adj.bondFor(await s.asset.getAddress(), COVER)).to.equal(COVER / 2n);
    expect((await s.adj.getClaim(claimId)).bond).to.equal(bond);

    const disputeTx = s.adj.connect(s.watcher).disputeClaim(claimId);
    await expect(disputeTx).to.changeTokenBalances(ethers, s.asset, [s.watcher, s.adj], [-bond, bond]);
    const { caseId } = await s.adj.getClaim(claimId);
    await rule(s, caseId, true);
    const burned = burnOf(bond);
    const settle = s.adj.settleClaim(claimId);
    await expect(settle).to.emit(s.adj, "BondsSettled").withArgs(await s.adj.claimKey(claimId), 2n * bond - burned, 0n, burned);
    await expect(settle).to.changeTokenBalance(ethers, s.asset, s.buyer, COVER + 2n * bond - burned);
  });
});
