// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title TimeBuckets
/// @notice The 7-day grid on which exposure and premium streams expire, so expiry is processed per bucket and
/// never per policy.
/// @dev Boundary `i` is the timestamp `i * BUCKET`. A stream or a lock that ends at `t` expires at boundary
/// `ceilBoundary(t)`, i.e. never before `t`.
library TimeBuckets {
    uint256 internal constant BUCKET = 7 days;
    /// @dev Longest distance, in boundaries, between a write and the expiry it schedules: a policy locks capital for
    /// at most 730 days of cover plus 90 days of claim grace, rounded up to the grid, plus one for the partial bucket.
    uint256 internal constant HORIZON = (730 days + 90 days) / BUCKET + 2;

    /// @notice The last boundary at or before `timestamp`.
    function floorBoundary(uint256 timestamp) internal pure returns (uint256) {
        return timestamp / BUCKET;
    }

    /// @notice The first boundary at or after `timestamp`.
    function ceilBoundary(uint256 timestamp) internal pure returns (uint256) {
        return (timestamp + BUCKET - 1) / BUCKET;
    }

    /// @notice The timestamp of boundary `boundary`.
    function timeOf(uint256 boundary) internal pure returns (uint256) {
        return boundary * BUCKET;
    }

    /// @notice The last boundary worth visiting after `processed` when the clock is at `current`: every expiry ever
    /// scheduled lies within HORIZON boundaries of the boundary processed when it was written.
    function walkEnd(uint256 processed, uint256 current) internal pure returns (uint256) {
        uint256 horizonEnd = processed + HORIZON;
        return current < horizonEnd ? current : horizonEnd;
    }
}
