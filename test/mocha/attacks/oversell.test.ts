import { expect } from "chai";

import type { ParapetDeployment } from "../../../deploy/fixture.js";
import { SEED_VAULT_TERMS } from "../../../deploy/seed.js";
import type { ProductRegistry, UnderwriterVault } from "../../../types/ethers-contracts/index.js";
import { buyCover, coverParams, loadParapet } from "../helpers.js";
import { fundedVaults } from "../vaultSetup.js";
import { WAD } from "../claimsSetup.js";
import { createProductOn, governanceFixture, seedCapacity, summedCapacity, terms } from "../vaultGovernanceSetup.js";

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

  describe("leverage cap (curator terms)", () => {
    let d: ParapetDeployment;
    let registry: ProductRegistry;
    let vault: UnderwriterVault;
    let seedBacked: bigint[];
    beforeEach(async () => {
      ({ d, registry, vault, seedBacked } = await governanceFixture());
    });

    it("curator raising capacities to oversell the vault: reverts LeverageExceeded(total, max) once the summed capacity would pass maxLeverageWad; exactly the cap is accepted", async () => {
      const maxLeverage = await vault.maxLeverageWad();
      expect(maxLeverage).to.equal(3n * WAD);
      const used = await summedCapacity(vault);
      expect(used).to.equal(seedCapacity("conservative"));
      expect(await vault.totalCapacityWad()).to.equal(used);

      // Two products take two thirds of the remaining headroom, leaving a third (plus rounding) for the last one.
      const step = (maxLeverage - used) / 3n;
      expect(step).to.be.greaterThan(0n);
      expect(step).to.be.lessThanOrEqual(WAD);
      const [p3, p4, p5] = [await createProductOn(registry), await createProductOn(registry), await createProductOn(registry)];
      await (await vault.setProductTerms(p3, terms({ capacityWad: step }))).wait();
      await (await vault.setProductTerms(p4, terms({ capacityWad: step }))).wait();
      const room = maxLeverage - (await summedCapacity(vault));
      expect(room).to.equal(maxLeverage - used - 2n * step);
      expect(room + 1n).to.be.lessThanOrEqual(WAD); // a valid capacity: only the leverage cap fails

      await expect(vault.setProductTerms(p5, terms({ capacityWad: room + 1n })))
        .to.be.revertedWithCustomError(vault, "LeverageExceeded")
        .withArgs(maxLeverage + 1n, maxLeverage);
      expect(await vault.backedProducts()).to.deep.equal([...seedBacked, p3, p4]);

      // Exactly at the cap is accepted.
      await (await vault.setProductTerms(p5, terms({ capacityWad: room }))).wait();
      expect(await vault.totalCapacityWad()).to.equal(maxLeverage);
      expect(await summedCapacity(vault)).to.equal(maxLeverage);

      // Raising an existing product's capacity counts only the difference.
      const { lending } = d.productIds;
      const lendingCap = (await vault.productTerms(lending)).capacityWad;
      await expect(vault.setProductTerms(lending, { ...SEED_VAULT_TERMS.conservative.lending, capacityWad: lendingCap + 1n }))
        .to.be.revertedWithCustomError(vault, "LeverageExceeded")
        .withArgs(maxLeverage + 1n, maxLeverage);
      await (await vault.setProductTerms(lending, { ...SEED_VAULT_TERMS.conservative.lending, capacityWad: lendingCap - 5n })).wait();
      expect(await vault.totalCapacityWad()).to.equal(maxLeverage - 5n);
    });
  });
});
