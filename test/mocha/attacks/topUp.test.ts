import { expect } from "chai";

import { DAY, deposit, ethers, loadParapet, time, usd } from "../helpers.js";
import {
  buy,
  HOUR,
  mulDivDown,
  now,
  reservedIn,
  reportWithReceipt,
  settleAtExpiration,
  WAD,
} from "../incidentsSetup.js";

const WEEK = 7n * DAY;
/** `ReservePhase` in IClaimAdjudicator.sol. */
const Phase = { Open: 0n, TopUp: 1n, Released: 2n } as const;
const min = (a: bigint, b: bigint) => (a < b ? a : b);

describe("Attack: ineligible cover diluting an incident's pro-rata payouts", () => {
  it("cover bought within the coverage lag before an incident swells a short vault's exposure at the report: eligible policies are paid pro rata at first, then topped up from the reserve and free capital after the claim window; the ineligible policy is refused", async () => {
    const d = await loadParapet();
    const { claimAdjudicator: adjudicator, asset } = d;
    const { lending, dex } = d.productIds;
    const vault = d.vaults.highYield;
    const vaultAddress = await vault.getAddress();
    const conservativeAddress = await d.vaults.conservative.getAddress();
    const [alice, bob, carol, dave] = d.accounts.buyers;
    const { watcher, outsider } = d.accounts;
    await deposit(vault, d.accounts.underwriters[0], usd(100_000));

    // Two eligible lending policies (50k) and 80k of dex cover on 100k of capital, for a week.
    const eligible = await buy(d, alice, vault, lending, usd(30_000), WEEK);
    const eligible2 = await buy(d, bob, vault, lending, usd(20_000), WEEK);
    await buy(d, dave, vault, dex, usd(80_000), WEEK);
    await time.increase(2n * DAY);
    // Bought two hours before the reports, an hour before the lending incident: within its coverage lag.
    const late = await buy(d, carol, vault, lending, usd(35_000), WEEK);
    await time.increase(2n * HOUR);

    // The dex report takes 80k of the vault first; the lending report then finds it short of the 85k it counts.
    const dexReport = await reportWithReceipt(d, watcher, dex, (await now()) - 2n * HOUR, WAD);
    const incidentTime = (await now()) - HOUR;
    const { incidentId, receipt } = await reportWithReceipt(d, watcher, lending, incidentTime, WAD);
    const atReport = reservedIn(d, receipt).get(vaultAddress)!;
    expect(atReport.needed).to.equal(usd(85_000));
    expect(atReport.reserved < usd(50_000)).to.equal(true);
    expect(reservedIn(d, receipt).get(conservativeAddress)).to.deep.equal({ needed: 0n, reserved: 0n });
    await settleAtExpiration(d, dexReport.incidentId);
    await settleAtExpiration(d, incidentId);
    const { claimWindowEnd, claimWindow } = await adjudicator.getIncident(incidentId);
    // Every premium has streamed: navBid holds still from block to block.
    await time.increase(2n * WEEK);
    expect(await vault.unearnedPremium()).to.equal(0n);

    // The ineligible policy is refused...
    const latePolicy = await d.coverManager.getPolicy(late);
    await expect(adjudicator.claimIncidentPayout(late, incidentId))
      .to.be.revertedWithCustomError(adjudicator, "IncidentOutsideCover")
      .withArgs(late, incidentTime, latePolicy.start + DAY + 1n, latePolicy.end);

    // ...but its 35k still counts in what the vault may owe: the eligible policies are paid pro rata of 85k.
    const entitlements = new Map([
      [eligible, { holder: alice, entitled: usd(30_000) }],
      [eligible2, { holder: bob, entitled: usd(20_000) }],
    ]);
    const paid = new Map<bigint, bigint>();
    for (const [policyId, { holder, entitled }] of entitlements) {
      const held = await adjudicator.incidentReserve(incidentId, vaultAddress);
      const payable = held.reserveLeft + (await vault.navBid());
      const stillNeeded = held.needed - held.entitled;
      expect(payable < stillNeeded).to.equal(true);
      const share = mulDivDown(entitled, payable, stillNeeded);
      // Diluted: the eligible policies alone would have had more.
      expect(share < mulDivDown(entitled, payable, usd(50_000) - held.entitled)).to.equal(true);
      const tx = adjudicator.connect(outsider).claimIncidentPayout(policyId, incidentId);
      await expect(tx).to.changeTokenBalances(ethers, asset, [holder, vault], [share, -share]);
      await expect(tx).to.emit(adjudicator, "IncidentPayoutClaimed").withArgs(incidentId, policyId, holder.address, share);
      expect(await adjudicator.incidentShortfall(incidentId, policyId)).to.equal(entitled - share);
      paid.set(policyId, share);
    }

    // The claim window closes: the release keeps min(shortfall, reserve left + free navBid) for top-ups.
    await time.setNextBlockTimestamp(claimWindowEnd + 1n);
    const held = await adjudicator.incidentReserve(incidentId, vaultAddress);
    const free = await vault.navBid();
    const shortfall = held.entitled - held.paid;
    expect(held.entitled).to.equal(usd(50_000));
    expect(shortfall).to.equal(usd(50_000) - paid.get(eligible)! - paid.get(eligible2)!);
    const kept = min(shortfall, held.reserveLeft + free);
    const extra = kept > held.reserveLeft ? kept - held.reserveLeft : 0n;
    const topUpWad = mulDivDown(kept, WAD, shortfall);
    // The reserve left is short of the shortfall: free capital is reserved on top of it, and still falls short.
    expect(extra > 0n && kept < shortfall).to.equal(true);
    const release = adjudicator.connect(outsider).releaseIncidentReserve(incidentId);
    await expect(release)
      .to.emit(adjudicator, "IncidentTopUpOpened")
      .withArgs(incidentId, vaultAddress, kept, topUpWad)
      .and.to.emit(adjudicator, "IncidentReserveReleased")
      .withArgs(incidentId, vaultAddress, held.reserveLeft + extra - kept)
      .and.to.emit(adjudicator, "IncidentReserveReleased")
      .withArgs(incidentId, conservativeAddress, 0n)
      .and.to.emit(vault, "PendingReserveIncreased")
      .withArgs(lending, extra, usd(80_000) + held.reserveLeft + extra);
    const pool = await adjudicator.incidentReserve(incidentId, vaultAddress);
    expect([pool.phase, pool.reserveLeft, pool.topUpWad]).to.deep.equal([Phase.TopUp, kept, topUpWad]);
    const lendingReserve = await vault.productReserve(lending);
    expect(lendingReserve).to.equal(kept);

    // A second release inside the top-up window keeps the pool whole.
    const again = adjudicator.connect(outsider).releaseIncidentReserve(incidentId);
    await expect(again).not.to.emit(adjudicator, "IncidentReserveReleased");
    await expect(again).not.to.emit(adjudicator, "IncidentTopUpOpened");
    expect((await adjudicator.incidentReserve(incidentId, vaultAddress)).reserveLeft).to.equal(kept);
    expect(await vault.productReserve(lending)).to.equal(lendingReserve);

    // The first eligible policy takes its share of the pool; the ineligible one has none.
    const owed = usd(30_000) - paid.get(eligible)!;
    const topUp = min(mulDivDown(owed, topUpWad, WAD), kept);
    const claimTopUp = adjudicator.connect(outsider).claimIncidentTopUp(eligible, incidentId);
    await expect(claimTopUp).to.changeTokenBalances(ethers, asset, [alice, vault], [topUp, -topUp]);
    await expect(claimTopUp)
      .to.emit(adjudicator, "IncidentTopUpClaimed")
      .withArgs(incidentId, eligible, alice.address, topUp);
    expect((await d.coverManager.getPolicy(eligible)).claimed).to.equal(paid.get(eligible)! + topUp);
    expect(await adjudicator.incidentShortfall(incidentId, eligible)).to.equal(0n);
    for (const policyId of [eligible, late]) {
      await expect(adjudicator.claimIncidentTopUp(policyId, incidentId))
        .to.be.revertedWithCustomError(adjudicator, "NoTopUp")
        .withArgs(incidentId, policyId);
    }

    // The second one waits past the top-up window (claimWindowEnd + claimWindow): too late.
    const topUpsEnd = claimWindowEnd + claimWindow;
    await time.setNextBlockTimestamp(topUpsEnd + 1n);
    await expect(adjudicator.claimIncidentTopUp(eligible2, incidentId))
      .to.be.revertedWithCustomError(adjudicator, "NoTopUp")
      .withArgs(incidentId, eligible2);
    // What it did not take returns to the underwriters.
    const left = kept - topUp;
    await expect(adjudicator.connect(outsider).releaseIncidentReserve(incidentId))
      .to.emit(adjudicator, "IncidentReserveReleased")
      .withArgs(incidentId, vaultAddress, left);
    const closed = await adjudicator.incidentReserve(incidentId, vaultAddress);
    expect([closed.phase, closed.reserveLeft]).to.deep.equal([Phase.Released, 0n]);
    expect(await vault.productReserve(lending)).to.equal(0n);
    expect(await vault.productReserve(dex)).to.equal(usd(80_000));
    await expect(adjudicator.claimIncidentTopUp(eligible2, incidentId))
      .to.be.revertedWithCustomError(adjudicator, "NoTopUp")
      .withArgs(incidentId, eligible2);
  });
});
