// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";

import {AssertionState, Claim, IClaimAdjudicator, Incident} from "../interfaces/IClaimAdjudicator.sol";
import {CommitteeCase, ICommitteeArbiter} from "../interfaces/ICommitteeArbiter.sol";
import {ICoverManager, Policy} from "../interfaces/ICoverManager.sol";
import {IParapetLens} from "../interfaces/IParapetLens.sol";
import {IProductRegistry, SaleTerms} from "../interfaces/IProductRegistry.sol";
import {IUnderwriterVault, RedeemRequestState} from "../interfaces/IUnderwriterVault.sol";

/// @dev Public getters of the vault that its interface does not declare.
interface IVaultSettings {
    function cooldown() external view returns (uint256);
    function paused() external view returns (bool);
    function totalCapacityWad() external view returns (uint256);
    function maxLeverageWad() external view returns (uint256);
}

/// @dev Public getters of the adjudicator that its interface does not declare.
interface IAdjudicatorSettings {
    function openClaimOf(uint256 policyId) external view returns (uint256);
    function arbitrationTimeout() external view returns (uint256);
}

/// @title ParapetLens
/// @notice Batched, view-only reads of a Parapet deployment; see IParapetLens. Holds no state besides the addresses
/// of the registry, the CoverManager and the adjudicator, so it can be redeployed at will.
contract ParapetLens is IParapetLens {
    /// @dev A product with 16 backing vaults and a long metadata URI reads in well under 100k gas: 100 per page fit
    /// the usual 30M-gas `eth_call` cap with room to spare.
    uint256 public constant MAX_PRODUCTS_PAGE = 100;

    IProductRegistry public immutable registry;
    ICoverManager public immutable coverManager;
    IClaimAdjudicator public immutable adjudicator;

    error ZeroAddress();

    constructor(IProductRegistry registry_, ICoverManager coverManager_, IClaimAdjudicator adjudicator_) {
        if (address(registry_) == address(0) || address(coverManager_) == address(0)) revert ZeroAddress();
        if (address(adjudicator_) == address(0)) revert ZeroAddress();
        registry = registry_;
        coverManager = coverManager_;
        adjudicator = adjudicator_;
    }

    /// @inheritdoc IParapetLens
    function products(uint256 offset, uint256 limit) external view returns (ProductInfo[] memory infos) {
        if (limit > MAX_PRODUCTS_PAGE) revert PageTooLarge(limit, MAX_PRODUCTS_PAGE);
        uint256 count = registry.productCount();
        uint256 size = offset >= count ? 0 : count - offset;
        if (size > limit) size = limit;
        infos = new ProductInfo[](size);
        for (uint256 i; i < size; ++i) {
            uint256 productId = offset + i + 1;
            infos[i].product = registry.getProduct(productId);
            infos[i].vaults = registry.backingVaults(productId);
        }
    }

    /// @inheritdoc IParapetLens
    function vaultStatus(address vault) external view returns (VaultStatus memory status) {
        IUnderwriterVault v = IUnderwriterVault(vault);
        IVaultSettings settings = IVaultSettings(vault);
        status.vault = vault;
        status.asset = IERC4626(vault).asset();
        status.name = IERC20Metadata(vault).name();
        status.symbol = IERC20Metadata(vault).symbol();
        status.assetDecimals = IERC20Metadata(status.asset).decimals();
        status.decimals = IERC20Metadata(vault).decimals();
        status.totalSupply = IERC20(vault).totalSupply();
        status.navAsk = v.navAsk();
        status.navBid = v.navBid();
        status.unearnedPremium = v.unearnedPremium();
        status.managedAssets = v.managedAssets();
        status.pendingReserve = v.pendingReserve();
        status.unlockedAssets = v.unlockedAssets();
        status.cooldown = settings.cooldown();
        status.paused = settings.paused();
        status.shareEpoch = v.shareEpoch();
        status.totalCapacityWad = settings.totalCapacityWad();
        status.maxLeverageWad = settings.maxLeverageWad();
        status.timestamp = block.timestamp;
        status.outflows = _outflowStatus(v);

        uint256[] memory ids = v.backedProducts();
        status.products = new VaultProduct[](ids.length);
        for (uint256 i; i < ids.length; ++i) {
            VaultProduct memory entry = status.products[i];
            entry.productId = ids[i];
            entry.terms = v.productTerms(ids[i]);
            entry.capacity = v.capacityOf(ids[i]);
            entry.exposure = v.exposureOf(ids[i]);
        }
    }

    /// @inheritdoc IParapetLens
    function position(address vault, address account) external view returns (Position memory p) {
        IUnderwriterVault v = IUnderwriterVault(vault);
        IERC4626 shares = IERC4626(vault);
        IERC20 asset = IERC20(shares.asset());
        p.vault = vault;
        p.asset = address(asset);
        p.account = account;
        p.shares = shares.balanceOf(account);
        p.assetsAtBid = shares.convertToAssets(p.shares);
        p.pendingShares = v.pendingRedeemRequest(0, account);
        p.claimableShares = v.claimableRedeemRequest(0, account);
        RedeemRequestState memory request = v.redeemRequest(account);
        if (request.shares != 0) {
            p.claimableAt = request.claimableAt;
            p.requestedAssetsAtBid = shares.convertToAssets(request.shares);
        }
        p.maxRedeem = shares.maxRedeem(account);
        p.maxWithdraw = shares.maxWithdraw(account);
        p.assetBalance = asset.balanceOf(account);
        p.assetAllowance = asset.allowance(account, vault);
        p.parkedPayout = v.parkedPayoutOf(account);
        p.timestamp = block.timestamp;
    }

    /// @inheritdoc IParapetLens
    function market(uint256 productId) external view returns (Market memory m) {
        m.productId = productId;
        m.terms = registry.getSaleTerms(productId);
        m.protocolFeeBps = coverManager.protocolFeeBps();
        m.timestamp = block.timestamp;
        address[] memory vaults = registry.backingVaults(productId);
        m.vaults = new MarketVault[](vaults.length);
        for (uint256 i; i < vaults.length; ++i) {
            IUnderwriterVault v = IUnderwriterVault(vaults[i]);
            MarketVault memory entry = m.vaults[i];
            entry.vault = vaults[i];
            entry.asset = IERC4626(vaults[i]).asset();
            entry.listed = registry.isListedVault(vaults[i]);
            entry.paused = IVaultSettings(vaults[i]).paused();
            entry.terms = v.productTerms(productId);
            entry.capacity = v.capacityOf(productId);
            entry.exposure = v.exposureOf(productId);
        }
    }

    /// @inheritdoc IParapetLens
    function quote(uint256 productId, address vault, uint256 amount, uint256 period)
        external
        view
        returns (QuoteInfo memory q)
    {
        (q.premium, q.protocolFee) = coverManager.quotePremium(productId, vault, amount, period);
        IUnderwriterVault v = IUnderwriterVault(vault);
        q.protocolFeeBps = coverManager.protocolFeeBps();
        q.terms = v.productTerms(productId);
        q.capacity = v.capacityOf(productId);
        q.exposure = v.exposureOf(productId);
        q.timestamp = block.timestamp;
    }

    /// @inheritdoc IParapetLens
    function policies(uint256[] calldata ids) external view returns (PolicyInfo[] memory infos) {
        infos = new PolicyInfo[](ids.length);
        for (uint256 i; i < ids.length; ++i) {
            PolicyInfo memory info = infos[i];
            info.policyId = ids[i];
            info.timestamp = block.timestamp;
            // A revert (unknown id) leaves the rest of the entry zeroed.
            try coverManager.getPolicy(ids[i]) returns (Policy memory policy) {
                SaleTerms memory terms = registry.getSaleTerms(policy.productId);
                info.exists = true;
                info.policy = policy;
                info.owner = IERC721(address(coverManager)).ownerOf(ids[i]);
                info.kind = terms.kind;
                info.coveredFrom = uint256(policy.start) + terms.coverageLag + 1;
                info.claimDeadline = uint256(policy.end) + terms.claimGracePeriod;
                info.openClaimId = IAdjudicatorSettings(address(adjudicator)).openClaimOf(ids[i]);
            } catch {} // solhint-disable-line no-empty-blocks
        }
    }

    /// @inheritdoc IParapetLens
    function claims(uint256[] calldata ids) external view returns (ClaimInfo[] memory infos) {
        infos = new ClaimInfo[](ids.length);
        uint256 timeout = IAdjudicatorSettings(address(adjudicator)).arbitrationTimeout();
        for (uint256 i; i < ids.length; ++i) {
            ClaimInfo memory info = infos[i];
            info.claimId = ids[i];
            info.timestamp = block.timestamp;
            // A revert (unknown id) leaves the rest of the entry zeroed.
            try adjudicator.getClaim(ids[i]) returns (Claim memory claim) {
                info.exists = true;
                info.claim = claim;
                info.productId = coverManager.getPolicy(claim.policyId).productId;
                info.policyOwner = IERC721(address(coverManager)).ownerOf(claim.policyId);
                info.arbitrationTimeout = timeout;
                (info.hasCase, info.committeeCase) = _committeeCase(claim.arbiter, claim.state, claim.caseId);
            } catch {} // solhint-disable-line no-empty-blocks
        }
    }

    /// @inheritdoc IParapetLens
    function incidents(uint256[] calldata ids) external view returns (IncidentInfo[] memory infos) {
        infos = new IncidentInfo[](ids.length);
        IAdjudicatorSettings settings = IAdjudicatorSettings(address(adjudicator));
        uint256 timeout = settings.arbitrationTimeout();
        for (uint256 i; i < ids.length; ++i) {
            IncidentInfo memory info = infos[i];
            info.incidentId = ids[i];
            info.timestamp = block.timestamp;
            // A revert (unknown id) leaves the rest of the entry zeroed.
            try adjudicator.getIncident(ids[i]) returns (Incident memory incident) {
                info.exists = true;
                info.incident = incident;
                info.claimWindowEnd = incident.claimWindowEnd;
                info.arbitrationTimeout = timeout;
                (info.hasCase, info.committeeCase) =
                    _committeeCase(incident.arbiter, incident.state, incident.caseId);
                address[] memory vaults = adjudicator.incidentVaults(ids[i]);
                info.reserves = new IncidentVaultReserve[](vaults.length);
                for (uint256 j; j < vaults.length; ++j) {
                    info.reserves[j].vault = vaults[j];
                    info.reserves[j].reserve = adjudicator.incidentReserve(ids[i], vaults[j]);
                }
            } catch {} // solhint-disable-line no-empty-blocks
        }
    }

    /// @dev The committee case of a disputed assertion, when its arbiter is a contract that answers `getCase`.
    function _committeeCase(address arbiter, AssertionState state, uint256 caseId)
        private
        view
        returns (bool found, CommitteeCase memory committeeCase)
    {
        if (arbiter == address(0) || arbiter.code.length == 0 || state == AssertionState.Pending) {
            return (false, committeeCase);
        }
        try ICommitteeArbiter(arbiter).getCase(caseId) returns (CommitteeCase memory found_) {
            return (true, found_);
        } catch {
            return (false, committeeCase);
        }
    }

    function _outflowStatus(IUnderwriterVault v) private view returns (OutflowStatus memory outflows) {
        outflows.limitWad = v.outflowLimitWad();
        outflows.window = v.outflowWindow();
        outflows.recent = v.recentOutflows();
        outflows.allowance = v.outflowAllowance();
        outflows.queuedAssets = v.queuedOutflowAssets();
        (outflows.queueHead, outflows.queueTail) = v.outflowQueueRange();
    }
}
