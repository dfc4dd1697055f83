import { expect } from "chai";

import { SEED_PRODUCTS, SEED_VAULT_TERMS } from "../../deploy/seed.js";
import { loadParapet, usd } from "./helpers.js";

describe("deployParapet fixture", () => {
  it("seeds the products, both vaults' terms and funded accounts", async () => {
    const { productRegistry, vaults, asset, productIds, accounts, coverManager, treasury } = await loadParapet();

    expect(await productRegistry.productCount()).to.equal(BigInt(Object.keys(SEED_PRODUCTS).length));
    const lending = await productRegistry.getProduct(productIds.lending);
    expect(lending.minRateWad).to.equal(SEED_PRODUCTS.lending.minRateWad);
    expect(await asset.decimals()).to.equal(6n);
    expect(await coverManager.treasury()).to.equal(treasury.address);
    for (const [key, vault] of Object.entries(vaults) as Array<[keyof typeof vaults, (typeof vaults)[keyof typeof vaults]]>) {
      expect(await productRegistry.isListedVault(await vault.getAddress())).to.equal(true);
      expect(await vault.backedProducts()).to.deep.equal([productIds.lending, productIds.dex]);
      const terms = await vault.productTerms(productIds.dex);
      expect(terms.capacityWad).to.equal(SEED_VAULT_TERMS[key].dex.capacityWad);
    }
    for (const account of [...accounts.underwriters, ...accounts.buyers]) {
      expect(await asset.balanceOf(account.address)).to.equal(usd(1_000_000));
    }
  });
});
