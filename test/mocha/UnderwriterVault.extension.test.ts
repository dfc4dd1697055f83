import { expect } from "chai";
import { FunctionFragment, type Interface } from "ethers";

import { IUnderwriterVault__factory, UnderwriterVaultExtension__factory } from "../../types/ethers-contracts/index.js";
import { deposit, ethers, loadParapet, usd } from "./helpers.js";

/**
 * The vault runs its calls off the payment paths in the `UnderwriterVaultExtension` its constructor deploys, through
 * `delegatecall`: on the vault's storage, under the vault's address, roles and guards.
 */
describe("UnderwriterVault extension", () => {
  /** The state-changing calls the vault delegates: the interface's non-view functions the extension implements. */
  const DELEGATED = [
    "cancelRedeemRequest",
    "processOutflowQueue",
    "releaseOutflowQueue",
    "removeProduct",
    "requestRedeem",
    "setCooldown",
    "setMaxLeverage",
    "setOutflowLimit",
    "setProductTerms",
    "sweepProtocolFees",
    "voidQueuedOutflow",
    "withdrawParkedPayout",
  ];

  async function withExtension() {
    const d = await loadParapet();
    const vault = d.vaults.conservative;
    const extension = UnderwriterVaultExtension__factory.connect(await vault.extension(), d.accounts.admin);
    return { ...d, vault, extension };
  }

  it("implements exactly the interface's delegated calls, and each vault deploys its own extension", async () => {
    const { vaults, extension } = await withExtension();
    const vaultInterface: Interface = IUnderwriterVault__factory.createInterface();
    const implemented = extension.interface.fragments
      .filter((f): f is FunctionFragment => f instanceof FunctionFragment && !f.constant)
      .filter((f) => vaultInterface.getFunction(f.format()) !== null)
      .map((f) => f.name)
      .sort();
    expect(implemented).to.deep.equal(DELEGATED);
    expect(await ethers.provider.getCode(await extension.getAddress())).to.not.equal("0x");
    expect(await vaults.highYield.extension()).to.not.equal(await extension.getAddress());
  });

  it("refuses every delegated call made to the extension directly: ExtensionCalledDirectly(extension)", async () => {
    const { extension } = await withExtension();
    const address = await extension.getAddress();
    const extensionInterface: Interface = extension.interface;
    for (const name of DELEGATED) {
      const fragment = extensionInterface.getFunction(name)!;
      const args = fragment.inputs.map((input) =>
        input.baseType === "tuple" ? input.components!.map(() => 1n) : input.type === "address" ? address : 1n,
      );
      const data = extensionInterface.encodeFunctionData(fragment, args);
      await expect(extension.runner!.sendTransaction!({ to: address, data }), name)
        .to.be.revertedWithCustomError(extension, "ExtensionCalledDirectly")
        .withArgs(address);
    }
  });

  it("takes nothing into its own share books: its inherited ERC-4626 entries revert", async () => {
    const { extension, asset, accounts } = await withExtension();
    const [underwriter] = accounts.underwriters;
    const address = await extension.getAddress();
    await asset.connect(underwriter).approve(address, usd(1_000));
    await expect(extension.connect(underwriter).deposit(usd(1_000), underwriter.address))
      .to.be.revertedWithCustomError(extension, "ERC4626ExceededMaxDeposit")
      .withArgs(underwriter.address, usd(1_000), 0n);
    await expect(extension.connect(underwriter).mint(1n, underwriter.address))
      .to.be.revertedWithCustomError(extension, "ERC4626ExceededMaxMint")
      .withArgs(underwriter.address, 1n, 0n);
    expect(await asset.balanceOf(address)).to.equal(0n);
  });

  it("moves no share and no allowance of its own: zero-amount ERC-20 and ERC-4626 calls revert ExtensionCalledDirectly(extension)", async () => {
    const { extension, accounts } = await withExtension();
    const [underwriter] = accounts.underwriters;
    const address = await extension.getAddress();
    const own = extension.connect(underwriter);
    const calls = {
      "deposit(0)": () => own.deposit(0n, underwriter.address),
      "mint(0)": () => own.mint(0n, underwriter.address),
      "withdraw(0)": () => own.withdraw(0n, underwriter.address, underwriter.address),
      "redeem(0)": () => own.redeem(0n, underwriter.address, underwriter.address),
      "transfer(0)": () => own.transfer(accounts.outsider.address, 0n),
      "transferFrom(0)": () => own.transferFrom(underwriter.address, accounts.outsider.address, 0n),
      approve: () => own.approve(accounts.outsider.address, 1n),
    };
    for (const [name, call] of Object.entries(calls)) {
      await expect(call(), name).to.be.revertedWithCustomError(extension, "ExtensionCalledDirectly").withArgs(address);
    }
    expect(await extension.allowance(underwriter.address, accounts.outsider.address)).to.equal(0n);
  });

  it("spends a delegated request's allowance in the vault's books: a spender's requestRedeem lowers the vault's allowance, not the extension's", async () => {
    const { vault, extension, accounts } = await withExtension();
    const [owner, spender] = accounts.underwriters;
    await deposit(vault, owner, usd(1_000));
    const shares = await vault.balanceOf(owner.address);
    await (await vault.connect(owner).approve(spender.address, shares)).wait();
    const requested = shares / 4n;
    await expect(vault.connect(spender).requestRedeem(requested, spender.address, owner.address))
      .to.emit(vault, "RedeemRequest")
      .withArgs(spender.address, owner.address, 0n, spender.address, requested);
    expect(await vault.allowance(owner.address, spender.address)).to.equal(shares - requested);
    expect(await extension.allowance(owner.address, spender.address)).to.equal(0n);
    await expect(vault.connect(spender).requestRedeem(shares, spender.address, owner.address))
      .to.be.revertedWithCustomError(vault, "ERC20InsufficientAllowance")
      .withArgs(spender.address, shares - requested, shares);
  });

  it("runs a delegated call on the vault's storage and roles: the vault emits, reverts with the exact error, and the extension's own state stays untouched", async () => {
    const { vault, extension, accounts } = await withExtension();
    const curator = vault.connect(accounts.curator);
    await expect(curator.setCooldown(3n * 86_400n))
      .to.emit(vault, "CooldownSet")
      .withArgs(3n * 86_400n);
    expect(await vault.cooldown()).to.equal(3n * 86_400n);
    expect(await extension.cooldown()).to.equal(0n);

    await expect(curator.setCooldown(0n)).to.be.revertedWithCustomError(vault, "InvalidCooldown").withArgs(0n);
    await expect(vault.connect(accounts.outsider).setCooldown(3n * 86_400n))
      .to.be.revertedWithCustomError(vault, "AccessManagedUnauthorized")
      .withArgs(accounts.outsider.address);
    // The guardian's pause stops the delegated exits too: the vault's flag is the one read.
    await (await vault.connect(accounts.guardian).pause()).wait();
    const [underwriter] = accounts.underwriters;
    await expect(
      vault.connect(underwriter).requestRedeem(1n, underwriter.address, underwriter.address),
    ).to.be.revertedWithCustomError(vault, "EnforcedPause");
  });
});
