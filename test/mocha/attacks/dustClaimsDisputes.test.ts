import { expect } from "chai";

import { ethers, loadParapet, usd } from "../helpers.js";
import { burnOf, COVER, dispute, EVIDENCE, fileClaim, MIN_BOND, rule, withCover } from "../claimsSetup.js";

describe("Attack: dust claims and disputes", () => {
  it("dust claim to grief with a tiny bond: bonded max(100 tUSD, 5% of the amount), rounded up", async () => {
    const s = await withCover();
    const { adj, asset, buyer } = s;
    expect(await adj.bondFor(asset, 1n)).to.equal(MIN_BOND);
    expect(await adj.bondFor(asset, usd(2_000))).to.equal(MIN_BOND);
    expect(await adj.bondFor(asset, usd(2_000) + 1n)).to.equal(MIN_BOND + 1n);
    expect(await adj.bondFor(asset, COVER)).to.equal(usd(5_000));

    const tx = adj.connect(buyer).fileClaim(s.policyId, usd(1_000), s.incidentTime, EVIDENCE);
    await expect(tx).to.changeTokenBalances(ethers, asset, [buyer, adj], [-MIN_BOND, MIN_BOND]);
    expect((await adj.getClaim(1n)).bond).to.equal(MIN_BOND);
  });

  it("odd bond to round the burn away: the burn rounds up", async () => {
    const s = await withCover();
    const { adj, asset, buyer, watcher, treasury } = s;
    const amount = usd(40_000) + 1n; // bond 2,000.000001
    const { claimId, claim } = await fileClaim(s, buyer, amount);
    expect(claim.bond).to.equal(usd(2_000) + 1n);
    await rule(s, await dispute(s, watcher, claimId), false);
    const burn = burnOf(claim.bond);
    expect(burn).to.equal(usd(1_000) + 1n);
    const tx = adj.settleClaim(claimId);
    await expect(tx)
      .to.emit(adj, "BondsSettled")
      .withArgs(await adj.claimKey(claimId), 0n, 2n * claim.bond - burn, burn);
    await expect(tx).to.changeTokenBalances(ethers, asset, [watcher, treasury], [2n * claim.bond - burn, burn]);
  });

  it("dust claim under a per-asset minimum bond: the risk manager's minimum is used below 5% of the amount", async () => {
    const { claimAdjudicator, asset, accounts } = await loadParapet();
    await expect(claimAdjudicator.connect(accounts.riskManager).setMinBond(asset, usd(500)))
      .to.emit(claimAdjudicator, "MinBondSet")
      .withArgs(await asset.getAddress(), usd(500));
    expect(await claimAdjudicator.bondFor(asset, usd(1_000))).to.equal(usd(500));
    expect(await claimAdjudicator.bondFor(asset, usd(100_000))).to.equal(usd(5_000));
    // 5% rounded up.
    expect(await claimAdjudicator.bondFor(asset, usd(100_000) + 1n)).to.equal(usd(5_000) + 1n);
  });
});
