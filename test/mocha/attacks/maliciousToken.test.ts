import { expect } from "chai";

import { ReentrantToken__factory } from "../../../types/ethers-contracts/index.js";
import { DAY, ethers, networkHelpers, time, usd } from "../helpers.js";
import { buyLendingCover, deployParapetOn } from "./exoticAsset.js";
import { viewAt } from "./utils.js";

const LIVENESS = 3n * DAY;
const COOLDOWN = 14n * DAY;
const EVIDENCE = "ipfs://parapet/evidence/reentrant-token";
const CLAIM = usd(10_000);

/**
 * The protocol on `ReentrantToken`: 1,000,000 deposited by the first underwriter, 100,000 by the second, who asks to
 * redeem all of it; a 100k lending policy bought by the first buyer and a 10k claim filed on it two days later.
 * Amounts stay well below a quarter of the vault's NAV.
 */
async function deployOnReentrantToken() {
  const [admin] = await ethers.getSigners();
  const token = await new ReentrantToken__factory(admin).deploy();
  const d = await deployParapetOn(token);
  const { vault, coverManager, claimAdjudicator: adj } = d;
  const [alice, bob] = d.accounts.underwriters;
  const [buyer] = d.accounts.buyers;
  await (await vault.connect(alice).deposit(usd(1_000_000), alice.address)).wait();
  await (await vault.connect(bob).deposit(usd(100_000), bob.address)).wait();
  const bobShares = await vault.balanceOf(bob.address);
  await (await vault.connect(bob).requestRedeem(bobShares, bob.address, bob.address)).wait();
  const { params, vaultAddress, policyId, policy } = await buyLendingCover(d);
  await time.increaseTo(policy.start + 2n * DAY);
  await (await adj.connect(buyer).fileClaim(policyId, CLAIM, policy.start + DAY + 1n, EVIDENCE)).wait();
  // The token holds funds and approvals of its own, so that a re-entrant deposit, purchase or bond could pay.
  const tokenAddress = await token.getAddress();
  await (await token.mint(tokenAddress, usd(1_000_000))).wait();
  for (const spender of [vaultAddress, await coverManager.getAddress(), await adj.getAddress()]) {
    await (await token.approveFromToken(spender, ethers.MaxUint256)).wait();
  }
  return { ...d, token, tokenAddress, alice, bob, bobShares, buyer, params, vaultAddress, policyId, policy };
}

type Setup = Awaited<ReturnType<typeof deployOnReentrantToken>>;
const load = () => networkHelpers.loadFixture(deployOnReentrantToken);

/** Every balance and book entry a re-entrant call could have moved. */
async function state(s: Setup) {
  const holders = [
    await s.vault.getAddress(),
    await s.claimAdjudicator.getAddress(),
    s.tokenAddress,
    s.treasury.address,
    s.alice.address,
    s.bob.address,
    s.buyer.address,
  ];
  return {
    balances: await Promise.all(holders.map((holder) => s.token.balanceOf(holder))),
    managedAssets: await s.vault.managedAssets(),
    pendingReserve: await s.vault.pendingReserve(),
    totalSupply: await s.vault.totalSupply(),
    tokenShares: await s.vault.balanceOf(s.tokenAddress),
    bobRequest: (await s.vault.redeemRequest(s.bob.address)).shares,
    exposure: await s.vault.exposureOf(s.productIds.lending),
    policyCount: await s.coverManager.policyCount(),
    claimCount: await s.claimAdjudicator.claimCount(),
    claimState: (await s.claimAdjudicator.getClaim(1n)).state,
    claimed: (await s.coverManager.getPolicy(s.policyId)).claimed,
  };
}

/** The re-entrant calls each path is probed with, as [label, target contract, calldata]. */
function reentries(s: Setup): Array<[string, string, string]> {
  const vault = s.vaultAddress;
  const token = s.tokenAddress;
  const coverManager = s.coverManager.target as string;
  const adj = s.claimAdjudicator.target as string;
  const v = s.vault.interface;
  return [
    ["vault.deposit", vault, v.encodeFunctionData("deposit", [usd(1_000), token])],
    ["vault.mint", vault, v.encodeFunctionData("mint", [10n ** 12n, token])],
    ["vault.requestRedeem", vault, v.encodeFunctionData("requestRedeem", [1n, token, token])],
    ["vault.redeem", vault, v.encodeFunctionData("redeem", [s.bobShares, s.bob.address, s.bob.address])],
    ["vault.withdraw", vault, v.encodeFunctionData("withdraw", [usd(1_000), s.bob.address, s.bob.address])],
    ["coverManager.buyCover", coverManager, s.coverManager.interface.encodeFunctionData("buyCover", [{ ...s.params, receiver: token }])],
    ["adjudicator.settleClaim", adj, s.claimAdjudicator.interface.encodeFunctionData("settleClaim", [1n])],
    ["adjudicator.disputeClaim", adj, s.claimAdjudicator.interface.encodeFunctionData("disputeClaim", [1n])],
    [
      "adjudicator.fileClaim",
      adj,
      s.claimAdjudicator.interface.encodeFunctionData("fileClaim", [s.policyId, 1n, s.policy.start + DAY + 1n, EVIDENCE]),
    ],
  ];
}

describe("Attack: a token that calls back into the protocol during transfers", () => {
  it("re-entry from the pull of vault.deposit: every vault entry/exit and buyCover (through underwrite) revert ReentrancyGuardReentrantCall, nothing changes", async () => {
    const s = await load();
    const [, , carol] = s.accounts.underwriters;
    const before = await state(s);
    for (const [label, target, data] of reentries(s).filter(([name]) => name.startsWith("vault.") || name.includes("buyCover"))) {
      await (await s.token.arm(target, data, true)).wait();
      // buyCover is a different contract: it gets through the CoverManager's guard and is stopped by the vault's,
      // in `underwrite`, while the vault is still inside the deposit.
      await expect(s.vault.connect(carol).deposit(usd(50_000), carol.address), label).to.be.revertedWithCustomError(
        s.vault,
        "ReentrancyGuardReentrantCall",
      );
      expect(await s.vault.balanceOf(carol.address)).to.equal(0n);
      expect(await s.token.balanceOf(carol.address)).to.equal(usd(1_000_000));
      expect(await state(s), label).to.deep.equal(before);
    }
    // Disarmed, the same deposit goes through: the guard, not something else, refused the attempts.
    await (await s.token.disarm()).wait();
    await expect(s.vault.connect(carol).deposit(usd(50_000), carol.address)).to.changeTokenBalances(
      ethers,
      s.token,
      [carol, s.vault],
      [-usd(50_000), usd(50_000)],
    );
  });

  it("re-entry from the payout of vault.redeem: deposit/mint/requestRedeem/redeem/withdraw revert ReentrancyGuardReentrantCall; a swallowed attempt leaves exactly one payout", async () => {
    const s = await load();
    await time.increase(COOLDOWN);
    const before = await state(s);
    const half = s.bobShares / 2n;
    for (const [label, target, data] of reentries(s).filter(([name]) => name.startsWith("vault."))) {
      await (await s.token.arm(target, data, true)).wait();
      await expect(s.vault.connect(s.bob).redeem(half, s.bob.address, s.bob.address), label).to.be.revertedWithCustomError(
        s.vault,
        "ReentrancyGuardReentrantCall",
      );
      expect(await state(s), label).to.deep.equal(before);
    }

    // Swallowed (the token carries on): the nested redeem of the rest of the request failed, and only `half` left.
    const redeemData = s.vault.interface.encodeFunctionData("redeem", [s.bobShares - half, s.bob.address, s.bob.address]);
    await (await s.token.arm(s.vaultAddress, redeemData, false)).wait();
    const redeemAt = BigInt(await time.latest()) + 10n;
    const assets = await viewAt(redeemAt, () => s.vault.convertToAssets(half));
    await time.setNextBlockTimestamp(redeemAt);
    const tx = s.vault.connect(s.bob).redeem(half, s.bob.address, s.bob.address);
    await expect(tx).to.changeTokenBalances(ethers, s.token, [s.vault, s.bob], [-assets, assets]);
    await expect(tx).to.emit(s.token, "HookCalled");
    expect(await s.token.lastSuccess()).to.equal(false);
    expect(s.vault.interface.parseError(await s.token.lastReturnData())?.name).to.equal("ReentrancyGuardReentrantCall");
    expect((await s.vault.redeemRequest(s.bob.address)).shares).to.equal(s.bobShares - half);
    expect(await s.vault.managedAssets()).to.equal(before.managedAssets - assets);
    expect(assets).to.be.lessThan(usd(100_000)); // well under a quarter of NAV
  });

  it("re-entry from the premium pull of buyCover: buyCover reverts ReentrancyGuardReentrantCall; a nested deposit is caught by the exact-amount check (UnsupportedToken); nothing changes", async () => {
    const s = await load();
    const [, buyer2] = s.accounts.buyers;
    const params = { ...s.params, receiver: buyer2.address };
    const before = await state(s);
    const buyData = s.coverManager.interface.encodeFunctionData("buyCover", [{ ...s.params, receiver: s.tokenAddress }]);
    await (await s.token.arm(s.coverManager.target as string, buyData, true)).wait();
    await expect(s.coverManager.connect(buyer2).buyCover(params)).to.be.revertedWithCustomError(
      s.coverManager,
      "ReentrancyGuardReentrantCall",
    );
    expect(await state(s)).to.deep.equal(before);
    expect(await s.coverManager.balanceOf(buyer2.address)).to.equal(0n);

    // The vault's own guard is not held while the CoverManager collects the premium, so a nested deposit runs; but
    // the deposit's assets land in the vault within the premium transfer, and pullExact refuses the extra.
    const depositAt = BigInt(await time.latest()) + 10n;
    const depositData = s.vault.interface.encodeFunctionData("deposit", [usd(1_000), s.tokenAddress]);
    for (const bubble of [true, false]) {
      await (await s.token.arm(s.vaultAddress, depositData, bubble)).wait();
      const expected = await viewAt(depositAt + (bubble ? 0n : 2n), async () => {
        // The premium and the protocol fee are pulled into the vault together.
        const [premium, fee] = await s.coverManager.quotePremium(params.productId, params.vault, params.amount, params.period);
        return premium + fee;
      });
      await time.setNextBlockTimestamp(depositAt + (bubble ? 0n : 2n));
      await expect(s.coverManager.connect(buyer2).buyCover(params))
        .to.be.revertedWithCustomError(s.coverManager, "UnsupportedToken")
        .withArgs(s.tokenAddress, expected, expected + usd(1_000));
      expect(await state(s)).to.deep.equal(before);
    }
  });

  it("re-entry from the bond pull of fileClaim: fileClaim/settleClaim/disputeClaim revert ReentrancyGuardReentrantCall; no claim, no reserve, no bond", async () => {
    const s = await load();
    const [, buyer2] = s.accounts.buyers;
    // A second policy to file on.
    await (await s.coverManager.connect(buyer2).buyCover({ ...s.params, receiver: buyer2.address })).wait();
    const policyId = await s.coverManager.policyCount();
    const policy = await s.coverManager.getPolicy(policyId);
    await time.increaseTo(policy.start + 2n * DAY);
    const before = await state(s);
    for (const [label, target, data] of reentries(s).filter(([name]) => name.startsWith("adjudicator."))) {
      await (await s.token.arm(target, data, true)).wait();
      await expect(
        s.claimAdjudicator.connect(buyer2).fileClaim(policyId, CLAIM, policy.start + DAY + 1n, EVIDENCE),
        label,
      ).to.be.revertedWithCustomError(s.claimAdjudicator, "ReentrancyGuardReentrantCall");
      expect(await s.claimAdjudicator.openClaimOf(policyId)).to.equal(0n);
      expect(await state(s), label).to.deep.equal(before);
    }
  });

  it("re-entry from the claim payout (payClaim inside settleClaim): the nested call reverts ReentrancyGuardReentrantCall, so the token refuses the transfer; the payout and the bond are parked, the claim settles once, the holder withdraws them", async () => {
    for (const probe of ["adjudicator.settleClaim", "vault.redeem", "vault.deposit"]) {
      const s = await load();
      await time.increase(LIVENESS);
      const [label, target, data] = reentries(s).find(([name]) => name === probe)!;
      await (await s.token.arm(target, data, true)).wait();
      const bond = (await s.claimAdjudicator.getClaim(1n)).bond;
      const tx = s.claimAdjudicator.connect(s.accounts.watcher).settleClaim(1n);
      const receipt = (await (await tx).wait())!;
      const events = receipt.logs
        .map((log) => s.vault.interface.parseLog(log) ?? s.claimAdjudicator.interface.parseLog(log))
        .filter((parsed) => parsed?.name === "PayoutParked" || parsed?.name === "PaymentParked")
        .map((parsed) => [parsed!.name, ...parsed!.args]);
      // Outside the vault's own call a nested deposit is an ordinary deposit: the bond's transfer then goes through.
      const bondParked = probe !== "vault.deposit";
      expect(events, label).to.deep.equal([
        ["PayoutParked", s.buyer.address, CLAIM],
        ...(bondParked ? [["PaymentParked", s.token.target, s.buyer.address, bond]] : []),
      ]);
      await expect(tx, label).to.changeTokenBalance(ethers, s.token, s.buyer, bondParked ? 0n : bond);
      expect((await s.claimAdjudicator.getClaim(1n)).state, label).to.equal(3n);
      expect((await s.coverManager.getPolicy(s.policyId)).claimed, label).to.equal(CLAIM);
      expect(await s.vault.parkedPayoutOf(s.buyer.address), label).to.equal(CLAIM);
      await expect(s.claimAdjudicator.settleClaim(1n)).to.be.revertedWithCustomError(
        s.claimAdjudicator,
        "InvalidAssertionState",
      );

      await (await s.token.disarm()).wait();
      await expect(s.vault.connect(s.buyer).withdrawParkedPayout(s.buyer.address)).to.changeTokenBalances(
        ethers,
        s.token,
        [s.vault, s.buyer],
        [-CLAIM, CLAIM],
      );
      if (bondParked) {
        await expect(
          s.claimAdjudicator.connect(s.buyer).withdrawParked(s.token.target, s.buyer.address),
        ).to.changeTokenBalances(ethers, s.token, [s.claimAdjudicator, s.buyer], [-bond, bond]);
      }
    }
  });

  it("re-entry from the claim payout, swallowed by the token: the nested settleClaim fails, the outer settlement pays the claim once", async () => {
    const s = await load();
    await time.increase(LIVENESS);
    // Swallowed: the nested settleClaim fails inside the payout; the outer settlement pays the claim once.
    const settleData = s.claimAdjudicator.interface.encodeFunctionData("settleClaim", [1n]);
    await (await s.token.arm(s.claimAdjudicator.target as string, settleData, false)).wait();
    const bond = (await s.claimAdjudicator.getClaim(1n)).bond;
    const tx = s.claimAdjudicator.connect(s.accounts.watcher).settleClaim(1n);
    await expect(tx).to.changeTokenBalances(ethers, s.token, [s.vault, s.buyer], [-CLAIM, CLAIM + bond]);
    expect(await s.token.lastSuccess()).to.equal(false);
    expect(s.claimAdjudicator.interface.parseError(await s.token.lastReturnData())?.name).to.equal(
      "ReentrancyGuardReentrantCall",
    );
    expect((await s.coverManager.getPolicy(s.policyId)).claimed).to.equal(CLAIM);
    expect(await s.vault.pendingReserve()).to.equal(0n);
    await expect(s.claimAdjudicator.settleClaim(1n)).to.be.revertedWithCustomError(s.claimAdjudicator, "InvalidAssertionState");
  });
});
