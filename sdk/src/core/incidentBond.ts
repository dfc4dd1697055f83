// Solidity twin: the bond and the reserves of `IncidentLogic.report` (`ClaimAdjudicator.reportIncident`).

import { mulDivUp } from "./mathLib.js";
import { WAD } from "./premiumMath.js";

/** One backing vault of the product, as the lens's `market` reads it. */
export type BondedVault = { asset: string; exposure: bigint };

/**
 * The most an incident report on the product can bond now: `max(incidentBond, bondWad × reserved in the bond asset)`,
 * rounded up, with each vault's reserve taken at its upper bound `payoutWad × exposure` (the contract caps it at the
 * vault's `navBid`, so the bond it pulls is at most this). What a reporter approves so the report cannot fail on it.
 */
export function incidentBondUpperBound(
  incidentBond: bigint,
  bondWad: bigint,
  bondAsset: string,
  payoutWad: bigint,
  vaults: readonly BondedVault[],
): bigint {
  let reserved = 0n;
  for (const vault of vaults) {
    if (vault.asset.toLowerCase() === bondAsset.toLowerCase()) reserved += mulDivUp(vault.exposure, payoutWad, WAD);
  }
  const scaled = mulDivUp(reserved, bondWad, WAD);
  return scaled > incidentBond ? scaled : incidentBond;
}
