// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IUmaStore} from "../../interfaces/uma/IUmaStore.sol";

/// @notice The owner's side of UMA's `Store`: final fees per currency.
interface IUmaStoreAdmin is IUmaStore {
    function setFinalFee(address currency, Unsigned memory newFinalFee) external;
}
