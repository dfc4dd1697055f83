// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AutomationCompatibleInterface} from
    "@chainlink/contracts/src/v0.8/automation/interfaces/AutomationCompatibleInterface.sol";
import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV3Interface.sol";

import {IParametricIncidentSink} from "./IParametricIncidentSink.sol";

/// @notice Why a feed reading does not fire the trigger, or `None` when it does.
enum TriggerBlock {
    None,
    AlreadyFired,
    SequencerDown,
    SequencerGracePeriod,
    NonPositiveAnswer,
    StaleAnswer,
    AboveThreshold,
    ReadingNotAfterCreation,
    UnknownRound
}

/// @notice The constructor argument whose bound `InvalidTriggerConfig` reports.
enum TriggerConfigParam {
    Adjudicator,
    PriceFeed,
    Threshold,
    StalenessLimit,
    PayoutWad,
    SequencerGracePeriod
}

/// @title IPriceFeedTrigger
/// @notice Parametric trigger for one product: fires when a Chainlink feed reports a price below `threshold`, with
/// staleness, non-positive answer and (on L2s) sequencer-uptime checks. Firing confirms an incident on the adjudicator
/// at once (no liveness), paying `payoutWad` of each eligible policy's remaining cover, and the adjudicator disarms
/// the trigger on the registry. Chainlink Automation compatible. Readings not newer than the trigger itself
/// (`createdAt`) never fire it, so a trigger armed after another fired cannot fire again on the same reading. A depeg
/// that recovered before anyone fired can still be proven with `fireWithRound` on the round that showed it.
interface IPriceFeedTrigger is AutomationCompatibleInterface {
    /// @notice The reading cannot fire the trigger, for `reason`.
    error TriggerBlocked(TriggerBlock reason, int256 answer, uint256 updatedAt);
    /// @notice The constructor argument `param` is outside its bounds.
    error InvalidTriggerConfig(TriggerConfigParam param);
    /// @notice The feed reports in `actual` decimals, not the `expected` ones the threshold is written in.
    error FeedDecimalsMismatch(uint8 expected, uint8 actual);

    /// @notice The trigger fired on round `roundId`, confirming incident `incidentId`.
    event TriggerFired(
        uint256 indexed productId, uint256 indexed incidentId, uint80 roundId, int256 answer, uint256 updatedAt
    );

    /// @notice Fires if the latest reading allows it; anyone may call.
    /// @return incidentId The confirmed incident.
    function fire() external returns (uint256 incidentId);

    /// @notice Fires on the feed's round `roundId`, a real round observed after `createdAt` (and, on L2s, after
    /// the sequencer's current uptime began plus the grace period); anyone may call. A past round is evidence of the
    /// price at its own time, so no staleness limit applies: the incident is dated at the round's `updatedAt`.
    /// @return incidentId The confirmed incident.
    function fireWithRound(uint80 roundId) external returns (uint256 incidentId);

    /// @notice Whether the latest reading would fire, and if not why.
    function status() external view returns (TriggerBlock reason, int256 answer, uint256 updatedAt);

    /// @notice Whether `fireWithRound(roundId)` would fire, and if not why.
    function roundStatus(uint80 roundId) external view returns (TriggerBlock reason, int256 answer, uint256 updatedAt);

    /// @notice The adjudicator on which firing confirms the incident.
    function adjudicator() external view returns (IParametricIncidentSink);

    /// @notice The covered product.
    function productId() external view returns (uint256);

    /// @notice The Chainlink price feed watched.
    function priceFeed() external view returns (AggregatorV3Interface);

    /// @notice The decimals of the feed's answers (and of `threshold`), checked against the feed at deployment.
    function feedDecimals() external view returns (uint8);

    /// @notice The trigger fires on an answer strictly below this, in the feed's decimals.
    function threshold() external view returns (int256);

    /// @notice When the trigger was deployed: readings observed then or before never fire it.
    function createdAt() external view returns (uint256);

    /// @notice The oldest reading, in seconds, that may still fire the trigger.
    function stalenessLimit() external view returns (uint256);

    /// @notice The share (WAD) of each eligible policy's remaining cover the incident pays.
    function payoutWad() external view returns (uint256);

    /// @notice Chainlink's L2 sequencer uptime feed, or the zero address on L1.
    function sequencerUptimeFeed() external view returns (AggregatorV3Interface);

    /// @notice How long, in seconds, the sequencer must have been back up before a reading may fire the trigger.
    function sequencerGracePeriod() external view returns (uint256);

    /// @notice Whether the trigger has fired; it fires at most once.
    function fired() external view returns (bool);

    /// @notice The incident the trigger confirmed; meaningful only once `fired`.
    function incidentId() external view returns (uint256);
}
