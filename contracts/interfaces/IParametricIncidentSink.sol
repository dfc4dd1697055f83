// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IParametricIncidentSink
/// @notice Implemented by the claim adjudicator: where a parametric product's trigger confirms an incident.
interface IParametricIncidentSink {
    /// @notice Creates an incident on `productId`, confirmed at once (no liveness), paying `payoutWad` of each eligible
    /// policy's remaining cover.
    /// @dev Callable only by the registry's `trigger` of a Parametric product.
    /// @param incidentTime When the incident happened.
    /// @return incidentId The confirmed incident.
    function confirmParametricIncident(uint256 productId, uint256 incidentTime, uint256 payoutWad)
        external
        returns (uint256 incidentId);
}
