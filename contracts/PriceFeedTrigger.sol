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
    bool public fired;
    /// @inheritdoc IPriceFeedTrigger
    uint256 public incidentId;

    constructor(
        IParametricIncidentSink adjudicator_,
        uint256 productId_,
        AggregatorV3Interface priceFeed_,
        int256 threshold_,
        uint256 stalenessLimit_,
        uint256 payoutWad_,
        AggregatorV3Interface sequencerUptimeFeed_,
        uint256 sequencerGracePeriod_
    ) {
        if (address(adjudicator_) == address(0)) revert InvalidTriggerConfig(TriggerConfigParam.Adjudicator);
        if (address(priceFeed_) == address(0)) revert InvalidTriggerConfig(TriggerConfigParam.PriceFeed);
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
        threshold = threshold_;
        stalenessLimit = stalenessLimit_;
        payoutWad = payoutWad_;
        sequencerUptimeFeed = sequencerUptimeFeed_;
        sequencerGracePeriod = sequencerGracePeriod_;
    }

    /// @inheritdoc IPriceFeedTrigger
    function fire() public nonReentrant returns (uint256 id) {
        (TriggerBlock reason, uint80 roundId, int256 answer, uint256 updatedAt) = _read();
        if (reason != TriggerBlock.None) revert TriggerBlocked(reason, answer, updatedAt);
        fired = true;
        // The incident happened when the feed observed the price below the threshold, not whenever someone got round
        // to calling: eligibility is judged at the observation, so a keeper's delay neither drops nor adds cover.
        id = adjudicator.confirmParametricIncident(productId, updatedAt, payoutWad);
        // Recorded and announced after the call because the adjudicator assigns the id.
        incidentId = id;
        emit TriggerFired(productId, id, roundId, answer, updatedAt);
    }

    /// @notice Fires; `performData` is ignored so that a keeper's stale simulation cannot force a fire.
    function performUpkeep(bytes calldata) external {
        fire();
    }

    /// @inheritdoc IPriceFeedTrigger
    function status() external view returns (TriggerBlock reason, int256 answer, uint256 updatedAt) {
        (reason,, answer, updatedAt) = _read();
    }

    /// @notice Upkeep is needed when the latest reading would fire; no perform data.
    /// @dev `view`, stricter than the interface, so that off-chain simulation needs no state changes.
    function checkUpkeep(bytes calldata) external view returns (bool upkeepNeeded, bytes memory) {
        (TriggerBlock reason,,,) = _read();
        return (reason == TriggerBlock.None, "");
    }

    /// @dev The latest price reading and the first check it fails, or `None`.
    function _read() private view returns (TriggerBlock reason, uint80 roundId, int256 answer, uint256 updatedAt) {
        (roundId, answer,, updatedAt,) = priceFeed.latestRoundData();
        if (fired) return (TriggerBlock.AlreadyFired, roundId, answer, updatedAt);
        if (address(sequencerUptimeFeed) != address(0)) {
            (, int256 sequencerAnswer, uint256 statusSince,,) = sequencerUptimeFeed.latestRoundData();
            // 0 means up; anything else is treated as down rather than trusted.
            if (sequencerAnswer != 0) return (TriggerBlock.SequencerDown, roundId, answer, updatedAt);
            // After an outage the price feeds need time to catch up with the market, so readings just after the
            // sequencer comes back may be old news. A status time of 0 (Arbitrum's uninitialised feed) or in the
            // future proves nothing.
            bool settled = statusSince != 0 && statusSince <= block.timestamp
                && block.timestamp - statusSince >= sequencerGracePeriod;
            if (!settled) return (TriggerBlock.SequencerGracePeriod, roundId, answer, updatedAt);
        }
        if (answer <= 0) return (TriggerBlock.NonPositiveAnswer, roundId, answer, updatedAt);
        // A time in the future is a broken feed, not a fresh reading.
        if (updatedAt == 0 || updatedAt > block.timestamp || block.timestamp - updatedAt > stalenessLimit) {
            return (TriggerBlock.StaleAnswer, roundId, answer, updatedAt);
        }
        if (answer >= threshold) return (TriggerBlock.AboveThreshold, roundId, answer, updatedAt);
        return (TriggerBlock.None, roundId, answer, updatedAt);
    }
}
