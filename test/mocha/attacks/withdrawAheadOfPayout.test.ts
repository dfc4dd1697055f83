import { expect } from "chai";

import { buyCover, DAY, time, usd, WEEK } from "../helpers.js";
import { COOLDOWN, withDeposit } from "../vaultSetup.js";
import { COVERAGE_LAG, EVIDENCE, VIRTUAL_ASSETS, VIRTUAL_SHARES, WAD, withTwoUnderwriters } from "../claimsSetup.js";

describe("Attack: withdrawing ahead of a payout", () => {
  it("exit requested before a claim, redeemed after it is paid: the leaving underwriter still bears its share of the loss", async () => {
    const d = await withTwoUnderwriters();
    const { adj, vault, alice, buyer, policyId, policy } = d;
    const shares = await vault.balanceOf(alice.address);
    await (await vault.connect(alice).requestRedeem(shares, alice.address, alice.address)).wait();
    const claimableAt = (await vault.redeemRequest(alice.address)).claimableAt;
    await time.increaseTo(policy.start + 2n * DAY);
    const beforeClaim = await vault.convertToAssets(shares);
    expect(beforeClaim > usd(100_000)).to.equal(true); // premium earned so far

    const amount = usd(10_000);
    await (await adj.connect(buyer).fileClaim(policyId, amount, policy.start + COVERAGE_LAG + 1n, EVIDENCE)).wait();
    const claim = await adj.getClaim(1n);
    expect(claim.expiration < claimableAt).to.equal(true);
    await time.increaseTo(claim.expiration);
    await (await adj.settleClaim(1n)).wait();

    await time.increaseTo(claimableAt);
    // Alice's exit is half the vault: the circuit breaker's widest setting lets it leave in one call.
    await (await vault.connect(d.accounts.riskManager).setOutflowLimit(WAD / 2n, DAY)).wait();
    const tx = vault.connect(alice).redeem(shares, alice.address, alice.address);
    await expect(tx).to.emit(vault, "Withdraw");
    const receipt = (await (await tx).wait())!;
    const withdraw = receipt.logs
      .map((log) => vault.interface.parseLog(log))
      .find((parsed) => parsed?.name === "Withdraw")!;
    const received: bigint = withdraw.args.assets;
    // Alice held half the shares: she bears half the 10k payout, less what the premium earned meanwhile.
    expect(received < beforeClaim).to.equal(true);
    expect(beforeClaim - received > usd(4_900)).to.equal(true);
    expect(beforeClaim - received <= amount / 2n).to.equal(true);
  });

  it("redeeming while a claim is pending: priced at navBid = navAsk - reserve, not navAsk", async () => {
    const d = await withTwoUnderwriters();
    const { adj, vault, alice, buyer, policyId, policy } = d;
    const shares = await vault.balanceOf(alice.address);
    await (await vault.connect(alice).requestRedeem(shares, alice.address, alice.address)).wait();
    await time.increase(COOLDOWN);

    const amount = usd(10_000);
    await (await adj.connect(buyer).fileClaim(policyId, amount, policy.start + COVERAGE_LAG + 1n, EVIDENCE)).wait();
    const navAsk = await vault.navAsk();
    const navBid = await vault.navBid();
    const supply = await vault.totalSupply();
    expect(await vault.pendingReserve()).to.equal(amount);
    expect(navBid).to.equal(navAsk - amount);
    const atBid = (shares * (navBid + VIRTUAL_ASSETS)) / (supply + VIRTUAL_SHARES);
    const atAsk = (shares * (navAsk + VIRTUAL_ASSETS)) / (supply + VIRTUAL_SHARES);
    expect(await vault.convertToAssets(shares)).to.equal(atBid);
    expect(atAsk - atBid > usd(4_999)).to.equal(true);

    // Alice's exit is half the vault: the circuit breaker's widest setting lets it leave in one call.
    await (await vault.connect(d.accounts.riskManager).setOutflowLimit(WAD / 2n, DAY)).wait();
    const tx = vault.connect(alice).redeem(shares, alice.address, alice.address);
    await expect(tx).to.emit(vault, "Withdraw");
    const receipt = (await (await tx).wait())!;
    const assets: bigint = receipt.logs
      .map((log) => vault.interface.parseLog(log))
      .find((parsed) => parsed?.name === "Withdraw")!.args.assets;
    // The price at the redemption's own block: before it, navBid was higher by what it paid, supply by the shares.
    const bidBefore = (await vault.navBid()) + assets;
    const supplyBefore = (await vault.totalSupply()) + shares;
    expect(assets).to.equal((shares * (bidBefore + VIRTUAL_ASSETS)) / (supplyBefore + VIRTUAL_SHARES));
    expect(await vault.pendingReserve()).to.equal(amount);
  });

  it("synchronous redeem or withdraw without a ripe request (none, or one second early): reverts RedeemRequestNotClaimable", async () => {
    const { vault, alice, shares } = await withDeposit();
    await expect(vault.connect(alice).redeem(shares, alice.address, alice.address))
      .to.be.revertedWithCustomError(vault, "RedeemRequestNotClaimable")
      .withArgs(alice.address, shares, 0n, 0n);
    await expect(vault.connect(alice).withdraw(usd(1), alice.address, alice.address)).to.be.revertedWithCustomError(
      vault,
      "RedeemRequestNotClaimable",
    );

    await vault.connect(alice).requestRedeem(shares, alice.address, alice.address);
    const claimableAt = (await vault.redeemRequest(alice.address)).claimableAt;
    await time.setNextBlockTimestamp(claimableAt - 1n);
    await expect(vault.connect(alice).redeem(shares, alice.address, alice.address))
      .to.be.revertedWithCustomError(vault, "RedeemRequestNotClaimable")
      .withArgs(alice.address, shares, 0n, claimableAt);
  });

  it("exiting while a claim is pending: the ripe request is priced at navBid", async () => {
    const d = await withDeposit();
    const { vault, alice, shares } = d;
    await d.productRegistry.setClaimsModule(d.accounts.outsider.address);
    await vault.connect(alice).requestRedeem(shares, alice.address, alice.address);
    await time.increase(COOLDOWN);
    await vault.connect(d.accounts.outsider).reserveUpTo(d.productIds.lending, usd(30_000));
    expect(await vault.navBid()).to.equal(usd(70_000));
    const supply = await vault.totalSupply();
    expect(await vault.convertToAssets(shares)).to.equal((shares * (usd(70_000) + 1n)) / (supply + 10n ** 6n));
  });

  it("exiting capital that backs active cover: limited to the capital not locked behind it", async () => {
    const d = await withDeposit();
    const { vault, alice, shares } = d;
    const [buyer] = d.accounts.buyers;
    // Lending capacity is 50% of NAV: 40k of cover locks 80k of the 100k. A 7-day cover is fully earned before
    // the cooldown ends, so NAV stands still from block to block, while its capital stays locked through the grace.
    const { receipt } = await buyCover(d, buyer, {
      vault,
      productId: d.productIds.lending,
      amount: usd(40_000),
      period: 7n * DAY,
    });
    const bought = BigInt((await receipt.getBlock()).timestamp);
    await vault.connect(alice).requestRedeem(shares, alice.address, alice.address);
    await time.increase(COOLDOWN);

    const unlocked = await vault.unlockedAssets();
    const locked = usd(80_000);
    expect(unlocked).to.equal((await vault.navBid()) - locked);
    expect(await vault.maxWithdraw(alice.address)).to.equal(unlocked);
    const maxShares = await vault.maxRedeem(alice.address);
    expect(await vault.convertToAssets(maxShares) <= unlocked).to.equal(true);

    expect(await vault.unearnedPremium()).to.equal(0n);
    await expect(vault.connect(alice).redeem(shares, alice.address, alice.address))
      .to.be.revertedWithCustomError(vault, "WithdrawalExceedsUnlockedCapital")
      .withArgs(await vault.convertToAssets(shares), await vault.unlockedAssets());
    await vault.connect(alice).redeem(maxShares, alice.address, alice.address);
    expect((await vault.exposureOf(d.productIds.lending)) * 2n <= (await vault.navBid()) + 1n).to.equal(true);

    // Capital stays locked through the claim grace period, rounded up to the 7-day grid, then frees up.
    const lockedUntil = bought + 7n * DAY + 30n * DAY;
    const boundary = ((lockedUntil + WEEK - 1n) / WEEK) * WEEK;
    await time.increaseTo(boundary - 1n);
    expect(await vault.exposureOf(d.productIds.lending)).to.equal(usd(40_000));
    await time.increaseTo(boundary);
    expect(await vault.exposureOf(d.productIds.lending)).to.equal(0n);
    // By now the request has expired (it was redeemable for a week): request again and wait out the cooldown.
    await expect(vault.connect(alice).redeem(1n, alice.address, alice.address)).to.be.revertedWithCustomError(
      vault,
      "RedeemRequestExpired",
    );
    const rest = await vault.connect(alice).cancelRedeemRequest.staticCall(alice.address);
    await vault.connect(alice).cancelRedeemRequest(alice.address);
    await vault.connect(alice).requestRedeem(rest, alice.address, alice.address);
    await time.increase(COOLDOWN);
    // No cover left, nothing reserved or queued: the circuit breaker has no claimant to protect, all may leave.
    await vault.connect(alice).redeem(rest, alice.address, alice.address);
    expect(await vault.totalSupply()).to.equal(0n);
  });
});
