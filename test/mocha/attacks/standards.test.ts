import { expect } from "chai";

import { RebasingToken__factory } from "../../../types/ethers-contracts/index.js";
import { deposit, ethers, loadParapet, networkHelpers, time, usd } from "../helpers.js";
import { COOLDOWN } from "../vaultSetup.js";
import { deployParapetOn } from "./exoticAsset.js";

const WAD = 10n ** 18n;
const VIRTUAL_SHARES = 10n ** 6n;
const VIRTUAL_ASSETS = 1n;
/** SharesMath, exactly as the vault rounds. */
const toSharesUp = (assets: bigint, nav: bigint, supply: bigint) =>
  (assets * (supply + VIRTUAL_SHARES) + nav + VIRTUAL_ASSETS - 1n) / (nav + VIRTUAL_ASSETS);
const toAssetsDown = (shares: bigint, nav: bigint, supply: bigint) =>
  (shares * (nav + VIRTUAL_ASSETS)) / (supply + VIRTUAL_SHARES);

/**
 * 600k from alice and 400k from bob in the conservative vault, no cover (so no premium streams and every view holds
 * still between blocks), and a claims-module stand-in holding a 100k reserve: with a claimant to protect, exits are
 * under the circuit breaker. Alice's whole position is a ripe request worth more than the breaker's quarter of NAV.
 */
async function ripeExitUnderTheBreaker() {
  const d = await loadParapet();
  const vault = d.vaults.conservative;
  const [alice, bob] = d.accounts.underwriters;
  const claims = d.accounts.outsider;
  await (await d.productRegistry.setClaimsModule(claims.address)).wait();
  await deposit(vault, alice, usd(600_000));
  await deposit(vault, bob, usd(400_000));
  await (await vault.connect(claims).reserveUpTo(d.productIds.lending, usd(100_000))).wait();
  const shares = await vault.balanceOf(alice.address);
  await (await vault.connect(alice).requestRedeem(shares, alice.address, alice.address)).wait();
  await time.increase(COOLDOWN);
  return { ...d, vault, alice, bob, claims, shares };
}

/** The rebasing-token deployment with a ripe 100k request from the second underwriter. */
async function ripeExitOnRebasingToken() {
  const [admin] = await ethers.getSigners();
  const token = await new RebasingToken__factory(admin).deploy();
  const d = await deployParapetOn(token);
  const [alice, bob] = d.accounts.underwriters;
  await (await d.vault.connect(alice).deposit(usd(1_000_000), alice.address)).wait();
  await (await d.vault.connect(bob).deposit(usd(100_000), bob.address)).wait();
  const shares = await d.vault.balanceOf(bob.address);
  await (await d.vault.connect(bob).requestRedeem(shares, bob.address, bob.address)).wait();
  await time.increase(COOLDOWN);
  return { ...d, token, bob, shares };
}

describe("Attack: relying on ERC-4626/7540/7575 behaviour the vault does not have", () => {
  it("an integrator probing the vault's interfaces: ERC-165 announces exactly ERC-165, ERC-7540 redeem and operators, and ERC-7575; share() is the vault itself", async () => {
    const d = await loadParapet();
    const vault = d.vaults.conservative;
    const announced: Record<string, boolean> = {
      "0x01ffc9a7": true, // ERC-165
      "0x620ee8e4": true, // ERC-7540 asynchronous redeem
      "0xe3bc4e65": true, // ERC-7540 operators
      "0x2f0a18c5": true, // ERC-7575
      "0xffffffff": false, // ERC-165's reserved invalid id
      "0x12345678": false,
      "0xce3bbe50": false, // ERC-7540 asynchronous deposit: deposits are synchronous
    };
    for (const [id, supported] of Object.entries(announced)) {
      expect(await vault.supportsInterface(id), id).to.equal(supported);
    }
    expect(await vault.share()).to.equal(await vault.getAddress());
    expect(await d.vaults.highYield.share()).to.equal(await d.vaults.highYield.getAddress());
  });

  it("a synchronous-4626 integrator previewing an exit: previewRedeem and previewWithdraw revert AsynchronousRedemption()", async () => {
    const s = await networkHelpers.loadFixture(ripeExitUnderTheBreaker);
    for (const amount of [0n, 1n, s.shares]) {
      await expect(s.vault.previewRedeem(amount)).to.be.revertedWithCustomError(s.vault, "AsynchronousRedemption");
      await expect(s.vault.previewWithdraw(amount)).to.be.revertedWithCustomError(s.vault, "AsynchronousRedemption");
    }
  });

  it("asking for one unit more than maxWithdraw/maxRedeem under the circuit breaker: refused whole with OutflowLimitReached(assets, allowance), never paid in part; exactly the max pays exactly its assets", async () => {
    const s = await networkHelpers.loadFixture(ripeExitUnderTheBreaker);
    const { vault, alice } = s;
    const [nav, supply] = [await vault.navBid(), await vault.totalSupply()];
    expect(nav).to.equal(usd(900_000));
    // The quarter of NAV (reserve included) the window lets leave, below alice's 540k.
    const allowance = await vault.outflowAllowance();
    expect(allowance).to.equal(usd(250_000));
    expect(await vault.maxWithdraw(alice.address)).to.equal(allowance);
    const maxShares = await vault.maxRedeem(alice.address);
    expect(maxShares < s.shares).to.equal(true);

    await expect(vault.connect(alice).withdraw(allowance + 1n, alice.address, alice.address))
      .to.be.revertedWithCustomError(vault, "OutflowLimitReached")
      .withArgs(allowance + 1n, allowance);
    // The fewest shares worth one unit more than the allowance.
    const overShares = toSharesUp(allowance + 1n, nav, supply);
    const overAssets = toAssetsDown(overShares, nav, supply);
    expect(overAssets).to.equal(allowance + 1n);
    await expect(vault.connect(alice).redeem(overShares, alice.address, alice.address))
      .to.be.revertedWithCustomError(vault, "OutflowLimitReached")
      .withArgs(overAssets, allowance);
    // The whole request, too: refused, not paid up to the allowance.
    const wholeAssets = toAssetsDown(s.shares, nav, supply);
    await expect(vault.connect(alice).redeem(s.shares, alice.address, alice.address))
      .to.be.revertedWithCustomError(vault, "OutflowLimitReached")
      .withArgs(wholeAssets, allowance);
    expect(await vault.recentOutflows()).to.equal(0n);
    expect(await vault.queuedOutflowAssets()).to.equal(0n);

    // maxRedeem pays exactly its assets, and nothing is queued.
    const assets = toAssetsDown(maxShares, nav, supply);
    expect(assets <= allowance && allowance - assets < 2n).to.equal(true);
    const exit = vault.connect(alice).redeem(maxShares, alice.address, alice.address);
    await expect(exit).to.changeTokenBalances(ethers, s.asset, [alice, vault], [assets, -assets]);
    await expect(exit)
      .to.emit(vault, "Withdraw")
      .withArgs(alice.address, alice.address, alice.address, assets, maxShares);
    await expect(exit).not.to.emit(vault, "OutflowQueued");
    expect((await vault.redeemRequest(alice.address)).shares).to.equal(s.shares - maxShares);
    expect(await vault.queuedOutflowAssets()).to.equal(0n);
    expect(await vault.outflowAllowance()).to.equal(allowance - assets);
  });

  it("exiting while paused, or while the vault holds less than its books: maxRedeem and maxWithdraw say 0 (and maxDeposit/maxMint 0 while paused)", async () => {
    const s = await networkHelpers.loadFixture(ripeExitUnderTheBreaker);
    const { vault, alice } = s;
    const before = { shares: await vault.maxRedeem(alice.address), assets: await vault.maxWithdraw(alice.address) };
    expect(before.assets).to.equal(usd(250_000));
    await (await vault.connect(s.accounts.guardian).pause()).wait();
    expect(await vault.maxRedeem(alice.address)).to.equal(0n);
    expect(await vault.maxWithdraw(alice.address)).to.equal(0n);
    expect(await vault.maxDeposit(alice.address)).to.equal(0n);
    expect(await vault.maxMint(alice.address)).to.equal(0n);
    await expect(vault.connect(alice).redeem(before.shares, alice.address, alice.address)).to.be.revertedWithCustomError(
      vault,
      "EnforcedPause",
    );
    await (await vault.connect(s.accounts.admin).unpause()).wait();
    expect(await vault.maxRedeem(alice.address)).to.equal(before.shares);
    expect(await vault.maxWithdraw(alice.address)).to.equal(before.assets);
    expect(await vault.maxDeposit(alice.address)).to.equal(ethers.MaxUint256);

    // A negative rebase leaves the vault holding less than its books: nothing may leave.
    const r = await networkHelpers.loadFixture(ripeExitOnRebasingToken);
    const ripe = await r.vault.maxRedeem(r.bob.address);
    expect(ripe).to.equal(r.shares);
    await (await r.token.setFactor(WAD / 2n)).wait();
    const held = await r.token.balanceOf(await r.vault.getAddress());
    expect(held < (await r.vault.managedAssets())).to.equal(true);
    expect(await r.vault.maxRedeem(r.bob.address)).to.equal(0n);
    expect(await r.vault.maxWithdraw(r.bob.address)).to.equal(0n);
    // Made good, the request is whole again.
    await (await r.token.setFactor(WAD)).wait();
    expect(await r.vault.maxRedeem(r.bob.address)).to.equal(r.shares);
  });
});
