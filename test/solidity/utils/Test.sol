// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Vm} from "./Vm.sol";

/// @notice What test contracts and invariant handlers share: the cheatcode handle and `bound`.
/// @dev Handlers get no assertions on purpose: with `failOnRevert: false` a revert inside a handler is silently
/// discarded, so handlers must record violations in ghost state for an invariant to assert.
abstract contract TestBase {
    /// @dev address(uint160(uint256(keccak256("hevm cheat code")))), where every Foundry-compatible runner listens.
    Vm internal constant vm = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);

    /// @dev Maps `x` into [min, max] keeping in-range values unchanged, so the fuzzer's boundary values (0, 1,
    /// max) stay meaningful instead of being scrambled by a modulo.
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        require(min <= max, "bound: min > max");
        if (x >= min && x <= max) return x;
        uint256 size = max - min;
        if (size == type(uint256).max) return x;
        return min + x % (size + 1);
    }
}

/// @notice Minimal forge-std replacement: the invariant-target getters the runner reads and assertions whose
/// failure message shows both sides.
/// @dev Assertions fail by reverting, which is how the Foundry-compatible runner (EDR) detects a failed test.
abstract contract Test is TestBase {
    /// @dev Must match the ABI forge-std exposes: the invariant runner decodes `targetSelectors()` as this tuple.
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    address[] private _targetedContracts;
    FuzzSelector[] private _targetedSelectors;

    // ------------------------------------------------------------ invariant targets

    function targetContract(address target) internal {
        _targetedContracts.push(target);
    }

    function targetSelector(FuzzSelector memory selector) internal {
        _targetedSelectors.push(selector);
    }

    /// @notice Read by the invariant runner: only these contracts are called during a campaign.
    function targetContracts() public view returns (address[] memory) {
        return _targetedContracts;
    }

    /// @notice Read by the invariant runner: only these functions of the targets are called.
    function targetSelectors() public view returns (FuzzSelector[] memory) {
        return _targetedSelectors;
    }

    // ------------------------------------------------------------ assertions

    function fail(string memory message) internal pure {
        revert(message);
    }

    function assertTrue(bool condition, string memory message) internal pure {
        if (!condition) revert(string.concat("assertTrue failed: ", message));
    }

    function assertFalse(bool condition, string memory message) internal pure {
        if (condition) revert(string.concat("assertFalse failed: ", message));
    }

    function assertEq(uint256 left, uint256 right) internal pure {
        assertEq(left, right, "");
    }

    function assertEq(uint256 left, uint256 right, string memory message) internal pure {
        if (left != right) revert(_binary("assertEq", left, "!=", right, message));
    }

    function assertEq(bool left, bool right, string memory message) internal pure {
        if (left != right) revert(_binary("assertEq", left ? 1 : 0, "!=", right ? 1 : 0, message));
    }

    function assertEq(address left, address right, string memory message) internal pure {
        if (left != right) {
            revert(
                string.concat(
                    "assertEq failed: ", message, ": ", vm.toString(left), " != ", vm.toString(right)
                )
            );
        }
    }

    function assertLe(uint256 left, uint256 right) internal pure {
        assertLe(left, right, "");
    }

    function assertLe(uint256 left, uint256 right, string memory message) internal pure {
        if (left > right) revert(_binary("assertLe", left, ">", right, message));
    }

    function assertLt(uint256 left, uint256 right, string memory message) internal pure {
        if (left >= right) revert(_binary("assertLt", left, ">=", right, message));
    }

    function assertGe(uint256 left, uint256 right) internal pure {
        assertGe(left, right, "");
    }

    function assertGe(uint256 left, uint256 right, string memory message) internal pure {
        if (left < right) revert(_binary("assertGe", left, "<", right, message));
    }

    function assertGt(uint256 left, uint256 right, string memory message) internal pure {
        if (left <= right) revert(_binary("assertGt", left, "<=", right, message));
    }

    function _binary(string memory name, uint256 left, string memory op, uint256 right, string memory message)
        private
        pure
        returns (string memory)
    {
        return string.concat(
            name, " failed: ", message, bytes(message).length == 0 ? "" : ": ", vm.toString(left), " ", op, " ",
            vm.toString(right)
        );
    }
}
