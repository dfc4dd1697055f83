import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";

import {
  buyCover,
  coverParams,
  DAY,
  deposit,
  ethers,
  loadParapet,
  networkHelpers,
  OutflowKind,
  time,
  usd,
} from "./helpers.js";

const LIVENESS = 3n * DAY;
const ARBITRATION_TIMEOUT = 14n * DAY;
const VOTING_PERIOD = 7n * DAY;
const CLAIM_GRACE_PERIOD = 30n * DAY;
const COVERAGE_LAG = DAY;
const COOLDOWN = 14n * DAY;
const WAD = 10n ** 18n;
const MIN_BOND = usd(100);
const BOND_WAD = 5n * 10n ** 16n;
const BURN_WAD = 5n * 10n ** 17n;
const VIRTUAL_SHARES = 10n ** 6n;
const VIRTUAL_ASSETS = 1n;
const COVER = usd(100_000);
const EVIDENCE = "ipfs://parapet/evidence/lendora-exploit";

/** `AssertionState` as the contracts number it. */
const State = { None: 0n, Pending: 1n, Disputed: 2n, Approved: 3n, Rejected: 4n, Drawn: 5n } as const;

const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;
/** `max(minBond, amount * bondWad)`, rounded up, as `bondFor` computes it. */
const bondOf = (amount: bigint) => {
  const proportional = ceilDiv(amount * BOND_WAD, WAD);
  return proportional > MIN_BOND ? proportional : MIN_BOND;
};
/** The burned share of a lost bond, rounded up. */
const burnOf = (bond: bigint) => ceilDiv(bond * BURN_WAD, WAD);

/**
 * One million deposited in the conservative vault, and a 100k, 30-day lending policy bought by the first buyer; the
 * clock stands two days after the purchase, so an incident one day in (the end of the coverage lag) can be claimed.
 */
async function withCover() {
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
    incidentTime: policy.start + COVERAGE_LAG,
  };
}

type Setup = Awaited<ReturnType<typeof withCover>>;

/** Files a claim and returns its id (the contract's latest) with the stored claim. */
async function fileClaim(
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
async function dispute(s: Setup, disputer: HardhatEthersSigner, claimId: bigint): Promise<bigint> {
  await (await s.adj.connect(disputer).disputeClaim(claimId)).wait();
  return (await s.adj.getClaim(claimId)).caseId;
}

/** The first two committee members (the quorum) vote the same way; the outsider delivers the ruling. */
async function rule(s: Setup, caseId: bigint, approve: boolean) {
  for (const member of s.committee.slice(0, 2)) {
    await (await s.arbiter.connect(member).castVote(caseId, approve)).wait();
  }
  await (await s.arbiter.connect(s.outsider).resolve(caseId)).wait();
}

/** Runs `body` with its first block at `timestamp`, then rewinds the chain to where it was. */
async function at(timestamp: bigint, body: () => Promise<void>) {
  const snapshot = await networkHelpers.takeSnapshot();
  try {
    await time.setNextBlockTimestamp(timestamp);
    await body();
  } finally {
    await snapshot.restore();
  }
}

/** A second lending policy for `buyer`, bought now; the clock then moves two days on. */
async function secondPolicy(s: Setup, buyer: HardhatEthersSigner, amount = COVER) {
  const { policyId } = await buyCover(s, buyer, { vault: s.vault, productId: s.productIds.lending, amount });
  const policy = await s.coverManager.getPolicy(policyId);
  await time.increaseTo(policy.start + 2n * DAY);
  return { policyId, policy, incidentTime: policy.start + COVERAGE_LAG };
}

/** What the vault reads at the current block. */
async function vaultState(s: Setup) {
  return {
    navAsk: await s.vault.navAsk(),
    navBid: await s.vault.navBid(),
    pendingReserve: await s.vault.pendingReserve(),
    managedAssets: await s.vault.managedAssets(),
  };
}

describe("ClaimAdjudicator claims", () => {
  describe("fileClaim", () => {
    it("files a claim: pulls the bond, reserves the amount (navBid drops at once, navAsk does not)", async () => {
      const s = await withCover();
      const { adj, asset, vault, buyer, policyId, incidentTime } = s;
      // 5% of 40,000.000001 is 2,000.00000005: the bond rounds up to the next unit.
      const amount = usd(40_000) + 1n;
      const bond = bondOf(amount);
      expect(bond).to.equal(usd(2_000) + 1n);
      expect(await adj.bondFor(asset, amount)).to.equal(bond);

      const filedAt = BigInt(await time.latest()) + 10n;
      // The vault at the same timestamp without the claim (premium streams move navAsk every second).
      const snapshot = await networkHelpers.takeSnapshot();
      await time.increaseTo(filedAt);
      const without = await vaultState(s);
      await snapshot.restore();

      await time.setNextBlockTimestamp(filedAt);
      const claimId = await adj.connect(buyer).fileClaim.staticCall(policyId, amount, incidentTime, EVIDENCE);
      const tx = adj.connect(buyer).fileClaim(policyId, amount, incidentTime, EVIDENCE);
      await expect(tx)
        .to.emit(adj, "ClaimFiled")
        .withArgs(claimId, policyId, buyer.address, amount, amount, incidentTime, bond, filedAt + LIVENESS, EVIDENCE);
      await expect(tx).to.changeTokenBalances(ethers, asset, [buyer, adj, vault], [-bond, bond, 0n]);
      await expect(tx)
        .to.emit(vault, "PendingReserveIncreased")
        .withArgs(amount, without.pendingReserve + amount);
      expect(BigInt((await ethers.provider.getBlock("latest"))!.timestamp)).to.equal(filedAt);

      const withClaim = await vaultState(s);
      expect(withClaim.pendingReserve).to.equal(without.pendingReserve + amount);
      expect(withClaim.navBid).to.equal(without.navBid - amount);
      expect(withClaim.navAsk).to.equal(without.navAsk);
      expect(withClaim.managedAssets).to.equal(without.managedAssets);

      const claim = await adj.getClaim(claimId);
      expect(claim.policyId).to.equal(policyId);
      expect(claim.vault).to.equal(await vault.getAddress());
      expect(claim.incidentTime).to.equal(incidentTime);
      expect(claim.expiration).to.equal(filedAt + LIVENESS);
      expect(claim.disputedAt).to.equal(0n);
      expect(claim.state).to.equal(State.Pending);
      expect(claim.ruling).to.equal(0n);
      expect(claim.filer).to.equal(buyer.address);
      expect(claim.disputer).to.equal(ethers.ZeroAddress);
      expect(claim.amount).to.equal(amount);
      expect(claim.reserved).to.equal(amount);
      expect(claim.bond).to.equal(bond);
      expect(claim.paid).to.equal(0n);
      expect(await adj.openClaimOf(policyId)).to.equal(claimId);
      // Nothing is paid or recorded on the policy before settlement.
      expect((await s.coverManager.getPolicy(policyId)).claimed).to.equal(0n);
    });

    it("bonds max(100 tUSD, 5% of the amount), rounded up", async () => {
      const s = await withCover();
      const { adj, asset, buyer } = s;
      expect(await adj.bondFor(asset, 1n)).to.equal(MIN_BOND);
      expect(await adj.bondFor(asset, usd(2_000))).to.equal(MIN_BOND);
      expect(await adj.bondFor(asset, usd(2_000) + 1n)).to.equal(MIN_BOND + 1n);
      expect(await adj.bondFor(asset, COVER)).to.equal(usd(5_000));

      const tx = adj.connect(buyer).fileClaim(s.policyId, usd(1_000), s.incidentTime, EVIDENCE);
      await expect(tx).to.changeTokenBalances(ethers, asset, [buyer, adj], [-MIN_BOND, MIN_BOND]);
      expect((await adj.getClaim(1n)).bond).to.equal(MIN_BOND);
    });

    it("assigns sequential claim ids itself: nobody can choose or squat one", async () => {
      const s = await withCover();
      const { adj, buyer, buyer2 } = s;
      const other = await secondPolicy(s, buyer2);
      expect(await adj.claimCount()).to.equal(0n);

      const firstId = await adj.connect(buyer).fileClaim.staticCall(s.policyId, usd(1_000), s.incidentTime, EVIDENCE);
      await (await adj.connect(buyer).fileClaim(s.policyId, usd(1_000), s.incidentTime, EVIDENCE)).wait();
      expect(firstId).to.equal(1n);
      expect(await adj.claimCount()).to.equal(firstId);

      const secondId = await adj
        .connect(buyer2)
        .fileClaim.staticCall(other.policyId, usd(1_000), other.incidentTime, EVIDENCE);
      await expect(adj.connect(buyer2).fileClaim(other.policyId, usd(1_000), other.incidentTime, EVIDENCE))
        .to.emit(adj, "ClaimFiled")
        .withArgs(
          secondId,
          other.policyId,
          buyer2.address,
          usd(1_000),
          usd(1_000),
          other.incidentTime,
          MIN_BOND,
          (x: bigint) => x > 0n,
          EVIDENCE,
        );
      expect(secondId).to.equal(firstId + 1n);
      expect(await adj.claimCount()).to.equal(secondId);
      expect(await adj.openClaimOf(s.policyId)).to.equal(firstId);
      expect(await adj.openClaimOf(other.policyId)).to.equal(secondId);
      // An id not yet filed is not a claim.
      await expect(adj.getClaim(secondId + 1n))
        .to.be.revertedWithCustomError(adj, "InvalidAssertionState")
        .withArgs(await adj.claimKey(secondId + 1n), State.None);
    });

    it("rejects a second claim while one is open on the policy", async () => {
      const s = await withCover();
      const { adj, buyer, policyId } = s;
      const { claimId } = await fileClaim(s, buyer, usd(10_000));
      await expect(adj.connect(buyer).fileClaim(policyId, usd(5_000), s.incidentTime, EVIDENCE))
        .to.be.revertedWithCustomError(adj, "ClaimAlreadyOpen")
        .withArgs(policyId, claimId);
    });

    it("rejects a zero amount and an amount above the remaining cover", async () => {
      const s = await withCover();
      const { adj, buyer, policyId, incidentTime } = s;
      await expect(adj.connect(buyer).fileClaim(policyId, 0n, incidentTime, EVIDENCE))
        .to.be.revertedWithCustomError(adj, "InvalidClaimAmount")
        .withArgs(policyId, 0n, COVER);
      await expect(adj.connect(buyer).fileClaim(policyId, COVER + 1n, incidentTime, EVIDENCE))
        .to.be.revertedWithCustomError(adj, "InvalidClaimAmount")
        .withArgs(policyId, COVER + 1n, COVER);
    });

    it("rejects a non-owner; an approved operator files (its bond, the owner's payout)", async () => {
      const s = await withCover();
      const { adj, asset, coverManager, buyer, buyer2, buyer3, policyId, incidentTime } = s;
      await expect(adj.connect(buyer2).fileClaim(policyId, usd(10_000), incidentTime, EVIDENCE))
        .to.be.revertedWithCustomError(adj, "NotPolicyHolder")
        .withArgs(policyId, buyer2.address);

      await (await coverManager.connect(buyer).approve(buyer2.address, policyId)).wait();
      const bond = bondOf(usd(10_000));
      const tx = adj.connect(buyer2).fileClaim(policyId, usd(10_000), incidentTime, EVIDENCE);
      await expect(tx).to.changeTokenBalances(ethers, asset, [buyer, buyer2], [0n, -bond]);
      const claimId = await adj.claimCount();
      expect((await adj.getClaim(claimId)).filer).to.equal(buyer2.address);

      await time.increase(LIVENESS);
      const settle = adj.connect(buyer3).settleClaim(claimId);
      await expect(settle)
        .to.emit(adj, "ClaimSettled")
        .withArgs(claimId, policyId, State.Approved, buyer.address, usd(10_000));
      await expect(settle).to.changeTokenBalances(ethers, asset, [buyer, buyer2], [usd(10_000), bond]);

      // An operator for all of the owner's policies may file too.
      await expect(adj.connect(buyer3).fileClaim(policyId, usd(1_000), incidentTime, EVIDENCE))
        .to.be.revertedWithCustomError(adj, "NotPolicyHolder")
        .withArgs(policyId, buyer3.address);
      await (await coverManager.connect(buyer).setApprovalForAll(buyer3.address, true)).wait();
      await expect(adj.connect(buyer3).fileClaim(policyId, usd(1_000), incidentTime, EVIDENCE)).to.emit(
        adj,
        "ClaimFiled",
      );
    });

    it("rejects a claim in the block the policy was bought (ClaimTooEarly), whatever the incident time", async () => {
      const d = await loadParapet();
      const vault = d.vaults.conservative;
      const [buyer] = d.accounts.buyers;
      await deposit(vault, d.accounts.underwriters[0], usd(1_000_000));
      const params = await coverParams(buyer, { vault, productId: d.productIds.lending, amount: COVER });
      const policyId = (await d.coverManager.policyCount()) + 1n;
      const blockTime = BigInt(await time.latest()) + 100n;

      await ethers.provider.send("evm_setAutomine", [false]);
      let buyHash: string;
      let fileHash: string;
      try {
        await time.setNextBlockTimestamp(blockTime);
        buyHash = (await d.coverManager.connect(buyer).buyCover(params, { gasLimit: 2_000_000n })).hash;
        fileHash = (
          await d.claimAdjudicator
            .connect(buyer)
            .fileClaim(policyId, usd(1_000), blockTime - 1n, EVIDENCE, { gasLimit: 1_000_000n })
        ).hash;
        await ethers.provider.send("evm_mine", []);
      } finally {
        await ethers.provider.send("evm_setAutomine", [true]);
      }

      const buyReceipt = (await ethers.provider.getTransactionReceipt(buyHash))!;
      const fileReceipt = (await ethers.provider.getTransactionReceipt(fileHash))!;
      expect(buyReceipt.status).to.equal(1);
      expect(fileReceipt.status).to.equal(0);
      expect(fileReceipt.blockNumber).to.equal(buyReceipt.blockNumber);
      const policy = await d.coverManager.getPolicy(policyId);
      expect(policy.start).to.equal(blockTime);
      expect(await d.coverManager.ownerOf(policyId)).to.equal(buyer.address);

      const trace = (await ethers.provider.send("debug_traceTransaction", [fileHash])) as {
        failed: boolean;
        returnValue: string;
      };
      expect(trace.failed).to.equal(true);
      const returnData = trace.returnValue.startsWith("0x") ? trace.returnValue : `0x${trace.returnValue}`;
      const error = d.claimAdjudicator.interface.parseError(returnData);
      expect(error?.name).to.equal("ClaimTooEarly");
      expect(error?.args.toArray()).to.deep.equal([policyId, blockTime]);
      expect(await d.claimAdjudicator.claimCount()).to.equal(0n);
      expect(await d.asset.balanceOf(await d.claimAdjudicator.getAddress())).to.equal(0n);

      // One second later the same claim, with an incident inside the cover, can still not be filed: the coverage lag.
      await expect(d.claimAdjudicator.connect(buyer).fileClaim(policyId, usd(1_000), blockTime, EVIDENCE))
        .to.be.revertedWithCustomError(d.claimAdjudicator, "IncidentOutsideCover")
        .withArgs(policyId, blockTime, blockTime + COVERAGE_LAG, policy.end);
    });

    it("closes the claim window after end + claimGracePeriod, and accepts a claim exactly at it", async () => {
      const s = await withCover();
      const { adj, buyer, policyId, policy } = s;
      const deadline = policy.end + CLAIM_GRACE_PERIOD;
      const incidentTime = policy.end; // the last covered second
      await at(deadline + 1n, async () => {
        await expect(adj.connect(buyer).fileClaim(policyId, usd(1_000), incidentTime, EVIDENCE))
          .to.be.revertedWithCustomError(adj, "ClaimWindowClosed")
          .withArgs(policyId, deadline);
      });
      await at(deadline, async () => {
        await expect(adj.connect(buyer).fileClaim(policyId, usd(1_000), incidentTime, EVIDENCE))
          .to.emit(adj, "ClaimFiled")
          .withArgs(
            1n,
            policyId,
            buyer.address,
            usd(1_000),
            usd(1_000),
            incidentTime,
            MIN_BOND,
            deadline + LIVENESS,
            EVIDENCE,
          );
      });
    });

    it("rejects incidents before start + coverageLag (cover bought after the fact) or after end", async () => {
      const s = await withCover();
      const { adj, buyer, buyer2, policyId, policy } = s;
      const coveredFrom = policy.start + COVERAGE_LAG;
      await expect(adj.connect(buyer).fileClaim(policyId, usd(1_000), coveredFrom - 1n, EVIDENCE))
        .to.be.revertedWithCustomError(adj, "IncidentOutsideCover")
        .withArgs(policyId, coveredFrom - 1n, coveredFrom, policy.end);

      // An exploit happens, then someone buys cover: the incident precedes the cover.
      const exploitAt = BigInt(await time.latest());
      await time.increase(60n);
      const late = await secondPolicy(s, buyer2);
      await expect(adj.connect(buyer2).fileClaim(late.policyId, usd(1_000), exploitAt, EVIDENCE))
        .to.be.revertedWithCustomError(adj, "IncidentOutsideCover")
        .withArgs(late.policyId, exploitAt, late.policy.start + COVERAGE_LAG, late.policy.end);

      await time.increaseTo(policy.end + DAY);
      await expect(adj.connect(buyer).fileClaim(policyId, usd(1_000), policy.end + 1n, EVIDENCE))
        .to.be.revertedWithCustomError(adj, "IncidentOutsideCover")
        .withArgs(policyId, policy.end + 1n, coveredFrom, policy.end);
    });

    it("rejects an incident time not in the past", async () => {
      const s = await withCover();
      const { adj, buyer, policyId } = s;
      const now = BigInt(await time.latest()) + 5n;
      await at(now, async () => {
        await expect(adj.connect(buyer).fileClaim(policyId, usd(1_000), now, EVIDENCE))
          .to.be.revertedWithCustomError(adj, "IncidentNotInPast")
          .withArgs(now, now);
      });
      await at(now, async () => {
        await expect(adj.connect(buyer).fileClaim(policyId, usd(1_000), now + DAY, EVIDENCE))
          .to.be.revertedWithCustomError(adj, "IncidentNotInPast")
          .withArgs(now + DAY, now);
      });
    });

    it("rejects claims on the parametric depeg product", async () => {
      const s = await withCover();
      const { adj, buyer2, productIds } = s;
      const { policyId } = await buyCover(s, buyer2, {
        vault: s.vault,
        productId: productIds.depeg,
        amount: usd(10_000),
      });
      const policy = await s.coverManager.getPolicy(policyId);
      await time.increaseTo(policy.start + 2n * DAY);
      await expect(adj.connect(buyer2).fileClaim(policyId, usd(1_000), policy.start + COVERAGE_LAG, EVIDENCE))
        .to.be.revertedWithCustomError(adj, "WrongProductKind")
        .withArgs(productIds.depeg);
    });
  });

  describe("disputeClaim", () => {
    it("works strictly before the expiration, where settling reverts; at it only settling works", async () => {
      const s = await withCover();
      const { adj, buyer, watcher, policyId } = s;
      const filedAt = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(filedAt);
      const { claimId, claim } = await fileClaim(s, buyer, usd(10_000));
      const key = await adj.claimKey(claimId);
      const expiration = filedAt + LIVENESS;
      expect(claim.expiration).to.equal(expiration);

      // One second before the expiration: dispute yes, settle no.
      await at(expiration - 1n, async () => {
        await expect(adj.connect(watcher).settleClaim(claimId))
          .to.be.revertedWithCustomError(adj, "LivenessNotExpired")
          .withArgs(key, expiration);
      });
      await at(expiration - 1n, async () => {
        await expect(adj.connect(watcher).disputeClaim(claimId))
          .to.emit(adj, "ClaimDisputed")
          .withArgs(claimId, policyId, watcher.address, 1n);
        expect((await adj.getClaim(claimId)).disputedAt).to.equal(expiration - 1n);
      });
      // At the expiration: settle yes, dispute no.
      await at(expiration, async () => {
        await expect(adj.connect(watcher).disputeClaim(claimId))
          .to.be.revertedWithCustomError(adj, "LivenessExpired")
          .withArgs(key, expiration);
      });
      await at(expiration, async () => {
        await expect(adj.connect(watcher).settleClaim(claimId))
          .to.emit(adj, "ClaimSettled")
          .withArgs(claimId, policyId, State.Approved, buyer.address, usd(10_000));
      });
    });

    it("pulls an equal bond from the disputer and opens a case with the committee", async () => {
      const s = await withCover();
      const { adj, arbiter, asset, buyer, watcher, policyId } = s;
      const { claimId, claim } = await fileClaim(s, buyer, usd(60_000));
      const key = await adj.claimKey(claimId);
      const disputedAt = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(disputedAt);
      const tx = adj.connect(watcher).disputeClaim(claimId);
      await expect(tx).to.emit(adj, "ClaimDisputed").withArgs(claimId, policyId, watcher.address, 1n);
      await expect(tx)
        .to.emit(arbiter, "CaseOpened")
        .withArgs(1n, key, buyer.address, watcher.address, disputedAt + VOTING_PERIOD);
      await expect(tx).to.changeTokenBalances(ethers, asset, [watcher, adj], [-claim.bond, claim.bond]);

      const disputed = await adj.getClaim(claimId);
      expect(disputed.state).to.equal(State.Disputed);
      expect(disputed.disputer).to.equal(watcher.address);
      expect(disputed.disputedAt).to.equal(disputedAt);
      expect(disputed.arbiter).to.equal(await arbiter.getAddress());
      expect(disputed.caseId).to.equal(1n);
      // The reserve stays while the case is decided.
      expect(await s.vault.pendingReserve()).to.equal(usd(60_000));

      await expect(adj.connect(watcher).disputeClaim(claimId))
        .to.be.revertedWithCustomError(adj, "InvalidAssertionState")
        .withArgs(key, State.Disputed);
      await expect(adj.connect(watcher).disputeClaim(claimId + 1n))
        .to.be.revertedWithCustomError(adj, "InvalidAssertionState")
        .withArgs(await adj.claimKey(claimId + 1n), State.None);
    });

    it("reverts with the asset's error, changing nothing, when the disputer lacks allowance or balance", async () => {
      const s = await withCover();
      const { adj, arbiter, asset, buyer, outsider } = s;
      const { claimId, claim } = await fileClaim(s, buyer, usd(10_000));
      const adjAddress = await adj.getAddress();
      const held = await asset.balanceOf(adjAddress);

      await expect(adj.connect(outsider).disputeClaim(claimId))
        .to.be.revertedWithCustomError(asset, "ERC20InsufficientAllowance")
        .withArgs(adjAddress, 0n, claim.bond);
      await (await asset.connect(outsider).approve(adjAddress, ethers.MaxUint256)).wait();
      await (await asset.mint(outsider.address, claim.bond - 1n)).wait();
      await expect(adj.connect(outsider).disputeClaim(claimId))
        .to.be.revertedWithCustomError(asset, "ERC20InsufficientBalance")
        .withArgs(outsider.address, claim.bond - 1n, claim.bond);

      const after = await adj.getClaim(claimId);
      expect(after.state).to.equal(State.Pending);
      expect(after.disputer).to.equal(ethers.ZeroAddress);
      expect(after.disputedAt).to.equal(0n);
      expect(after.caseId).to.equal(0n);
      expect(await arbiter.caseCount()).to.equal(0n);
      expect(await asset.balanceOf(adjAddress)).to.equal(held);
      expect(await asset.balanceOf(outsider.address)).to.equal(claim.bond - 1n);

      // The claim is still open to a funded disputer.
      await expect(adj.connect(s.watcher).disputeClaim(claimId)).to.emit(adj, "ClaimDisputed");
    });

    for (const approve of [false, true]) {
      it(`makes a self-dispute cost the filer exactly the burn (${approve ? "approved" : "rejected"})`, async () => {
        const s = await withCover();
        const { adj, asset, buyer, treasury, policyId } = s;
        const amount = usd(30_000);
        const startBalance = await asset.balanceOf(buyer.address);
        const { claimId, claim } = await fileClaim(s, buyer, amount);
        const caseId = await dispute(s, buyer, claimId);
        expect((await s.arbiter.getCase(caseId)).filer).to.equal(buyer.address);
        expect((await s.arbiter.getCase(caseId)).disputer).to.equal(buyer.address);
        await rule(s, caseId, approve);

        const burn = burnOf(claim.bond);
        const payout = approve ? amount : 0n;
        const tx = adj.connect(s.watcher).settleClaim(claimId);
        await expect(tx)
          .to.emit(adj, "ClaimSettled")
          .withArgs(claimId, policyId, approve ? State.Approved : State.Rejected, buyer.address, payout);
        await expect(tx)
          .to.emit(adj, "BondsSettled")
          .withArgs(
            await adj.claimKey(claimId),
            approve ? 2n * claim.bond - burn : 0n,
            approve ? 0n : 2n * claim.bond - burn,
            burn,
          );
        await expect(tx).to.changeTokenBalances(
          ethers,
          asset,
          [buyer, treasury],
          [2n * claim.bond - burn + payout, burn],
        );
        // Whatever the ruling, the bonds cost the filer the burn.
        expect(await asset.balanceOf(buyer.address)).to.equal(startBalance - burn + payout);
      });
    }
  });

  describe("settleClaim", () => {
    it("pays the owner after the liveness: claimed grows, exposure shrinks, bond back", async () => {
      const s = await withCover();
      const { adj, asset, coverManager, vault, buyer, watcher, policyId, productIds } = s;
      const amount = usd(40_000) + 1n;
      const { claimId, claim } = await fileClaim(s, buyer, amount);
      const key = await adj.claimKey(claimId);
      await time.increaseTo(claim.expiration);

      const exposure = await vault.exposureOf(productIds.lending);
      const managed = await vault.managedAssets();
      const tx = adj.connect(watcher).settleClaim(claimId);
      await expect(tx).to.emit(adj, "ClaimSettled").withArgs(claimId, policyId, State.Approved, buyer.address, amount);
      await expect(tx).to.emit(adj, "BondsSettled").withArgs(key, claim.bond, 0n, 0n);
      await expect(tx).to.emit(coverManager, "PolicyClaimed").withArgs(policyId, amount, amount);
      await expect(tx).to.emit(vault, "ClaimPaid").withArgs(productIds.lending, buyer.address, amount);
      await expect(tx).to.changeTokenBalances(
        ethers,
        asset,
        [buyer, adj, vault, watcher],
        [amount + claim.bond, -claim.bond, -amount, 0n],
      );

      const settled = await adj.getClaim(claimId);
      expect(settled.state).to.equal(State.Approved);
      expect(settled.paid).to.equal(amount);
      expect(await adj.openClaimOf(policyId)).to.equal(0n);
      expect((await coverManager.getPolicy(policyId)).claimed).to.equal(amount);
      expect(await vault.exposureOf(productIds.lending)).to.equal(exposure - amount);
      expect(await vault.pendingReserve()).to.equal(0n);
      expect(await vault.managedAssets()).to.equal(managed - amount);

      await expect(adj.connect(watcher).settleClaim(claimId))
        .to.be.revertedWithCustomError(adj, "InvalidAssertionState")
        .withArgs(key, State.Approved);
    });

    it("pays the new owner after a mid-claim transfer, and returns the bond to the filer", async () => {
      const s = await withCover();
      const { adj, asset, coverManager, buyer, buyer2, policyId } = s;
      const amount = usd(25_000);
      const { claimId, claim } = await fileClaim(s, buyer, amount);
      await (await coverManager.connect(buyer).transferFrom(buyer.address, buyer2.address, policyId)).wait();
      await time.increaseTo(claim.expiration);

      const tx = adj.connect(s.watcher).settleClaim(claimId);
      await expect(tx).to.emit(adj, "ClaimSettled").withArgs(claimId, policyId, State.Approved, buyer2.address, amount);
      await expect(tx)
        .to.emit(adj, "BondsSettled")
        .withArgs(await adj.claimKey(claimId), claim.bond, 0n, 0n);
      await expect(tx).to.changeTokenBalances(ethers, asset, [buyer, buyer2], [claim.bond, amount]);
    });

    it("never pays a policy more than its amount", async () => {
      const s = await withCover();
      const { adj, coverManager, buyer, policyId, incidentTime } = s;
      const first = await fileClaim(s, buyer, usd(30_000));
      await time.increaseTo(first.claim.expiration);
      await (await adj.settleClaim(first.claimId)).wait();
      await expect(adj.connect(buyer).fileClaim(policyId, usd(70_000) + 1n, incidentTime, EVIDENCE))
        .to.be.revertedWithCustomError(adj, "InvalidClaimAmount")
        .withArgs(policyId, usd(70_000) + 1n, usd(70_000));

      const rest = await fileClaim(s, buyer, usd(70_000));
      await time.increaseTo(rest.claim.expiration);
      await expect(adj.settleClaim(rest.claimId))
        .to.emit(adj, "ClaimSettled")
        .withArgs(rest.claimId, policyId, State.Approved, buyer.address, usd(70_000));
      const policy = await coverManager.getPolicy(policyId);
      expect(policy.claimed).to.equal(policy.amount);

      await expect(adj.connect(buyer).fileClaim(policyId, 1n, incidentTime, EVIDENCE))
        .to.be.revertedWithCustomError(adj, "InvalidClaimAmount")
        .withArgs(policyId, 1n, 0n);
    });

    describe("withdrawing ahead of a payout", () => {
      /** Two underwriters with 100k each in the conservative vault, and a 20k lending policy. */
      async function withTwoUnderwriters() {
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

      it("makes an underwriter who asked to leave before the claim still bear the loss", async () => {
        const d = await withTwoUnderwriters();
        const { adj, vault, alice, buyer, policyId, policy } = d;
        const shares = await vault.balanceOf(alice.address);
        await (await vault.connect(alice).requestRedeem(shares, alice.address, alice.address)).wait();
        const claimableAt = (await vault.redeemRequest(alice.address)).claimableAt;
        await time.increaseTo(policy.start + 2n * DAY);
        const beforeClaim = await vault.previewRedeem(shares);
        expect(beforeClaim > usd(100_000)).to.equal(true); // premium earned so far

        const amount = usd(10_000);
        await (await adj.connect(buyer).fileClaim(policyId, amount, policy.start + COVERAGE_LAG, EVIDENCE)).wait();
        const claim = await adj.getClaim(1n);
        expect(claim.expiration < claimableAt).to.equal(true);
        await time.increaseTo(claim.expiration);
        await (await adj.settleClaim(1n)).wait();

        await time.increaseTo(claimableAt);
        const tx = vault.connect(alice).redeem(shares, alice.address, alice.address);
        await expect(tx).to.emit(vault, "Withdraw");
        const receipt = (await (await tx).wait())!;
        const withdraw = receipt.logs
          .map((log) => vault.interface.parseLog(log))
          .find((parsed) => parsed?.name === "Withdraw")!;
        const received: bigint = withdraw.args.assets;
        // Alice held half the shares: she bears half the 10k payout, less what the premium earned meanwhile.
        expect(received < beforeClaim).to.equal(true);
        expect(beforeClaim - received > usd(4_900)).to.equal(true);
        expect(beforeClaim - received <= amount / 2n).to.equal(true);
      });

      it("prices a redemption during a pending claim at navBid = navAsk - reserve", async () => {
        const d = await withTwoUnderwriters();
        const { adj, vault, alice, buyer, policyId, policy } = d;
        const shares = await vault.balanceOf(alice.address);
        await (await vault.connect(alice).requestRedeem(shares, alice.address, alice.address)).wait();
        await time.increase(COOLDOWN);

        const amount = usd(10_000);
        await (await adj.connect(buyer).fileClaim(policyId, amount, policy.start + COVERAGE_LAG, EVIDENCE)).wait();
        const navAsk = await vault.navAsk();
        const navBid = await vault.navBid();
        const supply = await vault.totalSupply();
        expect(await vault.pendingReserve()).to.equal(amount);
        expect(navBid).to.equal(navAsk - amount);
        const atBid = (shares * (navBid + VIRTUAL_ASSETS)) / (supply + VIRTUAL_SHARES);
        const atAsk = (shares * (navAsk + VIRTUAL_ASSETS)) / (supply + VIRTUAL_SHARES);
        expect(await vault.previewRedeem(shares)).to.equal(atBid);
        expect(atAsk - atBid > usd(4_999)).to.equal(true);

        const tx = vault.connect(alice).redeem(shares, alice.address, alice.address);
        await expect(tx).to.emit(vault, "Withdraw");
        const receipt = (await (await tx).wait())!;
        const assets: bigint = receipt.logs
          .map((log) => vault.interface.parseLog(log))
          .find((parsed) => parsed?.name === "Withdraw")!.args.assets;
        // The price at the redemption's own block: before it, navBid was higher by what it paid, supply by the shares.
        const bidBefore = (await vault.navBid()) + assets;
        const supplyBefore = (await vault.totalSupply()) + shares;
        expect(assets).to.equal((shares * (bidBefore + VIRTUAL_ASSETS)) / (supplyBefore + VIRTUAL_SHARES));
        expect(await vault.pendingReserve()).to.equal(amount);
      });

      it("prices a deposit during a pending claim at navAsk", async () => {
        const d = await withTwoUnderwriters();
        const { adj, vault, carol, buyer, policyId, policy } = d;
        await time.increaseTo(policy.start + 2n * DAY);
        const amount = usd(10_000);
        await (await adj.connect(buyer).fileClaim(policyId, amount, policy.start + COVERAGE_LAG, EVIDENCE)).wait();

        const assets = usd(50_000);
        const navAsk = await vault.navAsk();
        const navBid = await vault.navBid();
        const supply = await vault.totalSupply();
        const atAsk = (assets * (supply + VIRTUAL_SHARES)) / (navAsk + VIRTUAL_ASSETS);
        const atBid = (assets * (supply + VIRTUAL_SHARES)) / (navBid + VIRTUAL_ASSETS);
        expect(await vault.previewDeposit(assets)).to.equal(atAsk);
        expect(atAsk < atBid).to.equal(true);

        await (await vault.connect(carol).deposit(assets, carol.address)).wait();
        const minted = await vault.balanceOf(carol.address);
        // The price at the deposit's own block: before it, navAsk was lower by the assets, supply by the shares.
        const askBefore = (await vault.navAsk()) - assets;
        const supplyBefore = (await vault.totalSupply()) - minted;
        expect(minted).to.equal((assets * (supplyBefore + VIRTUAL_SHARES)) / (askBefore + VIRTUAL_ASSETS));
      });
    });
  });

  describe("arbitration", () => {
    it("rejects a fraudulent claim: reserve released, the disputer takes both bonds less the burn", async () => {
      const s = await withCover();
      const { adj, arbiter, asset, vault, buyer, watcher, treasury, policyId } = s;
      const navBidBefore = await vault.navBid();
      const amount = usd(90_000);
      const { claimId, claim } = await fileClaim(s, buyer, amount);
      const key = await adj.claimKey(claimId);
      expect(await vault.pendingReserve()).to.equal(amount);
      const caseId = await dispute(s, watcher, claimId);

      const [m1, m2] = s.committee;
      await expect(arbiter.connect(m1).castVote(caseId, false))
        .to.emit(arbiter, "VoteCast")
        .withArgs(caseId, m1.address, false);
      await expect(arbiter.connect(m2).castVote(caseId, false))
        .to.emit(arbiter, "VoteCast")
        .withArgs(caseId, m2.address, false);
      const resolveTx = arbiter.connect(s.outsider).resolve(caseId);
      await expect(resolveTx).to.emit(arbiter, "CaseResolved").withArgs(caseId, false, 0n, 2n);
      await expect(resolveTx)
        .to.emit(adj, "RulingReceived")
        .withArgs(key, await arbiter.getAddress(), caseId, false);
      expect((await adj.getClaim(claimId)).ruling).to.equal(2n); // Ruling.Reject
      expect((await adj.getClaim(claimId)).state).to.equal(State.Disputed);

      const burn = burnOf(claim.bond);
      expect(burn).to.equal(usd(2_250));
      const tx = adj.connect(s.outsider).settleClaim(claimId);
      await expect(tx).to.emit(adj, "ClaimSettled").withArgs(claimId, policyId, State.Rejected, buyer.address, 0n);
      await expect(tx)
        .to.emit(adj, "BondsSettled")
        .withArgs(key, 0n, 2n * claim.bond - burn, burn);
      await expect(tx).to.emit(vault, "PendingReserveDecreased").withArgs(amount, 0n);
      await expect(tx).to.changeTokenBalances(
        ethers,
        asset,
        [buyer, watcher, treasury, adj, vault],
        [0n, 2n * claim.bond - burn, burn, -2n * claim.bond, 0n],
      );
      expect(await vault.pendingReserve()).to.equal(0n);
      // navBid is back (plus the premium earned since).
      expect((await vault.navBid()) >= navBidBefore).to.equal(true);
      expect(await vault.navBid()).to.equal(await vault.navAsk());
      expect((await s.coverManager.getPolicy(policyId)).claimed).to.equal(0n);
      expect(await adj.openClaimOf(policyId)).to.equal(0n);
    });

    it("rounds the burn up on an odd bond", async () => {
      const s = await withCover();
      const { adj, asset, buyer, watcher, treasury } = s;
      const amount = usd(40_000) + 1n; // bond 2,000.000001
      const { claimId, claim } = await fileClaim(s, buyer, amount);
      expect(claim.bond).to.equal(usd(2_000) + 1n);
      await rule(s, await dispute(s, watcher, claimId), false);
      const burn = burnOf(claim.bond);
      expect(burn).to.equal(usd(1_000) + 1n);
      const tx = adj.settleClaim(claimId);
      await expect(tx)
        .to.emit(adj, "BondsSettled")
        .withArgs(await adj.claimKey(claimId), 0n, 2n * claim.bond - burn, burn);
      await expect(tx).to.changeTokenBalances(ethers, asset, [watcher, treasury], [2n * claim.bond - burn, burn]);
    });

    it("pays a claim approved after a dispute; the filer takes both bonds less the burn", async () => {
      const s = await withCover();
      const { adj, asset, vault, buyer, buyer2, watcher, treasury, policyId } = s;
      // Filed by an operator, so the filer and the payee differ.
      await (await s.coverManager.connect(buyer).approve(buyer2.address, policyId)).wait();
      const amount = usd(50_000);
      const { claimId, claim } = await fileClaim(s, buyer2, amount);
      const key = await adj.claimKey(claimId);
      const caseId = await dispute(s, watcher, claimId);
      await rule(s, caseId, true);
      expect((await adj.getClaim(claimId)).ruling).to.equal(1n); // Ruling.Approve

      const burn = burnOf(claim.bond);
      const tx = adj.connect(s.outsider).settleClaim(claimId);
      await expect(tx).to.emit(adj, "ClaimSettled").withArgs(claimId, policyId, State.Approved, buyer.address, amount);
      await expect(tx)
        .to.emit(adj, "BondsSettled")
        .withArgs(key, 2n * claim.bond - burn, 0n, burn);
      await expect(tx).to.changeTokenBalances(
        ethers,
        asset,
        [buyer, buyer2, watcher, treasury, adj, vault],
        [amount, 2n * claim.bond - burn, 0n, burn, -2n * claim.bond, -amount],
      );
      expect(await vault.pendingReserve()).to.equal(0n);
      expect((await s.coverManager.getPolicy(policyId)).claimed).to.equal(amount);
    });

    it("draws without a ruling by the timeout: bonds back, reserve released, policy claimable", async () => {
      const s = await withCover();
      const { adj, asset, vault, buyer, watcher, treasury, policyId } = s;
      const amount = usd(20_000);
      const { claimId, claim } = await fileClaim(s, buyer, amount);
      const key = await adj.claimKey(claimId);
      await dispute(s, watcher, claimId);
      const { disputedAt } = await adj.getClaim(claimId);
      const drawAt = disputedAt + ARBITRATION_TIMEOUT;

      await at(drawAt - 1n, async () => {
        await expect(adj.settleClaim(claimId))
          .to.be.revertedWithCustomError(adj, "AwaitingRuling")
          .withArgs(key, drawAt);
      });
      await time.setNextBlockTimestamp(drawAt);
      const tx = adj.connect(s.outsider).settleClaim(claimId);
      await expect(tx).to.emit(adj, "ClaimSettled").withArgs(claimId, policyId, State.Drawn, buyer.address, 0n);
      await expect(tx).to.emit(adj, "BondsSettled").withArgs(key, claim.bond, claim.bond, 0n);
      await expect(tx).to.emit(vault, "PendingReserveDecreased").withArgs(amount, 0n);
      await expect(tx).to.changeTokenBalances(
        ethers,
        asset,
        [buyer, watcher, treasury, adj, vault],
        [claim.bond, claim.bond, 0n, -2n * claim.bond, 0n],
      );
      expect(await vault.pendingReserve()).to.equal(0n);
      expect(await adj.openClaimOf(policyId)).to.equal(0n);
      expect((await adj.getClaim(claimId)).state).to.equal(State.Drawn);

      await expect(adj.connect(buyer).fileClaim(policyId, amount, s.incidentTime, EVIDENCE))
        .to.emit(adj, "ClaimFiled")
        .withArgs(
          claimId + 1n,
          policyId,
          buyer.address,
          amount,
          amount,
          s.incidentTime,
          claim.bond,
          (x: bigint) => x > 0n,
          EVIDENCE,
        );
    });

    it("bars committee members from voting on a case they filed or disputed", async () => {
      const s = await withCover();
      const { adj, arbiter, asset, coverManager, committee, watcher } = s;
      const [member, disputingMember, other] = committee;
      for (const account of [member, disputingMember]) {
        await (await asset.mint(account.address, usd(100_000))).wait();
        await (await asset.connect(account).approve(await adj.getAddress(), ethers.MaxUint256)).wait();
        await (await asset.connect(account).approve(await coverManager.getAddress(), ethers.MaxUint256)).wait();
      }
      const own = await secondPolicy(s, member, usd(10_000));
      const { claimId } = await fileClaim(s, member, usd(10_000), own.policyId, own.incidentTime);
      const caseId = await dispute(s, watcher, claimId);
      await expect(arbiter.connect(member).castVote(caseId, true))
        .to.be.revertedWithCustomError(arbiter, "ConflictOfInterest")
        .withArgs(caseId, member.address);

      const buyerClaim = await fileClaim(s, s.buyer, usd(10_000));
      const otherCase = await dispute(s, disputingMember, buyerClaim.claimId);
      await expect(arbiter.connect(disputingMember).castVote(otherCase, false))
        .to.be.revertedWithCustomError(arbiter, "ConflictOfInterest")
        .withArgs(otherCase, disputingMember.address);

      // The uninvolved members decide both.
      await (await arbiter.connect(disputingMember).castVote(caseId, false)).wait();
      await (await arbiter.connect(other).castVote(caseId, false)).wait();
      await expect(arbiter.resolve(caseId))
        .to.emit(adj, "RulingReceived")
        .withArgs(await adj.claimKey(claimId), await arbiter.getAddress(), caseId, false);
    });
    it("bars a committee member who holds the claimed policy, even one it received mid-dispute", async () => {
      const s = await withCover();
      const { adj, arbiter, coverManager, committee, watcher, buyer, policyId } = s;
      const [member, second, third] = committee;
      const { claimId } = await fileClaim(s, buyer, usd(10_000));
      const caseId = await dispute(s, watcher, claimId);
      expect(await adj.isParty(await adj.claimKey(claimId), member.address)).to.equal(false);

      // The payout would go to whoever holds the NFT at settlement: a holder has a stake, whoever filed.
      await (await coverManager.connect(buyer).transferFrom(buyer.address, member.address, policyId)).wait();
      expect(await adj.isParty(await adj.claimKey(claimId), member.address)).to.equal(true);
      await expect(arbiter.connect(member).castVote(caseId, true))
        .to.be.revertedWithCustomError(arbiter, "ConflictOfInterest")
        .withArgs(caseId, member.address);
      await (await arbiter.connect(second).castVote(caseId, false)).wait();
      await (await arbiter.connect(third).castVote(caseId, false)).wait();
      await (await arbiter.resolve(caseId)).wait();
      expect((await adj.getClaim(claimId)).ruling).to.equal(2n);
    });

    it("refuses a ruling that arrives after the dispute was settled as a draw", async () => {
      const s = await withCover();
      const { adj, arbiter, committee, watcher, buyer } = s;
      const { claimId } = await fileClaim(s, buyer, usd(10_000));
      const caseId = await dispute(s, watcher, claimId);
      // The committee reaches its quorum in time, but nobody delivers the ruling before the timeout.
      await (await arbiter.connect(committee[0]).castVote(caseId, false)).wait();
      await (await arbiter.connect(committee[1]).castVote(caseId, false)).wait();
      await time.increase(14n * DAY);
      await (await adj.settleClaim(claimId)).wait();
      expect((await adj.getClaim(claimId)).state).to.equal(State.Drawn);

      await expect(arbiter.resolve(caseId))
        .to.be.revertedWithCustomError(adj, "InvalidAssertionState")
        .withArgs(await adj.claimKey(claimId), State.Drawn);
      const claim = await adj.getClaim(claimId);
      expect(claim.state).to.equal(State.Drawn);
      expect(claim.ruling).to.equal(0n);
    });
  });

  describe("pause", () => {
    it("stops claim filing while the adjudicator is paused, until the admin unpauses", async () => {
      const s = await withCover();
      const { adj, buyer, policyId, incidentTime, accounts } = s;
      await (await adj.connect(accounts.guardian).pause()).wait();
      await expect(
        adj.connect(buyer).fileClaim(policyId, usd(1_000), incidentTime, EVIDENCE),
      ).to.be.revertedWithCustomError(adj, "EnforcedPause");
      await (await adj.connect(accounts.admin).unpause()).wait();
      await expect(adj.connect(buyer).fileClaim(policyId, usd(1_000), incidentTime, EVIDENCE)).to.emit(
        adj,
        "ClaimFiled",
      );
    });

    it("lets disputes, votes, rulings, settlements through with adjudicator, vault, CoverManager paused", async () => {
      const s = await withCover();
      const { adj, arbiter, asset, vault, coverManager, buyer, buyer2, watcher, accounts, policyId } = s;
      const other = await secondPolicy(s, buyer2, usd(10_000));
      const disputed = await fileClaim(s, buyer, usd(40_000));
      const undisputed = await fileClaim(s, buyer2, usd(10_000), other.policyId, other.incidentTime);

      await (await adj.connect(accounts.guardian).pause()).wait();
      await (await vault.connect(accounts.guardian).pause()).wait();
      await (await coverManager.connect(accounts.guardian).pause()).wait();
      expect(await adj.paused()).to.equal(true);
      expect(await vault.paused()).to.equal(true);
      expect(await coverManager.paused()).to.equal(true);

      await expect(adj.connect(watcher).disputeClaim(disputed.claimId)).to.emit(adj, "ClaimDisputed");
      const caseId = (await adj.getClaim(disputed.claimId)).caseId;
      const [m1, m2] = s.committee;
      await expect(arbiter.connect(m1).castVote(caseId, true)).to.emit(arbiter, "VoteCast");
      await expect(arbiter.connect(m2).castVote(caseId, true)).to.emit(arbiter, "VoteCast");
      await expect(arbiter.connect(s.outsider).resolve(caseId))
        .to.emit(adj, "RulingReceived")
        .withArgs(await adj.claimKey(disputed.claimId), await arbiter.getAddress(), caseId, true);

      const burn = burnOf(disputed.claim.bond);
      const settleDisputed = adj.connect(s.outsider).settleClaim(disputed.claimId);
      await expect(settleDisputed)
        .to.emit(adj, "ClaimSettled")
        .withArgs(disputed.claimId, policyId, State.Approved, buyer.address, usd(40_000));
      // The paused vault queues the payout (the bond exchange, held by the adjudicator, still settles).
      await expect(settleDisputed)
        .to.emit(vault, "OutflowQueued")
        .withArgs(0n, buyer.address, OutflowKind.ClaimPayout, usd(40_000));
      await expect(settleDisputed).to.changeTokenBalances(
        ethers,
        asset,
        [buyer, watcher, vault],
        [2n * disputed.claim.bond - burn, 0n, 0n],
      );

      await time.increaseTo(undisputed.claim.expiration);
      const settleUndisputed = adj.connect(s.outsider).settleClaim(undisputed.claimId);
      await expect(settleUndisputed)
        .to.emit(adj, "ClaimSettled")
        .withArgs(undisputed.claimId, other.policyId, State.Approved, buyer2.address, usd(10_000));
      await expect(settleUndisputed).to.changeTokenBalances(ethers, asset, [buyer2, vault], [undisputed.claim.bond, 0n]);
      expect(await vault.pendingReserve()).to.equal(0n);
      expect(await vault.queuedOutflowAssets()).to.equal(usd(50_000));
      expect(await adj.paused()).to.equal(true);

      // The guardian releases the queue in order while everything stays paused.
      const release = vault.connect(accounts.guardian).releaseOutflowQueue(10n);
      await expect(release).to.changeTokenBalances(
        ethers,
        asset,
        [buyer, buyer2, vault],
        [usd(40_000), usd(10_000), -usd(50_000)],
      );
      await expect(release).to.emit(vault, "QueuedOutflowPaid").withArgs(0n, buyer.address, usd(40_000), 0n);
      await expect(release).to.emit(vault, "QueuedOutflowPaid").withArgs(1n, buyer2.address, usd(10_000), 0n);
    });
  });
});
