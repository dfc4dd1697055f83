import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { parseUnits, toBeHex, type ContractTransactionReceipt } from "ethers";

import type { ParapetDeployment } from "../../deploy/fixture.js";
import { SEED_BONDS, SEED_DEPEG_TRIGGER } from "../../deploy/seed.js";
import type { UnderwriterVault } from "../../types/ethers-contracts/index.js";
import { buyCover, coverParams, DAY, deposit, loadParapet, time, usd } from "./helpers.js";

// Shared by ClaimAdjudicator.incidents.test.ts and the attack files in attacks/ that moved incident tests out of it.


export const WAD = 10n ** 18n;
export const HOUR = 3_600n;
/** `AssertionState` in IClaimAdjudicator.sol. */
export const State = { None: 0n, Pending: 1n, Disputed: 2n, Approved: 3n, Rejected: 4n, Drawn: 5n } as const;
/** `TriggerBlock` in IPriceFeedTrigger.sol. */
export const Block = {
  None: 0n,
  AlreadyFired: 1n,
  SequencerDown: 2n,
  SequencerGracePeriod: 3n,
  NonPositiveAnswer: 4n,
  StaleAnswer: 5n,
  AboveThreshold: 6n,
} as const;

/** The adjudicator's defaults as deployed (see ClaimAdjudicator.sol and deploy/seed.ts). */
export const BOND = SEED_BONDS.incidentBond;
export const LIVENESS = 3n * DAY;
export const CLAIM_WINDOW = 30n * DAY;
export const ARBITRATION_TIMEOUT = 14n * DAY;
/** `burnWad` is 50%: the loser's bond burned to the treasury, rounded up. */
export const BURNED = BOND / 2n;
export const COVERAGE_LAG = DAY;
export const INCIDENT_EVIDENCE = "ipfs://parapet/incidents/lendora-exploit";
/** A USD price on the depeg product's 8-decimal feed. */
export const usdPrice = (price: string) => parseUnits(price, SEED_DEPEG_TRIGGER.feedDecimals);

/** The dispute key of an incident: its id with the top byte flagged. */
export const incidentKey = (incidentId: bigint) => toBeHex(incidentId | (1n << 248n), 32);
export const mulDivDown = (a: bigint, b: bigint, c: bigint) => (a * b) / c;
export const mulDivUp = (a: bigint, b: bigint, c: bigint) => (a * b + c - 1n) / c;
export const now = async () => BigInt(await time.latest());

/** The seed deployment with 1M tUSD in the conservative vault and 500k in the high-yield one. */
export async function funded(): Promise<ParapetDeployment> {
  const d = await loadParapet();
  const [alice, bob] = d.accounts.underwriters;
  await deposit(d.vaults.conservative, alice, usd(1_000_000));
  await deposit(d.vaults.highYield, bob, usd(500_000));
  return d;
}

/** Buys cover and returns only the policy id. */
export async function buy(
  d: ParapetDeployment,
  buyer: HardhatEthersSigner,
  vault: UnderwriterVault,
  productId: bigint,
  amount: bigint,
  period = 60n * DAY,
): Promise<bigint> {
  return (await buyCover(d, buyer, { vault, productId, amount, period })).policyId;
}

/** Reports an incident; returns its id and the receipt (where the backing vaults reserved). */
export async function reportWithReceipt(
  d: ParapetDeployment,
  reporter: HardhatEthersSigner,
  productId: bigint,
  incidentTime: bigint,
  payoutWad: bigint,
): Promise<{ incidentId: bigint; receipt: ContractTransactionReceipt }> {
  const adjudicator = d.claimAdjudicator.connect(reporter);
  const incidentId = await adjudicator.reportIncident.staticCall(productId, incidentTime, payoutWad, INCIDENT_EVIDENCE);
  const receipt = (await (await adjudicator.reportIncident(productId, incidentTime, payoutWad, INCIDENT_EVIDENCE)).wait())!;
  return { incidentId, receipt };
}

/** Reports an incident and returns its id. */
export async function report(
  d: ParapetDeployment,
  reporter: HardhatEthersSigner,
  productId: bigint,
  incidentTime: bigint,
  payoutWad: bigint,
): Promise<bigint> {
  return (await reportWithReceipt(d, reporter, productId, incidentTime, payoutWad)).incidentId;
}

/** Settles `incidentId` at its expiration (undisputed: approved). */
export async function settleAtExpiration(d: ParapetDeployment, incidentId: bigint): Promise<ContractTransactionReceipt> {
  const { expiration } = await d.claimAdjudicator.getIncident(incidentId);
  await time.setNextBlockTimestamp(expiration);
  return (await (await d.claimAdjudicator.settleIncident(incidentId)).wait())!;
}

/** The `IncidentReserved` events of a receipt (a report's, or a parametric confirmation's), by vault address. */
export function reservedIn(d: ParapetDeployment, receipt: ContractTransactionReceipt) {
  const out = new Map<string, { needed: bigint; reserved: bigint }>();
  for (const log of receipt.logs) {
    const parsed = d.claimAdjudicator.interface.parseLog(log);
    if (parsed?.name !== "IncidentReserved") continue;
    out.set(parsed.args.vault as string, { needed: parsed.args.needed as bigint, reserved: parsed.args.reserved as bigint });
  }
  return out;
}

/** Claims the incident payout of `policyId` from `caller` and returns what it paid. */
export async function claimPayout(
  d: ParapetDeployment,
  caller: HardhatEthersSigner,
  policyId: bigint,
  incidentId: bigint,
): Promise<bigint> {
  const adjudicator = d.claimAdjudicator.connect(caller);
  const payout = await adjudicator.claimIncidentPayout.staticCall(policyId, incidentId);
  await (await adjudicator.claimIncidentPayout(policyId, incidentId)).wait();
  return payout;
}

/**
 * Lending cover: `p1` (conservative, 100k) and `p2` (high-yield, 40k) are covered; `short` (7 days) ended before
 * the incident, `recent` was bought within the coverage lag before it, `onDex` is on another product. The
 * incident (80% payout) is confirmed; a purchase while it was pending reverted IncidentPending.
 */
export async function confirmedIncident() {
  const d = await funded();
  const { lending, dex } = d.productIds;
  const { conservative, highYield } = d.vaults;
  const [alice, bob, carol, dave] = d.accounts.buyers;
  const p1 = await buy(d, alice, conservative, lending, usd(100_000));
  const p2 = await buy(d, bob, highYield, lending, usd(40_000));
  const short = await buy(d, carol, conservative, lending, usd(10_000), 7n * DAY);
  const onDex = await buy(d, dave, conservative, dex, usd(20_000));
  await time.increase(8n * DAY);
  const recent = await buy(d, carol, conservative, lending, usd(30_000));
  await time.increase(2n * HOUR);
  const incidentTime = (await now()) - HOUR;
  const payoutWad = parseUnits("0.8", 18);
  const { incidentId, receipt: reportReceipt } = await reportWithReceipt(
    d,
    d.accounts.watcher,
    lending,
    incidentTime,
    payoutWad,
  );

  const late = await coverParams(dave, { vault: conservative, productId: lending, amount: usd(5_000) });
  await expect(d.coverManager.connect(dave).buyCover(late))
    .to.be.revertedWithCustomError(d.coverManager, "IncidentPending")
    .withArgs(lending);
  // Not paid before it is confirmed: no claim window yet.
  await expect(d.claimAdjudicator.claimIncidentPayout(p1, incidentId))
    .to.be.revertedWithCustomError(d.claimAdjudicator, "IncidentClaimWindow")
    .withArgs(incidentId, 0n);

  const receipt = await settleAtExpiration(d, incidentId);
  return { d, p1, p2, short, onDex, recent, incidentTime, payoutWad, incidentId, receipt, reportReceipt };
}
