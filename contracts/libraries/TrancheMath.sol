// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {TrancheAccrual, TrancheBook} from "../interfaces/ITrancheManager.sol";

/// @title TrancheMath
/// @notice The loss waterfall and the premium split of the junior/senior tranches, pure, the rounding direction in
/// each name: the senior's premium rounds down, and the junior takes the remainder, so the senior is never paid more
/// than the split gives it and no unit is created or lost.
/// @dev SDK twin: `sdk/src/core/trancheMath.ts`; shared vectors in `test/vectors/tranche-vectors.json`.
library TrancheMath {
    uint256 internal constant WAD = 1e18;

    /// @notice Moves `book` to the layer's new marks: `value` (its vault shares at `navBid`) and `provision` (their
    /// share of the vault's pending reserve, `navAsk` value minus `navBid` value), from `lastProvision`.
    /// @dev In order: (1) a fall of the provision returns the provisions the tranches bore, senior first (the reverse
    /// of the waterfall); (2) what is left of the change of value is a loss, borne junior first, of which the part
    /// matched by a rise of the provision is booked as provision (returned if the reserve is released), or a gain,
    /// split as premium. A gain never refills a realized loss, and a realized loss is never booked as provision, so
    /// the senior is never paid a premium share of capital the junior lost.
    function accrue(
        TrancheBook memory book,
        uint256 value,
        uint256 provision,
        uint256 lastProvision,
        uint256 seniorPremiumShareWad,
        uint256 minJuniorRatioWad
    ) internal pure returns (TrancheBook memory next, TrancheAccrual memory moved) {
        next = TrancheBook(book.junior, book.senior, book.juniorProvision, book.seniorProvision);
        if (provision < lastProvision) {
            uint256 fall = lastProvision - provision;
            moved.seniorReleased = Math.min(fall, next.seniorProvision);
            moved.juniorReleased = Math.min(fall - moved.seniorReleased, next.juniorProvision);
            next.seniorProvision -= moved.seniorReleased;
            next.juniorProvision -= moved.juniorReleased;
            next.senior += moved.seniorReleased;
            next.junior += moved.juniorReleased;
        }
        uint256 held = next.junior + next.senior;
        if (value > held) {
            // Safe: `value > held` just checked.
            unchecked {
                moved.premium = value - held;
            }
            moved.seniorPremium =
                seniorPremiumDown(moved.premium, next.junior, next.senior, seniorPremiumShareWad, minJuniorRatioWad);
            next.senior += moved.seniorPremium;
            next.junior += moved.premium - moved.seniorPremium;
        } else if (held > value) {
            uint256 loss;
            // Safe: `held > value` just checked.
            unchecked {
                loss = held - value;
            }
            moved.juniorLoss = Math.min(loss, next.junior);
            moved.seniorLoss = loss - moved.juniorLoss;
            next.junior -= moved.juniorLoss;
            next.senior -= moved.seniorLoss;
            uint256 newProvision = provision > lastProvision ? provision - lastProvision : 0;
            uint256 provisioned = Math.min(loss, newProvision);
            uint256 juniorProvisioned = Math.min(provisioned, moved.juniorLoss);
            next.juniorProvision += juniorProvisioned;
            next.seniorProvision += provisioned - juniorProvisioned;
        }
    }

    /// @notice The senior's part of `premium`, rounded down. Premium is earned pro rata to capital; the senior keeps
    /// `seniorPremiumShareWad` of what its protected capital earns and cedes the rest to the junior. The junior
    /// protects at most `junior × (1 − r) / r` of senior capital (r the minimum junior ratio), so a thin junior is
    /// paid only for the protection it gives.
    function seniorPremiumDown(
        uint256 premium,
        uint256 junior,
        uint256 senior,
        uint256 seniorPremiumShareWad,
        uint256 minJuniorRatioWad
    ) internal pure returns (uint256) {
        uint256 total = junior + senior;
        if (total == 0) return 0;
        uint256 protected = Math.min(senior, protectedSeniorUp(junior, minJuniorRatioWad));
        uint256 ceded = Math.mulDiv(protected, WAD - seniorPremiumShareWad, WAD, Math.Rounding.Ceil);
        return Math.mulDiv(premium, senior - ceded, total);
    }

    /// @notice Senior capital `junior` can protect at the minimum junior ratio: `junior × (1 − r) / r`, rounded up.
    function protectedSeniorUp(uint256 junior, uint256 minJuniorRatioWad) internal pure returns (uint256) {
        return Math.mulDiv(junior, WAD - minJuniorRatioWad, minJuniorRatioWad, Math.Rounding.Ceil);
    }

    /// @notice Whether the junior is at least `minJuniorRatioWad` of the two (always, with no senior).
    function juniorRatioMet(uint256 junior, uint256 senior, uint256 minJuniorRatioWad) internal pure returns (bool) {
        return senior == 0 || junior >= Math.mulDiv(junior + senior, minJuniorRatioWad, WAD, Math.Rounding.Ceil);
    }

    /// @notice Junior value that may leave while the ratio holds after the exit, rounded down: the junior above
    /// `senior × r / (1 − r)` (all of it with no senior).
    function maxJuniorExitDown(uint256 junior, uint256 senior, uint256 minJuniorRatioWad)
        internal
        pure
        returns (uint256)
    {
        if (senior == 0) return junior;
        uint256 required = Math.mulDiv(senior, minJuniorRatioWad, WAD - minJuniorRatioWad, Math.Rounding.Ceil);
        return junior > required ? junior - required : 0;
    }

    /// @notice Senior credit that may enter while the ratio holds, rounded down, when each unit entering adds only
    /// `bidPerEntryWad` of value at `navBid` (the junior bears the rest, a pending reserve on the new shares):
    /// `(J (1 − r) − r S) / ((1 − q)(1 − r) + r)`, less `2 / r + 1` units so the floors of a real entry (its bid value
    /// may come out a unit or two below `q` of its credit) cannot break the ratio.
    function maxSeniorEntryDown(uint256 junior, uint256 senior, uint256 bidPerEntryWad, uint256 minJuniorRatioWad)
        internal
        pure
        returns (uint256)
    {
        uint256 room = junior * (WAD - minJuniorRatioWad);
        uint256 needed = senior * minJuniorRatioWad;
        if (room <= needed) return 0;
        uint256 lossPerEntryWad = WAD - Math.min(bidPerEntryWad, WAD);
        uint256 absorbed = Math.mulDiv(lossPerEntryWad, WAD - minJuniorRatioWad, WAD, Math.Rounding.Ceil);
        uint256 exact = (room - needed) / (absorbed + minJuniorRatioWad);
        uint256 margin = Math.ceilDiv(2 * WAD, minJuniorRatioWad) + 1;
        return exact > margin ? exact - margin : 0;
    }
}
