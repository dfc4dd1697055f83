// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ITrancheToken} from "./ITrancheToken.sol";
import {IUnderwriterVault} from "./IUnderwriterVault.sol";

/// @notice The two risk classes over one vault: the junior takes losses first, the senior only once the junior is
/// worth nothing.
enum Tranche {
    Junior,
    Senior
}

/// @notice What each tranche is owed, in the vault's asset at the vault's exit price (`navBid`), and the part of
/// each one's losses that is a pending reserve (given back, senior first, if the reserve is released).
struct TrancheBook {
    uint256 junior;
    uint256 senior;
    uint256 juniorProvision;
    uint256 seniorProvision;
}

/// @notice What one accrual moved: the premium and the senior's part of it, the losses each tranche bore, and the
/// provisions given back.
struct TrancheAccrual {
    uint256 premium;
    uint256 seniorPremium;
    uint256 juniorLoss;
    uint256 seniorLoss;
    uint256 juniorReleased;
    uint256 seniorReleased;
}

/// @title ITrancheManager
/// @notice Holds the vault shares of both tranches of one `UnderwriterVault` and books what each tranche is owed.
/// @dev A layer over the vault's shares: the vault is unchanged and sees the manager as one underwriter. Each change
/// of the layer's value is attributed at the next accrual (every entry and exit, and anyone's `accrue()`), in order:
/// a fall of the layer's share of the vault's pending reserve gives back the provisions the tranches bore (senior
/// first); what remains is a loss (junior first, then senior; the part that matches a rise of the reserve is booked
/// as provision) or a premium (split by `seniorPremiumShareWad`, the senior's part rounded down). Premium streamed in
/// the same interval as a realized payout nets against it, in the junior's favour only: the senior is never paid
/// more than the split gives it. Exits are priced at the book (the vault's exit price), entries at the book as it
/// would be were every reserve released and the vault's entry price applied (the vault's own `max(navAsk,
/// unearnedPremium)`), so no one enters before a release or leaves before a loss at the wrong price.
/// Vault shares sent to the manager other than by a tranche entry are not counted.
interface ITrancheManager {
    /// @notice The junior would be below `minJuniorRatioWad` of the two after this senior entry or junior exit.
    error JuniorRatioTooLow(uint256 juniorValue, uint256 seniorValue, uint256 minJuniorRatioWad);
    /// @notice `shareWad` outside [MIN_SENIOR_PREMIUM_SHARE_WAD, MAX_SENIOR_PREMIUM_SHARE_WAD].
    error InvalidSeniorPremiumShare(uint256 shareWad);
    /// @notice `ratioWad` outside [MIN_JUNIOR_RATIO_WAD, MAX_JUNIOR_RATIO_WAD].
    error InvalidMinJuniorRatio(uint256 ratioWad);
    /// @notice Only the two tranche tokens may enter or exit.
    error NotTranche(address caller);
    /// @notice The vault is paused: no tranche enters or exits meanwhile.
    error VaultPaused();
    /// @notice A zero amount where a positive one is required.
    error ZeroAmount();
    /// @notice An exit of `value` from a tranche worth `trancheValue`.
    error ExitExceedsTrancheValue(uint256 value, uint256 trancheValue);

    /// @notice The book moved to the layer's current value (only emitted when something moved).
    event Accrued(
        uint256 premium,
        uint256 seniorPremium,
        uint256 juniorLoss,
        uint256 seniorLoss,
        uint256 juniorReleased,
        uint256 seniorReleased
    );
    /// @notice `vaultShares` entered `tranche`, credited `credit` of the asset at the vault's entry price.
    event TrancheEntered(Tranche indexed tranche, uint256 vaultShares, uint256 credit);
    /// @notice `value` left `tranche` as `vaultShares` sent to `receiver`.
    event TrancheExited(Tranche indexed tranche, address indexed receiver, uint256 value, uint256 vaultShares);
    /// @notice The vault wrote its share class off (a total loss): the layer's `shares` count for nothing from now.
    event VaultSharesWrittenOff(uint256 indexed vaultEpoch, uint256 shares);
    /// @notice The senior's share of the premium its protected capital earns changed.
    event SeniorPremiumShareSet(uint256 shareWad);
    /// @notice The minimum junior ratio changed.
    event MinJuniorRatioSet(uint256 ratioWad);

    /// @notice Books every change of the layer's value since the last accrual. Anyone may call it; a keeper calls it
    /// daily, so a premium nets against a payout over at most a day.
    /// @return The book after the accrual.
    function accrue() external returns (TrancheBook memory);

    /// @notice Books an entry of `vaultShares` (the calling tranche pulls them to the manager right after). Tranche
    /// tokens only. Refused (`JuniorRatioTooLow`) for a senior entry that would take the junior below the ratio.
    /// @return credit The shares' value at the vault's entry price, rounded down.
    /// @return entryValue The tranche's value before the entry, at entry prices, rounded up.
    function enter(uint256 vaultShares) external returns (uint256 credit, uint256 entryValue);

    /// @notice Takes `value` off the calling tranche and sends `vaultShares` (worth at most `value` at `navBid`) to
    /// `receiver`. Tranche tokens only, after `accrue`. Refused (`JuniorRatioTooLow`) for a junior exit that would take
    /// the junior below the ratio.
    function exit(uint256 value, uint256 vaultShares, address receiver) external;

    /// @notice Sets the share of the premium earned by protected senior capital that the senior keeps. Risk-manager
    /// role (delayed in production); accrues first, so the new split applies only from now.
    function setSeniorPremiumShare(uint256 shareWad) external;

    /// @notice Sets the minimum junior ratio. Risk-manager role (delayed in production).
    function setMinJuniorRatio(uint256 ratioWad) external;

    /// @notice The vault whose shares the tranches hold.
    function vault() external view returns (IUnderwriterVault);

    /// @notice The junior (first-loss) tranche token.
    function junior() external view returns (ITrancheToken);

    /// @notice The senior (protected) tranche token.
    function senior() external view returns (ITrancheToken);

    /// @notice The book as the next accrual would leave it.
    function book() external view returns (TrancheBook memory);

    /// @notice What `tranche` is worth now at the vault's exit price (what its holders redeem against).
    function exitValue(Tranche tranche) external view returns (uint256);

    /// @notice What `tranche` is worth now at entry prices (what its entrants buy into), rounded up.
    function entryValue(Tranche tranche) external view returns (uint256);

    /// @notice The most of `tranche`'s value that may leave now: all of the senior, the junior above the ratio.
    function maxExitValue(Tranche tranche) external view returns (uint256);

    /// @notice The most vault shares that may enter `tranche` now: no limit for the junior, the senior within the
    /// ratio (rounded down, a few units below the exact limit).
    function maxEntryShares(Tranche tranche) external view returns (uint256);

    /// @notice The value at the vault's entry price that `vaultShares` would be credited, rounded down.
    function creditOf(uint256 vaultShares) external view returns (uint256);

    /// @notice Vault shares that buy at least `credit` at the vault's entry price, rounded up.
    function vaultSharesForCreditUp(uint256 credit) external view returns (uint256);

    /// @notice Vault shares the layer holds for the tranches (written-off shares count as none).
    function vaultShares() external view returns (uint256);

    /// @notice The layer's current share of the vault's pending reserve.
    function provision() external view returns (uint256);

    /// @notice Share of the premium earned by protected senior capital that the senior keeps (WAD).
    function seniorPremiumShareWad() external view returns (uint256);

    /// @notice Least share of the two tranches' value that the junior must keep (WAD).
    function minJuniorRatioWad() external view returns (uint256);
}
