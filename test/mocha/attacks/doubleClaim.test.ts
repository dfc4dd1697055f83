import { expect } from "chai";
import { parseUnits } from "ethers";

import { DAY, ethers, time, usd } from "../helpers.js";
import { EVIDENCE, fileClaim, State, WAD, withCover } from "../claimsSetup.js";
import {
  buy,
  claimPayout,
  confirmedIncident,
  funded,
  HOUR,
  mulDivDown,
  now,
  report,
  reservedIn,
  settleAtExpiration,
} from "../incidentsSetup.js";

describe("Attack: double claim", () => {
  it("double claim while one is open on the policy: reverts ClaimAlreadyOpen(policyId, claimId), nothing changes", async () => {
    const s = await withCover();
    const { adj, buyer, policyId } = s;
    const { claimId } = await fileClaim(s, buyer, usd(10_000));
    await expect(adj.connect(buyer).fileClaim(policyId, usd(5_000), s.incidentTime, EVIDENCE))
      .to.be.revertedWithCustomError(adj, "ClaimAlreadyOpen")
      .withArgs(policyId, claimId);
  });

  it("claiming one incident payout twice: paid once, remaining × payoutWad to the policy's current owner whoever calls", async () => {
    const { d, p1, p2, payoutWad, incidentId, reportReceipt } = await confirmedIncident();
    const { claimAdjudicator: adjudicator, coverManager, asset } = d;
    const { conservative, highYield } = d.vaults;
    const { lending } = d.productIds;
    const [alice, bob, , dave] = d.accounts.buyers;
    const { outsider } = d.accounts;

    // Conservative exposure at the report: p1 + short + recent, all still locked.
    const reserves = reservedIn(d, reportReceipt);
    expect(reserves.get(await conservative.getAddress())).to.deep.equal({ needed: usd(112_000), reserved: usd(112_000) });
    expect(reserves.get(await highYield.getAddress())).to.deep.equal({ needed: usd(32_000), reserved: usd(32_000) });

    // The NFT changed hands after the incident: the payout follows it.
    await (await coverManager.connect(alice).transferFrom(alice.address, dave.address, p1)).wait();
    const expected = mulDivDown(usd(100_000), payoutWad, WAD);
    expect(expected).to.equal(usd(80_000));
    expect(await adjudicator.connect(outsider).claimIncidentPayout.staticCall(p1, incidentId)).to.equal(expected);
    const pendingBefore = await conservative.pendingReserve();
    const exposureBefore = await conservative.exposureOf(lending);

    const tx = adjudicator.connect(outsider).claimIncidentPayout(p1, incidentId);
    await expect(tx).to.changeTokenBalances(
      ethers,
      asset,
      [dave, alice, outsider, conservative, adjudicator],
      [expected, 0n, 0n, -expected, 0n],
    );
    await expect(tx)
      .to.emit(adjudicator, "IncidentPayoutClaimed")
      .withArgs(incidentId, p1, dave.address, expected)
      .and.to.emit(coverManager, "PolicyClaimed")
      .withArgs(p1, expected, expected)
      .and.to.emit(conservative, "ClaimPaid")
      .withArgs(lending, dave.address, expected);

    const policy = await coverManager.getPolicy(p1);
    expect(policy.claimed).to.equal(expected);
    expect(policy.claimed <= policy.amount).to.equal(true);
    expect(await adjudicator.incidentPaid(incidentId, p1)).to.equal(true);
    expect((await adjudicator.incidentReserve(incidentId, conservative)).paid).to.equal(expected);
    expect(await conservative.pendingReserve()).to.equal(pendingBefore - expected);
    // The paid cover no longer locks capital.
    expect(await conservative.exposureOf(lending)).to.equal(exposureBefore - expected);

    // Once per policy, whoever asks.
    for (const caller of [dave, outsider, alice]) {
      await expect(adjudicator.connect(caller).claimIncidentPayout(p1, incidentId))
        .to.be.revertedWithCustomError(adjudicator, "IncidentAlreadyPaid")
        .withArgs(incidentId, p1);
    }

    // The owner may claim too.
    const tx2 = adjudicator.connect(bob).claimIncidentPayout(p2, incidentId);
    await expect(tx2).to.changeTokenBalances(ethers, asset, [bob, highYield], [usd(32_000), -usd(32_000)]);
    await expect(tx2).to.emit(adjudicator, "IncidentPayoutClaimed").withArgs(incidentId, p2, bob.address, usd(32_000));
    expect((await coverManager.getPolicy(p2)).claimed).to.equal(usd(32_000));
    expect((await adjudicator.incidentReserve(incidentId, highYield)).paid).to.equal(usd(32_000));
  });

  it("paid bits shared by 256 policies to a slot: a payout marks its own policy only, not its slot neighbour nor the policy 256 ids on", async () => {
    const d = await funded();
    const { claimAdjudicator: adjudicator } = d;
    const { lending } = d.productIds;
    const vault = d.vaults.conservative;
    const [alice] = d.accounts.buyers;
    const { watcher, outsider } = d.accounts;
    const first = await buy(d, alice, vault, lending, usd(1_000));
    let last = first;
    while (last < first + 256n) last = await buy(d, alice, vault, lending, usd(10));
    const neighbour = first + 1n;
    const sameBit = first + 256n;
    expect(neighbour >> 8n).to.equal(first >> 8n);
    expect(sameBit % 256n).to.equal(first % 256n);
    await time.increase(2n * DAY);
    const incidentId = await report(d, watcher, lending, (await now()) - HOUR, WAD / 2n);
    await settleAtExpiration(d, incidentId);

    expect(await claimPayout(d, outsider, first, incidentId)).to.equal(usd(500));
    expect(await adjudicator.incidentPaid(incidentId, first)).to.equal(true);
    expect(await adjudicator.incidentPaid(incidentId, neighbour)).to.equal(false);
    expect(await adjudicator.incidentPaid(incidentId, sameBit)).to.equal(false);
    for (const policyId of [sameBit, neighbour]) {
      await expect(adjudicator.connect(outsider).claimIncidentPayout(policyId, incidentId))
        .to.emit(adjudicator, "IncidentPayoutClaimed")
        .withArgs(incidentId, policyId, alice.address, usd(5));
      expect(await adjudicator.incidentPaid(incidentId, policyId)).to.equal(true);
    }
    for (const policyId of [first, neighbour, sameBit]) {
      await expect(adjudicator.claimIncidentPayout(policyId, incidentId))
        .to.be.revertedWithCustomError(adjudicator, "IncidentAlreadyPaid")
        .withArgs(incidentId, policyId);
    }
    // The bits are the incident's: another incident finds the same policies unpaid.
    const second = await report(d, watcher, lending, (await now()) - HOUR, WAD / 2n);
    await settleAtExpiration(d, second);
    expect(await adjudicator.incidentPaid(second, first)).to.equal(false);
    expect(await claimPayout(d, outsider, neighbour, second)).to.equal(usd(2.5));
    expect(await adjudicator.incidentPaid(second, first)).to.equal(false);
  });

  it("stacking incidents and an approved claim on one policy: total payouts never exceed the policy amount", async () => {
    const d = await funded();
    const { claimAdjudicator: adjudicator, coverManager, asset } = d;
    const { lending } = d.productIds;
    const vault = d.vaults.conservative;
    const [alice] = d.accounts.buyers;
    const { watcher } = d.accounts;
    const amount = usd(100_000);
    const policyId = await buy(d, alice, vault, lending, amount);
    await time.increase(2n * DAY);

    // Alice files a claim for the whole cover while two incident reports (60% and 100%) go through.
    const claimId = await adjudicator.connect(alice).fileClaim.staticCall(policyId, amount, (await now()) - 3n * HOUR, "");
    await (await adjudicator.connect(alice).fileClaim(policyId, amount, (await now()) - 3n * HOUR, "")).wait();
    const sixty = await report(d, watcher, lending, (await now()) - 2n * HOUR, parseUnits("0.6", 18));
    const full = await report(d, watcher, lending, (await now()) - HOUR, WAD);
    await settleAtExpiration(d, sixty);
    await settleAtExpiration(d, full);

    expect(await claimPayout(d, alice, policyId, sixty)).to.equal(usd(60_000));
    // The 100% incident pays what is left, not the whole amount.
    expect(await claimPayout(d, alice, policyId, full)).to.equal(usd(40_000));
    let policy = await coverManager.getPolicy(policyId);
    expect(policy.claimed).to.equal(amount);

    // A third incident finds nothing left.
    const third = await report(d, watcher, lending, (await now()) - HOUR, WAD / 2n);
    await settleAtExpiration(d, third);
    await expect(adjudicator.claimIncidentPayout(policyId, third))
      .to.be.revertedWithCustomError(adjudicator, "NothingToPay")
      .withArgs(third, policyId);

    // The approved claim pays nothing more either, and its whole reserve is released.
    const { expiration } = await adjudicator.getClaim(claimId);
    expect(expiration <= BigInt(await time.latest())).to.equal(true);
    const pendingBefore = await vault.pendingReserve();
    const settle = adjudicator.settleClaim(claimId);
    await expect(settle).to.emit(adjudicator, "ClaimSettled").withArgs(claimId, policyId, State.Approved, alice.address, 0n);
    await expect(settle).to.changeTokenBalance(ethers, asset, vault, 0n);
    expect(await vault.pendingReserve()).to.equal(pendingBefore - amount);
    policy = await coverManager.getPolicy(policyId);
    expect(policy.claimed).to.equal(policy.amount);
  });
});
