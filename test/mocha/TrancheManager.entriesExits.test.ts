import { expect } from "chai";

import { ROLES } from "../../deploy/roles.js";
import { maxJuniorExitDown } from "../../sdk/src/core/trancheMath.js";
import { time, usd } from "./helpers.js";
import { PARAMS, withTranches } from "./tranchesSetup.js";

const JUNIOR = 0n;
const WAD = 10n ** 18n;

describe("TrancheManager / TrancheToken: entries, asynchronous exits, governance and their errors", () => {
  describe("the minimum junior ratio", () => {
    it("refuses a senior entry that would take the junior below it, with the values after the entry", async () => {
      const { vault, manager, senior, carol } = await withTranches();
      await (await vault.connect(carol).deposit(usd(600_000), carol.address)).wait();
      const shares = await vault.balanceOf(carol.address);
      const [junior, seniorValue] = await manager.book();
      const credit = await manager.creditOf(shares);
      await expect(senior.connect(carol).deposit(shares, carol.address))
        .to.be.revertedWithCustomError(manager, "JuniorRatioTooLow")
        .withArgs(junior, seniorValue + credit, PARAMS.minJuniorRatioWad);
      // maxDeposit says how much fits (500k of credit at 300k junior and 20%), a margin below the limit.
      const max = await senior.maxDeposit(carol.address);
      expect(await manager.creditOf(max)).to.be.closeTo(usd(500_000), 20n);
      await (await senior.connect(carol).deposit(max, carol.address)).wait();
      await expect(senior.connect(carol).deposit(usd(1) * 10n ** 6n, carol.address)).to.be.revertedWithCustomError(
        manager,
        "JuniorRatioTooLow",
      );
    });

    it("refuses a junior exit that would break it, and maxRedeem stops at the limit", async () => {
      const { vault, manager, junior, alice, juniorShares } = await withTranches();
      await (await junior.connect(alice).requestRedeem(juniorShares, alice.address, alice.address)).wait();
      await time.increase(await vault.cooldown());
      const [juniorValue, seniorValue] = await manager.book();
      const value = (juniorShares * (juniorValue + 1n)) / ((await junior.totalSupply()) + 10n ** 6n);
      await expect(junior.connect(alice).redeem(juniorShares, alice.address, alice.address))
        .to.be.revertedWithCustomError(manager, "JuniorRatioTooLow")
        .withArgs(juniorValue - value, seniorValue, PARAMS.minJuniorRatioWad);
      const exitable = maxJuniorExitDown(juniorValue, seniorValue, PARAMS.minJuniorRatioWad);
      expect(await manager.maxExitValue(JUNIOR)).to.equal(exitable);
      const max = await junior.maxRedeem(alice.address);
      expect(max).to.be.lessThan(juniorShares);
      await (await junior.connect(alice).redeem(max, alice.address, alice.address)).wait();
      const [after, seniorAfter] = await manager.book();
      expect(after * WAD).to.be.greaterThanOrEqual(((after + seniorAfter) * PARAMS.minJuniorRatioWad));
    });

    it("lets the senior leave whatever the ratio", async () => {
      const { vault, manager, senior, bob, seniorShares, reserve } = await withTranches();
      await reserve(usd(250_000));
      await (await senior.connect(bob).requestRedeem(seniorShares, bob.address, bob.address)).wait();
      await time.increase(await vault.cooldown());
      expect(await senior.maxRedeem(bob.address)).to.equal(seniorShares);
      const [, seniorValue] = await manager.book();
      await expect(senior.connect(bob).redeem(seniorShares, bob.address, bob.address)).to.emit(manager, "TrancheExited");
      // The junior bore the whole reserve: the senior left with everything it was owed, less SharesMath's dust.
      expect(seniorValue).to.be.closeTo(usd(700_000), 1n);
      expect((await manager.book())[1]).to.be.lessThan(2n);
    });
  });

  describe("asynchronous exits", () => {
    it("refuses a redeem before the cooldown and after the window, and cancelling returns the shares", async () => {
      const { vault, junior, alice } = await withTranches();
      const shares = usd(1_000) * 10n ** 6n;
      await (await junior.connect(alice).requestRedeem(shares, alice.address, alice.address)).wait();
      const { claimableAt } = await junior.redeemRequest(alice.address);
      expect(claimableAt).to.equal(BigInt(await time.latest()) + (await vault.cooldown()));
      await expect(junior.connect(alice).redeem(shares, alice.address, alice.address))
        .to.be.revertedWithCustomError(junior, "RedeemRequestNotClaimable")
        .withArgs(alice.address, shares, 0n, claimableAt);
      await time.increaseTo(claimableAt + 7n * 86_400n + 1n);
      await expect(junior.connect(alice).redeem(shares, alice.address, alice.address))
        .to.be.revertedWithCustomError(junior, "RedeemRequestExpired")
        .withArgs(alice.address, claimableAt + 7n * 86_400n);
      const balance = await junior.balanceOf(alice.address);
      await expect(junior.connect(alice).cancelRedeemRequest(alice.address))
        .to.emit(junior, "RedeemRequestCancelled")
        .withArgs(alice.address, shares);
      expect(await junior.balanceOf(alice.address)).to.equal(balance + shares);
    });

    it("lets only the controller or its operator redeem, and never to the zero address", async () => {
      const { vault, junior, alice, carol } = await withTranches();
      const shares = usd(1_000) * 10n ** 6n;
      await (await junior.connect(alice).requestRedeem(shares, alice.address, alice.address)).wait();
      await time.increase(await vault.cooldown());
      await expect(junior.connect(carol).redeem(shares, carol.address, alice.address))
        .to.be.revertedWithCustomError(junior, "NotControllerOrOperator")
        .withArgs(carol.address, alice.address);
      await expect(junior.connect(alice).redeem(shares, "0x0000000000000000000000000000000000000000", alice.address))
        .to.be.revertedWithCustomError(junior, "InvalidReceiver")
        .withArgs("0x0000000000000000000000000000000000000000");
      await (await junior.connect(alice).setOperator(carol.address, true)).wait();
      const before = await vault.balanceOf(carol.address);
      await (await junior.connect(carol).redeem(shares, carol.address, alice.address)).wait();
      expect(await vault.balanceOf(carol.address)).to.be.greaterThan(before);
    });

    it("withdraw pays exactly the vault shares asked for and burns the tranche shares worth them, rounded up", async () => {
      const { vault, manager, senior, bob } = await withTranches();
      const requested = usd(10_000) * 10n ** 6n;
      await (await senior.connect(bob).requestRedeem(requested, bob.address, bob.address)).wait();
      await time.increase(await vault.cooldown());
      const wanted = usd(5_000) * 10n ** 6n;
      const before = await vault.balanceOf(bob.address);
      const [, seniorBefore] = await manager.book();
      await (await senior.connect(bob).withdraw(wanted, bob.address, bob.address)).wait();
      expect((await vault.balanceOf(bob.address)) - before).to.equal(wanted);
      const [, seniorAfter] = await manager.book();
      expect(seniorBefore - seniorAfter).to.be.greaterThanOrEqual(await vault.convertToAssets(wanted));
      expect((await senior.redeemRequest(bob.address)).shares).to.be.greaterThan(requested / 2n - 10n ** 6n);
    });

    it("previewRedeem and previewWithdraw revert, as ERC-7540 asks", async () => {
      const { junior } = await withTranches();
      await expect(junior.previewRedeem(1n)).to.be.revertedWithCustomError(junior, "AsynchronousRedemption");
      await expect(junior.previewWithdraw(1n)).to.be.revertedWithCustomError(junior, "AsynchronousRedemption");
    });
  });

  describe("standards", () => {
    it("ERC-4626 views in vault shares at the exit value; ERC-165 announces ERC-7540 and ERC-7575; share() is the token", async () => {
      const { vault, manager, junior, senior, alice } = await withTranches();
      const [juniorValue, seniorValue] = await manager.book();
      expect(await junior.asset()).to.equal(await vault.getAddress());
      expect(await junior.share()).to.equal(await junior.getAddress());
      expect(await junior.manager()).to.equal(await manager.getAddress());
      expect([await junior.isSenior(), await senior.isSenior()]).to.deep.equal([false, true]);
      expect(await junior.totalAssets()).to.equal(await vault.convertToShares(juniorValue));
      expect(await senior.totalAssets()).to.equal(await vault.convertToShares(seniorValue));
      const shares = usd(1_000) * 10n ** 6n;
      const value = (shares * (juniorValue + 1n)) / ((await junior.totalSupply()) + 10n ** 6n);
      expect(await junior.convertToAssets(shares)).to.equal(await vault.convertToShares(value));
      const vaultShares = await vault.convertToShares(usd(1_000));
      const valueOfVaultShares = await vault.convertToAssets(vaultShares);
      expect(await junior.convertToShares(vaultShares)).to.equal(
        (valueOfVaultShares * ((await junior.totalSupply()) + 10n ** 6n)) / (juniorValue + 1n),
      );
      for (const id of ["0x01ffc9a7", "0x620ee8e4", "0xe3bc4e65", "0x2f0a18c5"]) expect(await junior.supportsInterface(id), id).to.equal(true);
      expect(await junior.supportsInterface("0xffffffff")).to.equal(false);
      // Nothing requested: no exit limit to report.
      expect([await junior.maxRedeem(alice.address), await junior.maxWithdraw(alice.address)]).to.deep.equal([0n, 0n]);
      expect(await junior.maxMint(alice.address)).to.equal(2n ** 256n - 1n);
      expect(await junior.maxDeposit(alice.address)).to.equal(2n ** 256n - 1n);
      expect(await senior.maxMint(alice.address)).to.equal(await senior.previewDeposit(await senior.maxDeposit(alice.address)));
      expect(await junior.pendingRedeemRequest(0n, alice.address)).to.equal(0n);
    });

    it("maxWithdraw is the ripe request in vault shares, the junior's capped by the ratio, and withdraw of it succeeds", async () => {
      const { vault, junior, alice, juniorShares } = await withTranches();
      await (await junior.connect(alice).requestRedeem(juniorShares, alice.address, alice.address)).wait();
      expect(await junior.pendingRedeemRequest(0n, alice.address)).to.equal(juniorShares);
      await time.increase(await vault.cooldown());
      expect(await junior.claimableRedeemRequest(0n, alice.address)).to.equal(juniorShares);
      const max = await junior.maxWithdraw(alice.address);
      expect(await vault.convertToAssets(max)).to.be.closeTo(usd(125_000), usd(1));
      const before = await vault.balanceOf(alice.address);
      await (await junior.connect(alice).withdraw(max, alice.address, alice.address)).wait();
      expect((await vault.balanceOf(alice.address)) - before).to.equal(max);
    });
  });

  describe("entries", () => {
    it("mint takes the vault shares previewMint quotes and mints exactly the shares asked for", async () => {
      const { vault, junior, carol } = await withTranches();
      await (await vault.connect(carol).deposit(usd(20_000), carol.address)).wait();
      await (await vault.connect(carol).approve(await junior.getAddress(), 2n ** 255n)).wait();
      const shares = usd(10_000) * 10n ** 6n;
      const quoted = await junior.previewMint(shares);
      const before = await vault.balanceOf(carol.address);
      await (await junior.connect(carol).mint(shares, carol.address)).wait();
      expect(await junior.balanceOf(carol.address)).to.equal(shares);
      expect(before - (await vault.balanceOf(carol.address))).to.equal(quoted);
    });

    it("previewDeposit is what deposit mints; zero vault shares revert ZeroAmount", async () => {
      const { vault, manager, junior, carol } = await withTranches();
      await (await vault.connect(carol).deposit(usd(20_000), carol.address)).wait();
      await (await vault.connect(carol).approve(await junior.getAddress(), 2n ** 255n)).wait();
      const shares = await vault.balanceOf(carol.address);
      const quoted = await junior.previewDeposit(shares);
      await (await junior.connect(carol).deposit(shares, carol.address)).wait();
      expect(await junior.balanceOf(carol.address)).to.equal(quoted);
      await expect(junior.connect(carol).deposit(0n, carol.address)).to.be.revertedWithCustomError(manager, "ZeroAmount");
    });

    it("only the two tranche tokens may enter or exit through the manager", async () => {
      const { manager, carol } = await withTranches();
      await expect(manager.connect(carol).enter(1n))
        .to.be.revertedWithCustomError(manager, "NotTranche")
        .withArgs(carol.address);
      await expect(manager.connect(carol).exit(1n, 1n, carol.address))
        .to.be.revertedWithCustomError(manager, "NotTranche")
        .withArgs(carol.address);
    });

    it("no tranche enters or exits while the vault is paused", async () => {
      const { vault, manager, junior, alice, accounts } = await withTranches();
      await (await vault.connect(alice).deposit(usd(1_000), alice.address)).wait();
      await (await vault.connect(accounts.guardian).pause()).wait();
      await expect(junior.connect(alice).deposit(1_000n, alice.address)).to.be.revertedWithCustomError(manager, "VaultPaused");
      expect(await junior.maxDeposit(alice.address)).to.equal(0n);
    });
  });

  describe("bad input changes nothing", () => {
    it("zero and dust amounts, a zero controller, strangers and spenders on requests", async () => {
      const { vault, junior, alice, bob, carol } = await withTranches();
      await (await vault.connect(carol).deposit(usd(10), carol.address)).wait();
      await expect(junior.connect(carol).deposit(1n, carol.address)).to.be.revertedWithCustomError(junior, "ZeroAmount");
      await expect(junior.connect(carol).mint(0n, carol.address)).to.be.revertedWithCustomError(junior, "ZeroAmount");
      await expect(junior.connect(alice).requestRedeem(0n, alice.address, alice.address)).to.be.revertedWithCustomError(junior, "ZeroAmount");
      await expect(junior.connect(alice).requestRedeem(1n, "0x0000000000000000000000000000000000000000", alice.address))
        .to.be.revertedWithCustomError(junior, "InvalidController")
        .withArgs("0x0000000000000000000000000000000000000000");
      await expect(junior.connect(alice).cancelRedeemRequest(alice.address)).to.be.revertedWithCustomError(junior, "ZeroAmount");
      await expect(junior.connect(alice).redeem(0n, alice.address, alice.address)).to.be.revertedWithCustomError(junior, "ZeroAmount");
      // A spender with an allowance may request for the owner; a stranger may not add to someone's live request.
      await (await junior.connect(alice).approve(bob.address, 10n ** 12n)).wait();
      await (await junior.connect(bob).requestRedeem(10n ** 12n, alice.address, alice.address)).wait();
      expect(await junior.allowance(alice.address, bob.address)).to.equal(0n);
      await expect(junior.connect(carol).requestRedeem(1n, alice.address, carol.address))
        .to.be.revertedWithCustomError(junior, "NotControllerOrOperator")
        .withArgs(carol.address, alice.address);
      await (await junior.connect(alice).setOperator(carol.address, true)).wait();
      expect(await junior.isOperator(alice.address, carol.address)).to.equal(true);
      await (await junior.connect(carol).requestRedeem(10n ** 12n, alice.address, alice.address)).wait();
      expect((await junior.redeemRequest(alice.address)).shares).to.equal(2n * 10n ** 12n);
    });

    it("while the vault is paused every tranche limit reads zero", async () => {
      const { vault, junior, senior, alice, accounts } = await withTranches();
      await (await vault.connect(accounts.guardian).pause()).wait();
      for (const token of [junior, senior]) {
        expect([await token.maxDeposit(alice.address), await token.maxMint(alice.address)]).to.deep.equal([0n, 0n]);
      }
    });

    it("a senior-free layer lets the whole junior leave; a broken ratio stops senior entries", async () => {
      const { vault, manager, senior, bob, seniorShares, reserve } = await withTranches();
      await (await senior.connect(bob).requestRedeem(seniorShares, bob.address, bob.address)).wait();
      await time.increase(await vault.cooldown());
      await (await senior.connect(bob).redeem(seniorShares, bob.address, bob.address)).wait();
      const [juniorValue, seniorValue] = await manager.book();
      expect(seniorValue).to.be.lessThan(2n);
      if (seniorValue === 0n) expect(await manager.maxExitValue(0n)).to.equal(juniorValue);
      // The senior's vault shares stayed in the vault with bob: a reserve of the whole vault takes the junior to zero.
      await reserve(await vault.navBid());
      expect((await manager.book())[0]).to.equal(0n);
      expect(await manager.maxEntryShares(1n)).to.equal(0n);
    });
  });

  describe("governance", () => {
    it("the risk manager sets the split and the ratio within bounds, accruing first", async () => {
      const { manager, accounts } = await withTranches();
      const asRisk = manager.connect(accounts.riskManager);
      await expect(asRisk.setSeniorPremiumShare(7n * 10n ** 17n)).to.emit(manager, "SeniorPremiumShareSet").withArgs(7n * 10n ** 17n);
      expect(await manager.seniorPremiumShareWad()).to.equal(7n * 10n ** 17n);
      await expect(asRisk.setSeniorPremiumShare(96n * 10n ** 16n))
        .to.be.revertedWithCustomError(manager, "InvalidSeniorPremiumShare")
        .withArgs(96n * 10n ** 16n);
      await expect(asRisk.setSeniorPremiumShare(10n ** 17n - 1n))
        .to.be.revertedWithCustomError(manager, "InvalidSeniorPremiumShare")
        .withArgs(10n ** 17n - 1n);
      await expect(asRisk.setMinJuniorRatio(3n * 10n ** 17n)).to.emit(manager, "MinJuniorRatioSet").withArgs(3n * 10n ** 17n);
      await expect(asRisk.setMinJuniorRatio(5n * 10n ** 17n + 1n))
        .to.be.revertedWithCustomError(manager, "InvalidMinJuniorRatio")
        .withArgs(5n * 10n ** 17n + 1n);
      await expect(asRisk.setMinJuniorRatio(5n * 10n ** 16n - 1n))
        .to.be.revertedWithCustomError(manager, "InvalidMinJuniorRatio")
        .withArgs(5n * 10n ** 16n - 1n);
    });

    it("no one else may change them", async () => {
      const { manager, accounts, accessManager } = await withTranches();
      for (const signer of [accounts.curator, accounts.guardian, accounts.outsider]) {
        await expect(manager.connect(signer).setSeniorPremiumShare(7n * 10n ** 17n))
          .to.be.revertedWithCustomError(manager, "AccessManagedUnauthorized")
          .withArgs(signer.address);
      }
      const selector = manager.interface.getFunction("setMinJuniorRatio").selector;
      expect(await accessManager.getTargetFunctionRole(await manager.getAddress(), selector)).to.equal(ROLES.RISK_MANAGER);
    });

    it("a senior entrant during a reserve is protected by the junior, which books the entrant's share as provision", async () => {
      const { vault, manager, senior, carol, reserve } = await withTranches();
      await reserve(usd(100_000));
      await (await vault.connect(carol).deposit(usd(100_000), carol.address)).wait();
      await (await manager.accrue()).wait();
      const [juniorBefore, seniorBefore, provisionBefore] = await manager.book();
      const shares = await vault.balanceOf(carol.address);
      const entrantProvision = (shares * (await vault.pendingReserve())) / (await vault.totalSupply());
      await (await senior.connect(carol).deposit(shares, carol.address)).wait();
      const [juniorAfter, seniorAfter, provisionAfter] = await manager.book();
      // The senior rose by the credit (the vault's entry price); the junior bore the entrant's share of the reserve.
      expect(seniorAfter - seniorBefore).to.be.closeTo(usd(100_000), 1n);
      expect(juniorBefore - juniorAfter).to.be.closeTo(entrantProvision, 2n);
      expect(provisionAfter - provisionBefore).to.equal(juniorBefore - juniorAfter);
      expect(provisionAfter).to.equal(await manager.provision());
    });
  });
});
