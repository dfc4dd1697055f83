import { expect } from "chai";

import { deposit, loadParapet, usd } from "../helpers.js";

describe("Attack: first-depositor inflation and donation", () => {
  it("first-depositor inflation (1 wei deposit, then a 100k donation): fails, the donation does not move the price, the victim gets shares worth its deposit and the attacker loses the donation", async () => {
    const { vaults, asset, accounts } = await loadParapet();
    const vault = vaults.conservative;
    const [attacker, victim] = accounts.underwriters;

    await deposit(vault, attacker, 1n);
    const attackerShares = await vault.balanceOf(attacker.address);
    const donation = usd(100_000);
    await asset.connect(attacker).transfer(await vault.getAddress(), donation);

    // Unsolicited transfers are not assets the vault accounts for: the share price did not move.
    expect(await vault.totalAssets()).to.equal(1n);
    const victimDeposit = usd(50_000);
    await deposit(vault, victim, victimDeposit);
    const victimShares = await vault.balanceOf(victim.address);
    expect(victimShares > 0n).to.equal(true);
    expect(await vault.convertToAssets(victimShares)).to.equal(victimDeposit);
    expect(await vault.convertToAssets(attackerShares) <= 1n).to.equal(true);
    // The donation stays in the vault, unaccounted: the attacker cannot get it back.
    expect(await asset.balanceOf(await vault.getAddress())).to.equal(victimDeposit + 1n + donation);
  });

  it("first-depositor inflation against OpenZeppelin's virtual-share math alone (as if a donation counted): fails, the 1e6 offset makes the victim's loss negligible", async () => {
    const { vaults, accounts } = await loadParapet();
    const vault = vaults.highYield;
    const [attacker, victim] = accounts.underwriters;
    await deposit(vault, attacker, 1n);
    // Even if a donation did count, 1e6 virtual shares per wei dilute it: the victim's deposit still mints.
    const shares = await vault.previewDeposit(1n);
    expect(shares).to.equal(10n ** 6n);
    await deposit(vault, victim, 1n);
    expect(await vault.balanceOf(victim.address)).to.equal(10n ** 6n);
  });
});
