// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IUmaIdentifierWhitelist} from "../../interfaces/uma/IUmaIdentifierWhitelist.sol";

/// @notice The owner's side of UMA's `IdentifierWhitelist`.
interface IUmaIdentifierWhitelistAdmin is IUmaIdentifierWhitelist {
    function addSupportedIdentifier(bytes32 identifier) external;

    function removeSupportedIdentifier(bytes32 identifier) external;
}
