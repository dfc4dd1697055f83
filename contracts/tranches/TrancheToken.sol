// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {ITrancheManager, Tranche, TrancheBook} from "../interfaces/ITrancheManager.sol";
import {ITrancheToken} from "../interfaces/ITrancheToken.sol";
import {IUnderwriterVault, RedeemRequestState} from "../interfaces/IUnderwriterVault.sol";
import {SharesMath} from "../libraries/SharesMath.sol";
import {UnderwriterVault} from "../UnderwriterVault.sol";

/// @title TrancheToken
/// @notice One tranche of a TrancheManager; see ITrancheToken. Deployed by its manager.
contract TrancheToken is ITrancheToken, ERC4626, ReentrancyGuardTransient {
    using SafeCast for uint256;

    /// @dev The vault's: a ripe request stays redeemable this long, then expires.
    uint256 public constant REDEEM_WINDOW = 7 days;
    /// @dev Shares per unit of entry value beyond which the class counts as wiped out (the vault's threshold).
    uint256 private constant WIPED_OUT_SHARES_PER_ASSET = 1e18;
    /// @dev ERC-165 ids: ERC-7540 asynchronous redemption, ERC-7540 operators, ERC-7575.
    bytes4 private constant ERC7540_REDEEM_ID = 0x620ee8e4;
    bytes4 private constant ERC7540_OPERATOR_ID = 0xe3bc4e65;
    bytes4 private constant ERC7575_ID = 0x2f0a18c5;

    ITrancheManager private immutable _manager;
    /// @inheritdoc ITrancheToken
    bool public immutable isSenior;

    /// @inheritdoc ITrancheToken
    uint32 public shareEpoch;
    uint256 private _writtenOffShares;
    mapping(address account => uint32) private _accountEpoch;
    mapping(address controller => RedeemRequestState) private _requests;
    mapping(address controller => mapping(address operator => bool)) private _operators;

    constructor(IERC20 vaultShare, bool isSenior_, string memory name_, string memory symbol_)
        ERC20(name_, symbol_)
        ERC4626(vaultShare)
    {
        _manager = ITrancheManager(msg.sender);
        isSenior = isSenior_;
    }

    // ---------------------------------------------------------------- entries

    /// @inheritdoc ERC4626
    /// @dev `assets` are vault shares, credited at the vault's entry price; tranche shares are priced at the
    /// tranche's entry value.
    function deposit(uint256 assets, address receiver) public override nonReentrant returns (uint256 shares) {
        (uint256 credit, uint256 entryValue) = _manager.enter(assets);
        _writeOffIfWipedOut(entryValue);
        shares = SharesMath.toSharesDown(credit, entryValue, totalSupply());
        if (shares == 0) revert ZeroAmount();
        _mintFor(receiver, assets, shares);
    }

    /// @inheritdoc ERC4626
    /// @dev Pulls the vault shares whose credit buys at least `shares`, rounded up twice.
    function mint(uint256 shares, address receiver) public override nonReentrant returns (uint256 assets) {
        if (shares == 0) revert ZeroAmount();
        _manager.accrue();
        uint256 entryValue = _manager.entryValue(_tranche());
        _writeOffIfWipedOut(entryValue);
        assets = _manager.vaultSharesForCreditUp(SharesMath.toAssetsUp(shares, entryValue, totalSupply()));
        _manager.enter(assets);
        _mintFor(receiver, assets, shares);
    }

    // ---------------------------------------------------------------- asynchronous exits

    /// @inheritdoc ITrancheToken
    function requestRedeem(uint256 shares, address controller, address owner)
        external
        nonReentrant
        returns (uint256 requestId)
    {
        if (shares == 0) revert ZeroAmount();
        if (controller == address(0)) revert InvalidController(controller);
        uint256 requested = _liveRequest(controller).shares;
        // A stranger adding to a live request would restart its cooldown: only the controller's side may do that.
        if (requested != 0) _checkControllerOrOperator(controller);
        if (msg.sender != owner && !_operators[owner][msg.sender]) _spendAllowance(owner, msg.sender, shares);

        _requests[controller] = RedeemRequestState({
            shares: requested + shares,
            claimableAt: (block.timestamp + _vaultContract().cooldown()).toUint64(),
            epoch: shareEpoch
        });
        _transfer(owner, address(this), shares);

        emit RedeemRequest(controller, owner, requestId, msg.sender, shares);
    }

    /// @inheritdoc ITrancheToken
    function cancelRedeemRequest(address controller) external nonReentrant returns (uint256 shares) {
        _checkControllerOrOperator(controller);
        shares = _liveRequest(controller).shares;
        if (shares == 0) revert ZeroAmount();
        delete _requests[controller];
        _transfer(address(this), controller, shares);
        emit RedeemRequestCancelled(controller, shares);
    }

    /// @inheritdoc ERC4626
    /// @dev ERC-7540 semantics: the third argument is the controller of a ripe request. Pays vault shares worth at
    /// most the redeemed shares' exit value.
    function redeem(uint256 shares, address receiver, address controller)
        public
        override
        nonReentrant
        returns (uint256 assets)
    {
        _checkControllerOrOperator(controller);
        uint256 value = SharesMath.toAssetsDown(shares, _valueOf(_manager.accrue()), totalSupply());
        assets = IERC4626(asset()).convertToShares(value);
        _exit(receiver, controller, value, shares, assets);
    }

    /// @inheritdoc ERC4626
    /// @dev ERC-7540 semantics: the third argument is the controller of a ripe request. Burns the shares whose exit
    /// value covers `assets` vault shares at `navBid`, rounded up.
    function withdraw(uint256 assets, address receiver, address controller)
        public
        override
        nonReentrant
        returns (uint256 shares)
    {
        _checkControllerOrOperator(controller);
        uint256 trancheValue = _valueOf(_manager.accrue());
        IUnderwriterVault vault = _manager.vault();
        uint256 value = SharesMath.toAssetsUp(assets, vault.navBid(), IERC20(asset()).totalSupply());
        shares = SharesMath.toSharesUp(value, trancheValue, totalSupply());
        _exit(receiver, controller, value, shares, assets);
    }

    /// @inheritdoc ITrancheToken
    function setOperator(address operator, bool approved) external returns (bool) {
        _operators[msg.sender][operator] = approved;
        emit OperatorSet(msg.sender, operator, approved);
        return true;
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc ITrancheToken
    function manager() external view returns (address) {
        return address(_manager);
    }

    /// @inheritdoc ERC4626
    /// @dev Vault shares worth the tranche's exit value.
    function totalAssets() public view override returns (uint256) {
        return IERC4626(asset()).convertToShares(_manager.exitValue(_tranche()));
    }

    /// @inheritdoc ERC4626
    function previewDeposit(uint256 assets) public view override returns (uint256) {
        (uint256 entryValue, uint256 supply) = _entryPrice();
        return SharesMath.toSharesDown(_manager.creditOf(assets), entryValue, supply);
    }

    /// @inheritdoc ERC4626
    function previewMint(uint256 shares) public view override returns (uint256) {
        (uint256 entryValue, uint256 supply) = _entryPrice();
        return _manager.vaultSharesForCreditUp(SharesMath.toAssetsUp(shares, entryValue, supply));
    }

    /// @inheritdoc ERC4626
    /// @dev ERC-7540: reverts; `convertToShares` and `maxWithdraw` answer instead.
    function previewWithdraw(uint256) public pure override returns (uint256) {
        revert AsynchronousRedemption();
    }

    /// @inheritdoc ERC4626
    /// @dev ERC-7540: reverts; `convertToAssets` and `maxRedeem` answer instead.
    function previewRedeem(uint256) public pure override returns (uint256) {
        revert AsynchronousRedemption();
    }

    /// @inheritdoc ERC4626
    /// @dev Zero while the vault is paused; the senior's within the minimum junior ratio.
    function maxDeposit(address) public view override returns (uint256) {
        if (_vaultPaused()) return 0;
        return _manager.maxEntryShares(_tranche());
    }

    /// @inheritdoc ERC4626
    function maxMint(address) public view override returns (uint256) {
        if (_vaultPaused()) return 0;
        if (!isSenior) return type(uint256).max;
        return previewDeposit(_manager.maxEntryShares(Tranche.Senior));
    }

    /// @inheritdoc ERC4626
    /// @dev The controller's ripe request, the junior's capped by the minimum junior ratio; zero while the vault is
    /// paused.
    function maxRedeem(address controller) public view override returns (uint256) {
        uint256 claimable = claimableRedeemRequest(0, controller);
        if (claimable == 0 || _vaultPaused()) return 0;
        uint256 trancheValue = _manager.exitValue(_tranche());
        uint256 exitable = _manager.maxExitValue(_tranche());
        // The whole request when its value fits: converting the limit back to shares would strand rounding dust.
        if (SharesMath.toAssetsDown(claimable, trancheValue, totalSupply()) <= exitable) return claimable;
        return SharesMath.toSharesDown(exitable, trancheValue, totalSupply());
    }

    /// @inheritdoc ERC4626
    /// @dev The controller's ripe request in vault shares, capped as `maxRedeem` is.
    function maxWithdraw(address controller) public view override returns (uint256) {
        uint256 claimable = claimableRedeemRequest(0, controller);
        if (claimable == 0 || _vaultPaused()) return 0;
        uint256 value = SharesMath.toAssetsDown(claimable, _manager.exitValue(_tranche()), totalSupply());
        return IERC4626(asset()).convertToShares(Math.min(value, _manager.maxExitValue(_tranche())));
    }

    /// @inheritdoc ITrancheToken
    function pendingRedeemRequest(uint256, address controller) external view returns (uint256) {
        RedeemRequestState memory request = _liveRequest(controller);
        return block.timestamp < request.claimableAt ? request.shares : 0;
    }

    /// @inheritdoc ITrancheToken
    function claimableRedeemRequest(uint256, address controller) public view returns (uint256) {
        RedeemRequestState memory request = _liveRequest(controller);
        return _isRedeemable(request) ? request.shares : 0;
    }

    /// @inheritdoc ITrancheToken
    function redeemRequest(address controller) external view returns (RedeemRequestState memory) {
        return _liveRequest(controller);
    }

    /// @inheritdoc ITrancheToken
    function isOperator(address controller, address operator) external view returns (bool) {
        return _operators[controller][operator];
    }

    /// @notice ERC-7575: the share token, this tranche itself.
    function share() external view returns (address) {
        return address(this);
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IERC165).interfaceId || interfaceId == ERC7540_REDEEM_ID
            || interfaceId == ERC7540_OPERATOR_ID || interfaceId == ERC7575_ID;
    }

    /// @notice Shares of the current epoch; holdings written off by a total loss read as zero.
    function balanceOf(address account) public view override(ERC20, IERC20) returns (uint256) {
        return _accountEpoch[account] < shareEpoch ? 0 : super.balanceOf(account);
    }

    /// @notice Shares of the current epoch.
    function totalSupply() public view override(ERC20, IERC20) returns (uint256) {
        return super.totalSupply() - _writtenOffShares;
    }

    // ---------------------------------------------------------------- internals

    /// @dev ERC-4626's informational conversions, in vault shares, at the tranche's exit value; rounded down.
    function _convertToShares(uint256 assets, Math.Rounding) internal view override returns (uint256) {
        uint256 value = IERC4626(asset()).convertToAssets(assets);
        return SharesMath.toSharesDown(value, _manager.exitValue(_tranche()), totalSupply());
    }

    function _convertToAssets(uint256 shares, Math.Rounding) internal view override returns (uint256) {
        uint256 value = SharesMath.toAssetsDown(shares, _manager.exitValue(_tranche()), totalSupply());
        return IERC4626(asset()).convertToShares(value);
    }

    /// @dev The tranche's shares carry as many decimals as the vault's: 6 more than the asset, as SharesMath assumes.
    function _decimalsOffset() internal pure override returns (uint8) {
        return 0;
    }

    function _mintFor(address receiver, uint256 assets, uint256 shares) private {
        _mint(receiver, shares);
        emit Deposit(msg.sender, receiver, assets, shares);
        SafeERC20.safeTransferFrom(IERC20(asset()), msg.sender, address(_manager), assets);
    }

    function _exit(address receiver, address controller, uint256 value, uint256 shares, uint256 assets) private {
        if (receiver == address(0)) revert InvalidReceiver(receiver);
        if (shares == 0 || assets == 0) revert ZeroAmount();
        RedeemRequestState memory request = _liveRequest(controller);
        if (request.shares != 0 && block.timestamp > request.claimableAt + REDEEM_WINDOW) {
            revert RedeemRequestExpired(controller, request.claimableAt + REDEEM_WINDOW);
        }
        if (block.timestamp < request.claimableAt || shares > request.shares) {
            revert RedeemRequestNotClaimable(
                controller, shares, claimableRedeemRequest(0, controller), request.claimableAt
            );
        }
        // Safe: `shares <= request.shares` checked above.
        unchecked {
            _requests[controller].shares = request.shares - shares;
        }
        _burn(address(this), shares);
        emit Withdraw(msg.sender, receiver, controller, assets, shares);
        _manager.exit(value, assets, receiver);
    }

    /// @dev Lazily burns the written-off shares of `from` and `to` before they move, so stale holdings never transfer.
    function _update(address from, address to, uint256 value) internal override {
        uint32 epoch = shareEpoch;
        if (epoch != 0) {
            _settleEpoch(from, epoch);
            _settleEpoch(to, epoch);
        }
        super._update(from, to, value);
    }

    function _settleEpoch(address account, uint32 epoch) private {
        if (account == address(0) || _accountEpoch[account] == epoch) return;
        uint256 stale = super.balanceOf(account);
        _accountEpoch[account] = epoch;
        if (stale != 0) {
            _writtenOffShares -= stale;
            super._update(account, address(0), stale);
        }
    }

    /// @dev After a total loss of the tranche, the next entry starts a new share epoch instead of minting against
    /// worthless shares: the old class is worth nothing at entry prices (so nothing moves to the entrant) and keeps
    /// nothing of the entrant's money.
    function _writeOffIfWipedOut(uint256 entryValue) private {
        uint256 supply = totalSupply();
        if (supply == 0 || supply <= entryValue * WIPED_OUT_SHARES_PER_ASSET) return;
        uint32 epoch = shareEpoch + 1;
        shareEpoch = epoch;
        _writtenOffShares = super.totalSupply();
        emit SharesWrittenOff(epoch, supply, entryValue);
    }

    /// @dev The tranche's entry value and the supply entries price against (none once the class is wiped out).
    function _entryPrice() private view returns (uint256 entryValue, uint256 supply) {
        (entryValue, supply) = (_manager.entryValue(_tranche()), totalSupply());
        if (supply > entryValue * WIPED_OUT_SHARES_PER_ASSET) supply = 0;
    }

    function _liveRequest(address controller) private view returns (RedeemRequestState memory request) {
        request = _requests[controller];
        if (request.epoch < shareEpoch) request.shares = 0;
    }

    function _isRedeemable(RedeemRequestState memory request) private view returns (bool) {
        return block.timestamp >= request.claimableAt && block.timestamp <= request.claimableAt + REDEEM_WINDOW;
    }

    function _valueOf(TrancheBook memory current) private view returns (uint256) {
        return isSenior ? current.senior : current.junior;
    }

    function _tranche() private view returns (Tranche) {
        return isSenior ? Tranche.Senior : Tranche.Junior;
    }

    function _vaultContract() private view returns (UnderwriterVault) {
        return UnderwriterVault(asset());
    }

    function _vaultPaused() private view returns (bool) {
        return Pausable(asset()).paused();
    }

    function _checkControllerOrOperator(address controller) private view {
        if (msg.sender != controller && !_operators[controller][msg.sender]) {
            revert NotControllerOrOperator(msg.sender, controller);
        }
    }
}
