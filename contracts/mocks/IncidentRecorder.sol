// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IParametricIncidentSink} from "../interfaces/IParametricIncidentSink.sol";
import {IPriceFeedTrigger} from "../interfaces/IPriceFeedTrigger.sol";

/// @notice Stands in for the adjudicator in trigger tests: records each confirmation, or reverts, or calls the trigger
/// back, when told to.
contract IncidentRecorder is IParametricIncidentSink {
    enum Mode {
        Record,
        Revert,
        Reenter
    }

    error RecorderReverted();

    event IncidentRecorded(
        uint256 indexed incidentId, address indexed trigger, uint256 productId, uint256 incidentTime, uint256 payoutWad
    );

    Mode public mode;
    uint256 public incidentCount;
    address public lastCaller;
    uint256 public lastProductId;
    uint256 public lastIncidentTime;
    uint256 public lastPayoutWad;

    function setMode(Mode mode_) external {
        mode = mode_;
    }

    function confirmParametricIncident(uint256 productId, uint256 incidentTime, uint256 payoutWad)
        external
        returns (uint256 incidentId)
    {
        if (mode == Mode.Revert) revert RecorderReverted();
        if (mode == Mode.Reenter) IPriceFeedTrigger(msg.sender).fire();
        incidentId = ++incidentCount;
        lastCaller = msg.sender;
        lastProductId = productId;
        lastIncidentTime = incidentTime;
        lastPayoutWad = payoutWad;
        emit IncidentRecorded(incidentId, msg.sender, productId, incidentTime, payoutWad);
    }
}
