// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice The subset of Foundry's cheatcodes these tests use, with Foundry's exact signatures (there is no forge-std
/// package in this repository, and EDR dispatches cheatcodes by selector, so a signature typo silently breaks a call).
interface Vm {
    struct Log {
        bytes32[] topics;
        bytes data;
        address emitter;
    }

    // ------------------------------------------------------------ environment
    function warp(uint256 newTimestamp) external;
    function prank(address msgSender) external;
    function label(address account, string calldata newLabel) external;
    function envOr(string calldata name, bool defaultValue) external view returns (bool value);
    function envOr(string calldata name, uint256 defaultValue) external view returns (uint256 value);

    // ------------------------------------------------------------ assertions on the next call
    function expectRevert(bytes calldata revertData) external;

    // ------------------------------------------------------------ events
    function recordLogs() external;
    function getRecordedLogs() external returns (Log[] memory logs);

    // ------------------------------------------------------------ fuzzing
    function assume(bool condition) external pure;
    /// @dev Marks the running test skipped (and stops it) when `skipTest` is true.
    function skip(bool skipTest) external;

    // ------------------------------------------------------------ files and JSON
    function readFile(string calldata path) external view returns (string memory data);
    function keyExistsJson(string calldata json, string calldata key) external view returns (bool);
    /// @dev Untyped: unlike `parseJsonStringArray`, accepts a wildcard path and ABI-encodes all its matches.
    function parseJson(string calldata json, string calldata key) external pure returns (bytes memory abiEncodedData);
    function parseUint(string calldata stringifiedValue) external pure returns (uint256 parsedValue);

    // ------------------------------------------------------------ formatting
    function toString(uint256 value) external pure returns (string memory stringifiedValue);
    function toString(address value) external pure returns (string memory stringifiedValue);
    function toString(bytes calldata value) external pure returns (string memory stringifiedValue);
}
