// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IArbiter} from "./IArbiter.sol";
import {IOptimisticOracleV3} from "./uma/IOptimisticOracleV3.sol";
import {IOptimisticOracleV3CallbackRecipient} from "./uma/IOptimisticOracleV3CallbackRecipient.sol";

/// @notice Where a case sent to UMA stands.
/// @dev None → (dispute) AwaitingDvm → (DVM answer settled on the oracle) Delivered, or Undelivered when the
/// adjudicator refused the ruling; `deliverRuling` turns Undelivered into Delivered.
enum UmaCaseStatus {
    None,
    AwaitingDvm,
    Undelivered,
    Delivered
}

/// @notice A disputed claim or incident sent to UMA's DVM. Its bond is fixed when it is escalated.
/// @param key The adjudicator's dispute key (`claimKey` / `incidentKey`).
/// @param assertionId The Optimistic Oracle V3 assertion whose DVM vote decides the case.
/// @param disputer Who advanced the escalation deposit, and gets back what UMA returns.
/// @param bond UMA's bond on each side of the assertion: the minimum UMA allowed at escalation.
/// @param approved The DVM's answer, once `status` is Undelivered or Delivered: the claim or incident stands.
struct UmaCase {
    bytes32 key;
    bytes32 assertionId;
    address disputer;
    uint40 escalatedAt;
    uint40 resolvedAt;
    UmaCaseStatus status;
    bool approved;
    uint128 bond;
}

/// @title IUmaArbiter
/// @notice An arbiter that sends each dispute to UMA's Data Verification Mechanism through Optimistic Oracle V3: it
/// asserts the case's statement ("this claim is valid under its policy's terms", with the chain, ids, terms, amounts
/// and times a voter needs) and disputes the assertion at once, so a token-holder vote decides. The vote's answer comes
/// back through the oracle's resolution callback and is passed on to the adjudicator as a ruling; `settleClaim` /
/// `settleIncident` then execute it. The DVM always answers, so the adjudicator never settles these cases as draws.
///
/// Costs: the disputer advances twice UMA's minimum bond (`escalationDeposit`) when disputing; when the vote resolves,
/// UMA keeps its burn of one bond (which is its final fee: the minimum bond is the final fee over the burn share) and
/// returns the rest to this arbiter, which pays it to the disputer. The protocol's own bonds are settled by the
/// adjudicator as for any arbiter.
interface IUmaArbiter is IArbiter, IOptimisticOracleV3CallbackRecipient {
    /// @notice Only the adjudicator this arbiter serves opens cases.
    error NotAdjudicator(address caller);
    /// @notice Only the Optimistic Oracle V3 calls back.
    error NotOptimisticOracle(address caller);
    /// @notice The oracle called back about an assertion this arbiter did not make.
    error UnknownAssertion(bytes32 assertionId);
    /// @notice UMA does not accept `currency` for bonds (not on the Finder's "CollateralWhitelist").
    error CurrencyNotAcceptedByUma(address currency);
    /// @notice UMA's DVM does not vote on `identifier` (not on the Finder's "IdentifierWhitelist").
    error IdentifierNotSupported(bytes32 identifier);
    /// @notice The case has no ruling waiting to be delivered.
    error NoUndeliveredRuling(uint256 caseId, UmaCaseStatus status);
    /// @notice No refund is parked for `account`.
    error NoParkedRefund(address account);
    /// @notice The zero address where one is required.
    error ZeroAddress();

    /// @notice The dispute `key` went to UMA as `assertionId`; `disputer` advanced `2 * bond`.
    event CaseEscalated(
        uint256 indexed caseId, bytes32 indexed key, bytes32 indexed assertionId, address disputer, uint256 bond
    );
    /// @notice The DVM answered case `caseId`; `refund` (the deposit less UMA's burn) went back to its disputer.
    event DvmResolved(uint256 indexed caseId, bytes32 indexed assertionId, bool approved, uint256 refund);
    /// @notice The ruling reached the adjudicator.
    event RulingDelivered(uint256 indexed caseId, bool approved);
    /// @notice The adjudicator refused the ruling (`reason` is its revert data); `deliverRuling` retries.
    event RulingUndelivered(uint256 indexed caseId, bool approved, bytes reason);
    /// @notice The currency refused a refund to `account`; it waits for `withdrawParked`.
    event RefundParked(address indexed account, uint256 amount);
    /// @notice `account` withdrew its parked refund to `to`.
    event ParkedWithdrawn(address indexed account, address indexed to, uint256 amount);

    /// @notice UMA's Optimistic Oracle V3 the cases go to.
    function optimisticOracle() external view returns (IOptimisticOracleV3);

    /// @notice The adjudicator whose disputes this arbiter sends to UMA.
    function adjudicator() external view returns (address);

    /// @notice The bond currency: accepted by UMA when this arbiter was deployed.
    function currency() external view returns (IERC20);

    /// @notice The DVM identifier: UMA's `ASSERT_TRUTH`.
    function identifier() external view returns (bytes32);

    /// @notice How many cases were escalated.
    function caseCount() external view returns (uint256);

    /// @notice UMA's minimum bond in `currency` now (the Store's final fee over the oracle's burn share): each side
    /// of a case escalated now.
    function escalationBond() external view returns (uint256);

    /// @notice What a disputer must approve to this arbiter, in `currency`, to dispute now: `2 * escalationBond()`.
    function escalationDeposit() external view returns (uint256);

    /// @notice The case, with its UMA assertion and where its vote stands. (Not `getCase`: readers of committee cases
    /// call that selector on any arbiter and would misread this struct.)
    function getUmaCase(uint256 caseId) external view returns (UmaCase memory);

    /// @notice The case an assertion decides, or 0.
    function caseOfAssertion(bytes32 assertionId) external view returns (uint256);

    /// @notice The statement UMA's voters would be asked to confirm for the dispute `key` now.
    function statementOf(bytes32 key) external view returns (string memory);

    /// @notice Delivers a DVM ruling the adjudicator refused in the oracle's callback. Anyone may call.
    function deliverRuling(uint256 caseId) external;

    /// @notice Sends the caller's parked refund to `to`.
    function withdrawParked(address to) external returns (uint256 amount);

    /// @notice The refund parked for `account`.
    function parkedOf(address account) external view returns (uint256);
}
