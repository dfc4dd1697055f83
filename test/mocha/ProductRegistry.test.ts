import type { Typed } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { getAddress, parseUnits, Wallet, ZeroAddress } from "ethers";

import type { ParapetDeployment } from "../../deploy/fixture.js";
import { ProductKind, SEED_PRODUCTS, SEED_VAULT_TERMS, type SeedProductKey } from "../../deploy/seed.js";
import type { ProductRegistry } from "../../types/ethers-contracts/index.js";

type ProductParamsStruct = Exclude<Parameters<ProductRegistry["createProduct"]>[0], Typed>;
import { DAY, ethers, loadParapet, networkHelpers, usd } from "./helpers.js";

const wad = (percent: string) => parseUnits(percent, 16);
const MAX_RATE_WAD = 10n ** 18n;
const MIN_PERIOD = DAY;
const MAX_PERIOD = 730n * DAY;
const MAX_COVERAGE_LAG = 30n * DAY;
const MIN_PARAMETRIC_COVERAGE_LAG = DAY;
const MIN_CLAIM_GRACE_PERIOD = DAY;
const MAX_CLAIM_GRACE_PERIOD = 90n * DAY;
const MAX_VAULTS_PER_PRODUCT = 16n;
const TRIGGER = getAddress("0x00000000000000000000000000000000000000a1");
const OTHER_TRIGGER = getAddress("0x00000000000000000000000000000000000000b2");
const SEED_KEYS = Object.keys(SEED_PRODUCTS) as SeedProductKey[];
/** The fixture creates the seed products first, so they take ids 1..SEED_PRODUCT_COUNT in `SEED_PRODUCTS` order. */
const SEED_PRODUCT_COUNT = BigInt(SEED_KEYS.length);
/** The fixture lists one vault per `SEED_VAULT_TERMS` entry, as ids 1..SEED_VAULT_COUNT. */
const SEED_VAULT_KEYS = Object.keys(SEED_VAULT_TERMS) as Array<keyof typeof SEED_VAULT_TERMS>;
const SEED_VAULT_COUNT = BigInt(SEED_VAULT_KEYS.length);

/** A valid product that no bound rejects; override one field to probe a bound. */
function productParams(overrides: Partial<ProductParamsStruct> = {}): ProductParamsStruct {
  return {
    kind: ProductKind.Discretionary,
    metadataURI: "ipfs://parapet/products/test",
    minRateWad: wad("1.5"),
    minPeriod: 14n * DAY,
    maxPeriod: 180n * DAY,
    coverageLag: 2n * DAY,
    claimGracePeriod: 21n * DAY,
    maxCoverPerPolicy: usd(750_000),
    trigger: ZeroAddress,
    ...overrides,
  };
}

/** The product as `getProduct` returns it, as a plain object for deep comparison. */
async function productOf(registry: ProductRegistry, productId: bigint) {
  const p = await registry.getProduct(productId);
  return {
    id: p.id,
    kind: p.kind,
    active: p.active,
    minPeriod: p.minPeriod,
    maxPeriod: p.maxPeriod,
    coverageLag: p.coverageLag,
    claimGracePeriod: p.claimGracePeriod,
    minRateWad: p.minRateWad,
    openIncidents: p.openIncidents,
    maxCoverPerPolicy: p.maxCoverPerPolicy,
    trigger: p.trigger,
    metadataURI: p.metadataURI,
  };
}

/** What `getProduct` must return for a product created from `params` with id `id`. */
function expectedProduct(id: bigint, params: ProductParamsStruct, active = true) {
  return {
    id,
    kind: BigInt(params.kind),
    active,
    minPeriod: BigInt(params.minPeriod),
    maxPeriod: BigInt(params.maxPeriod),
    coverageLag: BigInt(params.coverageLag),
    claimGracePeriod: BigInt(params.claimGracePeriod),
    minRateWad: BigInt(params.minRateWad),
    openIncidents: 0n,
    maxCoverPerPolicy: BigInt(params.maxCoverPerPolicy),
    trigger: getAddress(params.trigger as string),
    metadataURI: params.metadataURI,
  };
}

describe("ProductRegistry", () => {
  let d: ParapetDeployment;
  let registry: ProductRegistry;
  let outsider: HardhatEthersSigner;
  let curator: HardhatEthersSigner;

  beforeEach(async () => {
    d = await loadParapet();
    registry = d.productRegistry.connect(d.accounts.riskManager);
    ({ outsider, curator } = d.accounts);
  });

  /** What `getProduct` must return for a seed product: its `SEED_PRODUCTS` params, plus the trigger the fixture set. */
  async function expectedSeedProduct(key: SeedProductKey) {
    const trigger = key === "depeg" ? await d.priceFeedTrigger.getAddress() : SEED_PRODUCTS[key].trigger;
    return expectedProduct(d.productIds[key], { ...SEED_PRODUCTS[key], trigger });
  }

  /** Every seed product still reads exactly as the fixture left it, and no product was added. */
  async function expectSeedProductsUntouched() {
    expect(await registry.productCount()).to.equal(SEED_PRODUCT_COUNT);
    for (const key of SEED_KEYS) {
      expect(await productOf(registry, d.productIds[key])).to.deep.equal(await expectedSeedProduct(key));
    }
  }

  /** Creates a product with the risk manager and returns its id. */
  async function create(params: ProductParamsStruct): Promise<bigint> {
    const id = await registry.createProduct.staticCall(params);
    await (await registry.createProduct(params)).wait();
    return id;
  }

  describe("createProduct", () => {
    it("counts ids from 1: the seed products take 1..n in SEED_PRODUCTS order", async () => {
      expect(SEED_KEYS.map((key) => d.productIds[key])).to.deep.equal(SEED_KEYS.map((_, i) => BigInt(i + 1)));
      await expectSeedProductsUntouched();
      // The parametric seed product carries the fixture's price-feed trigger; the discretionary ones none.
      expect((await registry.getProduct(d.productIds.depeg)).trigger).to.equal(await d.priceFeedTrigger.getAddress());
      await expect(registry.getProduct(SEED_PRODUCT_COUNT + 1n))
        .to.be.revertedWithCustomError(registry, "UnknownProduct")
        .withArgs(SEED_PRODUCT_COUNT + 1n);
    });

    it("creates a product with the next id, emits ProductCreated and stores every field", async () => {
      const first = SEED_PRODUCT_COUNT + 1n;
      const second = SEED_PRODUCT_COUNT + 2n;
      const params = productParams();
      expect(await registry.createProduct.staticCall(params)).to.equal(first);
      await expect(registry.createProduct(params))
        .to.emit(registry, "ProductCreated")
        .withArgs(first, ProductKind.Discretionary, params.metadataURI);
      expect(await registry.productCount()).to.equal(first);
      expect(await productOf(registry, first)).to.deep.equal(expectedProduct(first, params));

      const parametric = productParams({ kind: ProductKind.Parametric, trigger: TRIGGER, metadataURI: "ipfs://p2" });
      await expect(registry.createProduct(parametric))
        .to.emit(registry, "ProductCreated")
        .withArgs(second, ProductKind.Parametric, "ipfs://p2");
      expect(await registry.productCount()).to.equal(second);
      expect(await productOf(registry, second)).to.deep.equal(expectedProduct(second, parametric));
      // The earlier product is untouched by the later one.
      expect(await productOf(registry, first)).to.deep.equal(expectedProduct(first, params));
      // A new product has no backing vaults yet.
      expect(await registry.backingVaults(first)).to.deep.equal([]);
    });

    it("accepts a parametric product without a trigger yet", async () => {
      const params = productParams({ kind: ProductKind.Parametric });
      const id = await create(params);
      expect(await productOf(registry, id)).to.deep.equal(expectedProduct(id, params));
    });

    describe("rejects every out-of-bounds term with its exact error and changes nothing", () => {
      const cases: Array<{
        title: string;
        overrides: Partial<ProductParamsStruct>;
        error: string;
        args: (nextId: bigint) => unknown[];
      }> = [
        { title: "minRateWad 0", overrides: { minRateWad: 0n }, error: "InvalidMinRate", args: () => [0n] },
        {
          title: "minRateWad MAX_RATE_WAD + 1",
          overrides: { minRateWad: MAX_RATE_WAD + 1n },
          error: "InvalidMinRate",
          args: () => [MAX_RATE_WAD + 1n],
        },
        {
          title: "minPeriod 1 day - 1",
          overrides: { minPeriod: MIN_PERIOD - 1n },
          error: "InvalidPeriodBounds",
          args: () => [MIN_PERIOD - 1n, 180n * DAY],
        },
        {
          title: "minPeriod 0",
          overrides: { minPeriod: 0n },
          error: "InvalidPeriodBounds",
          args: () => [0n, 180n * DAY],
        },
        {
          title: "maxPeriod 730 days + 1",
          overrides: { maxPeriod: MAX_PERIOD + 1n },
          error: "InvalidPeriodBounds",
          args: () => [14n * DAY, MAX_PERIOD + 1n],
        },
        {
          title: "minPeriod > maxPeriod",
          overrides: { minPeriod: 10n * DAY, maxPeriod: 10n * DAY - 1n },
          error: "InvalidPeriodBounds",
          args: () => [10n * DAY, 10n * DAY - 1n],
        },
        {
          title: "coverageLag 30 days + 1",
          overrides: { coverageLag: MAX_COVERAGE_LAG + 1n },
          error: "InvalidCoverageLag",
          args: () => [MAX_COVERAGE_LAG + 1n],
        },
        {
          title: "a parametric coverageLag of 0",
          overrides: { kind: ProductKind.Parametric, coverageLag: 0n },
          error: "ParametricCoverageLagTooShort",
          args: () => [0n, MIN_PARAMETRIC_COVERAGE_LAG],
        },
        {
          title: "a parametric coverageLag of 1 day - 1",
          overrides: { kind: ProductKind.Parametric, coverageLag: MIN_PARAMETRIC_COVERAGE_LAG - 1n },
          error: "ParametricCoverageLagTooShort",
          args: () => [MIN_PARAMETRIC_COVERAGE_LAG - 1n, MIN_PARAMETRIC_COVERAGE_LAG],
        },
        {
          title: "claimGracePeriod 0",
          overrides: { claimGracePeriod: 0n },
          error: "InvalidClaimGracePeriod",
          args: () => [0n],
        },
        {
          title: "claimGracePeriod 1 day - 1",
          overrides: { claimGracePeriod: MIN_CLAIM_GRACE_PERIOD - 1n },
          error: "InvalidClaimGracePeriod",
          args: () => [MIN_CLAIM_GRACE_PERIOD - 1n],
        },
        {
          title: "claimGracePeriod 90 days + 1",
          overrides: { claimGracePeriod: MAX_CLAIM_GRACE_PERIOD + 1n },
          error: "InvalidClaimGracePeriod",
          args: () => [MAX_CLAIM_GRACE_PERIOD + 1n],
        },
        {
          title: "maxCoverPerPolicy 0",
          overrides: { maxCoverPerPolicy: 0n },
          error: "InvalidMaxCover",
          args: () => [0n],
        },
        {
          title: "maxCoverPerPolicy past 96 bits (policies store cover in 96)",
          overrides: { maxCoverPerPolicy: 2n ** 96n },
          error: "InvalidMaxCover",
          args: () => [2n ** 96n],
        },
        {
          title: "a discretionary product with a trigger (error names the id it would have got)",
          overrides: { kind: ProductKind.Discretionary, trigger: TRIGGER },
          error: "TriggerNotAllowed",
          args: (nextId) => [nextId, TRIGGER],
        },
      ];

      for (const { title, overrides, error, args } of cases) {
        it(title, async () => {
          const countBefore = await registry.productCount();
          const nextId = countBefore + 1n;
          await expect(registry.createProduct(productParams(overrides)))
            .to.be.revertedWithCustomError(registry, error)
            .withArgs(...args(nextId));
          expect(await registry.productCount()).to.equal(countBefore);
          await expect(registry.getProduct(nextId))
            .to.be.revertedWithCustomError(registry, "UnknownProduct")
            .withArgs(nextId);
          // The id that was not taken goes to the next valid product.
          expect(await create(productParams())).to.equal(nextId);
        });
      }
    });

    it("accepts the upper boundary values: 1 day..730 days, 30-day lag, 90-day grace, MAX_RATE_WAD, 2^96 - 1 cover", async () => {
      const params = productParams({
        minRateWad: MAX_RATE_WAD,
        minPeriod: MIN_PERIOD,
        maxPeriod: MAX_PERIOD,
        coverageLag: MAX_COVERAGE_LAG,
        claimGracePeriod: MAX_CLAIM_GRACE_PERIOD,
        maxCoverPerPolicy: 2n ** 96n - 1n,
      });
      const id = await create(params);
      expect(await productOf(registry, id)).to.deep.equal(expectedProduct(id, params));
    });

    it("accepts the lower boundary values: 1 wei rate, minPeriod == maxPeriod == 1 day, no lag, 1-day grace", async () => {
      const params = productParams({
        minRateWad: 1n,
        minPeriod: MIN_PERIOD,
        maxPeriod: MIN_PERIOD,
        coverageLag: 0n,
        claimGracePeriod: MIN_CLAIM_GRACE_PERIOD,
        maxCoverPerPolicy: 1n,
      });
      const id = await create(params);
      expect(await productOf(registry, id)).to.deep.equal(expectedProduct(id, params));
    });
  });

  describe("updateProductTerms", () => {
    it("updates the sale terms, emits ProductTermsUpdated, and keeps kind, coverageLag, claimGracePeriod, active, trigger", async () => {
      const params = productParams({ kind: ProductKind.Parametric, trigger: TRIGGER });
      const id = await create(params);
      await expect(registry.updateProductTerms(id, wad("7"), 2n * DAY, 400n * DAY, usd(123), "ipfs://v2"))
        .to.emit(registry, "ProductTermsUpdated")
        .withArgs(id, wad("7"), 2n * DAY, 400n * DAY, usd(123), "ipfs://v2");
      expect(await productOf(registry, id)).to.deep.equal({
        ...expectedProduct(id, params),
        minRateWad: wad("7"),
        minPeriod: 2n * DAY,
        maxPeriod: 400n * DAY,
        maxCoverPerPolicy: usd(123),
        metadataURI: "ipfs://v2",
      });
    });

    it("keeps a closed product closed", async () => {
      const { lending } = d.productIds;
      await (await registry.setProductActive(lending, false)).wait();
      await (await registry.updateProductTerms(lending, wad("2"), DAY, 30n * DAY, usd(1), "x")).wait();
      expect((await registry.getProduct(lending)).active).to.equal(false);
    });

    it("accepts the boundary terms", async () => {
      const { dex } = d.productIds;
      await expect(registry.updateProductTerms(dex, MAX_RATE_WAD, MIN_PERIOD, MAX_PERIOD, 1n, ""))
        .to.emit(registry, "ProductTermsUpdated")
        .withArgs(dex, MAX_RATE_WAD, MIN_PERIOD, MAX_PERIOD, 1n, "");
      await expect(registry.updateProductTerms(dex, 1n, MAX_PERIOD, MAX_PERIOD, 1n, "")).to.emit(
        registry,
        "ProductTermsUpdated",
      );
      const product = await registry.getProduct(dex);
      expect([product.minRateWad, product.minPeriod, product.maxPeriod]).to.deep.equal([1n, MAX_PERIOD, MAX_PERIOD]);
    });

    const badTerms: Array<[string, [bigint, bigint, bigint, bigint], string, bigint[]]> = [
      ["minRateWad 0", [0n, DAY, 2n * DAY, 1n], "InvalidMinRate", [0n]],
      ["minRateWad above MAX_RATE_WAD", [MAX_RATE_WAD + 1n, DAY, 2n * DAY, 1n], "InvalidMinRate", [MAX_RATE_WAD + 1n]],
      ["minPeriod below 1 day", [1n, DAY - 1n, 2n * DAY, 1n], "InvalidPeriodBounds", [DAY - 1n, 2n * DAY]],
      ["maxPeriod above 730 days", [1n, DAY, MAX_PERIOD + 1n, 1n], "InvalidPeriodBounds", [DAY, MAX_PERIOD + 1n]],
      ["minPeriod > maxPeriod", [1n, 3n * DAY, 2n * DAY, 1n], "InvalidPeriodBounds", [3n * DAY, 2n * DAY]],
      ["maxCoverPerPolicy 0", [1n, DAY, 2n * DAY, 0n], "InvalidMaxCover", [0n]],
      ["maxCoverPerPolicy past 96 bits", [1n, DAY, 2n * DAY, 2n ** 96n], "InvalidMaxCover", [2n ** 96n]],
    ];
    for (const [title, [rate, minP, maxP, maxCover], error, args] of badTerms) {
      it(`rejects ${title} with ${error} and changes nothing`, async () => {
        const { lending } = d.productIds;
        const before = await productOf(registry, lending);
        await expect(registry.updateProductTerms(lending, rate, minP, maxP, maxCover, "ipfs://bad"))
          .to.be.revertedWithCustomError(registry, error)
          .withArgs(...args);
        expect(await productOf(registry, lending)).to.deep.equal(before);
      });
    }
  });

  describe("unknown product ids", () => {
    for (const [title, id] of [
      ["id 0", () => 0n],
      ["productCount + 1", () => SEED_PRODUCT_COUNT + 1n],
      ["a huge id", () => 2n ** 256n - 1n],
    ] as const) {
      it(`reverts UnknownProduct for ${title} on getProduct, updateProductTerms, setProductActive, setProductTrigger`, async () => {
        const productId = id();
        expect(await registry.productCount()).to.equal(SEED_PRODUCT_COUNT);
        await expect(registry.getProduct(productId))
          .to.be.revertedWithCustomError(registry, "UnknownProduct")
          .withArgs(productId);
        await expect(registry.updateProductTerms(productId, wad("1"), DAY, 2n * DAY, 1n, ""))
          .to.be.revertedWithCustomError(registry, "UnknownProduct")
          .withArgs(productId);
        await expect(registry.setProductActive(productId, false))
          .to.be.revertedWithCustomError(registry, "UnknownProduct")
          .withArgs(productId);
        await expect(registry.setProductTrigger(productId, TRIGGER))
          .to.be.revertedWithCustomError(registry, "UnknownProduct")
          .withArgs(productId);
        await expectSeedProductsUntouched();
      });
    }
  });

  describe("getSaleTerms / getClaimTerms", () => {
    const SALE_FIELDS = [
      "kind", "active", "minPeriod", "maxPeriod", "coverageLag", "claimGracePeriod", "minRateWad", "openIncidents",
      "maxCoverPerPolicy", "trigger",
    ] as const;
    const CLAIM_FIELDS = ["kind", "coverageLag", "claimGracePeriod", "trigger"] as const;
    const pick = (value: object, fields: readonly string[]) =>
      Object.fromEntries(fields.map((field) => [field, (value as Record<string, unknown>)[field]]));

    /** Both views as plain objects, beside the same fields of `getProduct`. */
    async function termsOf(productId: bigint) {
      const [product, sale, claim] = await Promise.all([
        registry.getProduct(productId),
        registry.getSaleTerms(productId),
        registry.getClaimTerms(productId),
      ]);
      return {
        sale: pick(sale, SALE_FIELDS),
        claim: pick(claim, CLAIM_FIELDS),
        product: { sale: pick(product, SALE_FIELDS), claim: pick(product, CLAIM_FIELDS) },
      };
    }

    it("return the product's fields for every seed product, the trigger of the parametric one included", async () => {
      for (const key of SEED_KEYS) {
        const { product, sale, claim } = await termsOf(d.productIds[key]);
        expect(sale).to.deep.equal(product.sale);
        expect(claim).to.deep.equal(product.claim);
      }
      expect((await registry.getClaimTerms(d.productIds.depeg)).trigger).to.equal(await d.priceFeedTrigger.getAddress());
      expect((await registry.getClaimTerms(d.productIds.lending)).trigger).to.equal(ZeroAddress);
    });

    it("follow a parametric product's trigger as it is re-armed and disarmed", async () => {
      const [claimsModule] = d.committee;
      await (await d.productRegistry.setClaimsModule(claimsModule.address)).wait();
      const id = await create(productParams({ kind: ProductKind.Parametric, trigger: TRIGGER, coverageLag: 3n * DAY }));
      expect((await termsOf(id)).claim).to.deep.equal({
        kind: BigInt(ProductKind.Parametric),
        coverageLag: 3n * DAY,
        claimGracePeriod: 21n * DAY,
        trigger: TRIGGER,
      });
      await (await registry.setProductTrigger(id, OTHER_TRIGGER)).wait();
      expect((await registry.getSaleTerms(id)).trigger).to.equal(OTHER_TRIGGER);
      expect((await registry.getClaimTerms(id)).trigger).to.equal(OTHER_TRIGGER);
      await (await registry.connect(claimsModule).disarmTrigger(id)).wait();
      expect((await registry.getSaleTerms(id)).trigger).to.equal(ZeroAddress);
      expect((await registry.getClaimTerms(id)).trigger).to.equal(ZeroAddress);
    });

    it("getSaleTermsFor returns the sale terms beside the vault's compact id, 0 for an unlisted vault", async () => {
      for (const key of SEED_KEYS) {
        const productId = d.productIds[key];
        const sale = pick(await registry.getSaleTerms(productId), SALE_FIELDS);
        for (const [index, vaultKey] of SEED_VAULT_KEYS.entries()) {
          const [terms, vaultId] = await registry.getSaleTermsFor(productId, await d.vaults[vaultKey].getAddress());
          expect(pick(terms, SALE_FIELDS)).to.deep.equal(sale);
          expect(vaultId).to.equal(BigInt(index + 1));
        }
        expect((await registry.getSaleTermsFor(productId, d.accounts.outsider.address))[1]).to.equal(0n);
      }
    });

    for (const productId of [0n, SEED_PRODUCT_COUNT + 1n]) {
      it(`revert UnknownProduct(${productId === 0n ? "0" : "productCount + 1"})`, async () => {
        await expect(registry.getSaleTermsFor(productId, d.accounts.outsider.address))
          .to.be.revertedWithCustomError(registry, "UnknownProduct")
          .withArgs(productId);
        await expect(registry.getSaleTerms(productId))
          .to.be.revertedWithCustomError(registry, "UnknownProduct")
          .withArgs(productId);
        await expect(registry.getClaimTerms(productId))
          .to.be.revertedWithCustomError(registry, "UnknownProduct")
          .withArgs(productId);
      });
    }
  });

  describe("setProductActive", () => {
    it("closes and reopens a product, with ProductActiveSet", async () => {
      const { lending, dex } = d.productIds;
      await expect(registry.setProductActive(lending, false))
        .to.emit(registry, "ProductActiveSet")
        .withArgs(lending, false);
      expect((await registry.getProduct(lending)).active).to.equal(false);
      expect((await registry.getProduct(dex)).active).to.equal(true);
      // Setting the same value again is allowed and still emits.
      await expect(registry.setProductActive(lending, false))
        .to.emit(registry, "ProductActiveSet")
        .withArgs(lending, false);
      await expect(registry.setProductActive(lending, true))
        .to.emit(registry, "ProductActiveSet")
        .withArgs(lending, true);
      expect(await productOf(registry, lending)).to.deep.equal(await expectedSeedProduct("lending"));
    });
  });

  describe("setProductTrigger", () => {
    it("sets and clears the trigger of a parametric product, with ProductTriggerSet", async () => {
      const id = await create(productParams({ kind: ProductKind.Parametric, trigger: TRIGGER }));
      await expect(registry.setProductTrigger(id, OTHER_TRIGGER))
        .to.emit(registry, "ProductTriggerSet")
        .withArgs(id, OTHER_TRIGGER);
      expect((await registry.getProduct(id)).trigger).to.equal(OTHER_TRIGGER);
      await expect(registry.setProductTrigger(id, ZeroAddress))
        .to.emit(registry, "ProductTriggerSet")
        .withArgs(id, ZeroAddress);
      expect((await registry.getProduct(id)).trigger).to.equal(ZeroAddress);
    });

    it("reverts TriggerNotAllowed on a discretionary product and leaves it unchanged", async () => {
      const { lending } = d.productIds;
      await expect(registry.setProductTrigger(lending, TRIGGER))
        .to.be.revertedWithCustomError(registry, "TriggerNotAllowed")
        .withArgs(lending, TRIGGER);
      // Even setting the zero trigger is refused on a discretionary product.
      await expect(registry.setProductTrigger(lending, ZeroAddress))
        .to.be.revertedWithCustomError(registry, "TriggerNotAllowed")
        .withArgs(lending, ZeroAddress);
      expect((await registry.getProduct(lending)).trigger).to.equal(ZeroAddress);
    });
  });

  describe("disarmTrigger", () => {
    it("clears a fired trigger for the claims module, with TriggerDisarmed; a second disarm reverts NoArmedTrigger", async () => {
      const [claimsModule] = d.committee;
      await (await d.productRegistry.setClaimsModule(claimsModule.address)).wait();
      const id = await create(productParams({ kind: ProductKind.Parametric, trigger: TRIGGER }));
      await expect(registry.connect(claimsModule).disarmTrigger(id))
        .to.emit(registry, "TriggerDisarmed")
        .withArgs(id, TRIGGER);
      expect(await productOf(registry, id)).to.deep.equal(
        expectedProduct(id, productParams({ kind: ProductKind.Parametric, trigger: ZeroAddress })),
      );
      await expect(registry.connect(claimsModule).disarmTrigger(id))
        .to.be.revertedWithCustomError(registry, "NoArmedTrigger")
        .withArgs(id);
      // Re-arming is the risk manager's setProductTrigger.
      await (await registry.setProductTrigger(id, OTHER_TRIGGER)).wait();
      expect((await registry.getProduct(id)).trigger).to.equal(OTHER_TRIGGER);
      await expect(registry.connect(claimsModule).disarmTrigger(SEED_PRODUCT_COUNT + 2n))
        .to.be.revertedWithCustomError(registry, "UnknownProduct")
        .withArgs(SEED_PRODUCT_COUNT + 2n);
    });
  });

  describe("listVault", () => {
    it("lists a vault with VaultListed under the next compact id", async () => {
      const vault = d.accounts.outsider.address;
      expect(await registry.isListedVault(vault)).to.equal(false);
      expect(await registry.vaultId(vault)).to.equal(0n);
      // The fixture listed the seed vaults as ids 1..n, in SEED_VAULT_TERMS order.
      for (const [index, key] of SEED_VAULT_KEYS.entries()) {
        const seeded = await d.vaults[key].getAddress();
        expect(await registry.vaultAt(BigInt(index + 1))).to.equal(seeded);
        expect(await registry.vaultId(seeded)).to.equal(BigInt(index + 1));
      }
      const next = SEED_VAULT_COUNT + 1n;
      expect(await registry.vaultAt(next)).to.equal(ZeroAddress);
      await expect(registry.listVault(vault)).to.emit(registry, "VaultListed").withArgs(vault, next);
      expect(await registry.isListedVault(vault)).to.equal(true);
      expect(await registry.vaultId(vault)).to.equal(next);
      expect(await registry.vaultAt(next)).to.equal(vault);
    });

    it("reverts ZeroAddress for the zero address", async () => {
      await expect(registry.listVault(ZeroAddress)).to.be.revertedWithCustomError(registry, "ZeroAddress");
      expect(await registry.isListedVault(ZeroAddress)).to.equal(false);
    });

    it("reverts VaultAlreadyRegistered(0, vault) for a vault listed twice", async () => {
      const seeded = await d.vaults.conservative.getAddress();
      expect(await registry.isListedVault(seeded)).to.equal(true);
      await expect(registry.listVault(seeded))
        .to.be.revertedWithCustomError(registry, "VaultAlreadyRegistered")
        .withArgs(0n, seeded);
      const fresh = d.accounts.buyers[0].address;
      await (await registry.listVault(fresh)).wait();
      await expect(registry.listVault(fresh))
        .to.be.revertedWithCustomError(registry, "VaultAlreadyRegistered")
        .withArgs(0n, fresh);
      expect(await registry.isListedVault(fresh)).to.equal(true);
    });
  });

  describe("attachVault / detachVault (called by listed vaults)", () => {
    let productId: bigint;
    let fakeVaults: Wallet[];

    /** `count` funded EOAs listed as vaults by the risk manager. */
    async function listedEoas(count: number): Promise<Wallet[]> {
      const wallets: Wallet[] = [];
      for (let i = 0; i < count; i++) {
        const wallet = new Wallet(ethers.id(`parapet-fake-vault-${i}`), ethers.provider);
        await networkHelpers.setBalance(wallet.address, 10n ** 20n);
        await (await registry.listVault(wallet.address)).wait();
        wallets.push(wallet);
      }
      return wallets;
    }

    beforeEach(async () => {
      productId = await create(productParams());
      fakeVaults = await listedEoas(Number(MAX_VAULTS_PER_PRODUCT) + 1);
    });

    const attach = (vault: Wallet, id = productId) => registry.connect(vault).attachVault(id);
    const detach = (vault: Wallet, id = productId) => registry.connect(vault).detachVault(id);

    it("attaches a listed vault, with VaultAttached, in call order", async () => {
      const [a, b] = fakeVaults;
      await expect(attach(a)).to.emit(registry, "VaultAttached").withArgs(productId, a.address);
      await expect(attach(b)).to.emit(registry, "VaultAttached").withArgs(productId, b.address);
      expect(await registry.backingVaults(productId)).to.deep.equal([a.address, b.address]);
      // Other products are untouched: every seed product is still backed by the seed vaults, in listing order.
      const seedBacking = await Promise.all(SEED_VAULT_KEYS.map((key) => d.vaults[key].getAddress()));
      for (const productId of Object.values(d.productIds)) {
        expect(await registry.backingVaults(productId)).to.deep.equal(seedBacking);
      }
    });

    it("reverts VaultNotListed for an unlisted caller", async () => {
      await expect(registry.connect(outsider).attachVault(productId))
        .to.be.revertedWithCustomError(registry, "VaultNotListed")
        .withArgs(outsider.address);
      expect(await registry.backingVaults(productId)).to.deep.equal([]);
    });

    it("reverts UnknownProduct for a product never created", async () => {
      await expect(attach(fakeVaults[0], 99n))
        .to.be.revertedWithCustomError(registry, "UnknownProduct")
        .withArgs(99n);
      await expect(attach(fakeVaults[0], 0n))
        .to.be.revertedWithCustomError(registry, "UnknownProduct")
        .withArgs(0n);
    });

    it("reverts VaultAlreadyRegistered(productId, vault) for a vault attached twice", async () => {
      const [a] = fakeVaults;
      await (await attach(a)).wait();
      await expect(attach(a))
        .to.be.revertedWithCustomError(registry, "VaultAlreadyRegistered")
        .withArgs(productId, a.address);
      expect(await registry.backingVaults(productId)).to.deep.equal([a.address]);
    });

    it("accepts 16 vaults and reverts TooManyVaults(productId, 16) for the 17th", async () => {
      const first16 = fakeVaults.slice(0, Number(MAX_VAULTS_PER_PRODUCT));
      for (const vault of first16) await (await attach(vault)).wait();
      expect(await registry.backingVaults(productId)).to.deep.equal(first16.map((v) => v.address));
      const seventeenth = fakeVaults[Number(MAX_VAULTS_PER_PRODUCT)];
      await expect(attach(seventeenth))
        .to.be.revertedWithCustomError(registry, "TooManyVaults")
        .withArgs(productId, MAX_VAULTS_PER_PRODUCT);
      expect((await registry.backingVaults(productId)).length).to.equal(16);
      // A freed slot can be taken again.
      await (await detach(first16[3])).wait();
      await expect(attach(seventeenth)).to.emit(registry, "VaultAttached").withArgs(productId, seventeenth.address);
      expect((await registry.backingVaults(productId)).length).to.equal(16);
    });

    it("detaches with VaultDetached, moving the last vault into the freed slot", async () => {
      const [a, b, c, e] = fakeVaults;
      for (const vault of [a, b, c, e]) await (await attach(vault)).wait();
      await expect(detach(a)).to.emit(registry, "VaultDetached").withArgs(productId, a.address);
      expect(await registry.backingVaults(productId)).to.deep.equal([e.address, b.address, c.address]);
      // Detaching the last element just pops it.
      await expect(detach(c)).to.emit(registry, "VaultDetached").withArgs(productId, c.address);
      expect(await registry.backingVaults(productId)).to.deep.equal([e.address, b.address]);
      await (await detach(e)).wait();
      await (await detach(b)).wait();
      expect(await registry.backingVaults(productId)).to.deep.equal([]);
      // Can re-attach after detaching.
      await (await attach(a)).wait();
      expect(await registry.backingVaults(productId)).to.deep.equal([a.address]);
    });

    it("reverts VaultNotBacking for a vault detached twice, or never attached", async () => {
      const [a, b] = fakeVaults;
      await (await attach(a)).wait();
      await (await attach(b)).wait();
      await (await detach(a)).wait();
      await expect(detach(a))
        .to.be.revertedWithCustomError(registry, "VaultNotBacking")
        .withArgs(productId, a.address);
      await expect(registry.connect(outsider).detachVault(productId))
        .to.be.revertedWithCustomError(registry, "VaultNotBacking")
        .withArgs(productId, outsider.address);
      expect(await registry.backingVaults(productId)).to.deep.equal([b.address]);
    });
  });

  describe("access control", () => {
    const restricted: Array<[string, (r: ProductRegistry) => Promise<unknown>]> = [
      ["createProduct", (r) => r.createProduct(productParams())],
      ["updateProductTerms", (r) => r.updateProductTerms(1n, wad("5"), DAY, 2n * DAY, 1n, "")],
      ["setProductActive", (r) => r.setProductActive(1n, false)],
      ["setProductTrigger", (r) => r.setProductTrigger(1n, TRIGGER)],
      ["listVault", (r) => r.listVault(TRIGGER)],
      ["setClaimsModule", (r) => r.setClaimsModule(TRIGGER)],
    ];
    for (const [name, call] of restricted) {
      it(`${name} reverts AccessManagedUnauthorized for the outsider and the curator`, async () => {
        for (const caller of [outsider, curator]) {
          await expect(call(registry.connect(caller)))
            .to.be.revertedWithCustomError(registry, "AccessManagedUnauthorized")
            .withArgs(caller.address);
        }
        await expectSeedProductsUntouched();
        expect(await registry.isListedVault(TRIGGER)).to.equal(false);
        expect(await registry.claimsModule()).to.equal(await d.claimAdjudicator.getAddress());
      });
    }

    const claimsModuleOnly: Array<[string, (r: ProductRegistry) => Promise<unknown>]> = [
      ["openIncident", (r) => r.openIncident(1n)],
      ["closeIncident", (r) => r.closeIncident(1n)],
      ["disarmTrigger", (r) => r.disarmTrigger(3n)],
    ];
    for (const [name, call] of claimsModuleOnly) {
      it(`${name} reverts NotClaimsModule(caller) for anyone but the claims module, the admin and the risk manager included`, async () => {
        for (const caller of [outsider, curator, d.accounts.admin, d.accounts.riskManager]) {
          await expect(call(registry.connect(caller)))
            .to.be.revertedWithCustomError(registry, "NotClaimsModule")
            .withArgs(caller.address);
        }
        await expectSeedProductsUntouched();
      });
    }
  });

  describe("setClaimsModule", () => {
    it("names the one caller of the claims hooks, with ClaimsModuleSet; the previous module is refused at once", async () => {
      const adjudicator = await d.claimAdjudicator.getAddress();
      const [replacement] = d.committee;
      const admin = registry.connect(d.accounts.admin);
      await expect(admin.setClaimsModule(replacement.address))
        .to.emit(registry, "ClaimsModuleSet")
        .withArgs(replacement.address);
      expect(await registry.claimsModule()).to.equal(replacement.address);
      await expect(registry.connect(replacement).openIncident(1n))
        .to.emit(registry, "OpenIncidentsChanged")
        .withArgs(1n, 1n);
      await networkHelpers.impersonateAccount(adjudicator);
      await networkHelpers.setBalance(adjudicator, 10n ** 18n);
      const former = await ethers.getSigner(adjudicator);
      await expect(registry.connect(former).closeIncident(1n))
        .to.be.revertedWithCustomError(registry, "NotClaimsModule")
        .withArgs(adjudicator);
      await expect(d.vaults.conservative.connect(former).reserveUpTo(1n, 1n))
        .to.be.revertedWithCustomError(d.vaults.conservative, "NotClaimsModule")
        .withArgs(adjudicator);
    });

    it("refuses the zero address with ZeroAddress and keeps the module", async () => {
      await expect(registry.connect(d.accounts.admin).setClaimsModule(ZeroAddress)).to.be.revertedWithCustomError(
        registry,
        "ZeroAddress",
      );
      expect(await registry.claimsModule()).to.equal(await d.claimAdjudicator.getAddress());
    });
  });
});
