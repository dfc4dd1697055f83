import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";

import type { ParapetDeployment } from "../../deploy/fixture.js";
import type { UnderwriterVault } from "../../types/ethers-contracts/index.js";
import { buyCover, deposit, ethers, usd } from "./helpers.js";
import { governanceFixture } from "./vaultGovernanceSetup.js";

/**
 * The policy's side of a discretionary claim, as the claims module drives it: `openClaim` marks the claim on the
 * policy (in the policy's own slot), `closeClaim` pays or not, releases the claim's reserve and clears the mark. What
 * payouts used of the cover rides in the policy token's ownership slot, so it goes with the token. A stand-in account is the registry's claims module, so each step is called directly.
 */
describe("CoverManager: openClaim and closeClaim", () => {
  let d: ParapetDeployment;
  let vault: UnderwriterVault;
  let claims: HardhatEthersSigner;
  let outsider: HardhatEthersSigner;
  let holder: HardhatEthersSigner;
  let owner: HardhatEthersSigner;
  let policyId: bigint;
  let lending: bigint;

  beforeEach(async () => {
    ({ d, vault, claims, outsider } = await governanceFixture());
    lending = d.productIds.lending;
    [holder, owner] = d.accounts.buyers;
    await deposit(vault, d.accounts.underwriters[0], usd(100_000));
    ({ policyId } = await buyCover(d, holder, { vault, productId: lending, amount: usd(10_000) }));
    await (await d.coverManager.connect(holder).transferFrom(holder.address, owner.address, policyId)).wait();
  });

  it("openClaim: marks the claim, returns the policy and its current owner; a second claim reverts ClaimAlreadyOpen(policyId, claimId)", async () => {
    const [policy, current] = await d.coverManager.connect(claims).openClaim.staticCall(policyId, 7n);
    expect([...policy]).to.deep.equal([...(await d.coverManager.getPolicy(policyId))]);
    expect(current).to.equal(owner.address);
    await (await d.coverManager.connect(claims).openClaim(policyId, 7n)).wait();
    expect(await d.coverManager.openClaimOf(policyId)).to.equal(7n);
    expect(await d.claimAdjudicator.openClaimOf(policyId)).to.equal(7n);
    await expect(d.coverManager.connect(claims).openClaim(policyId, 8n))
      .to.be.revertedWithCustomError(d.coverManager, "ClaimAlreadyOpen")
      .withArgs(policyId, 7n);
  });

  it("openClaim: refuses claim id 0 and ids past 40 bits (InvalidClaimId), unknown policies (UnknownPolicy) and anyone but the claims module (NotClaimsModule)", async () => {
    for (const claimId of [0n, 2n ** 40n]) {
      await expect(d.coverManager.connect(claims).openClaim(policyId, claimId))
        .to.be.revertedWithCustomError(d.coverManager, "InvalidClaimId")
        .withArgs(claimId);
    }
    await expect(d.coverManager.connect(claims).openClaim(999n, 1n))
      .to.be.revertedWithCustomError(d.coverManager, "UnknownPolicy")
      .withArgs(999n);
    for (const caller of [outsider, owner, d.accounts.admin]) {
      await expect(d.coverManager.connect(caller).openClaim(policyId, 1n))
        .to.be.revertedWithCustomError(d.coverManager, "NotClaimsModule")
        .withArgs(caller.address);
      await expect(d.coverManager.connect(caller).closeClaim(policyId, 0n, 0n))
        .to.be.revertedWithCustomError(d.coverManager, "NotClaimsModule")
        .withArgs(caller.address);
    }
    expect(await d.coverManager.openClaimOf(policyId)).to.equal(0n);
  });

  it("openClaim at the 40-bit edge: 2^40 - 1 is marked whole and the policy's own fields are untouched", async () => {
    const before = [...(await d.coverManager.getPolicy(policyId))];
    await (await d.coverManager.connect(claims).openClaim(policyId, 2n ** 40n - 1n)).wait();
    expect(await d.coverManager.openClaimOf(policyId)).to.equal(2n ** 40n - 1n);
    expect([...(await d.coverManager.getPolicy(policyId))]).to.deep.equal(before);
    await (await d.coverManager.connect(claims).closeClaim(policyId, 0n, 0n)).wait();
    expect(await d.coverManager.openClaimOf(policyId)).to.equal(0n);
    expect([...(await d.coverManager.getPolicy(policyId))]).to.deep.equal(before);
  });

  it("the claimed total goes with the token: a transfer keeps it and the open claim; the new holder is paid at most what is left", async () => {
    await (await d.coverManager.connect(claims).openClaim(policyId, 3n)).wait();
    await (await d.coverManager.connect(claims).payClaim(policyId, usd(4_000), 0n)).wait();
    await (await d.coverManager.connect(owner).transferFrom(owner.address, holder.address, policyId)).wait();
    expect(await d.coverManager.ownerOf(policyId)).to.equal(holder.address);
    expect((await d.coverManager.getPolicy(policyId)).claimed).to.equal(usd(4_000));
    expect(await d.coverManager.openClaimOf(policyId)).to.equal(3n);
    await expect(d.coverManager.connect(claims).payClaim(policyId, usd(6_000) + 1n, 0n))
      .to.be.revertedWithCustomError(d.coverManager, "ClaimExceedsCover")
      .withArgs(policyId, usd(6_000) + 1n, usd(6_000));
    const tx = d.coverManager.connect(claims).closeClaim(policyId, usd(10_000), 0n);
    await expect(tx).to.changeTokenBalances(ethers, d.asset, [vault, holder, owner], [-usd(6_000), usd(6_000), 0n]);
    await expect(tx).to.emit(d.coverManager, "PolicyClaimed").withArgs(policyId, usd(6_000), usd(10_000));
    expect(await d.coverManager.ownerOf(policyId)).to.equal(holder.address);
  });

  it("closeClaim with a payout: pays the current owner, records it, releases the claim's reserve and clears the mark", async () => {
    await (await vault.connect(claims).reserveUpTo(lending, usd(3_000))).wait();
    await (await d.coverManager.connect(claims).openClaim(policyId, 1n)).wait();
    const [paid, receiver, vaultAddress] = await d.coverManager.connect(claims).closeClaim.staticCall(policyId, usd(3_000), usd(3_000));
    expect([paid, receiver, vaultAddress]).to.deep.equal([usd(3_000), owner.address, await vault.getAddress()]);
    const tx = d.coverManager.connect(claims).closeClaim(policyId, usd(3_000), usd(3_000));
    await expect(tx).to.changeTokenBalances(ethers, d.asset, [vault, owner, holder], [-usd(3_000), usd(3_000), 0n]);
    await expect(tx)
      .to.emit(d.coverManager, "PolicyClaimed")
      .withArgs(policyId, usd(3_000), usd(3_000))
      .and.to.emit(vault, "PendingReserveDecreased")
      .withArgs(lending, usd(3_000), 0n);
    expect(await d.coverManager.openClaimOf(policyId)).to.equal(0n);
    expect((await d.coverManager.getPolicy(policyId)).claimed).to.equal(usd(3_000));
    expect(await vault.pendingReserve()).to.equal(0n);
    // The policy takes its next claim.
    await (await d.coverManager.connect(claims).openClaim(policyId, 2n)).wait();
    expect(await d.coverManager.openClaimOf(policyId)).to.equal(2n);
  });

  it("closeClaim without a payout: pays nothing, has the vault release the claim's reserve, clears the mark", async () => {
    await (await vault.connect(claims).reserveUpTo(lending, usd(2_000))).wait();
    await (await d.coverManager.connect(claims).openClaim(policyId, 1n)).wait();
    const tx = d.coverManager.connect(claims).closeClaim(policyId, 0n, usd(2_000));
    await expect(tx).to.changeTokenBalances(ethers, d.asset, [vault, owner], [0n, 0n]);
    await expect(tx).to.emit(vault, "PendingReserveDecreased").withArgs(lending, usd(2_000), 0n);
    await expect(tx).to.not.emit(d.coverManager, "PolicyClaimed");
    expect(await d.coverManager.openClaimOf(policyId)).to.equal(0n);
    expect((await d.coverManager.getPolicy(policyId)).claimed).to.equal(0n);
    expect(await vault.pendingReserve()).to.equal(0n);
  });

  it("closeClaim with no claim open: reverts NoOpenClaim(policyId) and pays nothing", async () => {
    await expect(d.coverManager.connect(claims).closeClaim(policyId, usd(1_000), 0n))
      .to.be.revertedWithCustomError(d.coverManager, "NoOpenClaim")
      .withArgs(policyId);
    await expect(d.coverManager.connect(claims).closeClaim(999n, 0n, 0n))
      .to.be.revertedWithCustomError(d.coverManager, "UnknownPolicy")
      .withArgs(999n);
    expect((await d.coverManager.getPolicy(policyId)).claimed).to.equal(0n);
  });

  it("payClaim while a claim is open (an incident payout): records the payout and keeps the claim open; closing it then pays at most the cover left", async () => {
    await (await d.coverManager.connect(claims).openClaim(policyId, 5n)).wait();
    await (await d.coverManager.connect(claims).payClaim(policyId, usd(1_000), 0n)).wait();
    expect(await d.coverManager.openClaimOf(policyId)).to.equal(5n);
    expect((await d.coverManager.getPolicy(policyId)).claimed).to.equal(usd(1_000));
    await expect(d.coverManager.connect(claims).payClaim(policyId, usd(9_000) + 1n, 0n))
      .to.be.revertedWithCustomError(d.coverManager, "ClaimExceedsCover")
      .withArgs(policyId, usd(9_000) + 1n, usd(9_000));
    // Approved for the whole 10,000: the incident used 1,000 of the cover since, so 9,000 is paid.
    const tx = d.coverManager.connect(claims).closeClaim(policyId, usd(10_000), 0n);
    await expect(tx).to.changeTokenBalances(ethers, d.asset, [vault, owner], [-usd(9_000), usd(9_000)]);
    await expect(tx).to.emit(d.coverManager, "PolicyClaimed").withArgs(policyId, usd(9_000), usd(10_000));
    expect(await d.coverManager.openClaimOf(policyId)).to.equal(0n);
  });

  it("decreasePendingReserve from anyone but the claims module or the CoverManager: NotClaimsModule(caller), the reserve kept", async () => {
    await (await vault.connect(claims).reserveUpTo(lending, usd(500))).wait();
    await expect(vault.connect(outsider).decreasePendingReserve(lending, usd(500)))
      .to.be.revertedWithCustomError(vault, "NotClaimsModule")
      .withArgs(outsider.address);
    expect(await vault.pendingReserve()).to.equal(usd(500));
  });
});
