import type { Typed } from "ethers";
import { parseUnits } from "ethers";

import { ProductKind, SEED_PRODUCTS, SEED_VAULT_TERMS, type SeedProductKey } from "../../deploy/seed.js";
import type { ProductRegistry, UnderwriterVault } from "../../types/ethers-contracts/index.js";
import { ethers, loadParapet, WEEK } from "./helpers.js";

// Shared by UnderwriterVault.governance.test.ts and the attack files in attacks/ that moved governance tests out of it.


export type ProductTermsStruct = Exclude<Parameters<UnderwriterVault["setProductTerms"]>[1], Typed>;

export const WAD = 10n ** 18n;
export const wad = (percent: string) => parseUnits(percent, 16);
export const MAX_PRODUCTS = 32n;

/** Valid terms for a product whose floor is at most 2%. */
export function terms(overrides: Partial<ProductTermsStruct> = {}): ProductTermsStruct {
  return { capacityWad: wad("20"), baseRateWad: wad("3"), kinkWad: wad("75"), maxRateWad: wad("25"), ...overrides };
}

/** `productTerms` as a plain tuple for deep comparison. */
export async function termsOf(vault: UnderwriterVault, productId: bigint): Promise<bigint[]> {
  const t = await vault.productTerms(productId);
  return [t.capacityWad, t.baseRateWad, t.kinkWad, t.maxRateWad];
}

export const asTuple = (t: ProductTermsStruct) => [t.capacityWad, t.baseRateWad, t.kinkWad, t.maxRateWad].map(BigInt);

/** Sum of the capacities of every product `vault` backs, from `productTerms`. */
export async function summedCapacity(vault: UnderwriterVault): Promise<bigint> {
  let total = 0n;
  for (const productId of await vault.backedProducts()) total += (await vault.productTerms(productId)).capacityWad;
  return total;
}

export type VaultKey = keyof typeof SEED_VAULT_TERMS;

/** The seed products a vault backs after the fixture, in the order the fixture attached them. */
export const seedProductKeys = (key: VaultKey) => Object.keys(SEED_VAULT_TERMS[key]) as SeedProductKey[];

/** The summed capacity of a vault's seed terms. */
export const seedCapacity = (key: VaultKey) =>
  Object.values(SEED_VAULT_TERMS[key]).reduce((total, t) => total + t.capacityWad, 0n);

/** `ids` after the swap-and-pop removal of `id` that the vault and the registry both use. */
export function swapPop(ids: readonly bigint[], id: bigint): bigint[] {
  const out = [...ids];
  const index = out.indexOf(id);
  if (index < 0) throw new Error(`${id} not in [${ids.join(", ")}]`);
  out[index] = out[out.length - 1];
  out.pop();
  return out;
}

/** The first 7-day grid boundary at or after `t`, as the vault's lazy expiry uses it. */
export const ceilToWeek = (t: bigint) => ((t + WEEK - 1n) / WEEK) * WEEK;

/**
 * The seed deployment with the curator's handle on the conservative vault, the risk manager's on the registry, and a
 * fresh account outside the fixture's layout (0–17) named the registry's claims module.
 */
export async function governanceFixture() {
  const d = await loadParapet();
  const { admin, guardian, riskManager, curator, outsider } = d.accounts;
  const registry = d.productRegistry.connect(riskManager);
  const vault = d.vaults.conservative.connect(curator);
  const vaultAddress = await vault.getAddress();
  /** The products the conservative vault backs after the fixture, in order. */
  const seedBacked = seedProductKeys("conservative").map((key) => d.productIds[key]);
  const claims = (await ethers.getSigners())[18];
  await (await d.productRegistry.connect(admin).setClaimsModule(claims.address)).wait();
  return { d, registry, vault, vaultAddress, admin, guardian, riskManager, curator, outsider, claims, seedBacked };
}

/** Creates a product (2% floor unless overridden) with the risk manager's `registry` and returns its id. */
export async function createProductOn(registry: ProductRegistry, minRateWad = wad("2")): Promise<bigint> {
  const params = {
    ...SEED_PRODUCTS.lending,
    kind: ProductKind.Discretionary,
    metadataURI: "ipfs://parapet/products/extra",
    minRateWad,
  };
  const id = await registry.createProduct.staticCall(params);
  await (await registry.createProduct(params)).wait();
  return id;
}
