import { expect } from "chai";

import { coverParams, DAY, deposit, ethers, loadParapet, time, usd } from "../helpers.js";
import { at, COVER, COVERAGE_LAG, EVIDENCE, LIVENESS, secondPolicy, State, WAD, withCover } from "../claimsSetup.js";
import {
  BOND,
  buy,
  confirmedIncident,
  funded,
  HOUR,
  INCIDENT_EVIDENCE,
  incidentKey,
  mulDivUp,
  now,
} from "../incidentsSetup.js";

describe("Attack: buying cover after an incident", () => {
  it("claiming an incident from before start + coverageLag (cover bought after the fact) or after end: rejected", async () => {
    const s = await withCover();
    const { adj, buyer, buyer2, policyId, policy } = s;
    const coveredFrom = policy.start + COVERAGE_LAG + 1n;
    await expect(adj.connect(buyer).fileClaim(policyId, usd(1_000), coveredFrom - 1n, EVIDENCE))
      .to.be.revertedWithCustomError(adj, "IncidentOutsideCover")
      .withArgs(policyId, coveredFrom - 1n, coveredFrom, policy.end);

    // An exploit happens, then someone buys cover: the incident precedes the cover.
    const exploitAt = BigInt(await time.latest());
    await time.increase(60n);
    const late = await secondPolicy(s, buyer2);
    await expect(adj.connect(buyer2).fileClaim(late.policyId, usd(1_000), exploitAt, EVIDENCE))
      .to.be.revertedWithCustomError(adj, "IncidentOutsideCover")
      .withArgs(late.policyId, exploitAt, late.policy.start + COVERAGE_LAG + 1n, late.policy.end);

    await time.increaseTo(policy.end + DAY);
    await expect(adj.connect(buyer).fileClaim(policyId, usd(1_000), policy.end + 1n, EVIDENCE))
      .to.be.revertedWithCustomError(adj, "IncidentOutsideCover")
      .withArgs(policyId, policy.end + 1n, coveredFrom, policy.end);
  });

  it("buying and claiming in the same block: reverts ClaimTooEarly, whatever the incident time", async () => {
    const d = await loadParapet();
    const vault = d.vaults.conservative;
    const [buyer] = d.accounts.buyers;
    await deposit(vault, d.accounts.underwriters[0], usd(1_000_000));
    const params = await coverParams(buyer, { vault, productId: d.productIds.lending, amount: COVER });
    const policyId = (await d.coverManager.policyCount()) + 1n;
    const blockTime = BigInt(await time.latest()) + 100n;

    await ethers.provider.send("evm_setAutomine", [false]);
    let buyHash: string;
    let fileHash: string;
    try {
      await time.setNextBlockTimestamp(blockTime);
      buyHash = (await d.coverManager.connect(buyer).buyCover(params, { gasLimit: 2_000_000n })).hash;
      fileHash = (
        await d.claimAdjudicator
          .connect(buyer)
          .fileClaim(policyId, usd(1_000), blockTime - 1n, EVIDENCE, { gasLimit: 1_000_000n })
      ).hash;
      await ethers.provider.send("evm_mine", []);
    } finally {
      await ethers.provider.send("evm_setAutomine", [true]);
    }

    const buyReceipt = (await ethers.provider.getTransactionReceipt(buyHash))!;
    const fileReceipt = (await ethers.provider.getTransactionReceipt(fileHash))!;
    expect(buyReceipt.status).to.equal(1);
    expect(fileReceipt.status).to.equal(0);
    expect(fileReceipt.blockNumber).to.equal(buyReceipt.blockNumber);
    const policy = await d.coverManager.getPolicy(policyId);
    expect(policy.start).to.equal(blockTime);
    expect(await d.coverManager.ownerOf(policyId)).to.equal(buyer.address);

    const trace = (await ethers.provider.send("debug_traceTransaction", [fileHash])) as {
      failed: boolean;
      returnValue: string;
    };
    expect(trace.failed).to.equal(true);
    const returnData = trace.returnValue.startsWith("0x") ? trace.returnValue : `0x${trace.returnValue}`;
    const error = d.claimAdjudicator.interface.parseError(returnData);
    expect(error?.name).to.equal("ClaimTooEarly");
    expect(error?.args.toArray()).to.deep.equal([policyId, blockTime]);
    expect(await d.claimAdjudicator.claimCount()).to.equal(0n);
    expect(await d.asset.balanceOf(await d.claimAdjudicator.getAddress())).to.equal(0n);

    // One second later the same claim, with an incident inside the cover, can still not be filed: the coverage lag.
    await expect(d.claimAdjudicator.connect(buyer).fileClaim(policyId, usd(1_000), blockTime, EVIDENCE))
      .to.be.revertedWithCustomError(d.claimAdjudicator, "IncidentOutsideCover")
      .withArgs(policyId, blockTime, blockTime + COVERAGE_LAG + 1n, policy.end);
  });

  it("claiming an incident time not in the past: rejected", async () => {
    const s = await withCover();
    const { adj, buyer, policyId } = s;
    const now = BigInt(await time.latest()) + 5n;
    await at(now, async () => {
      await expect(adj.connect(buyer).fileClaim(policyId, usd(1_000), now, EVIDENCE))
        .to.be.revertedWithCustomError(adj, "IncidentNotInPast")
        .withArgs(now, now);
    });
    await at(now, async () => {
      await expect(adj.connect(buyer).fileClaim(policyId, usd(1_000), now + DAY, EVIDENCE))
        .to.be.revertedWithCustomError(adj, "IncidentNotInPast")
        .withArgs(now + DAY, now);
    });
  });

  it("buying cover once an incident is reported: sales of that product stop (and only that product's) until settlement; the report itself reserves payoutWad × exposure in each backing vault, settlement returns the bond", async () => {
    const d = await funded();
    const { claimAdjudicator: adjudicator, coverManager, productRegistry, asset, vaults } = d;
    const { lending, dex, depeg } = d.productIds;
    const { watcher, outsider } = d.accounts;
    const [alice, bob, carol] = d.accounts.buyers;
    await buy(d, alice, vaults.conservative, lending, usd(100_000));
    await buy(d, bob, vaults.highYield, lending, usd(40_000));
    await time.increase(2n * DAY);

    const incidentTime = (await now()) - HOUR;
    // A third: reserves must round up.
    const payoutWad = WAD / 3n;
    const exposure = {
      conservative: await vaults.conservative.exposureOf(lending),
      highYield: await vaults.highYield.exposureOf(lending),
    };
    expect(exposure).to.deep.equal({ conservative: usd(100_000), highYield: usd(40_000) });
    const needed = {
      conservative: mulDivUp(exposure.conservative, payoutWad, WAD),
      highYield: mulDivUp(exposure.highYield, payoutWad, WAD),
    };
    // 100,000 / 3 and 40,000 / 3 tUSD, rounded up to the next 1e-6.
    expect(needed).to.deep.equal({ conservative: 33_333_333_334n, highYield: 13_333_333_334n });
    const tx = adjudicator.connect(watcher).reportIncident(lending, incidentTime, payoutWad, INCIDENT_EVIDENCE);
    await expect(tx).to.changeTokenBalances(ethers, asset, [watcher, adjudicator], [-BOND, BOND]);
    // Reserved at once, so no underwriter can leave at a price that ignores the loss while the report is decided.
    await expect(tx)
      .to.emit(adjudicator, "IncidentReserved")
      .withArgs(1n, await vaults.conservative.getAddress(), needed.conservative, needed.conservative)
      .and.to.emit(adjudicator, "IncidentReserved")
      .withArgs(1n, await vaults.highYield.getAddress(), needed.highYield, needed.highYield)
      .and.to.emit(vaults.conservative, "PendingReserveIncreased")
      .withArgs(lending, needed.conservative, needed.conservative)
      .and.to.emit(vaults.highYield, "PendingReserveIncreased")
      .withArgs(lending, needed.highYield, needed.highYield);
    const reportedAt = await now();
    const expiration = reportedAt + LIVENESS;
    await expect(tx)
      .to.emit(adjudicator, "IncidentReported")
      .withArgs(1n, lending, watcher.address, incidentTime, payoutWad, BOND, expiration, INCIDENT_EVIDENCE)
      .and.to.emit(productRegistry, "OpenIncidentsChanged")
      .withArgs(lending, 1n);
    expect(await adjudicator.incidentCount()).to.equal(1n);
    expect((await productRegistry.getProduct(lending)).openIncidents).to.equal(1n);
    const pending = await adjudicator.getIncident(1n);
    expect(pending.productId).to.equal(lending);
    expect(pending.incidentTime).to.equal(incidentTime);
    expect(pending.expiration).to.equal(expiration);
    expect(pending.confirmedAt).to.equal(0n);
    expect(pending.state).to.equal(State.Pending);
    expect(pending.payoutWad).to.equal(payoutWad);
    expect(pending.reporter).to.equal(watcher.address);
    expect(pending.bond).to.equal(BOND);

    // No cover is sold or quoted on the product, through either vault, while the report is open.
    for (const vault of [vaults.conservative, vaults.highYield]) {
      const params = await coverParams(carol, { vault, productId: lending, amount: usd(1_000) });
      await expect(coverManager.connect(carol).buyCover(params))
        .to.be.revertedWithCustomError(coverManager, "IncidentPending")
        .withArgs(lending);
    }
    await expect(coverManager.quotePremium(lending, vaults.conservative, usd(1_000), 30n * DAY))
      .to.be.revertedWithCustomError(coverManager, "IncidentPending")
      .withArgs(lending);
    // Other products still sell.
    await buy(d, carol, vaults.conservative, dex, usd(1_000));
    await buy(d, carol, vaults.highYield, depeg, usd(1_000));

    await time.setNextBlockTimestamp(expiration - 1n);
    await expect(adjudicator.settleIncident(1n))
      .to.be.revertedWithCustomError(adjudicator, "LivenessNotExpired")
      .withArgs(incidentKey(1n), expiration);

    await time.setNextBlockTimestamp(expiration);
    const settle = adjudicator.connect(outsider).settleIncident(1n);
    await expect(settle).to.changeTokenBalances(ethers, asset, [watcher, adjudicator, outsider], [BOND, -BOND, 0n]);
    await expect(settle)
      .to.emit(adjudicator, "IncidentSettled")
      .withArgs(1n, lending, State.Approved)
      .and.to.emit(adjudicator, "BondsSettled")
      .withArgs(incidentKey(1n), BOND, 0n, 0n)
      .and.to.emit(productRegistry, "OpenIncidentsChanged")
      .withArgs(lending, 0n)
      .and.not.to.emit(adjudicator, "IncidentReserved");

    expect(await vaults.conservative.pendingReserve()).to.equal(needed.conservative);
    expect(await vaults.highYield.pendingReserve()).to.equal(needed.highYield);
    for (const [vault, amount] of [
      [vaults.conservative, needed.conservative],
      [vaults.highYield, needed.highYield],
    ] as const) {
      const reserve = await adjudicator.incidentReserve(1n, vault);
      expect([reserve.needed, reserve.reserved, reserve.reserveLeft, reserve.paid, reserve.phase]).to.deep.equal([
        amount,
        amount,
        amount,
        0n,
        0n,
      ]);
    }
    expect(await adjudicator.incidentVaults(1n)).to.deep.equal([
      await vaults.conservative.getAddress(),
      await vaults.highYield.getAddress(),
    ]);
    const settled = await adjudicator.getIncident(1n);
    expect(settled.state).to.equal(State.Approved);
    expect(settled.confirmedAt).to.equal(expiration);
    expect((await productRegistry.getProduct(lending)).openIncidents).to.equal(0n);

    // Sales resume.
    await buy(d, carol, vaults.conservative, lending, usd(1_000));
    // Settled for good.
    await expect(adjudicator.settleIncident(1n))
      .to.be.revertedWithCustomError(adjudicator, "InvalidAssertionState")
      .withArgs(incidentKey(1n), State.Approved);
    await expect(adjudicator.connect(watcher).disputeIncident(1n))
      .to.be.revertedWithCustomError(adjudicator, "InvalidAssertionState")
      .withArgs(incidentKey(1n), State.Approved);
  });

  it("claiming an incident payout on cover bought after it (or outside it, or on another product): refused", async () => {
    const { d, short, recent, onDex, incidentTime, incidentId } = await confirmedIncident();
    const { claimAdjudicator: adjudicator, coverManager } = d;
    const { lending } = d.productIds;
    const dave = d.accounts.buyers[3];

    for (const policyId of [short, recent]) {
      const policy = await coverManager.getPolicy(policyId);
      await expect(adjudicator.claimIncidentPayout(policyId, incidentId))
        .to.be.revertedWithCustomError(adjudicator, "IncidentOutsideCover")
        .withArgs(policyId, incidentTime, policy.start + COVERAGE_LAG + 1n, policy.end);
    }
    // `short` ended before the incident; `recent` started less than the coverage lag before it.
    expect((await coverManager.getPolicy(short)).end < incidentTime).to.equal(true);
    expect((await coverManager.getPolicy(recent)).start + COVERAGE_LAG > incidentTime).to.equal(true);

    await expect(adjudicator.claimIncidentPayout(onDex, incidentId))
      .to.be.revertedWithCustomError(adjudicator, "PolicyNotOnProduct")
      .withArgs(onDex, lending);
    await expect(adjudicator.claimIncidentPayout(99n, incidentId))
      .to.be.revertedWithCustomError(coverManager, "UnknownPolicy")
      .withArgs(99n);
    await expect(adjudicator.claimIncidentPayout(short, 99n))
      .to.be.revertedWithCustomError(adjudicator, "IncidentClaimWindow")
      .withArgs(99n, 0n);

    // Sales resumed after settlement, but cover bought now starts after the incident.
    const after = await buy(d, dave, d.vaults.conservative, lending, usd(5_000));
    const policy = await coverManager.getPolicy(after);
    await expect(adjudicator.claimIncidentPayout(after, incidentId))
      .to.be.revertedWithCustomError(adjudicator, "IncidentOutsideCover")
      .withArgs(after, incidentTime, policy.start + COVERAGE_LAG + 1n, policy.end);
    for (const policyId of [short, recent, onDex, after]) {
      expect(await adjudicator.incidentPaid(incidentId, policyId)).to.equal(false);
      expect((await coverManager.getPolicy(policyId)).claimed).to.equal(0n);
    }
  });
});
