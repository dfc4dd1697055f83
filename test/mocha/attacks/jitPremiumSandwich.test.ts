import { expect } from "chai";

import { buyCover, DAY, deposit, loadParapet, time, usd, WEEK } from "../helpers.js";
import { COOLDOWN, unearnedOf, withStreamingCover } from "../vaultSetup.js";

describe("Attack: just-in-time premium sandwich", () => {
  it("deposit right before a large purchase, exit at once: the just-in-time depositor gains at most its pro-rata share of the premium earned while its capital was at risk", async () => {
    const d = await loadParapet();
    const vault = d.vaults.highYield;
    const [alice, attacker] = d.accounts.underwriters;
    const [buyer] = d.accounts.buyers;
    await deposit(vault, alice, usd(1_000_000));

    // Sandwich: deposit right before a large purchase, request the exit right after it.
    const stake = usd(1_000_000);
    await deposit(vault, attacker, stake);
    const attackerShares = await vault.balanceOf(attacker.address);
    const priceBefore = await vault.convertToAssets(10n ** 18n);
    const period = 30n * DAY;
    const { receipt } = await buyCover(d, buyer, { vault, productId: d.productIds.lending, amount: usd(1_500_000), period });
    const start = BigInt((await receipt.getBlock()).timestamp);
    expect(await vault.convertToAssets(10n ** 18n)).to.equal(priceBefore);
    expect(await vault.convertToAssets(attackerShares) <= stake).to.equal(true);
    await vault.connect(attacker).requestRedeem(attackerShares, attacker.address, attacker.address);

    // The earliest exit captures only the premium earned while its capital was at risk, pro rata.
    await time.increase(COOLDOWN);
    const premium = (await vault.managedAssets()) - usd(2_000_000);
    const streamEnd = ((start + period + WEEK - 1n) / WEEK) * WEEK;
    const now = BigInt(await time.latest()) + 1n;
    const earnedSoFar = premium - unearnedOf(premium, start, streamEnd, now);
    const before = await d.asset.balanceOf(attacker.address);
    await vault.connect(attacker).redeem(await vault.maxRedeem(attacker.address), attacker.address, attacker.address);
    const gain = (await d.asset.balanceOf(attacker.address)) - before - stake;
    expect(gain <= earnedSoFar / 2n).to.equal(true);
  });

  it("purchase landing between a deposit and an exit: the whole premium is booked as unearned at purchase, so NAV does not move", async () => {
    const { vault, premium } = await withStreamingCover(60n * DAY);
    expect(premium > 0n).to.equal(true);
    expect(await vault.unearnedPremium()).to.equal(premium);
    expect(await vault.navBid()).to.equal(usd(1_000_000));
  });

  it("depositing right after a premium was paid, to share in it: the premium is unearned, so the deposit enters at the pre-premium price", async () => {
    const d = await loadParapet();
    const vault = d.vaults.highYield;
    const [alice, bob] = d.accounts.underwriters;
    const [buyer] = d.accounts.buyers;
    await deposit(vault, alice, usd(100_000));
    await buyCover(d, buyer, { vault, productId: d.productIds.lending, amount: usd(50_000) });
    // The premium sits in the vault as unearned: the share price is unchanged, so bob pays the pre-premium price.
    expect(await vault.navAsk()).to.equal(usd(100_000));
    const shares = await vault.previewDeposit(usd(100_000));
    expect(shares).to.equal((usd(100_000) * (usd(100_000) * 10n ** 6n + 10n ** 6n)) / (usd(100_000) + 1n));
    await deposit(vault, bob, usd(100_000));
  });
});
