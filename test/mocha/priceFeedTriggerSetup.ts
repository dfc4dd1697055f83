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

// Shared by PriceFeedTrigger.test.ts and attacks/staleOracle.test.ts.


/** `TriggerBlock` in IPriceFeedTrigger.sol. */
export const Block = {
  None: 0n,
  AlreadyFired: 1n,
  SequencerDown: 2n,
  SequencerGracePeriod: 3n,
  NonPositiveAnswer: 4n,
  StaleAnswer: 5n,
  AboveThreshold: 6n,
  ReadingNotAfterCreation: 7n,
  UnknownRound: 8n,
} as const;

/** `TriggerConfigParam` in IPriceFeedTrigger.sol. */
export const Param = {
  Adjudicator: 0n,
  PriceFeed: 1n,
  Threshold: 2n,
  StalenessLimit: 3n,
  PayoutWad: 4n,
  SequencerGracePeriod: 5n,
} as const;

/** `IncidentRecorder.Mode`. */
export const RecorderMode = { Record: 0n, Revert: 1n, Reenter: 2n } as const;

export const HOUR = 3_600n;
export const WAD = 10n ** 18n;
/** A USD stablecoin feed: 8 decimals. */
export const USD_FEED_DECIMALS = 8;
export const usdPrice = (price: string) => parseUnits(price, USD_FEED_DECIMALS);
export const PEG = usdPrice("1");
export const THRESHOLD = usdPrice("0.98");
export const DEPEG = usdPrice("0.95");
export const PRODUCT_ID = 7n;
export const STALENESS_LIMIT = 25n * HOUR;
export const PAYOUT_WAD = parseUnits("0.5", 18);
export const GRACE_PERIOD = HOUR;
export const SEQUENCER_UP = 0n;
export const SEQUENCER_DOWN = 1n;
/** A round id as a Chainlink proxy reports it: phase 3 in the top bits, so the full uint80 is exercised. */
export const PHASE_ROUND = (3n << 64n) + 1_234n;

export interface TriggerConfig {
  adjudicator: string;
  productId: bigint;
  priceFeed: string;
  feedDecimals: number;
  threshold: bigint;
  stalenessLimit: bigint;
  payoutWad: bigint;
  sequencerUptimeFeed: string;
  sequencerGracePeriod: bigint;
}

export function deployTrigger(deployer: HardhatEthersSigner, c: TriggerConfig) {
  return new PriceFeedTrigger__factory(deployer).deploy(
    c.adjudicator,
    c.productId,
    c.priceFeed,
    c.feedDecimals,
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
export async function deployPriceFeedTriggers() {
  const [deployer, keeper] = await ethers.getSigners();
  const priceFeed = await new MockV3Aggregator__factory(deployer).deploy(USD_FEED_DECIMALS, PEG);
  const sequencerFeed = await new MockV3Aggregator__factory(deployer).deploy(0, SEQUENCER_UP);
  const upSince = BigInt(await time.latest()) - 30n * DAY;
  await (await sequencerFeed.updateRoundData(1n, SEQUENCER_UP, upSince, upSince)).wait();
  const recorder = await new IncidentRecorder__factory(deployer).deploy();

  const l1Config: TriggerConfig = {
    adjudicator: await recorder.getAddress(),
    productId: PRODUCT_ID,
    priceFeed: await priceFeed.getAddress(),
    feedDecimals: USD_FEED_DECIMALS,
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

/** The feeds and recorder a suite's `beforeEach` loaded, read when a helper runs. */
export interface TriggerFixture {
  priceFeed: MockV3Aggregator;
  sequencerFeed: MockV3Aggregator;
  recorder: IncidentRecorder;
}

/** The suite helpers over the fixture `fixture()` returns at call time. */
export function triggerHelpers(fixture: () => TriggerFixture) {
  /** A timestamp comfortably after the latest block, for readings and calls to be placed relative to. */
  async function later(seconds = 100n): Promise<bigint> {
    return BigInt(await time.latest()) + seconds;
  }

  /** Publishes `answer` observed at `updatedAt` as a new round (the next round id unless given); returns the id. */
  async function setPrice(answer: bigint, updatedAt: bigint, roundId?: bigint): Promise<bigint> {
    const id = roundId ?? (await fixture().priceFeed.latestRound()) + 1n;
    await (await fixture().priceFeed.updateRoundData(id, answer, updatedAt, updatedAt)).wait();
    return id;
  }

  /** Publishes a sequencer status that last changed at `since`. */
  async function setSequencer(answer: bigint, since: bigint) {
    const id = (await fixture().sequencerFeed.latestRound()) + 1n;
    await (await fixture().sequencerFeed.updateRoundData(id, answer, since, since)).wait();
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
    const countBefore = await fixture().recorder.incidentCount();
    for (const send of [() => trigger.fire(), () => trigger.performUpkeep("0x")]) {
      const snapshot = await networkHelpers.takeSnapshot();
      await time.setNextBlockTimestamp(t);
      await expect(send()).to.be.revertedWithCustomError(trigger, "TriggerBlocked").withArgs(reason, answer, updatedAt);
      await snapshot.restore();
    }
    expect(await fixture().recorder.incidentCount()).to.equal(countBefore);
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
    const expectedId = (await fixture().recorder.incidentCount()) + 1n;
    await expectReadyAt(trigger, t, answer, updatedAt);
    await expect(trigger.fire())
      .to.emit(trigger, "TriggerFired")
      .withArgs(PRODUCT_ID, expectedId, roundId, answer, updatedAt)
      .and.to.emit(fixture().recorder, "IncidentRecorded")
      .withArgs(expectedId, await trigger.getAddress(), PRODUCT_ID, updatedAt, PAYOUT_WAD);
    expect(await trigger.fired()).to.equal(true);
    expect(await trigger.incidentId()).to.equal(expectedId);
  }

  return { later, setPrice, setSequencer, viewsAt, expectBlockedAt, expectReadyAt, expectFiresAt };
}
