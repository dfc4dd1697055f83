/**
 * The read of both tranches over a vault: each one's value at exit and entry prices (its NAV), share price, premium
 * income and APY from the premium the vault streams now, and the protection the junior gives the senior (the loss
 * buffer and the vault loss at which the senior starts losing). Reads only; `ParapetClient.tranches` calls it.
 *
 * @packageDocumentation
 */
import {
  lossBufferWad,
  mulDivDown,
  seniorLossThreshold,
  sharePriceWad,
  tranchePremiumRates,
  WAD,
  YEAR,
} from "../../core/index.js";
import type { TrancheTokenHandle } from "../contracts.js";
import type { TrancheHandles, TrancheName } from "./context.js";

/** One tranche. Values are in the vault's asset. */
export type TrancheView = {
  tranche: TrancheName;
  address: string;
  name: string;
  symbol: string;
  /** Share decimals (the asset's + 6). */
  decimals: number;
  totalSupply: bigint;
  /** What the tranche's holders redeem against: its book at the vault's exit price. */
  exitValue: bigint;
  /** What entrants buy into: the book were every pending reserve released, at the vault's entry price. */
  entryValue: bigint;
  /** Asset per whole share at `exitValue`, WAD. */
  sharePriceWad: bigint;
  /** The most of `exitValue` that may leave now (the junior's limited by the minimum junior ratio). */
  maxExitValue: bigint;
  /** Premium the tranche earns per year at the vault's current stream rate, split as the contract splits it. */
  premiumPerYear: bigint;
  /** `premiumPerYear / exitValue`, WAD; `null` for an empty tranche. */
  aprWad: bigint | null;
  /** `aprWad` compounded weekly, as a fraction (0.05 = 5%); `null` for an empty tranche. */
  apy: number | null;
  /** `account`'s holding, when an account was given. */
  position?: {
    shares: bigint;
    /** Its shares at `exitValue` (SharesMath, rounded down). */
    value: bigint;
    /** Shares in escrow, and when they become redeemable. */
    requested: bigint;
    claimableAt: bigint;
    /** Shares a redeem may take now. */
    maxRedeem: bigint;
  };
};

export type TranchesView = {
  vault: string;
  manager: string;
  junior: TrancheView;
  senior: TrancheView;
  /** Vault shares the manager holds for both tranches. */
  vaultShares: bigint;
  /** The layer's share of the vault's pending reserve (what the tranches would get back were it released). */
  provision: bigint;
  seniorPremiumShareWad: bigint;
  minJuniorRatioWad: bigint;
  /** `junior / (junior + senior)` at exit values, WAD (`null` when both are empty). */
  juniorRatioWad: bigint | null;
  /** Junior value protecting each unit of senior value, WAD (`null` with no senior). */
  lossBufferWad: bigint | null;
  /** The loss the layer can take before the senior loses: the junior's exit value. */
  layerLossBeforeSenior: bigint;
  /** The vault-wide loss (reserve or payout) beyond which the senior starts losing (`null` when the layer is empty). */
  seniorLossThreshold: bigint | null;
};

const weekly = (aprWad: bigint | null): number | null =>
  aprWad === null ? null : Math.pow(1 + Number(aprWad) / 1e18 / 52, 52) - 1;

async function positionOf(token: TrancheTokenHandle, account: string, exitValue: bigint, totalSupply: bigint) {
  const [shares, request, maxRedeem] = await Promise.all([
    token.balanceOf(account),
    token.redeemRequest(account),
    token.maxRedeem(account),
  ]);
  const value = mulDivDown(shares, exitValue + 1n, totalSupply + 1_000_000n);
  return { shares, value, requested: request.shares, claimableAt: request.claimableAt, maxRedeem };
}

/**
 * Reads both tranches of `handles`.
 *
 * @param handles - The tranches over one vault.
 * @param premiumPerSecondWad - The vault's premium stream rate now, scaled by 1e18 (`VaultYield.premiumPerSecondWad`).
 * @param account - Whose positions to include.
 */
export async function readTranches(handles: TrancheHandles, premiumPerSecondWad: bigint, account?: string): Promise<TranchesView> {
  const { manager, vault } = handles;
  const [book, juniorEntry, seniorEntry, juniorMax, seniorMax, vaultShares, provision, share, ratio, vaultSupply] = await Promise.all([
    manager.book(),
    manager.entryValue(0n),
    manager.entryValue(1n),
    manager.maxExitValue(0n),
    manager.maxExitValue(1n),
    manager.vaultShares(),
    manager.provision(),
    manager.seniorPremiumShareWad(),
    manager.minJuniorRatioWad(),
    vault.totalSupply(),
  ]);
  const params = { seniorPremiumShareWad: share, minJuniorRatioWad: ratio };
  const rates = tranchePremiumRates((premiumPerSecondWad * YEAR) / WAD, vaultShares, vaultSupply, book, params);
  const view = async (
    tranche: TrancheName,
    exitValue: bigint,
    entryValue: bigint,
    maxExitValue: bigint,
    premiumPerYear: bigint,
    aprWad: bigint | null,
  ): Promise<TrancheView> => {
    const token = handles[tranche];
    const [address, name, symbol, decimals, totalSupply] = await Promise.all([
      token.getAddress(),
      token.name(),
      token.symbol(),
      token.decimals(),
      token.totalSupply(),
    ]);
    return {
      tranche,
      address,
      name,
      symbol,
      decimals: Number(decimals),
      totalSupply,
      exitValue,
      entryValue,
      sharePriceWad: sharePriceWad(exitValue, totalSupply),
      maxExitValue,
      premiumPerYear,
      aprWad,
      apy: weekly(aprWad),
      position: account === undefined ? undefined : await positionOf(token, account, exitValue, totalSupply),
    };
  };
  const total = book.junior + book.senior;
  return {
    vault: handles.vaultAddress,
    manager: handles.managerAddress,
    junior: await view("junior", book.junior, juniorEntry, juniorMax, rates.juniorPerYear, rates.juniorAprWad),
    senior: await view("senior", book.senior, seniorEntry, seniorMax, rates.seniorPerYear, rates.seniorAprWad),
    vaultShares,
    provision,
    seniorPremiumShareWad: share,
    minJuniorRatioWad: ratio,
    juniorRatioWad: total === 0n ? null : (book.junior * WAD) / total,
    lossBufferWad: lossBufferWad(book.junior, book.senior),
    layerLossBeforeSenior: book.junior,
    seniorLossThreshold: seniorLossThreshold(book.junior, vaultShares, vaultSupply),
  };
}
