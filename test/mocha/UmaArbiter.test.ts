import { expect } from "chai";

import { SEED_UMA } from "../../deploy/seed.js";
import { ASSERT_TRUTH } from "../../deploy/ignition/UmaLocal.js";
import { CommitteeArbiter__factory, RulingRecorder__factory, UmaArbiter__factory } from "../../types/ethers-contracts/index.js";
import { bondOf, burnOf, EVIDENCE, fileClaim, secondPolicy, State } from "./claimsSetup.js";
import { DAY, ethers, time, usd } from "./helpers.js";
import {
  disputeToUma,
  dvmVotes,
  escalationOf,
  storeBalance,
  UMA_BOND,
  UMA_BURN,
  UMA_DEPOSIT,
  UMA_REFUND,
  UmaStatus,
  withUmaCover,
} from "./umaSetup.js";

const MAX_UINT40 = 2n ** 40n - 1n;

describe("UmaArbiter", () => {
  describe("configuration", () => {
    it("takes its currency, identifier and oracle from UMA, and always rules", async () => {
      const s = await withUmaCover();
      expect(await s.umaArbiter.optimisticOracle()).to.equal(await s.oracle.getAddress());
      expect(await s.umaArbiter.adjudicator()).to.equal(await s.adj.getAddress());
      expect(await s.umaArbiter.currency()).to.equal(await s.asset.getAddress());
      expect(await s.umaArbiter.identifier()).to.equal(ASSERT_TRUTH);
      expect(await s.umaArbiter.alwaysRules()).to.equal(true);
      expect(await s.committeeArbiter.alwaysRules()).to.equal(false);
      expect(await s.umaArbiter.escalationBond()).to.equal(UMA_BOND);
      expect(await s.umaArbiter.escalationDeposit()).to.equal(UMA_DEPOSIT);
    });

    it("refuses at deployment a currency UMA does not accept, and a DVM without ASSERT_TRUTH", async () => {
      const s = await withUmaCover();
      const factory = new UmaArbiter__factory(s.accounts.admin);
      const unlisted = s.accounts.outsider.address;
      await expect(factory.deploy(s.oracle, s.adj, unlisted))
        .to.be.revertedWithCustomError(factory, "CurrencyNotAcceptedByUma")
        .withArgs(unlisted);
      await (await s.uma.identifierWhitelist.removeSupportedIdentifier(ASSERT_TRUTH)).wait();
      await expect(factory.deploy(s.oracle, s.adj, s.asset))
        .to.be.revertedWithCustomError(factory, "IdentifierNotSupported")
        .withArgs(ASSERT_TRUTH);
      await expect(factory.deploy(ethers.ZeroAddress, s.adj, s.asset)).to.be.revertedWithCustomError(
        factory,
        "ZeroAddress",
      );
    });

    it("lets only the risk manager choose a product's arbiter, and zero returns it to the default", async () => {
      const s = await withUmaCover();
      const { lending } = s.productIds;
      expect(await s.adj.arbiterFor(lending)).to.equal(await s.umaArbiter.getAddress());
      expect(await s.adj.arbiterFor(s.productIds.depeg)).to.equal(await s.committeeArbiter.getAddress());
      await expect(s.adj.connect(s.accounts.admin).setProductArbiter(lending, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(s.adj, "AccessManagedUnauthorized")
        .withArgs(s.accounts.admin.address);
      await expect(s.adj.connect(s.accounts.riskManager).setProductArbiter(lending, ethers.ZeroAddress))
        .to.emit(s.adj, "ProductArbiterSet")
        .withArgs(lending, ethers.ZeroAddress);
      expect(await s.adj.arbiterFor(lending)).to.equal(await s.committeeArbiter.getAddress());
    });

    it("refuses a product arbiter whose voting period does not end before the arbitration timeout", async () => {
      const s = await withUmaCover();
      const timeout = await s.adj.arbitrationTimeout();
      // A committee serving another adjudicator (60-day timeout) may vote for 30 days; here that would end in draws.
      const recorder = await new RulingRecorder__factory(s.accounts.admin).deploy();
      const slowCommittee = await new CommitteeArbiter__factory(s.accounts.admin).deploy(
        s.accessManager,
        recorder,
        s.committee.map((member) => member.address),
        2n,
        30n * DAY,
      );
      await expect(s.adj.connect(s.accounts.riskManager).setProductArbiter(s.productIds.lending, slowCommittee))
        .to.be.revertedWithCustomError(s.adj, "ParameterOutOfBounds")
        .withArgs(ethers.encodeBytes32String("arbitrationTimeout"), timeout);
      expect(await s.adj.arbiterFor(s.productIds.lending)).to.equal(await s.umaArbiter.getAddress());
    });
  });

  describe("escalation", () => {
    it("asserts the claim's statement on Optimistic Oracle V3 and disputes it at once, at UMA's minimum bond", async () => {
      const s = await withUmaCover();
      const amount = usd(30_000);
      const { claimId } = await fileClaim(s, s.buyer, amount);
      const key = await s.adj.claimKey(claimId);
      const statement = await s.umaArbiter.statementOf(key);

      const tx = s.adj.connect(s.watcher).disputeClaim(claimId);
      await expect(tx).to.changeTokenBalances(
        ethers,
        s.asset,
        [s.watcher, s.adj, s.umaArbiter, s.oracle],
        [-(bondOf(amount) + UMA_DEPOSIT), bondOf(amount), 0n, UMA_DEPOSIT],
      );
      const receipt = (await (await tx).wait())!;
      const escalation = escalationOf(s, receipt);
      await expect(tx)
        .to.emit(s.umaArbiter, "CaseEscalated")
        .withArgs(escalation.caseId, key, escalation.assertionId, s.watcher.address, UMA_BOND);
      await expect(tx)
        .to.emit(s.oracle, "AssertionMade")
        .withArgs(
          escalation.assertionId,
          ethers.ZeroHash,
          ethers.hexlify(ethers.toUtf8Bytes(statement)),
          await s.umaArbiter.getAddress(),
          await s.umaArbiter.getAddress(),
          ethers.ZeroAddress,
          await s.umaArbiter.getAddress(),
          (await time.latest()) + 7_200,
          await s.asset.getAddress(),
          UMA_BOND,
          ASSERT_TRUTH,
        );
      await expect(tx).to.emit(s.adj, "ClaimDisputed").withArgs(claimId, s.policyId, s.watcher.address, escalation.caseId);

      const claim = await s.adj.getClaim(claimId);
      expect(claim.arbiter).to.equal(await s.umaArbiter.getAddress());
      expect(claim.drawAt).to.equal(MAX_UINT40);
      const umaCase = await s.umaArbiter.getUmaCase(escalation.caseId);
      expect(umaCase.key).to.equal(key);
      expect(umaCase.assertionId).to.equal(escalation.assertionId);
      expect(umaCase.disputer).to.equal(s.watcher.address);
      expect(umaCase.bond).to.equal(UMA_BOND);
      expect(umaCase.status).to.equal(UmaStatus.AwaitingDvm);
      expect(await s.umaArbiter.caseOfAssertion(escalation.assertionId)).to.equal(escalation.caseId);
    });

    it("states what a voter needs: chain, adjudicator, ids, terms, amount, incident time, where the evidence is", async () => {
      const s = await withUmaCover();
      const amount = usd(30_000);
      const { claimId } = await fileClaim(s, s.buyer, amount);
      const statement = await s.umaArbiter.statementOf(await s.adj.claimKey(claimId));
      const product = await s.productRegistry.getProduct(s.productIds.lending);
      const { chainId } = await ethers.provider.getNetwork();
      for (const part of [
        `Parapet claim ${claimId} on chain ${chainId}, adjudicator ${await s.adj.getAddress()}.`,
        `Policy ${s.policyId} of product ${s.productIds.lending} (terms: ${product.metadataURI})`,
        `underwritten by vault ${await s.vault.getAddress()}, covers ${s.policy.amount} units of token ${await s.asset.getAddress()}`,
        `against incidents after ${s.policy.start + product.coverageLag} and up to ${s.policy.end}.`,
        `Its holder claims ${amount} units for an incident at ${s.incidentTime}.`,
        `Evidence: the evidenceURI of the ClaimFiled event with claimId ${claimId} emitted by the adjudicator.`,
      ]) {
        expect(statement).to.contain(part);
      }
    });

    it("takes the bond from UMA's Store as it is when each case starts; a later fee change leaves open cases alone", async () => {
      const s = await withUmaCover();
      const { claimId } = await fileClaim(s, s.buyer, usd(10_000));
      const first = await disputeToUma(s, s.watcher, claimId);
      const newFee = SEED_UMA.finalFee * 3n;
      await (await s.store.setFinalFee(s.asset, { rawValue: newFee })).wait();
      expect(await s.umaArbiter.escalationBond()).to.equal(2n * newFee);

      const { policyId, incidentTime } = await secondPolicy(s, s.buyer2);
      const { claimId: secondClaimId } = await fileClaim(s, s.buyer2, usd(5_000), policyId, incidentTime);
      const second = await disputeToUma(s, s.watcher, secondClaimId);
      expect(second.bond).to.equal(2n * newFee);
      expect((await s.umaArbiter.getUmaCase(first.caseId)).bond).to.equal(UMA_BOND);
      // The first case settles on its own bond: UMA burns the old final fee.
      const before = await storeBalance(s);
      await dvmVotes(s, first, true);
      expect((await storeBalance(s)) - before).to.equal(UMA_BURN);
    });

    it("opens cases only for its adjudicator", async () => {
      const s = await withUmaCover();
      await expect(s.umaArbiter.connect(s.watcher).requestRuling(ethers.ZeroHash, s.buyer, s.watcher))
        .to.be.revertedWithCustomError(s.umaArbiter, "NotAdjudicator")
        .withArgs(s.watcher.address);
    });

    it("keeps a case with the arbiter it was disputed before when the product changes arbiter", async () => {
      const s = await withUmaCover();
      const { claimId } = await fileClaim(s, s.buyer, usd(10_000));
      const escalation = await disputeToUma(s, s.watcher, claimId);
      await (await s.adj.connect(s.accounts.riskManager).setProductArbiter(s.productIds.lending, ethers.ZeroAddress)).wait();
      await time.increase(30n * DAY);
      await dvmVotes(s, escalation, false);
      await expect(s.adj.settleClaim(claimId)).to.emit(s.adj, "ClaimSettled").withArgs(claimId, s.policyId, State.Rejected, s.buyer.address, 0n);
    });
  });

  describe("the DVM decides", () => {
    it("approves an honest claim: the current owner of the policy is paid; bonds and UMA's burn exact", async () => {
      const s = await withUmaCover();
      const amount = usd(30_000);
      const { claimId } = await fileClaim(s, s.buyer, amount);
      const escalation = await disputeToUma(s, s.watcher, claimId);
      // The policy changes hands while the vote runs: the payout follows the NFT.
      await (await s.coverManager.connect(s.buyer).transferFrom(s.buyer, s.buyer3, s.policyId)).wait();

      const storeBefore = await storeBalance(s);
      const settle = dvmVotes(s, escalation, true);
      await expect(settle).to.emit(s.umaArbiter, "DvmResolved").withArgs(escalation.caseId, escalation.assertionId, true, UMA_REFUND);
      await expect(settle).to.emit(s.umaArbiter, "RulingDelivered").withArgs(escalation.caseId, true);
      await expect(settle)
        .to.emit(s.adj, "RulingReceived")
        .withArgs(await s.adj.claimKey(claimId), await s.umaArbiter.getAddress(), escalation.caseId, true);
      await expect(settle).to.changeTokenBalances(ethers, s.asset, [s.watcher, s.oracle, s.umaArbiter], [UMA_REFUND, -UMA_DEPOSIT, 0n]);
      expect((await storeBalance(s)) - storeBefore).to.equal(UMA_BURN);
      expect((await s.umaArbiter.getUmaCase(escalation.caseId)).status).to.equal(UmaStatus.Delivered);

      const bond = bondOf(amount);
      const settleClaim = s.adj.connect(s.outsider).settleClaim(claimId);
      await expect(settleClaim).to.emit(s.adj, "ClaimSettled").withArgs(claimId, s.policyId, State.Approved, s.buyer3.address, amount);
      await expect(settleClaim).to.changeTokenBalances(
        ethers,
        s.asset,
        [s.buyer3, s.buyer, s.watcher, s.treasury],
        [amount, 2n * bond - burnOf(bond), 0n, burnOf(bond)],
      );
    });

    it("rejects a fraudulent claim: reserve released, the disputer wins the filer's bond and recovers UMA's deposit less its fee", async () => {
      const s = await withUmaCover();
      const amount = usd(60_000);
      const bond = bondOf(amount);
      const { claimId } = await fileClaim(s, s.buyer, amount);
      const watcherBefore = await s.asset.balanceOf(s.watcher);
      const escalation = await disputeToUma(s, s.watcher, claimId);
      await dvmVotes(s, escalation, false);
      const pendingBefore = await s.vault.pendingReserve();

      const settle = s.adj.settleClaim(claimId);
      await expect(settle).to.emit(s.adj, "ClaimSettled").withArgs(claimId, s.policyId, State.Rejected, s.buyer.address, 0n);
      await expect(settle).to.emit(s.adj, "BondsSettled").withArgs(await s.adj.claimKey(claimId), 0n, 2n * bond - burnOf(bond), burnOf(bond));
      await (await settle).wait();
      expect(await s.vault.pendingReserve()).to.equal(pendingBefore - amount);
      // The disputer's whole account: the filer's bond less the burn, less UMA's final fee.
      expect((await s.asset.balanceOf(s.watcher)) - watcherBefore).to.equal(bond - burnOf(bond) - UMA_BURN);
      expect((await s.coverManager.getPolicy(s.policyId)).claimed).to.equal(0n);
    });

    it("never draws: months without a vote keep the claim waiting, and a vote after months settles it", async () => {
      const s = await withUmaCover();
      const { claimId } = await fileClaim(s, s.buyer, usd(20_000));
      const escalation = await disputeToUma(s, s.watcher, claimId);
      const key = await s.adj.claimKey(claimId);
      await time.increase(180n * DAY);
      await expect(s.adj.settleClaim(claimId)).to.be.revertedWithCustomError(s.adj, "AwaitingRuling").withArgs(key, MAX_UINT40);
      // No vote yet: UMA's mock DVM has no price, so the assertion cannot settle.
      await expect(s.oracle.settleAssertion(escalation.assertionId)).to.be.revert(ethers);
      expect((await s.umaArbiter.getUmaCase(escalation.caseId)).status).to.equal(UmaStatus.AwaitingDvm);

      await dvmVotes(s, escalation, true);
      const umaCase = await s.umaArbiter.getUmaCase(escalation.caseId);
      expect(umaCase.resolvedAt).to.equal(await time.latest());
      await expect(s.adj.settleClaim(claimId)).to.emit(s.adj, "ClaimSettled").withArgs(claimId, s.policyId, State.Approved, s.buyer.address, usd(20_000));
    });

    it("escalates an incident report the same way: the DVM rejects it and the reserves return", async () => {
      const s = await withUmaCover();
      const incidentTime = BigInt(await time.latest()) - DAY;
      await (await s.adj.connect(s.watcher).reportIncident(s.productIds.lending, incidentTime, 5n * 10n ** 17n, EVIDENCE)).wait();
      const incidentId = await s.adj.incidentCount();
      const incident = await s.adj.getIncident(incidentId);
      const key = await s.adj.incidentKey(incidentId);
      const [disputer] = s.accounts.buyers.slice(3);
      const statement = await s.umaArbiter.statementOf(key);
      expect(statement).to.contain(`Parapet incident report ${incidentId} on chain`);
      expect(statement).to.contain(`suffered an incident at ${incidentTime}; if confirmed, every eligible policy is paid 500000000000000000 / 1e18`);
      expect(statement).to.contain(`IncidentReported event with incidentId ${incidentId}`);

      await (await s.asset.connect(disputer).approve(s.adj, incident.bond)).wait();
      const receipt = (await (await s.adj.connect(disputer).disputeIncident(incidentId)).wait())!;
      const escalation = escalationOf(s, receipt);
      expect((await s.adj.getIncident(incidentId)).drawAt).to.equal(MAX_UINT40);
      expect((await s.umaArbiter.getUmaCase(escalation.caseId)).key).to.equal(key);

      const reserveBefore = await s.vault.pendingReserve();
      expect(reserveBefore).to.be.greaterThan(0n);
      await dvmVotes(s, escalation, false);
      const settle = s.adj.settleIncident(incidentId);
      await expect(settle).to.emit(s.adj, "IncidentSettled").withArgs(incidentId, s.productIds.lending, State.Rejected);
      await expect(settle)
        .to.emit(s.adj, "BondsSettled")
        .withArgs(key, 0n, 2n * incident.bond - burnOf(incident.bond), burnOf(incident.bond));
      await (await settle).wait();
      expect(await s.vault.pendingReserve()).to.equal(0n);
    });
  });
});
