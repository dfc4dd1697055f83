import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";

import type { ParapetDeployment } from "../../deploy/fixture.js";
import type { UnderwriterVault } from "../../types/ethers-contracts/index.js";
import { buyCover, deposit, ethers, usd } from "./helpers.js";
import { governanceFixture } from "./vaultGovernanceSetup.js";

/**
 * The policy NFT's ERC-721 surface. The standard declares approve and the transfers payable (and Solady's ERC721, which
 * the CoverManager builds on, keeps them so); nothing would ever return Ether sent with one, so each refuses it.
 */
describe("CoverManager: the policy token (ERC-721)", () => {
  let d: ParapetDeployment;
  let vault: UnderwriterVault;
  let holder: HardhatEthersSigner;
  let other: HardhatEthersSigner;
  let policyId: bigint;

  beforeEach(async () => {
    ({ d, vault } = await governanceFixture());
    [holder, other] = d.accounts.buyers;
    await deposit(vault, d.accounts.underwriters[0], usd(100_000));
    ({ policyId } = await buyCover(d, holder, { vault, productId: d.productIds.lending, amount: usd(10_000) }));
  });

  it("names the collection and counts the holder's policies", async () => {
    expect(await d.coverManager.name()).to.equal("Parapet Cover");
    expect(await d.coverManager.symbol()).to.equal("PCOVER");
    expect(await d.coverManager.balanceOf(holder.address)).to.equal(1n);
    expect(await d.coverManager.ownerOf(policyId)).to.equal(holder.address);
  });

  it("refuses Ether sent with approve, transferFrom and both safeTransferFrom: EtherNotAccepted(value), nothing moves", async () => {
    const manager = d.coverManager.connect(holder);
    const from = holder.address;
    const to = other.address;
    const attempts = [
      () => manager.approve(to, policyId, { value: 1n }),
      () => manager.transferFrom(from, to, policyId, { value: 2n }),
      () => manager["safeTransferFrom(address,address,uint256)"](from, to, policyId, { value: 3n }),
      () => manager["safeTransferFrom(address,address,uint256,bytes)"](from, to, policyId, "0x", { value: 4n }),
    ];
    for (const [index, attempt] of attempts.entries()) {
      await expect(attempt()).to.be.revertedWithCustomError(d.coverManager, "EtherNotAccepted").withArgs(BigInt(index + 1));
    }
    expect(await d.coverManager.ownerOf(policyId)).to.equal(holder.address);
    expect(await d.coverManager.getApproved(policyId)).to.equal(ethers.ZeroAddress);
    expect(await ethers.provider.getBalance(await d.coverManager.getAddress())).to.equal(0n);
  });

  it("without Ether the same calls approve and transfer as ERC-721 says", async () => {
    const manager = d.coverManager.connect(holder);
    await expect(manager.approve(other.address, policyId))
      .to.emit(d.coverManager, "Approval")
      .withArgs(holder.address, other.address, policyId);
    await expect(d.coverManager.connect(other).transferFrom(holder.address, other.address, policyId))
      .to.emit(d.coverManager, "Transfer")
      .withArgs(holder.address, other.address, policyId);
    expect(await d.coverManager.ownerOf(policyId)).to.equal(other.address);
    expect(await d.coverManager.getApproved(policyId)).to.equal(ethers.ZeroAddress);
    await expect(d.coverManager.connect(holder).transferFrom(other.address, holder.address, policyId))
      .to.be.revertedWithCustomError(d.coverManager, "NotOwnerNorApproved");
  });
});
