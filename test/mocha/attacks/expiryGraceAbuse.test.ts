import { expect } from "chai";

import type { ParapetDeployment } from "../../../deploy/fixture.js";
import { SEED_PRODUCTS } from "../../../deploy/seed.js";
import type { ProductRegistry, UnderwriterVault } from "../../../types/ethers-contracts/index.js";
import { buyCover, DAY, deposit, ethers, time, usd, WEEK } from "../helpers.js";
import { at, CLAIM_GRACE_PERIOD, EVIDENCE, LIVENESS, MIN_BOND, WAD, withCover } from "../claimsSetup.js";
import {
  buy,
  CLAIM_WINDOW,
  claimPayout,
  funded,
  HOUR,
  now,
  report,
  reportWithReceipt,
  reservedIn,
  settleAtExpiration,
} from "../incidentsSetup.js";
import { ceilToWeek, governanceFixture, swapPop } from "../vaultGovernanceSetup.js";

describe("Attack: expiry and grace-period abuse", () => {
  it("claiming after end + claimGracePeriod: refused; a claim exactly at it is accepted", async () => {
    const s = await withCover();
    const { adj, buyer, policyId, policy } = s;
    const deadline = policy.end + CLAIM_GRACE_PERIOD;
    const incidentTime = policy.end; // the last covered second
    await at(deadline + 1n, async () => {
      await expect(adj.connect(buyer).fileClaim(policyId, usd(1_000), incidentTime, EVIDENCE))
        .to.be.revertedWithCustomError(adj, "ClaimWindowClosed")
        .withArgs(policyId, deadline);
    });
    await at(deadline, async () => {
      await expect(adj.connect(buyer).fileClaim(policyId, usd(1_000), incidentTime, EVIDENCE))
        .to.emit(adj, "ClaimFiled")
        .withArgs(
          1n,
          policyId,
          buyer.address,
          usd(1_000),
          usd(1_000),
          incidentTime,
          MIN_BOND,
          deadline + LIVENESS,
          EVIDENCE,
        );
    });
  });

  // The report files for every policy: a policy whose capital was still locked when the incident was reported is
  // reserved for and paid in full, however long settlement takes; one whose lock had ended is refused.
  it("letting a policy's lock expire between the report and settlement: the incident still reserves for it and pays it in full", async () => {
    const d = await funded();
    const { claimAdjudicator: adjudicator, coverManager, asset } = d;
    const { lending } = d.productIds;
    const vault = d.vaults.conservative;
    const [alice, bob] = d.accounts.buyers;
    const pA = await buy(d, alice, vault, lending, usd(50_000), 7n * DAY);
    const pB = await buy(d, bob, vault, lending, usd(100_000), 120n * DAY);
    const aliceEnd = (await coverManager.getPolicy(pA)).end;

    // Alice's lock (end + 30 days of grace, rounded up to the grid) is still on at the report, which reserves for it...
    await time.increaseTo(aliceEnd + 13n * DAY);
    const { incidentId, receipt } = await reportWithReceipt(d, d.accounts.watcher, lending, aliceEnd - HOUR, WAD);
    const reserve = reservedIn(d, receipt).get(await vault.getAddress())!;
    expect(reserve).to.deep.equal({ needed: usd(150_000), reserved: usd(150_000) });
    // ...and long gone at settlement, which is permissionless and has no deadline.
    await time.increaseTo(aliceEnd + 45n * DAY);
    expect(await vault.exposureOf(lending)).to.equal(usd(100_000));
    await (await adjudicator.settleIncident(incidentId)).wait();

    await expect(adjudicator.claimIncidentPayout(pA, incidentId)).to.changeTokenBalance(ethers, asset, alice, usd(50_000));
    await expect(adjudicator.claimIncidentPayout(pB, incidentId)).to.changeTokenBalance(ethers, asset, bob, usd(100_000));
  });

  it("reporting an incident on policies whose lock has ended: refused; an incident more than MAX_INCIDENT_AGE (14 days, inside every claim grace) back reverts IncidentTooOld, so no report reaches a lapsed policy", async () => {
    const d = await funded();
    const { claimAdjudicator: adjudicator, coverManager } = d;
    const { lending } = d.productIds;
    const [alice] = d.accounts.buyers;
    const pA = await buy(d, alice, d.vaults.conservative, lending, usd(50_000), 7n * DAY);
    const aliceEnd = (await coverManager.getPolicy(pA)).end;
    expect(await adjudicator.MAX_INCIDENT_AGE()).to.equal(14n * DAY);
    expect(SEED_PRODUCTS.lending.claimGracePeriod > 14 * 86_400).to.equal(true);

    await time.increaseTo(aliceEnd + 40n * DAY);
    const reportedAt = (await now()) + 1n;
    await time.setNextBlockTimestamp(reportedAt);
    await expect(
      adjudicator.connect(d.accounts.watcher).reportIncident(lending, aliceEnd - HOUR, WAD, "ipfs://stale"),
    )
      .to.be.revertedWithCustomError(adjudicator, "IncidentTooOld")
      .withArgs(aliceEnd - HOUR, reportedAt - 14n * DAY);
    expect(await adjudicator.incidentCount()).to.equal(0n);
    expect(await d.vaults.conservative.pendingReserve()).to.equal(0n);
  });

  it("claiming an incident payout after its window: paid until confirmedAt + 30 days, then each vault's unclaimed reserve is released once", async () => {
    const d = await funded();
    const { claimAdjudicator: adjudicator } = d;
    const { lending } = d.productIds;
    const { conservative, highYield } = d.vaults;
    const [alice, bob, carol, dave] = d.accounts.buyers;
    const p1 = await buy(d, alice, conservative, lending, usd(100_000));
    const p2 = await buy(d, bob, highYield, lending, usd(40_000));
    const p3 = await buy(d, carol, conservative, lending, usd(20_000));
    await buy(d, dave, highYield, lending, usd(10_000));
    await time.increase(2n * DAY);
    const incidentId = await report(d, d.accounts.watcher, lending, (await now()) - HOUR, WAD / 2n);
    // Undecided: no claim window yet, nothing to release.
    await expect(adjudicator.releaseIncidentReserve(incidentId))
      .to.be.revertedWithCustomError(adjudicator, "IncidentClaimWindow")
      .withArgs(incidentId, 0n);
    await settleAtExpiration(d, incidentId);
    const { confirmedAt, claimWindowEnd } = await adjudicator.getIncident(incidentId);
    const windowEnd = confirmedAt + CLAIM_WINDOW;
    expect(claimWindowEnd).to.equal(windowEnd);
    // Reserved: half of 120k and of 50k.
    expect((await adjudicator.incidentReserve(incidentId, conservative)).reserved).to.equal(usd(60_000));
    expect((await adjudicator.incidentReserve(incidentId, highYield)).reserved).to.equal(usd(25_000));

    expect(await claimPayout(d, alice, p1, incidentId)).to.equal(usd(50_000));
    await expect(adjudicator.releaseIncidentReserve(incidentId))
      .to.be.revertedWithCustomError(adjudicator, "IncidentClaimWindow")
      .withArgs(incidentId, windowEnd);

    // The last second of the window still pays and still refuses a release.
    await time.setNextBlockTimestamp(windowEnd);
    await expect(adjudicator.releaseIncidentReserve(incidentId))
      .to.be.revertedWithCustomError(adjudicator, "IncidentClaimWindow")
      .withArgs(incidentId, windowEnd);
    await time.setNextBlockTimestamp(windowEnd);
    await expect(adjudicator.connect(bob).claimIncidentPayout(p2, incidentId))
      .to.emit(adjudicator, "IncidentPayoutClaimed")
      .withArgs(incidentId, p2, bob.address, usd(20_000));
    expect(await now()).to.equal(windowEnd);

    // Then it is closed to payouts.
    await expect(adjudicator.connect(carol).claimIncidentPayout(p3, incidentId))
      .to.be.revertedWithCustomError(adjudicator, "IncidentClaimWindow")
      .withArgs(incidentId, windowEnd);

    const pendingBefore = { conservative: await conservative.pendingReserve(), highYield: await highYield.pendingReserve() };
    expect(pendingBefore).to.deep.equal({ conservative: usd(10_000), highYield: usd(5_000) });
    const release = adjudicator.connect(d.accounts.outsider).releaseIncidentReserve(incidentId);
    await expect(release)
      .to.emit(adjudicator, "IncidentReserveReleased")
      .withArgs(incidentId, await conservative.getAddress(), usd(10_000))
      .and.to.emit(adjudicator, "IncidentReserveReleased")
      .withArgs(incidentId, await highYield.getAddress(), usd(5_000))
      .and.to.emit(conservative, "PendingReserveDecreased")
      .withArgs(lending, usd(10_000), 0n)
      .and.to.emit(highYield, "PendingReserveDecreased")
      .withArgs(lending, usd(5_000), 0n);
    expect(await conservative.pendingReserve()).to.equal(0n);
    expect(await highYield.pendingReserve()).to.equal(0n);
    // Every paid policy was paid in full: no shortfall, so no top-up keeps anything back.
    for (const vault of [conservative, highYield]) {
      expect((await adjudicator.incidentReserve(incidentId, vault)).phase).to.equal(2n);
    }

    // A second release changes nothing.
    await expect(adjudicator.releaseIncidentReserve(incidentId)).to.not.emit(adjudicator, "IncidentReserveReleased");
    await expect(adjudicator.releaseIncidentReserve(incidentId)).to.not.emit(conservative, "PendingReserveDecreased");
    expect(await conservative.pendingReserve()).to.equal(0n);
    expect(await highYield.pendingReserve()).to.equal(0n);
  });

  describe("product removal (curator)", () => {
    let d: ParapetDeployment;
    let registry: ProductRegistry;
    let vault: UnderwriterVault;
    let seedBacked: bigint[];
    beforeEach(async () => {
      ({ d, registry, vault, seedBacked } = await governanceFixture());
    });

    it("removing a product while its cover still locks capital (past end, within grace or before the grid boundary): reverts ProductExposureOutstanding; succeeds at the grid boundary after end + grace", async () => {
      const { lending } = d.productIds;
      const [underwriter] = d.accounts.underwriters;
      const [buyer] = d.accounts.buyers;
      await deposit(vault, underwriter, usd(1_000_000));

      // Buy one day after a grid boundary, so that end + grace does not fall on the grid.
      const start = ((BigInt(await time.latest()) / WEEK) + 1n) * WEEK + DAY;
      await time.setNextBlockTimestamp(start);
      const amount = usd(10_000);
      const { policyId } = await buyCover(d, buyer, { vault, productId: lending, amount, period: 30n * DAY });
      const policy = await d.coverManager.getPolicy(policyId);
      expect(policy.start).to.equal(start);
      expect(policy.end).to.equal(start + 30n * DAY);
      const lockedUntil = policy.end + BigInt(SEED_PRODUCTS.lending.claimGracePeriod);
      const expiry = ceilToWeek(lockedUntil);
      expect(expiry).to.be.greaterThan(lockedUntil + 1n);

      expect(await vault.exposureOf(lending)).to.equal(amount);
      await expect(vault.removeProduct(lending))
        .to.be.revertedWithCustomError(vault, "ProductExposureOutstanding")
        .withArgs(lending, amount);

      // Past the policy end and the grace period, but before the grid boundary: still locked.
      await time.increaseTo(lockedUntil);
      expect(await vault.exposureOf(lending)).to.equal(amount);
      await expect(vault.removeProduct(lending))
        .to.be.revertedWithCustomError(vault, "ProductExposureOutstanding")
        .withArgs(lending, amount);
      await time.increaseTo(expiry - 2n);
      expect(await vault.exposureOf(lending)).to.equal(amount);
      expect(await vault.backedProducts()).to.deep.equal(seedBacked);

      await time.setNextBlockTimestamp(expiry);
      await expect(vault.removeProduct(lending)).to.emit(vault, "ProductRemoved").withArgs(lending);
      expect(await time.latest()).to.equal(Number(expiry));
      expect(await vault.exposureOf(lending)).to.equal(0n);
      expect(await vault.backedProducts()).to.deep.equal(swapPop(seedBacked, lending));
      expect(await registry.backingVaults(lending)).to.deep.equal([await d.vaults.highYield.getAddress()]);
    });
  });
});
