import { expect } from "chai";

import { ZeroAddress } from "ethers";

import { toSharesUp } from "../../sdk/src/core/sharesMath.js";
import { buyCover, DAY, deposit, ethers, time, usd, WEEK } from "./helpers.js";
import { ceilToWeek } from "./vaultGovernanceSetup.js";
import { withDeposit } from "./vaultSetup.js";

const COOLDOWN = 14n * DAY;

describe("UnderwriterVault asynchronous redemption", () => {
  it("escrows requested shares, emits RedeemRequest and reports pending then claimable", async () => {
    const { vault, alice, shares } = await withDeposit();
    const half = shares / 2n;
    await expect(vault.connect(alice).requestRedeem(half, alice.address, alice.address))
      .to.emit(vault, "RedeemRequest")
      .withArgs(alice.address, alice.address, 0n, alice.address, half);
    const requestedAt = BigInt(await time.latest());

    expect(await vault.balanceOf(alice.address)).to.equal(shares - half);
    expect(await vault.balanceOf(await vault.getAddress())).to.equal(half);
    expect(await vault.pendingRedeemRequest(0n, alice.address)).to.equal(half);
    expect(await vault.claimableRedeemRequest(0n, alice.address)).to.equal(0n);
    const request = await vault.redeemRequest(alice.address);
    expect(request.claimableAt).to.equal(requestedAt + COOLDOWN);

    await time.increaseTo(requestedAt + COOLDOWN);
    expect(await vault.pendingRedeemRequest(0n, alice.address)).to.equal(0n);
    expect(await vault.claimableRedeemRequest(0n, alice.address)).to.equal(half);
    // No cover, reserve or queued payout: the circuit breaker has no claimant to protect and lets it all leave.
    expect(await vault.maxRedeem(alice.address)).to.equal(half);
  });

  it("redeems a ripe request at navBid, burning escrowed shares", async () => {
    const { vault, asset, alice, bob, shares, accounts } = await withDeposit();
    // A second underwriter keeps alice's exit at exactly the circuit breaker's 25% of NAV, which is paid at once.
    const carol = accounts.underwriters[2];
    await deposit(vault, carol, usd(300_000));
    await vault.connect(alice).requestRedeem(shares, alice.address, alice.address);
    await time.increase(COOLDOWN);

    const assets = await vault.convertToAssets(shares);
    expect(assets).to.equal(usd(100_000));
    await expect(vault.connect(alice).redeem(shares + 1n, bob.address, alice.address))
      .to.be.revertedWithCustomError(vault, "RedeemRequestNotClaimable")
      .withArgs(alice.address, shares + 1n, shares, (await vault.redeemRequest(alice.address)).claimableAt);
    const tx = vault.connect(alice).redeem(shares, bob.address, alice.address);
    await expect(tx).to.changeTokenBalances(ethers, asset, [vault, bob], [-assets, assets]);
    await expect(tx).to.emit(vault, "Withdraw").withArgs(alice.address, bob.address, alice.address, assets, shares);
    expect(await vault.totalSupply()).to.equal(await vault.balanceOf(carol.address));
    expect(await vault.managedAssets()).to.equal(usd(300_000));
    expect(await vault.queuedOutflowAssets()).to.equal(0n);
    expect((await vault.redeemRequest(alice.address)).shares).to.equal(0n);
  });

  it("pays out capital whose cover expired while nobody touched the vault: the stored lock refuses, the walk frees it", async () => {
    const d = await withDeposit();
    const { vault, asset, alice, shares } = d;
    const [buyer] = d.accounts.buyers;
    // 40k of lending cover at 50% capacity locks 80k of alice's 100k until the grace period after it ends.
    const { policyId } = await buyCover(d, buyer, { vault, productId: d.productIds.lending, amount: usd(40_000), period: 7n * DAY });
    const policy = await d.coverManager.getPolicy(policyId);
    const lockedUntil = policy.end + (await d.productRegistry.getProduct(d.productIds.lending)).claimGracePeriod;
    const boundary = ceilToWeek(lockedUntil);
    await time.increaseTo(boundary - COOLDOWN);
    await vault.connect(alice).requestRedeem(shares, alice.address, alice.address);
    await time.increaseTo(boundary);

    // With the cover gone nothing is left to protect, so the whole request leaves at once, past the breaker's share.
    expect(await vault.lockedBy(d.productIds.lending)).to.equal(0n);
    const assets = await vault.convertToAssets(shares);
    expect(assets > usd(100_000)).to.equal(true);
    await expect(vault.connect(alice).redeem(shares, alice.address, alice.address)).to.changeTokenBalances(
      ethers,
      asset,
      [vault, alice],
      [-assets, assets],
    );
    expect(await vault.totalSupply()).to.equal(0n);
  });

  it("withdraws an asset amount from a ripe request, burning shares rounded up", async () => {
    const { vault, asset, alice, shares, accounts } = await withDeposit();
    await deposit(vault, accounts.underwriters[2], usd(300_000));
    await vault.connect(alice).requestRedeem(shares, alice.address, alice.address);
    await time.increase(COOLDOWN);
    const sharesNeeded = toSharesUp(usd(40_000), await vault.navBid(), await vault.totalSupply());
    await expect(vault.connect(alice).withdraw(usd(40_000), alice.address, alice.address)).to.changeTokenBalance(
      ethers,
      asset,
      alice,
      usd(40_000),
    );
    expect((await vault.redeemRequest(alice.address)).shares).to.equal(shares - sharesNeeded);
  });

  it("keeps escrowed shares exposed to gains while they wait", async () => {
    const d = await withDeposit();
    const { vault, alice, shares } = d;
    const [buyer] = d.accounts.buyers;
    await vault.connect(alice).requestRedeem(shares, alice.address, alice.address);
    await buyCover(d, buyer, { vault, productId: d.productIds.lending, amount: usd(20_000), period: 7n * DAY });
    await time.increase(COOLDOWN + WEEK);
    // The premium was fully earned during the cooldown and belongs to the escrowed shares.
    expect(await vault.unearnedPremium()).to.equal(0n);
    expect(await vault.convertToAssets(shares)).to.be.greaterThan(usd(100_000));
  });

  it("cancels a request, returning the shares to the controller", async () => {
    const { vault, alice, shares } = await withDeposit();
    await vault.connect(alice).requestRedeem(shares, alice.address, alice.address);
    await expect(vault.connect(alice).cancelRedeemRequest(alice.address))
      .to.emit(vault, "RedeemRequestCancelled")
      .withArgs(alice.address, shares);
    expect(await vault.balanceOf(alice.address)).to.equal(shares);
    await expect(vault.connect(alice).cancelRedeemRequest(alice.address)).to.be.revertedWithCustomError(
      vault,
      "ZeroAmount",
    );
  });

  it("restarts the cooldown when the controller adds to its request", async () => {
    const { vault, alice, shares } = await withDeposit();
    await vault.connect(alice).requestRedeem(shares / 2n, alice.address, alice.address);
    await time.increase(COOLDOWN - DAY);
    await vault.connect(alice).requestRedeem(shares / 4n, alice.address, alice.address);
    expect((await vault.redeemRequest(alice.address)).claimableAt).to.equal(BigInt(await time.latest()) + COOLDOWN);
  });

  it("lets operators act for a controller, and nobody else", async () => {
    const { vault, alice, bob, shares, accounts } = await withDeposit();
    await deposit(vault, accounts.underwriters[2], usd(300_000));
    await expect(vault.connect(bob).requestRedeem(shares, alice.address, alice.address))
      .to.be.revertedWithCustomError(vault, "ERC20InsufficientAllowance")
      .withArgs(bob.address, 0n, shares);
    await vault.connect(alice).requestRedeem(shares, alice.address, alice.address);
    await time.increase(COOLDOWN);
    await expect(vault.connect(bob).redeem(shares, bob.address, alice.address))
      .to.be.revertedWithCustomError(vault, "NotControllerOrOperator")
      .withArgs(bob.address, alice.address);
    await expect(vault.connect(bob).cancelRedeemRequest(alice.address))
      .to.be.revertedWithCustomError(vault, "NotControllerOrOperator")
      .withArgs(bob.address, alice.address);

    await expect(vault.connect(alice).setOperator(bob.address, true))
      .to.emit(vault, "OperatorSet")
      .withArgs(alice.address, bob.address, true);
    expect(await vault.isOperator(alice.address, bob.address)).to.equal(true);
    await vault.connect(bob).redeem(shares, bob.address, alice.address);
  });

  it("stops strangers from restarting someone else's cooldown", async () => {
    const { vault, alice, bob, shares } = await withDeposit();
    await deposit(vault, bob, usd(10));
    await vault.connect(alice).requestRedeem(shares, alice.address, alice.address);
    await expect(vault.connect(bob).requestRedeem(1n, alice.address, bob.address))
      .to.be.revertedWithCustomError(vault, "NotControllerOrOperator")
      .withArgs(bob.address, alice.address);
  });

  it("blocks requests and exits while paused, but not cancellation", async () => {
    const { vault, alice, shares, accounts } = await withDeposit();
    await vault.connect(alice).requestRedeem(shares / 2n, alice.address, alice.address);
    await time.increase(COOLDOWN);
    await vault.connect(accounts.guardian).pause();
    expect(await vault.maxRedeem(alice.address)).to.equal(0n);
    expect(await vault.maxWithdraw(alice.address)).to.equal(0n);
    await expect(vault.connect(alice).requestRedeem(1n, alice.address, alice.address)).to.be.revertedWithCustomError(
      vault,
      "EnforcedPause",
    );
    await expect(vault.connect(alice).redeem(1n, alice.address, alice.address)).to.be.revertedWithCustomError(
      vault,
      "EnforcedPause",
    );
    await expect(vault.connect(alice).withdraw(1n, alice.address, alice.address)).to.be.revertedWithCustomError(
      vault,
      "EnforcedPause",
    );
    await vault.connect(alice).cancelRedeemRequest(alice.address);
  });

  it("refuses a zero receiver or controller: no exit can send assets nowhere or lock shares for good", async () => {
    const { vault, alice, shares, accounts } = await withDeposit();
    await deposit(vault, accounts.underwriters[2], usd(300_000));
    await expect(vault.connect(alice).requestRedeem(shares, ZeroAddress, alice.address))
      .to.be.revertedWithCustomError(vault, "InvalidController")
      .withArgs(ZeroAddress);
    await vault.connect(alice).requestRedeem(shares, alice.address, alice.address);
    await time.increase(COOLDOWN);
    await expect(vault.connect(alice).redeem(shares, ZeroAddress, alice.address))
      .to.be.revertedWithCustomError(vault, "InvalidReceiver")
      .withArgs(ZeroAddress);
    await expect(vault.connect(alice).withdraw(1n, ZeroAddress, alice.address))
      .to.be.revertedWithCustomError(vault, "InvalidReceiver")
      .withArgs(ZeroAddress);
    expect((await vault.redeemRequest(alice.address)).shares).to.equal(shares);
  });

  it("expires a ripe request REDEEM_WINDOW after it became claimable: only cancelling (or a new request) is left", async () => {
    const { vault, alice, shares, accounts } = await withDeposit();
    await deposit(vault, accounts.underwriters[2], usd(300_000));
    await vault.connect(alice).requestRedeem(shares, alice.address, alice.address);
    const { claimableAt } = await vault.redeemRequest(alice.address);
    const window = await vault.REDEEM_WINDOW();
    expect(window).to.equal(7n * DAY);
    await time.increaseTo(claimableAt + window);
    expect(await vault.claimableRedeemRequest(0n, alice.address)).to.equal(shares);
    await time.increase(1n);
    expect(await vault.claimableRedeemRequest(0n, alice.address)).to.equal(0n);
    expect(await vault.pendingRedeemRequest(0n, alice.address)).to.equal(0n);
    expect(await vault.maxRedeem(alice.address)).to.equal(0n);
    await expect(vault.connect(alice).redeem(1n, alice.address, alice.address))
      .to.be.revertedWithCustomError(vault, "RedeemRequestExpired")
      .withArgs(alice.address, claimableAt + window);
    // Re-armed by a new request: a fresh cooldown for the whole escrow.
    await deposit(vault, alice, usd(1));
    await vault.connect(alice).requestRedeem(1n, alice.address, alice.address);
    expect((await vault.redeemRequest(alice.address)).shares).to.equal(shares + 1n);
    expect(await vault.pendingRedeemRequest(0n, alice.address)).to.equal(shares + 1n);
  });
});
