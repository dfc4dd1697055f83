// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IUmaAddressWhitelist} from "../../interfaces/uma/IUmaAddressWhitelist.sol";

/// @notice The owner's side of UMA's `AddressWhitelist` ("CollateralWhitelist").
interface IUmaAddressWhitelistAdmin is IUmaAddressWhitelist {
    function addToWhitelist(address newElement) external;

    function removeFromWhitelist(address elementToRemove) external;
}
