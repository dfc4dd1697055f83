import { expect } from "chai";

import { buyCover, DAY, ethers, usd } from "./helpers.js";
import { fundedVaults } from "./vaultSetup.js";

const AMOUNT = usd(100_000);
const PERIOD = 90n * DAY;

/**
 * A sale pays the premium and the protocol fee into the vault in one transfer. The vault books the premium; the fee
 * waits beyond its books (managed, queued and parked assets) until anyone sweeps it to the CoverManager's treasury.
 */
describe("UnderwriterVault.sweepProtocolFees", () => {
  async function withSale() {
    const d = await fundedVaults();
    const vault = d.vaults.conservative;
    const [buyer] = d.accounts.buyers;
    const [, fee] = await d.coverManager.quotePremium(d.productIds.lending, vault, AMOUNT, PERIOD);
    await buyCover(d, buyer, { vault, productId: d.productIds.lending, amount: AMOUNT, period: PERIOD });
    return { ...d, vault, fee };
  }

  /** What the shares are worth is built from these (the premium streams aside, which a sweep never touches). */
  async function pricesOf(vault: Awaited<ReturnType<typeof withSale>>["vault"]) {
    return {
      managedAssets: await vault.managedAssets(),
      pendingReserve: await vault.pendingReserve(),
      totalSupply: await vault.totalSupply(),
      queued: await vault.queuedOutflowAssets(),
      parked: await vault.parkedPayoutAssets(),
    };
  }

  it("sends the fees of the vault's sales to the treasury, whoever calls; books, NAV and share price unchanged", async () => {
    const s = await withSale();
    expect(s.fee).to.be.greaterThan(0n);
    expect(await s.vault.protocolFeesHeld()).to.equal(s.fee);
    const before = await pricesOf(s.vault);

    const sweep = s.vault.connect(s.accounts.outsider).sweepProtocolFees();
    await expect(sweep).to.emit(s.vault, "ProtocolFeesSwept").withArgs(s.treasury.address, s.fee);
    await expect(sweep).to.changeTokenBalances(ethers, s.asset, [s.vault, s.treasury], [-s.fee, s.fee]);
    expect(await pricesOf(s.vault)).to.deep.equal(before);
    expect(await s.vault.protocolFeesHeld()).to.equal(0n);

    const held = await s.asset.balanceOf(s.vault);
    await expect(s.vault.sweepProtocolFees())
      .to.be.revertedWithCustomError(s.vault, "NoProtocolFees")
      .withArgs(held, held);
  });

  it("NoProtocolFees(held, booked) on a vault that sold nothing: nothing moves", async () => {
    const d = await fundedVaults();
    const vault = d.vaults.highYield;
    const held = await d.asset.balanceOf(vault);
    expect(held).to.equal(usd(500_000));
    expect(await vault.protocolFeesHeld()).to.equal(0n);
    await expect(vault.sweepProtocolFees()).to.be.revertedWithCustomError(vault, "NoProtocolFees").withArgs(held, held);
    expect(await d.asset.balanceOf(vault)).to.equal(held);
  });

  it("tokens sent to the vault unasked go with the fees, never to the shares", async () => {
    const s = await withSale();
    const [donor] = s.accounts.buyers;
    const before = await pricesOf(s.vault);
    await (await s.asset.connect(donor).transfer(s.vault, usd(7))).wait();
    expect(await pricesOf(s.vault)).to.deep.equal(before);
    expect(await s.vault.protocolFeesHeld()).to.equal(s.fee + usd(7));
    await expect(s.vault.sweepProtocolFees())
      .to.emit(s.vault, "ProtocolFeesSwept")
      .withArgs(s.treasury.address, s.fee + usd(7));
  });

  it("not while the vault is paused (EnforcedPause), nothing moves; after unpausing it sweeps", async () => {
    const s = await withSale();
    await (await s.vault.connect(s.accounts.guardian).pause()).wait();
    await expect(s.vault.sweepProtocolFees()).to.be.revertedWithCustomError(s.vault, "EnforcedPause");
    expect(await s.vault.protocolFeesHeld()).to.equal(s.fee);
    await (await s.vault.connect(s.accounts.admin).unpause()).wait();
    await expect(s.vault.sweepProtocolFees()).to.changeTokenBalances(
      ethers,
      s.asset,
      [s.vault, s.treasury],
      [-s.fee, s.fee],
    );
  });

  it("pays the treasury of the day: after setTreasury the next sweep goes to the new one", async () => {
    const s = await withSale();
    const { outsider: newTreasury } = s.accounts;
    await (await s.coverManager.connect(s.accounts.admin).setTreasury(newTreasury.address)).wait();
    await expect(s.vault.sweepProtocolFees()).to.changeTokenBalances(
      ethers,
      s.asset,
      [s.vault, s.treasury, newTreasury],
      [-s.fee, 0n, s.fee],
    );
  });
});
