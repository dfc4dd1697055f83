// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {ICoverManager} from "../interfaces/ICoverManager.sol";
import {IProductRegistry} from "../interfaces/IProductRegistry.sol";
import {
    IUnderwriterVault, ProductTerms, QueuedOutflow, RedeemRequestState
} from "../interfaces/IUnderwriterVault.sol";
import {BackingLogic} from "../libraries/BackingLogic.sol";
import {CircuitBreakerLogic} from "../libraries/CircuitBreakerLogic.sol";
import {PremiumMath} from "../libraries/PremiumMath.sol";
import {UnderwriterVaultBase} from "./UnderwriterVaultBase.sol";

/// @title UnderwriterVaultExtension
/// @notice The vault's calls off the paths users pay for on every policy: redeem requests, product governance, the
/// outflow queue's upkeep and the fee sweep. The `UnderwriterVault` that deploys it runs these through `delegatecall`,
/// on its own storage, under its own address, roles and guards; the vault's ABI declares them (see IUnderwriterVault).
/// @dev Keeps the vault under the contract size limit with room to grow. Its address is fixed in the vault's
/// constructor and cannot change. Called directly, each of its functions and every share or allowance movement of its
/// inherited ERC-20 and ERC-4626 entries reverts `ExtensionCalledDirectly`.
contract UnderwriterVaultExtension is UnderwriterVaultBase {
    using SafeCast for uint256;

    /// @dev The vault that deployed this extension: the only context its functions run in.
    address private immutable _vault;

    modifier onlyDelegatedByVault() {
        if (address(this) != _vault) revert IUnderwriterVault.ExtensionCalledDirectly(address(this));
        _;
    }

    constructor(IERC20 asset_, address accessManager, address coverManager_, IProductRegistry registry_)
        UnderwriterVaultBase(asset_, "", "", accessManager, coverManager_, registry_)
    {
        _vault = msg.sender;
    }

    // ---------------------------------------------------------------- redeem requests

    /// @dev See IUnderwriterVault.requestRedeem.
    function requestRedeem(uint256 shares, address controller, address owner)
        external
        onlyDelegatedByVault
        nonReentrant
        whenNotPaused
        returns (uint256 requestId)
    {
        if (shares == 0) revert IUnderwriterVault.ZeroAmount();
        if (controller == address(0)) revert IUnderwriterVault.InvalidController(controller);
        uint256 requested = _liveRequest(controller).shares;
        // A stranger adding to a live request would restart its cooldown: only the controller's side may do that.
        if (requested != 0) _checkControllerOrOperator(controller);
        if (msg.sender != owner && !_operators[owner][msg.sender]) _spendAllowance(owner, msg.sender, shares);

        _requests[controller] = RedeemRequestState({
            shares: requested + shares,
            claimableAt: (block.timestamp + cooldown).toUint64(),
            epoch: _shareEpoch
        });
        _transfer(owner, address(this), shares);

        emit IUnderwriterVault.RedeemRequest(controller, owner, requestId, msg.sender, shares);
    }

    /// @dev See IUnderwriterVault.cancelRedeemRequest.
    function cancelRedeemRequest(address controller)
        external
        onlyDelegatedByVault
        nonReentrant
        returns (uint256 shares)
    {
        _checkControllerOrOperator(controller);
        shares = _liveRequest(controller).shares;
        if (shares == 0) revert IUnderwriterVault.ZeroAmount();
        delete _requests[controller];
        _transfer(address(this), controller, shares);
        emit IUnderwriterVault.RedeemRequestCancelled(controller, shares);
    }

    // ---------------------------------------------------------------- governance

    /// @dev See IUnderwriterVault.setProductTerms.
    function setProductTerms(uint256 productId, ProductTerms calldata terms) external onlyDelegatedByVault restricted {
        BackingLogic.setTerms(_backing, registry, productId, terms);
    }

    /// @dev See IUnderwriterVault.removeProduct.
    function removeProduct(uint256 productId) external onlyDelegatedByVault restricted {
        BackingLogic.remove(_backing, registry, productId, _productReserve[productId]);
    }

    /// @dev See IUnderwriterVault.setCooldown.
    function setCooldown(uint256 cooldown_) external onlyDelegatedByVault restricted {
        if (cooldown_ < MIN_COOLDOWN || cooldown_ > MAX_COOLDOWN) revert IUnderwriterVault.InvalidCooldown(cooldown_);
        cooldown = cooldown_;
        emit IUnderwriterVault.CooldownSet(cooldown_);
    }

    /// @dev See IUnderwriterVault.setMaxLeverage.
    function setMaxLeverage(uint256 maxLeverageWad_) external onlyDelegatedByVault restricted {
        if (maxLeverageWad_ < PremiumMath.WAD || maxLeverageWad_ > MAX_LEVERAGE_WAD) {
            revert IUnderwriterVault.InvalidMaxLeverage(maxLeverageWad_);
        }
        _backing.maxLeverageWad = maxLeverageWad_;
        emit IUnderwriterVault.MaxLeverageSet(maxLeverageWad_);
    }

    // ---------------------------------------------------------------- fees and the outflow queue

    /// @dev See IUnderwriterVault.sweepProtocolFees.
    function sweepProtocolFees() external onlyDelegatedByVault nonReentrant whenNotPaused returns (uint256 amount) {
        (uint256 held, uint256 booked) = _heldAndBooked();
        if (held <= booked) revert IUnderwriterVault.NoProtocolFees(held, booked);
        // Safe: `held > booked` just above.
        unchecked {
            amount = held - booked;
        }
        address treasury = ICoverManager(coverManager).treasury();
        emit IUnderwriterVault.ProtocolFeesSwept(treasury, amount);
        SafeERC20.safeTransfer(IERC20(asset()), treasury, amount);
    }

    /// @dev See IUnderwriterVault.withdrawParkedPayout.
    function withdrawParkedPayout(address to) external onlyDelegatedByVault nonReentrant returns (uint256) {
        return CircuitBreakerLogic.withdrawParked(_breaker, IERC20(asset()), to);
    }

    /// @dev See IUnderwriterVault.processOutflowQueue.
    function processOutflowQueue(uint256 maxEntries)
        external
        onlyDelegatedByVault
        nonReentrant
        whenNotPaused
        returns (uint256 paid)
    {
        return CircuitBreakerLogic.payQueue(_breaker, IERC20(asset()), maxEntries, _allowance(0));
    }

    /// @dev See IUnderwriterVault.releaseOutflowQueue.
    function releaseOutflowQueue(uint256 maxEntries)
        external
        onlyDelegatedByVault
        restricted
        nonReentrant
        returns (uint256 paid)
    {
        return CircuitBreakerLogic.payQueue(_breaker, IERC20(asset()), maxEntries, type(uint256).max);
    }

    /// @dev See IUnderwriterVault.voidQueuedOutflow.
    function voidQueuedOutflow(uint256 queueId) external onlyDelegatedByVault restricted nonReentrant {
        QueuedOutflow memory entry = _breaker.queue[queueId];
        if (entry.amount == 0) revert IUnderwriterVault.OutflowNotVoidable(queueId, entry.amount);
        // A zero entry stays in place: the drain steps over it, so the order of the others is kept.
        _breaker.queue[queueId].amount = 0;
        _breaker.queuedAssets -= entry.amount;
        _bookIn(entry.amount);
        emit IUnderwriterVault.QueuedOutflowVoided(queueId, entry.receiver, entry.amount);
    }

    /// @dev See IUnderwriterVault.setOutflowLimit.
    function setOutflowLimit(uint256 limitWad, uint256 window) external onlyDelegatedByVault restricted {
        CircuitBreakerLogic.setLimit(_breaker, limitWad, window);
    }

    // ---------------------------------------------------------------- its own share books

    /// @dev Nothing enters the extension's own books: its inherited ERC-4626 entries revert.
    function maxDeposit(address) public pure override returns (uint256) {
        return 0;
    }

    /// @dev As `maxDeposit`.
    function maxMint(address) public pure override returns (uint256) {
        return 0;
    }

    /// @dev Every share movement, zero ones included, runs here: outside the vault's context none may happen, so the
    /// extension's inherited ERC-20 and ERC-4626 entries (`transfer`, `deposit(0)`, `redeem(0)`, ...) emit nothing
    /// under its address that an indexer could take for the vault's.
    function _update(address from, address to, uint256 value) internal override onlyDelegatedByVault {
        super._update(from, to, value);
    }

    /// @dev As `_update`, for `approve` and the allowance spent by a delegated `requestRedeem`.
    function _approve(address owner, address spender, uint256 value, bool emitEvent)
        internal
        override
        onlyDelegatedByVault
    {
        super._approve(owner, spender, value, emitEvent);
    }
}
