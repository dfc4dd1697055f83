// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice An account that refuses every call: no ERC-721 receipt, no ether, no callback. As a policy holder or a
/// payout receiver it shows that settlements never depend on the receiver's cooperation.
contract RevertingReceiver {
    error Refused();

    fallback() external payable {
        revert Refused();
    }
}
