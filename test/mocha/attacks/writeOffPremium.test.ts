import { expect } from "chai";

import { asCoverManager, buyCover, DAY, deposit, ethers, loadParapet, time, usd } from "../helpers.js";
import { redeemInWindows } from "../vaultSetup.js";

describe("Attack: share-class write-off taking the old class's unearned premium", () => {
  it("depositing 1 unit in the block a total loss is paid out: no write-off while premium is still owed to the class, and the entry pays for that premium, so the depositor ends with its unit and the old holder with the premium", async () => {
    const d = await loadParapet();
    const vault = d.vaults.highYield;
    const { lending } = d.productIds;
    const [alice, attacker] = d.accounts.underwriters;
    const claimant = d.accounts.outsider;
    const payer = await asCoverManager(d.coverManager);
    await deposit(vault, alice, usd(100_000));
    // 80k of cover for a year: its premium streams to the holders over the year.
    const { policyId } = await buyCover(d, d.accounts.buyers[0], {
      vault,
      productId: lending,
      amount: usd(80_000),
      period: 365n * DAY,
    });
    const policy = await d.coverManager.getPolicy(policyId);
    const lockedUntil = policy.end + 30n * DAY;
    await time.increase(DAY);

    // A total loss paid out, and the attacker's 1 unit, in one block.
    await ethers.provider.send("evm_setAutomine", [false]);
    const loss = await vault.navBid();
    const pay = await vault.connect(payer).payClaim(lending, lockedUntil, claimant.address, loss, 0n);
    const entry = await vault.connect(attacker).deposit(usd(1), attacker.address);
    await ethers.provider.send("evm_mine", []);
    await ethers.provider.send("evm_setAutomine", [true]);
    const payReceipt = (await pay.wait())!;
    const entryReceipt = (await entry.wait())!;
    expect(entryReceipt.blockNumber).to.equal(payReceipt.blockNumber);
    const paidOut = vault.interface.parseLog(payReceipt.logs.find((log) => vault.interface.parseLog(log)?.name === "ClaimPaid")!)!
      .args.amount as bigint;
    expect(paidOut > 0n).to.equal(true);
    // Past the breaker's quarter the payout queued; the guardian lets it through.
    await (await vault.connect(d.accounts.guardian).releaseOutflowQueue(1n)).wait();

    // The class held nothing but the premium still to stream: it is not written off...
    expect(await vault.shareEpoch()).to.equal(0n);
    expect(entryReceipt.logs.some((log) => vault.interface.parseLog(log)?.name === "SharesWrittenOff")).to.equal(false);
    // ...and the entry is priced at that premium, not at the near-zero navAsk: 1 unit buys about 1e-6 of a class
    // worth its unearned premium, instead of half (or all) of it.
    const attackerShares = await vault.balanceOf(attacker.address);
    const aliceShares = await vault.balanceOf(alice.address);
    const unearned = await vault.unearnedPremium();
    expect(attackerShares * unearned < usd(2) * (aliceShares + attackerShares)).to.equal(true);

    // Once the premium has streamed and the cover's lock has passed, both leave.
    await time.increaseTo(lockedUntil + 7n * DAY);
    expect(await vault.unearnedPremium()).to.equal(0n);
    expect(await vault.exposureOf(lending)).to.equal(0n);
    for (const holder of [alice, attacker]) {
      await (await vault.connect(holder).requestRedeem(await vault.balanceOf(holder.address), holder.address, holder.address)).wait();
    }
    await time.increaseTo((await vault.redeemRequest(attacker.address)).claimableAt);
    const attackerOut = await redeemInWindows(vault, attacker);
    const aliceOut = await redeemInWindows(vault, alice);
    // The attacker gets its unit back, give or take rounding; the premium went to the holder who bore its risk.
    expect(attackerOut <= usd(1) + 1n).to.equal(true);
    expect(attackerOut >= usd(1) - 2n).to.equal(true);
    expect(aliceOut > unearned - usd(1)).to.equal(true);
    expect(await vault.totalSupply()).to.equal(0n);
  });
});
