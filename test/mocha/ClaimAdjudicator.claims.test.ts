import { expect } from "chai";

import { buyCover, DAY, ethers, networkHelpers, time, usd } from "./helpers.js";
import {
  ARBITRATION_TIMEOUT,
  at,
  bondOf,
  burnOf,
  COVERAGE_LAG,
  dispute,
  EVIDENCE,
  fileClaim,
  LIVENESS,
  MIN_BOND,
  rule,
  secondPolicy,
  State,
  vaultState,
  VIRTUAL_ASSETS,
  VIRTUAL_SHARES,
  withCover,
  withTwoUnderwriters,
} from "./claimsSetup.js";

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
        .withArgs(s.productIds.lending, amount, without.pendingReserve + amount);
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
      await expect(adj.connect(buyer2).fileClaim(policyId, usd(1_000), policy.start + COVERAGE_LAG + 1n, EVIDENCE))
        .to.be.revertedWithCustomError(adj, "WrongProductKind")
        .withArgs(productIds.depeg);
    });
  });

  describe("disputeClaim", () => {
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

    describe("withdrawing ahead of a payout", () => {
      it("prices a deposit during a pending claim at navAsk", async () => {
        const d = await withTwoUnderwriters();
        const { adj, vault, carol, buyer, policyId, policy } = d;
        await time.increaseTo(policy.start + 2n * DAY);
        const amount = usd(10_000);
        await (await adj.connect(buyer).fileClaim(policyId, amount, policy.start + COVERAGE_LAG + 1n, EVIDENCE)).wait();

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
      await expect(tx).to.emit(vault, "PendingReserveDecreased").withArgs(s.productIds.lending, amount, 0n);
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
      await expect(tx).to.emit(vault, "PendingReserveDecreased").withArgs(s.productIds.lending, amount, 0n);
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
        .withArgs(0n, buyer.address, usd(40_000));
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
