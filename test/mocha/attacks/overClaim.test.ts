import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { parseUnits } from "ethers";

import type { ParapetDeployment } from "../../../deploy/fixture.js";
import type { UnderwriterVault } from "../../../types/ethers-contracts/index.js";
import { asCoverManager, buyCover, DAY, deposit, ethers, time, usd } from "../helpers.js";
import { COVER, EVIDENCE, fileClaim, State, withCover } from "../claimsSetup.js";
import { buy, claimPayout, funded, HOUR, now, report, settleAtExpiration } from "../incidentsSetup.js";
import { governanceFixture } from "../vaultGovernanceSetup.js";

describe("Attack: over-claim", () => {
  it("claiming zero or more than the remaining cover: rejected", async () => {
    const s = await withCover();
    const { adj, buyer, policyId, incidentTime } = s;
    await expect(adj.connect(buyer).fileClaim(policyId, 0n, incidentTime, EVIDENCE))
      .to.be.revertedWithCustomError(adj, "InvalidClaimAmount")
      .withArgs(policyId, 0n, COVER);
    await expect(adj.connect(buyer).fileClaim(policyId, COVER + 1n, incidentTime, EVIDENCE))
      .to.be.revertedWithCustomError(adj, "InvalidClaimAmount")
      .withArgs(policyId, COVER + 1n, COVER);
  });

  it("over-claiming across claims: a policy is never paid more than its amount", async () => {
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

  it("claiming in full after an incident payout: the approved claim is capped at what the payout left of the cover", async () => {
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

  describe("vault payout bound (claims module)", () => {
    let d: ParapetDeployment;
    let vault: UnderwriterVault;
    let vaultAddress: string;
    let outsider: HardhatEthersSigner;
    let claims: HardhatEthersSigner;
    let lending: bigint;
    beforeEach(async () => {
      ({ d, vault, vaultAddress, outsider, claims } = await governanceFixture());
      lending = d.productIds.lending;
    });

    it("a claims module pays only through the CoverManager: to the policy's current owner, from the vault that sold it, never beyond the cover left; the vault refuses it directly with NotCoverManager(caller)", async () => {
      await deposit(vault, d.accounts.underwriters[0], usd(100_000));
      const [holder, owner] = d.accounts.buyers;
      const { policyId } = await buyCover(d, holder, { vault, productId: lending, amount: usd(10_000) });
      // The policy changed hands: its payouts follow the token.
      await (await d.coverManager.connect(holder).transferFrom(holder.address, owner.address, policyId)).wait();

      await expect(vault.connect(claims).payClaim(lending, 0n, claims.address, usd(1_000), 0n))
        .to.be.revertedWithCustomError(vault, "NotCoverManager")
        .withArgs(claims.address);
      await expect(d.coverManager.connect(outsider).payClaim(policyId, usd(1_000), 0n))
        .to.be.revertedWithCustomError(d.coverManager, "NotClaimsModule")
        .withArgs(outsider.address);

      const tx = d.coverManager.connect(claims).payClaim(policyId, usd(4_000), 0n);
      await expect(tx).to.changeTokenBalances(
        ethers,
        d.asset,
        [vaultAddress, owner.address, holder.address, claims.address],
        [-usd(4_000), usd(4_000), 0n, 0n],
      );
      await expect(tx)
        .to.emit(d.coverManager, "PolicyClaimed")
        .withArgs(policyId, usd(4_000), usd(4_000))
        .and.to.emit(vault, "ClaimPaid")
        .withArgs(lending, owner.address, usd(4_000));
      expect(await vault.exposureOf(lending)).to.equal(usd(6_000));

      await expect(d.coverManager.connect(claims).payClaim(policyId, usd(6_000) + 1n, 0n))
        .to.be.revertedWithCustomError(d.coverManager, "ClaimExceedsCover")
        .withArgs(policyId, usd(6_000) + 1n, usd(6_000));
      await expect(d.coverManager.connect(claims).payClaim(999n, 1n, 0n))
        .to.be.revertedWithCustomError(d.coverManager, "UnknownPolicy")
        .withArgs(999n);
      expect((await d.coverManager.getPolicy(policyId)).claimed).to.equal(usd(4_000));
    });

    it("claim payout above what the vault can pay: reverts PayoutExceedsAssets(amount, navBid + released reserve); exactly that is paid", async () => {
      // No cover sold, so no premium streams and navAsk is constant.
      await deposit(vault, d.accounts.underwriters[0], usd(1_000));
      await (await vault.connect(claims).reserveUpTo(lending, usd(600))).wait();
      await (await vault.connect(claims).reserveUpTo(d.productIds.dex, usd(100))).wait();
      // Releasing its own 600 lets the payout reach 900: never the 100 another case holds.
      expect(await vault.navBid()).to.equal(usd(300));
      await expect(vault.connect(await asCoverManager(d.coverManager)).payClaim(lending, 0n, outsider.address, usd(900) + 1n, usd(600)))
        .to.be.revertedWithCustomError(vault, "PayoutExceedsAssets")
        .withArgs(usd(900) + 1n, usd(900));
      // The circuit breaker pays a quarter of NAV now and queues the rest; the books drop by the whole payout at once.
      const tx = vault.connect(await asCoverManager(d.coverManager)).payClaim(lending, 0n, outsider.address, usd(900), usd(600));
      await expect(tx).to.changeTokenBalances(ethers, d.asset, [vaultAddress, outsider.address], [-usd(250), usd(250)]);
      await expect(tx).to.emit(vault, "OutflowQueued").withArgs(0n, outsider.address, usd(650));
      expect(await vault.managedAssets()).to.equal(usd(100));
      expect(await vault.queuedOutflowAssets()).to.equal(usd(650));
      expect(await vault.pendingReserve()).to.equal(usd(100));
    });
  });
});
