import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { ZeroAddress } from "ethers";

import type { ParapetDeployment } from "../../deploy/fixture.js";
import { ROLES } from "../../deploy/roles.js";
import { SEED_PRODUCTS, SEED_VAULT_TERMS } from "../../deploy/seed.js";
import type { ProductRegistry, UnderwriterVault } from "../../types/ethers-contracts/index.js";
import { asCoverManager, buyCover, DAY, deposit, ethers, time, usd } from "./helpers.js";
import { WAD } from "./claimsSetup.js";
import {
  asTuple,
  ceilToWeek,
  createProductOn,
  governanceFixture,
  MAX_PRODUCTS,
  type ProductTermsStruct,
  seedCapacity,
  seedProductKeys,
  summedCapacity,
  swapPop,
  terms,
  termsOf,
  wad,
} from "./vaultGovernanceSetup.js";

describe("UnderwriterVault governance", () => {
  let d: ParapetDeployment;
  let registry: ProductRegistry;
  let vault: UnderwriterVault;
  let vaultAddress: string;
  let admin: HardhatEthersSigner;
  let guardian: HardhatEthersSigner;
  let riskManager: HardhatEthersSigner;
  let curator: HardhatEthersSigner;
  let outsider: HardhatEthersSigner;
  let claims: HardhatEthersSigner;
  /** The products the conservative vault backs after the fixture, in order. */
  let seedBacked: bigint[];

  beforeEach(async () => {
    ({ d, registry, vault, vaultAddress, admin, guardian, riskManager, curator, outsider, claims, seedBacked } =
      await governanceFixture());
  });

  /** Creates a product (2% floor unless overridden) with the risk manager and returns its id. */
  async function createProduct(minRateWad?: bigint): Promise<bigint> {
    return createProductOn(registry, minRateWad);
  }

  describe("setProductTerms", () => {
    it("backs a new product: ProductTermsSet, stored terms, backedProducts, registry attachment, total capacity", async () => {
      const productId = await createProduct();
      const t = terms();
      const totalBefore = await vault.totalCapacityWad();
      expect(totalBefore).to.equal(seedCapacity("conservative"));

      const tx = vault.setProductTerms(productId, t);
      await expect(tx)
        .to.emit(vault, "ProductTermsSet")
        .withArgs(productId, t.capacityWad, t.baseRateWad, t.kinkWad, t.maxRateWad);
      await expect(tx).to.emit(registry, "VaultAttached").withArgs(productId, vaultAddress);

      expect(await termsOf(vault, productId)).to.deep.equal(asTuple(t));
      expect(await vault.backedProducts()).to.deep.equal([...seedBacked, productId]);
      expect(await registry.backingVaults(productId)).to.deep.equal([vaultAddress]);
      expect(await vault.totalCapacityWad()).to.equal(totalBefore + BigInt(t.capacityWad));
      const curve = await vault.rateCurveOf(productId);
      expect([curve.baseRateWad, curve.kinkWad, curve.maxRateWad]).to.deep.equal(asTuple(t).slice(1));
    });

    it("accepts the boundary terms: capacity 1e18, base == max == 1e18 == floor, kink 0 and 1e18", async () => {
      const productId = await createProduct(WAD);
      const t = terms({ capacityWad: WAD, baseRateWad: WAD, kinkWad: WAD, maxRateWad: WAD });
      await expect(vault.setProductTerms(productId, t))
        .to.emit(vault, "ProductTermsSet")
        .withArgs(productId, WAD, WAD, WAD, WAD);
      const t2 = terms({ capacityWad: 1n, baseRateWad: WAD, kinkWad: 0n, maxRateWad: WAD });
      await (await vault.setProductTerms(productId, t2)).wait();
      expect(await termsOf(vault, productId)).to.deep.equal(asTuple(t2));
    });

    const invalid: Array<[string, Partial<ProductTermsStruct>, string, (t: ProductTermsStruct) => unknown[]]> = [
      ["capacity 0", { capacityWad: 0n }, "InvalidCapacity", () => [0n]],
      ["capacity 1e18 + 1", { capacityWad: WAD + 1n }, "InvalidCapacity", () => [WAD + 1n]],
      [
        "base > max",
        { baseRateWad: wad("10"), maxRateWad: wad("10") - 1n },
        "InvalidRateCurve",
        (t) => [wad("10"), t.kinkWad, wad("10") - 1n],
      ],
      ["max > 1e18", { maxRateWad: WAD + 1n }, "InvalidRateCurve", (t) => [t.baseRateWad, t.kinkWad, WAD + 1n]],
      ["kink > 1e18", { kinkWad: WAD + 1n }, "InvalidRateCurve", (t) => [t.baseRateWad, WAD + 1n, t.maxRateWad]],
    ];
    for (const [title, overrides, error, args] of invalid) {
      it(`reverts ${error} for ${title}, on a new and on a backed product, changing nothing`, async () => {
        const fresh = await createProduct();
        for (const productId of [fresh, d.productIds.lending]) {
          const before = await termsOf(vault, productId);
          const t = terms(overrides);
          await expect(vault.setProductTerms(productId, t))
            .to.be.revertedWithCustomError(vault, error)
            .withArgs(...args(t));
          expect(await termsOf(vault, productId)).to.deep.equal(before);
        }
        expect(await vault.backedProducts()).to.deep.equal(seedBacked);
        expect(await registry.backingVaults(fresh)).to.deep.equal([]);
      });
    }

    it("reverts RateBelowProductFloor when the base rate is below the product's minRateWad", async () => {
      const { dex } = d.productIds;
      const floor = SEED_PRODUCTS.dex.minRateWad;
      await expect(vault.setProductTerms(dex, terms({ baseRateWad: floor - 1n })))
        .to.be.revertedWithCustomError(vault, "RateBelowProductFloor")
        .withArgs(dex, floor - 1n, floor);
      // Exactly at the floor is fine.
      await expect(vault.setProductTerms(dex, terms({ baseRateWad: floor })))
        .to.emit(vault, "ProductTermsSet")
        .withArgs(dex, wad("20"), floor, wad("75"), wad("25"));
    });

    it("reverts the registry's UnknownProduct for a product that does not exist", async () => {
      await expect(vault.setProductTerms(99n, terms()))
        .to.be.revertedWithCustomError(d.productRegistry, "UnknownProduct")
        .withArgs(99n);
      await expect(vault.setProductTerms(0n, terms()))
        .to.be.revertedWithCustomError(d.productRegistry, "UnknownProduct")
        .withArgs(0n);
      expect(await vault.backedProducts()).to.deep.equal(seedBacked);
    });

    it("reverts TooManyProducts(32) for a 33rd product; updating one of the 32 still works", async () => {
      await (await d.vaults.conservative.connect(riskManager).setMaxLeverage(5n * WAD)).wait();
      const already = BigInt((await vault.backedProducts()).length);
      expect(already).to.equal(BigInt(seedBacked.length));
      const fill = Number(MAX_PRODUCTS - already);
      const small = wad("10");
      const ids: bigint[] = [];
      for (let i = 0; i <= fill; i++) ids.push(await createProduct());
      for (const productId of ids.slice(0, fill)) {
        await (await vault.setProductTerms(productId, terms({ capacityWad: small }))).wait();
      }
      expect(BigInt((await vault.backedProducts()).length)).to.equal(MAX_PRODUCTS);
      const total = await vault.totalCapacityWad();
      expect(total).to.equal(await summedCapacity(vault));
      expect(total + small).to.be.lessThanOrEqual(5n * WAD); // fits the leverage cap: only the count fails

      const extra = ids[fill];
      await expect(vault.setProductTerms(extra, terms({ capacityWad: small })))
        .to.be.revertedWithCustomError(vault, "TooManyProducts")
        .withArgs(MAX_PRODUCTS);
      expect(BigInt((await vault.backedProducts()).length)).to.equal(MAX_PRODUCTS);
      expect(await registry.backingVaults(extra)).to.deep.equal([]);

      await expect(vault.setProductTerms(ids[0], terms({ capacityWad: small * 2n })))
        .to.emit(vault, "ProductTermsSet")
        .withArgs(ids[0], small * 2n, wad("3"), wad("75"), wad("25"));
      // Once one is removed, the 33rd fits.
      await (await vault.removeProduct(ids[1])).wait();
      await expect(vault.setProductTerms(extra, terms({ capacityWad: small }))).to.emit(registry, "VaultAttached");
      expect(BigInt((await vault.backedProducts()).length)).to.equal(MAX_PRODUCTS);
    });

    it("updating an already-backed product changes terms and total, but does not re-attach it", async () => {
      const { lending } = d.productIds;
      const backedBefore = await vault.backedProducts();
      const registryBefore = await registry.backingVaults(lending);
      const t = terms({ capacityWad: wad("40"), baseRateWad: wad("6") });
      const tx = vault.setProductTerms(lending, t);
      await expect(tx)
        .to.emit(vault, "ProductTermsSet")
        .withArgs(lending, wad("40"), wad("6"), wad("75"), wad("25"));
      await expect(tx).not.to.emit(registry, "VaultAttached");
      expect(await vault.backedProducts()).to.deep.equal(backedBefore);
      expect(await registry.backingVaults(lending)).to.deep.equal(registryBefore);
      expect(await termsOf(vault, lending)).to.deep.equal(asTuple(t));
      for (const key of seedProductKeys("conservative").filter((key) => key !== "lending")) {
        expect(await termsOf(vault, d.productIds[key])).to.deep.equal(asTuple(SEED_VAULT_TERMS.conservative[key]));
      }
      expect(await vault.totalCapacityWad()).to.equal(
        seedCapacity("conservative") - SEED_VAULT_TERMS.conservative.lending.capacityWad + wad("40"),
      );
    });
  });

  describe("removeProduct", () => {
    it("stops backing a product without exposure: ProductRemoved, backedProducts, registry, total capacity", async () => {
      const { lending } = d.productIds;
      const p3 = await createProduct();
      await (await vault.setProductTerms(p3, terms())).wait();
      const highYield = await d.vaults.highYield.getAddress();
      expect(await registry.backingVaults(lending)).to.deep.equal([vaultAddress, highYield]);
      const totalBefore = await vault.totalCapacityWad();

      const tx = vault.removeProduct(lending);
      await expect(tx).to.emit(vault, "ProductRemoved").withArgs(lending);
      await expect(tx).to.emit(registry, "VaultDetached").withArgs(lending, vaultAddress);

      // Swap-and-pop on both sides.
      const afterRemoval = swapPop([...seedBacked, p3], lending);
      expect(afterRemoval[seedBacked.indexOf(lending)]).to.equal(p3);
      expect(await vault.backedProducts()).to.deep.equal(afterRemoval);
      expect(await registry.backingVaults(lending)).to.deep.equal([highYield]);
      expect(await vault.totalCapacityWad()).to.equal(totalBefore - SEED_VAULT_TERMS.conservative.lending.capacityWad);
      expect(await termsOf(vault, lending)).to.deep.equal([0n, 0n, 0n, 0n]);
      expect(await vault.capacityOf(lending)).to.equal(0n);
      await expect(vault.quote(lending, usd(1), 30n * DAY, SEED_PRODUCTS.lending.minRateWad))
        .to.be.revertedWithCustomError(vault, "ProductNotBacked")
        .withArgs(lending);

      // And it can be backed again, appended at the end.
      await expect(vault.setProductTerms(lending, SEED_VAULT_TERMS.conservative.lending))
        .to.emit(registry, "VaultAttached")
        .withArgs(lending, vaultAddress);
      expect(await vault.backedProducts()).to.deep.equal([...afterRemoval, lending]);
      expect(await registry.backingVaults(lending)).to.deep.equal([highYield, vaultAddress]);
      expect(await vault.totalCapacityWad()).to.equal(totalBefore);
    });

    it("reverts ProductNotBacked for a product the vault does not back", async () => {
      const p3 = await createProduct();
      for (const productId of [p3, 99n, 0n]) {
        await expect(vault.removeProduct(productId))
          .to.be.revertedWithCustomError(vault, "ProductNotBacked")
          .withArgs(productId);
      }
      await (await vault.removeProduct(d.productIds.dex)).wait();
      await expect(vault.removeProduct(d.productIds.dex))
        .to.be.revertedWithCustomError(vault, "ProductNotBacked")
        .withArgs(d.productIds.dex);
    });
  });

  describe("setCooldown", () => {
    it("defaults to 14 days and accepts exactly 1 and 90 days, with CooldownSet", async () => {
      expect(await vault.cooldown()).to.equal(14n * DAY);
      for (const value of [DAY, 90n * DAY, 3n * DAY]) {
        await expect(vault.setCooldown(value)).to.emit(vault, "CooldownSet").withArgs(value);
        expect(await vault.cooldown()).to.equal(value);
      }
    });

    for (const value of [0n, DAY - 1n, 90n * DAY + 1n]) {
      it(`reverts InvalidCooldown(${value}) and keeps the cooldown`, async () => {
        await expect(vault.setCooldown(value)).to.be.revertedWithCustomError(vault, "InvalidCooldown").withArgs(value);
        expect(await vault.cooldown()).to.equal(14n * DAY);
      });
    }
  });

  describe("setMaxLeverage", () => {
    it("defaults to 3e18 and accepts exactly 1e18 and 5e18, with MaxLeverageSet", async () => {
      const asRisk = vault.connect(riskManager);
      expect(await vault.maxLeverageWad()).to.equal(3n * WAD);
      for (const value of [5n * WAD, WAD, 2n * WAD]) {
        await expect(asRisk.setMaxLeverage(value)).to.emit(vault, "MaxLeverageSet").withArgs(value);
        expect(await vault.maxLeverageWad()).to.equal(value);
      }
    });

    for (const value of [0n, WAD - 1n, 5n * WAD + 1n]) {
      it(`reverts InvalidMaxLeverage(${value}) and keeps the cap`, async () => {
        await expect(vault.connect(riskManager).setMaxLeverage(value))
          .to.be.revertedWithCustomError(vault, "InvalidMaxLeverage")
          .withArgs(value);
        expect(await vault.maxLeverageWad()).to.equal(3n * WAD);
      });
    }

    it("takes a cap below the capacity in use; lowering capacities still works, raising them does not", async () => {
      const highYield = d.vaults.highYield;
      const { lending } = d.productIds;
      const seedTotal = seedCapacity("highYield");
      expect(await highYield.totalCapacityWad()).to.equal(seedTotal);
      expect(seedTotal).to.be.greaterThan(WAD);
      await (await highYield.connect(riskManager).setMaxLeverage(WAD)).wait();
      const withoutLending = seedTotal - SEED_VAULT_TERMS.highYield.lending.capacityWad;
      expect(withoutLending + wad("50")).to.be.greaterThan(WAD); // still above the new cap after lowering

      // Reducing risk is always allowed, even while the total is still above the new cap.
      const lowered = { ...SEED_VAULT_TERMS.highYield.lending, capacityWad: wad("50") };
      await expect(highYield.connect(curator).setProductTerms(lending, lowered))
        .to.emit(highYield, "ProductTermsSet")
        .withArgs(lending, wad("50"), lowered.baseRateWad, lowered.kinkWad, lowered.maxRateWad);
      expect(await highYield.totalCapacityWad()).to.equal(withoutLending + wad("50"));

      const raised = { ...SEED_VAULT_TERMS.highYield.lending, capacityWad: wad("51") };
      await expect(highYield.connect(curator).setProductTerms(lending, raised))
        .to.be.revertedWithCustomError(highYield, "LeverageExceeded")
        .withArgs(withoutLending + wad("51"), WAD);
    });

    it("lowers a capacity below the live cover (to stop sales): the capital locked behind that cover stays as sold", async () => {
      const highYield = d.vaults.highYield;
      const { lending } = d.productIds;
      await deposit(highYield, d.accounts.underwriters[0], usd(100_000));
      await buyCover(d, d.accounts.buyers[0], { vault: highYield, productId: lending, amount: usd(10_000) });
      const lockedBefore = await highYield.lockedBy(lending);
      const unlockedBefore = await highYield.unlockedAssets();

      const tiny = { ...SEED_VAULT_TERMS.highYield.lending, capacityWad: 1n };
      await expect(highYield.connect(curator).setProductTerms(lending, tiny))
        .to.emit(highYield, "ProductTermsSet")
        .withArgs(lending, 1n, tiny.baseRateWad, tiny.kinkWad, tiny.maxRateWad);
      expect(await highYield.lockedBy(lending)).to.equal(lockedBefore);
      // Only the premium earned meanwhile moved it (up).
      expect(await highYield.unlockedAssets()).to.be.greaterThanOrEqual(unlockedBefore);
      await expect(
        buyCover(d, d.accounts.buyers[0], { vault: highYield, productId: lending, amount: usd(1) }),
      ).to.be.revertedWithCustomError(highYield, "InsufficientCapacity");
    });
  });

  describe("pending reserve (claims module)", () => {
    it("reserveUpTo / decreasePendingReserve emit (productId, amount, newTotal) and keep a reserve per product; navBid drops by the reserve, navAsk does not", async () => {
      const asClaims = vault.connect(claims);
      const { lending, dex } = d.productIds;
      await deposit(vault, d.accounts.underwriters[0], usd(50_000));
      expect(await vault.navAsk()).to.equal(usd(50_000));
      expect(await vault.navBid()).to.equal(usd(50_000));
      expect(await vault.pendingReserve()).to.equal(0n);

      await expect(asClaims.reserveUpTo(lending, usd(1_000)))
        .to.emit(vault, "PendingReserveIncreased")
        .withArgs(lending, usd(1_000), usd(1_000));
      await expect(asClaims.reserveUpTo(dex, usd(500)))
        .to.emit(vault, "PendingReserveIncreased")
        .withArgs(dex, usd(500), usd(1_500));
      expect(await vault.pendingReserve()).to.equal(usd(1_500));
      expect(await vault.productReserve(lending)).to.equal(usd(1_000));
      expect(await vault.productReserve(dex)).to.equal(usd(500));
      expect(await vault.navAsk()).to.equal(usd(50_000));
      expect(await vault.navBid()).to.equal(usd(48_500));
      expect(await vault.totalAssets()).to.equal(usd(48_500));
      expect(await vault.capacityOf(d.productIds.lending)).to.equal(usd(48_500) / 2n);
      expect(await vault.managedAssets()).to.equal(usd(50_000));

      // A product's release never reaches another product's reserve.
      await expect(asClaims.decreasePendingReserve(dex, usd(500) + 1n))
        .to.be.revertedWithCustomError(vault, "ReserveUnderflow")
        .withArgs(dex, usd(500) + 1n, usd(500));
      await expect(asClaims.decreasePendingReserve(lending, usd(700)))
        .to.emit(vault, "PendingReserveDecreased")
        .withArgs(lending, usd(700), usd(800));
      await expect(asClaims.decreasePendingReserve(dex, usd(500)))
        .to.emit(vault, "PendingReserveDecreased")
        .withArgs(dex, usd(500), usd(300));
      await expect(asClaims.decreasePendingReserve(lending, usd(300)))
        .to.emit(vault, "PendingReserveDecreased")
        .withArgs(lending, usd(300), 0n);
      expect(await vault.pendingReserve()).to.equal(0n);
      expect(await vault.navBid()).to.equal(usd(50_000));
      await expect(asClaims.decreasePendingReserve(lending, 1n))
        .to.be.revertedWithCustomError(vault, "ReserveUnderflow")
        .withArgs(lending, 1n, 0n);
    });

    it("reserveUpTo sets aside at most navBid and returns it with the asset; with navBid at zero it changes and emits nothing", async () => {
      const { lending, dex } = d.productIds;
      const asClaims = vault.connect(claims);
      await deposit(vault, d.accounts.underwriters[0], usd(1_000));
      const [reserved, asset] = await asClaims.reserveUpTo.staticCall(lending, usd(2_000));
      expect([reserved, asset]).to.deep.equal([usd(1_000), await d.asset.getAddress()]);
      await expect(asClaims.reserveUpTo(lending, usd(2_000)))
        .to.emit(vault, "PendingReserveIncreased")
        .withArgs(lending, usd(1_000), usd(1_000));
      expect(await vault.navAsk()).to.equal(usd(1_000));
      expect(await vault.navBid()).to.equal(0n);

      expect(await asClaims.reserveUpTo.staticCall(dex, usd(500))).to.deep.equal([0n, await d.asset.getAddress()]);
      await expect(asClaims.reserveUpTo(dex, usd(500))).not.to.emit(vault, "PendingReserveIncreased");
      expect(await vault.pendingReserve()).to.equal(usd(1_000));
      expect(await vault.productReserve(lending)).to.equal(usd(1_000));
      expect(await vault.productReserve(dex)).to.equal(0n);
    });
  });

  describe("payClaim", () => {
    let lending: bigint;
    /** The vault's only payer: the CoverManager, as the claims module's `CoverManager.payClaim` calls it. */
    let payer: HardhatEthersSigner;
    beforeEach(async () => {
      lending = d.productIds.lending;
      payer = await asCoverManager(d.coverManager);
    });

    async function withCover() {
      await deposit(vault, d.accounts.underwriters[0], usd(100_000));
      const amount = usd(10_000);
      const { policyId } = await buyCover(d, d.accounts.buyers[0], { vault, productId: lending, amount });
      const policy = await d.coverManager.getPolicy(policyId);
      const lockedUntil = policy.end + BigInt(SEED_PRODUCTS.lending.claimGracePeriod);
      return { amount, lockedUntil };
    }

    it("releases the given reserve and pays the receiver, lowering pendingReserve, managedAssets, exposure and its lock by the amount", async () => {
      const { amount, lockedUntil } = await withCover();
      const receiver = d.accounts.buyers[1];
      const paid = usd(4_000);
      await (await vault.connect(claims).reserveUpTo(lending, usd(5_000))).wait();
      const managedBefore = await vault.managedAssets();
      expect(await vault.exposureOf(lending)).to.equal(amount);
      // Sold at capacity 50%: each unit of cover locks two of NAV.
      expect(await vault.lockedBy(lending)).to.equal(2n * amount);

      const tx = vault.connect(payer).payClaim(lending, lockedUntil, receiver.address, paid, usd(5_000));
      await expect(tx).to.changeTokenBalances(ethers, d.asset, [vaultAddress, receiver.address], [-paid, paid]);
      await expect(tx).to.emit(vault, "ClaimPaid").withArgs(lending, receiver.address, paid);
      await expect(tx).to.emit(vault, "PendingReserveDecreased").withArgs(lending, usd(5_000), 0n);

      expect(await vault.pendingReserve()).to.equal(0n);
      expect(await vault.managedAssets()).to.equal(managedBefore - paid);
      expect(await vault.exposureOf(lending)).to.equal(amount - paid);
      expect(await vault.lockedBy(lending)).to.equal(2n * (amount - paid));
      expect(await vault.exposureOf(d.productIds.dex)).to.equal(0n);
    });

    it("frees a paid claim's cover without walking the weeks that expired since: exposure and lock read as if the walk had come first", async () => {
      await deposit(vault, d.accounts.underwriters[0], usd(100_000));
      const grace = BigInt(SEED_PRODUCTS.lending.claimGracePeriod);
      const [buyer] = d.accounts.buyers;
      const short = await d.coverManager.getPolicy(
        (await buyCover(d, buyer, { vault, productId: lending, amount: usd(10_000), period: 7n * DAY })).policyId,
      );
      const long = await d.coverManager.getPolicy(
        (await buyCover(d, buyer, { vault, productId: lending, amount: usd(10_000), period: 180n * DAY })).policyId,
      );
      // Past the short policy's lock, with nothing since to walk the product's buckets.
      const shortBoundary = ceilToWeek(short.end + grace);
      await time.increaseTo(shortBoundary);
      expect(await vault.exposureOf(lending)).to.equal(usd(10_000));

      await (await vault.connect(payer).payClaim(lending, long.end + grace, outsider.address, usd(4_000), 0n)).wait();
      expect(await vault.exposureOf(lending)).to.equal(usd(6_000));
      expect(await vault.lockedBy(lending)).to.equal(2n * usd(6_000));
      // A payout on the expired policy frees nothing more: its bucket leaves the total with the walk either way.
      await (await vault.connect(payer).payClaim(lending, short.end + grace, outsider.address, usd(1_000), 0n)).wait();
      expect(await vault.exposureOf(lending)).to.equal(usd(6_000));
      expect(await vault.lockedBy(lending)).to.equal(2n * usd(6_000));
      // A sale writes the walk down: the stored figures agree with the views above.
      await buyCover(d, buyer, { vault, productId: lending, amount: usd(1_000), period: 7n * DAY });
      expect(await vault.exposureOf(lending)).to.equal(usd(7_000));
      expect(await vault.lockedBy(lending)).to.equal(2n * usd(7_000));
      // Once the walk has passed the expired bucket, a payout on its policy leaves the total alone.
      await (await vault.connect(payer).payClaim(lending, short.end + grace, outsider.address, usd(500), 0n)).wait();
      expect(await vault.exposureOf(lending)).to.equal(usd(7_000));
      expect(await vault.lockedBy(lending)).to.equal(2n * usd(7_000));
    });

    it("pays beyond the released reserve out of free capital, never out of another case's reserve", async () => {
      // No cover sold: no premium streams, so navBid stays put between the calls.
      await deposit(vault, d.accounts.underwriters[0], usd(100_000));
      await (await vault.connect(claims).reserveUpTo(d.productIds.dex, usd(30_000))).wait();
      const payable = await vault.navBid();
      expect(payable).to.equal(usd(70_000));
      await expect(vault.connect(payer).payClaim(lending, 0n, outsider.address, payable + 1n, 0n))
        .to.be.revertedWithCustomError(vault, "PayoutExceedsAssets")
        .withArgs(payable + 1n, payable);
      await expect(vault.connect(payer).payClaim(lending, 0n, outsider.address, 1n, 1n))
        .to.be.revertedWithCustomError(vault, "ReserveUnderflow")
        .withArgs(lending, 1n, 0n);
      await expect(vault.connect(payer).payClaim(lending, 0n, ZeroAddress, 1n, 0n))
        .to.be.revertedWithCustomError(vault, "InvalidReceiver")
        .withArgs(ZeroAddress);
      await expect(vault.connect(payer).payClaim(lending, 0n, outsider.address, usd(1_000), 0n))
        .to.changeTokenBalances(ethers, d.asset, [vaultAddress, outsider.address], [-usd(1_000), usd(1_000)]);
      expect(await vault.productReserve(d.productIds.dex)).to.equal(usd(30_000));
    });

    it("works while the vault is paused, queueing the payment until the guardian releases it", async () => {
      const { lockedUntil } = await withCover();
      await (await vault.connect(claims).reserveUpTo(lending, usd(2_000))).wait();
      await (await vault.connect(guardian).pause()).wait();
      await expect(deposit(vault, d.accounts.underwriters[0], usd(1))).to.be.revertedWithCustomError(vault, "EnforcedPause");

      const receiver = d.accounts.buyers[2];
      const tx = vault.connect(payer).payClaim(lending, lockedUntil, receiver.address, usd(2_000), usd(2_000));
      await expect(tx).to.emit(vault, "ClaimPaid").withArgs(lending, receiver.address, usd(2_000));
      await expect(tx).to.emit(vault, "OutflowQueued").withArgs(0n, receiver.address, usd(2_000));
      await expect(tx).to.changeTokenBalances(ethers, d.asset, [vaultAddress, receiver.address], [0n, 0n]);
      expect(await vault.paused()).to.equal(true);
      expect(await vault.pendingReserve()).to.equal(0n);
      await expect(vault.processOutflowQueue(1n)).to.be.revertedWithCustomError(vault, "EnforcedPause");
      await expect(vault.connect(guardian).releaseOutflowQueue(1n)).to.changeTokenBalances(
        ethers,
        d.asset,
        [vaultAddress, receiver.address],
        [-usd(2_000), usd(2_000)],
      );
    });
  });

  describe("pause / unpause", () => {
    it("the guardian pauses (Paused) and the admin unpauses (Unpaused); the other way round is refused", async () => {
      expect((await d.accessManager.hasRole(ROLES.GUARDIAN, admin.address))[0]).to.equal(false);
      expect((await d.accessManager.hasRole(ROLES.ADMIN, guardian.address))[0]).to.equal(false);

      await expect(vault.connect(admin).pause())
        .to.be.revertedWithCustomError(vault, "AccessManagedUnauthorized")
        .withArgs(admin.address);
      await expect(vault.connect(guardian).pause()).to.emit(vault, "Paused").withArgs(guardian.address);
      expect(await vault.paused()).to.equal(true);
      expect(await vault.maxDeposit(outsider.address)).to.equal(0n);
      await expect(vault.connect(guardian).pause()).to.be.revertedWithCustomError(vault, "EnforcedPause");

      await expect(vault.connect(guardian).unpause())
        .to.be.revertedWithCustomError(vault, "AccessManagedUnauthorized")
        .withArgs(guardian.address);
      await expect(vault.connect(admin).unpause()).to.emit(vault, "Unpaused").withArgs(admin.address);
      expect(await vault.paused()).to.equal(false);
      await expect(vault.connect(admin).unpause()).to.be.revertedWithCustomError(vault, "ExpectedPause");
      // The other vault was never paused.
      expect(await d.vaults.highYield.paused()).to.equal(false);
    });
  });

  describe("access control", () => {
    const calls: Array<[string, (v: UnderwriterVault) => Promise<unknown>]> = [
      ["setProductTerms", (v) => v.setProductTerms(1n, terms())],
      ["removeProduct", (v) => v.removeProduct(2n)],
      ["setCooldown", (v) => v.setCooldown(2n * DAY)],
      ["setMaxLeverage", (v) => v.setMaxLeverage(2n * WAD)],
      ["pause", (v) => v.pause()],
      ["unpause", (v) => v.unpause()],
    ];
    for (const [name, call] of calls) {
      it(`${name} reverts AccessManagedUnauthorized(outsider) on both vaults`, async () => {
        for (const target of [d.vaults.conservative, d.vaults.highYield]) {
          await expect(call(target.connect(outsider)))
            .to.be.revertedWithCustomError(target, "AccessManagedUnauthorized")
            .withArgs(outsider.address);
        }
        expect(await vault.backedProducts()).to.deep.equal(seedBacked);
        expect(await vault.cooldown()).to.equal(14n * DAY);
        expect(await vault.maxLeverageWad()).to.equal(3n * WAD);
        expect(await vault.pendingReserve()).to.equal(0n);
        expect(await vault.paused()).to.equal(false);
      });
    }

    for (const [name, call] of [
      ["reserveUpTo", (v: UnderwriterVault) => v.reserveUpTo(1n, 1n)],
      ["decreasePendingReserve", (v: UnderwriterVault) => v.decreasePendingReserve(1n, 0n)],
    ] as const) {
      it(`${name} reverts NotClaimsModule(caller) on both vaults for the outsider and the admin`, async () => {
        for (const target of [d.vaults.conservative, d.vaults.highYield]) {
          for (const caller of [outsider, admin]) {
            await expect(call(target.connect(caller)))
              .to.be.revertedWithCustomError(target, "NotClaimsModule")
              .withArgs(caller.address);
          }
        }
        expect(await d.vaults.conservative.pendingReserve()).to.equal(0n);
        expect(await d.vaults.highYield.pendingReserve()).to.equal(0n);
      });
    }

    it("payClaim: only the CoverManager may call it; anyone else, the claims module and the admin included, gets NotCoverManager(caller)", async () => {
      for (const caller of [outsider, claims, admin]) {
        for (const target of [d.vaults.conservative, d.vaults.highYield]) {
          await expect(target.connect(caller).payClaim(1n, 0n, outsider.address, 1n, 0n))
            .to.be.revertedWithCustomError(target, "NotCoverManager")
            .withArgs(caller.address);
        }
      }
    });
  });
});
