// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Claim, Incident, IncidentReserve} from "./IClaimAdjudicator.sol";
import {CommitteeCase} from "./ICommitteeArbiter.sol";
import {Policy} from "./ICoverManager.sol";
import {Product, ProductKind, SaleTerms} from "./IProductRegistry.sol";
import {ProductTerms} from "./IUnderwriterVault.sol";

/// @title IParapetLens
/// @notice Read-only batch views over a Parapet deployment, so an SDK or a frontend reads a whole screen in one
/// `eth_call`. Every view is O(length of its input) (or O(products) / O(vaults of a product), both bounded by the
/// registry's limits), never O(policies). Ids that do not exist come back with `exists == false` instead of
/// reverting the whole batch. `timestamp` is the block time the values refer to, so callers compute deadlines and
/// phases against chain time, not wall-clock time.
interface IParapetLens {
    /// @notice A page of `limit` products, above `maxLimit`.
    error PageTooLarge(uint256 limit, uint256 maxLimit);

    /// @notice A product with its terms, metadata and backing vaults.
    struct ProductInfo {
        Product product;
        address[] vaults;
    }

    /// @notice One product a vault backs: its terms, capacity (`capacityWad * navBid`) and live exposure.
    struct VaultProduct {
        uint256 productId;
        ProductTerms terms;
        uint256 capacity;
        uint256 exposure;
    }

    /// @notice A vault's accounting at `timestamp`, with every product it backs.
    struct VaultStatus {
        address vault;
        address asset;
        string name;
        string symbol;
        uint8 assetDecimals;
        uint8 decimals;
        uint256 totalSupply;
        uint256 navAsk;
        uint256 navBid;
        uint256 unearnedPremium;
        uint256 managedAssets;
        uint256 pendingReserve;
        uint256 unlockedAssets;
        uint256 cooldown;
        bool paused;
        uint32 shareEpoch;
        uint256 totalCapacityWad;
        uint256 maxLeverageWad;
        uint256 timestamp;
        VaultProduct[] products;
        OutflowStatus outflows;
    }

    /// @notice A vault's payout circuit breaker: its limit, what left in the window, and the queue.
    /// @param allowance What may leave now before outflows queue.
    /// @param queueHead First live queue id; the live entries are [queueHead, queueTail).
    struct OutflowStatus {
        uint256 limitWad;
        uint256 window;
        uint256 recent;
        uint256 allowance;
        uint256 queuedAssets;
        uint256 queueHead;
        uint256 queueTail;
    }

    /// @notice An account's stake in a vault and its redemption request.
    /// @param assetsAtBid What `shares` are worth at `navBid` now (`convertToAssets`).
    /// @param assetBalance The account's balance of the vault asset.
    /// @param assetAllowance The account's allowance of the vault asset to the vault.
    /// @param requestedAssetsAtBid What the escrowed request shares redeem for now.
    /// @param claimableAt When the request's cooldown ends (0 without a live request); it stays redeemable for the
    /// vault's REDEEM_WINDOW after that.
    /// @param parkedPayout Payments the account's address could not receive, waiting for `withdrawParkedPayout`.
    struct Position {
        address vault;
        address asset;
        address account;
        uint256 shares;
        uint256 assetsAtBid;
        uint256 pendingShares;
        uint256 claimableShares;
        uint256 requestedAssetsAtBid;
        uint256 claimableAt;
        uint256 maxRedeem;
        uint256 maxWithdraw;
        uint256 assetBalance;
        uint256 assetAllowance;
        uint256 parkedPayout;
        uint256 timestamp;
    }

    /// @notice A backing vault of a product, with what the router needs to price a leg off chain.
    struct MarketVault {
        address vault;
        address asset;
        bool listed;
        bool paused;
        ProductTerms terms;
        uint256 capacity;
        uint256 exposure;
    }

    /// @notice Everything needed to quote and route a purchase on one product, at `timestamp`.
    struct Market {
        uint256 productId;
        SaleTerms terms;
        uint256 protocolFeeBps;
        uint256 timestamp;
        MarketVault[] vaults;
    }

    /// @notice The on-chain quote together with the state it was computed from (for an off-chain cross-check).
    struct QuoteInfo {
        uint256 premium;
        uint256 protocolFee;
        uint256 protocolFeeBps;
        ProductTerms terms;
        uint256 capacity;
        uint256 exposure;
        uint256 timestamp;
    }

    /// @notice A policy, its current holder and its claim window.
    /// @param coveredFrom `start + coverageLag + 1`: the earliest incident time the policy covers (the latest is
    /// `end`).
    /// @param claimDeadline `end + claimGracePeriod`: the last moment to file a claim (also when its capital unlocks).
    /// @param openClaimId The claim being decided on the policy, or 0.
    struct PolicyInfo {
        uint256 policyId;
        bool exists;
        Policy policy;
        address owner;
        ProductKind kind;
        uint256 coveredFrom;
        uint256 claimDeadline;
        uint256 openClaimId;
        uint256 timestamp;
    }

    /// @notice A claim with the figures its deadlines derive from.
    /// @param arbitrationTimeout The adjudicator's current timeout: a disputed claim without a ruling settles as a
    /// draw at `drawAt`, fixed when the dispute began.
    /// @param hasCase Whether `committeeCase` was read from the claim's arbiter (a committee arbiter).
    struct ClaimInfo {
        uint256 claimId;
        bool exists;
        Claim claim;
        uint256 productId;
        address policyOwner;
        uint256 arbitrationTimeout;
        bool hasCase;
        CommitteeCase committeeCase;
        uint256 timestamp;
    }

    /// @notice One vault's reserve for a confirmed incident.
    struct IncidentVaultReserve {
        address vault;
        IncidentReserve reserve;
    }

    /// @notice An incident with its deadlines and per-vault reserves.
    /// @param claimWindowEnd Last moment to claim a payout (fixed at confirmation; 0 until confirmed).
    /// @param arbitrationTimeout As for claims: a disputed report without a ruling settles as a draw at
    /// `drawAt`, fixed when the dispute began.
    struct IncidentInfo {
        uint256 incidentId;
        bool exists;
        Incident incident;
        uint256 claimWindowEnd;
        uint256 arbitrationTimeout;
        bool hasCase;
        CommitteeCase committeeCase;
        IncidentVaultReserve[] reserves;
        uint256 timestamp;
    }

    /// @notice A page of products with their terms, metadata and backing vaults: ids `offset + 1` up to
    /// `offset + limit` or `productCount`, whichever is lower (empty past the last product). `limit` is at most
    /// MAX_PRODUCTS_PAGE, so one call stays within an `eth_call`'s gas whatever the number of products.
    function products(uint256 offset, uint256 limit) external view returns (ProductInfo[] memory);

    /// @notice The vault's accounting and every product it backs.
    function vaultStatus(address vault) external view returns (VaultStatus memory);

    /// @notice `account`'s shares, request and exit limits in `vault`.
    function position(address vault, address account) external view returns (Position memory);

    /// @notice A product's sale terms and the pricing state of each backing vault.
    function market(uint256 productId) external view returns (Market memory);

    /// @notice `CoverManager.quotePremium` with the vault state it priced from; reverts as the CoverManager does.
    function quote(uint256 productId, address vault, uint256 amount, uint256 period)
        external
        view
        returns (QuoteInfo memory);

    /// @notice The policies `ids`, their holders and claim windows.
    function policies(uint256[] calldata ids) external view returns (PolicyInfo[] memory);

    /// @notice The claims `ids`.
    function claims(uint256[] calldata ids) external view returns (ClaimInfo[] memory);

    /// @notice The incidents `ids`.
    function incidents(uint256[] calldata ids) external view returns (IncidentInfo[] memory);
}
