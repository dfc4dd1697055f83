// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";

/// @title PauseClock
/// @notice Counts the seconds a contract has spent paused, at any past time, so that windows a pause blocks (filing a
/// claim, reporting an incident) can be extended by exactly the paused time within them.
/// @dev One checkpoint per pause and per unpause: lookups are O(log pauses), never touched by policies or claims.
/// A checkpoint holds the paused seconds counted up to it and, while paused, the time the pause began.
library PauseClock {
    using Checkpoints for Checkpoints.Trace208;

    struct Clock {
        Checkpoints.Trace208 history;
    }

    /// @notice Records a pause beginning at `timestamp`.
    function pause(Clock storage clock, uint256 timestamp) internal {
        (uint256 total,) = _decode(clock.history.latest());
        clock.history.push(uint48(timestamp), _encode(total, timestamp));
    }

    /// @notice Records the end of the pause at `timestamp`.
    function unpause(Clock storage clock, uint256 timestamp) internal {
        clock.history.push(uint48(timestamp), _encode(pausedSecondsAt(clock, timestamp), 0));
    }

    /// @notice Seconds spent paused from the start up to `timestamp`.
    function pausedSecondsAt(Clock storage clock, uint256 timestamp) internal view returns (uint256) {
        (uint256 total, uint256 pausedSince) = _decode(clock.history.upperLookupRecent(uint48(timestamp)));
        return pausedSince == 0 ? total : total + timestamp - pausedSince;
    }

    /// @notice Seconds not spent paused in [from, to]; zero when `to <= from`.
    function unpausedSeconds(Clock storage clock, uint256 from, uint256 to) internal view returns (uint256) {
        if (to <= from) return 0;
        return (to - from) - (pausedSecondsAt(clock, to) - pausedSecondsAt(clock, from));
    }

    /// @dev Timestamps fit in 48 bits and paused seconds in 160 until far beyond any chain's life.
    function _encode(uint256 total, uint256 pausedSince) private pure returns (uint208) {
        return uint208((total << 48) | pausedSince);
    }

    function _decode(uint208 value) private pure returns (uint256 total, uint256 pausedSince) {
        return (uint256(value) >> 48, uint256(value) & type(uint48).max);
    }
}
