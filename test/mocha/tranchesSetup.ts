import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";

import { toAssetsDown } from "../../sdk/src/core/sharesMath.js";
import type { TrancheToken, UnderwriterVault } from "../../types/ethers-contracts/index.js";
import { asCoverManager, loadParapet, usd } from "./helpers.js";

// Tranche fixtures shared by the TrancheManager test files and the tranche attack file.

/** The tranches' defaults (TrancheManager's DEFAULT_* constants). */
export const PARAMS = { seniorPremiumShareWad: 6n * 10n ** 17n, minJuniorRatioWad: 2n * 10n ** 17n };

/** Deposits `assets` into the vault and all the shares it mints into `tranche`; returns the tranche shares. */
export async function enterTranche(
  vault: UnderwriterVault,
  tranche: TrancheToken,
  underwriter: HardhatEthersSigner,
  assets: bigint,
): Promise<bigint> {
  const before = await vault.balanceOf(underwriter.address);
  await (await vault.connect(underwriter).deposit(assets, underwriter.address)).wait();
  const vaultShares = (await vault.balanceOf(underwriter.address)) - before;
  const trancheBefore = await tranche.balanceOf(underwriter.address);
  await (await tranche.connect(underwriter).deposit(vaultShares, underwriter.address)).wait();
  return (await tranche.balanceOf(underwriter.address)) - trancheBefore;
}

/**
 * The high-yield vault held only by its tranches: 300k junior (alice), 700k senior (bob); a stand-in claims module
 * (named the registry's claims module) to raise and release reserves directly, and the CoverManager (the only caller of `payClaim`) to pay
 * them.
 */
export async function withTranches() {
  const d = await loadParapet();
  const vault = d.vaults.highYield;
  const { manager, junior, senior } = d.tranches.highYield;
  const [alice, bob, carol] = d.accounts.underwriters;
  const claims = d.accounts.buyers[3];
  await (await d.productRegistry.setClaimsModule(claims.address)).wait();
  const juniorShares = await enterTranche(vault, junior, alice, usd(300_000));
  const seniorShares = await enterTranche(vault, senior, bob, usd(700_000));
  const lending = d.productIds.lending;
  const asClaims = vault.connect(claims);
  const payer = vault.connect(await asCoverManager(d.coverManager));

  /** Raises a pending reserve of `amount` on the lending product. */
  const reserve = async (amount: bigint) => (await asClaims.reserveUpTo(lending, amount)).wait();
  /** Releases `amount` of the lending product's reserve (a rejected claim). */
  const release = async (amount: bigint) => (await asClaims.decreasePendingReserve(lending, amount)).wait();
  /** Pays `amount` to the claims stand-in, releasing the same reserve (an approved claim). */
  const pay = async (amount: bigint) => (await payer.payClaim(lending, 0n, claims.address, amount, amount)).wait();

  /** The layer's value at `navBid` were the vault's bid `nav` (the manager's own formula). */
  const layerValueAt = async (navBid: bigint) =>
    toAssetsDown(await manager.vaultShares(), navBid, await vault.totalSupply());

  /** The smallest reserve that takes exactly `loss` off the layer's value (a unit of reserve moves it by 0 or 1). */
  const reserveForLayerLoss = async (loss: bigint) => {
    const navBid = await vault.navBid();
    const value = await layerValueAt(navBid);
    for (let amount = loss; amount < loss + 10n; amount++) {
      const drop = value - (await layerValueAt(navBid - amount));
      if (drop === loss) return amount;
      if (drop > loss) break;
    }
    throw new Error(`no reserve takes exactly ${loss} off the layer`);
  };

  return {
    ...d,
    vault,
    manager,
    junior,
    senior,
    alice,
    bob,
    carol,
    claims,
    juniorShares,
    seniorShares,
    reserve,
    release,
    pay,
    reserveForLayerLoss,
  };
}
