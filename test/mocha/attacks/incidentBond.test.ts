import { expect } from "chai";
import { parseUnits } from "ethers";

import { incidentBondUpperBound } from "../../../sdk/src/core/index.js";
import { DAY, ethers, time, usd } from "../helpers.js";
import { BOND, buy, funded, HOUR, INCIDENT_EVIDENCE, mulDivUp, now, reservedIn, WAD } from "../incidentsSetup.js";

const BOND_WAD = parseUnits("0.05", 18);
const MAX_INCIDENT_AGE = 14n * DAY;

describe("Attack: freezing capacity with a cheap incident report", () => {
  it("reporting an incident that freezes large reserves for the fixed bond: the bond is max(incidentBond, bondWad x reserved), rounded up, and the disputer matches it", async () => {
    const d = await funded();
    const { claimAdjudicator: adjudicator, asset } = d;
    const { lending, dex } = d.productIds;
    const { conservative, highYield } = d.vaults;
    const [alice, bob] = d.accounts.buyers;
    const { watcher } = d.accounts;
    await buy(d, alice, conservative, lending, usd(450_000));
    await buy(d, bob, highYield, lending, usd(400_000) + 7n);
    await buy(d, bob, conservative, dex, usd(20_000));
    await time.increase(2n * DAY);

    // A third of the cover: the reserves are odd amounts, so the bond's rounding shows.
    const payoutWad = WAD / 3n;
    const incidentTime = (await now()) - HOUR;
    // The SDK's bound, which its client approves before reporting (its Solidity twin is the contract below).
    const market = await d.lens.market(lending);
    const sdkBond = incidentBondUpperBound(BOND, BOND_WAD, await asset.getAddress(), payoutWad, market.vaults);
    const tx = adjudicator.connect(watcher).reportIncident(lending, incidentTime, payoutWad, INCIDENT_EVIDENCE);
    const receipt = (await (await tx).wait())!;
    const reserved = reservedIn(d, receipt);
    const inConservative = reserved.get(await conservative.getAddress())!;
    const inHighYield = reserved.get(await highYield.getAddress())!;
    expect(inConservative.reserved).to.equal(mulDivUp(usd(450_000), payoutWad, WAD));
    expect(inHighYield.reserved).to.equal(mulDivUp(usd(400_000) + 7n, payoutWad, WAD));
    const frozen = inConservative.reserved + inHighYield.reserved;
    const bond = mulDivUp(frozen, BOND_WAD, WAD);
    // Both vaults could reserve all they needed: the bound is exact.
    expect(sdkBond).to.equal(bond);
    // ~283k frozen: the proportional bond (~14.2k) is above the 10k floor, and not a multiple of 20 (rounded up).
    expect(bond > BOND).to.equal(true);
    expect((frozen * BOND_WAD) % WAD).to.not.equal(0n);
    const incidentId = await adjudicator.incidentCount();
    const { expiration, bond: stored } = await adjudicator.getIncident(incidentId);
    expect(stored).to.equal(bond);
    await expect(tx)
      .to.emit(adjudicator, "IncidentReported")
      .withArgs(incidentId, lending, watcher.address, incidentTime, payoutWad, bond, expiration, INCIDENT_EVIDENCE);
    await expect(tx).to.changeTokenBalances(ethers, asset, [watcher, adjudicator], [-bond, bond]);
    expect(await conservative.productReserve(lending)).to.equal(inConservative.reserved);

    // Whoever disputes it posts the same scaled bond.
    await expect(adjudicator.connect(alice).disputeIncident(incidentId)).to.changeTokenBalances(
      ethers,
      asset,
      [alice, adjudicator],
      [-bond, bond],
    );

    // A report that freezes little (20k of dex cover) still posts the 10k floor.
    const small = adjudicator.connect(watcher).reportIncident(dex, (await now()) - HOUR, WAD, INCIDENT_EVIDENCE);
    await expect(small).to.changeTokenBalance(ethers, asset, watcher, -BOND);
    expect((await adjudicator.getIncident(incidentId + 1n)).bond).to.equal(BOND);
    expect(mulDivUp(usd(20_000), BOND_WAD, WAD) < BOND).to.equal(true);
  });

  it("reporting an incident further back than 14 days to freeze capacity over a long-past event: reverts IncidentTooOld(incidentTime, now - 14 days); exactly 14 days back is accepted", async () => {
    const d = await funded();
    const { claimAdjudicator: adjudicator } = d;
    const { lending } = d.productIds;
    const { watcher } = d.accounts;
    await buy(d, d.accounts.buyers[0], d.vaults.conservative, lending, usd(100_000), 90n * DAY);
    await time.increase(30n * DAY);

    const at = (await now()) + 10n;
    const earliest = at - MAX_INCIDENT_AGE;
    await time.setNextBlockTimestamp(at);
    await expect(adjudicator.connect(watcher).reportIncident(lending, earliest - 1n, WAD, INCIDENT_EVIDENCE))
      .to.be.revertedWithCustomError(adjudicator, "IncidentTooOld")
      .withArgs(earliest - 1n, earliest);
    expect(await adjudicator.incidentCount()).to.equal(0n);
    expect(await d.vaults.conservative.pendingReserve()).to.equal(0n);

    await time.setNextBlockTimestamp(at + 1n);
    await expect(adjudicator.connect(watcher).reportIncident(lending, earliest + 1n, WAD, INCIDENT_EVIDENCE))
      .to.emit(adjudicator, "IncidentReported")
      .withArgs(1n, lending, watcher.address, earliest + 1n, WAD, BOND, at + 1n + 3n * DAY, INCIDENT_EVIDENCE);
    expect(await d.vaults.conservative.pendingReserve()).to.equal(usd(100_000));
  });
});
