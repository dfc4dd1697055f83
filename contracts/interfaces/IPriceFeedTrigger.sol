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
    AboveThreshold
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
/// at once (no liveness), paying `payoutWad` of each eligible policy's remaining cover. Chainlink Automation
/// compatible.
interface IPriceFeedTrigger is AutomationCompatibleInterface {
    /// @notice The reading cannot fire the trigger, for `reason`.
    error TriggerBlocked(TriggerBlock reason, int256 answer, uint256 updatedAt);
    /// @notice The constructor argument `param` is outside its bounds.
    error InvalidTriggerConfig(TriggerConfigParam param);

    /// @notice The trigger fired on round `roundId`, confirming incident `incidentId`.
    event TriggerFired(
        uint256 indexed productId, uint256 indexed incidentId, uint80 roundId, int256 answer, uint256 updatedAt
    );

    /// @notice Fires if the latest reading allows it; anyone may call.
    /// @return incidentId The confirmed incident.
    function fire() external returns (uint256 incidentId);

    /// @notice Whether the latest reading would fire, and if not why.
    function status() external view returns (TriggerBlock reason, int256 answer, uint256 updatedAt);

    /// @notice The adjudicator on which firing confirms the incident.
    function adjudicator() external view returns (IParametricIncidentSink);

    /// @notice The covered product.
    function productId() external view returns (uint256);

    /// @notice The Chainlink price feed watched.
    function priceFeed() external view returns (AggregatorV3Interface);

    /// @notice The trigger fires on an answer strictly below this, in the feed's decimals.
    function threshold() external view returns (int256);

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
