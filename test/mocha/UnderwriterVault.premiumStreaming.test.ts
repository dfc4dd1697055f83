import { expect } from "chai";

import { buyCover, DAY, deposit, loadParapet, time, usd, WEEK } from "./helpers.js";
import { RATE_SCALE, unearnedOf, withStreamingCover } from "./vaultSetup.js";

describe("UnderwriterVault premium streaming", () => {
  it("earns linearly up to the policy end rounded up to the 7-day grid", async () => {
    const { vault, premium, start, streamEnd } = await withStreamingCover(60n * DAY);
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

  it("expires streams sharing a boundary exactly: what is left is the other stream to the last unit", async () => {
    const d = await loadParapet();
    const vault = d.vaults.highYield;
    await deposit(vault, d.accounts.underwriters[0], usd(1_000_000));
    const boundaryTime = (BigInt(await time.latest()) / WEEK + 4n) * WEEK;
    /** Buys cover and returns its premium, the block's time and the end of its stream. */
    const buy = async (amount: bigint, period: bigint) => {
      const managed = await vault.managedAssets();
      const { receipt } = await buyCover(d, d.accounts.buyers[0], { vault, productId: d.productIds.lending, amount, period });
      const start = BigInt((await receipt.getBlock()).timestamp);
      return { premium: (await vault.managedAssets()) - managed, start, end: ((start + period + WEEK - 1n) / WEEK) * WEEK };
    };
    // Three streams of odd sizes and durations that all end at `boundaryTime`, and one that runs on past it.
    const shared = [];
    for (const [amount, hoursBefore] of [[usd(10_007), 6n * 24n + 5n], [usd(23_333), 4n * 24n + 13n], [usd(7_919), 29n]]) {
      await time.setNextBlockTimestamp(boundaryTime - 14n * DAY - hoursBefore * 3_600n);
      shared.push(await buy(amount, 14n * DAY));
    }
    expect(shared.map((stream) => stream.end)).to.deep.equal([boundaryTime, boundaryTime, boundaryTime]);
    const other = await buy(usd(51_111), 60n * DAY);
    expect(other.end > boundaryTime).to.equal(true);

    await time.increaseTo(boundaryTime + 1n);
    expect(await vault.unearnedPremium()).to.equal(unearnedOf(other.premium, other.start, other.end, boundaryTime + 1n));
    // A purchase writes the walked sums, and the vault rounds the two streams left up once.
    const later = await buy(usd(1_000), 30n * DAY);
    const scaledLeft = (stream: typeof other) => {
      const scaled = stream.premium * RATE_SCALE;
      const rate = scaled / (stream.end - stream.start);
      return rate * (stream.end - later.start) + (scaled - rate * (stream.end - stream.start));
    };
    expect(await vault.unearnedPremium()).to.equal((scaledLeft(other) + scaledLeft(later) + RATE_SCALE - 1n) / RATE_SCALE);
    // Rounded up, a single wei of weight left behind would read as 1: once every stream has ended, nothing is.
    await time.increaseTo(later.end > other.end ? later.end : other.end);
    expect(await vault.unearnedPremium()).to.equal(0n);
  });
});
