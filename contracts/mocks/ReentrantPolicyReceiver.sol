// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";

/// @notice A policy holder contract whose ERC-721 receiver hook re-enters the protocol with the calls it was given.
/// @dev Each queued call runs in `onERC721Received`; its outcome is recorded (`results`) and emitted, and the hook
/// still accepts the token, so a test sees what each re-entrant call did.
contract ReentrantPolicyReceiver is IERC721Receiver {
    struct Call {
        address target;
        bytes data;
    }

    struct Result {
        bool success;
        bytes returnData;
    }

    event HookCalled(address indexed operator, address indexed from, uint256 indexed tokenId);
    event ReentryResult(uint256 indexed index, address indexed target, bool success, bytes returnData);

    Call[] private _calls;
    Result[] private _results;
    uint256 public hookCount;

    function queue(address target, bytes calldata data) external {
        _calls.push(Call({target: target, data: data}));
    }

    function clearQueue() external {
        delete _calls;
    }

    /// @notice Any call as this contract (approvals, claims outside the hook).
    function execute(address target, bytes calldata data) external returns (bytes memory) {
        return Address.functionCall(target, data);
    }

    function resultCount() external view returns (uint256) {
        return _results.length;
    }

    function result(uint256 index) external view returns (Result memory) {
        return _results[index];
    }

    function onERC721Received(address operator, address from, uint256 tokenId, bytes calldata)
        external
        returns (bytes4)
    {
        ++hookCount;
        emit HookCalled(operator, from, tokenId);
        uint256 count = _calls.length;
        for (uint256 i; i < count; ++i) {
            Call memory call = _calls[i];
            // solhint-disable-next-line avoid-low-level-calls
            (bool success, bytes memory returnData) = call.target.call(call.data);
            _results.push(Result({success: success, returnData: returnData}));
            emit ReentryResult(_results.length - 1, call.target, success, returnData);
        }
        return IERC721Receiver.onERC721Received.selector;
    }
}
