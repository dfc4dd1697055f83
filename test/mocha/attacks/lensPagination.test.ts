import { expect } from "chai";

import { SEED_PRODUCTS } from "../../../deploy/seed.js";
import { loadParapet } from "../helpers.js";

const MAX_PRODUCTS_PAGE = 100n;

describe("Attack: growing the product list until the lens cannot read it", () => {
  it("listing more products than one call can read: products(offset, limit) pages through them, and a page above 100 reverts PageTooLarge(101, 100)", async () => {
    const d = await loadParapet();
    const { lens, productRegistry } = d;
    const registry = productRegistry.connect(d.accounts.riskManager);
    // 3 seed products + 99: one full page and a partial one.
    for (let i = 0; i < 99; ++i) {
      await (await registry.createProduct({ ...SEED_PRODUCTS.lending, metadataURI: `ipfs://bulk/${i}` })).wait();
    }
    const count = await productRegistry.productCount();
    expect(count).to.equal(102n);
    expect(await lens.MAX_PRODUCTS_PAGE()).to.equal(MAX_PRODUCTS_PAGE);

    await expect(lens.products(0n, MAX_PRODUCTS_PAGE + 1n))
      .to.be.revertedWithCustomError(lens, "PageTooLarge")
      .withArgs(MAX_PRODUCTS_PAGE + 1n, MAX_PRODUCTS_PAGE);
    const first = await lens.products(0n, MAX_PRODUCTS_PAGE);
    const second = await lens.products(MAX_PRODUCTS_PAGE, MAX_PRODUCTS_PAGE);
    expect([...first, ...second].map((info) => info.product.id)).to.deep.equal(
      Array.from({ length: Number(count) }, (_, i) => BigInt(i + 1)),
    );
    expect(second[1].product.metadataURI).to.equal("ipfs://bulk/98");
    expect(second[1].vaults).to.deep.equal([]);
    expect(first[0].vaults).to.deep.equal(await productRegistry.backingVaults(1n));
    // A page in the middle, one past the end, and an empty one.
    expect((await lens.products(100n, 1n)).map((info) => info.product.id)).to.deep.equal([101n]);
    expect(await lens.products(count, 10n)).to.deep.equal([]);
    expect(await lens.products(0n, 0n)).to.deep.equal([]);
  });
});
