// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Multicall} from "@openzeppelin/contracts/utils/Multicall.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ERC721} from "solady/src/tokens/ERC721.sol";

import {BuyCoverParams, ICoverManager, Policy} from "./interfaces/ICoverManager.sol";
import {IParkedPayments} from "./interfaces/IParkedPayments.sol";
import {IPolicyDescriptor} from "./interfaces/IPolicyDescriptor.sol";
import {IProductRegistry, ProductKind, SaleTerms} from "./interfaces/IProductRegistry.sol";
import {IUnderwriterVault} from "./interfaces/IUnderwriterVault.sol";
import {ExactTransfer} from "./libraries/ExactTransfer.sol";
import {ParkedPayments} from "./libraries/ParkedPayments.sol";
import {PremiumMath} from "./libraries/PremiumMath.sol";
import {TimeBuckets} from "./libraries/TimeBuckets.sol";

/// @title CoverManager
/// @notice Sells cover as ERC-721 policies; see ICoverManager.
contract CoverManager is ICoverManager, ERC721, AccessManaged, Pausable, ReentrancyGuardTransient, Multicall {
    uint256 public constant MAX_PROTOCOL_FEE_BPS = 2_000;
    uint256 public constant DEFAULT_PROTOCOL_FEE_BPS = 1_000;
    uint256 public constant MAX_COMMISSION_BPS = 3_000;
    bytes4 private constant ERC4906_INTERFACE_ID = 0x49064906;

    /// @dev `Policy` in one slot with the discretionary claim open on it (`openClaimId`, 0 if none), so filing and
    /// settling rewrite this slot rather than create one. The vault is its registry id; `amount` fits 96 bits (the
    /// registry caps `maxCoverPerPolicy` there). `lockWeeks` places the expiry boundary the vault booked the cover in
    /// (`end + claimGracePeriod` rounded up to the grid) that many boundaries after `end`'s own, at most 14 for the
    /// 90-day maximum grace, so a payout frees the cover from where the sale put it.
    /// What payouts used of the cover (`claimed`, at most `amount`) lives in the 96 spare bits of the policy's ERC-721
    /// ownership slot, which every payout reads for the receiver anyway: a policy's first payout writes no new slot.
    struct PackedPolicy {
        uint32 productId;
        uint16 vaultId;
        uint32 start;
        uint32 end;
        uint96 amount;
        uint8 lockWeeks;
        uint40 openClaimId;
    }

    /// @dev What a purchase costs the buyer, split by recipient.
    struct Charges {
        uint256 premium;
        uint256 protocolFee;
        uint256 commission;
    }

    IProductRegistry public immutable registry;
    /// @dev The fee rate and the policy count, declared first, share the slot of AccessManaged's authority and
    /// Pausable's flag (160 + 8 + 8 bits), which every purchase reads for the pause: they take no slot of their own.
    uint16 private _protocolFeeBps;
    uint64 private _policyCount;
    address private _treasury;
    mapping(uint256 policyId => PackedPolicy) private _policies;
    mapping(address token => mapping(address account => uint256)) private _parked;
    /// @notice Renders `tokenURI` (see ICoverManager.descriptor).
    IPolicyDescriptor public descriptor;

    constructor(address accessManager, IProductRegistry registry_, address treasury_) AccessManaged(accessManager) {
        if (treasury_ == address(0)) revert InvalidTreasury(treasury_);
        registry = registry_;
        _treasury = treasury_;
        _protocolFeeBps = uint16(DEFAULT_PROTOCOL_FEE_BPS);
    }

    /// @inheritdoc ICoverManager
    function buyCover(BuyCoverParams calldata params) external nonReentrant whenNotPaused returns (uint256 policyId) {
        if (block.timestamp > params.deadline) revert DeadlineExpired(params.deadline, block.timestamp);
        if (params.receiver == address(0)) revert InvalidReceiver(params.receiver);
        if (
            params.commissionBps > MAX_COMMISSION_BPS
                || (params.commissionBps != 0 && params.commissionRecipient == address(0))
        ) revert InvalidCommission(params.commissionBps, params.commissionRecipient);
        (SaleTerms memory product, uint256 vaultId) =
            _saleTerms(params.productId, params.vault, params.amount, params.period);

        uint256 end = block.timestamp + params.period;
        uint256 lockedUntil = end + product.claimGracePeriod;
        (uint256 premium, address asset) = IUnderwriterVault(params.vault).underwrite(
            params.productId, params.amount, params.period, product.minRateWad, lockedUntil
        );
        Charges memory charges = Charges({
            premium: premium,
            protocolFee: PremiumMath.bpsUp(premium, _protocolFeeBps),
            commission: PremiumMath.bpsDown(premium, params.commissionBps)
        });
        uint256 totalCost = charges.premium + charges.protocolFee + charges.commission;
        if (totalCost > params.maxPremium) revert PremiumAboveMax(totalCost, params.maxPremium);

        policyId = _issuePolicy(params, vaultId, charges, end, lockedUntil);
        _collect(params, IERC20(asset), charges);
    }

    /// @inheritdoc ICoverManager
    function quotePremium(uint256 productId, address vault, uint256 amount, uint256 period)
        external
        view
        returns (uint256 premium, uint256 protocolFee)
    {
        (SaleTerms memory product,) = _saleTerms(productId, vault, amount, period);
        premium = IUnderwriterVault(vault).quote(productId, amount, period, product.minRateWad);
        protocolFee = PremiumMath.bpsUp(premium, _protocolFeeBps);
    }

    /// @inheritdoc ICoverManager
    function getPolicy(uint256 policyId) public view returns (Policy memory) {
        return _unpack(_existingPolicy(policyId), _getExtraData(policyId));
    }

    /// @inheritdoc ICoverManager
    function getPolicyAndOwner(uint256 policyId) external view returns (Policy memory policy, address owner) {
        policy = getPolicy(policyId);
        owner = _ownerOf(policyId);
    }

    /// @inheritdoc ICoverManager
    function policyCount() external view returns (uint256) {
        return _policyCount;
    }

    /// @inheritdoc ICoverManager
    function treasury() external view returns (address) {
        return _treasury;
    }

    /// @inheritdoc ICoverManager
    function protocolFeeBps() external view returns (uint256) {
        return _protocolFeeBps;
    }

    /// @inheritdoc ICoverManager
    function openClaimOf(uint256 policyId) external view returns (uint256) {
        return _policies[policyId].openClaimId;
    }

    /// @inheritdoc ICoverManager
    function openClaim(uint256 policyId, uint256 claimId) external returns (Policy memory policy, address owner) {
        _checkClaimsModule();
        PackedPolicy memory packed = _existingPolicy(policyId);
        if (packed.openClaimId != 0) revert ClaimAlreadyOpen(policyId, packed.openClaimId);
        if (claimId == 0 || claimId > type(uint40).max) revert InvalidClaimId(claimId);
        // Exact: checked just above.
        _policies[policyId].openClaimId = uint40(claimId);
        policy = _unpack(packed, _getExtraData(policyId));
        owner = _ownerOf(policyId);
    }

    /// @inheritdoc ICoverManager
    function closeClaim(uint256 policyId, uint256 approved, uint256 releasedReserve)
        external
        nonReentrant
        returns (uint256 paid, address receiver, address vault)
    {
        _checkClaimsModule();
        PackedPolicy memory policy = _existingPolicy(policyId);
        if (policy.openClaimId == 0) revert NoOpenClaim(policyId);
        _policies[policyId].openClaimId = 0;
        vault = registry.vaultAt(policy.vaultId);
        receiver = _ownerOf(policyId);
        uint256 claimed = _getExtraData(policyId);
        // Decided now: incident payouts may have used part of the cover since filing, and the vault pays from the
        // claim's reserve and, only where that falls short, from its free capital.
        paid = Math.min(approved, policy.amount - claimed);
        if (paid > releasedReserve) paid = Math.min(paid, IUnderwriterVault(vault).navBid() + releasedReserve);
        if (paid != 0) {
            _pay(policyId, policy, claimed, paid, releasedReserve, vault, receiver);
        } else if (releasedReserve != 0) {
            IUnderwriterVault(vault).decreasePendingReserve(policy.productId, releasedReserve);
        }
    }

    /// @inheritdoc ICoverManager
    function payClaim(uint256 policyId, uint256 amount, uint256 releasedReserve) external nonReentrant {
        _checkClaimsModule();
        PackedPolicy memory policy = _existingPolicy(policyId);
        _pay(
            policyId,
            policy,
            _getExtraData(policyId),
            amount,
            releasedReserve,
            registry.vaultAt(policy.vaultId),
            _ownerOf(policyId)
        );
    }

    /// @inheritdoc IParkedPayments
    function withdrawParked(address token, address to) external nonReentrant returns (uint256) {
        if (to == address(0)) revert InvalidReceiver(to);
        return ParkedPayments.withdraw(_parked, token, to);
    }

    /// @inheritdoc IParkedPayments
    function parkedOf(address token, address account) external view returns (uint256) {
        return _parked[token][account];
    }

    /// @inheritdoc ICoverManager
    function setDescriptor(address descriptor_) external restricted {
        if (descriptor_ != address(0) && descriptor_.code.length == 0) revert InvalidDescriptor(descriptor_);
        descriptor = IPolicyDescriptor(descriptor_);
        emit DescriptorSet(descriptor_);
        emit BatchMetadataUpdate(1, type(uint256).max);
    }

    /// @notice The policies' collection name.
    function name() public pure override returns (string memory) {
        return "Parapet Cover";
    }

    /// @notice The policies' collection symbol.
    function symbol() public pure override returns (string memory) {
        return "PCOVER";
    }

    /// @notice ERC-721 approval; Ether sent with it is refused (`EtherNotAccepted`), as with the transfers below.
    function approve(address account, uint256 policyId) public payable override {
        _refuseEther();
        super.approve(account, policyId);
    }

    /// @notice ERC-721 transfer. The standard declares the transfers payable, and so does Solady's ERC721 this contract
    /// builds on; nothing here would ever return Ether sent with one, so each refuses it.
    function transferFrom(address from, address to, uint256 policyId) public payable override {
        _refuseEther();
        super.transferFrom(from, to, policyId);
    }

    /// @notice ERC-721 safe transfer (calls `onERC721Received` on a contract receiver); refuses Ether.
    function safeTransferFrom(address from, address to, uint256 policyId) public payable override {
        _refuseEther();
        super.safeTransferFrom(from, to, policyId);
    }

    /// @notice ERC-721 safe transfer with data for the receiver; refuses Ether.
    function safeTransferFrom(address from, address to, uint256 policyId, bytes calldata data)
        public
        payable
        override
    {
        _refuseEther();
        super.safeTransferFrom(from, to, policyId, data);
    }

    /// @notice The policy's metadata from the descriptor (JSON + SVG data URI); empty while no descriptor is set.
    function tokenURI(uint256 policyId) public view override returns (string memory) {
        _existingPolicy(policyId);
        IPolicyDescriptor descriptor_ = descriptor;
        return address(descriptor_) == address(0) ? "" : descriptor_.tokenURI(policyId);
    }

    /// @notice ERC-165: ERC-721, its metadata extension, and ERC-4906 metadata updates (0x49064906).
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == ERC4906_INTERFACE_ID || super.supportsInterface(interfaceId);
    }

    /// @inheritdoc ICoverManager
    function setProtocolFee(uint256 protocolFeeBps_) external restricted {
        if (protocolFeeBps_ > MAX_PROTOCOL_FEE_BPS) revert InvalidProtocolFee(protocolFeeBps_);
        // Exact: at most MAX_PROTOCOL_FEE_BPS.
        _protocolFeeBps = uint16(protocolFeeBps_);
        emit ProtocolFeeSet(protocolFeeBps_);
    }

    /// @inheritdoc ICoverManager
    function setTreasury(address treasury_) external restricted {
        if (treasury_ == address(0)) revert InvalidTreasury(treasury_);
        _treasury = treasury_;
        emit TreasurySet(treasury_);
    }

    /// @inheritdoc ICoverManager
    function pause() external restricted {
        _pause();
    }

    /// @inheritdoc ICoverManager
    function unpause() external restricted {
        _unpause();
    }

    /// @dev Records `amount` against the policy's cover (`claimed` so far) and has its vault (`vault`, the policy's)
    /// pay `receiver` (its owner).
    function _pay(
        uint256 policyId,
        PackedPolicy memory policy,
        uint256 claimed,
        uint256 amount,
        uint256 releasedReserve,
        address vault,
        address receiver
    ) private {
        uint256 remaining = policy.amount - claimed;
        if (amount > remaining) revert ClaimExceedsCover(policyId, amount, remaining);
        // Safe: `claimed + amount <= policy.amount`, a uint96, so the cast is exact too.
        unchecked {
            claimed += amount;
        }
        _setExtraData(policyId, uint96(claimed));
        emit PolicyClaimed(policyId, amount, claimed);
        emit MetadataUpdate(policyId);
        uint256 lockedUntil = TimeBuckets.timeOf(TimeBuckets.floorBoundary(policy.end) + policy.lockWeeks);
        IUnderwriterVault(vault).payClaim(policy.productId, lockedUntil, receiver, amount, releasedReserve);
    }

    function _refuseEther() private view {
        if (msg.value != 0) revert EtherNotAccepted(msg.value);
    }

    /// @dev The registry names the one claims module every contract answers to.
    function _checkClaimsModule() private view {
        if (msg.sender != registry.claimsModule()) revert NotClaimsModule(msg.sender);
    }

    function _existingPolicy(uint256 policyId) private view returns (PackedPolicy memory policy) {
        policy = _policies[policyId];
        if (policy.vaultId == 0) revert UnknownPolicy(policyId);
    }

    function _unpack(PackedPolicy memory policy, uint256 claimed) private view returns (Policy memory) {
        return Policy({
            productId: policy.productId,
            vault: registry.vaultAt(policy.vaultId),
            amount: policy.amount,
            // Exact: at most `amount`.
            claimed: uint128(claimed),
            start: policy.start,
            end: policy.end
        });
    }

    /// @dev Writes the policy, mints its NFT and emits `CoverBought`.
    function _issuePolicy(
        BuyCoverParams calldata params,
        uint256 vaultId,
        Charges memory charges,
        uint256 end,
        uint256 lockedUntil
    ) private returns (uint256 policyId) {
        policyId = ++_policyCount;
        _storeNewPolicy(policyId, params, vaultId, end, lockedUntil);
        // No receiver callback runs in the middle of a purchase (not `_safeMint`). Unchecked for a token already
        // there: ids come from the count just bumped, and no policy is ever burned. Nothing claimed yet.
        _mintAndSetExtraDataUnchecked(params.receiver, policyId, 0);
        emit CoverBought(
            policyId,
            params.productId,
            params.vault,
            msg.sender,
            params.receiver,
            params.amount,
            charges.premium,
            charges.protocolFee,
            charges.commission,
            params.commissionRecipient,
            block.timestamp,
            end
        );
    }

    /// @dev Casts are safe: product ids and vault ids come from the registry (uint32 and uint16 ranges), the amount is
    /// capped by `maxCoverPerPolicy` (uint96), `end` is a timestamp plus at most 730 days, and the lock boundary is
    /// that plus at most 90 days, rounded up: at most 14 boundaries past `end`'s. No claim is open yet. The word is
    /// laid out as Solidity packs `PackedPolicy` (first field lowest) and stored whole: the slot is new, so the
    /// load-mask-store a struct assignment compiles to would only cost gas.
    function _storeNewPolicy(
        uint256 policyId,
        BuyCoverParams calldata params,
        uint256 vaultId,
        uint256 end,
        uint256 lockedUntil
    ) private {
        uint256 word = uint256(uint32(params.productId)) | (uint256(uint16(vaultId)) << 32)
            | (uint256(uint32(block.timestamp)) << 48) | (uint256(uint32(end)) << 80)
            | (uint256(uint96(params.amount)) << 112)
            | (uint256(uint8(TimeBuckets.ceilBoundary(lockedUntil) - TimeBuckets.floorBoundary(end))) << 208);
        PackedPolicy storage stored = _policies[policyId];
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            sstore(stored.slot, word)
        }
    }

    /// @dev Pulls the premium and the protocol fee into the vault in one transfer (exactly, or `UnsupportedToken`): the
    /// vault books the premium, and the fee waits outside its books until `sweepProtocolFees` sends it to the treasury.
    /// Then the commission.
    function _collect(BuyCoverParams calldata params, IERC20 asset, Charges memory charges) private {
        ExactTransfer.pullExact(asset, msg.sender, params.vault, charges.premium + charges.protocolFee);
        _payOrPark(asset, params.commissionRecipient, charges.commission);
    }

    /// @dev Has the buyer pay `account` directly; where the token refuses (a blocklist), the buyer pays this contract
    /// and the amount waits for `account`, so no frontend can stop sales.
    function _payOrPark(IERC20 asset, address account, uint256 amount) private {
        if (amount == 0 || SafeERC20.trySafeTransferFrom(asset, msg.sender, account, amount)) return;
        ParkedPayments.park(_parked, address(asset), account, amount);
        ExactTransfer.pullExact(asset, msg.sender, address(this), amount);
    }

    /// @dev The product and sale checks shared by purchases and quotes; the vault checks capacity and its curve.
    function _saleTerms(uint256 productId, address vault, uint256 amount, uint256 period)
        private
        view
        returns (SaleTerms memory product, uint256 vaultId)
    {
        (product, vaultId) = registry.getSaleTermsFor(productId, vault);
        if (!product.active) revert ProductNotActive(productId);
        if (product.openIncidents != 0) revert IncidentPending(productId);
        // A fired one-shot trigger is disarmed: cover sold before a new one is armed could never be paid.
        if (product.kind == ProductKind.Parametric && product.trigger == address(0)) revert TriggerNotArmed(productId);
        if (vaultId == 0) revert VaultNotListed(vault);
        if (period < product.minPeriod || period > product.maxPeriod) {
            revert InvalidCoverPeriod(period, product.minPeriod, product.maxPeriod);
        }
        if (amount == 0 || amount > product.maxCoverPerPolicy) {
            revert InvalidCoverAmount(amount, product.maxCoverPerPolicy);
        }
    }
}
