// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IArbiter, IRulingReceiver} from "./interfaces/IArbiter.sol";
import {IClaimAdjudicator} from "./interfaces/IClaimAdjudicator.sol";
import {IUmaArbiter, UmaCase, UmaCaseStatus} from "./interfaces/IUmaArbiter.sol";
import {IOptimisticOracleV3} from "./interfaces/uma/IOptimisticOracleV3.sol";
import {IOptimisticOracleV3CallbackRecipient} from "./interfaces/uma/IOptimisticOracleV3CallbackRecipient.sol";
import {IUmaAddressWhitelist} from "./interfaces/uma/IUmaAddressWhitelist.sol";
import {IUmaFinder} from "./interfaces/uma/IUmaFinder.sol";
import {IUmaIdentifierWhitelist} from "./interfaces/uma/IUmaIdentifierWhitelist.sol";
import {IUmaStore} from "./interfaces/uma/IUmaStore.sol";
import {UmaStatement} from "./libraries/UmaStatement.sol";

/// @title UmaArbiter
/// @notice Sends disputes to UMA's DVM through Optimistic Oracle V3; see IUmaArbiter.
contract UmaArbiter is IUmaArbiter, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    uint256 private constant WAD = 1e18;
    /// @dev The assertion is disputed in the transaction that makes it, so its liveness never runs out; any non-zero
    /// value keeps it disputable for that instant.
    uint64 private constant ASSERTION_LIVENESS = 2 hours;

    /// @inheritdoc IUmaArbiter
    IOptimisticOracleV3 public immutable optimisticOracle;
    /// @inheritdoc IUmaArbiter
    address public immutable adjudicator;
    /// @inheritdoc IUmaArbiter
    IERC20 public immutable currency;
    /// @inheritdoc IUmaArbiter
    bytes32 public immutable identifier;
    IUmaFinder private immutable _finder;

    /// @inheritdoc IUmaArbiter
    uint256 public caseCount;
    mapping(uint256 caseId => UmaCase) private _cases;
    mapping(bytes32 assertionId => uint256 caseId) private _caseOfAssertion;
    mapping(address account => uint256) private _parked;

    /// @dev Refuses, at configuration, a currency UMA does not accept for bonds or a DVM without `ASSERT_TRUTH`.
    constructor(IOptimisticOracleV3 optimisticOracle_, address adjudicator_, IERC20 currency_) {
        if (address(optimisticOracle_) == address(0) || adjudicator_ == address(0)) revert ZeroAddress();
        IUmaFinder finder = IUmaFinder(optimisticOracle_.finder());
        bytes32 truth = optimisticOracle_.defaultIdentifier();
        if (!IUmaAddressWhitelist(finder.getImplementationAddress("CollateralWhitelist")).isOnWhitelist(
                address(currency_)
            )) revert CurrencyNotAcceptedByUma(address(currency_));
        if (!IUmaIdentifierWhitelist(finder.getImplementationAddress("IdentifierWhitelist")).isIdentifierSupported(
                truth
            )) revert IdentifierNotSupported(truth);
        optimisticOracle = optimisticOracle_;
        adjudicator = adjudicator_;
        currency = currency_;
        identifier = truth;
        _finder = finder;
    }

    /// @inheritdoc IArbiter
    function alwaysRules() external pure returns (bool) {
        return true;
    }

    /// @inheritdoc IArbiter
    /// @dev The disputer approved `escalationDeposit()` to this arbiter. UMA's parameters are synced first, so the bond
    /// is UMA's minimum as its Store sets it now.
    function requestRuling(bytes32 disputeKey, address, address disputer)
        external
        nonReentrant
        returns (uint256 caseId)
    {
        if (msg.sender != adjudicator) revert NotAdjudicator(msg.sender);
        bytes memory statement = bytes(statementOf(disputeKey));
        optimisticOracle.syncUmaParams(identifier, address(currency));
        uint256 bond = optimisticOracle.getMinimumBond(address(currency));

        caseId = ++caseCount;
        currency.safeTransferFrom(disputer, address(this), 2 * bond);
        currency.forceApprove(address(optimisticOracle), 2 * bond);
        // This arbiter is asserter and disputer both: whichever way the DVM votes, UMA pays back here, where no
        // refusing receiver can stop the vote's result from settling.
        bytes32 assertionId = optimisticOracle.assertTruth(
            statement, address(this), address(this), address(0), ASSERTION_LIVENESS, currency, bond, identifier, 0
        );
        _cases[caseId] = UmaCase({
            key: disputeKey,
            assertionId: assertionId,
            disputer: disputer,
            escalatedAt: uint40(block.timestamp),
            resolvedAt: 0,
            status: UmaCaseStatus.AwaitingDvm,
            approved: false,
            bond: uint128(bond)
        });
        _caseOfAssertion[assertionId] = caseId;
        emit CaseEscalated(caseId, disputeKey, assertionId, disputer, bond);
        optimisticOracle.disputeAssertion(assertionId, address(this));
    }

    /// @inheritdoc IOptimisticOracleV3CallbackRecipient
    /// @dev Never reverts for this arbiter's own assertions, so the vote's result always settles on UMA's side: a
    /// ruling the adjudicator refuses waits for `deliverRuling`, a refund the currency refuses waits in `_parked`.
    function assertionResolvedCallback(bytes32 assertionId, bool assertedTruthfully) external {
        if (msg.sender != address(optimisticOracle)) revert NotOptimisticOracle(msg.sender);
        uint256 caseId = _caseOfAssertion[assertionId];
        if (caseId == 0) revert UnknownAssertion(assertionId);
        UmaCase storage umaCase = _cases[caseId];
        uint256 bond = umaCase.bond;
        address disputer = umaCase.disputer;
        // What UMA just paid back: both bonds less its burn of one (OptimisticOracleV3.settleAssertion's formula).
        uint256 refund = 2 * bond - optimisticOracle.burnedBondPercentage() * bond / WAD;

        umaCase.status = UmaCaseStatus.Delivered;
        umaCase.approved = assertedTruthfully;
        umaCase.resolvedAt = uint40(block.timestamp);
        emit DvmResolved(caseId, assertionId, assertedTruthfully, refund);

        try IRulingReceiver(adjudicator).receiveRuling(caseId, assertedTruthfully) {
            emit RulingDelivered(caseId, assertedTruthfully);
        } catch (bytes memory reason) {
            umaCase.status = UmaCaseStatus.Undelivered;
            emit RulingUndelivered(caseId, assertedTruthfully, reason);
        }
        if (!currency.trySafeTransfer(disputer, refund)) {
            _parked[disputer] += refund;
            emit RefundParked(disputer, refund);
        }
    }

    /// @inheritdoc IOptimisticOracleV3CallbackRecipient
    /// @dev Every assertion of this arbiter is disputed by itself as it is made: nothing to do.
    function assertionDisputedCallback(bytes32) external pure {} // solhint-disable-line no-empty-blocks

    /// @inheritdoc IUmaArbiter
    function deliverRuling(uint256 caseId) external nonReentrant {
        UmaCase storage umaCase = _cases[caseId];
        if (umaCase.status != UmaCaseStatus.Undelivered) revert NoUndeliveredRuling(caseId, umaCase.status);
        umaCase.status = UmaCaseStatus.Delivered;
        bool approved = umaCase.approved;
        emit RulingDelivered(caseId, approved);
        IRulingReceiver(adjudicator).receiveRuling(caseId, approved);
    }

    /// @inheritdoc IUmaArbiter
    function withdrawParked(address to) external nonReentrant returns (uint256 amount) {
        if (to == address(0)) revert ZeroAddress();
        amount = _parked[msg.sender];
        if (amount == 0) revert NoParkedRefund(msg.sender);
        delete _parked[msg.sender];
        emit ParkedWithdrawn(msg.sender, to, amount);
        currency.safeTransfer(to, amount);
    }

    /// @inheritdoc IUmaArbiter
    function escalationBond() public view returns (uint256) {
        uint256 finalFee = IUmaStore(_finder.getImplementationAddress("Store")).computeFinalFee(address(currency))
            .rawValue;
        return finalFee * WAD / optimisticOracle.burnedBondPercentage();
    }

    /// @inheritdoc IUmaArbiter
    function escalationDeposit() external view returns (uint256) {
        return 2 * escalationBond();
    }

    /// @inheritdoc IUmaArbiter
    function getUmaCase(uint256 caseId) external view returns (UmaCase memory) {
        return _cases[caseId];
    }

    /// @inheritdoc IUmaArbiter
    function caseOfAssertion(bytes32 assertionId) external view returns (uint256) {
        return _caseOfAssertion[assertionId];
    }

    /// @inheritdoc IUmaArbiter
    function parkedOf(address account) external view returns (uint256) {
        return _parked[account];
    }

    /// @inheritdoc IUmaArbiter
    function statementOf(bytes32 key) public view returns (string memory) {
        IClaimAdjudicator claims = IClaimAdjudicator(adjudicator);
        uint256 id = uint256(key);
        // The adjudicator flags incident keys in their top byte (`incidentKey`).
        if (id >> 248 != 0) return UmaStatement.ofIncident(claims, id & ((1 << 248) - 1));
        return UmaStatement.ofClaim(claims, id);
    }
}
