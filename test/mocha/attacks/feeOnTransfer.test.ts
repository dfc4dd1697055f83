import { expect } from "chai";

import { FeeOnTransferToken__factory, SwitchableFeeToken__factory } from "../../../types/ethers-contracts/index.js";
import { DAY, ethers, loadParapet, networkHelpers, time, usd, vaultFactory } from "../helpers.js";
import { buyLendingCover, deployParapetOn } from "./exoticAsset.js";
import { viewAt } from "./utils.js";

const FEE_BPS = 100n; // 1%, burned
const WAD = 10n ** 18n;
const EVIDENCE = "ipfs://parapet/evidence/fee-on-transfer";
const INCIDENT_BOND = usd(10_000);

/** What a 1%-fee transfer of `amount` delivers. */
const afterFee = (amount: bigint) => amount - (amount * FEE_BPS) / 10_000n;

/**
 * The protocol on a token whose fee is off while a vault is funded (1,000,000), a 100k lending policy is bought, and a
 * 10k claim and a bogus incident report are filed on it; the fee is then switched on (1%) for every test.
 */
async function deployWithFeeSwitch() {
  const [admin] = await ethers.getSigners();
  const token = await new SwitchableFeeToken__factory(admin).deploy();
  const d = await deployParapetOn(token);
  const { vault, claimAdjudicator: adj, productIds } = d;
  const [underwriter] = d.accounts.underwriters;
  const [buyer, buyer2] = d.accounts.buyers;
  await (await vault.connect(underwriter).deposit(usd(1_000_000), underwriter.address)).wait();
  const { params, policyId, policy } = await buyLendingCover(d);
  await time.increaseTo(policy.start + 2n * DAY);
  const incidentTime = policy.start + DAY + 1n;
  // A pending claim and a pending incident report, for the dispute paths.
  await (await adj.connect(buyer).fileClaim(policyId, usd(10_000), incidentTime, EVIDENCE)).wait();
  await (await adj.connect(buyer2).reportIncident(productIds.dex, incidentTime, WAD, EVIDENCE)).wait();
  await (await token.setFeeBps(FEE_BPS)).wait();
  return { ...d, token, underwriter, buyer, buyer2, params, policyId, incidentTime };
}

type Setup = Awaited<ReturnType<typeof deployWithFeeSwitch>>;


/** Everything a refused pull could have touched. */
async function snapshotState(s: Setup) {
  const vaultAddress = await s.vault.getAddress();
  const adjAddress = await s.claimAdjudicator.getAddress();
  return {
    vaultBalance: await s.token.balanceOf(vaultAddress),
    adjudicatorBalance: await s.token.balanceOf(adjAddress),
    treasuryBalance: await s.token.balanceOf(s.treasury.address),
    managedAssets: await s.vault.managedAssets(),
    pendingReserve: await s.vault.pendingReserve(),
    totalSupply: await s.vault.totalSupply(),
    exposure: await s.vault.exposureOf(s.productIds.lending),
    policyCount: await s.coverManager.policyCount(),
    claimCount: await s.claimAdjudicator.claimCount(),
    incidentCount: await s.claimAdjudicator.incidentCount(),
    lendingOpenIncidents: (await s.productRegistry.getProduct(s.productIds.lending)).openIncidents,
    dexOpenIncidents: (await s.productRegistry.getProduct(s.productIds.dex)).openIncidents,
    claimState: (await s.claimAdjudicator.getClaim(1n)).state,
    incidentState: (await s.claimAdjudicator.getIncident(1n)).state,
  };
}

describe("Attack: fee-on-transfer asset on every pull path", () => {
  it("an always-on fee-on-transfer asset: the very first deposit reverts UnsupportedToken(token, 1000, 990), no shares minted", async () => {
    const { accessManager, coverManager, productRegistry, accounts } = await loadParapet();
    const [alice] = accounts.underwriters;
    const token = await new FeeOnTransferToken__factory(accounts.admin).deploy();
    const vault = await (await vaultFactory(accounts.admin)).deploy(
      token,
      "Fee vault",
      "fv",
      accessManager,
      coverManager,
      productRegistry,
    );
    await token.mint(alice.address, usd(1_000));
    await token.connect(alice).approve(vault, usd(1_000));
    await expect(vault.connect(alice).deposit(usd(1_000), alice.address))
      .to.be.revertedWithCustomError(vault, "UnsupportedToken")
      .withArgs(await token.getAddress(), usd(1_000), usd(990));
    expect(await vault.totalSupply()).to.equal(0n);
    expect(await vault.managedAssets()).to.equal(0n);
    expect(await token.balanceOf(alice.address)).to.equal(usd(1_000));
  });

  describe("a fee switched on after launch", () => {
    const load = () => networkHelpers.loadFixture(deployWithFeeSwitch);

    it("vault deposit and mint: revert UnsupportedToken(token, assets, assets - 1%); no shares, no booked assets", async () => {
      const s = await load();
      const before = await snapshotState(s);
      const [, bob] = s.accounts.underwriters;
      const token = await s.token.getAddress();
      await expect(s.vault.connect(bob).deposit(usd(100_000), bob.address))
        .to.be.revertedWithCustomError(s.vault, "UnsupportedToken")
        .withArgs(token, usd(100_000), afterFee(usd(100_000)));
      const shares = 10n ** 15n;
      const mintAt = BigInt(await time.latest()) + 10n;
      const assets = await viewAt(mintAt, () => s.vault.previewMint(shares));
      await time.setNextBlockTimestamp(mintAt);
      await expect(s.vault.connect(bob).mint(shares, bob.address))
        .to.be.revertedWithCustomError(s.vault, "UnsupportedToken")
        .withArgs(token, assets, afterFee(assets));
      expect(await s.vault.balanceOf(bob.address)).to.equal(0n);
      expect(await s.token.balanceOf(bob.address)).to.equal(usd(1_000_000));
      expect(await snapshotState(s)).to.deep.equal(before);
    });

    it("premium payment in buyCover: reverts UnsupportedToken(token, premium + fee, that - 1%); no policy, no exposure, no fee", async () => {
      const s = await load();
      const [, , buyer3] = s.accounts.buyers;
      const params = { ...s.params, receiver: buyer3.address };
      const buyAt = BigInt(await time.latest()) + 10n;
      const [premium, fee] = await viewAt(buyAt, () =>
        s.coverManager.quotePremium(params.productId, params.vault, params.amount, params.period),
      );
      const before = await snapshotState(s);
      await time.setNextBlockTimestamp(buyAt);
      // The premium and the protocol fee are pulled into the vault together.
      await expect(s.coverManager.connect(buyer3).buyCover(params))
        .to.be.revertedWithCustomError(s.coverManager, "UnsupportedToken")
        .withArgs(await s.token.getAddress(), premium + fee, afterFee(premium + fee));
      expect(await s.coverManager.balanceOf(buyer3.address)).to.equal(0n);
      expect(await s.token.balanceOf(buyer3.address)).to.equal(usd(1_000_000));
      expect(await snapshotState(s)).to.deep.equal(before);
    });

    it("claim bond in fileClaim: reverts UnsupportedToken(token, bond, bond - 1%); no claim, no reserve", async () => {
      const s = await load();
      const [, , buyer3] = s.accounts.buyers;
      // A second policy, bought while the fee is briefly off again, so that a claim can be filed on it.
      await (await s.token.setFeeBps(0n)).wait();
      await (await s.coverManager.connect(buyer3).buyCover({ ...s.params, receiver: buyer3.address })).wait();
      const policyId = await s.coverManager.policyCount();
      const policy = await s.coverManager.getPolicy(policyId);
      await (await s.token.setFeeBps(FEE_BPS)).wait();
      await time.increaseTo(policy.start + 2n * DAY);

      const before = await snapshotState(s);
      const amount = usd(10_000);
      const bond = await s.claimAdjudicator.bondFor(await s.token.getAddress(), amount);
      expect(bond).to.equal(usd(500)); // 5% of 10,000 (above the 100 minimum)
      await expect(s.claimAdjudicator.connect(buyer3).fileClaim(policyId, amount, policy.start + DAY + 1n, EVIDENCE))
        .to.be.revertedWithCustomError(s.claimAdjudicator, "UnsupportedToken")
        .withArgs(await s.token.getAddress(), bond, afterFee(bond));
      expect(await s.claimAdjudicator.openClaimOf(policyId)).to.equal(0n);
      expect(await snapshotState(s)).to.deep.equal(before);
    });

    it("dispute bond in disputeClaim: reverts UnsupportedToken(token, bond, bond - 1%); the claim stays Pending, no case opens", async () => {
      const s = await load();
      const before = await snapshotState(s);
      const bond = (await s.claimAdjudicator.getClaim(1n)).bond;
      expect(bond).to.equal(usd(500));
      await expect(s.claimAdjudicator.connect(s.accounts.watcher).disputeClaim(1n))
        .to.be.revertedWithCustomError(s.claimAdjudicator, "UnsupportedToken")
        .withArgs(await s.token.getAddress(), bond, afterFee(bond));
      expect(await s.committeeArbiter.caseCount()).to.equal(0n);
      expect(await snapshotState(s)).to.deep.equal(before);
    });

    it("incident bond in reportIncident: reverts UnsupportedToken(token, 10,000, 9,900); no incident, sales not stopped", async () => {
      const s = await load();
      const before = await snapshotState(s);
      await expect(
        s.claimAdjudicator.connect(s.accounts.watcher).reportIncident(s.productIds.lending, s.incidentTime, WAD, EVIDENCE),
      )
        .to.be.revertedWithCustomError(s.claimAdjudicator, "UnsupportedToken")
        .withArgs(await s.token.getAddress(), INCIDENT_BOND, afterFee(INCIDENT_BOND));
      expect(before.lendingOpenIncidents).to.equal(0n);
      expect(await snapshotState(s)).to.deep.equal(before);
    });

    it("incident dispute bond in disputeIncident: reverts UnsupportedToken(token, 10,000, 9,900); the report stays Pending", async () => {
      const s = await load();
      const before = await snapshotState(s);
      expect(before.dexOpenIncidents).to.equal(1n);
      await expect(s.claimAdjudicator.connect(s.accounts.watcher).disputeIncident(1n))
        .to.be.revertedWithCustomError(s.claimAdjudicator, "UnsupportedToken")
        .withArgs(await s.token.getAddress(), INCIDENT_BOND, afterFee(INCIDENT_BOND));
      expect(await s.committeeArbiter.caseCount()).to.equal(0n);
      expect(await snapshotState(s)).to.deep.equal(before);
    });
  });
});
