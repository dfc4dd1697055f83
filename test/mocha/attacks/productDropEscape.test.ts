import { expect } from "chai";

import { buyCover, DAY, time, usd, WEEK } from "../helpers.js";
import { EVIDENCE, WAD } from "../claimsSetup.js";
import { HOUR, INCIDENT_EVIDENCE, funded, now } from "../incidentsSetup.js";
import { ceilToWeek } from "../vaultGovernanceSetup.js";

describe("Attack: dropping a product to escape a loss under way", () => {
  it("dropping a product while a claim on it holds a reserve (its cover's lock already over): refused with ProductCasesOutstanding(productId, reserve, 0) until the claim settles", async () => {
    const d = await funded();
    const vault = d.vaults.conservative;
    const { dex } = d.productIds;
    const [buyer] = d.accounts.buyers;
    // The cover starts 5 days and 1 hour into a grid week, so its claim deadline (37 days later) falls 1 hour after a
    // boundary: the lock then ends almost a week after the filing, past the claim's liveness, on any date the test runs.
    await time.setNextBlockTimestamp(ceilToWeek(await now()) + 5n * DAY + HOUR);
    const { policyId } = await buyCover(d, buyer, { vault, productId: dex, amount: usd(50_000), period: 7n * DAY });
    const policy = await d.coverManager.getPolicy(policyId);
    // A claim filed at the last second of the window; the lock ends at the next grid boundary, before settlement.
    const deadline = policy.end + 30n * DAY;
    await time.setNextBlockTimestamp(deadline);
    await (await d.claimAdjudicator.connect(buyer).fileClaim(policyId, usd(50_000), policy.end, EVIDENCE)).wait();
    const lockEnd = ceilToWeek(deadline);
    expect(lockEnd).to.equal(deadline + WEEK - HOUR);
    await time.increaseTo(lockEnd);
    expect(await vault.exposureOf(dex)).to.equal(0n);
    expect(await vault.productReserve(dex)).to.equal(usd(50_000));

    await expect(vault.connect(d.accounts.curator).removeProduct(dex))
      .to.be.revertedWithCustomError(vault, "ProductCasesOutstanding")
      .withArgs(dex, usd(50_000), 0n);
    expect(await vault.backedProducts()).to.include(dex);

    // The liveness ended before the lock's grid boundary: settle now.
    expect((await d.claimAdjudicator.getClaim(1n)).expiration <= (await now())).to.equal(true);
    await (await d.claimAdjudicator.settleClaim(1n)).wait();
    expect(await vault.productReserve(dex)).to.equal(0n);
    await expect(vault.connect(d.accounts.curator).removeProduct(dex)).to.emit(vault, "ProductRemoved").withArgs(dex);
  });

  it("dropping a product while an incident report on it is open: refused with ProductCasesOutstanding(productId, reserve, openIncidents); the report's vault list is fixed anyway", async () => {
    const d = await funded();
    const vault = d.vaults.highYield;
    const { dex } = d.productIds;
    // No cover on dex in this vault: the report reserves nothing here, but it is open.
    await time.increase(DAY);
    await (
      await d.claimAdjudicator.connect(d.accounts.watcher).reportIncident(dex, (await now()) - HOUR, WAD, INCIDENT_EVIDENCE)
    ).wait();
    expect(await d.claimAdjudicator.incidentVaults(1n)).to.include(await vault.getAddress());
    await expect(vault.connect(d.accounts.curator).removeProduct(dex))
      .to.be.revertedWithCustomError(vault, "ProductCasesOutstanding")
      .withArgs(dex, 0n, 1n);
  });
});
