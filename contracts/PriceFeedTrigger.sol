// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV3Interface.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IParametricIncidentSink} from "./interfaces/IParametricIncidentSink.sol";
import {IPriceFeedTrigger, TriggerBlock, TriggerConfigParam} from "./interfaces/IPriceFeedTrigger.sol";

/// @title PriceFeedTrigger
/// @notice One-shot parametric trigger on a Chainlink price feed; see IPriceFeedTrigger.
contract PriceFeedTrigger is IPriceFeedTrigger, ReentrancyGuardTransient {
    /// @dev Below a minute no feed heartbeat fits; above a week a reading is no evidence of the current price.
    uint256 public constant MIN_STALENESS_LIMIT = 1 minutes;
    uint256 public constant MAX_STALENESS_LIMIT = 7 days;
    /// @dev The whole remaining cover.
    uint256 public constant MAX_PAYOUT_WAD = 1e18;
    uint256 public constant MAX_SEQUENCER_GRACE_PERIOD = 1 days;

    /// @inheritdoc IPriceFeedTrigger
    IParametricIncidentSink public immutable adjudicator;
    /// @inheritdoc IPriceFeedTrigger
    uint256 public immutable productId;
    /// @inheritdoc IPriceFeedTrigger
    AggregatorV3Interface public immutable priceFeed;
    /// @inheritdoc IPriceFeedTrigger
    uint8 public immutable feedDecimals;
    /// @inheritdoc IPriceFeedTrigger
    int256 public immutable threshold;
    /// @inheritdoc IPriceFeedTrigger
    uint256 public immutable stalenessLimit;
    /// @inheritdoc IPriceFeedTrigger
    uint256 public immutable payoutWad;
    /// @inheritdoc IPriceFeedTrigger
    AggregatorV3Interface public immutable sequencerUptimeFeed;
    /// @inheritdoc IPriceFeedTrigger
    uint256 public immutable sequencerGracePeriod;
    /// @inheritdoc IPriceFeedTrigger
    uint256 public immutable createdAt;

    /// @inheritdoc IPriceFeedTrigger
    bool public fired;
    /// @inheritdoc IPriceFeedTrigger
    uint256 public incidentId;

    constructor(
        IParametricIncidentSink adjudicator_,
        uint256 productId_,
        AggregatorV3Interface priceFeed_,
        uint8 feedDecimals_,
        int256 threshold_,
        uint256 stalenessLimit_,
        uint256 payoutWad_,
        AggregatorV3Interface sequencerUptimeFeed_,
        uint256 sequencerGracePeriod_
    ) {
        if (address(adjudicator_) == address(0)) revert InvalidTriggerConfig(TriggerConfigParam.Adjudicator);
        if (address(priceFeed_) == address(0)) revert InvalidTriggerConfig(TriggerConfigParam.PriceFeed);
        // A threshold written for another scale would fire on every reading or on none.
        uint8 actualDecimals = priceFeed_.decimals();
        if (actualDecimals != feedDecimals_) revert FeedDecimalsMismatch(feedDecimals_, actualDecimals);
        if (threshold_ <= 0) revert InvalidTriggerConfig(TriggerConfigParam.Threshold);
        if (stalenessLimit_ < MIN_STALENESS_LIMIT || stalenessLimit_ > MAX_STALENESS_LIMIT) {
            revert InvalidTriggerConfig(TriggerConfigParam.StalenessLimit);
        }
        if (payoutWad_ == 0 || payoutWad_ > MAX_PAYOUT_WAD) revert InvalidTriggerConfig(TriggerConfigParam.PayoutWad);
        // With an uptime feed the grace period must be real; without one, a grace period means the L2 feed was
        // forgotten, which would let readings from a halted sequencer fire the trigger.
        bool hasSequencerFeed = address(sequencerUptimeFeed_) != address(0);
        if (
            sequencerGracePeriod_ > MAX_SEQUENCER_GRACE_PERIOD || hasSequencerFeed != (sequencerGracePeriod_ != 0)
        ) revert InvalidTriggerConfig(TriggerConfigParam.SequencerGracePeriod);

        adjudicator = adjudicator_;
        productId = productId_;
        priceFeed = priceFeed_;
        feedDecimals = feedDecimals_;
        threshold = threshold_;
        stalenessLimit = stalenessLimit_;
        payoutWad = payoutWad_;
        sequencerUptimeFeed = sequencerUptimeFeed_;
        sequencerGracePeriod = sequencerGracePeriod_;
        createdAt = block.timestamp;
    }

    /// @inheritdoc IPriceFeedTrigger
    function fire() public nonReentrant returns (uint256 id) {
        (TriggerBlock reason, uint80 roundId, int256 answer, uint256 updatedAt) = _readLatest();
        if (reason != TriggerBlock.None) revert TriggerBlocked(reason, answer, updatedAt);
        id = _confirm(roundId, answer, updatedAt);
    }

    /// @inheritdoc IPriceFeedTrigger
    function fireWithRound(uint80 roundId) external nonReentrant returns (uint256 id) {
        (TriggerBlock reason, int256 answer, uint256 updatedAt) = _readRound(roundId);
        if (reason != TriggerBlock.None) revert TriggerBlocked(reason, answer, updatedAt);
        id = _confirm(roundId, answer, updatedAt);
    }

    /// @notice Fires; `performData` is ignored so that a keeper's stale simulation cannot force a fire.
    function performUpkeep(bytes calldata) external {
        fire();
    }

    /// @inheritdoc IPriceFeedTrigger
    function status() external view returns (TriggerBlock reason, int256 answer, uint256 updatedAt) {
        (reason,, answer, updatedAt) = _readLatest();
    }

    /// @inheritdoc IPriceFeedTrigger
    function roundStatus(uint80 roundId) external view returns (TriggerBlock reason, int256 answer, uint256 updatedAt) {
        return _readRound(roundId);
    }

    /// @notice Upkeep is needed when the latest reading would fire; no perform data.
    /// @dev `view`, stricter than the interface, so that off-chain simulation needs no state changes.
    function checkUpkeep(bytes calldata) external view returns (bool upkeepNeeded, bytes memory) {
        (TriggerBlock reason,,,) = _readLatest();
        return (reason == TriggerBlock.None, "");
    }

    /// @dev Marks the trigger fired and confirms the incident at the reading's time.
    function _confirm(uint80 roundId, int256 answer, uint256 updatedAt) private returns (uint256 id) {
        fired = true;
        // The incident happened when the feed observed the price below the threshold, not whenever someone got round
        // to calling: eligibility is judged at the observation, so a keeper's delay neither drops nor adds cover.
        id = adjudicator.confirmParametricIncident(productId, updatedAt, payoutWad);
        // Recorded and announced after the call because the adjudicator assigns the id.
        incidentId = id;
        emit TriggerFired(productId, id, roundId, answer, updatedAt);
    }

    /// @dev The latest price reading and the first check it fails, or `None`.
    function _readLatest()
        private
        view
        returns (TriggerBlock reason, uint80 roundId, int256 answer, uint256 updatedAt)
    {
        (roundId, answer,, updatedAt,) = priceFeed.latestRoundData();
        if (fired) return (TriggerBlock.AlreadyFired, roundId, answer, updatedAt);
        // The latest reading stands for the price now, so the sequencer must have been up long enough by now.
        reason = _sequencerBlock(block.timestamp);
        if (reason == TriggerBlock.None) reason = _readingBlock(answer, updatedAt, stalenessLimit);
    }

    /// @dev Round `roundId` of the feed and the first check it fails, or `None`.
    function _readRound(uint80 roundId) private view returns (TriggerBlock reason, int256 answer, uint256 updatedAt) {
        uint80 returnedId;
        uint80 answeredInRound;
        (returnedId, answer,, updatedAt, answeredInRound) = priceFeed.getRoundData(roundId);
        if (fired) return (TriggerBlock.AlreadyFired, answer, updatedAt);
        // A round never published comes back zeroed (or under another id); one answered in an earlier round only
        // carries an old answer over.
        if (returnedId != roundId || updatedAt == 0 || answeredInRound < roundId) {
            return (TriggerBlock.UnknownRound, answer, updatedAt);
        }
        // The round stands for the price at its own time: the sequencer must have been up long enough by then, which
        // only its current uptime can show.
        reason = _sequencerBlock(updatedAt);
        // A past reading is not stale evidence of the price when it was observed: no age limit applies.
        if (reason == TriggerBlock.None) reason = _readingBlock(answer, updatedAt, type(uint256).max);
    }

    /// @dev `SequencerDown` or `SequencerGracePeriod` unless the sequencer is up and had been for the grace period at
    /// `observedAt`; `None` on L1.
    function _sequencerBlock(uint256 observedAt) private view returns (TriggerBlock) {
        if (address(sequencerUptimeFeed) == address(0)) return TriggerBlock.None;
        (, int256 sequencerAnswer, uint256 statusSince,,) = sequencerUptimeFeed.latestRoundData();
        // 0 means up; anything else is treated as down rather than trusted.
        if (sequencerAnswer != 0) return TriggerBlock.SequencerDown;
        // After an outage the price feeds need time to catch up with the market, so readings just after the
        // sequencer comes back may be old news. A status time of 0 (Arbitrum's uninitialised feed) or in the
        // future proves nothing.
        bool settled = statusSince != 0 && statusSince <= block.timestamp && observedAt >= statusSince
            && observedAt - statusSince >= sequencerGracePeriod;
        return settled ? TriggerBlock.None : TriggerBlock.SequencerGracePeriod;
    }

    /// @dev The first check the reading fails (sign, then time and age up to `maxAge`, then creation, then level),
    /// or `None`.
    function _readingBlock(int256 answer, uint256 updatedAt, uint256 maxAge) private view returns (TriggerBlock) {
        if (answer <= 0) return TriggerBlock.NonPositiveAnswer;
        // A time in the future is a broken feed, not a fresh reading.
        if (updatedAt == 0 || updatedAt > block.timestamp || block.timestamp - updatedAt > maxAge) {
            return TriggerBlock.StaleAnswer;
        }
        // A reading from before this trigger existed (or from its deployment second) belongs to an earlier trigger's
        // watch, which may have fired on it already, not to this one's.
        if (updatedAt <= createdAt) return TriggerBlock.ReadingNotAfterCreation;
        if (answer >= threshold) return TriggerBlock.AboveThreshold;
        return TriggerBlock.None;
    }
}
