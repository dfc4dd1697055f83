import { expect } from "chai";

import { RebasingToken__factory } from "../../../types/ethers-contracts/index.js";
import { DAY, ethers, networkHelpers, time, usd } from "../helpers.js";
import { buyLendingCover, deployParapetOn } from "./exoticAsset.js";
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
  const { vault } = d;
  const [alice, bob] = d.accounts.underwriters;
  const [buyer] = d.accounts.buyers;
  await (await vault.connect(alice).deposit(usd(1_000_000), alice.address)).wait();
  await (await vault.connect(bob).deposit(usd(100_000), bob.address)).wait();
  const bobShares = await vault.balanceOf(bob.address);
  await (await vault.connect(bob).requestRedeem(bobShares, bob.address, bob.address)).wait();
  const { vaultAddress, policyId, policy } = await buyLendingCover(d);
  await time.increaseTo((await vault.redeemRequest(bob.address)).claimableAt);
  return { ...d, token, alice, bob, bobShares, buyer, policyId, policy, vaultAddress };
}

const load = () => networkHelpers.loadFixture(deployOnRebasingToken);

describe("Attack: rebasing asset", () => {
  it("positive rebase (x2): the extra balance is not counted (navAsk, navBid, share price unchanged, like a donation) and goes to the treasury with the protocol fees", async () => {
    const s = await load();
    const at = BigInt(await time.latest()) + 10n;
    const before = await viewAt(at, async () => ({
      navAsk: await s.vault.navAsk(),
      navBid: await s.vault.navBid(),
      price: await s.vault.convertToAssets(10n ** 12n),
      managed: await s.vault.managedAssets(),
    }));
    const balance = await s.token.balanceOf(s.vaultAddress);
    // Before the rebase the balance is the books plus the sale's protocol fee, held for the treasury.
    const fees = await s.vault.protocolFeesHeld();
    expect(fees).to.be.greaterThan(0n);
    expect(balance).to.equal(before.managed + fees);

    await (await s.token.setFactor(2n * WAD)).wait();
    await time.setNextBlockTimestamp(at);
    await networkHelpers.mine();
    expect(await s.token.balanceOf(s.vaultAddress)).to.equal(2n * balance);
    expect(await s.vault.managedAssets()).to.equal(before.managed);
    expect(await s.vault.navAsk()).to.equal(before.navAsk);
    expect(await s.vault.navBid()).to.equal(before.navBid);
    expect(await s.vault.convertToAssets(10n ** 12n)).to.equal(before.price);

    // The second underwriter leaves at the unchanged price: the rebase gain is nobody's. (The token moves
    // ceil(assets / 2) raw units, so an odd payout delivers one unit more, taken from the stranded surplus.)
    const redeemAt = at + 5n;
    const assets = await viewAt(redeemAt, () => s.vault.convertToAssets(s.bobShares));
    await time.setNextBlockTimestamp(redeemAt);
    await expect(s.vault.connect(s.bob).redeem(s.bobShares, s.bob.address, s.bob.address)).to.changeTokenBalance(
      ethers,
      s.token,
      s.bob,
      assets + (assets % 2n),
    );
    // Beyond the books: the rebase's gain on them, less the odd unit, and the fee, doubled too.
    const beyondBooks = (await s.token.balanceOf(s.vaultAddress)) - (await s.vault.managedAssets());
    expect(beyondBooks).to.equal(before.managed - (assets % 2n) + 2n * fees);
    expect(await s.vault.protocolFeesHeld()).to.equal(beyondBooks);
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

  it("negative rebase (x0.5) then an early exit to escape the loss: redeem reverts AssetShortfall(balance, books), so nobody leaves at the pre-rebase price; exits resume once the shortfall is made good", async () => {
    const s = await load();
    const managed = await s.vault.managedAssets();
    const fees = await s.vault.protocolFeesHeld();
    await (await s.token.setFactor(WAD / 2n)).wait();
    const held = await s.token.balanceOf(s.vaultAddress);
    expect(held).to.equal((managed + fees) / 2n);

    const at = BigInt(await time.latest()) + 10n;
    await time.setNextBlockTimestamp(at);
    const bobBefore = await s.token.balanceOf(s.bob.address);
    await expect(s.vault.connect(s.bob).redeem(s.bobShares, s.bob.address, s.bob.address))
      .to.be.revertedWithCustomError(s.vault, "AssetShortfall")
      .withArgs(held, managed);
    expect(await s.token.balanceOf(s.bob.address)).to.equal(bobBefore);
    expect((await s.vault.redeemRequest(s.bob.address)).shares).to.equal(s.bobShares);

    // Once the asset is back (a positive rebase here; in practice governance or the issuer), bob leaves as usual.
    await (await s.token.setFactor(WAD)).wait();
    await expect(s.vault.connect(s.bob).redeem(s.bobShares, s.bob.address, s.bob.address)).to.emit(s.vault, "Withdraw");
  });

  it("negative rebase (x0.05): the vault cannot pay more than it holds: a 100k redemption reverts AssetShortfall; a 100k approved claim settles, and what the token cannot deliver is parked for the holder, withdrawable once the asset is back", async () => {
    const s = await load();
    const managed = await s.vault.managedAssets();
    await (await s.token.setFactor(WAD / 20n)).wait();
    const balance = await s.token.balanceOf(s.vaultAddress);
    expect(balance).to.be.lessThan(usd(60_000));

    await expect(s.vault.connect(s.bob).redeem(s.bobShares, s.bob.address, s.bob.address))
      .to.be.revertedWithCustomError(s.vault, "AssetShortfall")
      .withArgs(balance, managed);

    await (await s.claimAdjudicator.connect(s.buyer).fileClaim(s.policyId, CLAIM, s.policy.start + DAY + 1n, EVIDENCE)).wait();
    await time.increase(LIVENESS);
    // The claim settles: a short vault must not hold settlement (and the bonds) hostage. What the window lets leave
    // now is attempted, refused by the token and parked; the rest waits in the queue.
    const receipt = (await (await s.claimAdjudicator.settleClaim(1n)).wait())!;
    const parked = receipt.logs
      .map((log) => s.vault.interface.parseLog(log))
      .find((parsedLog) => parsedLog?.name === "PayoutParked")!.args;
    expect(parked.receiver).to.equal(s.buyer.address);
    const parkedAmount: bigint = parked.amount;
    expect(parkedAmount > 0n).to.equal(true);
    expect((await s.claimAdjudicator.getClaim(1n)).state).to.equal(3n); // Approved
    expect((await s.coverManager.getPolicy(s.policyId)).claimed).to.equal(CLAIM);
    expect(await s.vault.parkedPayoutOf(s.buyer.address)).to.equal(parkedAmount);
    expect(await s.vault.queuedOutflowAssets()).to.equal(CLAIM - parkedAmount);
    expect(await s.token.balanceOf(s.vaultAddress)).to.equal(balance);
    // The token's error counts raw units: 20 per unit at this factor.
    await expect(s.vault.connect(s.buyer).withdrawParkedPayout(s.buyer.address))
      .to.be.revertedWithCustomError(s.token, "ERC20InsufficientBalance")
      .withArgs(s.vaultAddress, await s.token.rawBalanceOf(s.vaultAddress), parkedAmount * 20n);

    await (await s.token.setFactor(WAD)).wait();
    await expect(s.vault.connect(s.buyer).withdrawParkedPayout(s.buyer.address)).to.changeTokenBalance(
      ethers,
      s.token,
      s.buyer,
      parkedAmount,
    );
  });
});
