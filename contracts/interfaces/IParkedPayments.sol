// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IParkedPayments
/// @notice Payments a token refused (a USDC-style blocklisted receiver, a contract the token rejects) wait as the
/// receiver's parked balance instead of blocking what sent them, and the receiver withdraws them to any address the
/// token takes. The adjudicator parks bonds, burns and refunds; the CoverManager a sale's frontend commission, which
/// the buyer then pays to it (the protocol fee waits in the vault instead: `IUnderwriterVault.sweepProtocolFees`).
interface IParkedPayments {
    /// @notice Nothing parked for `account` in `token`.
    error NothingParked(address token, address account);

    /// @notice The token refused a payment to `account`; `amount` waits for it (`withdrawParked`).
    event PaymentParked(address indexed token, address indexed account, uint256 amount);
    /// @notice `account` withdrew what was parked for it in `token` to `to`.
    event ParkedWithdrawn(address indexed token, address indexed account, address indexed to, uint256 amount);

    /// @notice Sends all of the caller's parked balance in `token` to `to`; `NothingParked` if there is none, and the
    /// contract's zero-address error for `to == 0`. Open while the contract is paused.
    function withdrawParked(address token, address to) external returns (uint256 amount);

    /// @notice What is parked for `account` in `token`.
    function parkedOf(address token, address account) external view returns (uint256);
}
