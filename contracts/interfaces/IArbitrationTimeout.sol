// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice The adjudicator's clock for disputes, as the committee reads it.
interface IArbitrationTimeout {
    /// @notice How long after a dispute opens an arbiter's silence ends it as a draw, in seconds.
    function arbitrationTimeout() external view returns (uint256);
}
