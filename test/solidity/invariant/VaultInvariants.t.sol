// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {CoverManager} from "../../../contracts/CoverManager.sol";
import {ProductKind, ProductParams} from "../../../contracts/interfaces/IProductRegistry.sol";
import {ProductTerms} from "../../../contracts/interfaces/IUnderwriterVault.sol";
import {TestStablecoin} from "../../../contracts/mocks/TestStablecoin.sol";
import {ProductRegistry} from "../../../contracts/ProductRegistry.sol";
import {UnderwriterVault} from "../../../contracts/UnderwriterVault.sol";
import {Test} from "../utils/Test.sol";
import {VaultHandler} from "./VaultHandler.sol";

/// @notice Stateful properties of one vault under deposits, mints, asynchronous exits, cover sales on two
/// products and the passage of time, with no claims. The test contract is the AccessManager's admin, which holds
/// ADMIN_ROLE (0), the role every restricted function has until mapped, so setUp wires the system directly.
contract VaultInvariantsTest is Test {
    uint32 internal constant MIN_PERIOD = 7 days;
    uint32 internal constant MAX_PERIOD = 365 days;
    uint32 internal constant CLAIM_GRACE_PERIOD = 30 days;
    uint64 internal constant PRODUCT_MIN_RATE = 2e16;
    /// @dev Mid-2025 and off the 7-day grid, so bucket boundaries do not line up with the start by accident.
    uint256 internal constant START = 1_750_000_123;

    AccessManager internal manager;
    ProductRegistry internal registry;
    CoverManager internal coverManager;
    TestStablecoin internal asset;
    UnderwriterVault internal vault;
    VaultHandler internal handler;
    address internal treasury = address(0x7EA5);
    uint256[] internal products;

    function setUp() public {
        vm.warp(START);
        manager = new AccessManager(address(this));
        registry = new ProductRegistry(address(manager));
        coverManager = new CoverManager(address(manager), registry, treasury);
        asset = new TestStablecoin("Test USD", "tUSD", 6);
        vault = new UnderwriterVault(
            IERC20(address(asset)), "Parapet tUSD Vault", "pvtUSD", address(manager), address(coverManager), registry
        );

        products.push(registry.createProduct(_productParams("ipfs://product-1")));
        products.push(registry.createProduct(_productParams("ipfs://product-2")));
        registry.listVault(address(vault));
        // Combined capacity 1.4x NAV: the leveraged case, where one exit is checked against both products.
        vault.setProductTerms(
            products[0], ProductTerms({capacityWad: 0.5e18, baseRateWad: 3e16, kinkWad: 0.8e18, maxRateWad: 0.3e18})
        );
        vault.setProductTerms(
            products[1], ProductTerms({capacityWad: 0.9e18, baseRateWad: 2e16, kinkWad: 0.5e18, maxRateWad: 0.6e18})
        );

        handler = new VaultHandler(vault, coverManager, products, CLAIM_GRACE_PERIOD, MIN_PERIOD, MAX_PERIOD);
        // Seed capital so the very first calls of a run can already sell cover.
        handler.deposit(0, 1_000_000e6);
        handler.deposit(1, 250_000e6);
        handler.deposit(2, 10e6);

        vm.label(address(vault), "vault");
        vm.label(address(coverManager), "coverManager");
        vm.label(address(asset), "tUSD");
        vm.label(address(handler), "handler");

        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](12);
        selectors[0] = VaultHandler.deposit.selector;
        selectors[1] = VaultHandler.mint.selector;
        selectors[2] = VaultHandler.requestRedeem.selector;
        selectors[3] = VaultHandler.cancelRedeemRequest.selector;
        selectors[4] = VaultHandler.redeem.selector;
        selectors[5] = VaultHandler.withdraw.selector;
        selectors[6] = VaultHandler.buyCover.selector;
        selectors[7] = VaultHandler.warp.selector;
        // Weighted twice: selling cover exercises pricing and lazy expiry, and exits are the rarer success (they
        // need a ripe request and unlocked capital).
        selectors[8] = VaultHandler.buyCover.selector;
        selectors[9] = VaultHandler.redeem.selector;
        selectors[10] = VaultHandler.processOutflowQueue.selector;
        selectors[11] = VaultHandler.sweepProtocolFees.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    // ================================================================ solvency

    /// @notice Spec: "vault balance covers unearned premium".
    function invariant_VaultBalanceCoversUnearnedPremium() public view {
        assertGe(asset.balanceOf(address(vault)), vault.unearnedPremium(), "balance < unearned premium");
    }

    /// @notice Spec: "vault balance covers managed assets" (the books never claim more than the vault holds).
    function invariant_VaultBalanceCoversManagedAssets() public view {
        assertGe(asset.balanceOf(address(vault)), handler.vaultBooks(), "balance < managed assets (+ queued outflows)");
    }

    /// @notice Spec: "managed assets cover unearned premium" (navAsk never has to saturate at zero).
    function invariant_ManagedAssetsCoverUnearnedPremium() public view {
        assertGe(vault.managedAssets(), vault.unearnedPremium(), "managed assets < unearned premium");
    }

    /// @notice Every asset movement is booked: with no donations and no claims, the balance, the vault's books
    /// and the handler's ghost ledger agree to the unit (the balance also holds the protocol fees not swept yet), and
    /// the treasury got exactly the fees swept. Every queue
    /// drain paid exactly the entries it looked at.
    function invariant_VaultBooksEveryAssetItHolds() public view {
        assertFalse(handler.queueBroken(), handler.queueBrokenWhat());
        uint256 expected = handler.ghostDeposited() + handler.ghostPremiumPaid() - handler.ghostWithdrawn();
        assertEq(
            asset.balanceOf(address(vault)),
            expected + handler.queuedOutflows() + handler.ghostFeesHeld(),
            "balance vs ghost ledger"
        );
        assertEq(vault.managedAssets(), expected, "managed assets vs ghost ledger");
        assertEq(vault.protocolFeesHeld(), handler.ghostFeesHeld(), "fees held vs fees paid and not swept");
        assertEq(asset.balanceOf(treasury), handler.ghostProtocolFees(), "treasury vs fees swept");
    }

    // ================================================================ capacity

    /// @notice Spec: "exposure never exceeds capacity at purchase time".
    function invariant_ExposureNeverExceedsCapacityAtPurchase() public view {
        assertFalse(
            handler.capacityBreachedAtPurchase(),
            string.concat(
                "exposure ",
                vm.toString(handler.breachExposure()),
                " > capacity ",
                vm.toString(handler.breachCapacity())
            )
        );
    }

    /// @notice With no claims, capacity only shrinks through exits, and exits may only take unlocked capital: so
    /// exposure stays within capacity at all times, not only at purchase.
    function invariant_ExposureWithinCapacityWithoutClaims() public view {
        for (uint256 i; i < products.length; ++i) {
            assertLe(vault.exposureOf(products[i]), vault.capacityOf(products[i]), "exposure > capacity");
        }
    }

    /// @notice Spec: "exposure is the cover whose lock has not expired": for each product, the vault's lazily
    /// expired exposure equals the handler's policies with `block.timestamp < ceil(end + grace, 7 days)`.
    function invariant_ExposureMatchesLivePolicies() public view {
        for (uint256 i; i < products.length; ++i) {
            assertEq(
                vault.exposureOf(products[i]),
                handler.liveExposure(products[i]),
                string.concat("exposure of product ", vm.toString(products[i]))
            );
        }
    }

    // ================================================================ shares

    /// @notice Spec: "share price never falls without a payout": every rounding favours the holders who stay and
    /// premium earns into NAV over time. Checked exactly after every handler action, with no tolerance.
    function invariant_SharePriceNonDecreasing() public view {
        assertFalse(
            handler.sharePriceFell(),
            string.concat(
                "convertToAssets(1e18) fell from ",
                vm.toString(handler.priceFellFromAssetsPerShare()),
                " to ",
                vm.toString(handler.priceFellToAssetsPerShare())
            )
        );
        assertGe(vault.convertToAssets(1e18), handler.lastAssetsPerShare(), "price below the last recorded");
    }

    /// @notice Spec: "every share is held or escrowed": the underwriters' balances plus the shares escrowed in
    /// redeem requests make up the supply, and the escrow is exactly the sum of the requests.
    function invariant_SharesAreHeldOrEscrowed() public view {
        address[] memory underwriters = handler.underwriters();
        uint256 held;
        uint256 requested;
        for (uint256 i; i < underwriters.length; ++i) {
            held += vault.balanceOf(underwriters[i]);
            requested += vault.redeemRequest(underwriters[i]).shares;
        }
        uint256 escrowed = vault.balanceOf(address(vault));
        assertEq(held + escrowed, vault.totalSupply(), "held + escrowed != totalSupply");
        assertEq(escrowed, requested, "escrow != sum of requests");
    }

    // ================================================================ liveness

    /// @notice Spec (ERC-4626/7540 limits): whatever `maxRedeem`/`maxWithdraw` allow, and any deposit, mint,
    /// request or cover purchase within free capacity at the quoted price, goes through.
    function invariant_BoundedActionsNeverRevert() public view {
        assertEq(
            handler.unexpectedReverts(),
            0,
            string.concat(
                "first refused action: ",
                handler.firstUnexpectedAction(),
                " ",
                vm.toString(handler.firstUnexpectedRevert())
            )
        );
    }

    // ================================================================ helpers

    function _productParams(string memory metadataURI) internal pure returns (ProductParams memory) {
        return ProductParams({
            kind: ProductKind.Discretionary,
            metadataURI: metadataURI,
            minRateWad: PRODUCT_MIN_RATE,
            minPeriod: MIN_PERIOD,
            maxPeriod: MAX_PERIOD,
            coverageLag: 1 days,
            claimGracePeriod: CLAIM_GRACE_PERIOD,
            maxCoverPerPolicy: type(uint96).max,
            trigger: address(0)
        });
    }
}
