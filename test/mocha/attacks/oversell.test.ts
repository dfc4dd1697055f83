import { expect } from "chai";

import { buyCover, coverParams, loadParapet } from "../helpers.js";
import { fundedVaults } from "../vaultSetup.js";

describe("Attack: overselling cover", () => {
  it("buying one unit beyond capacity: reverts InsufficientCapacity(requested, available); exactly capacity sells", async () => {
    const d = await fundedVaults();
    const vault = d.vaults.conservative;
    const [buyer] = d.accounts.buyers;
    // No premium has streamed yet, so capacity is the same in the next block.
    const capacity = await vault.capacityOf(d.productIds.dex);
    const oversold = await coverParams(buyer, { vault, productId: d.productIds.dex, amount: capacity + 1n });
    await expect(d.coverManager.connect(buyer).buyCover(oversold))
      .to.be.revertedWithCustomError(vault, "InsufficientCapacity")
      .withArgs(capacity + 1n, capacity);
    await buyCover(d, buyer, { vault, productId: d.productIds.dex, amount: capacity });
    expect(await vault.exposureOf(d.productIds.dex)).to.equal(capacity);
  });

  it("buying cover from an empty vault: reverts InsufficientCapacity", async () => {
    const d = await loadParapet();
    const [buyer] = d.accounts.buyers;
    const params = await coverParams(buyer, { vault: d.vaults.conservative, productId: d.productIds.lending, amount: 1n });
    await expect(d.coverManager.connect(buyer).buyCover(params))
      .to.be.revertedWithCustomError(d.vaults.conservative, "InsufficientCapacity")
      .withArgs(1n, 0n);
  });
});
