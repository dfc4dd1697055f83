// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {CoverManager} from "../../../contracts/CoverManager.sol";
import {TrancheBook} from "../../../contracts/interfaces/ITrancheManager.sol";
import {ProductKind, ProductParams} from "../../../contracts/interfaces/IProductRegistry.sol";
import {IUnderwriterVault, ProductTerms} from "../../../contracts/interfaces/IUnderwriterVault.sol";
import {TestStablecoin} from "../../../contracts/mocks/TestStablecoin.sol";
import {ProductRegistry} from "../../../contracts/ProductRegistry.sol";
import {TrancheManager} from "../../../contracts/tranches/TrancheManager.sol";
import {UnderwriterVault} from "../../../contracts/UnderwriterVault.sol";
import {Test} from "../utils/Test.sol";
import {TrancheHandler} from "./TrancheHandler.sol";

/// @notice Stateful properties of the junior/senior tranches over one vault under entries, asynchronous exits, vault
/// deposits beside the layer, premium, reserves raised, released and paid, accruals and time.
contract TrancheInvariantsTest is Test {
    uint256 internal constant START = 1_750_000_123;

    AccessManager internal accessManager;
    UnderwriterVault internal vault;
    TrancheManager internal manager;
    TrancheHandler internal handler;

    function setUp() public {
        vm.warp(START);
        accessManager = new AccessManager(address(this));
        ProductRegistry registry = new ProductRegistry(address(accessManager));
        CoverManager coverManager = new CoverManager(address(accessManager), registry, address(0x7EA5));
        TestStablecoin asset = new TestStablecoin("Test USD", "tUSD", 6);
        vault = new UnderwriterVault(
            IERC20(address(asset)), "Parapet tUSD Vault", "pvtUSD", address(accessManager), address(coverManager), registry
        );
        uint256 productId = registry.createProduct(
            ProductParams({
                kind: ProductKind.Discretionary,
                metadataURI: "ipfs://product",
                minRateWad: 2e16,
                minPeriod: 7 days,
                maxPeriod: 365 days,
                coverageLag: 1 days,
                claimGracePeriod: 30 days,
                maxCoverPerPolicy: type(uint96).max,
                trigger: address(0)
            })
        );
        registry.listVault(address(vault));
        vault.setProductTerms(
            productId, ProductTerms({capacityWad: 0.8e18, baseRateWad: 5e16, kinkWad: 0.8e18, maxRateWad: 0.4e18})
        );
        manager = new TrancheManager(IUnderwriterVault(address(vault)), address(accessManager), "J", "J", "S", "S");
        handler = new TrancheHandler(manager, coverManager, productId);
        // The handler stands in for the claims module the registry names.
        registry.setClaimsModule(address(handler));
        handler.enterJunior(0, 300_000e6);
        handler.enterSenior(0, 700_000e6);

        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](12);
        selectors[0] = TrancheHandler.enterJunior.selector;
        selectors[1] = TrancheHandler.enterSenior.selector;
        selectors[2] = TrancheHandler.requestExit.selector;
        selectors[3] = TrancheHandler.exit.selector;
        selectors[4] = TrancheHandler.bystanderDeposit.selector;
        selectors[5] = TrancheHandler.buyCover.selector;
        selectors[6] = TrancheHandler.raiseReserve.selector;
        selectors[7] = TrancheHandler.releaseReserve.selector;
        selectors[8] = TrancheHandler.payReserve.selector;
        selectors[9] = TrancheHandler.accrue.selector;
        selectors[10] = TrancheHandler.warp.selector;
        selectors[11] = TrancheHandler.exit.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @notice The senior loses nothing while the junior has value: after every action, a fall of the senior's book
    /// (beyond what its own exit took) leaves the junior at zero.
    function invariant_SeniorLosesNothingWhileJuniorHasValue() public view {
        assertFalse(handler.seniorLostBeforeJunior(), handler.seniorLossAction());
    }

    /// @notice Junior + senior equals the capital they hold: the layer's vault shares at the vault's exit price, after
    /// every action, so every premium and every loss the vault passes on is booked to one tranche or the other.
    function invariant_TranchesHoldExactlyTheirCapital() public view {
        assertFalse(handler.valueNotConserved(), handler.valueNotConservedAction());
        TrancheBook memory book = manager.book();
        assertEq(book.junior + book.senior, vault.convertToAssets(manager.vaultShares()), "junior + senior");
    }

    /// @notice Vault shares are conserved: the layer holds exactly what tranche entries brought minus what exits took.
    function invariant_VaultSharesConserved() public view {
        uint256 held = handler.ghostSharesIn() - handler.ghostSharesOut();
        assertEq(manager.vaultShares(), held, "vault shares booked");
        assertEq(vault.balanceOf(address(manager)), held, "vault shares held");
    }

    /// @notice Provisions booked never exceed the layer's share of the vault's pending reserve.
    function invariant_ProvisionsWithinTheReserve() public view {
        TrancheBook memory book = manager.book();
        assertLe(book.juniorProvision + book.seniorProvision, manager.provision(), "provisions > reserve share");
    }

    /// @notice Senior entries and junior exits never leave the junior below the minimum ratio.
    function invariant_RatioHeldByEntriesAndExits() public view {
        assertFalse(handler.ratioBroken(), "ratio broken by a senior entry or a junior exit");
    }

    /// @notice Junior entries and accruals are never refused.
    function invariant_NoUnexpectedRevert() public view {
        assertEq(handler.unexpectedReverts(), 0, handler.firstUnexpectedAction());
    }
}
