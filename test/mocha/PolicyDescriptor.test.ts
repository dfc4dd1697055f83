/**
 * Policy NFT metadata: `CoverManager.tokenURI` delegates to the `PolicyDescriptor`, which renders base64 JSON with a
 * base64 SVG card from the policy and its product; ERC-4906 `MetadataUpdate` on every payout; the descriptor is an
 * admin setting.
 */
import { expect } from "chai";

import { COVER, fileClaim, LIVENESS, withCover } from "./claimsSetup.js";
import { connection, DAY, time, usd } from "./helpers.js";

const { ethers } = connection;

type Metadata = {
  name: string;
  description: string;
  image: string;
  attributes: Array<{ trait_type: string; value: string | number; display_type?: string }>;
};

function decode(uri: string): { json: Metadata; svg: string } {
  const prefix = "data:application/json;base64,";
  expect(uri.startsWith(prefix), uri.slice(0, 40)).to.equal(true);
  const json = JSON.parse(Buffer.from(uri.slice(prefix.length), "base64").toString("utf8")) as Metadata;
  const imagePrefix = "data:image/svg+xml;base64,";
  expect(json.image.startsWith(imagePrefix)).to.equal(true);
  return { json, svg: Buffer.from(json.image.slice(imagePrefix.length), "base64").toString("utf8") };
}

const trait = (json: Metadata, name: string) => json.attributes.find((entry) => entry.trait_type === name)?.value;

describe("PolicyDescriptor: on-chain policy metadata (tokenURI, ERC-4906)", () => {
  it("tokenURI is base64 JSON naming the product, amount, period, status and claimed, with an SVG card", async () => {
    const s = await withCover();
    const { json, svg } = decode(await s.coverManager.tokenURI(s.policyId));
    expect(json.name).to.equal(`Parapet cover #${s.policyId}: lendora-v3`);
    expect(json.description).to.contain("100000 tUSD on lendora-v3");
    expect(trait(json, "Product")).to.equal("lendora-v3");
    expect(trait(json, "Product id")).to.equal(Number(s.productIds.lending));
    expect(trait(json, "Vault")).to.equal((await s.vault.getAddress()).toLowerCase());
    expect(trait(json, "Amount")).to.equal("100000 tUSD");
    expect(trait(json, "Claimed")).to.equal("0 tUSD");
    expect(trait(json, "Start")).to.equal(Number(s.policy.start));
    expect(trait(json, "End")).to.equal(Number(s.policy.end));
    expect(trait(json, "Status")).to.equal("Active");
    expect(trait(json, "Policy")).to.equal(Number(s.policyId));
    expect(svg).to.match(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).to.contain("Parapet cover #1").and.contain("100000 tUSD").and.contain("Active").and.contain("</svg>");
  });

  it("the status follows the clock: claim window after the end, expired after the grace period", async () => {
    const s = await withCover();
    await time.increaseTo(s.policy.end + 1n);
    expect(trait(decode(await s.coverManager.tokenURI(s.policyId)).json, "Status")).to.equal("Claim window");
    await time.increaseTo(s.policy.end + 31n * DAY);
    expect(trait(decode(await s.coverManager.tokenURI(s.policyId)).json, "Status")).to.equal("Expired");
  });

  it("a payout emits ERC-4906 MetadataUpdate(policyId) and the metadata shows the claimed amount", async () => {
    const s = await withCover();
    const { claimId } = await fileClaim(s, s.buyer, usd(25_000.5));
    await time.increase(LIVENESS + 1n);
    await expect(s.adj.connect(s.outsider).settleClaim(claimId))
      .to.emit(s.coverManager, "MetadataUpdate")
      .withArgs(s.policyId)
      .and.to.emit(s.coverManager, "PolicyClaimed");
    const { json } = decode(await s.coverManager.tokenURI(s.policyId));
    expect(trait(json, "Claimed")).to.equal("25000.50 tUSD");
    expect(trait(json, "Status")).to.equal("Active");
  });

  it("a policy paid in full reads Paid out", async () => {
    const s = await withCover();
    const { claimId } = await fileClaim(s, s.buyer, COVER);
    await time.increase(LIVENESS + 1n);
    await (await s.adj.connect(s.outsider).settleClaim(claimId)).wait();
    expect(trait(decode(await s.coverManager.tokenURI(s.policyId)).json, "Status")).to.equal("Paid out");
  });

  it("supports ERC-165 ids of ERC-721, its metadata and ERC-4906; tokenURI of an unminted id reverts", async () => {
    const s = await withCover();
    for (const id of ["0x80ac58cd", "0x5b5e139f", "0x49064906", "0x01ffc9a7"]) {
      expect(await s.coverManager.supportsInterface(id), id).to.equal(true);
    }
    expect(await s.coverManager.supportsInterface("0xffffffff")).to.equal(false);
    await expect(s.coverManager.tokenURI(99n)).to.be.revertedWithCustomError(s.coverManager, "UnknownPolicy").withArgs(99n);
    await expect(s.policyDescriptor.tokenURI(99n)).to.be.revertedWithCustomError(s.coverManager, "UnknownPolicy").withArgs(99n);
  });

  it("setDescriptor: admin only; emits DescriptorSet and BatchMetadataUpdate; zero turns metadata off; no code refused", async () => {
    const s = await withCover();
    await expect(s.coverManager.connect(s.outsider).setDescriptor(ethers.ZeroAddress))
      .to.be.revertedWithCustomError(s.coverManager, "AccessManagedUnauthorized")
      .withArgs(s.outsider.address);
    await expect(s.coverManager.setDescriptor(s.outsider.address))
      .to.be.revertedWithCustomError(s.coverManager, "InvalidDescriptor")
      .withArgs(s.outsider.address);
    await expect(s.coverManager.setDescriptor(ethers.ZeroAddress))
      .to.emit(s.coverManager, "DescriptorSet")
      .withArgs(ethers.ZeroAddress)
      .and.to.emit(s.coverManager, "BatchMetadataUpdate")
      .withArgs(1n, ethers.MaxUint256);
    expect(await s.coverManager.tokenURI(s.policyId)).to.equal("");
    await (await s.coverManager.setDescriptor(s.policyDescriptor)).wait();
    expect(await s.coverManager.descriptor()).to.equal(await s.policyDescriptor.getAddress());
    expect(await s.coverManager.tokenURI(s.policyId)).to.match(/^data:application\/json;base64,/);
  });
});
