import { expect } from "chai";

import { accrueTranches, seniorPremiumDown, type TrancheBook } from "../../sdk/src/core/trancheMath.js";
import type { TrancheManager } from "../../types/ethers-contracts/index.js";
import { buyCover, DAY, time, usd } from "./helpers.js";
import { PARAMS, withTranches } from "./tranchesSetup.js";

const JUNIOR = 0n;
const SENIOR = 1n;

async function bookOf(manager: TrancheManager): Promise<TrancheBook> {
  const [junior, senior, juniorProvision, seniorProvision] = await manager.book();
  return { junior, senior, juniorProvision, seniorProvision };
}

describe("TrancheManager: the loss waterfall and the premium split", () => {
  it("books each tranche at its credit: junior and senior together equal the layer's vault shares at navBid", async () => {
    const { manager, vault, junior, senior, alice, bob } = await withTranches();
    const book = await bookOf(manager);
    expect(book.junior).to.be.closeTo(usd(300_000), 1n);
    expect(book.senior).to.be.closeTo(usd(700_000), 1n);
    expect(book.junior + book.senior).to.equal(await vault.convertToAssets(await manager.vaultShares()));
    expect(await manager.vaultShares()).to.equal(await vault.balanceOf(await manager.getAddress()));
    // 6 more decimals than the asset, like the vault's shares: a first entry mints 1e6 shares per unit.
    expect(await junior.balanceOf(alice.address)).to.equal(book.junior * 10n ** 6n);
    expect(await senior.balanceOf(bob.address)).to.equal(book.senior * 10n ** 6n);
    expect(await junior.decimals()).to.equal(12n);
  });

  it("a loss exactly equal to the junior's value takes all of the junior and nothing of the senior", async () => {
    const { manager, reserve, reserveForLayerLoss } = await withTranches();
    const before = await bookOf(manager);
    await reserve(await reserveForLayerLoss(before.junior));
    await expect(manager.accrue())
      .to.emit(manager, "Accrued")
      .withArgs(0n, 0n, before.junior, 0n, 0n, 0n);
    const after = await bookOf(manager);
    expect(after.junior).to.equal(0n);
    expect(after.senior).to.equal(before.senior);
    expect(after.juniorProvision).to.equal(before.junior);
    expect(await manager.exitValue(JUNIOR)).to.equal(0n);
  });

  it("one unit more takes one unit of the senior", async () => {
    const { manager, reserve, reserveForLayerLoss } = await withTranches();
    const before = await bookOf(manager);
    await reserve(await reserveForLayerLoss(before.junior + 1n));
    await expect(manager.accrue())
      .to.emit(manager, "Accrued")
      .withArgs(0n, 0n, before.junior, 1n, 0n, 0n);
    const after = await bookOf(manager);
    expect([after.junior, after.senior]).to.deep.equal([0n, before.senior - 1n]);
    expect([after.juniorProvision, after.seniorProvision]).to.deep.equal([before.junior, 1n]);
  });

  it("a released reserve gives each tranche back exactly what it bore, senior first, and is no premium", async () => {
    const { manager, reserve, release, reserveForLayerLoss } = await withTranches();
    const before = await bookOf(manager);
    const amount = await reserveForLayerLoss(before.junior + usd(1_000));
    await reserve(amount);
    await (await manager.accrue()).wait();
    await release(amount);
    await expect(manager.accrue())
      .to.emit(manager, "Accrued")
      .withArgs(0n, 0n, 0n, 0n, before.junior, usd(1_000));
    expect(await bookOf(manager)).to.deep.equal({ ...before, juniorProvision: 0n, seniorProvision: 0n });
  });

  it("an approved claim paid from its reserve realizes the junior's provision: no second loss, nothing back", async () => {
    const { manager, reserve, pay } = await withTranches();
    const before = await bookOf(manager);
    await reserve(usd(50_000));
    await (await manager.accrue()).wait();
    const reserved = await bookOf(manager);
    await pay(usd(50_000));
    await (await manager.accrue()).wait();
    const paid = await bookOf(manager);
    expect(paid.junior).to.equal(reserved.junior);
    expect(paid.senior).to.equal(before.senior);
    expect(paid.juniorProvision).to.equal(0n);
    expect(before.junior - paid.junior).to.be.closeTo(usd(50_000), usd(1));
  });

  it("a loss while a junior exit is queued falls on the escrowed shares: the exit pays the value after the loss", async () => {
    const { manager, vault, junior, alice, juniorShares, reserve } = await withTranches();
    const requested = juniorShares / 4n;
    await (await junior.connect(alice).requestRedeem(requested, alice.address, alice.address)).wait();
    await time.increase(await vault.cooldown());
    await reserve(usd(30_000));
    await (await manager.accrue()).wait();
    const book = await bookOf(manager);
    const supply = await junior.totalSupply();
    // The escrowed quarter bears its quarter of the loss: SharesMath at the post-loss junior value.
    const value = (requested * (book.junior + 1n)) / (supply + 10n ** 6n);
    const vaultShares = await vault.convertToShares(value);
    const before = await vault.balanceOf(alice.address);
    await expect(junior.connect(alice).redeem(requested, alice.address, alice.address))
      .to.emit(manager, "TrancheExited")
      .withArgs(JUNIOR, alice.address, value, vaultShares);
    expect((await vault.balanceOf(alice.address)) - before).to.equal(vaultShares);
    expect((await bookOf(manager)).junior).to.equal(book.junior - value);
    expect(value).to.be.lessThan(usd(300_000 - 30_000) / 4n + 1n);
  });

  it("splits streamed premium to the unit: the senior keeps its share of what its protected capital earns", async () => {
    const d = await withTranches();
    const { manager, vault } = d;
    await buyCover(d, d.accounts.buyers[0], { vault, productId: d.productIds.lending, amount: usd(400_000), period: 90n * DAY });
    await (await manager.accrue()).wait();
    const before = await bookOf(manager);
    await time.increase(30n * DAY);
    const value = await vault.convertToAssets(await manager.vaultShares());
    const premium = value - (before.junior + before.senior);
    expect(premium).to.be.greaterThan(usd(1_000));
    const seniorPremium = seniorPremiumDown(premium, before.junior, before.senior, PARAMS);
    const tx = await manager.accrue();
    const receipt = (await tx.wait())!;
    const event = manager.interface.parseLog(receipt.logs.find((log) => log.address === receipt.to)!)!;
    // The block of the accrual streamed a few more seconds than the read above: take the premium the event books.
    const booked = event.args.premium as bigint;
    expect(booked).to.be.closeTo(premium, usd(1));
    expect(event.args.seniorPremium).to.equal(seniorPremiumDown(booked, before.junior, before.senior, PARAMS));
    const after = await bookOf(manager);
    expect(after.senior - before.senior).to.equal(event.args.seniorPremium);
    expect(after.junior - before.junior).to.equal(booked - event.args.seniorPremium);
    // 300k junior protects all 700k of senior at a 20% ratio: the senior keeps 60% of its pro-rata 70%.
    expect(seniorPremium).to.be.closeTo((premium * 42n) / 100n, 2n);
    expect(after).to.deep.equal(
      accrueTranches(before, await vault.convertToAssets(await manager.vaultShares()), 0n, 0n, PARAMS).book,
    );
  });

  it("a junior wiped out by a realized loss is written off at the next junior entry; the senior keeps what it had", async () => {
    const { manager, vault, junior, alice, carol, reserve, pay, reserveForLayerLoss } = await withTranches();
    const before = await bookOf(manager);
    const amount = await reserveForLayerLoss(before.junior);
    await reserve(amount);
    // While the reserve is pending the old class still owns its possible release: no write-off, entry at that price.
    expect(await manager.entryValue(JUNIOR)).to.be.greaterThanOrEqual(before.junior);
    await pay(amount);
    await (await manager.accrue()).wait();
    expect(await manager.entryValue(JUNIOR)).to.equal(0n);
    const supply = await junior.totalSupply();
    // Priced against no supply: the wiped-out class takes nothing of an entrant, whose request-free view reads zero.
    await (await junior.connect(alice).requestRedeem(10n ** 12n, alice.address, alice.address)).wait();
    expect(await junior.previewDeposit(10n ** 12n)).to.equal((await manager.creditOf(10n ** 12n)) * 10n ** 6n);
    await (await vault.connect(carol).deposit(usd(10_000), carol.address)).wait();
    const carolShares = await vault.balanceOf(carol.address);
    const credit = await manager.creditOf(carolShares);
    await expect(junior.connect(carol).deposit(carolShares, carol.address))
      .to.emit(junior, "SharesWrittenOff")
      .withArgs(1n, supply, 0n);
    expect((await junior.redeemRequest(alice.address)).shares).to.equal(0n);
    expect(await junior.balanceOf(alice.address)).to.equal(0n);
    // Written-off holdings are burned when touched; the new class's supply is carol's alone.
    await (await junior.connect(alice).transfer(carol.address, 0n)).wait();
    expect(await junior.totalSupply()).to.equal(await junior.balanceOf(carol.address));
    // The new class starts at par against no supply: nothing of carol's credit goes to the written-off shares.
    expect(await junior.balanceOf(carol.address)).to.equal(credit * 10n ** 6n);
    expect((await bookOf(manager)).junior).to.be.closeTo(credit, 1n);
    expect((await bookOf(manager)).senior).to.equal(before.senior);
    expect(await manager.exitValue(SENIOR)).to.equal(before.senior);
  });
  it("a total loss of the vault writes its share class off: the layer's shares count for nothing, both tranches are worth zero", async () => {
    const { manager, vault, carol, reserve, pay } = await withTranches();
    const shares = await manager.vaultShares();
    const navBid = await vault.navBid();
    await reserve(navBid);
    await pay(navBid);
    await (await vault.connect(carol).deposit(usd(1_000), carol.address)).wait();
    expect(await vault.shareEpoch()).to.equal(1n);
    await expect(manager.accrue()).to.emit(manager, "VaultSharesWrittenOff").withArgs(1n, shares);
    expect(await manager.vaultShares()).to.equal(0n);
    const [junior, senior] = await manager.book();
    expect([junior, senior]).to.deep.equal([0n, 0n]);
  });
});
