import { expect } from "chai";
import { ZeroAddress } from "ethers";

import { ROLES } from "../../deploy/roles.js";
import {
  ProductKind,
  SEED_BONDS,
  SEED_DEPEG_TRIGGER,
  SEED_PRODUCTS,
  SEED_VAULT_TERMS,
  type SeedProductKey,
} from "../../deploy/seed.js";
import { ethers, loadParapet, usd } from "./helpers.js";

const SEED_KEYS = Object.keys(SEED_PRODUCTS) as SeedProductKey[];
const VAULT_KEYS = Object.keys(SEED_VAULT_TERMS) as Array<keyof typeof SEED_VAULT_TERMS>;
const COMMITTEE_QUORUM = 2n;

describe("deployParapet fixture", () => {
  it("seeds the products, both vaults' terms and funded accounts", async () => {
    const { productRegistry, vaults, asset, productIds, accounts, coverManager, treasury, claimAdjudicator, priceFeedTrigger } =
      await loadParapet();

    expect(await productRegistry.productCount()).to.equal(BigInt(SEED_KEYS.length));
    expect(SEED_KEYS.map((key) => productIds[key])).to.deep.equal(SEED_KEYS.map((_, i) => BigInt(i + 1)));
    for (const key of SEED_KEYS) {
      const seed = SEED_PRODUCTS[key];
      const product = await productRegistry.getProduct(productIds[key]);
      expect(product.id).to.equal(productIds[key]);
      expect(product.kind).to.equal(BigInt(seed.kind));
      expect(product.active).to.equal(true);
      expect(product.minRateWad).to.equal(seed.minRateWad);
      expect(product.minPeriod).to.equal(BigInt(seed.minPeriod));
      expect(product.maxPeriod).to.equal(BigInt(seed.maxPeriod));
      expect(product.coverageLag).to.equal(BigInt(seed.coverageLag));
      expect(product.claimGracePeriod).to.equal(BigInt(seed.claimGracePeriod));
      expect(product.maxCoverPerPolicy).to.equal(seed.maxCoverPerPolicy);
      expect(product.metadataURI).to.equal(seed.metadataURI);
      expect(product.openIncidents).to.equal(0n);
      // Only the depeg product gets a trigger, set by the fixture after creation.
      expect(product.trigger).to.equal(key === "depeg" ? await priceFeedTrigger.getAddress() : ZeroAddress);
    }
    expect(await asset.decimals()).to.equal(6n);
    expect(await coverManager.treasury()).to.equal(treasury.address);

    const vaultAddresses = await Promise.all(VAULT_KEYS.map((key) => vaults[key].getAddress()));
    for (const [index, key] of VAULT_KEYS.entries()) {
      const vault = vaults[key];
      const productKeys = Object.keys(SEED_VAULT_TERMS[key]) as SeedProductKey[];
      expect(await productRegistry.isListedVault(vaultAddresses[index])).to.equal(true);
      expect(await productRegistry.vaultId(vaultAddresses[index])).to.equal(BigInt(index + 1));
      expect(await vault.backedProducts()).to.deep.equal(productKeys.map((productKey) => productIds[productKey]));
      let totalCapacity = 0n;
      for (const productKey of productKeys) {
        const seedTerms = SEED_VAULT_TERMS[key][productKey];
        const terms = await vault.productTerms(productIds[productKey]);
        expect([terms.capacityWad, terms.baseRateWad, terms.kinkWad, terms.maxRateWad]).to.deep.equal([
          seedTerms.capacityWad,
          seedTerms.baseRateWad,
          seedTerms.kinkWad,
          seedTerms.maxRateWad,
        ]);
        totalCapacity += seedTerms.capacityWad;
      }
      expect(await vault.totalCapacityWad()).to.equal(totalCapacity);
    }
    // Every seed product is backed by the vaults whose seed terms name it, in listing order.
    for (const key of SEED_KEYS) {
      const backers = VAULT_KEYS.flatMap((vaultKey, index) => (key in SEED_VAULT_TERMS[vaultKey] ? [vaultAddresses[index]] : []));
      expect(await productRegistry.backingVaults(productIds[key])).to.deep.equal(backers);
    }

    for (const account of [...accounts.underwriters, ...accounts.buyers, accounts.watcher]) {
      expect(await asset.balanceOf(account.address)).to.equal(usd(1_000_000));
    }
    const adjudicatorAddress = await claimAdjudicator.getAddress();
    for (const account of [...accounts.buyers, accounts.watcher]) {
      expect(await asset.allowance(account.address, adjudicatorAddress)).to.equal(ethers.MaxUint256);
    }
    for (const account of [accounts.outsider, accounts.committeeAdmin]) {
      expect(await asset.balanceOf(account.address)).to.equal(0n);
    }
  });

  it("wires the depeg product to its Chainlink-fed trigger", async () => {
    const { productRegistry, productIds, priceFeed, priceFeedTrigger, claimAdjudicator } = await loadParapet();
    const triggerAddress = await priceFeedTrigger.getAddress();

    const depeg = await productRegistry.getProduct(productIds.depeg);
    expect(depeg.kind).to.equal(BigInt(ProductKind.Parametric));
    expect(depeg.trigger).to.equal(triggerAddress);
    const saleTerms = await productRegistry.getSaleTerms(productIds.depeg);
    expect(saleTerms.kind).to.equal(BigInt(ProductKind.Parametric));
    expect(saleTerms.trigger).to.equal(triggerAddress);
    expect(saleTerms.openIncidents).to.equal(0n);

    expect(await priceFeedTrigger.productId()).to.equal(productIds.depeg);
    expect(await priceFeedTrigger.adjudicator()).to.equal(await claimAdjudicator.getAddress());
    expect(await priceFeedTrigger.priceFeed()).to.equal(await priceFeed.getAddress());
    expect(await priceFeedTrigger.threshold()).to.equal(SEED_DEPEG_TRIGGER.threshold);
    expect(await priceFeedTrigger.stalenessLimit()).to.equal(SEED_DEPEG_TRIGGER.stalenessLimit);
    expect(await priceFeedTrigger.payoutWad()).to.equal(SEED_DEPEG_TRIGGER.payoutWad);
    expect(await priceFeedTrigger.sequencerUptimeFeed()).to.equal(ZeroAddress);
    expect(await priceFeedTrigger.fired()).to.equal(false);

    expect(await priceFeed.decimals()).to.equal(BigInt(SEED_DEPEG_TRIGGER.feedDecimals));
    expect((await priceFeed.latestRoundData()).answer).to.equal(SEED_DEPEG_TRIGGER.initialPrice);
  });

  it("wires claims: the registry names the adjudicator its claims module, it rules through the committee arbiter, with the seed bonds", async () => {
    const { accessManager, asset, accounts, claimAdjudicator, committeeArbiter, committee, productRegistry } =
      await loadParapet();
    const adjudicatorAddress = await claimAdjudicator.getAddress();

    expect(await productRegistry.claimsModule()).to.equal(adjudicatorAddress);
    expect((await accessManager.hasRole(ROLES.COMMITTEE_ADMIN, accounts.committeeAdmin.address))[0]).to.equal(true);

    expect(await claimAdjudicator.arbiter()).to.equal(await committeeArbiter.getAddress());
    expect(await committeeArbiter.adjudicator()).to.equal(adjudicatorAddress);
    expect(await claimAdjudicator.minBond(await asset.getAddress())).to.equal(SEED_BONDS.minClaimBond);
    expect(await claimAdjudicator.incidentBond()).to.equal(SEED_BONDS.incidentBond);

    expect(committee).to.have.length(3);
    expect(await committeeArbiter.members()).to.deep.equal(committee.map((member) => member.address));
    for (const member of committee) expect(await committeeArbiter.isMember(member.address)).to.equal(true);
    for (const account of [accounts.watcher, accounts.committeeAdmin, accounts.outsider]) {
      expect(await committeeArbiter.isMember(account.address)).to.equal(false);
    }
    expect(await committeeArbiter.quorum()).to.equal(COMMITTEE_QUORUM);
  });

  it("gives every named account its own signer", async () => {
    const { accounts, treasury, committee } = await loadParapet();
    const { underwriters, buyers, ...single } = accounts;
    const all = [...Object.values(single), ...underwriters, ...buyers, ...committee, treasury].map((s) => s.address);
    expect(new Set(all).size).to.equal(all.length);
  });
});
