import { expect } from "chai";

import { FeeOnTransferToken__factory } from "../../types/ethers-contracts/index.js";
import { deposit, ethers, loadParapet, usd, vaultFactory } from "./helpers.js";

describe("UnderwriterVault deposit and mint", () => {
  it("mints shares at navAsk with the virtual offset and counts the assets", async () => {
    const { vaults, asset, accounts } = await loadParapet();
    const vault = vaults.conservative;
    const [alice, bob] = accounts.underwriters;

    // Empty vault: shares = assets * (0 + 1e6) / (0 + 1).
    await expect(vault.connect(alice).deposit(usd(1_000), alice.address))
      .to.emit(vault, "Deposit")
      .withArgs(alice.address, alice.address, usd(1_000), usd(1_000) * 10n ** 6n);
    expect(await vault.decimals()).to.equal(12n);
    expect(await vault.managedAssets()).to.equal(usd(1_000));
    expect(await vault.totalAssets()).to.equal(usd(1_000));

    const expectedShares = await vault.previewDeposit(usd(250));
    await expect(vault.connect(bob).deposit(usd(250), alice.address)).to.changeTokenBalances(
      ethers,
      asset,
      [bob, vault],
      [-usd(250), usd(250)],
    );
    expect(await vault.balanceOf(alice.address)).to.equal(usd(1_000) * 10n ** 6n + expectedShares);
  });

  it("mint charges previewMint, rounded up", async () => {
    const { vaults, asset, accounts } = await loadParapet();
    const vault = vaults.conservative;
    const [alice] = accounts.underwriters;
    await deposit(vault, alice, usd(777));
    const shares = 123_456_789_012n;
    const assets = await vault.previewMint(shares);
    await expect(vault.connect(alice).mint(shares, alice.address)).to.changeTokenBalance(ethers, asset, alice, -assets);
    expect(await vault.convertToAssets(shares) <= assets).to.equal(true);
  });

  it("prices deposits at navAsk when a reserve is pending, so nobody enters at a depressed price", async () => {
    const d = await loadParapet();
    const vault = d.vaults.conservative;
    const [alice, bob] = d.accounts.underwriters;
    await deposit(vault, alice, usd(1_000_000));
    const claims = d.accounts.outsider;
    await d.productRegistry.setClaimsModule(claims.address);
    await vault.connect(claims).reserveUpTo(d.productIds.lending, usd(100_000));

    expect(await vault.navAsk()).to.equal(usd(1_000_000));
    expect(await vault.navBid()).to.equal(usd(900_000));
    const shares = await vault.previewDeposit(usd(100_000));
    // At navAsk, 100k buys a tenth of the existing supply; at navBid it would buy a ninth.
    expect(shares).to.equal((usd(100_000) * ((await vault.totalSupply()) + 10n ** 6n)) / (usd(1_000_000) + 1n));
    await deposit(vault, bob, usd(100_000));
    expect(await vault.balanceOf(bob.address)).to.equal(shares);
  });

  it("reverts ZeroAmount for deposits that would mint no shares and for mint(0)", async () => {
    const { vaults, accounts } = await loadParapet();
    const [alice] = accounts.underwriters;
    await expect(vaults.conservative.connect(alice).deposit(0n, alice.address)).to.be.revertedWithCustomError(
      vaults.conservative,
      "ZeroAmount",
    );
    await expect(vaults.conservative.connect(alice).mint(0n, alice.address)).to.be.revertedWithCustomError(
      vaults.conservative,
      "ZeroAmount",
    );
  });

  it("reverts while paused and reports maxDeposit/maxMint of 0", async () => {
    const { vaults, accounts } = await loadParapet();
    const vault = vaults.conservative;
    const [alice] = accounts.underwriters;
    await vault.connect(accounts.guardian).pause();
    expect(await vault.maxDeposit(alice.address)).to.equal(0n);
    expect(await vault.maxMint(alice.address)).to.equal(0n);
    await expect(vault.connect(alice).deposit(usd(1), alice.address)).to.be.revertedWithCustomError(vault, "EnforcedPause");
    await expect(vault.connect(alice).mint(10n ** 6n, alice.address)).to.be.revertedWithCustomError(vault, "EnforcedPause");
    await vault.connect(accounts.admin).unpause();
    await deposit(vault, alice, usd(1));
  });

  it("refuses a fee-on-transfer asset with UnsupportedToken(token, expected, received)", async () => {
    const { accessManager, coverManager, productRegistry, accounts } = await loadParapet();
    const [alice] = accounts.underwriters;
    const token = await new FeeOnTransferToken__factory(accounts.admin).deploy();
    const vault = await (await vaultFactory(accounts.admin)).deploy(
      token,
      "Fee vault",
      "fv",
      accessManager,
      coverManager,
      productRegistry,
    );
    await token.mint(alice.address, usd(1_000));
    await token.connect(alice).approve(vault, usd(1_000));
    await expect(vault.connect(alice).deposit(usd(1_000), alice.address))
      .to.be.revertedWithCustomError(vault, "UnsupportedToken")
      .withArgs(await token.getAddress(), usd(1_000), usd(990));
  });
});
