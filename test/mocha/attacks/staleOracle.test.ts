import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";

import { SEED_DEPEG_TRIGGER } from "../../../deploy/seed.js";
import type { IncidentRecorder, MockV3Aggregator, PriceFeedTrigger } from "../../../types/ethers-contracts/index.js";
import { DAY, loadParapet, networkHelpers, time } from "../helpers.js";
import { Block, now, usdPrice } from "../incidentsSetup.js";
import {
  DEPEG,
  deployPriceFeedTriggers,
  GRACE_PERIOD,
  PEG,
  SEQUENCER_DOWN,
  SEQUENCER_UP,
  STALENESS_LIMIT,
  THRESHOLD,
  triggerHelpers,
} from "../priceFeedTriggerSetup.js";

describe("Attack: stale or negative oracle, sequencer down", () => {
  it("a stale, non-positive or at-threshold reading on the deployed depeg trigger: does not fire, no incident is recorded; one unit below the threshold fires", async () => {
    const d = await loadParapet();
    const { claimAdjudicator: adjudicator, priceFeed, priceFeedTrigger: trigger } = d;
    // The readings below are up to a day old: start after the trigger's first day, since it ignores readings from
    // before its deployment.
    await time.increase(2n * DAY);

    /** `fire` and `performUpkeep` revert TriggerBlocked(reason, answer, updatedAt) on the current reading. */
    async function expectBlocked(reason: bigint, answer: bigint, updatedAt: bigint) {
      expect([...(await trigger.status())]).to.deep.equal([reason, answer, updatedAt]);
      expect([...(await trigger.checkUpkeep("0x"))]).to.deep.equal([false, "0x"]);
      await expect(trigger.fire())
        .to.be.revertedWithCustomError(trigger, "TriggerBlocked")
        .withArgs(reason, answer, updatedAt);
      await expect(trigger.performUpkeep("0x"))
        .to.be.revertedWithCustomError(trigger, "TriggerBlocked")
        .withArgs(reason, answer, updatedAt);
    }
    async function setAnswer(answer: bigint): Promise<bigint> {
      await (await priceFeed.updateAnswer(answer)).wait();
      return now();
    }

    // Older than the 1-day staleness limit, however deep the depeg.
    const depegged = usdPrice("0.5");
    const staleAt = (await now()) - DAY - 1n;
    await (await priceFeed.updateRoundData(10n, depegged, staleAt, staleAt)).wait();
    await expectBlocked(Block.StaleAnswer, depegged, staleAt);
    // Exactly one day old still counts: the limit is inclusive.
    const snapshot = await networkHelpers.takeSnapshot();
    const freshAt = (await now()) + 10n;
    await (await priceFeed.updateRoundData(11n, depegged, freshAt - DAY, freshAt - DAY)).wait();
    await time.setNextBlockTimestamp(freshAt + 1n);
    await expect(trigger.fire())
      .to.be.revertedWithCustomError(trigger, "TriggerBlocked")
      .withArgs(Block.StaleAnswer, depegged, freshAt - DAY);
    await snapshot.restore();
    await (await priceFeed.updateRoundData(11n, depegged, freshAt - DAY, freshAt - DAY)).wait();
    await time.setNextBlockTimestamp(freshAt);
    await expect(trigger.fire()).to.emit(trigger, "TriggerFired").withArgs(d.productIds.depeg, 1n, 11n, depegged, freshAt - DAY);
    await snapshot.restore();

    for (const answer of [0n, -1n, -usdPrice("0.95")]) {
      await expectBlocked(Block.NonPositiveAnswer, answer, await setAnswer(answer));
    }
    for (const answer of [SEED_DEPEG_TRIGGER.threshold, usdPrice("0.99"), usdPrice("1"), usdPrice("1.2")]) {
      await expectBlocked(Block.AboveThreshold, answer, await setAnswer(answer));
    }
    expect(await adjudicator.incidentCount()).to.equal(0n);
    expect(await trigger.fired()).to.equal(false);

    // One unit below the threshold fires.
    const justBelow = SEED_DEPEG_TRIGGER.threshold - 1n;
    const updatedAt = await setAnswer(justBelow);
    await expect(trigger.fire())
      .to.emit(trigger, "TriggerFired")
      .withArgs(d.productIds.depeg, 1n, await priceFeed.latestRound(), justBelow, updatedAt);
    expect(await adjudicator.incidentCount()).to.equal(1n);
  });

  describe("PriceFeedTrigger", () => {
    let keeper: HardhatEthersSigner;
    let priceFeed: MockV3Aggregator;
    let sequencerFeed: MockV3Aggregator;
    let recorder: IncidentRecorder;
    let l1: PriceFeedTrigger;
    let l2: PriceFeedTrigger;

    beforeEach(async () => {
      ({ keeper, priceFeed, sequencerFeed, recorder, l1, l2 } = await networkHelpers.loadFixture(deployPriceFeedTriggers));
      // Firing is permissionless: every call comes from an account with no role in the setup.
      l1 = l1.connect(keeper);
      l2 = l2.connect(keeper);
    });

    const { later, setPrice, setSequencer, expectBlockedAt, expectReadyAt, expectFiresAt } = triggerHelpers(() => ({
      priceFeed,
      sequencerFeed,
      recorder,
    }));

    it("a reading at exactly the threshold, or at the peg: does not fire (AboveThreshold)", async () => {
      const updatedAt = await later();
      await setPrice(THRESHOLD, updatedAt);
      await expectBlockedAt(l1, updatedAt + 1n, Block.AboveThreshold, THRESHOLD, updatedAt);
      await setPrice(PEG, updatedAt);
      await expectBlockedAt(l1, updatedAt + 1n, Block.AboveThreshold, PEG, updatedAt);
    });

    it("a stale reading one second past `stalenessLimit`: does not fire (StaleAnswer); exactly `stalenessLimit` old fires", async () => {
      const updatedAt = await later();
      const roundId = await setPrice(DEPEG, updatedAt);
      await expectBlockedAt(l1, updatedAt + STALENESS_LIMIT + 1n, Block.StaleAnswer, DEPEG, updatedAt);
      await expectFiresAt(l1, updatedAt + STALENESS_LIMIT, roundId, DEPEG, updatedAt);
    });

    it("a reading with no time, or a time in the future: treated as stale, does not fire", async () => {
      const t = await later();
      await setPrice(DEPEG, 0n);
      await expectBlockedAt(l1, t, Block.StaleAnswer, DEPEG, 0n);
      await setPrice(DEPEG, t + 1n);
      await expectBlockedAt(l1, t, Block.StaleAnswer, DEPEG, t + 1n);
    });

    it("a zero or negative answer: does not fire (NonPositiveAnswer)", async () => {
      const updatedAt = await later();
      for (const answer of [0n, -1n, -DEPEG]) {
        await setPrice(answer, updatedAt);
        await expectBlockedAt(l1, updatedAt + 1n, Block.NonPositiveAnswer, answer, updatedAt);
      }
    });

    it("a depeg reading while the L2 sequencer is down: does not fire (SequencerDown); the L1 trigger, which does not look, does", async () => {
      const updatedAt = await later();
      const roundId = await setPrice(DEPEG, updatedAt);
      await setSequencer(SEQUENCER_DOWN, updatedAt - 60n);
      await expectBlockedAt(l2, updatedAt + 1n, Block.SequencerDown, DEPEG, updatedAt);
      // Any status other than 0 (up) counts as down.
      await setSequencer(2n, updatedAt - 60n);
      await expectBlockedAt(l2, updatedAt + 1n, Block.SequencerDown, DEPEG, updatedAt);
      await expectFiresAt(l1, updatedAt + 1n, roundId, DEPEG, updatedAt);
    });

    it("a depeg reading within the grace period after the sequencer comes back up: does not fire; fires at its end", async () => {
      const updatedAt = await later();
      const roundId = await setPrice(DEPEG, updatedAt);
      const backUp = updatedAt - 10n;
      await setSequencer(SEQUENCER_UP, backUp);
      await expectBlockedAt(l2, backUp + GRACE_PERIOD - 1n, Block.SequencerGracePeriod, DEPEG, updatedAt);
      await expectFiresAt(l2, backUp + GRACE_PERIOD, roundId, DEPEG, updatedAt);
    });

    it("a sequencer status with no time (uninitialised feed) or a future time: treated as within the grace period, does not fire", async () => {
      const updatedAt = await later();
      await setPrice(DEPEG, updatedAt);
      await setSequencer(SEQUENCER_UP, 0n);
      await expectBlockedAt(l2, updatedAt + 1n, Block.SequencerGracePeriod, DEPEG, updatedAt);
      await setSequencer(SEQUENCER_UP, updatedAt + 2n);
      await expectBlockedAt(l2, updatedAt + 1n, Block.SequencerGracePeriod, DEPEG, updatedAt);
    });

    it("replaying performUpkeep after the reading recovered: it re-checks the reading, so a simulation that said fire cannot force a fire later", async () => {
      const updatedAt = await later();
      await setPrice(DEPEG, updatedAt);
      await expectReadyAt(l1, updatedAt + 1n, DEPEG, updatedAt);
      const [, performData] = await l1.checkUpkeep("0x");
      await setPrice(PEG, updatedAt + 1n);
      await expect(l1.performUpkeep(performData))
        .to.be.revertedWithCustomError(l1, "TriggerBlocked")
        .withArgs(Block.AboveThreshold, PEG, updatedAt + 1n);
      expect(await l1.fired()).to.equal(false);
    });
  });
});
