// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TrancheAccrual, TrancheBook} from "../../contracts/interfaces/ITrancheManager.sol";
import {TrancheMath} from "../../contracts/libraries/TrancheMath.sol";
import {Test} from "./utils/Test.sol";

contract TrancheMathTest is Test {
    string internal constant VECTORS_PATH = "test/vectors/tranche-vectors.json";
    /// @dev The generator writes 208 vectors (13 categories of 16): a truncated file fails loudly.
    uint256 internal constant MIN_VECTORS = 200;
    uint256 internal constant WAD = 1e18;
    uint256 internal constant MAX_AMOUNT = 1e30;

    /// @dev One vector's inputs, parsed.
    struct Input {
        TrancheBook book;
        uint256 value;
        uint256 provision;
        uint256 lastProvision;
        uint256 shareWad;
        uint256 ratioWad;
        uint256 bidPerEntryWad;
    }

    // ================================================================ parity with the SDK twin

    /// @notice Every vector computed by the TypeScript twin gives the same book, movements and limits on-chain.
    function test_MatchesSdkVectors() public view {
        string memory json = vm.readFile(VECTORS_PATH);
        string[] memory names = abi.decode(vm.parseJson(json, ".vectors[*].name"), (string[]));
        uint256 count = names.length;
        assertGe(count, MIN_VECTORS, "vector count");
        assertFalse(vm.keyExistsJson(json, string.concat(".vectors[", vm.toString(count), "]")), "past last vector");
        for (uint256 i; i < count; ++i) {
            string memory at = string.concat(".vectors[", vm.toString(i), "].");
            Input memory input = _input(json, at);
            (TrancheBook memory next, TrancheAccrual memory moved) = TrancheMath.accrue(
                input.book, input.value, input.provision, input.lastProvision, input.shareWad, input.ratioWad
            );
            string memory name = names[i];
            assertEq(next.junior, _uint(json, at, "expectedJunior"), string.concat(name, ": junior"));
            assertEq(next.senior, _uint(json, at, "expectedSenior"), string.concat(name, ": senior"));
            assertEq(next.juniorProvision, _uint(json, at, "expectedJuniorProvision"), string.concat(name, ": jp"));
            assertEq(next.seniorProvision, _uint(json, at, "expectedSeniorProvision"), string.concat(name, ": sp"));
            assertEq(moved.premium, _uint(json, at, "premium"), string.concat(name, ": premium"));
            assertEq(moved.seniorPremium, _uint(json, at, "seniorPremium"), string.concat(name, ": seniorPremium"));
            assertEq(moved.juniorLoss, _uint(json, at, "juniorLoss"), string.concat(name, ": juniorLoss"));
            assertEq(moved.seniorLoss, _uint(json, at, "seniorLoss"), string.concat(name, ": seniorLoss"));
            assertEq(moved.juniorReleased, _uint(json, at, "juniorReleased"), string.concat(name, ": jr"));
            assertEq(moved.seniorReleased, _uint(json, at, "seniorReleased"), string.concat(name, ": sr"));
            (uint256 junior, uint256 senior) = (input.book.junior, input.book.senior);
            assertEq(
                TrancheMath.juniorRatioMet(junior, senior, input.ratioWad) ? 1 : 0,
                _uint(json, at, "ratioMet"),
                string.concat(name, ": ratioMet")
            );
            assertEq(
                TrancheMath.maxJuniorExitDown(junior, senior, input.ratioWad),
                _uint(json, at, "maxJuniorExit"),
                string.concat(name, ": maxJuniorExit")
            );
            assertEq(
                TrancheMath.maxSeniorEntryDown(junior, senior, input.bidPerEntryWad, input.ratioWad),
                _uint(json, at, "maxSeniorEntry"),
                string.concat(name, ": maxSeniorEntry")
            );
        }
    }

    // ================================================================ properties

    /// @notice After an accrual the two tranches hold exactly the layer's value: nothing created, nothing lost.
    /// @notice The senior loses only what the junior cannot bear, and never gains more than its split of a premium.
    function testFuzz_AccrualConservesAndProtectsTheSenior(
        uint256 junior,
        uint256 senior,
        uint256 juniorProvision,
        uint256 seniorProvision,
        uint256 value,
        uint256 provision,
        uint256 lastProvision,
        uint256 shareWad,
        uint256 ratioWad
    ) public pure {
        TrancheBook memory book = TrancheBook(
            bound(junior, 0, MAX_AMOUNT),
            bound(senior, 0, MAX_AMOUNT),
            bound(juniorProvision, 0, MAX_AMOUNT),
            bound(seniorProvision, 0, MAX_AMOUNT)
        );
        lastProvision = bound(lastProvision, 0, 2 * MAX_AMOUNT);
        provision = bound(provision, 0, 2 * MAX_AMOUNT);
        value = bound(value, 0, 3 * MAX_AMOUNT);
        shareWad = bound(shareWad, 0.1e18, 0.95e18);
        ratioWad = bound(ratioWad, 0.05e18, 0.5e18);
        (TrancheBook memory next, TrancheAccrual memory moved) =
            TrancheMath.accrue(book, value, provision, lastProvision, shareWad, ratioWad);

        assertEq(next.junior + next.senior, value, "junior + senior == value");
        uint256 seniorBase = book.senior + moved.seniorReleased;
        uint256 juniorBase = book.junior + moved.juniorReleased;
        if (moved.seniorLoss != 0) assertEq(next.junior, 0, "senior lost while the junior had value");
        assertEq(moved.juniorLoss + moved.seniorLoss == 0 || moved.premium == 0, true, "premium and loss at once");
        // The senior's premium is at most its pro-rata part (the split only cedes, never adds).
        if (moved.premium != 0) {
            assertLe(moved.seniorPremium * (juniorBase + seniorBase), moved.premium * seniorBase, "senior over-paid");
        }
        // Released provisions come only from provisions booked, and come back to whoever bore them.
        assertLe(moved.seniorReleased, book.seniorProvision, "senior release beyond its provision");
        assertLe(moved.juniorReleased, book.juniorProvision, "junior release beyond its provision");
        if (provision >= lastProvision) assertEq(moved.juniorReleased + moved.seniorReleased, 0, "release without fall");
    }

    /// @notice With the ratio met, the senior's premium share is exactly `share` of its pro-rata part, rounded down.
    function testFuzz_SplitAtFullProtection(uint256 premium, uint256 junior, uint256 senior, uint256 shareWad)
        public
        pure
    {
        premium = bound(premium, 0, MAX_AMOUNT);
        senior = bound(senior, 1, MAX_AMOUNT);
        // A 20% ratio protects 4 units of senior per unit of junior: a junior of at least senior / 4 protects all.
        junior = bound(junior, (senior + 3) / 4, MAX_AMOUNT);
        shareWad = bound(shareWad, 0.1e18, 0.95e18);
        uint256 ceded = (senior * (WAD - shareWad) + WAD - 1) / WAD;
        assertEq(
            TrancheMath.seniorPremiumDown(premium, junior, senior, shareWad, 0.2e18),
            premium * (senior - ceded) / (junior + senior),
            "split"
        );
    }

    /// @notice A junior exit of exactly `maxJuniorExitDown` leaves the ratio met; one unit more breaks it.
    function testFuzz_MaxJuniorExitIsTheLimit(uint256 junior, uint256 senior, uint256 ratioWad) public pure {
        junior = bound(junior, 0, MAX_AMOUNT);
        senior = bound(senior, 1, MAX_AMOUNT);
        ratioWad = bound(ratioWad, 0.05e18, 0.5e18);
        uint256 exit = TrancheMath.maxJuniorExitDown(junior, senior, ratioWad);
        if (!TrancheMath.juniorRatioMet(junior, senior, ratioWad)) return;
        assertTrue(TrancheMath.juniorRatioMet(junior - exit, senior, ratioWad), "max exit breaks the ratio");
        if (exit < junior) {
            assertFalse(TrancheMath.juniorRatioMet(junior - exit - 1, senior, ratioWad), "max exit not the limit");
        }
    }

    /// @notice A senior entry of `maxSeniorEntryDown`, whose bid value is `bidPerEntry` of it less a unit of rounding
    /// (the junior bearing the rest), keeps the ratio met.
    function testFuzz_MaxSeniorEntryKeepsTheRatio(uint256 junior, uint256 senior, uint256 bidPerEntryWad, uint256 r)
        public
        pure
    {
        junior = bound(junior, 0, MAX_AMOUNT);
        senior = bound(senior, 0, MAX_AMOUNT);
        bidPerEntryWad = bound(bidPerEntryWad, 0.5e18, WAD);
        r = bound(r, 0.05e18, 0.5e18);
        uint256 entry = TrancheMath.maxSeniorEntryDown(junior, senior, bidPerEntryWad, r);
        if (entry == 0) return;
        // A real entry's bid value is floored (twice): the junior may bear one unit more than `1 - q` of the credit.
        uint256 absorbed = entry - entry * bidPerEntryWad / WAD + 1;
        if (absorbed > junior) return;
        assertTrue(TrancheMath.juniorRatioMet(junior - absorbed, senior + entry, r), "max entry breaks the ratio");
    }

    // ================================================================ helpers

    function _input(string memory json, string memory at) internal pure returns (Input memory input) {
        input.book = TrancheBook(
            _uint(json, at, "junior"),
            _uint(json, at, "senior"),
            _uint(json, at, "juniorProvision"),
            _uint(json, at, "seniorProvision")
        );
        input.value = _uint(json, at, "value");
        input.provision = _uint(json, at, "provision");
        input.lastProvision = _uint(json, at, "lastProvision");
        input.shareWad = _uint(json, at, "seniorPremiumShareWad");
        input.ratioWad = _uint(json, at, "minJuniorRatioWad");
        input.bidPerEntryWad = _uint(json, at, "bidPerEntryWad");
    }

    function _uint(string memory json, string memory at, string memory field) internal pure returns (uint256) {
        return vm.parseUint(abi.decode(vm.parseJson(json, string.concat(at, field)), (string)));
    }
}
