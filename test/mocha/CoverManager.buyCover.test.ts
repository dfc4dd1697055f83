import { expect } from "chai";

import { bpsDown, bpsUp, premiumUp, wadMulDown } from "../../sdk/src/index.js";
import { buyCover, coverParams, DAY, ethers, loadParapet, time, usd, YEAR } from "./helpers.js";
import { fundedVaults } from "./vaultSetup.js";

describe("CoverManager.buyCover", () => {
  it("charges premium + fee + commission (the fee held in the vault for the treasury), mints the policy and records exposure", async () => {
    const d = await fundedVaults();
    const { coverManager, asset, treasury, productIds } = d;
    const vault = d.vaults.conservative;
    const [buyer, frontend] = d.accounts.buyers;
    const amount = usd(200_000);
    const period = 90n * DAY;

    const curve = await vault.rateCurveOf(productIds.lending);
    const capacity = wadMulDown(await vault.navBid(), (await vault.productTerms(productIds.lending)).capacityWad);
    const expectedPremium = premiumUp(
      { baseRateWad: curve.baseRateWad, kinkWad: curve.kinkWad, maxRateWad: curve.maxRateWad },
      capacity,
      0n,
      amount,
      period,
    );
    const [quotedPremium, quotedFee] = await coverManager.quotePremium(productIds.lending, vault, amount, period);
    expect(quotedPremium).to.equal(expectedPremium);
    const fee = bpsUp(expectedPremium, 1_000n);
    const commission = bpsDown(expectedPremium, 250n);
    expect(quotedFee).to.equal(fee);

    const params = await coverParams(buyer, {
      vault,
      productId: productIds.lending,
      amount,
      period,
      commissionBps: 250n,
      commissionRecipient: frontend.address,
      maxPremium: expectedPremium + fee + commission,
    });
    const managedBefore = await vault.managedAssets();
    const tx = coverManager.connect(buyer).buyCover(params);
    // The premium and the fee reach the vault in one transfer; the vault books the premium only, and the fee waits
    // there for the treasury's sweep.
    await expect(tx).to.changeTokenBalances(
      ethers,
      asset,
      [buyer, vault, treasury, frontend],
      [-(expectedPremium + fee + commission), expectedPremium + fee, 0n, commission],
    );
    expect(await vault.managedAssets()).to.equal(managedBefore + expectedPremium);
    expect(await vault.protocolFeesHeld()).to.equal(fee);
    const start = BigInt(await time.latest());
    await expect(tx)
      .to.emit(coverManager, "CoverBought")
      .withArgs(
        1n,
        productIds.lending,
        await vault.getAddress(),
        buyer.address,
        buyer.address,
        amount,
        expectedPremium,
        fee,
        commission,
        frontend.address,
        start,
        start + period,
      );
    await expect(tx).to.emit(vault, "CoverUnderwritten");

    expect(await coverManager.ownerOf(1n)).to.equal(buyer.address);
    const policy = await coverManager.getPolicy(1n);
    expect(policy.productId).to.equal(productIds.lending);
    expect(policy.vault).to.equal(await vault.getAddress());
    expect(policy.amount).to.equal(amount);
    expect(policy.claimed).to.equal(0n);
    expect(policy.start).to.equal(start);
    expect(policy.end).to.equal(start + period);
    expect(await vault.exposureOf(productIds.lending)).to.equal(amount);
    expect(await vault.unearnedPremium()).to.equal(expectedPremium);
    expect(await coverManager.policyCount()).to.equal(1n);
  });

  it("mints to another receiver and lets the policy NFT move", async () => {
    const d = await fundedVaults();
    const [buyer, holder, secondary] = d.accounts.buyers;
    const { policyId } = await buyCover(d, buyer, {
      vault: d.vaults.highYield,
      productId: d.productIds.dex,
      amount: usd(10_000),
      receiver: holder.address,
    });
    expect(await d.coverManager.ownerOf(policyId)).to.equal(holder.address);
    await d.coverManager.connect(holder).transferFrom(holder.address, secondary.address, policyId);
    expect(await d.coverManager.ownerOf(policyId)).to.equal(secondary.address);
  });

  it("prices later purchases higher as utilization passes the kink", async () => {
    const d = await fundedVaults();
    const vault = d.vaults.highYield;
    const [buyer] = d.accounts.buyers;
    const period = 30n * DAY;
    const slice = usd(90_000);
    const [first] = await d.coverManager.quotePremium(d.productIds.lending, vault, slice, period);
    for (let i = 0; i < 4; i++) await buyCover(d, buyer, { vault, productId: d.productIds.lending, amount: slice, period });
    const [later] = await d.coverManager.quotePremium(d.productIds.lending, vault, slice, period);
    expect(later > first).to.equal(true);
  });

  describe("overselling and slippage", () => {
    it("reverts PremiumAboveMax(totalCost, maxPremium) one unit under the total cost", async () => {
      const d = await fundedVaults();
      const vault = d.vaults.conservative;
      const [buyer, frontend] = d.accounts.buyers;
      const amount = usd(50_000);
      const [premium, fee] = await d.coverManager.quotePremium(d.productIds.lending, vault, amount, 30n * DAY);
      const commission = bpsDown(premium, 100n);
      const total = premium + fee + commission;
      const order = {
        vault,
        productId: d.productIds.lending,
        amount,
        commissionBps: 100n,
        commissionRecipient: frontend.address,
      };
      const tooTight = await coverParams(buyer, { ...order, maxPremium: total - 1n });
      await expect(d.coverManager.connect(buyer).buyCover(tooTight))
        .to.be.revertedWithCustomError(d.coverManager, "PremiumAboveMax")
        .withArgs(total, total - 1n);
      await buyCover(d, buyer, { ...order, maxPremium: total });
    });

    it("reverts DeadlineExpired(deadline, now) after the deadline", async () => {
      const d = await fundedVaults();
      const [buyer] = d.accounts.buyers;
      const deadline = BigInt(await time.latest()) + 60n;
      const params = await coverParams(buyer, {
        vault: d.vaults.conservative,
        productId: d.productIds.lending,
        amount: usd(1_000),
        deadline,
      });
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(d.coverManager.connect(buyer).buyCover(params))
        .to.be.revertedWithCustomError(d.coverManager, "DeadlineExpired")
        .withArgs(deadline, deadline + 1n);
    });
  });

  describe("order validation", () => {
    it("rejects bad periods, amounts, commissions, receivers, products and vaults with their errors", async () => {
      const d = await fundedVaults();
      const { coverManager, productRegistry, productIds } = d;
      const vault = d.vaults.conservative;
      const [buyer] = d.accounts.buyers;
      const base = { vault, productId: productIds.lending, amount: usd(1_000) };
      const lending = await productRegistry.getProduct(productIds.lending);
      const attempt = async (overrides: Partial<Parameters<typeof coverParams>[1]>) =>
        coverManager.connect(buyer).buyCover(await coverParams(buyer, { ...base, ...overrides }));

      await expect(attempt({ period: lending.minPeriod - 1n }))
        .to.be.revertedWithCustomError(coverManager, "InvalidCoverPeriod")
        .withArgs(lending.minPeriod - 1n, lending.minPeriod, lending.maxPeriod);
      await expect(attempt({ period: lending.maxPeriod + 1n }))
        .to.be.revertedWithCustomError(coverManager, "InvalidCoverPeriod")
        .withArgs(lending.maxPeriod + 1n, lending.minPeriod, lending.maxPeriod);
      await expect(attempt({ amount: 0n }))
        .to.be.revertedWithCustomError(coverManager, "InvalidCoverAmount")
        .withArgs(0n, lending.maxCoverPerPolicy);
      await expect(attempt({ amount: lending.maxCoverPerPolicy + 1n }))
        .to.be.revertedWithCustomError(coverManager, "InvalidCoverAmount")
        .withArgs(lending.maxCoverPerPolicy + 1n, lending.maxCoverPerPolicy);
      await expect(attempt({ commissionBps: 3_001n, commissionRecipient: buyer.address }))
        .to.be.revertedWithCustomError(coverManager, "InvalidCommission")
        .withArgs(3_001n, buyer.address);
      await expect(attempt({ commissionBps: 100n }))
        .to.be.revertedWithCustomError(coverManager, "InvalidCommission")
        .withArgs(100n, ethers.ZeroAddress);
      await expect(attempt({ receiver: ethers.ZeroAddress }))
        .to.be.revertedWithCustomError(coverManager, "InvalidReceiver")
        .withArgs(ethers.ZeroAddress);
      await expect(attempt({ productId: 99n }))
        .to.be.revertedWithCustomError(productRegistry, "UnknownProduct")
        .withArgs(99n);
      const impostor = d.accounts.outsider.address;
      await expect(coverManager.connect(buyer).buyCover({ ...(await coverParams(buyer, base)), vault: impostor }))
        .to.be.revertedWithCustomError(coverManager, "VaultNotListed")
        .withArgs(impostor);

      await productRegistry.connect(d.accounts.riskManager).setProductActive(productIds.lending, false);
      await expect(attempt({}))
        .to.be.revertedWithCustomError(coverManager, "ProductNotActive")
        .withArgs(productIds.lending);
      expect(await coverManager.policyCount()).to.equal(0n);
      expect(await vault.exposureOf(productIds.lending)).to.equal(0n);
    });

    it("refuses a vault that does not back the product", async () => {
      const d = await fundedVaults();
      const params = {
        kind: 0,
        metadataURI: "ipfs://bridge",
        minRateWad: 10n ** 16n,
        minPeriod: DAY,
        maxPeriod: YEAR,
        coverageLag: 0n,
        claimGracePeriod: 30n * DAY,
        maxCoverPerPolicy: usd(1_000_000),
        trigger: ethers.ZeroAddress,
      };
      const registry = d.productRegistry.connect(d.accounts.riskManager);
      const productId = await registry.createProduct.staticCall(params);
      await (await registry.createProduct(params)).wait();
      expect(await d.vaults.conservative.backedProducts()).not.to.include(productId);
      expect(await d.productRegistry.backingVaults(productId)).to.deep.equal([]);
      const [buyer] = d.accounts.buyers;
      const order = await coverParams(buyer, { vault: d.vaults.conservative, productId, amount: usd(1) });
      await expect(d.coverManager.connect(buyer).buyCover(order))
        .to.be.revertedWithCustomError(d.vaults.conservative, "ProductNotBacked")
        .withArgs(productId);
      expect(await d.coverManager.policyCount()).to.equal(0n);
    });

    it("refuses to sell below a raised product rate floor until the curator reprices", async () => {
      const d = await fundedVaults();
      const vault = d.vaults.conservative;
      const terms = await vault.productTerms(d.productIds.lending);
      const lending = await d.productRegistry.getProduct(d.productIds.lending);
      const floor = terms.baseRateWad + 1n;
      await d.productRegistry
        .connect(d.accounts.riskManager)
        .updateProductTerms(d.productIds.lending, floor, lending.minPeriod, lending.maxPeriod, lending.maxCoverPerPolicy, lending.metadataURI);
      const [buyer] = d.accounts.buyers;
      const order = await coverParams(buyer, { vault, productId: d.productIds.lending, amount: usd(1) });
      await expect(d.coverManager.connect(buyer).buyCover(order))
        .to.be.revertedWithCustomError(vault, "RateBelowProductFloor")
        .withArgs(d.productIds.lending, terms.baseRateWad, floor);
      await vault
        .connect(d.accounts.curator)
        .setProductTerms(d.productIds.lending, {
          capacityWad: terms.capacityWad,
          baseRateWad: floor,
          kinkWad: terms.kinkWad,
          maxRateWad: terms.maxRateWad,
        });
      await d.coverManager.connect(buyer).buyCover(order);
    });
  });

  describe("pause", () => {
    it("blocks purchases while the CoverManager or the vault is paused", async () => {
      const d = await fundedVaults();
      const [buyer] = d.accounts.buyers;
      const order = await coverParams(buyer, { vault: d.vaults.conservative, productId: d.productIds.lending, amount: usd(1) });

      await d.coverManager.connect(d.accounts.guardian).pause();
      await expect(d.coverManager.connect(buyer).buyCover(order)).to.be.revertedWithCustomError(
        d.coverManager,
        "EnforcedPause",
      );
      await d.coverManager.connect(d.accounts.admin).unpause();

      await d.vaults.conservative.connect(d.accounts.guardian).pause();
      await expect(d.coverManager.connect(buyer).buyCover(order)).to.be.revertedWithCustomError(
        d.vaults.conservative,
        "EnforcedPause",
      );
      // The other vault keeps selling.
      await buyCover(d, buyer, { vault: d.vaults.highYield, productId: d.productIds.lending, amount: usd(1) });
    });
  });

  describe("multicall", () => {
    it("buys a split across both vaults atomically, or nothing", async () => {
      const d = await fundedVaults();
      const [buyer] = d.accounts.buyers;
      const { coverManager, productIds } = d;
      const legs = [
        await coverParams(buyer, { vault: d.vaults.conservative, productId: productIds.lending, amount: usd(300_000) }),
        await coverParams(buyer, { vault: d.vaults.highYield, productId: productIds.lending, amount: usd(200_000) }),
      ];
      const calls = legs.map((leg) => coverManager.interface.encodeFunctionData("buyCover", [leg]));
      await coverManager.connect(buyer).multicall(calls);
      expect(await coverManager.policyCount()).to.equal(2n);
      expect(await coverManager.balanceOf(buyer.address)).to.equal(2n);

      const oversized = [
        calls[0],
        coverManager.interface.encodeFunctionData("buyCover", [{ ...legs[1], amount: usd(10_000_000) }]),
      ];
      await expect(coverManager.connect(buyer).multicall(oversized)).to.be.revertedWithCustomError(
        d.vaults.highYield,
        "InsufficientCapacity",
      );
      expect(await coverManager.policyCount()).to.equal(2n);
    });
  });

  describe("governance", () => {
    it("bounds the protocol fee and the treasury", async () => {
      const d = await loadParapet();
      const { coverManager, accounts } = d;
      await expect(coverManager.connect(accounts.admin).setProtocolFee(2_000n))
        .to.emit(coverManager, "ProtocolFeeSet")
        .withArgs(2_000n);
      await expect(coverManager.connect(accounts.admin).setProtocolFee(2_001n))
        .to.be.revertedWithCustomError(coverManager, "InvalidProtocolFee")
        .withArgs(2_001n);
      await expect(coverManager.connect(accounts.admin).setTreasury(ethers.ZeroAddress))
        .to.be.revertedWithCustomError(coverManager, "InvalidTreasury")
        .withArgs(ethers.ZeroAddress);
      await expect(coverManager.connect(accounts.outsider).setProtocolFee(0n))
        .to.be.revertedWithCustomError(coverManager, "AccessManagedUnauthorized")
        .withArgs(accounts.outsider.address);
      expect(await coverManager.protocolFeeBps()).to.equal(2_000n);
    });

    it("reverts UnknownPolicy for an id never minted", async () => {
      const { coverManager } = await loadParapet();
      await expect(coverManager.getPolicy(1n)).to.be.revertedWithCustomError(coverManager, "UnknownPolicy").withArgs(1n);
      await expect(coverManager.getPolicyAndOwner(1n))
        .to.be.revertedWithCustomError(coverManager, "UnknownPolicy")
        .withArgs(1n);
    });

    it("getPolicyAndOwner: the policy as getPolicy reads it, and the token's current owner", async () => {
      const d = await fundedVaults();
      const [buyer, holder] = d.accounts.buyers;
      const { policyId } = await buyCover(d, buyer, { vault: d.vaults.highYield, productId: d.productIds.lending, amount: usd(1_000) });
      const [policy, owner] = await d.coverManager.getPolicyAndOwner(policyId);
      expect([...policy]).to.deep.equal([...(await d.coverManager.getPolicy(policyId))]);
      expect(policy.vault).to.equal(await d.vaults.highYield.getAddress());
      expect(owner).to.equal(buyer.address);
      await (await d.coverManager.connect(buyer).transferFrom(buyer.address, holder.address, policyId)).wait();
      expect((await d.coverManager.getPolicyAndOwner(policyId))[1]).to.equal(holder.address);
    });
  });
});
