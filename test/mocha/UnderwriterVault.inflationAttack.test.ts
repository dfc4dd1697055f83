import { expect } from "chai";

import { asCoverManager, DAY, deposit, loadParapet, time, usd } from "./helpers.js";
import { redeemInWindows } from "./vaultSetup.js";

describe("UnderwriterVault inflation attack and total loss", () => {
  describe("first-depositor inflation attack", () => {
  });

  describe("total loss", () => {
    async function wipeOut(d: Awaited<ReturnType<typeof loadParapet>>) {
      const vault = d.vaults.conservative;
      const claims = d.accounts.outsider;
      const everything = await vault.navAsk();
      await vault.connect(claims).reserveUpTo(d.productIds.lending, everything);
      await vault.connect(await asCoverManager(d.coverManager)).payClaim(d.productIds.lending, 0n, claims.address, everything, everything);
      // Past the circuit breaker's share of NAV the payout queues; the guardian lets it through.
      await vault.connect(d.accounts.guardian).releaseOutflowQueue(1n);
      expect(await vault.queuedOutflowAssets()).to.equal(0n);
      expect(await vault.navAsk()).to.equal(0n);
      expect(await vault.totalAssets()).to.equal(0n);
    }

    it("keeps working across repeated loss cycles: each cycle writes the old shares off, newcomers enter fairly", async () => {
      const d = await loadParapet();
      const vault = d.vaults.conservative;
      await d.productRegistry.setClaimsModule(d.accounts.outsider.address);
      const [first, second, third] = d.accounts.underwriters;
      const cycleDeposit = usd(200_000);
      await deposit(vault, first, cycleDeposit);
      // An exit queued before the loss: it must not survive the write-off.
      const queued = (await vault.balanceOf(first.address)) / 2n;
      await vault.connect(first).requestRedeem(queued, first.address, first.address);

      let holder = first;
      for (let cycle = 1n; cycle <= 10n; cycle++) {
        await wipeOut(d);
        const oldSupply = await vault.totalSupply();
        // Views stay defined at zero assets.
        expect(await vault.convertToAssets(oldSupply)).to.equal(0n);
        expect(await vault.maxWithdraw(holder.address)).to.equal(0n);

        const newcomer = [second, third, first][Number(cycle % 3n)];
        await expect(vault.connect(newcomer).deposit(cycleDeposit, newcomer.address))
          .to.emit(vault, "SharesWrittenOff")
          .withArgs(cycle, oldSupply, 0n);
        expect(await vault.shareEpoch()).to.equal(cycle);
        const shares = await vault.balanceOf(newcomer.address);
        // A fresh share class: the newcomer owns all of it, at the initial price.
        expect(shares).to.equal(cycleDeposit * 10n ** 6n);
        expect(await vault.totalSupply()).to.equal(shares);
        expect(await vault.convertToAssets(shares)).to.equal(cycleDeposit);
        if (holder.address !== newcomer.address) expect(await vault.balanceOf(holder.address)).to.equal(0n);
        expect(await vault.claimableRedeemRequest(0n, first.address)).to.equal(0n);
        holder = newcomer;
      }

      // Written-off shares cannot move, and the last holder leaves with its money.
      await expect(vault.connect(second).transfer(third.address, 1n)).to.be.revertedWithCustomError(
        vault,
        "ERC20InsufficientBalance",
      );
      const shares = await vault.balanceOf(holder.address);
      await vault.connect(holder).requestRedeem(shares, holder.address, holder.address);
      await time.increase(14n * DAY);
      const before = await d.asset.balanceOf(holder.address);
      expect(await redeemInWindows(vault, holder)).to.equal(cycleDeposit);
      expect((await d.asset.balanceOf(holder.address)) - before).to.equal(cycleDeposit);
      expect(await vault.totalSupply()).to.equal(0n);
    });

    it("does not write off a vault that is merely down, even by 99.9999%", async () => {
      const d = await loadParapet();
      const vault = d.vaults.conservative;
      const claims = d.accounts.outsider;
      await d.productRegistry.setClaimsModule(claims.address);
      const [first, second] = d.accounts.underwriters;
      await deposit(vault, first, usd(1_000_000));
      const loss = usd(1_000_000) - usd(1);
      await vault.connect(claims).reserveUpTo(d.productIds.lending, loss);
      await vault.connect(await asCoverManager(d.coverManager)).payClaim(d.productIds.lending, 0n, claims.address, loss, loss);

      await deposit(vault, second, usd(1));
      expect(await vault.shareEpoch()).to.equal(0n);
      // Both now hold about half of the 2 units left.
      const firstValue = await vault.convertToAssets(await vault.balanceOf(first.address));
      expect(firstValue).to.be.within(usd(1) - 1n, usd(1));
    });
  });
});
