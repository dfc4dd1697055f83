// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";

/// @title CoverFloor
/// @notice The least a cover purchase must do, as `npm run bench:gas`'s reference for `buyCover`: pull the premium,
/// write one packed policy slot, bump the product's exposure and mint the policy as an ERC-721. No pricing, checks,
/// fees or events of its own: not a product, a measuring stick.
contract CoverFloor is ERC721 {
    struct PackedPolicy {
        uint32 productId;
        uint16 vaultId;
        uint32 start;
        uint32 end;
        uint128 amount;
    }

    uint256 private _policyCount;
    mapping(uint256 policyId => PackedPolicy) private _policies;
    mapping(uint256 productId => uint256) private _exposure;

    constructor() ERC721("Cover floor", "FLOOR") {}

    function buy(IERC20 asset, address vault, uint256 productId, uint256 amount, uint256 period, uint256 premium)
        external
        returns (uint256 policyId)
    {
        SafeERC20.safeTransferFrom(asset, msg.sender, vault, premium);
        policyId = ++_policyCount;
        _policies[policyId] = PackedPolicy({
            productId: uint32(productId),
            vaultId: 1,
            start: uint32(block.timestamp),
            end: uint32(block.timestamp + period),
            amount: uint128(amount)
        });
        _exposure[productId] += amount;
        _mint(msg.sender, policyId);
    }
}
