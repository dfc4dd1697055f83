// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CoverManager} from "../../../contracts/CoverManager.sol";
import {TrancheBook} from "../../../contracts/interfaces/ITrancheManager.sol";
import {ITrancheToken} from "../../../contracts/interfaces/ITrancheToken.sol";
import {SharesMath} from "../../../contracts/libraries/SharesMath.sol";
import {TrancheMath} from "../../../contracts/libraries/TrancheMath.sol";
import {TrancheManager} from "../../../contracts/tranches/TrancheManager.sol";
import {TrancheToken} from "../../../contracts/tranches/TrancheToken.sol";
import {UnderwriterVault} from "../../../contracts/UnderwriterVault.sol";
import {ProtocolHandlerBase} from "./ProtocolHandlerBase.sol";

/// @notice Drives a TrancheManager over one vault: junior and senior entries, asynchronous exits of both, plain vault
/// deposits beside the layer, cover sales (premium), reserves raised, released and paid (losses), accruals and time.
/// @dev Holds the vault's claims functions (ADMIN, their default role) to stand in for the claims module. After every
/// action it compares the book with the one before, and records the first breach of a waterfall rule in ghost state.
contract TrancheHandler is ProtocolHandlerBase {
    uint256 internal constant MAX_WARP = 20 days;

    TrancheManager public manager;
    TrancheToken public junior;
    TrancheToken public senior;
    uint256 public productId;

    address[] internal _juniors;
    address[] internal _seniors;
    address internal _bystander;
    address internal _buyer;

    // ---------------------------------------------------------------- ghost state

    /// @dev Vault shares moved into and out of the layer by tranche entries and exits.
    uint256 public ghostSharesIn;
    uint256 public ghostSharesOut;
    /// @dev First breach of "the senior loses nothing while the junior has value".
    bool public seniorLostBeforeJunior;
    string public seniorLossAction;
    /// @dev First senior entry or junior exit that left the junior below the minimum ratio.
    bool public ratioBroken;
    /// @dev First action after which the two tranches did not hold exactly their shares' value.
    bool public valueNotConserved;
    string public valueNotConservedAction;

    constructor(TrancheManager manager_, CoverManager coverManager_, uint256 productId_) {
        _initBase(UnderwriterVault(address(manager_.vault())), coverManager_);
        manager = manager_;
        junior = TrancheToken(address(manager_.junior()));
        senior = TrancheToken(address(manager_.senior()));
        productId = productId_;
        _juniors = _newActors("junior", 2, address(vault), address(0));
        _seniors = _newActors("senior", 2, address(vault), address(0));
        _bystander = _newActors("bystander", 1, address(vault), address(0))[0];
        _buyer = _newActors("buyer", 1, address(coverManager_), address(0))[0];
        for (uint256 i; i < 2; ++i) {
            vm.prank(_juniors[i]);
            vault.approve(address(junior), type(uint256).max);
            vm.prank(_seniors[i]);
            vault.approve(address(senior), type(uint256).max);
        }
    }

    /// @dev Every action is checked against the book as booked just before it: the waterfall rules hold per accrual
    /// (a premium streamed since the last accrual nets against a payout landing with it, in the junior's favour, so
    /// the senior's share of that premium is not yet its own).
    modifier checked(string memory action) {
        manager.accrue();
        TrancheBook memory before = manager.book();
        _;
        _check(action, before);
    }

    // ================================================================ entries and exits

    function enterJunior(uint256 actorSeed, uint256 assets) external checked("enterJunior") {
        address actor = _juniors[actorSeed % 2];
        uint256 shares = _vaultDeposit(actor, bound(assets, 1e6, MAX_DEPOSIT));
        if (shares == 0) return;
        vm.prank(actor);
        try junior.deposit(shares, actor) {
            ghostSharesIn += shares;
            ++calls["enterJunior"];
        } catch (bytes memory reason) {
            _unexpected("enterJunior", reason);
        }
    }

    function enterSenior(uint256 actorSeed, uint256 assets) external checked("enterSenior") {
        address actor = _seniors[actorSeed % 2];
        uint256 shares = _vaultDeposit(actor, bound(assets, 1e6, MAX_DEPOSIT));
        shares = shares < senior.maxDeposit(actor) ? shares : senior.maxDeposit(actor);
        if (shares == 0) return;
        vm.prank(actor);
        try senior.deposit(shares, actor) {
            ghostSharesIn += shares;
            ++calls["enterSenior"];
            _checkRatio();
        } catch (bytes memory reason) {
            // Capped by the ratio, the entry can be a few vault shares whose credit buys no tranche share: refused
            // by design (ZeroAmount), as a dust exit is.
            if (bytes4(reason) != ITrancheToken.ZeroAmount.selector) _unexpected("enterSenior", reason);
        }
    }

    function requestExit(uint256 actorSeed, uint256 fraction, bool seniorSide) external {
        (TrancheToken tranche, address actor) = _pick(actorSeed, seniorSide);
        uint256 shares = tranche.balanceOf(actor) * bound(fraction, 1, 100) / 100;
        if (shares == 0) return;
        vm.prank(actor);
        tranche.requestRedeem(shares, actor, actor);
        ++calls["requestExit"];
    }

    function exit(uint256 actorSeed, bool seniorSide) external {
        (TrancheToken tranche, address actor) = _pick(actorSeed, seniorSide);
        uint256 shares = tranche.maxRedeem(actor);
        if (shares == 0) return;
        manager.accrue();
        TrancheBook memory before = manager.book();
        // What the exit takes off its tranche's book, as the token prices it.
        uint256 value =
            SharesMath.toAssetsDown(shares, seniorSide ? before.senior : before.junior, tranche.totalSupply());
        uint256 sharesBefore = vault.balanceOf(address(manager));
        vm.prank(actor);
        try tranche.redeem(shares, actor, actor) {
            ghostSharesOut += sharesBefore - vault.balanceOf(address(manager));
            ++calls[seniorSide ? bytes32("exitSenior") : bytes32("exitJunior")];
            if (!seniorSide) _checkRatio();
        } catch {
            // An exit of dust worth no vault share is refused by design.
            return;
        }
        if (seniorSide) before.senior -= value;
        else before.junior -= value;
        _check(seniorSide ? "exitSenior" : "exitJunior", before);
    }

    // ================================================================ the vault around the layer

    function bystanderDeposit(uint256 assets) external checked("bystanderDeposit") {
        _vaultDeposit(_bystander, bound(assets, 1e6, MAX_DEPOSIT));
        ++calls["bystanderDeposit"];
    }

    function buyCover(uint256 amount, uint256 period) external checked("buyCover") {
        uint256 available = vault.capacityOf(productId) - _min(vault.exposureOf(productId), vault.capacityOf(productId));
        if (available < 1e6) return;
        _purchase(_buyer, productId, bound(amount, 1e6, available), bound(period, 7 days, 365 days));
    }

    function raiseReserve(uint256 amount) external checked("raiseReserve") {
        uint256 navBid = vault.navBid();
        if (navBid < 2) return;
        vault.reserveUpTo(productId, bound(amount, 1, navBid / 2));
        ++calls["raiseReserve"];
    }

    function releaseReserve(uint256 amount) external checked("releaseReserve") {
        uint256 reserve = vault.productReserve(productId);
        if (reserve == 0) return;
        vault.decreasePendingReserve(productId, bound(amount, 1, reserve));
        ++calls["releaseReserve"];
    }

    function payReserve(uint256 amount) external checked("payReserve") {
        uint256 reserve = vault.productReserve(productId);
        if (reserve == 0) return;
        amount = bound(amount, 1, reserve);
        // A settled claim's payout, as the vault's only caller for it (the CoverManager) makes it.
        vm.prank(address(coverManager));
        vault.payClaim(productId, 0, address(0xC1A1), amount, amount);
        ++calls["payReserve"];
    }

    function accrue() external checked("accrue") {
        try manager.accrue() {
            ++calls["accrue"];
        } catch (bytes memory reason) {
            _unexpected("accrue", reason);
        }
    }

    function warp(uint256 seconds_) external checked("warp") {
        vm.warp(block.timestamp + bound(seconds_, 1 hours, MAX_WARP));
        ++calls["warp"];
    }

    // ================================================================ internals

    function _vaultDeposit(address actor, uint256 assets) internal returns (uint256 shares) {
        if (vault.maxDeposit(actor) == 0) return 0;
        asset.mint(actor, assets);
        vm.prank(actor);
        shares = vault.deposit(assets, actor);
        ghostDeposited += assets;
    }

    function _pick(uint256 actorSeed, bool seniorSide) internal view returns (TrancheToken, address) {
        return seniorSide ? (senior, _seniors[actorSeed % 2]) : (junior, _juniors[actorSeed % 2]);
    }

    /// @dev The senior may fall only once the junior is worth nothing; the two always hold exactly their shares.
    function _check(string memory action, TrancheBook memory before) internal {
        TrancheBook memory current = manager.book();
        if (!seniorLostBeforeJunior && current.senior < before.senior && current.junior != 0) {
            seniorLostBeforeJunior = true;
            seniorLossAction = string.concat(
                action,
                ": senior ",
                vm.toString(before.senior),
                " -> ",
                vm.toString(current.senior),
                ", junior ",
                vm.toString(before.junior),
                " -> ",
                vm.toString(current.junior),
                ", provisions ",
                vm.toString(before.juniorProvision),
                "/",
                vm.toString(before.seniorProvision),
                " -> ",
                vm.toString(current.juniorProvision),
                "/",
                vm.toString(current.seniorProvision)
            );
        }
        uint256 held = vault.convertToAssets(manager.vaultShares());
        if (!valueNotConserved && current.junior + current.senior != held) {
            (valueNotConserved, valueNotConservedAction) = (true, action);
        }
    }

    function _checkRatio() internal {
        TrancheBook memory current = manager.book();
        if (!TrancheMath.juniorRatioMet(current.junior, current.senior, manager.minJuniorRatioWad())) ratioBroken = true;
    }

    function _min(uint256 a, uint256 b) internal pure returns (uint256) {
        return a < b ? a : b;
    }
}
