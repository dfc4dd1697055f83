import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { parseUnits, toBeHex, type ContractTransactionReceipt } from "ethers";

import type { ParapetDeployment } from "../../deploy/fixture.js";
import { SEED_BONDS, SEED_DEPEG_TRIGGER } from "../../deploy/seed.js";
import type { UnderwriterVault } from "../../types/ethers-contracts/index.js";
import { buyCover, coverParams, DAY, deposit, ethers, loadParapet, networkHelpers, time, usd } from "./helpers.js";

const WAD = 10n ** 18n;
const HOUR = 3_600n;
/** `AssertionState` in IClaimAdjudicator.sol. */
const State = { None: 0n, Pending: 1n, Disputed: 2n, Approved: 3n, Rejected: 4n, Drawn: 5n } as const;
/** `TriggerBlock` in IPriceFeedTrigger.sol. */
const Block = {
  None: 0n,
  AlreadyFired: 1n,
  SequencerDown: 2n,
  SequencerGracePeriod: 3n,
  NonPositiveAnswer: 4n,
  StaleAnswer: 5n,
  AboveThreshold: 6n,
} as const;

/** The adjudicator's defaults as deployed (see ClaimAdjudicator.sol and deploy/seed.ts). */
const BOND = SEED_BONDS.incidentBond;
const LIVENESS = 3n * DAY;
const CLAIM_WINDOW = 30n * DAY;
const ARBITRATION_TIMEOUT = 14n * DAY;
/** `burnWad` is 50%: the loser's bond burned to the treasury, rounded up. */
const BURNED = BOND / 2n;
const COVERAGE_LAG = DAY;
const EVIDENCE = "ipfs://parapet/incidents/lendora-exploit";
/** A USD price on the depeg product's 8-decimal feed. */
const usdPrice = (price: string) => parseUnits(price, SEED_DEPEG_TRIGGER.feedDecimals);

/** The dispute key of an incident: its id with the top byte flagged. */
const incidentKey = (incidentId: bigint) => toBeHex(incidentId | (1n << 248n), 32);
const mulDivDown = (a: bigint, b: bigint, c: bigint) => (a * b) / c;
const mulDivUp = (a: bigint, b: bigint, c: bigint) => (a * b + c - 1n) / c;
const now = async () => BigInt(await time.latest());

/** The seed deployment with 1M tUSD in the conservative vault and 500k in the high-yield one. */
async function funded(): Promise<ParapetDeployment> {
  const d = await loadParapet();
  const [alice, bob] = d.accounts.underwriters;
  await deposit(d.vaults.conservative, alice, usd(1_000_000));
  await deposit(d.vaults.highYield, bob, usd(500_000));
  return d;
}

/** Buys cover and returns only the policy id. */
async function buy(
  d: ParapetDeployment,
  buyer: HardhatEthersSigner,
  vault: UnderwriterVault,
  productId: bigint,
  amount: bigint,
  period = 60n * DAY,
): Promise<bigint> {
  return (await buyCover(d, buyer, { vault, productId, amount, period })).policyId;
}

/** Reports an incident and returns its id. */
async function report(
  d: ParapetDeployment,
  reporter: HardhatEthersSigner,
  productId: bigint,
  incidentTime: bigint,
  payoutWad: bigint,
): Promise<bigint> {
  const adjudicator = d.claimAdjudicator.connect(reporter);
  const incidentId = await adjudicator.reportIncident.staticCall(productId, incidentTime, payoutWad, EVIDENCE);
  await (await adjudicator.reportIncident(productId, incidentTime, payoutWad, EVIDENCE)).wait();
  return incidentId;
}

/** Settles `incidentId` at its expiration (undisputed: approved). */
async function settleAtExpiration(d: ParapetDeployment, incidentId: bigint): Promise<ContractTransactionReceipt> {
  const { expiration } = await d.claimAdjudicator.getIncident(incidentId);
  await time.setNextBlockTimestamp(expiration);
  return (await (await d.claimAdjudicator.settleIncident(incidentId)).wait())!;
}

/** The `IncidentReserved` events of a receipt, by vault address. */
function reservedIn(d: ParapetDeployment, receipt: ContractTransactionReceipt) {
  const out = new Map<string, { needed: bigint; reserved: bigint; haircutWad: bigint }>();
  for (const log of receipt.logs) {
    const parsed = d.claimAdjudicator.interface.parseLog(log);
    if (parsed?.name !== "IncidentReserved") continue;
    out.set(parsed.args.vault as string, {
      needed: parsed.args.needed as bigint,
      reserved: parsed.args.reserved as bigint,
      haircutWad: parsed.args.haircutWad as bigint,
    });
  }
  return out;
}

/** Claims the incident payout of `policyId` from `caller` and returns what it paid. */
async function claimPayout(
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

describe("ClaimAdjudicator incidents", () => {
  describe("reportIncident and settleIncident", () => {
    it("pulls the bond, stops sales on that product only, and on settlement reserves payoutWad × exposure in each backing vault and returns the bond", async () => {
      const d = await funded();
      const { claimAdjudicator: adjudicator, coverManager, productRegistry, asset, vaults } = d;
      const { lending, dex, depeg } = d.productIds;
      const { watcher, outsider } = d.accounts;
      const [alice, bob, carol] = d.accounts.buyers;
      await buy(d, alice, vaults.conservative, lending, usd(100_000));
      await buy(d, bob, vaults.highYield, lending, usd(40_000));
      await time.increase(2n * DAY);

      const incidentTime = (await now()) - HOUR;
      // A third: reserves must round up.
      const payoutWad = WAD / 3n;
      const tx = adjudicator.connect(watcher).reportIncident(lending, incidentTime, payoutWad, EVIDENCE);
      await expect(tx).to.changeTokenBalances(ethers, asset, [watcher, adjudicator], [-BOND, BOND]);
      const reportedAt = await now();
      const expiration = reportedAt + LIVENESS;
      await expect(tx)
        .to.emit(adjudicator, "IncidentReported")
        .withArgs(1n, lending, watcher.address, incidentTime, payoutWad, BOND, expiration, EVIDENCE)
        .and.to.emit(productRegistry, "OpenIncidentsChanged")
        .withArgs(lending, 1n);
      expect(await adjudicator.incidentCount()).to.equal(1n);
      expect((await productRegistry.getProduct(lending)).openIncidents).to.equal(1n);
      const pending = await adjudicator.getIncident(1n);
      expect(pending.productId).to.equal(lending);
      expect(pending.incidentTime).to.equal(incidentTime);
      expect(pending.expiration).to.equal(expiration);
      expect(pending.confirmedAt).to.equal(0n);
      expect(pending.state).to.equal(State.Pending);
      expect(pending.payoutWad).to.equal(payoutWad);
      expect(pending.reporter).to.equal(watcher.address);
      expect(pending.bond).to.equal(BOND);

      // No cover is sold or quoted on the product, through either vault, while the report is open.
      for (const vault of [vaults.conservative, vaults.highYield]) {
        const params = await coverParams(carol, { vault, productId: lending, amount: usd(1_000) });
        await expect(coverManager.connect(carol).buyCover(params))
          .to.be.revertedWithCustomError(coverManager, "IncidentPending")
          .withArgs(lending);
      }
      await expect(coverManager.quotePremium(lending, vaults.conservative, usd(1_000), 30n * DAY))
        .to.be.revertedWithCustomError(coverManager, "IncidentPending")
        .withArgs(lending);
      // Other products still sell.
      await buy(d, carol, vaults.conservative, dex, usd(1_000));
      await buy(d, carol, vaults.highYield, depeg, usd(1_000));

      await time.setNextBlockTimestamp(expiration - 1n);
      await expect(adjudicator.settleIncident(1n))
        .to.be.revertedWithCustomError(adjudicator, "LivenessNotExpired")
        .withArgs(incidentKey(1n), expiration);

      const exposure = {
        conservative: await vaults.conservative.exposureOf(lending),
        highYield: await vaults.highYield.exposureOf(lending),
      };
      expect(exposure).to.deep.equal({ conservative: usd(100_000), highYield: usd(40_000) });
      const needed = {
        conservative: mulDivUp(exposure.conservative, payoutWad, WAD),
        highYield: mulDivUp(exposure.highYield, payoutWad, WAD),
      };
      // 100,000 / 3 and 40,000 / 3 tUSD, rounded up to the next 1e-6.
      expect(needed).to.deep.equal({ conservative: 33_333_333_334n, highYield: 13_333_333_334n });
      const pendingBefore = {
        conservative: await vaults.conservative.pendingReserve(),
        highYield: await vaults.highYield.pendingReserve(),
      };

      await time.setNextBlockTimestamp(expiration);
      const settle = adjudicator.connect(outsider).settleIncident(1n);
      await expect(settle).to.changeTokenBalances(ethers, asset, [watcher, adjudicator, outsider], [BOND, -BOND, 0n]);
      await expect(settle)
        .to.emit(adjudicator, "IncidentSettled")
        .withArgs(1n, lending, State.Approved)
        .and.to.emit(adjudicator, "IncidentReserved")
        .withArgs(1n, await vaults.conservative.getAddress(), needed.conservative, needed.conservative, WAD)
        .and.to.emit(adjudicator, "IncidentReserved")
        .withArgs(1n, await vaults.highYield.getAddress(), needed.highYield, needed.highYield, WAD)
        .and.to.emit(adjudicator, "BondsSettled")
        .withArgs(incidentKey(1n), BOND, 0n, 0n)
        .and.to.emit(productRegistry, "OpenIncidentsChanged")
        .withArgs(lending, 0n)
        .and.to.emit(vaults.conservative, "PendingReserveIncreased")
        .withArgs(needed.conservative, pendingBefore.conservative + needed.conservative)
        .and.to.emit(vaults.highYield, "PendingReserveIncreased")
        .withArgs(needed.highYield, pendingBefore.highYield + needed.highYield);

      expect(await vaults.conservative.pendingReserve()).to.equal(pendingBefore.conservative + needed.conservative);
      expect(await vaults.highYield.pendingReserve()).to.equal(pendingBefore.highYield + needed.highYield);
      for (const [vault, amount] of [
        [vaults.conservative, needed.conservative],
        [vaults.highYield, needed.highYield],
      ] as const) {
        const reserve = await adjudicator.incidentReserve(1n, vault);
        expect([reserve.reserved, reserve.paid, reserve.haircutWad, reserve.released]).to.deep.equal([
          amount,
          0n,
          WAD,
          false,
        ]);
      }
      expect(await adjudicator.incidentVaults(1n)).to.deep.equal([
        await vaults.conservative.getAddress(),
        await vaults.highYield.getAddress(),
      ]);
      const settled = await adjudicator.getIncident(1n);
      expect(settled.state).to.equal(State.Approved);
      expect(settled.confirmedAt).to.equal(expiration);
      expect((await productRegistry.getProduct(lending)).openIncidents).to.equal(0n);

      // Sales resume.
      await buy(d, carol, vaults.conservative, lending, usd(1_000));
      // Settled for good.
      await expect(adjudicator.settleIncident(1n))
        .to.be.revertedWithCustomError(adjudicator, "InvalidAssertionState")
        .withArgs(incidentKey(1n), State.Approved);
      await expect(adjudicator.connect(watcher).disputeIncident(1n))
        .to.be.revertedWithCustomError(adjudicator, "InvalidAssertionState")
        .withArgs(incidentKey(1n), State.Approved);
    });

    it("records a zero reserve with haircut 1e18 for a backing vault without exposure", async () => {
      const d = await funded();
      const { claimAdjudicator: adjudicator, vaults } = d;
      const { dex } = d.productIds;
      await buy(d, d.accounts.buyers[0], vaults.highYield, dex, usd(25_000));
      await time.increase(2n * DAY);
      const incidentId = await report(d, d.accounts.watcher, dex, (await now()) - HOUR, WAD);
      const { expiration } = await adjudicator.getIncident(incidentId);
      await time.setNextBlockTimestamp(expiration);
      const settle = adjudicator.settleIncident(incidentId);
      await expect(settle)
        .to.emit(adjudicator, "IncidentReserved")
        .withArgs(incidentId, await vaults.conservative.getAddress(), 0n, 0n, WAD)
        .and.to.emit(adjudicator, "IncidentReserved")
        .withArgs(incidentId, await vaults.highYield.getAddress(), usd(25_000), usd(25_000), WAD)
        .and.not.to.emit(vaults.conservative, "PendingReserveIncreased");
      expect(await vaults.conservative.pendingReserve()).to.equal(0n);
      expect(await vaults.highYield.pendingReserve()).to.equal(usd(25_000));
    });

    it("counts concurrent reports on one product and resumes sales only once all are settled", async () => {
      const d = await funded();
      const { coverManager, productRegistry } = d;
      const { lending } = d.productIds;
      const [alice, bob] = d.accounts.buyers;
      await buy(d, alice, d.vaults.conservative, lending, usd(10_000));
      await time.increase(2n * DAY);
      const first = await report(d, d.accounts.watcher, lending, (await now()) - 2n * HOUR, WAD / 2n);
      const second = await report(d, bob, lending, (await now()) - HOUR, WAD);
      expect((await productRegistry.getProduct(lending)).openIncidents).to.equal(2n);

      await settleAtExpiration(d, first);
      expect((await productRegistry.getProduct(lending)).openIncidents).to.equal(1n);
      const params = await coverParams(alice, { vault: d.vaults.conservative, productId: lending, amount: usd(1_000) });
      await expect(coverManager.connect(alice).buyCover(params))
        .to.be.revertedWithCustomError(coverManager, "IncidentPending")
        .withArgs(lending);

      await settleAtExpiration(d, second);
      expect((await productRegistry.getProduct(lending)).openIncidents).to.equal(0n);
      await buy(d, alice, d.vaults.conservative, lending, usd(1_000));
    });
  });

  describe("claimIncidentPayout", () => {
    /**
     * Lending cover: `p1` (conservative, 100k) and `p2` (high-yield, 40k) are covered; `short` (7 days) ended before
     * the incident, `recent` was bought within the coverage lag before it, `onDex` is on another product. The
     * incident (80% payout) is confirmed; a purchase while it was pending reverted IncidentPending.
     */
    async function confirmedIncident() {
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
      const incidentId = await report(d, d.accounts.watcher, lending, incidentTime, payoutWad);

      const late = await coverParams(dave, { vault: conservative, productId: lending, amount: usd(5_000) });
      await expect(d.coverManager.connect(dave).buyCover(late))
        .to.be.revertedWithCustomError(d.coverManager, "IncidentPending")
        .withArgs(lending);
      // Not paid before it is confirmed.
      await expect(d.claimAdjudicator.claimIncidentPayout(p1, incidentId))
        .to.be.revertedWithCustomError(d.claimAdjudicator, "IncidentClaimWindow")
        .withArgs(incidentId, CLAIM_WINDOW);

      const receipt = await settleAtExpiration(d, incidentId);
      return { d, p1, p2, short, onDex, recent, incidentTime, payoutWad, incidentId, receipt };
    }

    it("pays remaining × payoutWad to the policy's current owner whoever calls, once", async () => {
      const { d, p1, p2, payoutWad, incidentId, receipt } = await confirmedIncident();
      const { claimAdjudicator: adjudicator, coverManager, asset } = d;
      const { conservative, highYield } = d.vaults;
      const { lending } = d.productIds;
      const [alice, bob, , dave] = d.accounts.buyers;
      const { outsider } = d.accounts;

      // Conservative exposure: p1 + short + recent, all still locked.
      const reserves = reservedIn(d, receipt);
      expect(reserves.get(await conservative.getAddress())).to.deep.equal({
        needed: usd(112_000),
        reserved: usd(112_000),
        haircutWad: WAD,
      });
      expect(reserves.get(await highYield.getAddress())).to.deep.equal({
        needed: usd(32_000),
        reserved: usd(32_000),
        haircutWad: WAD,
      });

      // The NFT changed hands after the incident: the payout follows it.
      await (await coverManager.connect(alice).transferFrom(alice.address, dave.address, p1)).wait();
      const expected = mulDivDown(usd(100_000), payoutWad, WAD);
      expect(expected).to.equal(usd(80_000));
      expect(await adjudicator.connect(outsider).claimIncidentPayout.staticCall(p1, incidentId)).to.equal(expected);
      const pendingBefore = await conservative.pendingReserve();
      const exposureBefore = await conservative.exposureOf(lending);

      const tx = adjudicator.connect(outsider).claimIncidentPayout(p1, incidentId);
      await expect(tx).to.changeTokenBalances(
        ethers,
        asset,
        [dave, alice, outsider, conservative, adjudicator],
        [expected, 0n, 0n, -expected, 0n],
      );
      await expect(tx)
        .to.emit(adjudicator, "IncidentPayoutClaimed")
        .withArgs(incidentId, p1, dave.address, expected)
        .and.to.emit(coverManager, "PolicyClaimed")
        .withArgs(p1, expected, expected)
        .and.to.emit(conservative, "ClaimPaid")
        .withArgs(lending, dave.address, expected);

      const policy = await coverManager.getPolicy(p1);
      expect(policy.claimed).to.equal(expected);
      expect(policy.claimed <= policy.amount).to.equal(true);
      expect(await adjudicator.incidentPaid(incidentId, p1)).to.equal(true);
      expect((await adjudicator.incidentReserve(incidentId, conservative)).paid).to.equal(expected);
      expect(await conservative.pendingReserve()).to.equal(pendingBefore - expected);
      // The paid cover no longer locks capital.
      expect(await conservative.exposureOf(lending)).to.equal(exposureBefore - expected);

      // Once per policy, whoever asks.
      for (const caller of [dave, outsider, alice]) {
        await expect(adjudicator.connect(caller).claimIncidentPayout(p1, incidentId))
          .to.be.revertedWithCustomError(adjudicator, "IncidentAlreadyPaid")
          .withArgs(incidentId, p1);
      }

      // The owner may claim too.
      const tx2 = adjudicator.connect(bob).claimIncidentPayout(p2, incidentId);
      await expect(tx2).to.changeTokenBalances(ethers, asset, [bob, highYield], [usd(32_000), -usd(32_000)]);
      await expect(tx2).to.emit(adjudicator, "IncidentPayoutClaimed").withArgs(incidentId, p2, bob.address, usd(32_000));
      expect((await coverManager.getPolicy(p2)).claimed).to.equal(usd(32_000));
      expect((await adjudicator.incidentReserve(incidentId, highYield)).paid).to.equal(usd(32_000));
    });

    it("refuses policies the incident falls outside of, policies on other products, and cover bought after it", async () => {
      const { d, short, recent, onDex, incidentTime, incidentId } = await confirmedIncident();
      const { claimAdjudicator: adjudicator, coverManager } = d;
      const { lending } = d.productIds;
      const dave = d.accounts.buyers[3];

      for (const policyId of [short, recent]) {
        const policy = await coverManager.getPolicy(policyId);
        await expect(adjudicator.claimIncidentPayout(policyId, incidentId))
          .to.be.revertedWithCustomError(adjudicator, "IncidentOutsideCover")
          .withArgs(policyId, incidentTime, policy.start + COVERAGE_LAG, policy.end);
      }
      // `short` ended before the incident; `recent` started less than the coverage lag before it.
      expect((await coverManager.getPolicy(short)).end < incidentTime).to.equal(true);
      expect((await coverManager.getPolicy(recent)).start + COVERAGE_LAG > incidentTime).to.equal(true);

      await expect(adjudicator.claimIncidentPayout(onDex, incidentId))
        .to.be.revertedWithCustomError(adjudicator, "PolicyNotOnProduct")
        .withArgs(onDex, lending);
      await expect(adjudicator.claimIncidentPayout(99n, incidentId))
        .to.be.revertedWithCustomError(coverManager, "UnknownPolicy")
        .withArgs(99n);
      await expect(adjudicator.claimIncidentPayout(short, 99n))
        .to.be.revertedWithCustomError(adjudicator, "IncidentClaimWindow")
        .withArgs(99n, CLAIM_WINDOW);

      // Sales resumed after settlement, but cover bought now starts after the incident.
      const after = await buy(d, dave, d.vaults.conservative, lending, usd(5_000));
      const policy = await coverManager.getPolicy(after);
      await expect(adjudicator.claimIncidentPayout(after, incidentId))
        .to.be.revertedWithCustomError(adjudicator, "IncidentOutsideCover")
        .withArgs(after, incidentTime, policy.start + COVERAGE_LAG, policy.end);
      for (const policyId of [short, recent, onDex, after]) {
        expect(await adjudicator.incidentPaid(incidentId, policyId)).to.equal(false);
        expect((await coverManager.getPolicy(policyId)).claimed).to.equal(0n);
      }
    });

    it("settles payouts while the adjudicator, both vaults and the CoverManager are paused, queued for release", async () => {
      const { d, p1, p2, incidentId } = await confirmedIncident();
      const { claimAdjudicator: adjudicator, coverManager, asset } = d;
      const { conservative, highYield } = d.vaults;
      const { guardian, outsider, watcher } = d.accounts;
      const [alice, bob] = d.accounts.buyers;
      for (const pausable of [adjudicator, coverManager, conservative, highYield]) {
        await (await pausable.connect(guardian).pause()).wait();
      }
      expect(await adjudicator.paused()).to.equal(true);
      expect(await coverManager.paused()).to.equal(true);
      expect(await conservative.paused()).to.equal(true);
      expect(await highYield.paused()).to.equal(true);

      // Paused vaults queue the payouts instead of paying them; the guardian's release pays them in order.
      const aliceClaim = adjudicator.connect(outsider).claimIncidentPayout(p1, incidentId);
      await expect(aliceClaim).to.emit(adjudicator, "IncidentPayoutClaimed");
      await expect(aliceClaim).to.changeTokenBalance(ethers, asset, alice, 0n);
      const bobClaim = adjudicator.connect(bob).claimIncidentPayout(p2, incidentId);
      await expect(bobClaim).to.changeTokenBalance(ethers, asset, bob, 0n);
      expect((await conservative.queuedOutflowAssets()) + (await highYield.queuedOutflowAssets())).to.equal(
        usd(80_000) + usd(32_000),
      );
      const [aliceBefore, bobBefore] = [await asset.balanceOf(alice.address), await asset.balanceOf(bob.address)];
      for (const vault of [conservative, highYield]) await (await vault.connect(guardian).releaseOutflowQueue(10n)).wait();
      expect(await asset.balanceOf(alice.address)).to.equal(aliceBefore + usd(80_000));
      expect(await asset.balanceOf(bob.address)).to.equal(bobBefore + usd(32_000));
      expect((await conservative.queuedOutflowAssets()) + (await highYield.queuedOutflowAssets())).to.equal(0n);
      // New reports do stop.
      await expect(
        adjudicator.connect(watcher).reportIncident(d.productIds.dex, (await now()) - HOUR, WAD, EVIDENCE),
      ).to.be.revertedWithCustomError(adjudicator, "EnforcedPause");
    });

    it("never pays beyond the policy amount across incidents and an approved claim", async () => {
      const d = await funded();
      const { claimAdjudicator: adjudicator, coverManager, asset } = d;
      const { lending } = d.productIds;
      const vault = d.vaults.conservative;
      const [alice] = d.accounts.buyers;
      const { watcher } = d.accounts;
      const amount = usd(100_000);
      const policyId = await buy(d, alice, vault, lending, amount);
      await time.increase(2n * DAY);

      // Alice files a claim for the whole cover while two incident reports (60% and 100%) go through.
      const claimId = await adjudicator.connect(alice).fileClaim.staticCall(policyId, amount, (await now()) - 3n * HOUR, "");
      await (await adjudicator.connect(alice).fileClaim(policyId, amount, (await now()) - 3n * HOUR, "")).wait();
      const sixty = await report(d, watcher, lending, (await now()) - 2n * HOUR, parseUnits("0.6", 18));
      const full = await report(d, watcher, lending, (await now()) - HOUR, WAD);
      await settleAtExpiration(d, sixty);
      await settleAtExpiration(d, full);

      expect(await claimPayout(d, alice, policyId, sixty)).to.equal(usd(60_000));
      // The 100% incident pays what is left, not the whole amount.
      expect(await claimPayout(d, alice, policyId, full)).to.equal(usd(40_000));
      let policy = await coverManager.getPolicy(policyId);
      expect(policy.claimed).to.equal(amount);

      // A third incident finds nothing left.
      const third = await report(d, watcher, lending, (await now()) - HOUR, WAD / 2n);
      await settleAtExpiration(d, third);
      await expect(adjudicator.claimIncidentPayout(policyId, third))
        .to.be.revertedWithCustomError(adjudicator, "NothingToPay")
        .withArgs(third, policyId);

      // The approved claim pays nothing more either, and its whole reserve is released.
      const { expiration } = await adjudicator.getClaim(claimId);
      expect(expiration <= BigInt(await time.latest())).to.equal(true);
      const pendingBefore = await vault.pendingReserve();
      const settle = adjudicator.settleClaim(claimId);
      await expect(settle).to.emit(adjudicator, "ClaimSettled").withArgs(claimId, policyId, State.Approved, alice.address, 0n);
      await expect(settle).to.changeTokenBalance(ethers, asset, vault, 0n);
      expect(await vault.pendingReserve()).to.equal(pendingBefore - amount);
      policy = await coverManager.getPolicy(policyId);
      expect(policy.claimed).to.equal(policy.amount);
    });

    it("caps an approved claim at what an incident payout left of the cover", async () => {
      const d = await funded();
      const { claimAdjudicator: adjudicator, coverManager } = d;
      const { lending } = d.productIds;
      const [alice] = d.accounts.buyers;
      const amount = usd(100_000);
      const policyId = await buy(d, alice, d.vaults.conservative, lending, amount);
      await time.increase(2n * DAY);
      const claimId = await adjudicator.connect(alice).fileClaim.staticCall(policyId, amount, (await now()) - HOUR, "");
      await (await adjudicator.connect(alice).fileClaim(policyId, amount, (await now()) - HOUR, "")).wait();
      const incidentId = await report(d, d.accounts.watcher, lending, (await now()) - HOUR, parseUnits("0.6", 18));
      await settleAtExpiration(d, incidentId);
      expect(await claimPayout(d, alice, policyId, incidentId)).to.equal(usd(60_000));

      await expect(adjudicator.settleClaim(claimId))
        .to.emit(adjudicator, "ClaimSettled")
        .withArgs(claimId, policyId, State.Approved, alice.address, usd(40_000));
      const policy = await coverManager.getPolicy(policyId);
      expect(policy.claimed).to.equal(amount);
    });
  });

  describe("pro-rata haircut", () => {
    it("reserves what a short vault has and pays each of its policies remaining × payoutWad × haircut", async () => {
      const d = await loadParapet();
      const { claimAdjudicator: adjudicator, coverManager, asset } = d;
      const { lending, dex } = d.productIds;
      const { conservative, highYield } = d.vaults;
      const [alice, bob, carol, dave] = d.accounts.buyers;
      const { watcher } = d.accounts;
      await deposit(conservative, d.accounts.underwriters[0], usd(1_000_000));
      await deposit(highYield, d.accounts.underwriters[1], usd(100_000));

      // The high-yield vault sells 85k of lending cover and 80k of dex cover on 100k of capital (90% capacity each).
      const p1 = await buy(d, alice, highYield, lending, usd(50_000));
      const p2 = await buy(d, bob, highYield, lending, usd(35_000));
      const p3 = await buy(d, carol, conservative, lending, usd(10_000));
      const onDex = await buy(d, dave, highYield, dex, usd(80_000));
      await time.increase(2n * DAY);

      // Both products are hit in full; the dex incident is settled first and takes 80k of the vault.
      const dexIncident = await report(d, watcher, dex, (await now()) - 2n * HOUR, WAD);
      const lendingIncident = await report(d, watcher, lending, (await now()) - HOUR, WAD);
      const dexReceipt = await settleAtExpiration(d, dexIncident);
      const highYieldAddress = await highYield.getAddress();
      expect(reservedIn(d, dexReceipt).get(highYieldAddress)).to.deep.equal({
        needed: usd(80_000),
        reserved: usd(80_000),
        haircutWad: WAD,
      });
      const navBidBefore = await highYield.navBid();
      expect(navBidBefore < usd(85_000)).to.equal(true);

      const receipt = await settleAtExpiration(d, lendingIncident);
      const short = reservedIn(d, receipt).get(highYieldAddress)!;
      expect(short.needed).to.equal(usd(85_000));
      expect(short.reserved > 0n && short.reserved < short.needed).to.equal(true);
      // It reserved everything it had: nothing is left to bid on.
      expect(await highYield.navBid()).to.equal(0n);
      expect(short.haircutWad).to.equal(mulDivDown(short.reserved, WAD, short.needed));
      expect(await highYield.pendingReserve()).to.equal(usd(80_000) + short.reserved);
      const reserve = await adjudicator.incidentReserve(lendingIncident, highYield);
      expect([reserve.reserved, reserve.paid, reserve.haircutWad]).to.deep.equal([short.reserved, 0n, short.haircutWad]);
      // The other vault is fully covered.
      expect(reservedIn(d, receipt).get(await conservative.getAddress())).to.deep.equal({
        needed: usd(10_000),
        reserved: usd(10_000),
        haircutWad: WAD,
      });

      const expected1 = mulDivDown(usd(50_000), short.haircutWad, WAD);
      const expected2 = mulDivDown(usd(35_000), short.haircutWad, WAD);
      await expect(adjudicator.claimIncidentPayout(p1, lendingIncident))
        .to.emit(adjudicator, "IncidentPayoutClaimed")
        .withArgs(lendingIncident, p1, alice.address, expected1);
      const tx2 = adjudicator.claimIncidentPayout(p2, lendingIncident);
      await expect(tx2).to.changeTokenBalances(ethers, asset, [bob, highYield], [expected2, -expected2]);
      await expect(tx2).to.emit(adjudicator, "IncidentPayoutClaimed").withArgs(lendingIncident, p2, bob.address, expected2);
      expect(await claimPayout(d, carol, p3, lendingIncident)).to.equal(usd(10_000));

      const paid = (await adjudicator.incidentReserve(lendingIncident, highYield)).paid;
      expect(paid).to.equal(expected1 + expected2);
      expect(paid <= short.reserved).to.equal(true);
      expect((await coverManager.getPolicy(p1)).claimed).to.equal(expected1);
      expect((await coverManager.getPolicy(p2)).claimed).to.equal(expected2);
      // A haircut payout is final for this incident.
      await expect(adjudicator.claimIncidentPayout(p1, lendingIncident))
        .to.be.revertedWithCustomError(adjudicator, "IncidentAlreadyPaid")
        .withArgs(lendingIncident, p1);
      // The dex policy was reserved for in full before.
      expect(await claimPayout(d, dave, onDex, dexIncident)).to.equal(usd(80_000));
    });

    // The report files for every policy: a policy whose capital was still locked when the incident was reported is
    // reserved for and paid in full, however long settlement takes; one whose lock had ended is refused.
    it("reserves for policies locked at the report even if their lock expires before settlement, and pays them in full", async () => {
      const d = await funded();
      const { claimAdjudicator: adjudicator, coverManager, asset } = d;
      const { lending } = d.productIds;
      const vault = d.vaults.conservative;
      const [alice, bob] = d.accounts.buyers;
      const pA = await buy(d, alice, vault, lending, usd(50_000), 7n * DAY);
      const pB = await buy(d, bob, vault, lending, usd(100_000), 120n * DAY);
      const aliceEnd = (await coverManager.getPolicy(pA)).end;

      // Alice's lock (end + 30 days of grace, rounded up to the grid) is still on at the report...
      await time.increaseTo(aliceEnd + 20n * DAY);
      const incidentId = await report(d, d.accounts.watcher, lending, aliceEnd - HOUR, WAD);
      // ...and long gone at settlement, which is permissionless and has no deadline.
      await time.increaseTo(aliceEnd + 45n * DAY);
      expect(await vault.exposureOf(lending)).to.equal(usd(100_000));
      const receipt = await (await adjudicator.settleIncident(incidentId)).wait();
      const reserve = reservedIn(d, receipt!).get(await vault.getAddress())!;
      expect(reserve.reserved).to.equal(usd(150_000));
      expect(reserve.haircutWad).to.equal(WAD);

      await expect(adjudicator.claimIncidentPayout(pA, incidentId)).to.changeTokenBalance(ethers, asset, alice, usd(50_000));
      await expect(adjudicator.claimIncidentPayout(pB, incidentId)).to.changeTokenBalance(ethers, asset, bob, usd(100_000));
    });

    it("refuses a policy whose lock ended before the report (ClaimWindowClosed), and reserves nothing for it", async () => {
      const d = await funded();
      const { claimAdjudicator: adjudicator, coverManager, asset } = d;
      const { lending } = d.productIds;
      const vault = d.vaults.conservative;
      const [alice, bob] = d.accounts.buyers;
      const pA = await buy(d, alice, vault, lending, usd(50_000), 7n * DAY);
      const pB = await buy(d, bob, vault, lending, usd(100_000), 120n * DAY);
      const aliceEnd = (await coverManager.getPolicy(pA)).end;

      // 40 days after her end, past end + 30 days rounded up to the 7-day grid.
      await time.increaseTo(aliceEnd + 40n * DAY);
      const incidentId = await report(d, d.accounts.watcher, lending, aliceEnd - HOUR, WAD);
      await settleAtExpiration(d, incidentId);
      expect((await adjudicator.incidentReserve(incidentId, vault)).reserved).to.equal(usd(100_000));

      await expect(adjudicator.claimIncidentPayout(pA, incidentId))
        .to.be.revertedWithCustomError(adjudicator, "ClaimWindowClosed")
        .withArgs(pA, aliceEnd + 30n * DAY);
      await expect(adjudicator.claimIncidentPayout(pB, incidentId)).to.changeTokenBalance(ethers, asset, bob, usd(100_000));
    });
  });

  describe("incident claim window", () => {
    it("pays until confirmedAt + 30 days, then releases each vault's unclaimed reserve once", async () => {
      const d = await funded();
      const { claimAdjudicator: adjudicator } = d;
      const { lending } = d.productIds;
      const { conservative, highYield } = d.vaults;
      const [alice, bob, carol, dave] = d.accounts.buyers;
      const p1 = await buy(d, alice, conservative, lending, usd(100_000));
      const p2 = await buy(d, bob, highYield, lending, usd(40_000));
      const p3 = await buy(d, carol, conservative, lending, usd(20_000));
      await buy(d, dave, highYield, lending, usd(10_000));
      await time.increase(2n * DAY);
      const incidentId = await report(d, d.accounts.watcher, lending, (await now()) - HOUR, WAD / 2n);
      // Undecided: nothing to release.
      await expect(adjudicator.releaseIncidentReserve(incidentId))
        .to.be.revertedWithCustomError(adjudicator, "IncidentClaimWindow")
        .withArgs(incidentId, CLAIM_WINDOW);
      await settleAtExpiration(d, incidentId);
      const { confirmedAt } = await adjudicator.getIncident(incidentId);
      const windowEnd = confirmedAt + CLAIM_WINDOW;
      // Reserved: half of 120k and of 50k.
      expect((await adjudicator.incidentReserve(incidentId, conservative)).reserved).to.equal(usd(60_000));
      expect((await adjudicator.incidentReserve(incidentId, highYield)).reserved).to.equal(usd(25_000));

      expect(await claimPayout(d, alice, p1, incidentId)).to.equal(usd(50_000));
      await expect(adjudicator.releaseIncidentReserve(incidentId))
        .to.be.revertedWithCustomError(adjudicator, "IncidentClaimWindow")
        .withArgs(incidentId, windowEnd);

      // The last second of the window still pays and still refuses a release.
      await time.setNextBlockTimestamp(windowEnd);
      await expect(adjudicator.releaseIncidentReserve(incidentId))
        .to.be.revertedWithCustomError(adjudicator, "IncidentClaimWindow")
        .withArgs(incidentId, windowEnd);
      await time.setNextBlockTimestamp(windowEnd);
      await expect(adjudicator.connect(bob).claimIncidentPayout(p2, incidentId))
        .to.emit(adjudicator, "IncidentPayoutClaimed")
        .withArgs(incidentId, p2, bob.address, usd(20_000));
      expect(await now()).to.equal(windowEnd);

      // Then it is closed to payouts.
      await expect(adjudicator.connect(carol).claimIncidentPayout(p3, incidentId))
        .to.be.revertedWithCustomError(adjudicator, "IncidentClaimWindow")
        .withArgs(incidentId, windowEnd);

      const pendingBefore = { conservative: await conservative.pendingReserve(), highYield: await highYield.pendingReserve() };
      expect(pendingBefore).to.deep.equal({ conservative: usd(10_000), highYield: usd(5_000) });
      const release = adjudicator.connect(d.accounts.outsider).releaseIncidentReserve(incidentId);
      await expect(release)
        .to.emit(adjudicator, "IncidentReserveReleased")
        .withArgs(incidentId, await conservative.getAddress(), usd(10_000))
        .and.to.emit(adjudicator, "IncidentReserveReleased")
        .withArgs(incidentId, await highYield.getAddress(), usd(5_000))
        .and.to.emit(conservative, "PendingReserveDecreased")
        .withArgs(usd(10_000), 0n)
        .and.to.emit(highYield, "PendingReserveDecreased")
        .withArgs(usd(5_000), 0n);
      expect(await conservative.pendingReserve()).to.equal(0n);
      expect(await highYield.pendingReserve()).to.equal(0n);
      for (const vault of [conservative, highYield]) {
        expect((await adjudicator.incidentReserve(incidentId, vault)).released).to.equal(true);
      }

      // A second release changes nothing.
      await expect(adjudicator.releaseIncidentReserve(incidentId)).to.not.emit(adjudicator, "IncidentReserveReleased");
      await expect(adjudicator.releaseIncidentReserve(incidentId)).to.not.emit(conservative, "PendingReserveDecreased");
      expect(await conservative.pendingReserve()).to.equal(0n);
      expect(await highYield.pendingReserve()).to.equal(0n);
    });

    it("releases while everything is paused", async () => {
      const d = await funded();
      const { claimAdjudicator: adjudicator } = d;
      const { conservative } = d.vaults;
      await buy(d, d.accounts.buyers[0], conservative, d.productIds.lending, usd(10_000));
      await time.increase(2n * DAY);
      const incidentId = await report(d, d.accounts.watcher, d.productIds.lending, (await now()) - HOUR, WAD);
      await settleAtExpiration(d, incidentId);
      const { confirmedAt } = await adjudicator.getIncident(incidentId);
      for (const pausable of [adjudicator, d.coverManager, conservative, d.vaults.highYield]) {
        await (await pausable.connect(d.accounts.guardian).pause()).wait();
      }
      await time.increaseTo(confirmedAt + CLAIM_WINDOW + 1n);
      await expect(adjudicator.releaseIncidentReserve(incidentId))
        .to.emit(adjudicator, "IncidentReserveReleased")
        .withArgs(incidentId, await conservative.getAddress(), usd(10_000));
      expect(await conservative.pendingReserve()).to.equal(0n);
    });
  });

  describe("disputed incidents", () => {
    /** Alice reports a lending incident (100%) on cover she holds; the watcher disputes it. */
    async function disputed() {
      const d = await funded();
      const { claimAdjudicator: adjudicator, committeeArbiter, asset } = d;
      const { lending } = d.productIds;
      const [alice] = d.accounts.buyers;
      const { watcher } = d.accounts;
      const policyId = await buy(d, alice, d.vaults.conservative, lending, usd(50_000));
      await time.increase(2n * DAY);
      const incidentId = await report(d, alice, lending, (await now()) - HOUR, WAD);
      const key = incidentKey(incidentId);

      const tx = adjudicator.connect(watcher).disputeIncident(incidentId);
      await expect(tx).to.changeTokenBalances(ethers, asset, [watcher, adjudicator], [-BOND, BOND]);
      const disputedAt = await now();
      const votingDeadline = disputedAt + 7n * DAY;
      await expect(tx)
        .to.emit(adjudicator, "IncidentDisputed")
        .withArgs(incidentId, lending, watcher.address, 1n)
        .and.to.emit(committeeArbiter, "CaseOpened")
        .withArgs(1n, key, alice.address, watcher.address, votingDeadline);
      const incident = await adjudicator.getIncident(incidentId);
      expect(incident.state).to.equal(State.Disputed);
      expect(incident.disputer).to.equal(watcher.address);
      expect(incident.disputedAt).to.equal(disputedAt);
      expect(incident.arbiter).to.equal(await committeeArbiter.getAddress());
      expect(incident.caseId).to.equal(1n);
      return { d, policyId, incidentId, key, disputedAt };
    }

    it("rejected by the committee: no reserve, sales resume, the disputer takes both bonds minus the burn", async () => {
      const { d, policyId, incidentId, key, disputedAt } = await disputed();
      const { claimAdjudicator: adjudicator, committeeArbiter, coverManager, productRegistry, asset, treasury } = d;
      const { lending } = d.productIds;
      const [alice, bob] = d.accounts.buyers;
      const { watcher } = d.accounts;

      await expect(adjudicator.connect(bob).disputeIncident(incidentId))
        .to.be.revertedWithCustomError(adjudicator, "InvalidAssertionState")
        .withArgs(key, State.Disputed);
      // Sales stay halted while the committee decides, even past the liveness.
      await time.increase(LIVENESS + 1n);
      const params = await coverParams(bob, { vault: d.vaults.conservative, productId: lending, amount: usd(1_000) });
      await expect(coverManager.connect(bob).buyCover(params))
        .to.be.revertedWithCustomError(coverManager, "IncidentPending")
        .withArgs(lending);
      await expect(adjudicator.settleIncident(incidentId))
        .to.be.revertedWithCustomError(adjudicator, "AwaitingRuling")
        .withArgs(key, disputedAt + ARBITRATION_TIMEOUT);

      const [m1, m2] = d.committee;
      await (await committeeArbiter.connect(m1).castVote(1n, false)).wait();
      await (await committeeArbiter.connect(m2).castVote(1n, false)).wait();
      await expect(committeeArbiter.resolve(1n))
        .to.emit(adjudicator, "RulingReceived")
        .withArgs(key, await committeeArbiter.getAddress(), 1n, false);
      expect((await adjudicator.getIncident(incidentId)).ruling).to.equal(2n);

      const pendingBefore = await d.vaults.conservative.pendingReserve();
      const settle = adjudicator.settleIncident(incidentId);
      await expect(settle).to.changeTokenBalances(
        ethers,
        asset,
        [alice, watcher, treasury, adjudicator],
        [0n, 2n * BOND - BURNED, BURNED, -2n * BOND],
      );
      await expect(settle)
        .to.emit(adjudicator, "IncidentSettled")
        .withArgs(incidentId, lending, State.Rejected)
        .and.to.emit(adjudicator, "BondsSettled")
        .withArgs(key, 0n, 2n * BOND - BURNED, BURNED)
        .and.to.emit(productRegistry, "OpenIncidentsChanged")
        .withArgs(lending, 0n)
        .and.not.to.emit(adjudicator, "IncidentReserved");
      expect(await d.vaults.conservative.pendingReserve()).to.equal(pendingBefore);
      expect(await adjudicator.incidentVaults(incidentId)).to.deep.equal([]);
      const incident = await adjudicator.getIncident(incidentId);
      expect(incident.state).to.equal(State.Rejected);
      expect(incident.confirmedAt).to.equal(0n);
      await expect(adjudicator.claimIncidentPayout(policyId, incidentId))
        .to.be.revertedWithCustomError(adjudicator, "IncidentClaimWindow")
        .withArgs(incidentId, CLAIM_WINDOW);
      await expect(adjudicator.releaseIncidentReserve(incidentId))
        .to.be.revertedWithCustomError(adjudicator, "IncidentClaimWindow")
        .withArgs(incidentId, CLAIM_WINDOW);
      await expect(adjudicator.settleIncident(incidentId))
        .to.be.revertedWithCustomError(adjudicator, "InvalidAssertionState")
        .withArgs(key, State.Rejected);
      expect((await productRegistry.getProduct(lending)).openIncidents).to.equal(0n);
      await buy(d, bob, d.vaults.conservative, lending, usd(1_000));
    });

    it("upheld by the committee: reserves, and the reporter takes both bonds minus the burn", async () => {
      const { d, policyId, incidentId, key } = await disputed();
      const { claimAdjudicator: adjudicator, committeeArbiter, asset, treasury } = d;
      const [alice] = d.accounts.buyers;
      const { watcher } = d.accounts;
      const [, m2, m3] = d.committee;
      await (await committeeArbiter.connect(m2).castVote(1n, true)).wait();
      await (await committeeArbiter.connect(m3).castVote(1n, true)).wait();
      await (await committeeArbiter.resolve(1n)).wait();

      const settle = adjudicator.settleIncident(incidentId);
      await expect(settle).to.changeTokenBalances(
        ethers,
        asset,
        [alice, watcher, treasury, adjudicator],
        [2n * BOND - BURNED, 0n, BURNED, -2n * BOND],
      );
      await expect(settle)
        .to.emit(adjudicator, "IncidentSettled")
        .withArgs(incidentId, d.productIds.lending, State.Approved)
        .and.to.emit(adjudicator, "IncidentReserved")
        .withArgs(incidentId, await d.vaults.conservative.getAddress(), usd(50_000), usd(50_000), WAD)
        .and.to.emit(adjudicator, "BondsSettled")
        .withArgs(key, 2n * BOND - BURNED, 0n, BURNED);
      expect(await claimPayout(d, alice, policyId, incidentId)).to.equal(usd(50_000));
    });

    it("draws after the arbitration timeout without a ruling: both bonds are refunded and nothing is reserved", async () => {
      const { d, policyId, incidentId, key, disputedAt } = await disputed();
      const { claimAdjudicator: adjudicator, productRegistry, asset, treasury } = d;
      const { lending } = d.productIds;
      const [alice] = d.accounts.buyers;
      const { watcher } = d.accounts;
      const drawAt = disputedAt + ARBITRATION_TIMEOUT;

      await time.setNextBlockTimestamp(drawAt - 1n);
      await expect(adjudicator.settleIncident(incidentId))
        .to.be.revertedWithCustomError(adjudicator, "AwaitingRuling")
        .withArgs(key, drawAt);
      await time.setNextBlockTimestamp(drawAt);
      const settle = adjudicator.settleIncident(incidentId);
      await expect(settle).to.changeTokenBalances(
        ethers,
        asset,
        [alice, watcher, treasury, adjudicator],
        [BOND, BOND, 0n, -2n * BOND],
      );
      await expect(settle)
        .to.emit(adjudicator, "IncidentSettled")
        .withArgs(incidentId, lending, State.Drawn)
        .and.to.emit(adjudicator, "BondsSettled")
        .withArgs(key, BOND, BOND, 0n)
        .and.to.emit(productRegistry, "OpenIncidentsChanged")
        .withArgs(lending, 0n)
        .and.not.to.emit(adjudicator, "IncidentReserved");
      expect((await adjudicator.getIncident(incidentId)).state).to.equal(State.Drawn);
      expect(await d.vaults.conservative.pendingReserve()).to.equal(0n);
      await expect(adjudicator.claimIncidentPayout(policyId, incidentId))
        .to.be.revertedWithCustomError(adjudicator, "IncidentClaimWindow")
        .withArgs(incidentId, CLAIM_WINDOW);
      await buy(d, alice, d.vaults.conservative, lending, usd(1_000));
    });

    it("refuses disputes from the expiration on", async () => {
      const d = await funded();
      const { claimAdjudicator: adjudicator } = d;
      await buy(d, d.accounts.buyers[0], d.vaults.conservative, d.productIds.lending, usd(10_000));
      await time.increase(2n * DAY);
      const incidentId = await report(d, d.accounts.buyers[0], d.productIds.lending, (await now()) - HOUR, WAD);
      const { expiration } = await adjudicator.getIncident(incidentId);
      await time.setNextBlockTimestamp(expiration);
      await expect(adjudicator.connect(d.accounts.watcher).disputeIncident(incidentId))
        .to.be.revertedWithCustomError(adjudicator, "LivenessExpired")
        .withArgs(incidentKey(incidentId), expiration);
    });
  });

  describe("parametric depeg through the PriceFeedTrigger", () => {
    it("confirms at once when the feed reads below the threshold and pays eligible policies 100%", async () => {
      const d = await funded();
      const { claimAdjudicator: adjudicator, coverManager, productRegistry, priceFeed, priceFeedTrigger: trigger, asset } = d;
      const { depeg } = d.productIds;
      const { conservative, highYield } = d.vaults;
      const [alice, bob, carol] = d.accounts.buyers;
      const { outsider } = d.accounts;
      const p1 = await buy(d, alice, conservative, depeg, usd(100_000));
      const p2 = await buy(d, bob, highYield, depeg, usd(50_000));
      await time.increase(2n * DAY);
      // Covered from one hour before the feed observes the depeg + the coverage lag: after the observation.
      const p3 = await buy(d, carol, conservative, depeg, usd(20_000));
      await time.increase(HOUR);

      // The seed reading is two days old by now.
      const [, seedAnswer, , seedUpdatedAt] = await priceFeed.latestRoundData();
      expect([...(await trigger.status())]).to.deep.equal([Block.StaleAnswer, seedAnswer, seedUpdatedAt]);
      expect([...(await trigger.checkUpkeep("0x"))]).to.deep.equal([false, "0x"]);

      const answer = usdPrice("0.95");
      await (await priceFeed.updateAnswer(answer)).wait();
      const updatedAt = await now();
      const roundId = await priceFeed.latestRound();
      // The keeper comes late, though within the staleness limit, and after `p3`'s coverage lag has passed.
      await time.increaseTo(updatedAt + 23n * HOUR + 30n * 60n);
      expect([...(await trigger.status())]).to.deep.equal([Block.None, answer, updatedAt]);
      expect([...(await trigger.checkUpkeep("0x"))]).to.deep.equal([true, "0x"]);
      expect((await coverManager.getPolicy(p3)).start + COVERAGE_LAG < (await now()) + 1n).to.equal(true);

      const tx = trigger.connect(outsider).performUpkeep("0x");
      await expect(tx).to.changeTokenBalances(ethers, asset, [adjudicator, conservative, highYield], [0n, 0n, 0n]);
      const firedAt = await now();
      const triggerAddress = await trigger.getAddress();
      await expect(tx)
        .to.emit(trigger, "TriggerFired")
        .withArgs(depeg, 1n, roundId, answer, updatedAt)
        .and.to.emit(adjudicator, "IncidentReported")
        // The incident is dated at the feed's observation, not at the keeper's call.
        .withArgs(1n, depeg, triggerAddress, updatedAt, WAD, 0n, firedAt, "")
        .and.to.emit(adjudicator, "IncidentSettled")
        .withArgs(1n, depeg, State.Approved)
        .and.to.emit(adjudicator, "IncidentReserved")
        .withArgs(1n, await conservative.getAddress(), usd(120_000), usd(120_000), WAD)
        .and.to.emit(adjudicator, "IncidentReserved")
        .withArgs(1n, await highYield.getAddress(), usd(50_000), usd(50_000), WAD)
        .and.not.to.emit(productRegistry, "OpenIncidentsChanged");
      expect(await trigger.fired()).to.equal(true);
      expect(await trigger.incidentId()).to.equal(1n);
      const incident = await adjudicator.getIncident(1n);
      expect(incident.state).to.equal(State.Approved);
      expect(incident.incidentTime).to.equal(updatedAt);
      expect(incident.confirmedAt).to.equal(firedAt);
      expect(incident.reporter).to.equal(triggerAddress);
      expect(incident.bond).to.equal(0n);
      expect(incident.payoutWad).to.equal(WAD);
      expect(await conservative.pendingReserve()).to.equal(usd(120_000));
      expect(await highYield.pendingReserve()).to.equal(usd(50_000));

      await expect(adjudicator.connect(outsider).claimIncidentPayout(p1, 1n)).to.changeTokenBalances(
        ethers,
        asset,
        [alice, conservative],
        [usd(100_000), -usd(100_000)],
      );
      await expect(adjudicator.connect(bob).claimIncidentPayout(p2, 1n))
        .to.emit(adjudicator, "IncidentPayoutClaimed")
        .withArgs(1n, p2, bob.address, usd(50_000));
      for (const policyId of [p1, p2]) {
        const policy = await coverManager.getPolicy(policyId);
        expect(policy.claimed).to.equal(policy.amount);
        await expect(adjudicator.claimIncidentPayout(policyId, 1n))
          .to.be.revertedWithCustomError(adjudicator, "IncidentAlreadyPaid")
          .withArgs(1n, policyId);
      }
      const policy3 = await coverManager.getPolicy(p3);
      await expect(adjudicator.claimIncidentPayout(p3, 1n))
        .to.be.revertedWithCustomError(adjudicator, "IncidentOutsideCover")
        .withArgs(p3, updatedAt, policy3.start + COVERAGE_LAG, policy3.end);

      // One shot.
      expect([...(await trigger.status())]).to.deep.equal([Block.AlreadyFired, answer, updatedAt]);
      await expect(trigger.fire())
        .to.be.revertedWithCustomError(trigger, "TriggerBlocked")
        .withArgs(Block.AlreadyFired, answer, updatedAt);
      expect(await adjudicator.incidentCount()).to.equal(1n);
    });

    it("does not fire on a stale, non-positive or at-threshold reading", async () => {
      const d = await loadParapet();
      const { claimAdjudicator: adjudicator, priceFeed, priceFeedTrigger: trigger } = d;

      /** `fire` and `performUpkeep` revert TriggerBlocked(reason, answer, updatedAt) on the current reading. */
      async function expectBlocked(reason: bigint, answer: bigint, updatedAt: bigint) {
        expect([...(await trigger.status())]).to.deep.equal([reason, answer, updatedAt]);
        expect([...(await trigger.checkUpkeep("0x"))]).to.deep.equal([false, "0x"]);
        await expect(trigger.fire())
          .to.be.revertedWithCustomError(trigger, "TriggerBlocked")
          .withArgs(reason, answer, updatedAt);
        await expect(trigger.performUpkeep("0x"))
          .to.be.revertedWithCustomError(trigger, "TriggerBlocked")
          .withArgs(reason, answer, updatedAt);
      }
      async function setAnswer(answer: bigint): Promise<bigint> {
        await (await priceFeed.updateAnswer(answer)).wait();
        return now();
      }

      // Older than the 1-day staleness limit, however deep the depeg.
      const depegged = usdPrice("0.5");
      const staleAt = (await now()) - DAY - 1n;
      await (await priceFeed.updateRoundData(10n, depegged, staleAt, staleAt)).wait();
      await expectBlocked(Block.StaleAnswer, depegged, staleAt);
      // Exactly one day old still counts: the limit is inclusive.
      const snapshot = await networkHelpers.takeSnapshot();
      const freshAt = (await now()) + 10n;
      await (await priceFeed.updateRoundData(11n, depegged, freshAt - DAY, freshAt - DAY)).wait();
      await time.setNextBlockTimestamp(freshAt + 1n);
      await expect(trigger.fire())
        .to.be.revertedWithCustomError(trigger, "TriggerBlocked")
        .withArgs(Block.StaleAnswer, depegged, freshAt - DAY);
      await snapshot.restore();
      await (await priceFeed.updateRoundData(11n, depegged, freshAt - DAY, freshAt - DAY)).wait();
      await time.setNextBlockTimestamp(freshAt);
      await expect(trigger.fire()).to.emit(trigger, "TriggerFired").withArgs(d.productIds.depeg, 1n, 11n, depegged, freshAt - DAY);
      await snapshot.restore();

      for (const answer of [0n, -1n, -usdPrice("0.95")]) {
        await expectBlocked(Block.NonPositiveAnswer, answer, await setAnswer(answer));
      }
      for (const answer of [SEED_DEPEG_TRIGGER.threshold, usdPrice("0.99"), usdPrice("1"), usdPrice("1.2")]) {
        await expectBlocked(Block.AboveThreshold, answer, await setAnswer(answer));
      }
      expect(await adjudicator.incidentCount()).to.equal(0n);
      expect(await trigger.fired()).to.equal(false);

      // One unit below the threshold fires.
      const justBelow = SEED_DEPEG_TRIGGER.threshold - 1n;
      const updatedAt = await setAnswer(justBelow);
      await expect(trigger.fire())
        .to.emit(trigger, "TriggerFired")
        .withArgs(d.productIds.depeg, 1n, await priceFeed.latestRound(), justBelow, updatedAt);
      expect(await adjudicator.incidentCount()).to.equal(1n);
    });

    it("lets only the product's registered trigger confirm, and refuses reports on parametric products", async () => {
      const d = await loadParapet();
      const { claimAdjudicator: adjudicator, productRegistry, priceFeed, priceFeedTrigger: trigger } = d;
      const { lending, depeg } = d.productIds;
      const { outsider, watcher, riskManager } = d.accounts;
      const past = (await now()) - HOUR;

      await expect(adjudicator.connect(outsider).confirmParametricIncident(depeg, past, WAD))
        .to.be.revertedWithCustomError(adjudicator, "NotProductTrigger")
        .withArgs(depeg, outsider.address);
      // A discretionary product has no trigger at all.
      await expect(adjudicator.connect(outsider).confirmParametricIncident(lending, past, WAD))
        .to.be.revertedWithCustomError(adjudicator, "NotProductTrigger")
        .withArgs(lending, outsider.address);
      await expect(adjudicator.connect(watcher).reportIncident(depeg, past, WAD, EVIDENCE))
        .to.be.revertedWithCustomError(adjudicator, "WrongProductKind")
        .withArgs(depeg);

      // Once the product's trigger is replaced, the old one can no longer confirm.
      await (await productRegistry.connect(riskManager).setProductTrigger(depeg, outsider.address)).wait();
      await (await priceFeed.updateAnswer(usdPrice("0.9"))).wait();
      await expect(trigger.fire())
        .to.be.revertedWithCustomError(adjudicator, "NotProductTrigger")
        .withArgs(depeg, await trigger.getAddress());

      // The registered trigger's inputs are still checked.
      const t = (await now()) + 100n;
      await time.setNextBlockTimestamp(t);
      await expect(adjudicator.connect(outsider).confirmParametricIncident(depeg, t + 1n, WAD))
        .to.be.revertedWithCustomError(adjudicator, "IncidentNotInPast")
        .withArgs(t + 1n, t);
      await expect(adjudicator.connect(outsider).confirmParametricIncident(depeg, past, 0n))
        .to.be.revertedWithCustomError(adjudicator, "InvalidPayoutRatio")
        .withArgs(0n);
      await expect(adjudicator.connect(outsider).confirmParametricIncident(depeg, past, WAD + 1n))
        .to.be.revertedWithCustomError(adjudicator, "InvalidPayoutRatio")
        .withArgs(WAD + 1n);
      // The current block's time is accepted, as the trigger passes it.
      await time.setNextBlockTimestamp(t);
      await expect(adjudicator.connect(outsider).confirmParametricIncident(depeg, t, WAD / 2n))
        .to.emit(adjudicator, "IncidentReported")
        .withArgs(1n, depeg, outsider.address, t, WAD / 2n, 0n, t, "");
    });
  });

  describe("invalid inputs", () => {
    it("reverts InvalidPayoutRatio outside (0, 1e18] and IncidentNotInPast for a time not in the past", async () => {
      const d = await funded();
      const { claimAdjudicator: adjudicator, asset } = d;
      const { lending } = d.productIds;
      const { watcher } = d.accounts;
      const past = (await now()) - HOUR;
      for (const payoutWad of [0n, WAD + 1n, 2n * WAD]) {
        await expect(adjudicator.connect(watcher).reportIncident(lending, past, payoutWad, EVIDENCE))
          .to.be.revertedWithCustomError(adjudicator, "InvalidPayoutRatio")
          .withArgs(payoutWad);
      }
      const t = (await now()) + 100n;
      for (const incidentTime of [t, t + 1n, t + DAY]) {
        await time.setNextBlockTimestamp(t);
        await expect(adjudicator.connect(watcher).reportIncident(lending, incidentTime, WAD, EVIDENCE))
          .to.be.revertedWithCustomError(adjudicator, "IncidentNotInPast")
          .withArgs(incidentTime, t);
      }
      expect(await adjudicator.incidentCount()).to.equal(0n);
      expect(await asset.balanceOf(adjudicator)).to.equal(0n);

      // The bounds themselves: 1e18 and a time one second back.
      await time.setNextBlockTimestamp(t);
      await expect(adjudicator.connect(watcher).reportIncident(lending, t - 1n, WAD, EVIDENCE))
        .to.emit(adjudicator, "IncidentReported")
        .withArgs(1n, lending, watcher.address, t - 1n, WAD, BOND, t + LIVENESS, EVIDENCE);
      await time.setNextBlockTimestamp(t + 1n);
      await expect(adjudicator.connect(watcher).reportIncident(lending, t - 1n, 1n, EVIDENCE))
        .to.emit(adjudicator, "IncidentReported")
        .withArgs(2n, lending, watcher.address, t - 1n, 1n, BOND, t + 1n + LIVENESS, EVIDENCE);
    });

    it("reverts InvalidAssertionState(key, None) for an unknown incident, and UnknownProduct for an unknown product", async () => {
      const d = await loadParapet();
      const { claimAdjudicator: adjudicator, productRegistry } = d;
      for (const incidentId of [0n, 1n, 99n]) {
        await expect(adjudicator.getIncident(incidentId))
          .to.be.revertedWithCustomError(adjudicator, "InvalidAssertionState")
          .withArgs(incidentKey(incidentId), State.None);
      }
      expect(await adjudicator.incidentKey(99n)).to.equal(incidentKey(99n));
      await expect(adjudicator.settleIncident(99n))
        .to.be.revertedWithCustomError(adjudicator, "InvalidAssertionState")
        .withArgs(incidentKey(99n), State.None);
      await expect(adjudicator.connect(d.accounts.watcher).disputeIncident(99n))
        .to.be.revertedWithCustomError(adjudicator, "InvalidAssertionState")
        .withArgs(incidentKey(99n), State.None);
      await expect(adjudicator.releaseIncidentReserve(99n))
        .to.be.revertedWithCustomError(adjudicator, "IncidentClaimWindow")
        .withArgs(99n, CLAIM_WINDOW);
      await expect(adjudicator.connect(d.accounts.watcher).reportIncident(99n, (await now()) - HOUR, WAD, EVIDENCE))
        .to.be.revertedWithCustomError(productRegistry, "UnknownProduct")
        .withArgs(99n);
      const incidentReserve = await adjudicator.incidentReserve(99n, d.vaults.conservative);
      expect([incidentReserve.reserved, incidentReserve.paid, incidentReserve.haircutWad, incidentReserve.released]).to.deep.equal([
        0n,
        0n,
        0n,
        false,
      ]);
    });
  });
});
