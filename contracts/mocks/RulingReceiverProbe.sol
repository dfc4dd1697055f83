// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IRulingReceiver} from "../interfaces/IArbiter.sol";
import {Claim, IClaimAdjudicator, Incident} from "../interfaces/IClaimAdjudicator.sol";
import {ICoverManager} from "../interfaces/ICoverManager.sol";
import {IProductRegistry} from "../interfaces/IProductRegistry.sol";
import {IUmaArbiter} from "../interfaces/IUmaArbiter.sol";
import {IOptimisticOracleV3} from "../interfaces/uma/IOptimisticOracleV3.sol";

/// @notice Stand-in adjudicator for the UMA arbiter's callback tests: it reads cases from a real adjudicator (so the
/// statements are real) and opens them on its own UMA arbiter, and its `receiveRuling` can refuse or re-enter.
contract RulingReceiverProbe is IRulingReceiver {
    /// @notice How `receiveRuling` behaves.
    enum Mode {
        Accept,
        Refuse,
        ReenterDelivery,
        ReenterSettlement
    }

    error RulingRefused(uint256 caseId);

    event RulingReceived(uint256 indexed caseId, bool approved);

    IClaimAdjudicator public immutable source;
    IUmaArbiter public arbiter;
    Mode public mode;
    mapping(uint256 caseId => uint256 count) public rulingCount;

    constructor(IClaimAdjudicator source_) {
        source = source_;
    }

    /// @dev Set after deployment: the arbiter takes this contract's address in its constructor.
    function setArbiter(IUmaArbiter arbiter_) external {
        arbiter = arbiter_;
    }

    function setMode(Mode mode_) external {
        mode = mode_;
    }

    /// @notice Escalates `disputeKey` as the real adjudicator would on a dispute by `disputer`.
    function requestRuling(bytes32 disputeKey, address disputer) external returns (uint256) {
        return arbiter.requestRuling(disputeKey, address(0), disputer);
    }

    function receiveRuling(uint256 caseId, bool approved) external {
        if (mode == Mode.Refuse) revert RulingRefused(caseId);
        if (mode == Mode.ReenterDelivery) arbiter.deliverRuling(caseId);
        if (mode == Mode.ReenterSettlement) {
            IOptimisticOracleV3 oracle = arbiter.optimisticOracle();
            oracle.settleAssertion(arbiter.getUmaCase(caseId).assertionId);
        }
        ++rulingCount[caseId];
        emit RulingReceived(caseId, approved);
    }

    function isParty(bytes32, address) external pure returns (bool) {
        return false;
    }

    function getClaim(uint256 claimId) external view returns (Claim memory) {
        return source.getClaim(claimId);
    }

    function getIncident(uint256 incidentId) external view returns (Incident memory) {
        return source.getIncident(incidentId);
    }

    function coverManager() external view returns (ICoverManager) {
        return source.coverManager();
    }

    function registry() external view returns (IProductRegistry) {
        return source.registry();
    }
}
