import { expect } from "chai";

import { DAY, time, usd } from "../helpers.js";
import { VIRTUAL_ASSETS, VIRTUAL_SHARES, WAD, withTwoUnderwriters } from "../claimsSetup.js";
import { HOUR, INCIDENT_EVIDENCE } from "../incidentsSetup.js";

describe("Attack: exiting ahead of an incident", () => {
  it("redeeming a ripe request while an incident report is pending: the report already reserved the loss, so the exit is priced net of it and the leaver bears its share", async () => {
    const d = await withTwoUnderwriters();
    const { adj, vault, alice, policy } = d;
    const { lending } = d.productIds;
    const shares = await vault.balanceOf(alice.address);
    await (await vault.connect(alice).requestRedeem(shares, alice.address, alice.address)).wait();
    const { claimableAt } = await vault.redeemRequest(alice.address);

    // A 100% incident on the 20k policy, reported (not yet decided) before alice's request ripens.
    await time.increaseTo(policy.start + 2n * DAY);
    const navBidBefore = await vault.navBid();
    await (
      await adj.connect(d.accounts.watcher).reportIncident(lending, policy.start + DAY + 1n, WAD, INCIDENT_EVIDENCE)
    ).wait();
    expect(await vault.pendingReserve()).to.equal(usd(20_000));
    expect(await vault.productReserve(lending)).to.equal(usd(20_000));
    // The exit price drops by the whole reserve at once (plus what premium earned in the block).
    expect(navBidBefore - (await vault.navBid()) >= usd(20_000) - usd(1)).to.equal(true);

    await time.increaseTo(claimableAt);
    // Half the vault leaves in one call: the breaker's widest setting.
    await (await vault.connect(d.accounts.riskManager).setOutflowLimit(WAD / 2n, DAY)).wait();
    const receipt = (await (await vault.connect(alice).redeem(shares, alice.address, alice.address)).wait())!;
    const assets: bigint = receipt.logs
      .map((log) => vault.interface.parseLog(log))
      .find((parsed) => parsed?.name === "Withdraw")!.args.assets;
    // Priced at navBid, which nets the 20k reserved at the report: alice's half of it stays behind.
    const bidAtExit = (await vault.navBid()) + assets;
    const supplyAtExit = (await vault.totalSupply()) + shares;
    expect(assets).to.equal((shares * (bidAtExit + VIRTUAL_ASSETS)) / (supplyAtExit + VIRTUAL_SHARES));
    const navAskAtExit = bidAtExit + usd(20_000);
    const atAsk = (shares * (navAskAtExit + VIRTUAL_ASSETS)) / (supplyAtExit + VIRTUAL_SHARES);
    expect(atAsk - assets).to.be.within(usd(10_000) - 1n, usd(10_000) + 1n);
    expect(await vault.pendingReserve()).to.equal(usd(20_000));
  });

  it("holding a ripe request open as a free option to leave later at a price that ignores a loss: it expires REDEEM_WINDOW (7 days) after becoming claimable", async () => {
    const d = await withTwoUnderwriters();
    const { vault, alice } = d;
    const shares = await vault.balanceOf(alice.address);
    await (await vault.connect(alice).requestRedeem(shares, alice.address, alice.address)).wait();
    const { claimableAt } = await vault.redeemRequest(alice.address);
    const expiresAt = claimableAt + 7n * DAY;
    await time.increaseTo(expiresAt + HOUR);
    expect(await vault.claimableRedeemRequest(0n, alice.address)).to.equal(0n);
    expect(await vault.maxRedeem(alice.address)).to.equal(0n);
    await expect(vault.connect(alice).redeem(shares, alice.address, alice.address))
      .to.be.revertedWithCustomError(vault, "RedeemRequestExpired")
      .withArgs(alice.address, expiresAt);
    // The shares stayed in escrow, bearing losses and earning like any others; cancelling returns them.
    await expect(vault.connect(alice).cancelRedeemRequest(alice.address))
      .to.emit(vault, "RedeemRequestCancelled")
      .withArgs(alice.address, shares);
    expect(await vault.balanceOf(alice.address)).to.equal(shares);
  });
});
