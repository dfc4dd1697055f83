import { expect } from "chai";

import { buyCover, DAY, time, usd } from "../helpers.js";
import { enterTranche, withTranches } from "../tranchesSetup.js";

const JUNIOR = 0n;
const SENIOR = 1n;

/** What `shares` of `tranche` (0 junior, 1 senior) redeem for now, SharesMath at the tranche's exit value. */
async function exitValueOf(d: Awaited<ReturnType<typeof withTranches>>, tranche: bigint, shares: bigint) {
  const token = tranche === JUNIOR ? d.junior : d.senior;
  return (shares * ((await d.manager.exitValue(tranche)) + 1n)) / ((await token.totalSupply()) + 10n ** 6n);
}

describe("Attack: tranche boundaries (sandwiches across a loss or a premium, wipe-out donations)", () => {
  it("junior front-running a claim: the exit is asynchronous, so the escrowed shares bear the loss that lands meanwhile", async () => {
    const d = await withTranches();
    const { vault, junior, alice, juniorShares, reserve } = d;
    await (await junior.connect(alice).requestRedeem(juniorShares / 2n, alice.address, alice.address)).wait();
    const before = await exitValueOf(d, JUNIOR, juniorShares / 2n);
    await reserve(usd(60_000));
    await time.increase(await vault.cooldown());
    const after = await exitValueOf(d, JUNIOR, juniorShares / 2n);
    // Half the junior bears half of the whole loss: nothing of it moved to the senior or the remaining juniors.
    expect(before - after).to.be.closeTo(usd(30_000), usd(1));
    expect(await d.manager.exitValue(SENIOR)).to.be.closeTo(usd(700_000), 1n);
  });

  it("entering the junior while a reserve is pending, to catch its release: the entry pays the price before the loss, the release gives the entrant nothing extra", async () => {
    const d = await withTranches();
    const { manager, vault, junior, carol, reserve, release } = d;
    await reserve(usd(200_000));
    await (await manager.accrue()).wait();
    // The junior's exit value fell by the reserve; its entry value did not.
    expect(await manager.exitValue(JUNIOR)).to.be.closeTo(usd(100_000), usd(1));
    expect(await manager.entryValue(JUNIOR)).to.be.closeTo(usd(300_000), usd(1));
    await (await vault.connect(carol).deposit(usd(100_000), carol.address)).wait();
    const vaultShares = await vault.balanceOf(carol.address);
    const credit = await manager.creditOf(vaultShares);
    await (await junior.connect(carol).deposit(vaultShares, carol.address)).wait();
    const shares = await junior.balanceOf(carol.address);
    await release(usd(200_000));
    await (await manager.accrue()).wait();
    expect(await exitValueOf(d, JUNIOR, shares)).to.be.at.most(credit + 1n);
    expect(await exitValueOf(d, JUNIOR, shares)).to.be.closeTo(credit, usd(1));
  });

  it("entering a tranche right before a long-unbooked premium is accrued: the entry accrues first, so the entrant buys none of the premium streamed before it", async () => {
    const d = await withTranches();
    const { manager, vault, senior, junior, carol } = d;
    await buyCover(d, d.accounts.buyers[0], { vault, productId: d.productIds.lending, amount: usd(500_000), period: 180n * DAY });
    await time.increase(60n * DAY);
    const streamed = (await vault.convertToAssets(await manager.vaultShares())) - usd(1_000_000);
    expect(streamed).to.be.greaterThan(usd(1_000));
    for (const tranche of [junior, senior]) {
      await (await vault.connect(carol).deposit(usd(10_000), carol.address)).wait();
      const vaultShares = await vault.balanceOf(carol.address);
      const credit = await manager.creditOf(vaultShares);
      const before = await tranche.balanceOf(carol.address);
      await (await tranche.connect(carol).deposit(vaultShares, carol.address)).wait();
      const shares = (await tranche.balanceOf(carol.address)) - before;
      // Had the entry bought into the unbooked premium, it would hold its pro-rata part of it; it holds only the
      // premium of the second or two since it entered (a few units).
      const unbookedShare = (streamed * credit) / usd(1_000_000);
      expect(await exitValueOf(d, tranche === junior ? JUNIOR : SENIOR, shares)).to.be.lessThan(credit + unbookedShare / 1_000n);
    }
  });

  it("donating vault shares to the manager: they are not counted, so they cannot revive a wiped-out junior class or change any price", async () => {
    const d = await withTranches();
    const { manager, vault, junior, carol, reserve, pay, reserveForLayerLoss } = d;
    const amount = await reserveForLayerLoss((await manager.book())[0]);
    await reserve(amount);
    await pay(amount);
    await (await manager.accrue()).wait();
    const book = await manager.book();
    const entry = await manager.entryValue(JUNIOR);
    expect(entry).to.equal(0n);
    await (await vault.connect(carol).deposit(usd(50_000), carol.address)).wait();
    await (await vault.connect(carol).transfer(await manager.getAddress(), await vault.balanceOf(carol.address))).wait();
    expect(await manager.book()).to.deep.equal(book);
    expect(await manager.entryValue(JUNIOR)).to.equal(0n);
    // The next junior entrant still writes the old class off and starts at par.
    const shares = await enterTranche(vault, junior, d.bob, usd(1_000));
    expect(await junior.shareEpoch()).to.equal(1n);
    expect(shares).to.be.closeTo(usd(1_000) * 10n ** 6n, 10n ** 7n);
  });

  it("a junior wipe-out writes the junior off without moving value to the senior or to the next junior", async () => {
    const d = await withTranches();
    const { manager, vault, junior, senior, bob, carol, reserve, pay, reserveForLayerLoss, seniorShares } = d;
    const [juniorValue, seniorValue] = await manager.book();
    const amount = await reserveForLayerLoss(juniorValue + usd(5_000));
    await reserve(amount);
    await pay(amount);
    await (await manager.accrue()).wait();
    // The senior bore exactly what the junior could not: 5,000.
    expect(await manager.exitValue(SENIOR)).to.equal(seniorValue - usd(5_000));
    await (await vault.connect(carol).deposit(usd(100_000), carol.address)).wait();
    const vaultShares = await vault.balanceOf(carol.address);
    const credit = await manager.creditOf(vaultShares);
    await (await junior.connect(carol).deposit(vaultShares, carol.address)).wait();
    expect(await junior.balanceOf(d.alice.address)).to.equal(0n);
    expect(await exitValueOf(d, JUNIOR, await junior.balanceOf(carol.address))).to.be.closeTo(credit, 1n);
    expect(await exitValueOf(d, SENIOR, seniorShares)).to.be.closeTo(seniorValue - usd(5_000), 1n);
    expect(await senior.balanceOf(bob.address)).to.equal(seniorShares);
  });
});
