import { expect } from "chai";

import { RebasingToken__factory } from "../../../types/ethers-contracts/index.js";
import { DAY, ethers, networkHelpers, time, usd } from "../helpers.js";
import { deployParapetOn } from "./exoticAsset.js";
import { viewAt } from "./utils.js";

const WAD = 10n ** 18n;
const LIVENESS = 3n * DAY;
const CLAIM = usd(100_000);
const EVIDENCE = "ipfs://parapet/evidence/rebasing";

/**
 * The protocol on `RebasingToken` (factor 1 at first): 1,000,000 from the first underwriter, 100,000 from the second,
 * who asks to redeem all of it at once, and a 100k, 30-day lending policy for the first buyer. The clock then stands
 * at the end of the second underwriter's cooldown, inside the policy's claim window.
 */
async function deployOnRebasingToken() {
  const [admin] = await ethers.getSigners();
  const token = await new RebasingToken__factory(admin).deploy();
  const d = await deployParapetOn(token);
  const { vault, coverManager, productIds } = d;
  const [alice, bob] = d.accounts.underwriters;
  const [buyer] = d.accounts.buyers;
  await (await vault.connect(alice).deposit(usd(1_000_000), alice.address)).wait();
  await (await vault.connect(bob).deposit(usd(100_000), bob.address)).wait();
  const bobShares = await vault.balanceOf(bob.address);
  await (await vault.connect(bob).requestRedeem(bobShares, bob.address, bob.address)).wait();
  const params = {
    productId: productIds.lending,
    vault: await vault.getAddress(),
    amount: usd(100_000),
    period: 30n * DAY,
    maxPremium: ethers.MaxUint256,
    deadline: ethers.MaxUint256,
    receiver: buyer.address,
    commissionBps: 0n,
    commissionRecipient: ethers.ZeroAddress,
  };
  await (await coverManager.connect(buyer).buyCover(params)).wait();
  const policyId = await coverManager.policyCount();
  const policy = await coverManager.getPolicy(policyId);
  await time.increaseTo((await vault.redeemRequest(bob.address)).claimableAt);
  return { ...d, token, alice, bob, bobShares, buyer, policyId, policy, vaultAddress: params.vault };
}

type Setup = Awaited<ReturnType<typeof deployOnRebasingToken>>;
const load = () => networkHelpers.loadFixture(deployOnRebasingToken);

/** Files the buyer's 100k claim and settles it, undisputed, after the liveness; returns the settlement promise. */
async function fileAndSettle(s: Setup) {
  await (await s.claimAdjudicator.connect(s.buyer).fileClaim(s.policyId, CLAIM, s.policy.start + DAY + 1n, EVIDENCE)).wait();
  await time.increase(LIVENESS);
  return s.claimAdjudicator.connect(s.accounts.watcher).settleClaim(1n);
}

describe("Attack: rebasing asset", () => {
  it("positive rebase (x2): the extra balance is not counted (navAsk, navBid, share price unchanged, like a donation) and stays stranded in the vault", async () => {
    const s = await load();
    const at = BigInt(await time.latest()) + 10n;
    const before = await viewAt(at, async () => ({
      navAsk: await s.vault.navAsk(),
      navBid: await s.vault.navBid(),
      price: await s.vault.previewRedeem(10n ** 12n),
      managed: await s.vault.managedAssets(),
    }));
    const balance = await s.token.balanceOf(s.vaultAddress);
    expect(balance).to.equal(before.managed); // books and balance agree before the rebase

    await (await s.token.setFactor(2n * WAD)).wait();
    await time.setNextBlockTimestamp(at);
    await networkHelpers.mine();
    expect(await s.token.balanceOf(s.vaultAddress)).to.equal(2n * balance);
    expect(await s.vault.managedAssets()).to.equal(before.managed);
    expect(await s.vault.navAsk()).to.equal(before.navAsk);
    expect(await s.vault.navBid()).to.equal(before.navBid);
    expect(await s.vault.previewRedeem(10n ** 12n)).to.equal(before.price);

    // The second underwriter leaves at the unchanged price: the rebase gain is nobody's. (The token moves
    // ceil(assets / 2) raw units, so an odd payout delivers one unit more, taken from the stranded surplus.)
    const redeemAt = at + 5n;
    const assets = await viewAt(redeemAt, () => s.vault.previewRedeem(s.bobShares));
    await time.setNextBlockTimestamp(redeemAt);
    await expect(s.vault.connect(s.bob).redeem(s.bobShares, s.bob.address, s.bob.address)).to.changeTokenBalance(
      ethers,
      s.token,
      s.bob,
      assets + (assets % 2n),
    );
    const stranded = (await s.token.balanceOf(s.vaultAddress)) - (await s.vault.managedAssets());
    expect(stranded).to.equal(balance - (assets % 2n));
  });

  it("positive rebase (x2): a pull of an odd amount delivers one unit more and is refused with UnsupportedToken(token, amount, amount + 1); an even amount goes through", async () => {
    const s = await load();
    await (await s.token.setFactor(2n * WAD)).wait();
    const [, , carol] = s.accounts.underwriters;
    const odd = usd(50_000) + 1n;
    // ceil(odd / 2) raw units move, worth odd + 1 at a factor of 2.
    await expect(s.vault.connect(carol).deposit(odd, carol.address))
      .to.be.revertedWithCustomError(s.vault, "UnsupportedToken")
      .withArgs(await s.token.getAddress(), odd, odd + 1n);
    const managed = await s.vault.managedAssets();
    await (await s.vault.connect(carol).deposit(usd(50_000), carol.address)).wait();
    expect(await s.vault.managedAssets()).to.equal(managed + usd(50_000));
  });

  it("negative rebase (x0.5): nothing detects it; the vault keeps pricing at its books, so an early redeemer and a claim are paid in full out of a halved balance, and the books end above the balance", async () => {
    const s = await load();
    const managed = await s.vault.managedAssets();
    await (await s.token.setFactor(WAD / 2n)).wait();
    expect(await s.token.balanceOf(s.vaultAddress)).to.equal(managed / 2n);

    // Every pull still delivers the exact amount (2 raw units per unit), so ExactTransfer sees nothing.
    const [, , carol] = s.accounts.underwriters;
    await (await s.vault.connect(carol).deposit(usd(1_000), carol.address)).wait();

    const at = BigInt(await time.latest()) + 10n;
    const bobAssets = await viewAt(at, () => s.vault.previewRedeem(s.bobShares));
    expect(bobAssets).to.be.greaterThanOrEqual(usd(100_000)); // the full pre-rebase value plus earned premium
    await time.setNextBlockTimestamp(at);
    await expect(s.vault.connect(s.bob).redeem(s.bobShares, s.bob.address, s.bob.address)).to.changeTokenBalance(
      ethers,
      s.token,
      s.bob,
      bobAssets,
    );
    const settle = await fileAndSettle(s);
    await expect(settle).to.changeTokenBalance(ethers, s.token, s.vaultAddress, -CLAIM);
    // The books now claim about 450k more than the vault holds; the remaining underwriters carry all of it.
    const gap = (await s.vault.managedAssets()) - (await s.token.balanceOf(s.vaultAddress));
    expect(gap).to.be.closeTo(usd(1_100_000) / 2n, usd(1_000));
  });

  it("negative rebase (x0.05): the vault cannot pay more than it holds: a 100k redemption and a 100k approved claim revert ERC20InsufficientBalance in the token, and the claim stays open with its reserve", async () => {
    const s = await load();
    await (await s.token.setFactor(WAD / 20n)).wait();
    const balance = await s.token.balanceOf(s.vaultAddress);
    expect(balance).to.be.lessThan(usd(60_000));

    const at = BigInt(await time.latest()) + 10n;
    const bobAssets = await viewAt(at, () => s.vault.previewRedeem(s.bobShares));
    expect(bobAssets).to.be.greaterThan(balance);
    await time.setNextBlockTimestamp(at);
    // The token's error counts raw units: 20 per unit at this factor.
    await expect(s.vault.connect(s.bob).redeem(s.bobShares, s.bob.address, s.bob.address))
      .to.be.revertedWithCustomError(s.token, "ERC20InsufficientBalance")
      .withArgs(s.vaultAddress, await s.token.rawBalanceOf(s.vaultAddress), bobAssets * 20n);

    await (await s.claimAdjudicator.connect(s.buyer).fileClaim(s.policyId, CLAIM, s.policy.start + DAY + 1n, EVIDENCE)).wait();
    await time.increase(LIVENESS);
    await expect(s.claimAdjudicator.settleClaim(1n))
      .to.be.revertedWithCustomError(s.token, "ERC20InsufficientBalance")
      .withArgs(s.vaultAddress, await s.token.rawBalanceOf(s.vaultAddress), CLAIM * 20n);
    expect((await s.claimAdjudicator.getClaim(1n)).state).to.equal(1n); // still Pending
    expect(await s.vault.pendingReserve()).to.equal(CLAIM);
    expect((await s.coverManager.getPolicy(s.policyId)).claimed).to.equal(0n);
    expect(await s.token.balanceOf(s.vaultAddress)).to.equal(balance);
  });

  // SAFETY GAP, skipped so the branch stays green: it fails today. Rebasing assets are out of scope (docs/security.md,
  // "Assets"), but nothing refuses one: a negative rebase passes every exact-amount pull, `navAsk`/`navBid` keep using
  // the booked `managedAssets`, so the first exits after the rebase are paid at the pre-rebase price and the whole loss
  // falls on whoever stays (first come, first served). The property below (an exit never takes more than its share of
  // what the vault actually holds) is what a fix would have to make true, e.g. by capping navAsk at the asset balance
  // minus unearned premium, or by refusing to operate while balance < managedAssets.
  it.skip("SAFETY GAP: after a 50% negative rebase an early redeemer gets no more than its pro-rata share of the vault's actual balance", async () => {
    const s = await load();
    await (await s.token.setFactor(WAD / 2n)).wait();
    const at = BigInt(await time.latest()) + 10n;
    const fair = await viewAt(at, async () => {
      const held = (await s.token.balanceOf(s.vaultAddress)) - (await s.vault.unearnedPremium());
      return (held * s.bobShares) / (await s.vault.totalSupply());
    });
    await time.setNextBlockTimestamp(at);
    const before = await s.token.balanceOf(s.bob.address);
    await (await s.vault.connect(s.bob).redeem(s.bobShares, s.bob.address, s.bob.address)).wait();
    // Today bob gets about 100,000 where about 50,000 is his share of what is left.
    expect((await s.token.balanceOf(s.bob.address)) - before).to.be.lessThanOrEqual(fair);
  });
});
