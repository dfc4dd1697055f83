// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

import {Claim, IClaimAdjudicator, Incident} from "../interfaces/IClaimAdjudicator.sol";
import {Policy} from "../interfaces/ICoverManager.sol";
import {Product} from "../interfaces/IProductRegistry.sol";

/// @title UmaStatement
/// @notice The statements UMA's voters are asked to confirm: everything a voter needs to judge a disputed claim or
/// incident report, read from the chain when the case is escalated. Times are unix seconds; amounts are in the
/// smallest unit of the named token; ratios are in 1e18.
/// @dev The evidence URI lives in the filing event (`ClaimFiled` / `IncidentReported`), not in storage: copying it
/// into storage would cost every claimant tens of thousands of gas for the rare escalated case, so the statement names
/// the event that holds it, which a voter reads from any block explorer.
// Statements are prose for voters: their strings are longer than 32 bytes by nature.
// solhint-disable gas-small-strings
library UmaStatement {
    using Strings for uint256;
    using Strings for address;

    /// @notice The statement of claim `claimId`: valid, covered and at least the claimed loss.
    function ofClaim(IClaimAdjudicator adjudicator, uint256 claimId) internal view returns (string memory) {
        Claim memory claim = adjudicator.getClaim(claimId);
        Policy memory policy = adjudicator.coverManager().getPolicy(claim.policyId);
        Product memory product = adjudicator.registry().getProduct(policy.productId);
        string memory id = claimId.toString();
        return string.concat(
            _header(adjudicator, "claim ", id),
            " Policy ",
            claim.policyId.toString(),
            " of product ",
            uint256(policy.productId).toString(),
            " (terms: ",
            product.metadataURI,
            "), underwritten by vault ",
            claim.vault.toChecksumHexString(),
            ", covers ",
            uint256(policy.amount).toString(),
            " units of token ",
            IERC4626(claim.vault).asset().toChecksumHexString(),
            string.concat(
                " against incidents after ",
                (uint256(policy.start) + product.coverageLag).toString(),
                " and up to ",
                uint256(policy.end).toString(),
                ". Its holder claims ",
                uint256(claim.amount).toString(),
                " units for an incident at ",
                uint256(claim.incidentTime).toString(),
                ". Evidence: the evidenceURI of the ClaimFiled event with claimId ",
                id,
                " emitted by the adjudicator. Assertion: this incident happened, is covered by the product's terms,",
                " and cost the policy at least the claimed amount."
            )
        );
    }

    /// @notice The statement of incident report `incidentId`: the product suffered a covered incident.
    function ofIncident(IClaimAdjudicator adjudicator, uint256 incidentId) internal view returns (string memory) {
        Incident memory incident = adjudicator.getIncident(incidentId);
        Product memory product = adjudicator.registry().getProduct(incident.productId);
        string memory id = incidentId.toString();
        return string.concat(
            _header(adjudicator, "incident report ", id),
            " Product ",
            uint256(incident.productId).toString(),
            " (terms: ",
            product.metadataURI,
            ") suffered an incident at ",
            uint256(incident.incidentTime).toString(),
            "; if confirmed, every eligible policy is paid ",
            uint256(incident.payoutWad).toString(),
            " / 1e18 of its remaining cover. Evidence: the evidenceURI of the IncidentReported event with incidentId ",
            id,
            " emitted by the adjudicator. Assertion: this incident happened and is covered by the product's terms",
            " for that share of every policy's cover."
        );
    }

    function _header(IClaimAdjudicator adjudicator, string memory kind, string memory id)
        private
        view
        returns (string memory)
    {
        return string.concat(
            "Parapet ",
            kind,
            id,
            " on chain ",
            block.chainid.toString(),
            ", adjudicator ",
            address(adjudicator).toChecksumHexString(),
            "."
        );
    }
}
