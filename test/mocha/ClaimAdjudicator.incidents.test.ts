import { expect } from "chai";

import { coverParams, DAY, deposit, ethers, loadParapet, time, usd } from "./helpers.js";
import {
  ARBITRATION_TIMEOUT,
  Block,
  BOND,
  BURNED,
  buy,
  CLAIM_WINDOW,
  claimPayout,
  confirmedIncident,
  COVERAGE_LAG,
  funded,
  HOUR,
  INCIDENT_EVIDENCE,
  incidentKey,
  LIVENESS,
  mulDivDown,
  now,
  report,
  reportWithReceipt,
  reservedIn,
  settleAtExpiration,
  State,
  usdPrice,
  WAD,
} from "./incidentsSetup.js";

describe("ClaimAdjudicator incidents", () => {
  describe("reportIncident and settleIncident", () => {
    it("reserves in every backing vault at the report (zero for a vault without exposure), not at confirmation", async () => {
      const d = await funded();
      const { claimAdjudicator: adjudicator, vaults } = d;
      const { dex } = d.productIds;
      await buy(d, d.accounts.buyers[0], vaults.highYield, dex, usd(25_000));
      await time.increase(2n * DAY);
      const incidentTime = (await now()) - HOUR;
      const reportTx = adjudicator.connect(d.accounts.watcher).reportIncident(dex, incidentTime, WAD, INCIDENT_EVIDENCE);
      await expect(reportTx)
        .to.emit(adjudicator, "IncidentReserved")
        .withArgs(1n, await vaults.conservative.getAddress(), 0n, 0n)
        .and.to.emit(adjudicator, "IncidentReserved")
        .withArgs(1n, await vaults.highYield.getAddress(), usd(25_000), usd(25_000))
        .and.to.emit(vaults.highYield, "PendingReserveIncreased")
        .withArgs(dex, usd(25_000), usd(25_000))
        .and.not.to.emit(vaults.conservative, "PendingReserveIncreased");
      expect(await vaults.conservative.pendingReserve()).to.equal(0n);
      expect(await vaults.highYield.pendingReserve()).to.equal(usd(25_000));
      expect(await adjudicator.incidentVaults(1n)).to.deep.equal([
        await vaults.conservative.getAddress(),
        await vaults.highYield.getAddress(),
      ]);

      const { expiration } = await adjudicator.getIncident(1n);
      await time.setNextBlockTimestamp(expiration);
      const settle = adjudicator.settleIncident(1n);
      await expect(settle).not.to.emit(adjudicator, "IncidentReserved");
      await expect(settle).not.to.emit(vaults.highYield, "PendingReserveIncreased");
      const reserve = await adjudicator.incidentReserve(1n, vaults.highYield);
      expect([reserve.needed, reserve.reserved, reserve.reserveLeft]).to.deep.equal([usd(25_000), usd(25_000), usd(25_000)]);
      expect((await adjudicator.getIncident(1n)).claimWindowEnd).to.equal(expiration + CLAIM_WINDOW);
    });

    it("counts concurrent reports on one product and resumes sales only once all are settled", async () => {
      const d = await funded();
      const { coverManager, productRegistry } = d;
      const { lending } = d.productIds;
      const [alice, bob] = d.accounts.buyers;
      await buy(d, alice, d.vaults.conservative, lending, usd(10_000));
      await time.increase(2n * DAY);
      const first = await report(d, d.accounts.watcher, lending, (await now()) - 2n * HOUR, WAD / 2n);
      const second = await report(d, bob, lending, (await now()) - HOUR, WAD);
      expect((await productRegistry.getProduct(lending)).openIncidents).to.equal(2n);

      await settleAtExpiration(d, first);
      expect((await productRegistry.getProduct(lending)).openIncidents).to.equal(1n);
      const params = await coverParams(alice, { vault: d.vaults.conservative, productId: lending, amount: usd(1_000) });
      await expect(coverManager.connect(alice).buyCover(params))
        .to.be.revertedWithCustomError(coverManager, "IncidentPending")
        .withArgs(lending);

      await settleAtExpiration(d, second);
      expect((await productRegistry.getProduct(lending)).openIncidents).to.equal(0n);
      await buy(d, alice, d.vaults.conservative, lending, usd(1_000));
    });
  });

  describe("claimIncidentPayout", () => {
    it("settles payouts while the adjudicator, both vaults and the CoverManager are paused, queued for release", async () => {
      const { d, p1, p2, incidentId } = await confirmedIncident();
      const { claimAdjudicator: adjudicator, coverManager, asset } = d;
      const { conservative, highYield } = d.vaults;
      const { guardian, outsider, watcher } = d.accounts;
      const [alice, bob] = d.accounts.buyers;
      for (const pausable of [adjudicator, coverManager, conservative, highYield]) {
        await (await pausable.connect(guardian).pause()).wait();
      }
      expect(await adjudicator.paused()).to.equal(true);
      expect(await coverManager.paused()).to.equal(true);
      expect(await conservative.paused()).to.equal(true);
      expect(await highYield.paused()).to.equal(true);

      // Paused vaults queue the payouts instead of paying them; the guardian's release pays them in order.
      const aliceClaim = adjudicator.connect(outsider).claimIncidentPayout(p1, incidentId);
      await expect(aliceClaim).to.emit(adjudicator, "IncidentPayoutClaimed");
      await expect(aliceClaim).to.changeTokenBalance(ethers, asset, alice, 0n);
      const bobClaim = adjudicator.connect(bob).claimIncidentPayout(p2, incidentId);
      await expect(bobClaim).to.changeTokenBalance(ethers, asset, bob, 0n);
      expect((await conservative.queuedOutflowAssets()) + (await highYield.queuedOutflowAssets())).to.equal(
        usd(80_000) + usd(32_000),
      );
      const [aliceBefore, bobBefore] = [await asset.balanceOf(alice.address), await asset.balanceOf(bob.address)];
      for (const vault of [conservative, highYield]) await (await vault.connect(guardian).releaseOutflowQueue(10n)).wait();
      expect(await asset.balanceOf(alice.address)).to.equal(aliceBefore + usd(80_000));
      expect(await asset.balanceOf(bob.address)).to.equal(bobBefore + usd(32_000));
      expect((await conservative.queuedOutflowAssets()) + (await highYield.queuedOutflowAssets())).to.equal(0n);
      // New reports do stop.
      await expect(
        adjudicator.connect(watcher).reportIncident(d.productIds.dex, (await now()) - HOUR, WAD, INCIDENT_EVIDENCE),
      ).to.be.revertedWithCustomError(adjudicator, "EnforcedPause");
    });
  });

  describe("pro-rata share when a vault is short", () => {
    it("reserves what a short vault has at the report and pays its policies pro rata of what it can pay now", async () => {
      const d = await loadParapet();
      const { claimAdjudicator: adjudicator, coverManager, asset } = d;
      const { lending, dex } = d.productIds;
      const { conservative, highYield } = d.vaults;
      const [alice, bob, carol, dave] = d.accounts.buyers;
      const { watcher } = d.accounts;
      await deposit(conservative, d.accounts.underwriters[0], usd(1_000_000));
      await deposit(highYield, d.accounts.underwriters[1], usd(100_000));

      // The high-yield vault sells 85k of lending cover and 80k of dex cover on 100k of capital (90% capacity each),
      // for a week: the premium has streamed in full by the time the payouts are claimed, so navBid holds still.
      const p1 = await buy(d, alice, highYield, lending, usd(50_000), 7n * DAY);
      const p2 = await buy(d, bob, highYield, lending, usd(35_000), 7n * DAY);
      const p3 = await buy(d, carol, conservative, lending, usd(10_000), 7n * DAY);
      const onDex = await buy(d, dave, highYield, dex, usd(80_000), 7n * DAY);
      await time.increase(2n * DAY);

      // Both products are hit in full; the dex report comes first and reserves 80k of the vault at once.
      const highYieldAddress = await highYield.getAddress();
      const dexReport = await reportWithReceipt(d, watcher, dex, (await now()) - 2n * HOUR, WAD);
      expect(reservedIn(d, dexReport.receipt).get(highYieldAddress)).to.deep.equal({
        needed: usd(80_000),
        reserved: usd(80_000),
      });
      expect((await highYield.navBid()) < usd(85_000)).to.equal(true);

      const lendingReport = await reportWithReceipt(d, watcher, lending, (await now()) - HOUR, WAD);
      const lendingIncident = lendingReport.incidentId;
      const short = reservedIn(d, lendingReport.receipt).get(highYieldAddress)!;
      expect(short.needed).to.equal(usd(85_000));
      expect(short.reserved > 0n && short.reserved < short.needed).to.equal(true);
      // It reserved everything it had: nothing is left to bid on.
      expect(await highYield.navBid()).to.equal(0n);
      expect(await highYield.pendingReserve()).to.equal(usd(80_000) + short.reserved);
      // The other vault is fully covered.
      expect(reservedIn(d, lendingReport.receipt).get(await conservative.getAddress())).to.deep.equal({
        needed: usd(10_000),
        reserved: usd(10_000),
      });
      await settleAtExpiration(d, dexReport.incidentId);
      await settleAtExpiration(d, lendingIncident);
      await time.increase(10n * DAY);
      expect(await highYield.unearnedPremium()).to.equal(0n);

      // Decided at payment: the reserve for the incident plus the free capital (the premium earned since the report).
      const free = await highYield.navBid();
      expect(free > 0n).to.equal(true);
      const payable = short.reserved + free;
      expect(payable < usd(85_000)).to.equal(true);
      const paid1 = mulDivDown(usd(50_000), payable, usd(85_000));
      const tx1 = adjudicator.claimIncidentPayout(p1, lendingIncident);
      await expect(tx1).to.changeTokenBalances(ethers, asset, [alice, highYield], [paid1, -paid1]);
      await expect(tx1).to.emit(adjudicator, "IncidentPayoutClaimed").withArgs(lendingIncident, p1, alice.address, paid1);
      expect(await adjudicator.incidentShortfall(lendingIncident, p1)).to.equal(usd(50_000) - paid1);
      expect((await coverManager.getPolicy(p1)).claimed).to.equal(paid1);

      // Bob gets the same share of his entitlement: 35k of the 35k still needed, out of what is left.
      const paid2 = payable - paid1;
      expect(paid2).to.equal(mulDivDown(usd(35_000), payable - paid1, usd(35_000)));
      await expect(adjudicator.claimIncidentPayout(p2, lendingIncident)).to.changeTokenBalances(
        ethers,
        asset,
        [bob, highYield],
        [paid2, -paid2],
      );
      const reserve = await adjudicator.incidentReserve(lendingIncident, highYield);
      expect([reserve.reserveLeft, reserve.entitled, reserve.paid]).to.deep.equal([0n, usd(85_000), payable]);
      // Everything the vault could pay went to the claimants; the dex reserve was never touched.
      expect(await highYield.navBid()).to.equal(0n);
      expect(await highYield.productReserve(dex)).to.equal(usd(80_000));
      expect(await claimPayout(d, carol, p3, lendingIncident)).to.equal(usd(10_000));
      // A short payout is final here; the shortfall waits for the leftovers (see attacks/payoutAtPayment).
      await expect(adjudicator.claimIncidentPayout(p1, lendingIncident))
        .to.be.revertedWithCustomError(adjudicator, "IncidentAlreadyPaid")
        .withArgs(lendingIncident, p1);
      // The dex policy was reserved for in full at its report.
      expect(await claimPayout(d, dave, onDex, dexReport.incidentId)).to.equal(usd(80_000));
    });
  });

  describe("incident claim window", () => {
    it("releases while everything is paused", async () => {
      const d = await funded();
      const { claimAdjudicator: adjudicator } = d;
      const { conservative } = d.vaults;
      await buy(d, d.accounts.buyers[0], conservative, d.productIds.lending, usd(10_000));
      await time.increase(2n * DAY);
      const incidentId = await report(d, d.accounts.watcher, d.productIds.lending, (await now()) - HOUR, WAD);
      await settleAtExpiration(d, incidentId);
      const { confirmedAt } = await adjudicator.getIncident(incidentId);
      for (const pausable of [adjudicator, d.coverManager, conservative, d.vaults.highYield]) {
        await (await pausable.connect(d.accounts.guardian).pause()).wait();
      }
      await time.increaseTo(confirmedAt + CLAIM_WINDOW + 1n);
      await expect(adjudicator.releaseIncidentReserve(incidentId))
        .to.emit(adjudicator, "IncidentReserveReleased")
        .withArgs(incidentId, await conservative.getAddress(), usd(10_000));
      expect(await conservative.pendingReserve()).to.equal(0n);
    });
  });

  describe("disputed incidents", () => {
    /** Alice reports a lending incident (100%) on cover she holds; the watcher disputes it. */
    async function disputed() {
      const d = await funded();
      const { claimAdjudicator: adjudicator, committeeArbiter, asset } = d;
      const { lending } = d.productIds;
      const [alice] = d.accounts.buyers;
      const { watcher } = d.accounts;
      const policyId = await buy(d, alice, d.vaults.conservative, lending, usd(50_000));
      await time.increase(2n * DAY);
      const incidentId = await report(d, alice, lending, (await now()) - HOUR, WAD);
      const key = incidentKey(incidentId);

      const tx = adjudicator.connect(watcher).disputeIncident(incidentId);
      await expect(tx).to.changeTokenBalances(ethers, asset, [watcher, adjudicator], [-BOND, BOND]);
      const disputedAt = await now();
      const votingDeadline = disputedAt + 7n * DAY;
      await expect(tx)
        .to.emit(adjudicator, "IncidentDisputed")
        .withArgs(incidentId, lending, watcher.address, 1n)
        .and.to.emit(committeeArbiter, "CaseOpened")
        .withArgs(1n, key, alice.address, watcher.address, votingDeadline);
      const incident = await adjudicator.getIncident(incidentId);
      expect(incident.state).to.equal(State.Disputed);
      expect(incident.disputer).to.equal(watcher.address);
      expect(incident.disputedAt).to.equal(disputedAt);
      expect(incident.arbiter).to.equal(await committeeArbiter.getAddress());
      expect(incident.caseId).to.equal(1n);
      return { d, policyId, incidentId, key, disputedAt };
    }

    it("rejected by the committee: no reserve, sales resume, the disputer takes both bonds minus the burn", async () => {
      const { d, policyId, incidentId, key, disputedAt } = await disputed();
      const { claimAdjudicator: adjudicator, committeeArbiter, coverManager, productRegistry, asset, treasury } = d;
      const { lending } = d.productIds;
      const [alice, bob] = d.accounts.buyers;
      const { watcher } = d.accounts;

      await expect(adjudicator.connect(bob).disputeIncident(incidentId))
        .to.be.revertedWithCustomError(adjudicator, "InvalidAssertionState")
        .withArgs(key, State.Disputed);
      // Sales stay halted while the committee decides, even past the liveness.
      await time.increase(LIVENESS + 1n);
      const params = await coverParams(bob, { vault: d.vaults.conservative, productId: lending, amount: usd(1_000) });
      await expect(coverManager.connect(bob).buyCover(params))
        .to.be.revertedWithCustomError(coverManager, "IncidentPending")
        .withArgs(lending);
      await expect(adjudicator.settleIncident(incidentId))
        .to.be.revertedWithCustomError(adjudicator, "AwaitingRuling")
        .withArgs(key, disputedAt + ARBITRATION_TIMEOUT);

      const [m1, m2] = d.committee;
      await (await committeeArbiter.connect(m1).castVote(1n, false)).wait();
      await (await committeeArbiter.connect(m2).castVote(1n, false)).wait();
      await expect(committeeArbiter.resolve(1n))
        .to.emit(adjudicator, "RulingReceived")
        .withArgs(key, await committeeArbiter.getAddress(), 1n, false);
      expect((await adjudicator.getIncident(incidentId)).ruling).to.equal(2n);

      const pendingBefore = await d.vaults.conservative.pendingReserve();
      const settle = adjudicator.settleIncident(incidentId);
      await expect(settle).to.changeTokenBalances(
        ethers,
        asset,
        [alice, watcher, treasury, adjudicator],
        [0n, 2n * BOND - BURNED, BURNED, -2n * BOND],
      );
      await expect(settle)
        .to.emit(adjudicator, "IncidentSettled")
        .withArgs(incidentId, lending, State.Rejected)
        .and.to.emit(adjudicator, "BondsSettled")
        .withArgs(key, 0n, 2n * BOND - BURNED, BURNED)
        .and.to.emit(productRegistry, "OpenIncidentsChanged")
        .withArgs(lending, 0n)
        .and.to.emit(adjudicator, "IncidentReserveReleased")
        .withArgs(incidentId, await d.vaults.conservative.getAddress(), usd(50_000))
        .and.to.emit(d.vaults.conservative, "PendingReserveDecreased")
        .withArgs(lending, usd(50_000), pendingBefore - usd(50_000));
      // What the report reserved is released in full.
      expect(pendingBefore).to.equal(usd(50_000));
      expect(await d.vaults.conservative.pendingReserve()).to.equal(0n);
      const incident = await adjudicator.getIncident(incidentId);
      expect(incident.state).to.equal(State.Rejected);
      expect(incident.confirmedAt).to.equal(0n);
      await expect(adjudicator.claimIncidentPayout(policyId, incidentId))
        .to.be.revertedWithCustomError(adjudicator, "IncidentClaimWindow")
        .withArgs(incidentId, 0n);
      await expect(adjudicator.releaseIncidentReserve(incidentId))
        .to.be.revertedWithCustomError(adjudicator, "IncidentClaimWindow")
        .withArgs(incidentId, 0n);
      await expect(adjudicator.settleIncident(incidentId))
        .to.be.revertedWithCustomError(adjudicator, "InvalidAssertionState")
        .withArgs(key, State.Rejected);
      expect((await productRegistry.getProduct(lending)).openIncidents).to.equal(0n);
      await buy(d, bob, d.vaults.conservative, lending, usd(1_000));
    });

    it("upheld by the committee: reserves, and the reporter takes both bonds minus the burn", async () => {
      const { d, policyId, incidentId, key } = await disputed();
      const { claimAdjudicator: adjudicator, committeeArbiter, asset, treasury } = d;
      const [alice] = d.accounts.buyers;
      const { watcher } = d.accounts;
      const [, m2, m3] = d.committee;
      await (await committeeArbiter.connect(m2).castVote(1n, true)).wait();
      await (await committeeArbiter.connect(m3).castVote(1n, true)).wait();
      await (await committeeArbiter.resolve(1n)).wait();

      const settle = adjudicator.settleIncident(incidentId);
      await expect(settle).to.changeTokenBalances(
        ethers,
        asset,
        [alice, watcher, treasury, adjudicator],
        [2n * BOND - BURNED, 0n, BURNED, -2n * BOND],
      );
      await expect(settle)
        .to.emit(adjudicator, "IncidentSettled")
        .withArgs(incidentId, d.productIds.lending, State.Approved)
        .and.to.emit(adjudicator, "BondsSettled")
        .withArgs(key, 2n * BOND - BURNED, 0n, BURNED);
      expect(await claimPayout(d, alice, policyId, incidentId)).to.equal(usd(50_000));
    });

    it("draws after the arbitration timeout without a ruling: both bonds are refunded and nothing is reserved", async () => {
      const { d, policyId, incidentId, key, disputedAt } = await disputed();
      const { claimAdjudicator: adjudicator, productRegistry, asset, treasury } = d;
      const { lending } = d.productIds;
      const [alice] = d.accounts.buyers;
      const { watcher } = d.accounts;
      const drawAt = disputedAt + ARBITRATION_TIMEOUT;

      await time.setNextBlockTimestamp(drawAt - 1n);
      await expect(adjudicator.settleIncident(incidentId))
        .to.be.revertedWithCustomError(adjudicator, "AwaitingRuling")
        .withArgs(key, drawAt);
      await time.setNextBlockTimestamp(drawAt);
      const settle = adjudicator.settleIncident(incidentId);
      await expect(settle).to.changeTokenBalances(
        ethers,
        asset,
        [alice, watcher, treasury, adjudicator],
        [BOND, BOND, 0n, -2n * BOND],
      );
      await expect(settle)
        .to.emit(adjudicator, "IncidentSettled")
        .withArgs(incidentId, lending, State.Drawn)
        .and.to.emit(adjudicator, "BondsSettled")
        .withArgs(key, BOND, BOND, 0n)
        .and.to.emit(productRegistry, "OpenIncidentsChanged")
        .withArgs(lending, 0n)
        .and.to.emit(adjudicator, "IncidentReserveReleased")
        .withArgs(incidentId, await d.vaults.conservative.getAddress(), usd(50_000));
      expect((await adjudicator.getIncident(incidentId)).state).to.equal(State.Drawn);
      expect(await d.vaults.conservative.pendingReserve()).to.equal(0n);
      await expect(adjudicator.claimIncidentPayout(policyId, incidentId))
        .to.be.revertedWithCustomError(adjudicator, "IncidentClaimWindow")
        .withArgs(incidentId, 0n);
      await buy(d, alice, d.vaults.conservative, lending, usd(1_000));
    });
  });

  describe("parametric depeg through the PriceFeedTrigger", () => {
    it("confirms at once when the feed reads below the threshold and pays eligible policies 100%", async () => {
      const d = await funded();
      const { claimAdjudicator: adjudicator, coverManager, productRegistry, priceFeed, priceFeedTrigger: trigger, asset } = d;
      const { depeg } = d.productIds;
      const { conservative, highYield } = d.vaults;
      const [alice, bob, carol] = d.accounts.buyers;
      const { outsider } = d.accounts;
      const p1 = await buy(d, alice, conservative, depeg, usd(100_000));
      const p2 = await buy(d, bob, highYield, depeg, usd(50_000));
      await time.increase(2n * DAY);
      // Covered from one hour before the feed observes the depeg + the coverage lag: after the observation.
      const p3 = await buy(d, carol, conservative, depeg, usd(20_000));
      await time.increase(HOUR);

      // The seed reading is two days old by now.
      const [, seedAnswer, , seedUpdatedAt] = await priceFeed.latestRoundData();
      expect([...(await trigger.status())]).to.deep.equal([Block.StaleAnswer, seedAnswer, seedUpdatedAt]);
      expect([...(await trigger.checkUpkeep("0x"))]).to.deep.equal([false, "0x"]);

      const answer = usdPrice("0.95");
      await (await priceFeed.updateAnswer(answer)).wait();
      const updatedAt = await now();
      const roundId = await priceFeed.latestRound();
      // The keeper comes late, though within the staleness limit, and after `p3`'s coverage lag has passed.
      await time.increaseTo(updatedAt + 23n * HOUR + 30n * 60n);
      expect([...(await trigger.status())]).to.deep.equal([Block.None, answer, updatedAt]);
      expect([...(await trigger.checkUpkeep("0x"))]).to.deep.equal([true, "0x"]);
      expect((await coverManager.getPolicy(p3)).start + COVERAGE_LAG < (await now()) + 1n).to.equal(true);

      const tx = trigger.connect(outsider).performUpkeep("0x");
      await expect(tx).to.changeTokenBalances(ethers, asset, [adjudicator, conservative, highYield], [0n, 0n, 0n]);
      const firedAt = await now();
      const triggerAddress = await trigger.getAddress();
      await expect(tx)
        .to.emit(trigger, "TriggerFired")
        .withArgs(depeg, 1n, roundId, answer, updatedAt)
        .and.to.emit(adjudicator, "IncidentReported")
        // The incident is dated at the feed's observation, not at the keeper's call.
        .withArgs(1n, depeg, triggerAddress, updatedAt, WAD, 0n, firedAt, "")
        .and.to.emit(adjudicator, "IncidentSettled")
        .withArgs(1n, depeg, State.Approved)
        .and.to.emit(adjudicator, "IncidentReserved")
        .withArgs(1n, await conservative.getAddress(), usd(120_000), usd(120_000))
        .and.to.emit(adjudicator, "IncidentReserved")
        .withArgs(1n, await highYield.getAddress(), usd(50_000), usd(50_000))
        .and.to.emit(productRegistry, "TriggerDisarmed")
        .withArgs(depeg, triggerAddress)
        .and.not.to.emit(productRegistry, "OpenIncidentsChanged");
      expect(await trigger.fired()).to.equal(true);
      expect(await trigger.incidentId()).to.equal(1n);
      const incident = await adjudicator.getIncident(1n);
      expect(incident.state).to.equal(State.Approved);
      expect(incident.incidentTime).to.equal(updatedAt);
      expect(incident.confirmedAt).to.equal(firedAt);
      expect(incident.reporter).to.equal(triggerAddress);
      expect(incident.bond).to.equal(0n);
      expect(incident.payoutWad).to.equal(WAD);
      expect(await conservative.pendingReserve()).to.equal(usd(120_000));
      expect(await highYield.pendingReserve()).to.equal(usd(50_000));

      await expect(adjudicator.connect(outsider).claimIncidentPayout(p1, 1n)).to.changeTokenBalances(
        ethers,
        asset,
        [alice, conservative],
        [usd(100_000), -usd(100_000)],
      );
      await expect(adjudicator.connect(bob).claimIncidentPayout(p2, 1n))
        .to.emit(adjudicator, "IncidentPayoutClaimed")
        .withArgs(1n, p2, bob.address, usd(50_000));
      for (const policyId of [p1, p2]) {
        const policy = await coverManager.getPolicy(policyId);
        expect(policy.claimed).to.equal(policy.amount);
        await expect(adjudicator.claimIncidentPayout(policyId, 1n))
          .to.be.revertedWithCustomError(adjudicator, "IncidentAlreadyPaid")
          .withArgs(1n, policyId);
      }
      const policy3 = await coverManager.getPolicy(p3);
      await expect(adjudicator.claimIncidentPayout(p3, 1n))
        .to.be.revertedWithCustomError(adjudicator, "IncidentOutsideCover")
        .withArgs(p3, updatedAt, policy3.start + COVERAGE_LAG + 1n, policy3.end);

      // One shot.
      expect([...(await trigger.status())]).to.deep.equal([Block.AlreadyFired, answer, updatedAt]);
      await expect(trigger.fire())
        .to.be.revertedWithCustomError(trigger, "TriggerBlocked")
        .withArgs(Block.AlreadyFired, answer, updatedAt);
      expect(await adjudicator.incidentCount()).to.equal(1n);
    });

    it("lets only the product's registered trigger confirm, and refuses reports on parametric products", async () => {
      const d = await loadParapet();
      const { claimAdjudicator: adjudicator, productRegistry, priceFeed, priceFeedTrigger: trigger } = d;
      const { lending, depeg } = d.productIds;
      const { outsider, watcher, riskManager } = d.accounts;
      const past = (await now()) - HOUR;

      await expect(adjudicator.connect(outsider).confirmParametricIncident(depeg, past, WAD))
        .to.be.revertedWithCustomError(adjudicator, "NotProductTrigger")
        .withArgs(depeg, outsider.address);
      // A discretionary product has no trigger at all.
      await expect(adjudicator.connect(outsider).confirmParametricIncident(lending, past, WAD))
        .to.be.revertedWithCustomError(adjudicator, "NotProductTrigger")
        .withArgs(lending, outsider.address);
      await expect(adjudicator.connect(watcher).reportIncident(depeg, past, WAD, INCIDENT_EVIDENCE))
        .to.be.revertedWithCustomError(adjudicator, "WrongProductKind")
        .withArgs(depeg);

      // Once the product's trigger is replaced, the old one can no longer confirm.
      await (await productRegistry.connect(riskManager).setProductTrigger(depeg, outsider.address)).wait();
      await (await priceFeed.updateAnswer(usdPrice("0.9"))).wait();
      await expect(trigger.fire())
        .to.be.revertedWithCustomError(adjudicator, "NotProductTrigger")
        .withArgs(depeg, await trigger.getAddress());

      // The registered trigger's inputs are still checked.
      const t = (await now()) + 100n;
      await time.setNextBlockTimestamp(t);
      await expect(adjudicator.connect(outsider).confirmParametricIncident(depeg, t + 1n, WAD))
        .to.be.revertedWithCustomError(adjudicator, "IncidentNotInPast")
        .withArgs(t + 1n, t);
      await expect(adjudicator.connect(outsider).confirmParametricIncident(depeg, past, 0n))
        .to.be.revertedWithCustomError(adjudicator, "InvalidPayoutRatio")
        .withArgs(0n);
      await expect(adjudicator.connect(outsider).confirmParametricIncident(depeg, past, WAD + 1n))
        .to.be.revertedWithCustomError(adjudicator, "InvalidPayoutRatio")
        .withArgs(WAD + 1n);
      // The current block's time is accepted, as the trigger passes it.
      await time.setNextBlockTimestamp(t);
      await expect(adjudicator.connect(outsider).confirmParametricIncident(depeg, t, WAD / 2n))
        .to.emit(adjudicator, "IncidentReported")
        .withArgs(1n, depeg, outsider.address, t, WAD / 2n, 0n, t, "");
    });
  });

  describe("invalid inputs", () => {
    it("reverts InvalidPayoutRatio outside (0, 1e18] and IncidentNotInPast for a time not in the past", async () => {
      const d = await funded();
      const { claimAdjudicator: adjudicator, asset } = d;
      const { lending } = d.productIds;
      const { watcher } = d.accounts;
      const past = (await now()) - HOUR;
      for (const payoutWad of [0n, WAD + 1n, 2n * WAD]) {
        await expect(adjudicator.connect(watcher).reportIncident(lending, past, payoutWad, INCIDENT_EVIDENCE))
          .to.be.revertedWithCustomError(adjudicator, "InvalidPayoutRatio")
          .withArgs(payoutWad);
      }
      const t = (await now()) + 100n;
      for (const incidentTime of [t, t + 1n, t + DAY]) {
        await time.setNextBlockTimestamp(t);
        await expect(adjudicator.connect(watcher).reportIncident(lending, incidentTime, WAD, INCIDENT_EVIDENCE))
          .to.be.revertedWithCustomError(adjudicator, "IncidentNotInPast")
          .withArgs(incidentTime, t);
      }
      expect(await adjudicator.incidentCount()).to.equal(0n);
      expect(await asset.balanceOf(adjudicator)).to.equal(0n);

      // The bounds themselves: 1e18 and a time one second back.
      await time.setNextBlockTimestamp(t);
      await expect(adjudicator.connect(watcher).reportIncident(lending, t - 1n, WAD, INCIDENT_EVIDENCE))
        .to.emit(adjudicator, "IncidentReported")
        .withArgs(1n, lending, watcher.address, t - 1n, WAD, BOND, t + LIVENESS, INCIDENT_EVIDENCE);
      await time.setNextBlockTimestamp(t + 1n);
      await expect(adjudicator.connect(watcher).reportIncident(lending, t - 1n, 1n, INCIDENT_EVIDENCE))
        .to.emit(adjudicator, "IncidentReported")
        .withArgs(2n, lending, watcher.address, t - 1n, 1n, BOND, t + 1n + LIVENESS, INCIDENT_EVIDENCE);
    });

    it("reverts InvalidAssertionState(key, None) for an unknown incident, and UnknownProduct for an unknown product", async () => {
      const d = await loadParapet();
      const { claimAdjudicator: adjudicator, productRegistry } = d;
      for (const incidentId of [0n, 1n, 99n]) {
        await expect(adjudicator.getIncident(incidentId))
          .to.be.revertedWithCustomError(adjudicator, "InvalidAssertionState")
          .withArgs(incidentKey(incidentId), State.None);
      }
      expect(await adjudicator.incidentKey(99n)).to.equal(incidentKey(99n));
      await expect(adjudicator.settleIncident(99n))
        .to.be.revertedWithCustomError(adjudicator, "InvalidAssertionState")
        .withArgs(incidentKey(99n), State.None);
      await expect(adjudicator.connect(d.accounts.watcher).disputeIncident(99n))
        .to.be.revertedWithCustomError(adjudicator, "InvalidAssertionState")
        .withArgs(incidentKey(99n), State.None);
      await expect(adjudicator.releaseIncidentReserve(99n))
        .to.be.revertedWithCustomError(adjudicator, "IncidentClaimWindow")
        .withArgs(99n, 0n);
      await expect(adjudicator.connect(d.accounts.watcher).reportIncident(99n, (await now()) - HOUR, WAD, INCIDENT_EVIDENCE))
        .to.be.revertedWithCustomError(productRegistry, "UnknownProduct")
        .withArgs(99n);
      const incidentReserve = await adjudicator.incidentReserve(99n, d.vaults.conservative);
      expect([incidentReserve.needed, incidentReserve.reserved, incidentReserve.paid, incidentReserve.phase]).to.deep.equal([
        0n,
        0n,
        0n,
        0n,
      ]);
    });
  });
});
