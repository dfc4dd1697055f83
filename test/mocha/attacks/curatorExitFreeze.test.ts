import { expect } from "chai";

import { SEED_VAULT_TERMS } from "../../../deploy/seed.js";
import { buyCover, DAY, ethers, time, usd } from "../helpers.js";
import { WAD } from "../claimsSetup.js";
import { COOLDOWN, withDeposit } from "../vaultSetup.js";

describe("Attack: curator freezing exits through capacity", () => {
  it("lowering a product's capacity to its live cover to lock every exit: the capital locked behind cover already sold stays as sold (each sale's amount over its own capacity), so the exit proceeds", async () => {
    const d = await withDeposit();
    const { vault, alice, shares } = d;
    const { lending } = d.productIds;
    // 20k of 7-day cover sold at 50% capacity locks 40k of the 100k; the premium is fully earned by the exit.
    await buyCover(d, d.accounts.buyers[0], { vault, productId: lending, amount: usd(20_000), period: 7n * DAY });
    expect(await vault.lockedBy(lending)).to.equal(usd(40_000));
    await (await vault.connect(alice).requestRedeem(shares, alice.address, alice.address)).wait();
    await time.increase(COOLDOWN);
    const unlockedBefore = await vault.unlockedAssets();
    expect(unlockedBefore).to.equal((await vault.navBid()) - usd(40_000));

    // 20k of cover on a ~100k NAV: 20% capacity would have locked the whole vault under the old rule.
    const atExposure = { ...SEED_VAULT_TERMS.conservative.lending, capacityWad: WAD / 5n };
    await (await vault.connect(d.accounts.curator).setProductTerms(lending, atExposure)).wait();
    expect(await vault.lockedBy(lending)).to.equal(usd(40_000));
    expect(await vault.unlockedAssets()).to.equal(unlockedBefore);
    // The exit takes everything not locked (the breaker still applies: its widest setting lets it through at once).
    await (await vault.connect(d.accounts.riskManager).setOutflowLimit(WAD / 2n, DAY)).wait();
    const maxAssets = await vault.maxWithdraw(alice.address);
    const allowance = await vault.outflowAllowance();
    expect(maxAssets).to.equal(unlockedBefore < allowance ? unlockedBefore : allowance);
    expect(maxAssets > usd(45_000)).to.equal(true);
    await expect(vault.connect(alice).withdraw(maxAssets, alice.address, alice.address)).to.changeTokenBalance(
      ethers,
      d.asset,
      alice,
      maxAssets,
    );
    // New sales are priced on the lowered capacity: none fits now.
    await expect(
      buyCover(d, d.accounts.buyers[0], { vault, productId: lending, amount: usd(1_000), period: 7n * DAY }),
    ).to.be.revertedWithCustomError(vault, "InsufficientCapacity");
  });
});
