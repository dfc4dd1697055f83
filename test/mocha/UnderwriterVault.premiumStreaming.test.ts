import { expect } from "chai";

import { buyCover, DAY, deposit, loadParapet, time, usd, WEEK } from "./helpers.js";

const RATE_SCALE = 10n ** 18n;
const COOLDOWN = 14n * DAY;

/** Unearned premium of one stream, exactly as the vault computes it (rate rounded down, total rounded up). */
function unearnedOf(premium: bigint, start: bigint, streamEnd: bigint, now: bigint): bigint {
  if (now >= streamEnd) return 0n;
  const scaled = premium * RATE_SCALE;
  const rate = scaled / (streamEnd - start);
  const remainder = scaled - rate * (streamEnd - start);
  const numerator = rate * (streamEnd - now) + remainder;
  return (numerator + RATE_SCALE - 1n) / RATE_SCALE;
}

describe("UnderwriterVault premium streaming", () => {
  async function withCover(period: bigint) {
    const d = await loadParapet();
    const vault = d.vaults.highYield;
    const [alice] = d.accounts.underwriters;
    const [buyer] = d.accounts.buyers;
    await deposit(vault, alice, usd(1_000_000));
    const { receipt } = await buyCover(d, buyer, { vault, productId: d.productIds.lending, amount: usd(300_000), period });
    const start = BigInt((await receipt.getBlock()).timestamp);
    const premium = (await vault.managedAssets()) - usd(1_000_000);
    const streamEnd = ((start + period + WEEK - 1n) / WEEK) * WEEK;
    return { ...d, vault, alice, premium, start, streamEnd };
  }

  it("books the whole premium as unearned at purchase, so NAV does not move", async () => {
    const { vault, premium } = await withCover(60n * DAY);
    expect(premium > 0n).to.equal(true);
    expect(await vault.unearnedPremium()).to.equal(premium);
    expect(await vault.navBid()).to.equal(usd(1_000_000));
  });

  it("earns linearly up to the policy end rounded up to the 7-day grid", async () => {
    const { vault, premium, start, streamEnd } = await withCover(60n * DAY);
    for (const elapsed of [1n, DAY, 10n * DAY, 33n * DAY, streamEnd - start - 1n]) {
      await time.increaseTo(start + elapsed);
      const expected = unearnedOf(premium, start, streamEnd, start + elapsed);
      expect(await vault.unearnedPremium()).to.equal(expected);
      expect(await vault.navBid()).to.equal(usd(1_000_000) + premium - expected);
    }
    await time.increaseTo(streamEnd);
    expect(await vault.unearnedPremium()).to.equal(0n);
    expect(await vault.navBid()).to.equal(usd(1_000_000) + premium);
  });

  it("keeps the sum exact across many overlapping streams and releases each at its boundary", async () => {
    const d = await loadParapet();
    const vault = d.vaults.highYield;
    const [alice] = d.accounts.underwriters;
    await deposit(vault, alice, usd(1_000_000));
    const streams: Array<{ premium: bigint; start: bigint; end: bigint }> = [];
    let managedBefore = await vault.managedAssets();
    for (let i = 0n; i < 6n; i++) {
      const period = (10n + 17n * i) * DAY;
      const { receipt } = await buyCover(d, d.accounts.buyers[Number(i % 4n)], {
        vault,
        productId: i % 2n === 0n ? d.productIds.lending : d.productIds.dex,
        amount: usd(10_000n + 3_333n * i),
        period,
      });
      const start = BigInt((await receipt.getBlock()).timestamp);
      const managed = await vault.managedAssets();
      streams.push({ premium: managed - managedBefore, start, end: ((start + period + WEEK - 1n) / WEEK) * WEEK });
      managedBefore = managed;
      await time.increase(3n * DAY + 11n);
    }
    const origin = BigInt(await time.latest());
    for (const checkpoint of [1n, 20n, 45n, 80n, 120n]) {
      await time.increaseTo(origin + checkpoint * DAY);
      const now = BigInt(await time.latest());
      // Per-stream ceilings bound the aggregate from above; the vault rounds the aggregate once.
      const upper = streams.reduce((sum, s) => sum + unearnedOf(s.premium, s.start, s.end, now), 0n);
      const actual = await vault.unearnedPremium();
      expect(actual <= upper).to.equal(true);
      expect(actual >= upper - BigInt(streams.length)).to.equal(true);
    }
    expect(await vault.unearnedPremium()).to.equal(0n);
  });

  it("gives a just-in-time depositor nothing from a premium paid right after it enters", async () => {
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
    expect(await vault.previewRedeem(attackerShares) <= stake).to.equal(true);
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
});
