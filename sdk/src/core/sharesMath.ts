// Solidity twin: contracts/libraries/SharesMath.sol
// Share/asset conversions with virtual shares and assets (OpenZeppelin ERC4626 with a decimals offset of 6). Each
// function must agree with its twin to the unit and fail wherever the twin reverts.

import { checkedUint, mulDivDown, mulDivUp, requireUint } from "./mathLib.js";
import { WAD } from "./premiumMath.js";

/** Shares a vault behaves as if it always had: `10 ** 6`, the decimals offset that defeats inflation attacks. */
export const VIRTUAL_SHARES = 1_000_000n;

/** Assets a vault behaves as if it always had: one unit. */
export const VIRTUAL_ASSETS = 1n;

/**
 * Shares worth `assets`, rounded down: what a deposit mints (the vault prices it at `navAsk`).
 *
 * `assets * (totalShares + 1e6) / (totalAssets + 1)`, rounded down.
 *
 * @param assets - Assets being converted, a uint256.
 * @param totalAssets - The vault's assets at the price used (`navAsk` for entries, `navBid` for exits), a uint256.
 * @param totalShares - Shares in circulation, a uint256.
 * @returns The shares, rounded down.
 * @throws {@link ValueOutOfRange} if an argument does not fit uint256.
 * @throws {@link ArithmeticOverflow} if `totalShares + 1e6`, `totalAssets + 1` or the result does not fit uint256.
 */
export function toSharesDown(assets: bigint, totalAssets: bigint, totalShares: bigint): bigint {
  requireUint(assets, 256, "assets");
  const [virtualAssets, virtualShares] = withVirtual(totalAssets, totalShares);
  return mulDivDown(assets, virtualShares, virtualAssets);
}

/**
 * Shares worth `assets`, rounded up: what a withdrawal of `assets` burns.
 *
 * @param assets - Assets being converted, a uint256.
 * @param totalAssets - The vault's assets at the price used, a uint256.
 * @param totalShares - Shares in circulation, a uint256.
 * @returns The shares, rounded up.
 * @throws {@link ValueOutOfRange} if an argument does not fit uint256.
 * @throws {@link ArithmeticOverflow} if `totalShares + 1e6`, `totalAssets + 1` or the result does not fit uint256.
 */
export function toSharesUp(assets: bigint, totalAssets: bigint, totalShares: bigint): bigint {
  requireUint(assets, 256, "assets");
  const [virtualAssets, virtualShares] = withVirtual(totalAssets, totalShares);
  return mulDivUp(assets, virtualShares, virtualAssets);
}

/**
 * Assets worth `shares`, rounded down: what a redemption pays.
 *
 * `shares * (totalAssets + 1) / (totalShares + 1e6)`, rounded down.
 *
 * @param shares - Shares being converted, a uint256.
 * @param totalAssets - The vault's assets at the price used, a uint256.
 * @param totalShares - Shares in circulation, a uint256.
 * @returns The assets, rounded down.
 * @throws {@link ValueOutOfRange} if an argument does not fit uint256.
 * @throws {@link ArithmeticOverflow} if `totalShares + 1e6`, `totalAssets + 1` or the result does not fit uint256.
 */
export function toAssetsDown(shares: bigint, totalAssets: bigint, totalShares: bigint): bigint {
  requireUint(shares, 256, "shares");
  const [virtualAssets, virtualShares] = withVirtual(totalAssets, totalShares);
  return mulDivDown(shares, virtualAssets, virtualShares);
}

/**
 * Assets worth `shares`, rounded up: what minting `shares` costs.
 *
 * @param shares - Shares being converted, a uint256.
 * @param totalAssets - The vault's assets at the price used, a uint256.
 * @param totalShares - Shares in circulation, a uint256.
 * @returns The assets, rounded up.
 * @throws {@link ValueOutOfRange} if an argument does not fit uint256.
 * @throws {@link ArithmeticOverflow} if `totalShares + 1e6`, `totalAssets + 1` or the result does not fit uint256.
 */
export function toAssetsUp(shares: bigint, totalAssets: bigint, totalShares: bigint): bigint {
  requireUint(shares, 256, "shares");
  const [virtualAssets, virtualShares] = withVirtual(totalAssets, totalShares);
  return mulDivUp(shares, virtualAssets, virtualShares);
}

/**
 * SDK only (no Solidity twin): the price of one whole share in whole assets, in WAD, rounded down. A share has 6 more
 * decimals than the asset, so the ratio of whole units is `(totalAssets + 1) * 1e6 / (totalShares + 1e6)`; an empty
 * vault prices a share at `1e18` (one asset).
 *
 * @param totalAssets - The vault's assets at the price wanted (`navBid` for what a share redeems for), a uint256.
 * @param totalShares - Shares in circulation, a uint256.
 * @returns Assets per share, WAD, rounded down.
 * @throws {@link ValueOutOfRange} if an argument does not fit uint256.
 * @throws {@link ArithmeticOverflow} if an intermediate sum or the result does not fit uint256.
 */
export function sharePriceWad(totalAssets: bigint, totalShares: bigint): bigint {
  const [virtualAssets, virtualShares] = withVirtual(totalAssets, totalShares);
  return mulDivDown(WAD * VIRTUAL_SHARES, virtualAssets, virtualShares);
}

/** `[totalAssets + 1, totalShares + 1e6]`, with the twin's checked additions. */
function withVirtual(totalAssets: bigint, totalShares: bigint): [bigint, bigint] {
  requireUint(totalAssets, 256, "totalAssets");
  requireUint(totalShares, 256, "totalShares");
  return [
    checkedUint(totalAssets + VIRTUAL_ASSETS, 256, "totalAssets + VIRTUAL_ASSETS"),
    checkedUint(totalShares + VIRTUAL_SHARES, 256, "totalShares + VIRTUAL_SHARES"),
  ];
}
