// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IRulingReceiver} from "../interfaces/IArbiter.sol";
import {ICommitteeArbiter} from "../interfaces/ICommitteeArbiter.sol";

/// @notice Stand-in adjudicator for arbiter tests: opens cases on its arbiter and records the rulings it receives.
contract RulingRecorder is IRulingReceiver {
    event RulingReceived(uint256 indexed caseId, bool approved);

    ICommitteeArbiter public arbiter;
    /// @notice What the arbiter reads as the adjudicator's arbitration timeout: the adjudicator's upper bound unless
    /// a test sets another.
    uint256 public arbitrationTimeout = 60 days;
    /// @notice Makes `receiveRuling` call `resolve` back on the arbiter, to probe its reentrancy guard.
    bool public reenterOnRuling;
    mapping(uint256 caseId => uint256 count) public rulingCount;
    mapping(uint256 caseId => bool approved) public ruling;
    mapping(bytes32 disputeKey => mapping(address account => bool)) public isParty;

    /// @dev Set after deployment: the arbiter takes this contract's address in its constructor.
    function setArbiter(ICommitteeArbiter arbiter_) external {
        arbiter = arbiter_;
    }

    /// @notice Marks `account` as having a stake in `disputeKey` (say, the holder of the claimed policy).
    function setParty(bytes32 disputeKey, address account, bool party) external {
        isParty[disputeKey][account] = party;
    }

    function setArbitrationTimeout(uint256 timeout) external {
        arbitrationTimeout = timeout;
    }

    function setReenterOnRuling(bool reenter) external {
        reenterOnRuling = reenter;
    }

    function requestRuling(bytes32 disputeKey, address filer, address disputer) external returns (uint256 caseId) {
        return arbiter.requestRuling(disputeKey, filer, disputer);
    }

    function receiveRuling(uint256 caseId, bool approved) external {
        ++rulingCount[caseId];
        ruling[caseId] = approved;
        emit RulingReceived(caseId, approved);
        if (reenterOnRuling) arbiter.resolve(caseId);
    }
}
