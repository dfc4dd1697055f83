import { parseUnits } from "ethers";

/** Product kinds as the contracts number them. */
export const ProductKind = { Discretionary: 0, Parametric: 1 } as const;

const DAY = 86_400;
const wad = (percent: string) => parseUnits(percent, 16);

/** The products every local deployment starts with (cover limits in whole units of a 6-decimal asset). */
export const SEED_PRODUCTS = {
  lending: {
    kind: ProductKind.Discretionary,
    metadataURI: "ipfs://parapet/products/lendora-v3",
    minRateWad: wad("2"),
    minPeriod: 7 * DAY,
    maxPeriod: 365 * DAY,
    coverageLag: DAY,
    claimGracePeriod: 30 * DAY,
    maxCoverPerPolicy: parseUnits("5000000", 6),
    trigger: "0x0000000000000000000000000000000000000000",
  },
  dex: {
    kind: ProductKind.Discretionary,
    metadataURI: "ipfs://parapet/products/swappeak-dex",
    minRateWad: wad("3"),
    minPeriod: 7 * DAY,
    maxPeriod: 365 * DAY,
    coverageLag: DAY,
    claimGracePeriod: 30 * DAY,
    maxCoverPerPolicy: parseUnits("2000000", 6),
    trigger: "0x0000000000000000000000000000000000000000",
  },
  /** Parametric: pays when the USDx/USD Chainlink feed reports below the trigger's threshold. */
  depeg: {
    kind: ProductKind.Parametric,
    metadataURI: "ipfs://parapet/products/usdx-depeg",
    minRateWad: wad("1"),
    minPeriod: 7 * DAY,
    maxPeriod: 365 * DAY,
    coverageLag: DAY,
    claimGracePeriod: 30 * DAY,
    maxCoverPerPolicy: parseUnits("1000000", 6),
    trigger: "0x0000000000000000000000000000000000000000",
  },
} as const;

/** The depeg product's trigger: fires below $0.97 on a feed with 8 decimals, paying 100% of the cover. */
export const SEED_DEPEG_TRIGGER = {
  feedDecimals: 8,
  initialPrice: 100_000_000n,
  threshold: 97_000_000n,
  stalenessLimit: BigInt(DAY),
  payoutWad: wad("100"),
} as const;

/** Bond asset amounts (6 decimals) for the adjudicator. */
export const SEED_BONDS = {
  minClaimBond: parseUnits("100", 6),
  incidentBond: parseUnits("10000", 6),
} as const;

/**
 * The local UMA stack's final fee for the test stablecoin (UMA's Store sets one per currency; 250 is of the order UMA
 * charges for USDC): UMA's minimum bond is twice it, and an escalation to the DVM costs the disputer this fee.
 */
export const SEED_UMA = {
  finalFee: parseUnits("250", 6),
} as const;

export type SeedProductKey = keyof typeof SEED_PRODUCTS;

/** Each vault's capacity share and price curve per seed product. */
export const SEED_VAULT_TERMS = {
  conservative: {
    lending: { capacityWad: wad("50"), baseRateWad: wad("2.5"), kinkWad: wad("80"), maxRateWad: wad("15") },
    dex: { capacityWad: wad("30"), baseRateWad: wad("3.5"), kinkWad: wad("70"), maxRateWad: wad("20") },
    depeg: { capacityWad: wad("20"), baseRateWad: wad("1.5"), kinkWad: wad("80"), maxRateWad: wad("10") },
  },
  highYield: {
    lending: { capacityWad: wad("90"), baseRateWad: wad("4"), kinkWad: wad("60"), maxRateWad: wad("40") },
    dex: { capacityWad: wad("90"), baseRateWad: wad("5"), kinkWad: wad("50"), maxRateWad: wad("60") },
    depeg: { capacityWad: wad("50"), baseRateWad: wad("2"), kinkWad: wad("70"), maxRateWad: wad("25") },
  },
} as const;
