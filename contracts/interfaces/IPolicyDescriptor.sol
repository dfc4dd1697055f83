// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IPolicyDescriptor
/// @notice Renders a policy NFT's metadata on chain, so wallets and marketplaces show what the policy covers.
interface IPolicyDescriptor {
    /// @notice The policy's ERC-721 metadata: `data:application/json;base64,` followed by a JSON object with
    /// `name`, `description`, `image` (a base64 SVG card) and `attributes` (product, vault, amount, claimed, start,
    /// end, status).
    /// @dev Reads the policy from the CoverManager (`getPolicy`) and its product from the registry; reverts
    /// `UnknownPolicy` for an id never minted. Status is one of `Waiting` (inside the coverage lag), `Active`,
    /// `Claim window` (ended, claims still allowed), `Expired` and `Paid out` (claimed == amount), as of the block.
    /// @param policyId The policy (and token) id.
    /// @return The data URI.
    function tokenURI(uint256 policyId) external view returns (string memory);
}
