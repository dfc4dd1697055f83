// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {ClaimAdjudicator} from "../../../contracts/ClaimAdjudicator.sol";
import {CommitteeArbiter} from "../../../contracts/CommitteeArbiter.sol";
import {CoverManager} from "../../../contracts/CoverManager.sol";
import {AssertionState, Claim} from "../../../contracts/interfaces/IClaimAdjudicator.sol";
import {Policy} from "../../../contracts/interfaces/ICoverManager.sol";
import {ProductKind, ProductParams} from "../../../contracts/interfaces/IProductRegistry.sol";
import {ProductTerms} from "../../../contracts/interfaces/IUnderwriterVault.sol";
import {TestStablecoin} from "../../../contracts/mocks/TestStablecoin.sol";
import {ProductRegistry} from "../../../contracts/ProductRegistry.sol";
import {UnderwriterVault} from "../../../contracts/UnderwriterVault.sol";
import {Test} from "../utils/Test.sol";
import {ClaimsHandler} from "./ClaimsHandler.sol";

/// @notice The system as deploy/ignition/Parapet.ts wires it, on one vault and one discretionary product: the
/// registry names the adjudicator its claims module (the one caller of the vault's reserve functions, the
/// CoverManager's payout, the only caller of the vault's, and the registry's incident counters), and a 2-of-3
/// committee arbiter of plain addresses is its arbiter. The test contract is the AccessManager's admin, so it keeps every other restricted function (ADMIN_ROLE
/// is their default until mapped).
abstract contract ClaimsDeployment is Test {
    uint64 internal constant GUARDIAN_ROLE = 1;
    uint32 internal constant MIN_PERIOD = 7 days;
    uint32 internal constant MAX_PERIOD = 60 days;
    uint32 internal constant COVERAGE_LAG = 1 days;
    uint32 internal constant CLAIM_GRACE_PERIOD = 14 days;
    uint64 internal constant PRODUCT_MIN_RATE = 2e16;
    uint256 internal constant QUORUM = 2;
    /// @dev A compressed but well-ordered timeline (liveness 3 days < voting 3 days + ruling < arbitration timeout 5
    /// days), so a claim's whole life, draws included, fits in a campaign's few weeks of warps.
    uint256 internal constant VOTING_PERIOD = 3 days;
    uint256 internal constant ARBITRATION_TIMEOUT = 5 days;
    /// @dev The seed deployment's bonds (deploy/seed.ts): incident reports are not exercised here.
    uint256 internal constant INCIDENT_BOND = 10_000e6;
    uint256 internal constant MIN_CLAIM_BOND = 100e6;
    /// @dev Mid-2025 and off the 7-day grid.
    uint256 internal constant START = 1_750_000_123;

    AccessManager internal manager;
    ProductRegistry internal registry;
    CoverManager internal coverManager;
    TestStablecoin internal asset;
    UnderwriterVault internal vault;
    ClaimAdjudicator internal adjudicator;
    CommitteeArbiter internal arbiter;
    address internal treasury = address(0x7EA5);
    uint256 internal productId;
    address[] internal members;

    function _deploy() internal {
        vm.warp(START);
        manager = new AccessManager(address(this));
        registry = new ProductRegistry(address(manager));
        coverManager = new CoverManager(address(manager), registry, treasury);
        asset = new TestStablecoin("Test USD", "tUSD", 6);
        vault = new UnderwriterVault(
            IERC20(address(asset)), "Parapet tUSD Vault", "pvtUSD", address(manager), address(coverManager), registry
        );
        adjudicator =
            new ClaimAdjudicator(address(manager), coverManager, registry, IERC20(address(asset)), INCIDENT_BOND);
        members = new address[](3);
        for (uint256 i; i < members.length; ++i) {
            members[i] = address(uint160(uint256(keccak256(abi.encode("claims-member", i)))));
            vm.label(members[i], string.concat("member", vm.toString(i)));
        }
        arbiter = new CommitteeArbiter(address(manager), address(adjudicator), members, QUORUM, VOTING_PERIOD);
        adjudicator.setArbiter(address(arbiter));
        adjudicator.setMinBond(address(asset), MIN_CLAIM_BOND);
        adjudicator.setParameter("arbitrationTimeout", ARBITRATION_TIMEOUT);
        _nameClaimsModule();

        productId = registry.createProduct(
            ProductParams({
                kind: ProductKind.Discretionary,
                metadataURI: "ipfs://claims-product",
                minRateWad: PRODUCT_MIN_RATE,
                minPeriod: MIN_PERIOD,
                maxPeriod: MAX_PERIOD,
                coverageLag: COVERAGE_LAG,
                claimGracePeriod: CLAIM_GRACE_PERIOD,
                maxCoverPerPolicy: type(uint96).max,
                trigger: address(0)
            })
        );
        registry.listVault(address(vault));
        // Full capacity: cover may reach the whole navBid, so claims can take the vault to its edge.
        vault.setProductTerms(
            productId, ProductTerms({capacityWad: 1e18, baseRateWad: 3e16, kinkWad: 0.8e18, maxRateWad: 0.5e18})
        );
        // The shortest cooldown, so exits compete with pending claims within a campaign's few weeks.
        vault.setCooldown(1 days);

        vm.label(address(vault), "vault");
        vm.label(address(coverManager), "coverManager");
        vm.label(address(adjudicator), "adjudicator");
        vm.label(address(arbiter), "arbiter");
        vm.label(address(asset), "tUSD");
    }

    /// @dev As deploy/ignition/Parapet.ts does: the registry names the adjudicator its claims module.
    function _nameClaimsModule() internal {
        registry.setClaimsModule(address(adjudicator));
    }
}

/// @notice Stateful properties of the optimistic claim process on one vault and one discretionary product: claims,
/// disputes before a 2-of-3 committee, rulings, draws and settlements, interleaved with deposits, exits, cover sales
/// and time, on the deployment of ClaimsDeployment.
contract ClaimsInvariantsTest is ClaimsDeployment {
    ClaimsHandler internal handler;

    function setUp() public {
        _deploy();
        handler = new ClaimsHandler(vault, coverManager, adjudicator, arbiter, productId, members);
        // The handler releases the circuit breaker's queue before a settlement, as a guardian would.
        bytes4[] memory releases = new bytes4[](1);
        releases[0] = UnderwriterVault.releaseOutflowQueue.selector;
        manager.setTargetFunctionRole(address(vault), releases, GUARDIAN_ROLE);
        manager.grantRole(GUARDIAN_ROLE, address(handler), 0);
        handler.deposit(0, 1_000_000e6);
        handler.deposit(1, 250_000e6);
        handler.deposit(2, 10e6);
        vm.label(address(handler), "handler");

        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](23);
        selectors[0] = ClaimsHandler.deposit.selector;
        selectors[1] = ClaimsHandler.requestRedeem.selector;
        selectors[2] = ClaimsHandler.redeem.selector;
        selectors[3] = ClaimsHandler.buyCover.selector;
        selectors[4] = ClaimsHandler.transferPolicy.selector;
        selectors[5] = ClaimsHandler.fileClaim.selector;
        selectors[6] = ClaimsHandler.disputeClaim.selector;
        selectors[7] = ClaimsHandler.castVote.selector;
        selectors[8] = ClaimsHandler.resolve.selector;
        selectors[9] = ClaimsHandler.settleClaim.selector;
        selectors[10] = ClaimsHandler.warp.selector;
        // Weighted: claims need cover first and time after, and a claim's life takes several calls, each of which
        // only acts when a claim is in the right state.
        selectors[11] = ClaimsHandler.buyCover.selector;
        selectors[12] = ClaimsHandler.fileClaim.selector;
        selectors[13] = ClaimsHandler.disputeClaim.selector;
        selectors[14] = ClaimsHandler.castVote.selector;
        selectors[15] = ClaimsHandler.settleClaim.selector;
        selectors[16] = ClaimsHandler.warp.selector;
        selectors[17] = ClaimsHandler.warp.selector;
        selectors[18] = ClaimsHandler.disputeClaim.selector;
        selectors[19] = ClaimsHandler.castVote.selector;
        selectors[20] = ClaimsHandler.resolve.selector;
        selectors[21] = ClaimsHandler.processOutflowQueue.selector;
        selectors[22] = ClaimsHandler.sweepProtocolFees.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    // ================================================================ bonds

    /// @notice Bonds are conserved: what the adjudicator holds is exactly what filers and disputers paid in, minus what
    /// it returned or awarded them and what it burned to the treasury; and it is exactly the bonds of the claims still
    /// open (one bond for a pending claim, two for a disputed one).
    function invariant_BondsConserved() public view {
        uint256 held = asset.balanceOf(address(adjudicator));
        assertEq(
            held,
            handler.ghostBondsIn() - handler.ghostBondsOut() - handler.ghostBondsBurned(),
            "adjudicator balance != bonds in - out - burned"
        );
        uint256 openBonds;
        uint256 count = adjudicator.claimCount();
        for (uint256 claimId = 1; claimId <= count; ++claimId) {
            Claim memory claim = adjudicator.getClaim(claimId);
            if (claim.state == AssertionState.Pending) openBonds += claim.bond;
            else if (claim.state == AssertionState.Disputed) openBonds += 2 * claim.bond;
        }
        assertEq(held, openBonds, "adjudicator balance != bonds of open claims");
    }

    /// @notice Every filing, dispute and settlement moved exactly what the rules say, to exactly whom they say: the
    /// bond pulled, the reserve `min(amount, navBid)`, the outcome (undisputed: approved; disputed: the committee's
    /// ruling, else a draw), the payout `min(amount, remaining cover, navBid + reserved)` decided at settlement, to the
    /// policy's current owner, the winner's `2 bond - burn` (burn rounded up, at the rate fixed at filing), the burn to
    /// the treasury, both bonds back on a draw.
    /// @dev Rewritten for issue 9: the payout used to be `min(reserved, remaining)`, fixed at filing.
    function invariant_SettlementsFollowTheRules() public view {
        ClaimsHandler.Mismatch memory mismatch = handler.firstMismatch();
        assertFalse(
            handler.flowMismatch(),
            string.concat(
                mismatch.what,
                " (claim ",
                vm.toString(mismatch.claimId),
                "): ",
                vm.toString(mismatch.actual),
                " != expected ",
                vm.toString(mismatch.expected)
            )
        );
    }

    // ================================================================ policies and claims

    /// @notice No policy is ever paid beyond its cover, and what the CoverManager records as claimed is exactly what
    /// the vault paid on it.
    function invariant_PolicyPayoutsWithinCover() public view {
        uint256 count = handler.policyCount();
        for (uint256 i; i < count; ++i) {
            uint256 policyId = handler.policyIdAt(i);
            Policy memory policy = coverManager.getPolicy(policyId);
            string memory label = vm.toString(policyId);
            assertLe(policy.claimed, policy.amount, string.concat("claimed > amount on policy ", label));
            assertEq(
                policy.claimed,
                handler.ghostPaidOn(policyId),
                string.concat("claimed != paid on policy ", label)
            );
        }
    }

    /// @notice Claims only move along the lifecycle (Pending -> Disputed -> Approved | Rejected | Drawn, or Pending ->
    /// Approved), one step per call, and a settled claim's record never changes again.
    function invariant_ClaimStatesFollowTheLifecycle() public view {
        ClaimsHandler.Transition memory transition = handler.firstIllegalTransition();
        assertFalse(
            handler.illegalTransition(),
            string.concat(
                transition.what,
                " (claim ",
                vm.toString(transition.claimId),
                "): ",
                vm.toString(uint256(transition.from)),
                " -> ",
                vm.toString(uint256(transition.to)),
                " in ",
                _name(transition.action)
            )
        );
    }

    /// @notice At most one claim per policy is being decided, and `openClaimOf` names it.
    function invariant_AtMostOneOpenClaimPerPolicy() public view {
        uint256 policies = handler.policyCount();
        uint256 claims = adjudicator.claimCount();
        for (uint256 i; i < policies; ++i) {
            uint256 policyId = handler.policyIdAt(i);
            uint256 open;
            uint256 openId;
            for (uint256 claimId = 1; claimId <= claims; ++claimId) {
                Claim memory claim = adjudicator.getClaim(claimId);
                if (
                    claim.policyId == policyId
                        && (claim.state == AssertionState.Pending || claim.state == AssertionState.Disputed)
                ) {
                    ++open;
                    openId = claimId;
                }
            }
            assertLe(open, 1, string.concat("open claims on policy ", vm.toString(policyId)));
            assertEq(
                adjudicator.openClaimOf(policyId), openId, string.concat("openClaimOf policy ", vm.toString(policyId))
            );
        }
    }

    // ================================================================ vault

    /// @notice The vault stays solvent under claims: its balance covers its books, its books cover the unearned
    /// premium, and the claims' reserve never exceeds navAsk, so every approved payout can be made
    /// (`payClaim` requires `amount <= navAsk`).
    /// @dev Together the last two give `managedAssets >= unearnedPremium + pendingReserve`, asserted as well: it holds
    /// because a filing reserves at most navBid and exits may only take unlocked navBid, never the reserve.
    function invariant_VaultSolvent() public view {
        assertGe(asset.balanceOf(address(vault)), handler.vaultBooks(), "balance < managed assets (+ queued outflows)");
        assertGe(vault.managedAssets(), vault.unearnedPremium(), "managed assets < unearned premium");
        assertLe(vault.pendingReserve(), vault.navAsk(), "pending reserve > navAsk");
        assertGe(
            vault.managedAssets(),
            vault.unearnedPremium() + vault.pendingReserve(),
            "managed assets < unearned premium + pending reserve"
        );
    }

    /// @notice The vault's reserve is exactly what the open claims reserved (no incidents are reported here).
    function invariant_PendingReserveIsOpenClaims() public view {
        uint256 reserved;
        uint256 count = adjudicator.claimCount();
        for (uint256 claimId = 1; claimId <= count; ++claimId) {
            Claim memory claim = adjudicator.getClaim(claimId);
            if (claim.state == AssertionState.Pending || claim.state == AssertionState.Disputed) {
                reserved += claim.reserved;
            }
        }
        assertEq(vault.pendingReserve(), reserved, "pending reserve != reserves of open claims");
    }

    /// @notice Every asset movement is booked: the vault accounts for deposits and premiums minus exits and claim
    /// payouts, and holds that plus the protocol fees not swept yet; the treasury got exactly the swept fees plus the
    /// burned bonds. Every queue drain paid
    /// exactly the entries it looked at.
    function invariant_VaultBooksEveryAssetItHolds() public view {
        assertFalse(handler.queueBroken(), handler.queueBrokenWhat());
        uint256 expected =
            handler.ghostDeposited() + handler.ghostPremiumPaid() - handler.ghostWithdrawn() - handler.ghostPaidTotal();
        assertEq(
            asset.balanceOf(address(vault)),
            expected + handler.queuedOutflows() + handler.ghostFeesHeld(),
            "balance vs ghost ledger"
        );
        assertEq(vault.managedAssets(), expected, "managed assets vs ghost ledger");
        assertEq(vault.protocolFeesHeld(), handler.ghostFeesHeld(), "fees held vs fees paid and not swept");
        assertEq(
            asset.balanceOf(treasury),
            handler.ghostProtocolFees() + handler.ghostBondsBurned(),
            "treasury vs swept fees + burned bonds"
        );
    }

    /// @notice A paid claim frees the exposure it paid: the product's exposure is the remaining cover (amount minus
    /// claimed) of the policies whose lock has not expired.
    function invariant_ExposureIsLiveRemainingCover() public view {
        assertEq(vault.exposureOf(productId), handler.liveCover(), "exposure != live remaining cover");
    }

    /// @notice Share price falls only through claims: the navAsk price (what entries pay) only on an approved payout,
    /// and the navBid price (what exits and ERC-4626 conversions use) only when a filing reserves for a claim or a
    /// payout takes more than the claim reserved. Checked exactly after every action.
    /// @dev A payout up to its reserve leaves navBid unchanged (reserve and assets drop together), so the navBid price
    /// falls when the claim is filed and comes back if it is rejected or drawn. Since issue 9 the payout is decided at
    /// settlement and may exceed the provisional reserve (up to navBid + reserve): that excess lowers navBid too.
    function invariant_SharePriceFallsOnlyThroughClaims() public view {
        ClaimsHandler.PriceFall memory fall = handler.firstPriceFall();
        string memory message = string.concat(
            _name(fall.action),
            ": (",
            fall.nav,
            " + 1) / (supply + 1e6) fell from ",
            vm.toString(fall.navBefore),
            " / ",
            vm.toString(fall.supplyBefore),
            " to ",
            vm.toString(fall.navAfter),
            " / ",
            vm.toString(fall.supplyAfter)
        );
        assertFalse(handler.askPriceFellOutsidePayout(), message);
        assertFalse(handler.bidPriceFellOutsideClaims(), message);
    }

    // ================================================================ liveness

    /// @notice Whatever the rules allow goes through: a claim within cover and window, a dispute within the liveness,
    /// an eligible member's vote, a decided case's resolution, a due settlement, and the vault flows within limits.
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

    /// @dev A handler action's name, from its left-aligned bytes32.
    function _name(bytes32 action) internal pure returns (string memory name) {
        uint256 length;
        while (length < 32 && action[length] != 0) ++length;
        name = new string(length);
        for (uint256 i; i < length; ++i) {
            bytes(name)[i] = action[i];
        }
    }
}
