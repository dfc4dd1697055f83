import { expect } from "chai";

import { ProductKind, SEED_DEPEG_TRIGGER, SEED_PRODUCTS } from "../../../deploy/seed.js";
import { MockV3Aggregator__factory, PriceFeedTrigger__factory } from "../../../types/ethers-contracts/index.js";
import { coverParams, DAY, ethers, time, usd } from "../helpers.js";
import { buy, funded, HOUR, now } from "../incidentsSetup.js";
import { Block, usdPrice } from "../priceFeedTriggerSetup.js";

const WAD = 10n ** 18n;
const MIN_PARAMETRIC_COVERAGE_LAG = DAY;

describe("Attack: parametric trigger abuse", () => {
  /** The funded fixture with a policy on the depeg product bought two days ago, past its coverage lag. */
  async function withDepegCover() {
    const d = await funded();
    const [alice] = d.accounts.buyers;
    const policyId = await buy(d, alice, d.vaults.conservative, d.productIds.depeg, usd(100_000));
    await time.increase(2n * DAY);
    return { d, alice, policyId };
  }

  /** A new trigger on the fixture's feed, with the seed configuration. */
  async function seedTrigger(
    d: Awaited<ReturnType<typeof funded>>,
    feed = d.priceFeed,
    decimals: number = SEED_DEPEG_TRIGGER.feedDecimals,
  ) {
    return new PriceFeedTrigger__factory(d.accounts.admin).deploy(
      d.claimAdjudicator,
      d.productIds.depeg,
      feed,
      decimals,
      SEED_DEPEG_TRIGGER.threshold,
      SEED_DEPEG_TRIGGER.stalenessLimit,
      SEED_DEPEG_TRIGGER.payoutWad,
      ethers.ZeroAddress,
      0n,
    );
  }

  it("front-running a visible oracle update with zero-lag parametric cover: a lag under one day is refused with ParametricCoverageLagTooShort(lag, 86400); cover bought on the firing reading is not paid", async () => {
    const { d } = await withDepegCover();
    const registry = d.productRegistry.connect(d.accounts.riskManager);
    const parametric = { ...SEED_PRODUCTS.depeg, kind: ProductKind.Parametric };
    for (const coverageLag of [0n, MIN_PARAMETRIC_COVERAGE_LAG - 1n]) {
      await expect(registry.createProduct({ ...parametric, coverageLag }))
        .to.be.revertedWithCustomError(registry, "ParametricCoverageLagTooShort")
        .withArgs(coverageLag, MIN_PARAMETRIC_COVERAGE_LAG);
    }
    expect(await registry.productCount()).to.equal(3n);
    // Discretionary products keep the 0 .. 30 days range; exactly one day is accepted for a parametric one.
    await (await registry.createProduct({ ...SEED_PRODUCTS.lending, coverageLag: 0n })).wait();
    await (await registry.createProduct({ ...parametric, coverageLag: MIN_PARAMETRIC_COVERAGE_LAG })).wait();
    expect((await registry.getProduct(5n)).coverageLag).to.equal(MIN_PARAMETRIC_COVERAGE_LAG);

    // The attacker sees the feed's below-threshold update and buys in the next block, ahead of the keeper.
    const [, , attacker] = d.accounts.buyers;
    const depegAnswer = usdPrice("0.9");
    await (await d.priceFeed.updateAnswer(depegAnswer)).wait();
    const observedAt = await now();
    const attackerPolicy = await buy(d, attacker, d.vaults.conservative, d.productIds.depeg, usd(50_000));
    const policy = await d.coverManager.getPolicy(attackerPolicy);
    await (await d.priceFeedTrigger.fire()).wait();
    await expect(d.claimAdjudicator.claimIncidentPayout(attackerPolicy, 1n))
      .to.be.revertedWithCustomError(d.claimAdjudicator, "IncidentOutsideCover")
      .withArgs(attackerPolicy, observedAt, policy.start + MIN_PARAMETRIC_COVERAGE_LAG + 1n, policy.end);
    expect((await d.coverManager.getPolicy(attackerPolicy)).claimed).to.equal(0n);
  });

  it("buying parametric cover after its one-shot trigger was disarmed: buyCover and quotePremium revert TriggerNotArmed(productId); other products still sell; re-arming reopens sales", async () => {
    const { d } = await withDepegCover();
    const { depeg, lending } = d.productIds;
    const [, bob] = d.accounts.buyers;
    // A claims module (as the adjudicator does when the trigger fires) disarms the product's trigger.
    const [claimsModule] = d.committee;
    await (await d.productRegistry.setClaimsModule(claimsModule.address)).wait();
    await expect(d.productRegistry.connect(claimsModule).disarmTrigger(depeg))
      .to.emit(d.productRegistry, "TriggerDisarmed")
      .withArgs(depeg, await d.priceFeedTrigger.getAddress());

    const order = { vault: d.vaults.conservative, productId: depeg, amount: usd(10_000) };
    const policiesBefore = await d.coverManager.policyCount();
    await expect(d.coverManager.connect(bob).buyCover(await coverParams(bob, order)))
      .to.be.revertedWithCustomError(d.coverManager, "TriggerNotArmed")
      .withArgs(depeg);
    await expect(d.coverManager.quotePremium(depeg, order.vault, order.amount, 30n * DAY))
      .to.be.revertedWithCustomError(d.coverManager, "TriggerNotArmed")
      .withArgs(depeg);
    expect(await d.coverManager.policyCount()).to.equal(policiesBefore);
    await buy(d, bob, d.vaults.conservative, lending, usd(10_000));

    const next = await seedTrigger(d);
    await (await d.productRegistry.connect(d.accounts.riskManager).setProductTrigger(depeg, next)).wait();
    const policyId = await buy(d, bob, d.vaults.conservative, depeg, usd(10_000));
    expect((await d.coverManager.getPolicy(policyId)).amount).to.equal(usd(10_000));
  });

  // Passes once ClaimAdjudicator.confirmParametricIncident calls registry.disarmTrigger(productId).
  it("buying parametric cover after the real trigger fired: refused with TriggerNotArmed(productId) until a new trigger is armed", async () => {
    const { d } = await withDepegCover();
    const { depeg } = d.productIds;
    const [, bob] = d.accounts.buyers;
    await (await d.priceFeed.updateAnswer(usdPrice("0.9"))).wait();
    await expect(d.priceFeedTrigger.fire())
      .to.emit(d.productRegistry, "TriggerDisarmed")
      .withArgs(depeg, await d.priceFeedTrigger.getAddress());
    expect((await d.productRegistry.getProduct(depeg)).trigger).to.equal(ethers.ZeroAddress);
    const order = { vault: d.vaults.conservative, productId: depeg, amount: usd(10_000) };
    await expect(d.coverManager.connect(bob).buyCover(await coverParams(bob, order)))
      .to.be.revertedWithCustomError(d.coverManager, "TriggerNotArmed")
      .withArgs(depeg);
  });

  it("a depeg that recovered before anyone called fire(): fireWithRound proves it from the feed's history, dated at the depeg round, and pays the eligible cover", async () => {
    const { d, alice, policyId } = await withDepegCover();
    const trigger = d.priceFeedTrigger;
    const seedRound = await d.priceFeed.latestRound();
    const depegAnswer = usdPrice("0.9");
    await (await d.priceFeed.updateAnswer(depegAnswer)).wait();
    const depegRound = await d.priceFeed.latestRound();
    const depegAt = await now();
    await time.increase(HOUR);
    await (await d.priceFeed.updateAnswer(usdPrice("1"))).wait();
    const recoveredAt = await now();

    // The latest reading is back at the peg: fire() can no longer see the depeg.
    await expect(trigger.fire())
      .to.be.revertedWithCustomError(trigger, "TriggerBlocked")
      .withArgs(Block.AboveThreshold, usdPrice("1"), recoveredAt);
    // A round from before the trigger existed, or one never published, proves nothing.
    const [, seedAnswer, , seedUpdatedAt] = await d.priceFeed.getRoundData(seedRound);
    await expect(trigger.fireWithRound(seedRound))
      .to.be.revertedWithCustomError(trigger, "TriggerBlocked")
      .withArgs(Block.ReadingNotAfterCreation, seedAnswer, seedUpdatedAt);
    await expect(trigger.fireWithRound(depegRound + 5n))
      .to.be.revertedWithCustomError(trigger, "TriggerBlocked")
      .withArgs(Block.UnknownRound, 0n, 0n);
    expect([...(await trigger.roundStatus(depegRound))]).to.deep.equal([Block.None, depegAnswer, depegAt]);

    await expect(trigger.fireWithRound(depegRound))
      .to.emit(trigger, "TriggerFired")
      .withArgs(d.productIds.depeg, 1n, depegRound, depegAnswer, depegAt);
    expect((await d.claimAdjudicator.getIncident(1n)).incidentTime).to.equal(depegAt);
    await expect(d.claimAdjudicator.claimIncidentPayout(policyId, 1n)).to.changeTokenBalances(
      ethers,
      d.asset,
      [alice, d.vaults.conservative],
      [usd(100_000), -usd(100_000)],
    );
    await expect(trigger.fireWithRound(depegRound))
      .to.be.revertedWithCustomError(trigger, "TriggerBlocked")
      .withArgs(Block.AlreadyFired, depegAnswer, depegAt);
  });

  it("re-arming a fresh trigger while the fired depeg reading is still fresh: the new trigger refuses that reading (ReadingNotAfterCreation), so no policy is paid twice", async () => {
    const { d } = await withDepegCover();
    const { depeg } = d.productIds;
    await (await d.priceFeed.updateAnswer(usdPrice("0.9"))).wait();
    const depegAt = await now();
    const depegRound = await d.priceFeed.latestRound();
    await (await d.priceFeedTrigger.fire()).wait();

    const next = await seedTrigger(d);
    await (await d.productRegistry.connect(d.accounts.riskManager).setProductTrigger(depeg, next)).wait();
    for (const fire of [() => next.fire(), () => next.fireWithRound(depegRound)]) {
      await expect(fire())
        .to.be.revertedWithCustomError(next, "TriggerBlocked")
        .withArgs(Block.ReadingNotAfterCreation, usdPrice("0.9"), depegAt);
    }
    expect(await d.claimAdjudicator.incidentCount()).to.equal(1n);
  });

  it("a threshold written for another feed scale (8-decimal $0.97 against an 18-decimal feed): deployment reverts FeedDecimalsMismatch(8, 18)", async () => {
    const d = await funded();
    const feed18 = await new MockV3Aggregator__factory(d.accounts.admin).deploy(18, WAD);
    await expect(seedTrigger(d, feed18))
      .to.be.revertedWithCustomError(d.priceFeedTrigger, "FeedDecimalsMismatch")
      .withArgs(SEED_DEPEG_TRIGGER.feedDecimals, 18);
    const trigger = await seedTrigger(d, feed18, 18);
    expect(await trigger.feedDecimals()).to.equal(18n);
  });
});
