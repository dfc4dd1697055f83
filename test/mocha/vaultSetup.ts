import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";

import type { UnderwriterVault } from "../../types/ethers-contracts/index.js";
import { buyCover, DAY, deposit, loadParapet, time, usd, WEEK } from "./helpers.js";

// Vault fixtures shared by the UnderwriterVault/CoverManager test files and the attack files in attacks/.

/** The vaults' default redemption cooldown. */
export const COOLDOWN = 14n * DAY;

export const RATE_SCALE = 10n ** 18n;

/** Unearned premium of one stream, exactly as the vault computes it (rate rounded down, total rounded up). */
export function unearnedOf(premium: bigint, start: bigint, streamEnd: bigint, now: bigint): bigint {
  if (now >= streamEnd) return 0n;
  const scaled = premium * RATE_SCALE;
  const rate = scaled / (streamEnd - start);
  const remainder = scaled - rate * (streamEnd - start);
  const numerator = rate * (streamEnd - now) + remainder;
  return (numerator + RATE_SCALE - 1n) / RATE_SCALE;
}

/** 1M in the high-yield vault, then 300k of lending cover for `period`: the premium streams from `start` to `streamEnd`. */
export async function withStreamingCover(period: bigint) {
  const d = await loadParapet();
  const vault = d.vaults.highYield;
  const [alice] = d.accounts.underwriters;
  const [buyer] = d.accounts.buyers;
  await deposit(vault, alice, usd(1_000_000));
  const { receipt } = await buyCover(d, buyer, { vault, productId: d.productIds.lending, amount: usd(300_000), period });
  const start = BigInt((await receipt.getBlock()).timestamp);
  const premium = (await vault.managedAssets()) - usd(1_000_000);
  const streamEnd = ((start + period + WEEK - 1n) / WEEK) * WEEK;
  return { ...d, vault, alice, premium, start, streamEnd };
}

/** 100k deposited in the conservative vault by the first underwriter. */
export async function withDeposit() {
  const d = await loadParapet();
  const vault = d.vaults.conservative;
  const [alice, bob] = d.accounts.underwriters;
  await deposit(vault, alice, usd(100_000));
  return { ...d, vault, alice, bob, shares: await vault.balanceOf(alice.address) };
}

/** 1M in the conservative vault and 500k in the high-yield one. */
export async function fundedVaults() {
  const deployment = await loadParapet();
  const [alice, bob] = deployment.accounts.underwriters;
  await deposit(deployment.vaults.conservative, alice, usd(1_000_000));
  await deposit(deployment.vaults.highYield, bob, usd(500_000));
  return deployment;
}

/**
 * Redeems `controller`'s whole ripe request, as much as the circuit breaker lets leave per window (an exit is never
 * paid in part, so a large one takes several windows). Returns the assets received.
 */
export async function redeemInWindows(vault: UnderwriterVault, controller: HardhatEthersSigner): Promise<bigint> {
  let received = 0n;
  for (;;) {
    const left = (await vault.redeemRequest(controller.address)).shares;
    if (left === 0n) return received;
    if ((await vault.claimableRedeemRequest(0n, controller.address)) === 0n) {
      throw new Error(`request of ${controller.address} is not redeemable (${left} shares left)`);
    }
    const shares = await vault.maxRedeem(controller.address);
    if (shares !== 0n) {
      const assets = await vault.connect(controller).redeem.staticCall(shares, controller.address, controller.address);
      await (await vault.connect(controller).redeem(shares, controller.address, controller.address)).wait();
      received += assets;
    }
    // The breaker's lookback is the window plus one bucket: past it, the window is whole again.
    await time.increase((await vault.outflowWindow()) + (await vault.outflowWindow()) / 3n + 1n);
  }
}
