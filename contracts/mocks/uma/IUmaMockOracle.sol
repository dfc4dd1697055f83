// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice UMA's `MockOracleAncillary`, the DVM of local chains and tests: requests are answered by whoever pushes a
/// price (standing in for the token holders' vote).
interface IUmaMockOracle {
    event PriceRequestAdded(
        address indexed requester,
        bytes32 indexed identifier,
        uint256 time,
        bytes ancillaryData,
        bytes32 indexed requestId
    );
    event PushedPrice(
        address indexed pusher,
        bytes32 indexed identifier,
        uint256 time,
        bytes ancillaryData,
        int256 price,
        bytes32 indexed requestId
    );

    function pushPrice(bytes32 identifier, uint256 time, bytes memory ancillaryData, int256 price) external;

    function pushPriceByRequestId(bytes32 requestId, int256 price) external;

    function hasPrice(bytes32 identifier, uint256 time, bytes memory ancillaryData) external view returns (bool);
}
