import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";

import { buyCover, DAY, deposit, loadParapet, networkHelpers, time, usd } from "./helpers.js";

// Shared by ClaimAdjudicator.claims.test.ts and the attack files in attacks/ that moved claim tests out of it.


export const LIVENESS = 3n * DAY;
export const ARBITRATION_TIMEOUT = 14n * DAY;
export const VOTING_PERIOD = 7n * DAY;
export const CLAIM_GRACE_PERIOD = 30n * DAY;
export const COVERAGE_LAG = DAY;
export const COOLDOWN = 14n * DAY;
export const WAD = 10n ** 18n;
export const MIN_BOND = usd(100);
export const BOND_WAD = 5n * 10n ** 16n;
export const BURN_WAD = 5n * 10n ** 17n;
export const VIRTUAL_SHARES = 10n ** 6n;
export const VIRTUAL_ASSETS = 1n;
export const COVER = usd(100_000);
export const EVIDENCE = "ipfs://parapet/evidence/lendora-exploit";

/** `AssertionState` as the contracts number it. */
export const State = { None: 0n, Pending: 1n, Disputed: 2n, Approved: 3n, Rejected: 4n, Drawn: 5n } as const;

export const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;
/** `max(minBond, amount * bondWad)`, rounded up, as `bondFor` computes it. */
export const bondOf = (amount: bigint) => {
  const proportional = ceilDiv(amount * BOND_WAD, WAD);
  return proportional > MIN_BOND ? proportional : MIN_BOND;
};
/** The burned share of a lost bond, rounded up. */
export const burnOf = (bond: bigint) => ceilDiv(bond * BURN_WAD, WAD);

/**
 * One million deposited in the conservative vault, and a 100k, 30-day lending policy bought by the first buyer; the
 * clock stands two days after the purchase, so an incident one day in (the end of the coverage lag) can be claimed.
 */
export async function withCover() {
  const d = await loadParapet();
  const vault = d.vaults.conservative;
  const [underwriter] = d.accounts.underwriters;
  const [buyer, buyer2, buyer3] = d.accounts.buyers;
  await deposit(vault, underwriter, usd(1_000_000));
  const { policyId } = await buyCover(d, buyer, { vault, productId: d.productIds.lending, amount: COVER });
  const policy = await d.coverManager.getPolicy(policyId);
  await time.increaseTo(policy.start + 2n * DAY);
  return {
    ...d,
    adj: d.claimAdjudicator,
    arbiter: d.committeeArbiter,
    vault,
    underwriter,
    buyer,
    buyer2,
    buyer3,
    watcher: d.accounts.watcher,
    outsider: d.accounts.outsider,
    policyId,
    policy,
    incidentTime: policy.start + COVERAGE_LAG + 1n,
  };
}

export type Setup = Awaited<ReturnType<typeof withCover>>;

/** Files a claim and returns its id (the contract's latest) with the stored claim. */
export async function fileClaim(
  s: Setup,
  filer: HardhatEthersSigner,
  amount: bigint,
  policyId: bigint = s.policyId,
  incidentTime: bigint = s.incidentTime,
) {
  await (await s.adj.connect(filer).fileClaim(policyId, amount, incidentTime, EVIDENCE)).wait();
  const claimId = await s.adj.claimCount();
  return { claimId, claim: await s.adj.getClaim(claimId) };
}

/** Disputes a claim and returns the arbiter's case id. */
export async function dispute(s: Setup, disputer: HardhatEthersSigner, claimId: bigint): Promise<bigint> {
  await (await s.adj.connect(disputer).disputeClaim(claimId)).wait();
  return (await s.adj.getClaim(claimId)).caseId;
}

/** The first two committee members (the quorum) vote the same way; the outsider delivers the ruling. */
export async function rule(s: Setup, caseId: bigint, approve: boolean) {
  for (const member of s.committee.slice(0, 2)) {
    await (await s.arbiter.connect(member).castVote(caseId, approve)).wait();
  }
  await (await s.arbiter.connect(s.outsider).resolve(caseId)).wait();
}

/** Runs `body` with its first block at `timestamp`, then rewinds the chain to where it was. */
export async function at(timestamp: bigint, body: () => Promise<void>) {
  const snapshot = await networkHelpers.takeSnapshot();
  try {
    await time.setNextBlockTimestamp(timestamp);
    await body();
  } finally {
    await snapshot.restore();
  }
}

/** A second lending policy for `buyer`, bought now; the clock then moves two days on. */
export async function secondPolicy(s: Setup, buyer: HardhatEthersSigner, amount = COVER) {
  const { policyId } = await buyCover(s, buyer, { vault: s.vault, productId: s.productIds.lending, amount });
  const policy = await s.coverManager.getPolicy(policyId);
  await time.increaseTo(policy.start + 2n * DAY);
  return { policyId, policy, incidentTime: policy.start + COVERAGE_LAG + 1n };
}

/** What the vault reads at the current block. */
export async function vaultState(s: Setup) {
  return {
    navAsk: await s.vault.navAsk(),
    navBid: await s.vault.navBid(),
    pendingReserve: await s.vault.pendingReserve(),
    managedAssets: await s.vault.managedAssets(),
  };
}

/** Two underwriters with 100k each in the conservative vault, and a 20k lending policy. */
export async function withTwoUnderwriters() {
  const d = await loadParapet();
  const vault = d.vaults.conservative;
  const [alice, bob, carol] = d.accounts.underwriters;
  const [buyer] = d.accounts.buyers;
  await deposit(vault, alice, usd(100_000));
  await deposit(vault, bob, usd(100_000));
  const { policyId } = await buyCover(d, buyer, { vault, productId: d.productIds.lending, amount: usd(20_000) });
  const policy = await d.coverManager.getPolicy(policyId);
  return { ...d, adj: d.claimAdjudicator, vault, alice, bob, carol, buyer, policyId, policy };
}
