import { expect } from "chai";

import { buyCover, DAY, deposit, time, usd } from "../helpers.js";
import { EVIDENCE } from "../claimsSetup.js";
import { ceilToWeek } from "../vaultGovernanceSetup.js";
import { withDeposit } from "../vaultSetup.js";

describe("Attack: luring new money into capital locked at once", () => {
  it("depositing while live cover locks more than navBid (a claim pending at full utilization): maxDeposit and maxMint read 0 and the deposit reverts DepositWouldBeLocked(locked, navBid); once the claim is paid, entries reopen", async () => {
    const d = await withDeposit();
    const { vault } = d;
    const { lending } = d.productIds;
    const [buyer] = d.accounts.buyers;
    const newcomer = d.accounts.underwriters[1];
    // 50k of cover at 50% capacity locks the whole 100k.
    const { policyId } = await buyCover(d, buyer, { vault, productId: lending, amount: usd(50_000) });
    expect(await vault.lockedBy(lending)).to.equal(usd(100_000));
    expect(await vault.maxDeposit(newcomer.address)).to.equal(2n ** 256n - 1n);
    const policy = await d.coverManager.getPolicy(policyId);
    await time.increaseTo(policy.start + 2n * DAY);
    await (await d.claimAdjudicator.connect(buyer).fileClaim(policyId, usd(10_000), policy.start + DAY + 1n, EVIDENCE)).wait();

    // The reserve takes navBid under the locked 100k: every unit deposited now would be locked behind old cover.
    expect(await vault.maxDeposit(newcomer.address)).to.equal(0n);
    expect(await vault.maxMint(newcomer.address)).to.equal(0n);
    const at = BigInt(await time.latest()) + 1n;
    await time.setNextBlockTimestamp(at);
    const deposit1 = vault.connect(newcomer).deposit(usd(1_000), newcomer.address);
    await expect(deposit1).to.be.revertedWithCustomError(vault, "DepositWouldBeLocked");
    const locked = await vault.lockedBy(lending);
    const navBid = await vault.navBid();
    expect(locked).to.equal(usd(100_000));
    expect(navBid < locked).to.equal(true);
    await expect(vault.connect(newcomer).mint(10n ** 6n, newcomer.address))
      .to.be.revertedWithCustomError(vault, "DepositWouldBeLocked")
      .withArgs(locked, (n: bigint) => n <= navBid + usd(1) && n >= navBid);
    expect(await vault.balanceOf(newcomer.address)).to.equal(0n);

    // Paid: the claim frees 10k of cover, so 20k of the lock, and entries reopen.
    await time.increaseTo((await d.claimAdjudicator.getClaim(1n)).expiration);
    await (await d.claimAdjudicator.settleClaim(1n)).wait();
    expect(await vault.lockedBy(lending)).to.equal(usd(80_000));
    expect(await vault.maxDeposit(newcomer.address)).to.equal(2n ** 256n - 1n);
    await deposit(vault, newcomer, usd(1_000));
    expect((await vault.balanceOf(newcomer.address)) > 0n).to.equal(true);
  });

  it("cover that locked the vault expires while a claim still holds a reserve: entries reopen at the lock's boundary, before anyone writes the expired buckets off", async () => {
    const d = await withDeposit();
    const { vault } = d;
    const { lending } = d.productIds;
    const [buyer] = d.accounts.buyers;
    const newcomer = d.accounts.underwriters[1];
    const { policyId } = await buyCover(d, buyer, { vault, productId: lending, amount: usd(50_000), period: 7n * DAY });
    const policy = await d.coverManager.getPolicy(policyId);
    await time.increaseTo(policy.start + 2n * DAY);
    await (await d.claimAdjudicator.connect(buyer).fileClaim(policyId, usd(10_000), policy.start + DAY + 1n, EVIDENCE)).wait();
    expect(await vault.maxDeposit(newcomer.address)).to.equal(0n);

    // Nobody settles the claim or touches the vault: its stored exposure still says 100k is locked when the lock ends.
    const lockedUntil = policy.end + (await d.productRegistry.getProduct(lending)).claimGracePeriod;
    const boundary = ceilToWeek(lockedUntil);
    await time.increaseTo(boundary - 1n);
    expect(await vault.maxDeposit(newcomer.address)).to.equal(0n);
    await time.increaseTo(boundary);
    expect(await vault.lockedBy(lending)).to.equal(0n);
    expect(await vault.pendingReserve()).to.equal(usd(10_000));
    expect(await vault.maxDeposit(newcomer.address)).to.equal(2n ** 256n - 1n);
    // The premium was earned long ago, so the price stands still between the preview and the deposit.
    const expected = await vault.previewDeposit(usd(1_000));
    await deposit(vault, newcomer, usd(1_000));
    expect(await vault.balanceOf(newcomer.address)).to.equal(expected);
  });
});
