import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { ZeroAddress } from "ethers";

import {
  PriceFeedTrigger__factory,
  type IncidentRecorder,
  type MockV3Aggregator,
  type PriceFeedTrigger,
} from "../../types/ethers-contracts/index.js";
import { DAY, networkHelpers, time } from "./helpers.js";
import {
  Block,
  DEPEG,
  deployPriceFeedTriggers,
  deployTrigger,
  HOUR,
  Param,
  PAYOUT_WAD,
  PEG,
  PHASE_ROUND,
  PRODUCT_ID,
  RecorderMode,
  SEQUENCER_DOWN,
  SEQUENCER_UP,
  STALENESS_LIMIT,
  THRESHOLD,
  type TriggerConfig,
  triggerHelpers,
  usdPrice,
  WAD,
} from "./priceFeedTriggerSetup.js";

describe("PriceFeedTrigger", () => {
  let deployer: HardhatEthersSigner;
  let keeper: HardhatEthersSigner;
  let priceFeed: MockV3Aggregator;
  let sequencerFeed: MockV3Aggregator;
  let recorder: IncidentRecorder;
  let l1: PriceFeedTrigger;
  let l2: PriceFeedTrigger;
  let l1Config: TriggerConfig;
  let l2Config: TriggerConfig;

  beforeEach(async () => {
    ({ deployer, keeper, priceFeed, sequencerFeed, recorder, l1, l2, l1Config, l2Config } =
      await networkHelpers.loadFixture(deployPriceFeedTriggers));
    // Firing is permissionless: every call comes from an account with no role in the setup.
    l1 = l1.connect(keeper);
    l2 = l2.connect(keeper);
  });

  const { later, setPrice, setSequencer, expectBlockedAt, expectReadyAt, expectFiresAt } = triggerHelpers(() => ({
    priceFeed,
    sequencerFeed,
    recorder,
  }));

  describe("constructor", () => {
    it("exposes the configuration and starts unfired", async () => {
      for (const [trigger, c] of [
        [l1, l1Config],
        [l2, l2Config],
      ] as const) {
        expect(await trigger.adjudicator()).to.equal(c.adjudicator);
        expect(await trigger.productId()).to.equal(c.productId);
        expect(await trigger.priceFeed()).to.equal(c.priceFeed);
        expect(await trigger.threshold()).to.equal(c.threshold);
        expect(await trigger.stalenessLimit()).to.equal(c.stalenessLimit);
        expect(await trigger.payoutWad()).to.equal(c.payoutWad);
        expect(await trigger.sequencerUptimeFeed()).to.equal(c.sequencerUptimeFeed);
        expect(await trigger.sequencerGracePeriod()).to.equal(c.sequencerGracePeriod);
        expect(await trigger.fired()).to.equal(false);
        expect(await trigger.incidentId()).to.equal(0n);
      }
      expect(await l1.MIN_STALENESS_LIMIT()).to.equal(60n);
      expect(await l1.MAX_STALENESS_LIMIT()).to.equal(7n * DAY);
      expect(await l1.MAX_PAYOUT_WAD()).to.equal(WAD);
      expect(await l1.MAX_SEQUENCER_GRACE_PERIOD()).to.equal(DAY);
    });

    // Each case breaks one bound of the (valid) L2 configuration.
    const rejected: [string, Partial<TriggerConfig>, bigint][] = [
      ["a zero adjudicator", { adjudicator: ZeroAddress }, Param.Adjudicator],
      ["a zero price feed", { priceFeed: ZeroAddress }, Param.PriceFeed],
      ["a zero threshold", { threshold: 0n }, Param.Threshold],
      ["a negative threshold", { threshold: -1n }, Param.Threshold],
      ["a staleness limit below 1 minute", { stalenessLimit: 59n }, Param.StalenessLimit],
      ["a staleness limit above 7 days", { stalenessLimit: 7n * DAY + 1n }, Param.StalenessLimit],
      ["a zero payout", { payoutWad: 0n }, Param.PayoutWad],
      ["a payout above 100%", { payoutWad: WAD + 1n }, Param.PayoutWad],
      ["a grace period above 1 day", { sequencerGracePeriod: DAY + 1n }, Param.SequencerGracePeriod],
      ["a zero grace period with a sequencer feed", { sequencerGracePeriod: 0n }, Param.SequencerGracePeriod],
      [
        "a grace period without a sequencer feed (the L2 feed was forgotten)",
        { sequencerUptimeFeed: ZeroAddress },
        Param.SequencerGracePeriod,
      ],
    ];
    for (const [what, override, param] of rejected) {
      it(`rejects ${what}`, async () => {
        const factory = new PriceFeedTrigger__factory(deployer);
        await expect(deployTrigger(deployer, { ...l2Config, ...override }))
          .to.be.revertedWithCustomError(factory, "InvalidTriggerConfig")
          .withArgs(param);
      });
    }

    it("accepts every bound itself", async () => {
      const edges: Partial<TriggerConfig>[] = [
        { threshold: 1n },
        { stalenessLimit: 60n },
        { stalenessLimit: 7n * DAY },
        { payoutWad: 1n },
        { payoutWad: WAD },
        { sequencerGracePeriod: 1n },
        { sequencerGracePeriod: DAY },
      ];
      for (const edge of edges) {
        const trigger = await deployTrigger(deployer, { ...l2Config, ...edge });
        expect(await trigger.fired()).to.equal(false);
      }
    });
  });

  describe("fire", () => {
    it("fires below the threshold: confirms the incident at the reading's time, records the id, emits", async () => {
      // An unrelated incident first, so the stored id is the adjudicator's answer rather than a count of 1.
      await (await recorder.confirmParametricIncident(99n, 1n, 1n)).wait();
      const updatedAt = await later();
      const roundId = await setPrice(DEPEG, updatedAt, PHASE_ROUND);
      // Ten minutes after the observation.
      await time.increaseTo(updatedAt + 10n * 60n);
      expect([...(await l1.status())]).to.deep.equal([Block.None, DEPEG, updatedAt]);
      expect([...(await l1.checkUpkeep("0x"))]).to.deep.equal([true, "0x"]);
      expect(await l1.fire.staticCall()).to.equal(2n);

      await expect(l1.fire())
        .to.emit(l1, "TriggerFired")
        .withArgs(PRODUCT_ID, 2n, PHASE_ROUND, DEPEG, updatedAt)
        .and.to.emit(recorder, "IncidentRecorded")
        .withArgs(2n, await l1.getAddress(), PRODUCT_ID, updatedAt, PAYOUT_WAD);
      expect(roundId).to.equal(PHASE_ROUND);
      expect(await recorder.lastCaller()).to.equal(await l1.getAddress());
      expect(await recorder.lastProductId()).to.equal(PRODUCT_ID);
      // When the price was observed, not when the keeper got round to calling.
      expect(await recorder.lastIncidentTime()).to.equal(updatedAt);
      expect(await recorder.lastPayoutWad()).to.equal(PAYOUT_WAD);
      expect(await recorder.incidentCount()).to.equal(2n);
      expect(await l1.fired()).to.equal(true);
      expect(await l1.incidentId()).to.equal(2n);
    });

    it("fires one unit below the threshold", async () => {
      const updatedAt = await later();
      const roundId = await setPrice(THRESHOLD - 1n, updatedAt);
      await expectFiresAt(l1, updatedAt + 1n, roundId, THRESHOLD - 1n, updatedAt);
    });

    it("checks the answer's sign before its age, and its age before its level", async () => {
      const updatedAt = await later();
      const t = updatedAt + STALENESS_LIMIT + 1n;
      await setPrice(0n, updatedAt);
      await expectBlockedAt(l1, t, Block.NonPositiveAnswer, 0n, updatedAt);
      await setPrice(PEG, updatedAt);
      await expectBlockedAt(l1, t, Block.StaleAnswer, PEG, updatedAt);
    });

    it("fires once: a second call reports AlreadyFired, even on a fresh depeg", async () => {
      const updatedAt = await later();
      const roundId = await setPrice(DEPEG, updatedAt);
      await expectFiresAt(l1, updatedAt + 1n, roundId, DEPEG, updatedAt);

      const t = updatedAt + 2n * HOUR;
      const deeper = usdPrice("0.5");
      await setPrice(deeper, t - 1n);
      await expectBlockedAt(l1, t, Block.AlreadyFired, deeper, t - 1n);
      // Already fired comes first: even a reading that could never fire reports it.
      await setPrice(0n, 0n);
      await expectBlockedAt(l1, t, Block.AlreadyFired, 0n, 0n);
      expect(await l1.incidentId()).to.equal(1n);
      expect(await recorder.incidentCount()).to.equal(1n);
    });

    it("reverts as a whole when the adjudicator reverts: nothing fired, and a later call still can", async () => {
      const updatedAt = await later();
      const roundId = await setPrice(DEPEG, updatedAt);
      await (await recorder.setMode(RecorderMode.Revert)).wait();

      await time.setNextBlockTimestamp(updatedAt + 1n);
      await expect(l1.fire()).to.be.revertedWithCustomError(recorder, "RecorderReverted");
      await time.setNextBlockTimestamp(updatedAt + 2n);
      await expect(l1.performUpkeep("0x")).to.be.revertedWithCustomError(recorder, "RecorderReverted");
      expect(await l1.fired()).to.equal(false);
      expect(await l1.incidentId()).to.equal(0n);
      expect(await recorder.incidentCount()).to.equal(0n);

      await (await recorder.setMode(RecorderMode.Record)).wait();
      await expectFiresAt(l1, updatedAt + 10n, roundId, DEPEG, updatedAt);
    });

    it("cannot be re-entered from the adjudicator", async () => {
      const updatedAt = await later();
      await setPrice(DEPEG, updatedAt);
      await (await recorder.setMode(RecorderMode.Reenter)).wait();
      await time.setNextBlockTimestamp(updatedAt + 1n);
      await expect(l1.fire()).to.be.revertedWithCustomError(l1, "ReentrancyGuardReentrantCall");
      expect(await l1.fired()).to.equal(false);
    });
  });

  describe("sequencer uptime (L2)", () => {
    it("fires when the sequencer has long been up", async () => {
      const updatedAt = await later();
      const roundId = await setPrice(DEPEG, updatedAt);
      await expectFiresAt(l2, updatedAt + 1n, roundId, DEPEG, updatedAt);
    });

    it("checks the sequencer before the answer, and AlreadyFired before the sequencer", async () => {
      const updatedAt = await later();
      const t = updatedAt + STALENESS_LIMIT + 1n;
      await setPrice(0n, updatedAt);
      await setSequencer(SEQUENCER_UP, t - 1n);
      await expectBlockedAt(l2, t, Block.SequencerGracePeriod, 0n, updatedAt);
      await setSequencer(SEQUENCER_DOWN, t - 1n);
      await expectBlockedAt(l2, t, Block.SequencerDown, 0n, updatedAt);

      await setSequencer(SEQUENCER_UP, updatedAt - 30n * DAY);
      const roundId = await setPrice(DEPEG, updatedAt);
      await expectFiresAt(l2, updatedAt + 1n, roundId, DEPEG, updatedAt);
      await setSequencer(SEQUENCER_DOWN, updatedAt + 1n);
      await expectBlockedAt(l2, updatedAt + 10n, Block.AlreadyFired, DEPEG, updatedAt);
    });
  });

  describe("Chainlink Automation", () => {
    it("checkUpkeep ignores its check data", async () => {
      const updatedAt = await later();
      await setPrice(DEPEG, updatedAt);
      await time.increaseTo(updatedAt + 1n);
      expect([...(await l1.checkUpkeep("0x1234"))]).to.deep.equal([true, "0x"]);
      await setPrice(PEG, updatedAt);
      expect([...(await l1.checkUpkeep("0x1234"))]).to.deep.equal([false, "0x"]);
    });

    it("performUpkeep fires, whatever perform data it is given", async () => {
      const updatedAt = await later();
      const roundId = await setPrice(DEPEG, updatedAt);
      await expectReadyAt(l2, updatedAt + 1n, DEPEG, updatedAt);
      await expect(l2.performUpkeep("0xdeadbeef"))
        .to.emit(l2, "TriggerFired")
        .withArgs(PRODUCT_ID, 1n, roundId, DEPEG, updatedAt);
      expect(await l2.fired()).to.equal(true);
      expect(await l2.incidentId()).to.equal(1n);
      expect(await recorder.lastIncidentTime()).to.equal(updatedAt);
    });
  });
});
