// Solidity twin: contracts/libraries/TrancheMath.sol
// The junior/senior loss waterfall and premium split, to the unit. Shared vectors: test/vectors/tranche-vectors.json.

import { checkedUint, mulDivDown, mulDivUp, requireUint } from "./mathLib.js";
import { WAD } from "./premiumMath.js";
import { VIRTUAL_SHARES } from "./sharesMath.js";

/**
 * What each tranche is owed, in the vault's asset at its exit price (`navBid`), and the part of each one's losses
 * that is a pending reserve (given back, senior first, if the reserve is released). Twin of `TrancheBook`.
 */
export type TrancheBook = {
  junior: bigint;
  senior: bigint;
  juniorProvision: bigint;
  seniorProvision: bigint;
};

/** What one accrual moved. Twin of `TrancheAccrual`. */
export type TrancheAccrual = {
  premium: bigint;
  seniorPremium: bigint;
  juniorLoss: bigint;
  seniorLoss: bigint;
  juniorReleased: bigint;
  seniorReleased: bigint;
};

/** The split and the ratio, both WAD. */
export type TrancheParams = {
  seniorPremiumShareWad: bigint;
  minJuniorRatioWad: bigint;
};

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
const add = (a: bigint, b: bigint, operation: string): bigint => checkedUint(a + b, 256, operation);

/**
 * Moves `book` to the layer's new marks (`TrancheMath.accrue`): a fall of the provision gives back the tranches'
 * provisions, senior first; the rest of the change is a loss (junior first; the part matched by a rise of the
 * provision is booked as provision) or a premium (split by {@link seniorPremiumDown}).
 *
 * @param book - The book at the last accrual.
 * @param value - The layer's vault shares at `navBid`.
 * @param provision - Their share of the vault's pending reserve now.
 * @param lastProvision - Their share at the last accrual.
 * @param params - The split and the minimum junior ratio.
 * @returns The new book and what moved.
 * @throws {@link ValueOutOfRange} if an argument does not fit uint256.
 * @throws {@link ArithmeticOverflow} where the twin's checked arithmetic reverts.
 */
export function accrueTranches(
  book: TrancheBook,
  value: bigint,
  provision: bigint,
  lastProvision: bigint,
  params: TrancheParams,
): { book: TrancheBook; moved: TrancheAccrual } {
  for (const [name, amount] of Object.entries({ ...book, value, provision, lastProvision })) requireUint(amount, 256, name);
  const next: TrancheBook = { ...book };
  const moved: TrancheAccrual = {
    premium: 0n,
    seniorPremium: 0n,
    juniorLoss: 0n,
    seniorLoss: 0n,
    juniorReleased: 0n,
    seniorReleased: 0n,
  };
  if (provision < lastProvision) {
    const fall = lastProvision - provision;
    moved.seniorReleased = min(fall, next.seniorProvision);
    moved.juniorReleased = min(fall - moved.seniorReleased, next.juniorProvision);
    next.seniorProvision -= moved.seniorReleased;
    next.juniorProvision -= moved.juniorReleased;
    next.senior = add(next.senior, moved.seniorReleased, "senior + seniorReleased");
    next.junior = add(next.junior, moved.juniorReleased, "junior + juniorReleased");
  }
  const held = add(next.junior, next.senior, "junior + senior");
  if (value > held) {
    moved.premium = value - held;
    moved.seniorPremium = seniorPremiumDown(moved.premium, next.junior, next.senior, params);
    next.senior += moved.seniorPremium;
    next.junior += moved.premium - moved.seniorPremium;
  } else if (held > value) {
    const loss = held - value;
    moved.juniorLoss = min(loss, next.junior);
    moved.seniorLoss = loss - moved.juniorLoss;
    next.junior -= moved.juniorLoss;
    next.senior -= moved.seniorLoss;
    const provisioned = min(loss, provision > lastProvision ? provision - lastProvision : 0n);
    const juniorProvisioned = min(provisioned, moved.juniorLoss);
    next.juniorProvision = add(next.juniorProvision, juniorProvisioned, "juniorProvision + provisioned");
    next.seniorProvision = add(next.seniorProvision, provisioned - juniorProvisioned, "seniorProvision + provisioned");
  }
  return { book: next, moved };
}

/**
 * The senior's part of `premium`, rounded down (`TrancheMath.seniorPremiumDown`): premium is earned pro rata to
 * capital; the senior keeps `seniorPremiumShareWad` of what its protected capital earns (at most
 * `junior × (1 − r) / r`) and cedes the rest to the junior.
 *
 * @param premium - The premium to split.
 * @param junior - The junior's value.
 * @param senior - The senior's value.
 * @param params - The split and the minimum junior ratio.
 * @returns The senior's part, rounded down; the junior takes the rest.
 * @throws {@link DivisionByZero} if the minimum junior ratio is zero.
 */
export function seniorPremiumDown(premium: bigint, junior: bigint, senior: bigint, params: TrancheParams): bigint {
  const total = add(junior, senior, "junior + senior");
  if (total === 0n) return 0n;
  const protectedSenior = min(senior, protectedSeniorUp(junior, params.minJuniorRatioWad));
  const ceded = mulDivUp(protectedSenior, WAD - params.seniorPremiumShareWad, WAD);
  return mulDivDown(premium, senior - ceded, total);
}

/**
 * Senior capital `junior` can protect at the minimum junior ratio, `junior × (1 − r) / r` rounded up
 * (`TrancheMath.protectedSeniorUp`).
 *
 * @param junior - The junior's value.
 * @param minJuniorRatioWad - r, WAD.
 * @returns The protected senior capital, rounded up.
 */
export function protectedSeniorUp(junior: bigint, minJuniorRatioWad: bigint): bigint {
  return mulDivUp(junior, WAD - minJuniorRatioWad, minJuniorRatioWad);
}

/**
 * Whether the junior is at least `minJuniorRatioWad` of the two (always with no senior), `TrancheMath.juniorRatioMet`.
 *
 * @param junior - The junior's value.
 * @param senior - The senior's value.
 * @param minJuniorRatioWad - r, WAD.
 * @returns Whether the ratio holds.
 */
export function juniorRatioMet(junior: bigint, senior: bigint, minJuniorRatioWad: bigint): boolean {
  return senior === 0n || junior >= mulDivUp(add(junior, senior, "junior + senior"), minJuniorRatioWad, WAD);
}

/**
 * Junior value that may leave with the ratio still held, rounded down (`TrancheMath.maxJuniorExitDown`).
 *
 * @param junior - The junior's value.
 * @param senior - The senior's value.
 * @param minJuniorRatioWad - r, WAD.
 * @returns The junior above `senior × r / (1 − r)`.
 */
export function maxJuniorExitDown(junior: bigint, senior: bigint, minJuniorRatioWad: bigint): bigint {
  if (senior === 0n) return junior;
  const required = mulDivUp(senior, minJuniorRatioWad, WAD - minJuniorRatioWad);
  return junior > required ? junior - required : 0n;
}

/**
 * Senior credit that may enter with the ratio still held, rounded down (`TrancheMath.maxSeniorEntryDown`), when each
 * unit adds only `bidPerEntryWad` at `navBid` (the junior bears the rest), less `2 / r + 1` units for the floors of a
 * real entry.
 *
 * @param junior - The junior's value.
 * @param senior - The senior's value.
 * @param bidPerEntryWad - `navBid / entry price`, WAD.
 * @param minJuniorRatioWad - r, WAD.
 * @returns The largest senior credit, rounded down.
 */
export function maxSeniorEntryDown(junior: bigint, senior: bigint, bidPerEntryWad: bigint, minJuniorRatioWad: bigint): bigint {
  const room = checkedUint(junior * (WAD - minJuniorRatioWad), 256, "junior * (WAD - r)");
  const needed = checkedUint(senior * minJuniorRatioWad, 256, "senior * r");
  if (room <= needed) return 0n;
  const absorbed = mulDivUp(WAD - min(bidPerEntryWad, WAD), WAD - minJuniorRatioWad, WAD);
  const exact = (room - needed) / (absorbed + minJuniorRatioWad);
  const margin = (2n * WAD + minJuniorRatioWad - 1n) / minJuniorRatioWad + 1n;
  return exact > margin ? exact - margin : 0n;
}

/**
 * SDK only (no Solidity twin): the loss buffer, junior value per unit of senior value, WAD, rounded down; `null` with
 * no senior (nothing to protect).
 *
 * @param junior - The junior's value.
 * @param senior - The senior's value.
 * @returns `junior × 1e18 / senior`, or `null`.
 */
export function lossBufferWad(junior: bigint, senior: bigint): bigint | null {
  return senior === 0n ? null : mulDivDown(junior, WAD, senior);
}

/**
 * SDK only: the smallest vault-wide loss (a reserve or payout on the vault) at which the senior starts losing: the
 * layer bears `layerShares / (vaultSupply + 1e6)` of a loss to `navBid` (SharesMath's virtual shares), so the junior
 * is used up by a vault loss of `junior × (vaultSupply + 1e6) / layerShares`, rounded up. `null` when the layer holds
 * no shares.
 *
 * @param junior - The junior's value.
 * @param layerShares - Vault shares the tranche manager holds.
 * @param vaultSupply - The vault's share supply.
 * @returns The vault loss beyond which the senior loses, or `null`.
 */
export function seniorLossThreshold(junior: bigint, layerShares: bigint, vaultSupply: bigint): bigint | null {
  requireUint(vaultSupply, 256, "vaultSupply");
  if (layerShares === 0n) return null;
  return mulDivUp(junior, vaultSupply + VIRTUAL_SHARES, layerShares);
}

/**
 * SDK only: each tranche's yearly premium income from the premium the vault streams now, and the APR on its value
 * (WAD, rounded down; `null` for an empty tranche). The layer earns its share of the vault's streamed premium
 * (`layerShares × (premiumPerSecond) / (vaultSupply + 1e6)`), split as {@link seniorPremiumDown} splits it.
 *
 * @param vaultPremiumPerYear - Premium the vault streams over a year at the current rate.
 * @param layerShares - Vault shares the tranche manager holds.
 * @param vaultSupply - The vault's share supply.
 * @param book - The tranches' values.
 * @param params - The split and the minimum junior ratio.
 * @returns Yearly premium and APR per tranche.
 */
export function tranchePremiumRates(
  vaultPremiumPerYear: bigint,
  layerShares: bigint,
  vaultSupply: bigint,
  book: Pick<TrancheBook, "junior" | "senior">,
  params: TrancheParams,
): { juniorPerYear: bigint; seniorPerYear: bigint; juniorAprWad: bigint | null; seniorAprWad: bigint | null } {
  const layerPerYear = mulDivDown(vaultPremiumPerYear, layerShares, vaultSupply + VIRTUAL_SHARES);
  const seniorPerYear = seniorPremiumDown(layerPerYear, book.junior, book.senior, params);
  const juniorPerYear = layerPerYear - seniorPerYear;
  return {
    juniorPerYear,
    seniorPerYear,
    juniorAprWad: book.junior === 0n ? null : mulDivDown(juniorPerYear, WAD, book.junior),
    seniorAprWad: book.senior === 0n ? null : mulDivDown(seniorPerYear, WAD, book.senior),
  };
}
