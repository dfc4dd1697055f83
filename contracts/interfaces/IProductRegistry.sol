// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice How claims on a product are decided.
enum ProductKind {
    Discretionary,
    Parametric
}

/// @notice A covered risk and its terms.
/// @dev `coverageLag`, `claimGracePeriod` and `kind` are terms of every policy sold, so they are fixed at creation.
/// `trigger` is the armed trigger of a parametric product, or zero when none is armed (never set, or disarmed after
/// firing); a parametric product without one does not sell.
struct Product {
    uint32 id;
    ProductKind kind;
    bool active;
    uint32 minPeriod;
    uint32 maxPeriod;
    uint32 coverageLag;
    uint32 claimGracePeriod;
    uint64 minRateWad;
    uint16 openIncidents;
    uint128 maxCoverPerPolicy;
    address trigger;
    string metadataURI;
}

/// @notice The terms sales and claims need: `Product` without its metadata string, two storage reads.
struct SaleTerms {
    ProductKind kind;
    bool active;
    uint32 minPeriod;
    uint32 maxPeriod;
    uint32 coverageLag;
    uint32 claimGracePeriod;
    uint64 minRateWad;
    uint16 openIncidents;
    uint128 maxCoverPerPolicy;
    address trigger;
}

/// @notice The terms claims and incidents need: those fixed at creation, in the product's first slot, and the armed
/// trigger that may confirm an incident of a parametric product.
struct ClaimTerms {
    ProductKind kind;
    uint32 coverageLag;
    uint32 claimGracePeriod;
    address trigger;
}

/// @notice What the risk manager supplies to create a product.
struct ProductParams {
    ProductKind kind;
    string metadataURI;
    uint64 minRateWad;
    uint32 minPeriod;
    uint32 maxPeriod;
    uint32 coverageLag;
    uint32 claimGracePeriod;
    uint128 maxCoverPerPolicy;
    address trigger;
}

/// @title IProductRegistry
/// @notice The covered products, their risk parameters, and which vaults may back them.
/// @dev Every setter is gated by the protocol's AccessManager (risk-manager role) and checks hard bounds.
interface IProductRegistry {
    /// @notice A product id that was never created.
    error UnknownProduct(uint256 productId);
    /// @notice `minPeriod`/`maxPeriod` outside [MIN_PERIOD, MAX_PERIOD] or `minPeriod > maxPeriod`.
    error InvalidPeriodBounds(uint256 minPeriod, uint256 maxPeriod);
    /// @notice `coverageLag` above MAX_COVERAGE_LAG.
    error InvalidCoverageLag(uint256 coverageLag);
    /// @notice A parametric product's `coverageLag` below MIN_PARAMETRIC_COVERAGE_LAG: cover could be bought between a
    /// firing feed update becoming visible and the trigger firing on it.
    error ParametricCoverageLagTooShort(uint256 coverageLag, uint256 minCoverageLag);
    /// @notice Disarming a product whose trigger is not armed (never set, or already disarmed).
    error NoArmedTrigger(uint256 productId);
    /// @notice `claimGracePeriod` outside [MIN_CLAIM_GRACE_PERIOD, MAX_CLAIM_GRACE_PERIOD].
    error InvalidClaimGracePeriod(uint256 claimGracePeriod);
    /// @notice `minRateWad` zero or above MAX_RATE_WAD.
    error InvalidMinRate(uint256 minRateWad);
    /// @notice `maxCoverPerPolicy` of zero, or above 2^96 - 1 (`MAX_COVER_PER_POLICY`: policies hold cover in 96 bits).
    error InvalidMaxCover(uint256 maxCoverPerPolicy);
    /// @notice A discretionary product with a trigger.
    error TriggerNotAllowed(uint256 productId, address trigger);
    /// @notice The vault is not listed by governance.
    error VaultNotListed(address vault);
    /// @notice The vault is already listed, or already backs the product.
    error VaultAlreadyRegistered(uint256 productId, address vault);
    /// @notice The product already has MAX_VAULTS_PER_PRODUCT backing vaults.
    error TooManyVaults(uint256 productId, uint256 count);
    /// @notice The vault does not back the product.
    error VaultNotBacking(uint256 productId, address vault);
    /// @notice The zero address where a contract is required.
    error ZeroAddress();
    /// @notice Closing an incident on a product that has none open.
    error NoOpenIncident(uint256 productId);
    /// @notice Only the claims module may call this function.
    error NotClaimsModule(address caller);

    /// @notice A product was created.
    event ProductCreated(uint256 indexed productId, ProductKind kind, string metadataURI);
    /// @notice A product's pricing and sales terms changed.
    event ProductTermsUpdated(
        uint256 indexed productId,
        uint256 minRateWad,
        uint256 minPeriod,
        uint256 maxPeriod,
        uint256 maxCoverPerPolicy,
        string metadataURI
    );
    /// @notice A product was opened or closed for sale.
    event ProductActiveSet(uint256 indexed productId, bool active);
    /// @notice A parametric product's trigger changed; a non-zero trigger arms the product for sale.
    event ProductTriggerSet(uint256 indexed productId, address indexed trigger);
    /// @notice The product's one-shot `trigger` fired and was disarmed: sales stop until a new trigger is set.
    event TriggerDisarmed(uint256 indexed productId, address indexed trigger);
    /// @notice An incident on the product opened (sales stop) or closed; `openIncidents` is the new count.
    event OpenIncidentsChanged(uint256 indexed productId, uint256 openIncidents);
    /// @notice Governance listed a vault, allowing it to back products, under a compact id (from 1).
    event VaultListed(address indexed vault, uint256 indexed vaultId);
    /// @notice A listed vault started backing a product.
    event VaultAttached(uint256 indexed productId, address indexed vault);
    /// @notice A vault stopped backing a product.
    event VaultDetached(uint256 indexed productId, address indexed vault);
    /// @notice The claims module changed (see `setClaimsModule`).
    event ClaimsModuleSet(address indexed claimsModule);

    /// @notice Creates a product. Risk-manager role.
    /// @return productId The new product's id, counting from 1.
    function createProduct(ProductParams calldata params) external returns (uint256 productId);

    /// @notice Updates the terms that apply to future sales only. Risk-manager role.
    function updateProductTerms(
        uint256 productId,
        uint64 minRateWad,
        uint32 minPeriod,
        uint32 maxPeriod,
        uint128 maxCoverPerPolicy,
        string calldata metadataURI
    ) external;

    /// @notice Opens or closes a product for new sales. Risk-manager role.
    function setProductActive(uint256 productId, bool active) external;

    /// @notice Sets (arms) the trigger contract of a parametric product; the zero address disarms it. A parametric
    /// product sells only while a trigger is armed. Risk-manager role.
    function setProductTrigger(uint256 productId, address trigger) external;

    /// @notice Disarms the product's trigger once it fired (it fires at most once): sales of the product stop until
    /// the risk manager arms a new one. Only the claims module (`NotClaimsModule` otherwise): the adjudicator calls it
    /// when it confirms a parametric incident.
    function disarmTrigger(uint256 productId) external;

    /// @notice Counts an incident reported on `productId`: no cover is sold while any is open. Only the claims module.
    function openIncident(uint256 productId) external;

    /// @notice Uncounts a settled incident. Only the claims module.
    function closeIncident(uint256 productId) external;

    /// @notice Names the claims module (the ClaimAdjudicator): the one caller that may count incidents here, move
    /// the vaults' pending reserves and pay claims through the CoverManager, which all ask this registry. One address
    /// in one place, so no two contracts can disagree on who adjudicates. Admin role (behind the timelock in
    /// production); reverts `ZeroAddress` for the zero address.
    function setClaimsModule(address claimsModule) external;

    /// @notice The claims module (see `setClaimsModule`); the zero address until one is set.
    function claimsModule() external view returns (address);

    /// @notice Lists a vault so that it may back products and sell cover. Risk-manager role.
    function listVault(address vault) external;

    /// @notice Called by a listed vault when its curator starts backing `productId`.
    function attachVault(uint256 productId) external;

    /// @notice Called by a listed vault when its curator stops backing `productId`.
    function detachVault(uint256 productId) external;

    /// @notice The product, reverting `UnknownProduct` for an id never created.
    function getProduct(uint256 productId) external view returns (Product memory);

    /// @notice The product's numeric sale terms, reverting `UnknownProduct` for an id never created. `trigger` is read
    /// for parametric products only: a discretionary one never has one.
    function getSaleTerms(uint256 productId) external view returns (SaleTerms memory);

    /// @notice `getSaleTerms(productId)` and `vaultId(vault)` in one call, as a purchase needs both.
    function getSaleTermsFor(uint256 productId, address vault)
        external
        view
        returns (SaleTerms memory terms, uint256 vaultId_);

    /// @notice The product's claim terms, reverting `UnknownProduct` for an id never created: one storage read for a
    /// discretionary product, two for a parametric one (its trigger).
    function getClaimTerms(uint256 productId) external view returns (ClaimTerms memory);

    /// @notice Number of products created; ids run from 1 to this.
    function productCount() external view returns (uint256);

    /// @notice Whether governance listed `vault`.
    function isListedVault(address vault) external view returns (bool);

    /// @notice The compact id of a listed vault (policies store it instead of the address), 0 if not listed.
    function vaultId(address vault) external view returns (uint256);

    /// @notice The vault listed under `id`, or the zero address.
    function vaultAt(uint256 id) external view returns (address);

    /// @notice The vaults backing `productId` (at most MAX_VAULTS_PER_PRODUCT).
    function backingVaults(uint256 productId) external view returns (address[] memory);
}
