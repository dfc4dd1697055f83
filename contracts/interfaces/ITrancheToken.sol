// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

import {RedeemRequestState} from "./IUnderwriterVault.sol";

/// @title ITrancheToken
/// @notice One tranche (junior or senior) of a vault's capital: an ERC-4626 token whose asset is the vault's share,
/// with the vault's asynchronous exit rules (ERC-7540 style): `requestRedeem`, the vault's cooldown, then `redeem` or
/// `withdraw` within REDEEM_WINDOW, paid in vault shares (which then leave the vault by its own exit).
/// @dev Entries are priced at the tranche's entry value, exits at its exit value (see ITrancheManager). Escrowed
/// shares keep bearing losses and earning premium. After a total loss of the tranche, the next entry writes the old
/// share class off (as the vault does), so a new entrant is not diluted by worthless shares and pays nothing to them.
interface ITrancheToken is IERC165 {
    /// @notice The caller is neither the controller nor one of its operators.
    error NotControllerOrOperator(address caller, address controller);
    /// @notice The controller asked for more than its request holds, or before the cooldown ended.
    error RedeemRequestNotClaimable(address controller, uint256 shares, uint256 claimableShares, uint256 claimableAt);
    /// @notice The request was not redeemed within REDEEM_WINDOW of becoming claimable; cancel it and request again.
    error RedeemRequestExpired(address controller, uint256 expiredAt);
    /// @notice Vault shares cannot go to the zero address.
    error InvalidReceiver(address receiver);
    /// @notice A request for the zero address as controller would lock its shares for good.
    error InvalidController(address controller);
    /// @notice ERC-7540: `previewRedeem` and `previewWithdraw` always revert.
    error AsynchronousRedemption();
    /// @notice A zero amount where a positive one is required.
    error ZeroAmount();

    /// @notice ERC-7540: `owner` moved `shares` into escrow, to be redeemed by `controller` after the cooldown.
    event RedeemRequest(
        address indexed controller, address indexed owner, uint256 indexed requestId, address sender, uint256 shares
    );
    /// @notice The controller's request was cancelled and its shares returned to it.
    event RedeemRequestCancelled(address indexed controller, uint256 shares);
    /// @notice ERC-7540: `controller` approved or revoked `operator`.
    event OperatorSet(address indexed controller, address indexed operator, bool approved);
    /// @notice After a total loss the old share class was written off: `writtenOffShares` read as zero from now on.
    event SharesWrittenOff(uint256 indexed epoch, uint256 writtenOffShares, uint256 entryValue);

    /// @notice Moves `shares` of `owner` into escrow for `controller`; redeemable after the vault's cooldown, for
    /// REDEEM_WINDOW. Adding to a request restarts its cooldown.
    /// @return requestId Always 0: requests are aggregated per controller.
    function requestRedeem(uint256 shares, address controller, address owner) external returns (uint256 requestId);

    /// @notice Returns the controller's escrowed shares to it and clears the request.
    function cancelRedeemRequest(address controller) external returns (uint256 shares);

    /// @notice ERC-7540: shares requested by `controller` still in cooldown.
    function pendingRedeemRequest(uint256 requestId, address controller) external view returns (uint256 shares);

    /// @notice ERC-7540: shares requested by `controller` past their cooldown and not expired.
    function claimableRedeemRequest(uint256 requestId, address controller) external view returns (uint256 shares);

    /// @notice The controller's request as stored (zero after a write-off of its share class).
    function redeemRequest(address controller) external view returns (RedeemRequestState memory);

    /// @notice ERC-7540: lets `operator` request, redeem and cancel on the caller's behalf.
    function setOperator(address operator, bool approved) external returns (bool);

    /// @notice ERC-7540: whether `operator` acts for `controller`.
    function isOperator(address controller, address operator) external view returns (bool);

    /// @notice Starts at 0 and grows each time a total loss writes the share class off.
    function shareEpoch() external view returns (uint32);

    /// @notice Whether this is the senior tranche (else the junior).
    function isSenior() external view returns (bool);

    /// @notice The manager that books both tranches.
    function manager() external view returns (address);
}
