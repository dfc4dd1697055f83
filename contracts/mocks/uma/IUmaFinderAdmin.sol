// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IUmaFinder} from "../../interfaces/uma/IUmaFinder.sol";

/// @notice The owner's side of UMA's `Finder`, as local deployments and tests wire a UMA stack.
interface IUmaFinderAdmin is IUmaFinder {
    function changeImplementationAddress(bytes32 interfaceName, address implementationAddress) external;
}
