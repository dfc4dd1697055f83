// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title IOptimisticOracleV3
/// @notice The part of UMA's Optimistic Oracle V3 the UMA arbiter calls (UMA's `OptimisticOracleV3Interface`).
interface IOptimisticOracleV3 {
    /// @notice An assertion was made; `claim` is the statement UMA's voters judge if it is disputed.
    event AssertionMade(
        bytes32 indexed assertionId,
        bytes32 domainId,
        bytes claim,
        address indexed asserter,
        address callbackRecipient,
        address escalationManager,
        address caller,
        uint64 expirationTime,
        IERC20 currency,
        uint256 bond,
        bytes32 indexed identifier
    );
    /// @notice An assertion was disputed: a DVM vote decides it.
    event AssertionDisputed(bytes32 indexed assertionId, address indexed caller, address indexed disputer);
    /// @notice An assertion settled; `settlementResolution` is whether it stood.
    event AssertionSettled(
        bytes32 indexed assertionId,
        address indexed bondRecipient,
        bool disputed,
        bool settlementResolution,
        address settleCaller
    );

    /// @notice The UMA Finder this oracle reads its DVM, Store and whitelists from.
    function finder() external view returns (address);

    /// @notice The identifier assertions of truth use: `ASSERT_TRUTH`.
    function defaultIdentifier() external view returns (bytes32);

    /// @notice The share of the loser's bond sent to UMA's Store when a dispute resolves, in WAD.
    function burnedBondPercentage() external view returns (uint256);

    /// @notice The smallest bond `currency` may back an assertion with: the Store's final fee divided by
    /// `burnedBondPercentage`, as cached by the last `syncUmaParams`.
    function getMinimumBond(address currency) external view returns (uint256);

    /// @notice Refreshes the oracle's cached DVM address, identifier support, and `currency`'s whitelisting and final
    /// fee.
    function syncUmaParams(bytes32 identifier, address currency) external;

    /// @notice Asserts `claim`, pulling `bond` of `currency` from the caller.
    function assertTruth(
        bytes calldata claim,
        address asserter,
        address callbackRecipient,
        address escalationManager,
        uint64 liveness,
        IERC20 currency,
        uint256 bond,
        bytes32 identifier,
        bytes32 domainId
    ) external returns (bytes32 assertionId);

    /// @notice Disputes an assertion within its liveness, pulling an equal bond from the caller; the DVM decides.
    function disputeAssertion(bytes32 assertionId, address disputer) external;

    /// @notice The ancillary data of the DVM request a dispute of `assertionId` makes (its id and asserter).
    function stampAssertion(bytes32 assertionId) external view returns (bytes memory);

    /// @notice Settles an assertion once the DVM has answered (or its liveness passed undisputed) and pays its bonds.
    function settleAssertion(bytes32 assertionId) external;
}
