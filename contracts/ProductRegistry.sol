// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {
    ClaimTerms, IProductRegistry, Product, ProductKind, ProductParams, SaleTerms
} from "./interfaces/IProductRegistry.sol";

/// @title ProductRegistry
/// @notice Covered products and the vaults listed to back them.
contract ProductRegistry is IProductRegistry, AccessManaged {
    uint256 public constant MIN_PERIOD = 1 days;
    uint256 public constant MAX_PERIOD = 730 days;
    uint256 public constant MAX_COVERAGE_LAG = 30 days;
    /// @dev A feed update is visible in the mempool (and on chain) before anyone fires the trigger on it, and a feed
    /// that has not moved past its deviation threshold publishes only once per heartbeat. One day is the longest
    /// heartbeat of Chainlink's usual stablecoin feeds (e.g. USDC/USD, DAI/USD, USDT/USD on Ethereum), so cover bought
    /// on a firing reading, or just ahead of one, is never eligible for the incident that reading proves.
    uint256 public constant MIN_PARAMETRIC_COVERAGE_LAG = 1 days;
    uint256 public constant MIN_CLAIM_GRACE_PERIOD = 1 days;
    uint256 public constant MAX_CLAIM_GRACE_PERIOD = 90 days;
    /// @dev 100% of the cover per year: a floor above that is a typo, not a risk view.
    uint256 public constant MAX_RATE_WAD = 1e18;
    uint256 public constant MAX_VAULTS_PER_PRODUCT = 16;
    /// @dev Policies store vault ids in 16 bits.
    uint256 public constant MAX_VAULTS = type(uint16).max;
    /// @dev Policies store their cover, and what payouts used of it, in 96 bits each (7.9e28 base units: 79 billion
    /// whole tokens of 18 decimals); claims are bounded the same.
    uint256 public constant MAX_COVER_PER_POLICY = type(uint96).max;

    mapping(uint256 productId => Product) private _products;
    mapping(uint256 productId => address[]) private _backingVaults;
    mapping(address vault => uint256 id) private _vaultIds;
    mapping(uint256 id => address vault) private _vaultsById;
    uint256 private _productCount;
    uint256 private _vaultCount;
    /// @inheritdoc IProductRegistry
    address public claimsModule;

    modifier onlyClaimsModule() {
        if (msg.sender != claimsModule) revert NotClaimsModule(msg.sender);
        _;
    }

    constructor(address accessManager) AccessManaged(accessManager) {}

    /// @inheritdoc IProductRegistry
    function createProduct(ProductParams calldata params) external restricted returns (uint256 productId) {
        _checkTerms(params.minRateWad, params.minPeriod, params.maxPeriod, params.maxCoverPerPolicy);
        if (params.coverageLag > MAX_COVERAGE_LAG) revert InvalidCoverageLag(params.coverageLag);
        if (params.kind == ProductKind.Parametric && params.coverageLag < MIN_PARAMETRIC_COVERAGE_LAG) {
            revert ParametricCoverageLagTooShort(params.coverageLag, MIN_PARAMETRIC_COVERAGE_LAG);
        }
        if (params.claimGracePeriod < MIN_CLAIM_GRACE_PERIOD || params.claimGracePeriod > MAX_CLAIM_GRACE_PERIOD) {
            revert InvalidClaimGracePeriod(params.claimGracePeriod);
        }
        productId = ++_productCount;
        if (params.kind == ProductKind.Discretionary && params.trigger != address(0)) {
            revert TriggerNotAllowed(productId, params.trigger);
        }
        _products[productId] = Product({
            id: uint32(productId),
            kind: params.kind,
            active: true,
            minPeriod: params.minPeriod,
            maxPeriod: params.maxPeriod,
            coverageLag: params.coverageLag,
            claimGracePeriod: params.claimGracePeriod,
            minRateWad: params.minRateWad,
            openIncidents: 0,
            maxCoverPerPolicy: params.maxCoverPerPolicy,
            trigger: params.trigger,
            metadataURI: params.metadataURI
        });
        emit ProductCreated(productId, params.kind, params.metadataURI);
    }

    /// @inheritdoc IProductRegistry
    function updateProductTerms(
        uint256 productId,
        uint64 minRateWad,
        uint32 minPeriod,
        uint32 maxPeriod,
        uint128 maxCoverPerPolicy,
        string calldata metadataURI
    ) external restricted {
        Product storage product = _existing(productId);
        _checkTerms(minRateWad, minPeriod, maxPeriod, maxCoverPerPolicy);
        product.minRateWad = minRateWad;
        product.minPeriod = minPeriod;
        product.maxPeriod = maxPeriod;
        product.maxCoverPerPolicy = maxCoverPerPolicy;
        product.metadataURI = metadataURI;
        emit ProductTermsUpdated(productId, minRateWad, minPeriod, maxPeriod, maxCoverPerPolicy, metadataURI);
    }

    /// @inheritdoc IProductRegistry
    function setProductActive(uint256 productId, bool active) external restricted {
        _existing(productId).active = active;
        emit ProductActiveSet(productId, active);
    }

    /// @inheritdoc IProductRegistry
    function setProductTrigger(uint256 productId, address trigger) external restricted {
        Product storage product = _existing(productId);
        if (product.kind == ProductKind.Discretionary) revert TriggerNotAllowed(productId, trigger);
        product.trigger = trigger;
        emit ProductTriggerSet(productId, trigger);
    }

    /// @inheritdoc IProductRegistry
    function disarmTrigger(uint256 productId) external onlyClaimsModule {
        Product storage product = _existing(productId);
        address trigger = product.trigger;
        if (trigger == address(0)) revert NoArmedTrigger(productId);
        product.trigger = address(0);
        emit TriggerDisarmed(productId, trigger);
    }

    /// @inheritdoc IProductRegistry
    function openIncident(uint256 productId) external onlyClaimsModule {
        Product storage product = _existing(productId);
        uint256 open = product.openIncidents + 1;
        product.openIncidents = SafeCast.toUint16(open);
        emit OpenIncidentsChanged(productId, open);
    }

    /// @inheritdoc IProductRegistry
    function closeIncident(uint256 productId) external onlyClaimsModule {
        Product storage product = _existing(productId);
        uint256 open = product.openIncidents;
        if (open == 0) revert NoOpenIncident(productId);
        // Safe: `open > 0` checked above.
        unchecked {
            --open;
        }
        product.openIncidents = uint16(open);
        emit OpenIncidentsChanged(productId, open);
    }

    /// @inheritdoc IProductRegistry
    function setClaimsModule(address claimsModule_) external restricted {
        if (claimsModule_ == address(0)) revert ZeroAddress();
        claimsModule = claimsModule_;
        emit ClaimsModuleSet(claimsModule_);
    }

    /// @inheritdoc IProductRegistry
    function listVault(address vault) external restricted {
        if (vault == address(0)) revert ZeroAddress();
        if (_vaultIds[vault] != 0) revert VaultAlreadyRegistered(0, vault);
        uint256 id = ++_vaultCount;
        if (id > MAX_VAULTS) revert TooManyVaults(0, MAX_VAULTS);
        _vaultIds[vault] = id;
        _vaultsById[id] = vault;
        emit VaultListed(vault, id);
    }

    /// @inheritdoc IProductRegistry
    function attachVault(uint256 productId) external {
        _existing(productId);
        if (_vaultIds[msg.sender] == 0) revert VaultNotListed(msg.sender);
        address[] storage vaults = _backingVaults[productId];
        uint256 count = vaults.length;
        if (_indexOf(vaults, msg.sender) < count) revert VaultAlreadyRegistered(productId, msg.sender);
        if (count == MAX_VAULTS_PER_PRODUCT) revert TooManyVaults(productId, count);
        vaults.push(msg.sender);
        emit VaultAttached(productId, msg.sender);
    }

    /// @inheritdoc IProductRegistry
    function detachVault(uint256 productId) external {
        address[] storage vaults = _backingVaults[productId];
        uint256 index = _indexOf(vaults, msg.sender);
        if (index == vaults.length) revert VaultNotBacking(productId, msg.sender);
        vaults[index] = vaults[vaults.length - 1];
        vaults.pop();
        emit VaultDetached(productId, msg.sender);
    }

    /// @inheritdoc IProductRegistry
    function getProduct(uint256 productId) external view returns (Product memory) {
        return _existing(productId);
    }

    /// @inheritdoc IProductRegistry
    function getSaleTerms(uint256 productId) public view returns (SaleTerms memory) {
        Product storage product = _existing(productId);
        return SaleTerms({
            kind: product.kind,
            active: product.active,
            minPeriod: product.minPeriod,
            maxPeriod: product.maxPeriod,
            coverageLag: product.coverageLag,
            claimGracePeriod: product.claimGracePeriod,
            minRateWad: product.minRateWad,
            openIncidents: product.openIncidents,
            maxCoverPerPolicy: product.maxCoverPerPolicy,
            trigger: _triggerOf(product)
        });
    }

    /// @inheritdoc IProductRegistry
    function getSaleTermsFor(uint256 productId, address vault)
        external
        view
        returns (SaleTerms memory terms, uint256 vaultId_)
    {
        return (getSaleTerms(productId), _vaultIds[vault]);
    }

    /// @inheritdoc IProductRegistry
    function getClaimTerms(uint256 productId) external view returns (ClaimTerms memory) {
        Product storage product = _existing(productId);
        return ClaimTerms({
            kind: product.kind,
            coverageLag: product.coverageLag,
            claimGracePeriod: product.claimGracePeriod,
            trigger: _triggerOf(product)
        });
    }

    /// @inheritdoc IProductRegistry
    function productCount() external view returns (uint256) {
        return _productCount;
    }

    /// @inheritdoc IProductRegistry
    function isListedVault(address vault) external view returns (bool) {
        return _vaultIds[vault] != 0;
    }

    /// @inheritdoc IProductRegistry
    function vaultId(address vault) external view returns (uint256) {
        return _vaultIds[vault];
    }

    /// @inheritdoc IProductRegistry
    function vaultAt(uint256 id) external view returns (address) {
        return _vaultsById[id];
    }

    /// @inheritdoc IProductRegistry
    function backingVaults(uint256 productId) external view returns (address[] memory) {
        return _backingVaults[productId];
    }

    function _existing(uint256 productId) private view returns (Product storage product) {
        product = _products[productId];
        if (product.id == 0) revert UnknownProduct(productId);
    }

    /// @dev `createProduct` and `setProductTrigger` refuse a trigger on a discretionary product, so its trigger's slot
    /// need not be read.
    function _triggerOf(Product storage product) private view returns (address) {
        return product.kind == ProductKind.Parametric ? product.trigger : address(0);
    }

    function _checkTerms(uint256 minRateWad, uint256 minPeriod, uint256 maxPeriod, uint256 maxCoverPerPolicy)
        private
        pure
    {
        if (minRateWad == 0 || minRateWad > MAX_RATE_WAD) revert InvalidMinRate(minRateWad);
        if (minPeriod < MIN_PERIOD || maxPeriod > MAX_PERIOD || minPeriod > maxPeriod) {
            revert InvalidPeriodBounds(minPeriod, maxPeriod);
        }
        if (maxCoverPerPolicy == 0 || maxCoverPerPolicy > MAX_COVER_PER_POLICY) {
            revert InvalidMaxCover(maxCoverPerPolicy);
        }
    }

    /// @dev Index of `vault` in `vaults`, or `vaults.length` when absent. At most MAX_VAULTS_PER_PRODUCT reads.
    function _indexOf(address[] storage vaults, address vault) private view returns (uint256 index) {
        uint256 count = vaults.length;
        for (; index < count; ++index) {
            if (vaults[index] == vault) return index;
        }
    }
}
