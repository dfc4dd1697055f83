import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { parseUnits, ZeroAddress } from "ethers";

import {
  IncidentRecorder__factory,
  MockV3Aggregator__factory,
  PriceFeedTrigger__factory,
  type IncidentRecorder,
  type MockV3Aggregator,
  type PriceFeedTrigger,
} from "../../types/ethers-contracts/index.js";
import { DAY, ethers, networkHelpers, time } from "./helpers.js";

/** `TriggerBlock` in IPriceFeedTrigger.sol. */
const Block = {
  None: 0n,
  AlreadyFired: 1n,
  SequencerDown: 2n,
  SequencerGracePeriod: 3n,
  NonPositiveAnswer: 4n,
  StaleAnswer: 5n,
  AboveThreshold: 6n,
} as const;

/** `TriggerConfigParam` in IPriceFeedTrigger.sol. */
const Param = {
  Adjudicator: 0n,
  PriceFeed: 1n,
  Threshold: 2n,
  StalenessLimit: 3n,
  PayoutWad: 4n,
  SequencerGracePeriod: 5n,
} as const;

/** `IncidentRecorder.Mode`. */
const RecorderMode = { Record: 0n, Revert: 1n, Reenter: 2n } as const;

const HOUR = 3_600n;
const WAD = 10n ** 18n;
/** A USD stablecoin feed: 8 decimals. */
const usdPrice = (price: string) => parseUnits(price, 8);
const PEG = usdPrice("1");
const THRESHOLD = usdPrice("0.98");
const DEPEG = usdPrice("0.95");
const PRODUCT_ID = 7n;
const STALENESS_LIMIT = 25n * HOUR;
const PAYOUT_WAD = parseUnits("0.5", 18);
const GRACE_PERIOD = HOUR;
const SEQUENCER_UP = 0n;
const SEQUENCER_DOWN = 1n;
/** A round id as a Chainlink proxy reports it: phase 3 in the top bits, so the full uint80 is exercised. */
const PHASE_ROUND = (3n << 64n) + 1_234n;

interface TriggerConfig {
  adjudicator: string;
  productId: bigint;
  priceFeed: string;
  threshold: bigint;
  stalenessLimit: bigint;
  payoutWad: bigint;
  sequencerUptimeFeed: string;
  sequencerGracePeriod: bigint;
}

function deployTrigger(deployer: HardhatEthersSigner, c: TriggerConfig) {
  return new PriceFeedTrigger__factory(deployer).deploy(
    c.adjudicator,
    c.productId,
    c.priceFeed,
    c.threshold,
    c.stalenessLimit,
    c.payoutWad,
    c.sequencerUptimeFeed,
    c.sequencerGracePeriod,
  );
}

/**
 * A USD stablecoin feed at the peg, an L2 sequencer feed that has been up for 30 days, the recorder standing in for
 * the adjudicator, and two triggers on the same feed: `l1` without the sequencer check and `l2` with it.
 */
async function deployPriceFeedTriggers() {
  const [deployer, keeper] = await ethers.getSigners();
  const priceFeed = await new MockV3Aggregator__factory(deployer).deploy(8, PEG);
  const sequencerFeed = await new MockV3Aggregator__factory(deployer).deploy(0, SEQUENCER_UP);
  const upSince = BigInt(await time.latest()) - 30n * DAY;
  await (await sequencerFeed.updateRoundData(1n, SEQUENCER_UP, upSince, upSince)).wait();
  const recorder = await new IncidentRecorder__factory(deployer).deploy();

  const l1Config: TriggerConfig = {
    adjudicator: await recorder.getAddress(),
    productId: PRODUCT_ID,
    priceFeed: await priceFeed.getAddress(),
    threshold: THRESHOLD,
    stalenessLimit: STALENESS_LIMIT,
    payoutWad: PAYOUT_WAD,
    sequencerUptimeFeed: ZeroAddress,
    sequencerGracePeriod: 0n,
  };
  const l2Config: TriggerConfig = {
    ...l1Config,
    sequencerUptimeFeed: await sequencerFeed.getAddress(),
    sequencerGracePeriod: GRACE_PERIOD,
  };
  const l1 = await deployTrigger(deployer, l1Config);
  const l2 = await deployTrigger(deployer, l2Config);
  return { deployer, keeper, priceFeed, sequencerFeed, recorder, l1, l2, l1Config, l2Config };
}

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

  /** A timestamp comfortably after the latest block, for readings and calls to be placed relative to. */
  async function later(seconds = 100n): Promise<bigint> {
    return BigInt(await time.latest()) + seconds;
  }

  /** Publishes `answer` observed at `updatedAt` as a new round (the next round id unless given); returns the id. */
  async function setPrice(answer: bigint, updatedAt: bigint, roundId?: bigint): Promise<bigint> {
    const id = roundId ?? (await priceFeed.latestRound()) + 1n;
    await (await priceFeed.updateRoundData(id, answer, updatedAt, updatedAt)).wait();
    return id;
  }

  /** Publishes a sequencer status that last changed at `since`. */
  async function setSequencer(answer: bigint, since: bigint) {
    const id = (await sequencerFeed.latestRound()) + 1n;
    await (await sequencerFeed.updateRoundData(id, answer, since, since)).wait();
  }

  /** `status()` and `checkUpkeep` as seen in a block mined at `t`; the chain is put back afterwards. */
  async function viewsAt(trigger: PriceFeedTrigger, t: bigint) {
    const snapshot = await networkHelpers.takeSnapshot();
    await time.increaseTo(t);
    const status = [...(await trigger.status())];
    const upkeep = [...(await trigger.checkUpkeep("0x"))];
    await snapshot.restore();
    return { status, upkeep };
  }

  /** At `t` the trigger reports `reason`, upkeep is not needed, and both `fire` and `performUpkeep` revert with it. */
  async function expectBlockedAt(
    trigger: PriceFeedTrigger,
    t: bigint,
    reason: bigint,
    answer: bigint,
    updatedAt: bigint,
  ) {
    expect(await viewsAt(trigger, t)).to.deep.equal({ status: [reason, answer, updatedAt], upkeep: [false, "0x"] });
    const countBefore = await recorder.incidentCount();
    for (const send of [() => trigger.fire(), () => trigger.performUpkeep("0x")]) {
      const snapshot = await networkHelpers.takeSnapshot();
      await time.setNextBlockTimestamp(t);
      await expect(send()).to.be.revertedWithCustomError(trigger, "TriggerBlocked").withArgs(reason, answer, updatedAt);
      await snapshot.restore();
    }
    expect(await recorder.incidentCount()).to.equal(countBefore);
  }

  /** At `t` the trigger reports `None` and upkeep is needed; the next block is then set to `t` for the caller. */
  async function expectReadyAt(trigger: PriceFeedTrigger, t: bigint, answer: bigint, updatedAt: bigint) {
    expect(await viewsAt(trigger, t)).to.deep.equal({ status: [Block.None, answer, updatedAt], upkeep: [true, "0x"] });
    await time.setNextBlockTimestamp(t);
  }

  /** Fires `trigger` at `t` on the current reading and checks the whole outcome. */
  async function expectFiresAt(
    trigger: PriceFeedTrigger,
    t: bigint,
    roundId: bigint,
    answer: bigint,
    updatedAt: bigint,
  ) {
    const expectedId = (await recorder.incidentCount()) + 1n;
    await expectReadyAt(trigger, t, answer, updatedAt);
    await expect(trigger.fire())
      .to.emit(trigger, "TriggerFired")
      .withArgs(PRODUCT_ID, expectedId, roundId, answer, updatedAt)
      .and.to.emit(recorder, "IncidentRecorded")
      .withArgs(expectedId, await trigger.getAddress(), PRODUCT_ID, updatedAt, PAYOUT_WAD);
    expect(await trigger.fired()).to.equal(true);
    expect(await trigger.incidentId()).to.equal(expectedId);
  }

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

    it("does not fire at exactly the threshold, nor at the peg", async () => {
      const updatedAt = await later();
      await setPrice(THRESHOLD, updatedAt);
      await expectBlockedAt(l1, updatedAt + 1n, Block.AboveThreshold, THRESHOLD, updatedAt);
      await setPrice(PEG, updatedAt);
      await expectBlockedAt(l1, updatedAt + 1n, Block.AboveThreshold, PEG, updatedAt);
    });

    it("fires on a reading exactly `stalenessLimit` old, not one second older", async () => {
      const updatedAt = await later();
      const roundId = await setPrice(DEPEG, updatedAt);
      await expectBlockedAt(l1, updatedAt + STALENESS_LIMIT + 1n, Block.StaleAnswer, DEPEG, updatedAt);
      await expectFiresAt(l1, updatedAt + STALENESS_LIMIT, roundId, DEPEG, updatedAt);
    });

    it("treats a reading with no time, or a time in the future, as stale", async () => {
      const t = await later();
      await setPrice(DEPEG, 0n);
      await expectBlockedAt(l1, t, Block.StaleAnswer, DEPEG, 0n);
      await setPrice(DEPEG, t + 1n);
      await expectBlockedAt(l1, t, Block.StaleAnswer, DEPEG, t + 1n);
    });

    it("does not fire on a zero or negative answer", async () => {
      const updatedAt = await later();
      for (const answer of [0n, -1n, -DEPEG]) {
        await setPrice(answer, updatedAt);
        await expectBlockedAt(l1, updatedAt + 1n, Block.NonPositiveAnswer, answer, updatedAt);
      }
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

    it("does not fire while the sequencer is down; the L1 trigger, which does not look, does", async () => {
      const updatedAt = await later();
      const roundId = await setPrice(DEPEG, updatedAt);
      await setSequencer(SEQUENCER_DOWN, updatedAt - 60n);
      await expectBlockedAt(l2, updatedAt + 1n, Block.SequencerDown, DEPEG, updatedAt);
      // Any status other than 0 (up) counts as down.
      await setSequencer(2n, updatedAt - 60n);
      await expectBlockedAt(l2, updatedAt + 1n, Block.SequencerDown, DEPEG, updatedAt);
      await expectFiresAt(l1, updatedAt + 1n, roundId, DEPEG, updatedAt);
    });

    it("does not fire within the grace period after the sequencer comes back up; fires at its end", async () => {
      const updatedAt = await later();
      const roundId = await setPrice(DEPEG, updatedAt);
      const backUp = updatedAt - 10n;
      await setSequencer(SEQUENCER_UP, backUp);
      await expectBlockedAt(l2, backUp + GRACE_PERIOD - 1n, Block.SequencerGracePeriod, DEPEG, updatedAt);
      await expectFiresAt(l2, backUp + GRACE_PERIOD, roundId, DEPEG, updatedAt);
    });

    it("treats a status with no time (uninitialised feed) or a future time as within the grace period", async () => {
      const updatedAt = await later();
      await setPrice(DEPEG, updatedAt);
      await setSequencer(SEQUENCER_UP, 0n);
      await expectBlockedAt(l2, updatedAt + 1n, Block.SequencerGracePeriod, DEPEG, updatedAt);
      await setSequencer(SEQUENCER_UP, updatedAt + 2n);
      await expectBlockedAt(l2, updatedAt + 1n, Block.SequencerGracePeriod, DEPEG, updatedAt);
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

    it("performUpkeep re-checks the reading: a simulation that said fire cannot force a fire later", async () => {
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
