import { expect } from "chai";
import { parseUnits } from "ethers";

import { deployParapet } from "../../../deploy/fixture.js";
import { asCoverManager, connection, DAY, deposit, ethers, networkHelpers, time } from "../helpers.js";
import { COOLDOWN } from "../vaultSetup.js";

const HOUR = 3_600n;
/** The default window's buckets: a third of 24 hours. */
const BUCKET = 8n * HOUR;
/** What one meter bucket holds before it saturates. */
const MAX_BUCKET = 2n ** 96n - 1n;
const tokens = (amount: bigint) => parseUnits(amount.toString(), 18);
const toAssetsDown = (shares: bigint, nav: bigint, supply: bigint) => (shares * (nav + 1n)) / (supply + 10n ** 6n);

/**
 * An 18-decimal asset and 1e12 tokens (1e30 base units) in the conservative vault from three underwriters, the third
 * with a ripe request for all its shares; no cover, so no premium streams. A claims-module stand-in reserves, and
 * claims are paid as the vault's only payer (the CoverManager) pays them.
 */
async function largeVault() {
  const d = await deployParapet(connection, { assetDecimals: 18, fundingPerAccount: 400_000_000_000n });
  const vault = d.vaults.conservative;
  const [alice, bob, carol] = d.accounts.underwriters;
  const claims = d.accounts.outsider;
  await (await d.productRegistry.setClaimsModule(claims.address)).wait();
  await deposit(vault, alice, tokens(400_000_000_000n));
  await deposit(vault, bob, tokens(300_000_000_000n));
  await deposit(vault, carol, tokens(300_000_000_000n));
  const carolShares = await vault.balanceOf(carol.address);
  await (await vault.connect(carol).requestRedeem(carolShares, carol.address, carol.address)).wait();
  await time.increase(COOLDOWN);
  return { ...d, vault, carol, carolShares, claims, receiver: d.accounts.buyers[0] };
}

describe("Attack: saturating the circuit breaker's meter in a large 18-decimal vault", () => {
  it("paying out 76% of a 1e30 NAV at once: a quarter leaves, the saturated bucket reads as everything gone, so further payouts queue in full, the queue and exits stop until the bucket ages out of the lookback", async () => {
    const s = await networkHelpers.loadFixture(largeVault);
    const { vault, claims, receiver, asset } = s;
    const { lending } = s.productIds;
    const nav = await vault.navAsk();
    expect(nav).to.equal(10n ** 30n);
    const allowance = await vault.outflowAllowance();
    expect(allowance).to.equal(nav / 4n);
    // A quarter of NAV is more than one bucket can count.
    expect(allowance > MAX_BUCKET).to.equal(true);

    const loss = (nav * 76n) / 100n;
    await (await vault.connect(claims).reserveUpTo(lending, loss)).wait();
    const pay = vault.connect(await asCoverManager(s.coverManager)).payClaim(lending, 0n, receiver.address, loss, loss);
    await expect(pay).to.changeTokenBalances(ethers, asset, [receiver, vault], [allowance, -allowance]);
    await expect(pay)
      .to.emit(vault, "ClaimPaid")
      .withArgs(lending, receiver.address, loss)
      .and.to.emit(vault, "OutflowQueued")
      .withArgs(0n, receiver.address, loss - allowance);
    const paidAt = BigInt((await (await pay).getBlock())!.timestamp);
    expect(await vault.recentOutflows()).to.equal(ethers.MaxUint256);
    expect(await vault.outflowAllowance()).to.equal(0n);

    // Every further payout queues in full, however small.
    const more = vault.connect(await asCoverManager(s.coverManager)).payClaim(lending, 0n, receiver.address, tokens(1n), 0n);
    await expect(more).to.emit(vault, "OutflowQueued").withArgs(1n, receiver.address, tokens(1n));
    await expect(more).to.changeTokenBalance(ethers, asset, receiver, 0n);
    const queued = loss - allowance + tokens(1n);
    expect(await vault.queuedOutflowAssets()).to.equal(queued);

    // No exit leaves while the bucket is saturated.
    const [bid, supply] = [await vault.navBid(), await vault.totalSupply()];
    expect(await vault.maxRedeem(s.carol.address)).to.equal(0n);
    expect(await vault.maxWithdraw(s.carol.address)).to.equal(0n);
    await expect(vault.connect(s.carol).redeem(s.carolShares, s.carol.address, s.carol.address))
      .to.be.revertedWithCustomError(vault, "OutflowLimitReached")
      .withArgs(toAssetsDown(s.carolShares, bid, supply), 0n);
    await expect(vault.connect(s.carol).withdraw(1n, s.carol.address, s.carol.address))
      .to.be.revertedWithCustomError(vault, "OutflowLimitReached")
      .withArgs(1n, 0n);

    // The saturated bucket leaves the lookback (the window plus one bucket) at the start of the fourth bucket after it.
    const agedOut = (paidAt / BUCKET + 4n) * BUCKET;
    expect(agedOut - paidAt > DAY && agedOut - paidAt <= DAY + BUCKET).to.equal(true);
    await time.setNextBlockTimestamp(agedOut - 1n);
    const stuck = vault.processOutflowQueue(10n);
    await expect(stuck).to.changeTokenBalance(ethers, asset, receiver, 0n);
    await expect(stuck).not.to.emit(vault, "QueuedOutflowPaid");
    expect(await vault.recentOutflows()).to.equal(ethers.MaxUint256);
    expect(await vault.queuedOutflowAssets()).to.equal(queued);

    // From then on the window counts from zero: a quarter of what the outflows came out of is paid, in order.
    await time.setNextBlockTimestamp(agedOut);
    const window = (nav - loss - tokens(1n) + queued) / 4n;
    const resumed = vault.processOutflowQueue(10n);
    await expect(resumed).to.changeTokenBalance(ethers, asset, receiver, window);
    await expect(resumed)
      .to.emit(vault, "QueuedOutflowPaid")
      .withArgs(0n, receiver.address, window, loss - allowance - window);
    // That payment is again more than a bucket holds: the next window waits for it to age out in turn.
    expect(await vault.recentOutflows()).to.equal(ethers.MaxUint256);
    expect(await vault.outflowAllowance()).to.equal(0n);
  });
});
