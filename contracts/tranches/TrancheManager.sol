// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {ITrancheManager, Tranche, TrancheAccrual, TrancheBook} from "../interfaces/ITrancheManager.sol";
import {ITrancheToken} from "../interfaces/ITrancheToken.sol";
import {IUnderwriterVault} from "../interfaces/IUnderwriterVault.sol";
import {SharesMath} from "../libraries/SharesMath.sol";
import {TrancheMath} from "../libraries/TrancheMath.sol";
import {TrancheToken} from "./TrancheToken.sol";

/// @title TrancheManager
/// @notice Junior and senior tranches over one UnderwriterVault's shares; see ITrancheManager.
contract TrancheManager is ITrancheManager, AccessManaged, ReentrancyGuardTransient {
    uint256 public constant MIN_SENIOR_PREMIUM_SHARE_WAD = 0.1e18;
    uint256 public constant MAX_SENIOR_PREMIUM_SHARE_WAD = 0.95e18;
    uint256 public constant DEFAULT_SENIOR_PREMIUM_SHARE_WAD = 0.6e18;
    uint256 public constant MIN_JUNIOR_RATIO_WAD = 0.05e18;
    uint256 public constant MAX_JUNIOR_RATIO_WAD = 0.5e18;
    uint256 public constant DEFAULT_MIN_JUNIOR_RATIO_WAD = 0.2e18;

    /// @dev The vault's prices, read once per operation.
    struct VaultMarks {
        uint256 navBid;
        uint256 navAsk;
        uint256 entryNav;
        uint256 supply;
    }

    /// @inheritdoc ITrancheManager
    IUnderwriterVault public immutable vault;
    /// @inheritdoc ITrancheManager
    ITrancheToken public immutable junior;
    /// @inheritdoc ITrancheManager
    ITrancheToken public immutable senior;

    TrancheBook private _book;
    uint256 private _vaultShares;
    uint256 private _lastProvision;
    uint32 private _vaultEpoch;
    uint64 private _seniorPremiumShareWad;
    uint64 private _minJuniorRatioWad;

    constructor(
        IUnderwriterVault vault_,
        address accessManager,
        string memory juniorName,
        string memory juniorSymbol,
        string memory seniorName,
        string memory seniorSymbol
    ) AccessManaged(accessManager) {
        vault = vault_;
        _vaultEpoch = vault_.shareEpoch();
        (_seniorPremiumShareWad, _minJuniorRatioWad) =
            (uint64(DEFAULT_SENIOR_PREMIUM_SHARE_WAD), uint64(DEFAULT_MIN_JUNIOR_RATIO_WAD));
        IERC20 share = IERC20(address(vault_));
        junior = new TrancheToken(share, false, juniorName, juniorSymbol);
        senior = new TrancheToken(share, true, seniorName, seniorSymbol);
    }

    // ---------------------------------------------------------------- accrual

    /// @inheritdoc ITrancheManager
    function accrue() external nonReentrant returns (TrancheBook memory) {
        _accrue(_marks());
        return _book;
    }

    // ---------------------------------------------------------------- tranche entries and exits

    /// @inheritdoc ITrancheManager
    function enter(uint256 vaultShares_) external nonReentrant returns (uint256 credit, uint256 entryValue_) {
        Tranche tranche = _trancheOf(msg.sender);
        _checkVaultOpen();
        if (vaultShares_ == 0) revert ZeroAmount();
        VaultMarks memory marks = _marks();
        _accrue(marks);

        TrancheBook memory current = _book;
        entryValue_ = _entryValueOf(current, tranche, marks);
        credit = SharesMath.toAssetsDown(vaultShares_, marks.entryNav, marks.supply);
        if (tranche == Tranche.Senior) current.senior += credit;
        else current.junior += credit;
        uint256 shares = _vaultShares + vaultShares_;
        // What the new shares add at `navBid` is less than the credit by their share of the pending reserve: a loss
        // the waterfall books (junior first) as provision, given back if the reserve is released.
        (TrancheBook memory next,) = TrancheMath.accrue(
            current,
            SharesMath.toAssetsDown(shares, marks.navBid, marks.supply),
            _provisionOf(shares, marks),
            _lastProvision,
            _seniorPremiumShareWad,
            _minJuniorRatioWad
        );
        if (tranche == Tranche.Senior && !TrancheMath.juniorRatioMet(next.junior, next.senior, _minJuniorRatioWad)) {
            revert JuniorRatioTooLow(next.junior, next.senior, _minJuniorRatioWad);
        }

        _book = next;
        _vaultShares = shares;
        _lastProvision = _provisionOf(shares, marks);
        emit TrancheEntered(tranche, vaultShares_, credit);
    }

    /// @inheritdoc ITrancheManager
    function exit(uint256 value, uint256 vaultShares_, address receiver) external nonReentrant {
        Tranche tranche = _trancheOf(msg.sender);
        _checkVaultOpen();
        VaultMarks memory marks = _marks();
        TrancheBook memory next = _book;
        uint256 trancheValue = tranche == Tranche.Senior ? next.senior : next.junior;
        if (value > trancheValue) revert ExitExceedsTrancheValue(value, trancheValue);
        // Safe: `value <= trancheValue` just checked.
        unchecked {
            if (tranche == Tranche.Senior) next.senior = trancheValue - value;
            else next.junior = trancheValue - value;
        }
        if (tranche == Tranche.Junior && !TrancheMath.juniorRatioMet(next.junior, next.senior, _minJuniorRatioWad)) {
            revert JuniorRatioTooLow(next.junior, next.senior, _minJuniorRatioWad);
        }
        uint256 shares = _vaultShares - vaultShares_;
        // Selling shares at `navBid` realizes their share of the reserve: provisions above what is left become losses
        // of whoever bore them, junior first.
        uint256 provision_ = _provisionOf(shares, marks);
        _capProvisions(next, provision_);

        _book = next;
        _vaultShares = shares;
        _lastProvision = provision_;
        emit TrancheExited(tranche, receiver, value, vaultShares_);
        SafeERC20.safeTransfer(IERC20(address(vault)), receiver, vaultShares_);
    }

    // ---------------------------------------------------------------- governance

    /// @inheritdoc ITrancheManager
    function setSeniorPremiumShare(uint256 shareWad) external restricted {
        if (shareWad < MIN_SENIOR_PREMIUM_SHARE_WAD || shareWad > MAX_SENIOR_PREMIUM_SHARE_WAD) {
            revert InvalidSeniorPremiumShare(shareWad);
        }
        _accrue(_marks());
        // Exact cast: shareWad <= 0.95e18 < 2^64, checked above.
        _seniorPremiumShareWad = uint64(shareWad);
        emit SeniorPremiumShareSet(shareWad);
    }

    /// @inheritdoc ITrancheManager
    function setMinJuniorRatio(uint256 ratioWad) external restricted {
        if (ratioWad < MIN_JUNIOR_RATIO_WAD || ratioWad > MAX_JUNIOR_RATIO_WAD) revert InvalidMinJuniorRatio(ratioWad);
        _accrue(_marks());
        // Exact cast: ratioWad <= 0.5e18 < 2^64, checked above.
        _minJuniorRatioWad = uint64(ratioWad);
        emit MinJuniorRatioSet(ratioWad);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc ITrancheManager
    function book() public view returns (TrancheBook memory next) {
        VaultMarks memory marks = _marks();
        uint256 shares = vaultShares();
        (next,) = TrancheMath.accrue(
            _book,
            SharesMath.toAssetsDown(shares, marks.navBid, marks.supply),
            _provisionOf(shares, marks),
            _lastProvision,
            _seniorPremiumShareWad,
            _minJuniorRatioWad
        );
    }

    /// @inheritdoc ITrancheManager
    function exitValue(Tranche tranche) external view returns (uint256) {
        TrancheBook memory current = book();
        return tranche == Tranche.Senior ? current.senior : current.junior;
    }

    /// @inheritdoc ITrancheManager
    function entryValue(Tranche tranche) external view returns (uint256) {
        return _entryValueOf(book(), tranche, _marks());
    }

    /// @inheritdoc ITrancheManager
    function maxExitValue(Tranche tranche) external view returns (uint256) {
        TrancheBook memory current = book();
        if (tranche == Tranche.Senior) return current.senior;
        return TrancheMath.maxJuniorExitDown(current.junior, current.senior, _minJuniorRatioWad);
    }

    /// @inheritdoc ITrancheManager
    function maxEntryShares(Tranche tranche) external view returns (uint256) {
        if (tranche == Tranche.Junior) return type(uint256).max;
        TrancheBook memory current = book();
        VaultMarks memory marks = _marks();
        uint256 bidPerEntryWad = Math.mulDiv(marks.navBid, TrancheMath.WAD, Math.max(marks.entryNav, 1));
        uint256 credit =
            TrancheMath.maxSeniorEntryDown(current.junior, current.senior, bidPerEntryWad, _minJuniorRatioWad);
        return SharesMath.toSharesDown(credit, marks.entryNav, marks.supply);
    }

    /// @inheritdoc ITrancheManager
    function creditOf(uint256 vaultShares_) external view returns (uint256) {
        VaultMarks memory marks = _marks();
        return SharesMath.toAssetsDown(vaultShares_, marks.entryNav, marks.supply);
    }

    /// @inheritdoc ITrancheManager
    function vaultSharesForCreditUp(uint256 credit) external view returns (uint256) {
        VaultMarks memory marks = _marks();
        return SharesMath.toSharesUp(credit, marks.entryNav, marks.supply);
    }

    /// @inheritdoc ITrancheManager
    function vaultShares() public view returns (uint256) {
        return vault.shareEpoch() == _vaultEpoch ? _vaultShares : 0;
    }

    /// @inheritdoc ITrancheManager
    function provision() external view returns (uint256) {
        return _provisionOf(vaultShares(), _marks());
    }

    /// @inheritdoc ITrancheManager
    function seniorPremiumShareWad() external view returns (uint256) {
        return _seniorPremiumShareWad;
    }

    /// @inheritdoc ITrancheManager
    function minJuniorRatioWad() external view returns (uint256) {
        return _minJuniorRatioWad;
    }

    // ---------------------------------------------------------------- internals

    function _accrue(VaultMarks memory marks) private {
        uint32 epoch = vault.shareEpoch();
        if (epoch != _vaultEpoch) {
            emit VaultSharesWrittenOff(epoch, _vaultShares);
            (_vaultEpoch, _vaultShares) = (epoch, 0);
        }
        uint256 shares = _vaultShares;
        uint256 provision_ = _provisionOf(shares, marks);
        (TrancheBook memory next, TrancheAccrual memory moved) = TrancheMath.accrue(
            _book,
            SharesMath.toAssetsDown(shares, marks.navBid, marks.supply),
            provision_,
            _lastProvision,
            _seniorPremiumShareWad,
            _minJuniorRatioWad
        );
        _book = next;
        _lastProvision = provision_;
        if (
            moved.premium != 0 || moved.juniorLoss != 0 || moved.seniorLoss != 0 || moved.juniorReleased != 0
                || moved.seniorReleased != 0
        ) {
            emit Accrued(
                moved.premium,
                moved.seniorPremium,
                moved.juniorLoss,
                moved.seniorLoss,
                moved.juniorReleased,
                moved.seniorReleased
            );
        }
    }

    /// @dev The tranche's value were every pending reserve released and the layer priced at the vault's entry price:
    /// the same waterfall, run to the layer's entry-price value with no provision left.
    function _entryValueOf(TrancheBook memory current, Tranche tranche, VaultMarks memory marks)
        private
        view
        returns (uint256)
    {
        uint256 shares = vaultShares();
        (TrancheBook memory released,) = TrancheMath.accrue(
            current,
            SharesMath.toAssetsUp(shares, marks.entryNav, marks.supply),
            0,
            _provisionOf(shares, marks),
            _seniorPremiumShareWad,
            _minJuniorRatioWad
        );
        return tranche == Tranche.Senior ? released.senior : released.junior;
    }

    /// @dev The vault's prices, its entry price being `max(navAsk, unearnedPremium)` as in the vault. Shares are
    /// valued against the whole supply, so shares of a wiped-out class are worth what they are: nearly nothing.
    function _marks() private view returns (VaultMarks memory marks) {
        uint256 unearned = vault.unearnedPremium();
        marks.navAsk = vault.navAsk();
        marks.navBid = vault.navBid();
        marks.supply = IERC20(address(vault)).totalSupply();
        marks.entryNav = Math.max(marks.navAsk, unearned);
    }

    /// @dev `shares` at `navAsk` minus at `navBid`: their share of the vault's pending reserve.
    function _provisionOf(uint256 shares, VaultMarks memory marks) private pure returns (uint256) {
        return SharesMath.toAssetsDown(shares, marks.navAsk, marks.supply)
            - SharesMath.toAssetsDown(shares, marks.navBid, marks.supply);
    }

    /// @dev Provisions never exceed the layer's share of the reserve: the excess is realized, the junior's first.
    function _capProvisions(TrancheBook memory current, uint256 provision_) private pure {
        uint256 tracked = current.juniorProvision + current.seniorProvision;
        if (tracked <= provision_) return;
        uint256 excess = tracked - provision_;
        uint256 fromJunior = Math.min(excess, current.juniorProvision);
        current.juniorProvision -= fromJunior;
        current.seniorProvision -= excess - fromJunior;
    }

    function _trancheOf(address caller) private view returns (Tranche) {
        if (caller == address(senior)) return Tranche.Senior;
        if (caller != address(junior)) revert NotTranche(caller);
        return Tranche.Junior;
    }

    function _checkVaultOpen() private view {
        if (Pausable(address(vault)).paused()) revert VaultPaused();
    }
}
