// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MockV3Aggregator} from "@chainlink/contracts/src/v0.8/tests/MockV3Aggregator.sol";
import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {ClaimAdjudicator} from "../../../contracts/ClaimAdjudicator.sol";
import {CommitteeArbiter} from "../../../contracts/CommitteeArbiter.sol";
import {CoverManager} from "../../../contracts/CoverManager.sol";
import {AssertionState, Claim, Incident, IncidentReserve} from "../../../contracts/interfaces/IClaimAdjudicator.sol";
import {BuyCoverParams, Policy} from "../../../contracts/interfaces/ICoverManager.sol";
import {ProductKind, ProductParams} from "../../../contracts/interfaces/IProductRegistry.sol";
import {ProductTerms} from "../../../contracts/interfaces/IUnderwriterVault.sol";
import {BlocklistStablecoin} from "../../../contracts/mocks/BlocklistStablecoin.sol";
import {PriceFeedTrigger} from "../../../contracts/PriceFeedTrigger.sol";
import {ProductRegistry} from "../../../contracts/ProductRegistry.sol";
import {UnderwriterVault} from "../../../contracts/UnderwriterVault.sol";
import {Test} from "../utils/Test.sol";
import {ProtocolHandler, ProtocolWiring} from "./ProtocolHandler.sol";

/// @notice The whole protocol on one vault as deploy/roles.ts wires it (the adjudicator as the registry's claims module, GUARDIAN pauses,
/// the ADMIN unpauses and re-arms triggers, the CURATOR and the RISK_MANAGER change terms), with two discretionary
/// products (claims and incident reports) and one parametric product on a `PriceFeedTrigger` over a
/// `MockV3Aggregator`, in a stablecoin with a blocklist, fuzzed through ProtocolHandler.
contract ProtocolInvariantsTest is Test {
    uint64 internal constant GUARDIAN_ROLE = 1;
    uint64 internal constant RISK_MANAGER_ROLE = 2;
    uint64 internal constant CURATOR_ROLE = 3;
    uint32 internal constant MIN_PERIOD = 7 days;
    uint32 internal constant MAX_PERIOD = 60 days;
    uint32 internal constant CLAIM_GRACE_PERIOD = 14 days;
    uint256 internal constant QUORUM = 2;
    uint256 internal constant VOTING_PERIOD = 3 days;
    uint256 internal constant ARBITRATION_TIMEOUT = 5 days;
    uint256 internal constant INCIDENT_BOND = 1_000e6;
    uint256 internal constant MIN_CLAIM_BOND = 100e6;
    /// @dev The shortest incident claim window, so unclaimed reserves get released within a campaign.
    uint256 internal constant INCIDENT_CLAIM_WINDOW = 7 days;
    /// @dev Mid-2025 and off the 7-day grid.
    uint256 internal constant START = 1_750_000_123;

    AccessManager internal manager;
    ProductRegistry internal registry;
    CoverManager internal coverManager;
    BlocklistStablecoin internal asset;
    UnderwriterVault internal vault;
    ClaimAdjudicator internal adjudicator;
    CommitteeArbiter internal arbiter;
    MockV3Aggregator internal feed;
    ProtocolHandler internal handler;
    address internal treasury = address(0x7EA5);
    address internal guardian = address(0x6A4D);
    address internal admin = address(0xAD);
    address internal curator = address(0xC0);
    address internal riskManager = address(0x215C);
    uint256[] internal products;
    address[] internal members;

    function setUp() public {
        vm.warp(START);
        manager = new AccessManager(address(this));
        registry = new ProductRegistry(address(manager));
        coverManager = new CoverManager(address(manager), registry, treasury);
        asset = new BlocklistStablecoin("Test USD", "tUSD", 6);
        vault = new UnderwriterVault(
            IERC20(address(asset)), "Parapet tUSD Vault", "pvtUSD", address(manager), address(coverManager), registry
        );
        adjudicator =
            new ClaimAdjudicator(address(manager), coverManager, registry, IERC20(address(asset)), INCIDENT_BOND);
        members = new address[](3);
        for (uint256 i; i < members.length; ++i) {
            members[i] = address(uint160(uint256(keccak256(abi.encode("protocol-member", i)))));
            vm.label(members[i], string.concat("member", vm.toString(i)));
        }
        arbiter = new CommitteeArbiter(address(manager), address(adjudicator), members, QUORUM, VOTING_PERIOD);
        adjudicator.setArbiter(address(arbiter));
        adjudicator.setMinBond(address(asset), MIN_CLAIM_BOND);
        adjudicator.setParameter("arbitrationTimeout", ARBITRATION_TIMEOUT);
        adjudicator.setParameter("incidentClaimWindow", INCIDENT_CLAIM_WINDOW);
        _grantRoles();

        products.push(registry.createProduct(_productParams(ProductKind.Discretionary, "ipfs://lending", 1 days)));
        products.push(registry.createProduct(_productParams(ProductKind.Discretionary, "ipfs://dex", 1 days)));
        // The shortest waiting period the bounds allow for a parametric product: the riskiest setting.
        products.push(
            registry.createProduct(
                _productParams(ProductKind.Parametric, "ipfs://depeg", uint32(registry.MIN_PARAMETRIC_COVERAGE_LAG()))
            )
        );
        registry.listVault(address(vault));
        // Leverage 1.9x: an incident on one product can need more than the vault has left, so haircuts happen.
        vault.setProductTerms(
            products[0], ProductTerms({capacityWad: 0.8e18, baseRateWad: 3e16, kinkWad: 0.8e18, maxRateWad: 0.5e18})
        );
        vault.setProductTerms(
            products[1], ProductTerms({capacityWad: 0.6e18, baseRateWad: 2e16, kinkWad: 0.5e18, maxRateWad: 0.6e18})
        );
        vault.setProductTerms(
            products[2], ProductTerms({capacityWad: 0.5e18, baseRateWad: 4e16, kinkWad: 0.7e18, maxRateWad: 0.4e18})
        );
        vault.setCooldown(1 days);

        feed = new MockV3Aggregator(8, 1e8);
        PriceFeedTrigger trigger = new PriceFeedTrigger(
            adjudicator, products[2], feed, 8, 0.97e8, 1 days, 0.5e18, MockV3Aggregator(address(0)), 0
        );
        registry.setProductTrigger(products[2], address(trigger));
        _grantTermsRoles();

        handler = new ProtocolHandler(
            ProtocolWiring({
                vault: vault,
                coverManager: coverManager,
                adjudicator: adjudicator,
                arbiter: arbiter,
                registry: registry,
                feed: feed,
                trigger: trigger,
                guardian: guardian,
                admin: admin,
                curator: curator,
                riskManager: riskManager,
                products: products,
                members: members
            })
        );
        handler.deposit(0, 1_000_000e6);
        handler.deposit(1, 250_000e6);
        handler.deposit(2, 10e6);

        vm.label(address(vault), "vault");
        vm.label(address(coverManager), "coverManager");
        vm.label(address(adjudicator), "adjudicator");
        vm.label(address(arbiter), "arbiter");
        vm.label(address(asset), "tUSD");
        vm.label(address(handler), "handler");
        _target();
    }

    function _target() internal {
        targetContract(address(handler));
        bytes4[] memory s = new bytes4[](45);
        s[0] = ProtocolHandler.deposit.selector;
        s[1] = ProtocolHandler.mint.selector;
        s[2] = ProtocolHandler.requestRedeem.selector;
        s[3] = ProtocolHandler.cancelRedeemRequest.selector;
        s[4] = ProtocolHandler.redeem.selector;
        s[5] = ProtocolHandler.withdraw.selector;
        s[6] = ProtocolHandler.depositThenExit.selector;
        s[7] = ProtocolHandler.buyCover.selector;
        s[8] = ProtocolHandler.buySplit.selector;
        s[9] = ProtocolHandler.buyThenClaim.selector;
        s[10] = ProtocolHandler.transferPolicy.selector;
        s[11] = ProtocolHandler.fileClaim.selector;
        s[12] = ProtocolHandler.disputeClaim.selector;
        s[13] = ProtocolHandler.castVote.selector;
        s[14] = ProtocolHandler.resolve.selector;
        s[15] = ProtocolHandler.settleClaim.selector;
        s[16] = ProtocolHandler.reportIncident.selector;
        s[17] = ProtocolHandler.disputeIncident.selector;
        s[18] = ProtocolHandler.settleIncident.selector;
        s[19] = ProtocolHandler.claimIncidentPayout.selector;
        s[20] = ProtocolHandler.releaseIncidentReserve.selector;
        s[21] = ProtocolHandler.setPrice.selector;
        s[22] = ProtocolHandler.fireTrigger.selector;
        s[23] = ProtocolHandler.rearmTrigger.selector;
        s[24] = ProtocolHandler.pause.selector;
        s[25] = ProtocolHandler.unpause.selector;
        s[26] = ProtocolHandler.warp.selector;
        // Weighted: cover before claims, time between steps, several calls per claim's life, unpause more often than
        // pause so most of a campaign runs unpaused, and the payouts that exercise the caps.
        s[27] = ProtocolHandler.buyCover.selector;
        s[28] = ProtocolHandler.buyCover.selector;
        s[29] = ProtocolHandler.warp.selector;
        s[30] = ProtocolHandler.buySplit.selector;
        s[31] = ProtocolHandler.unpause.selector;
        s[32] = ProtocolHandler.claimIncidentPayout.selector;
        s[33] = ProtocolHandler.settleClaim.selector;
        s[34] = ProtocolHandler.castVote.selector;
        s[35] = ProtocolHandler.redeem.selector;
        s[36] = ProtocolHandler.processOutflowQueue.selector;
        s[37] = ProtocolHandler.releaseOutflowQueue.selector;
        s[38] = ProtocolHandler.claimIncidentTopUp.selector;
        s[39] = ProtocolHandler.setBlocked.selector;
        s[40] = ProtocolHandler.withdrawParked.selector;
        s[41] = ProtocolHandler.changeTerms.selector;
        s[42] = ProtocolHandler.releaseIncidentReserve.selector;
        s[43] = ProtocolHandler.claimIncidentTopUp.selector;
        s[44] = ProtocolHandler.sweepProtocolFees.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: s}));
    }

    // ================================================================ solvency

    /// @notice Solvency: vault token balance >= books >= unearned premium + pending reserve, and reserve <= navAsk.
    function invariant_VaultSolvent() public view {
        assertGe(asset.balanceOf(address(vault)), _books(), "balance < books");
        assertGe(
            vault.managedAssets(),
            vault.unearnedPremium() + vault.pendingReserve(),
            "managed assets < unearned premium + pending reserve"
        );
        assertLe(vault.pendingReserve(), vault.navAsk(), "pending reserve > navAsk");
    }

    /// @notice Every movement is booked: balance and books equal deposits + premiums - assigned exits - assigned
    /// payouts (queued and parked payouts still held), the balance holds the protocol fees not swept yet beside them,
    /// and the treasury holds exactly the swept fees plus the burned bonds.
    /// Only the payees the token refused have parked balances, and they add up to the vault's total.
    function invariant_VaultBooksEveryAssetItHolds() public view {
        address[] memory payees = handler.payees();
        uint256 parked;
        for (uint256 i; i < payees.length; ++i) {
            parked += vault.parkedPayoutOf(payees[i]);
        }
        assertEq(vault.parkedPayoutAssets(), parked, "parked total != parked balances of the payees");
        uint256 expected = handler.ghostDeposited() + handler.ghostPremiumPaid() - handler.ghostWithdrawn()
            - handler.ghostPaidTotal();
        assertEq(vault.managedAssets(), expected, "managed assets vs ghost ledger");
        assertEq(
            asset.balanceOf(address(vault)),
            expected + _queuedOutflows() + handler.ghostFeesHeld(),
            "balance vs ghost ledger"
        );
        assertEq(vault.protocolFeesHeld(), handler.ghostFeesHeld(), "fees held vs fees paid and not swept");
        assertEq(
            asset.balanceOf(treasury),
            handler.ghostProtocolFees() + handler.ghostBondsBurned(),
            "treasury vs swept fees + burned bonds"
        );
    }

    /// @notice The reserve, in total and per product, is exactly what open claims reserved plus what every incident's
    /// reserve still holds (taken at the report; released when a report fails, and after the claim and top-up
    /// windows). Each reserve was taken exactly as the rules say.
    /// @dev Rewritten for issue 9: incidents reserve at the report, not at confirmation, and per product.
    function invariant_PendingReserveIsOpenClaimsAndIncidents() public view {
        uint256[] memory perProduct = new uint256[](products.length);
        for (uint256 id = 1; id <= adjudicator.claimCount(); ++id) {
            Claim memory claim = adjudicator.getClaim(id);
            if (claim.state == AssertionState.Pending || claim.state == AssertionState.Disputed) {
                perProduct[_productIndex(coverManager.getPolicy(claim.policyId).productId)] += claim.reserved;
            }
        }
        for (uint256 id = 1; id <= adjudicator.incidentCount(); ++id) {
            uint256 productId = adjudicator.getIncident(id).productId;
            perProduct[_productIndex(productId)] += adjudicator.incidentReserve(id, address(vault)).reserveLeft;
        }
        uint256 reserved;
        for (uint256 i; i < products.length; ++i) {
            assertEq(
                vault.productReserve(products[i]),
                perProduct[i],
                string.concat("reserve of product ", vm.toString(products[i]))
            );
            reserved += perProduct[i];
        }
        assertEq(vault.pendingReserve(), reserved, "pending reserve != open claims + incident reserves left");
        _assertNotViolated("reserve");
    }

    // ================================================================ bonds

    /// @notice Bonds are conserved: the adjudicator holds bonds in - out - burned, plus what it parked for parties the
    /// token refused (exactly their parked balances); the rest is exactly the open claims' and incidents' bonds, and
    /// every settlement moved exactly the rule amounts (at the burn rate fixed when the case began), paying out what
    /// the approved claim is owed when it settles: `min(amount, remaining cover, navBid + reserved)`.
    function invariant_BondsConserved() public view {
        uint256 held = asset.balanceOf(address(adjudicator));
        uint256 parked = handler.ghostBondsParked();
        assertEq(
            held,
            handler.ghostBondsIn() - handler.ghostBondsOut() - handler.ghostBondsBurned() + parked,
            "adjudicator balance != bonds in - out - burned + parked"
        );
        address[] memory payees = handler.payees();
        uint256 parkedBalances;
        for (uint256 i; i < payees.length; ++i) {
            parkedBalances += adjudicator.parkedOf(address(asset), payees[i]);
        }
        assertEq(parkedBalances, parked, "parked bonds != parked balances");
        held -= parked;
        uint256 open;
        for (uint256 id = 1; id <= adjudicator.claimCount(); ++id) {
            Claim memory claim = adjudicator.getClaim(id);
            if (claim.state == AssertionState.Pending) open += claim.bond;
            else if (claim.state == AssertionState.Disputed) open += 2 * claim.bond;
        }
        for (uint256 id = 1; id <= adjudicator.incidentCount(); ++id) {
            Incident memory incident = adjudicator.getIncident(id);
            if (incident.state == AssertionState.Pending) open += incident.bond;
            else if (incident.state == AssertionState.Disputed) open += 2 * incident.bond;
        }
        assertEq(held, open, "adjudicator balance != bonds of open claims and incidents");
        _assertNotViolated("bonds");
        _assertNotViolated("claimPayout");
    }

    // ================================================================ capacity and cover

    /// @notice Exposure never exceeds capacity right after a purchase (single or split).
    function invariant_ExposureNeverExceedsCapacityAtPurchase() public view {
        _assertNotViolated("capacity");
    }

    /// @notice Per-policy caps: claimed <= cover, claimed == what claims and incidents assigned to the policy, and an
    /// incident payout never exceeds payoutWad of the remaining cover.
    function invariant_PolicyPayoutsWithinCover() public view {
        uint256 count = handler.policyCount();
        for (uint256 i; i < count; ++i) {
            uint256 policyId = handler.policyIdAt(i);
            Policy memory policy = coverManager.getPolicy(policyId);
            assertLe(policy.claimed, policy.amount, string.concat("claimed > amount on policy ", vm.toString(policyId)));
            assertEq(
                policy.claimed,
                handler.ghostPaidOn(policyId),
                string.concat("claimed != paid on policy ", vm.toString(policyId))
            );
        }
        _assertNotViolated("cover");
    }

    /// @notice A confirmed incident pays exactly the eligible policies (covered window, locked at the report or its
    /// claim window open then, once, within the claim window fixed at confirmation), each exactly its entitlement
    /// `(amount - claimed) × payoutWad` when the vault's reserve for the incident plus its free navBid cover what its
    /// eligible policies may still claim, else that pro-rata share (the rest recorded as its shortfall); top-ups pay
    /// `shortfall × topUpWad` from the leftover reserve; releases keep the leftovers for the policies paid short until
    /// the top-up window closes. Any other payout call is refused.
    /// @dev Rewritten for issue 9: it was `min(remaining × payoutWad × haircut, reserve left)`, sized at confirmation.
    function invariant_IncidentPayoutsFollowTheRules() public view {
        _assertNotViolated("incidentPayout");
    }

    /// @notice Per incident, what the vault paid never exceeds the eligible entitlement (the entitlements of the
    /// policies paid), and equals it but for the recorded shortfalls and what the closing of the top-up window left
    /// of the shortfalls topped up; it never exceeds the reserve taken at the report plus what payouts drew from free
    /// navBid (each draw within the navBid of its moment).
    function invariant_IncidentPaidWithinEntitlement() public view {
        uint256 policies = handler.policyCount();
        for (uint256 id = 1; id <= adjudicator.incidentCount(); ++id) {
            IncidentReserve memory held = adjudicator.incidentReserve(id, address(vault));
            ProtocolHandler.IncidentGhost memory ghost = handler.incidentGhost(id);
            string memory label = vm.toString(id);
            assertEq(held.entitled, ghost.entitled, string.concat("entitled vs eligible entitlement, incident ", label));
            assertEq(held.paid, ghost.paid, string.concat("paid vs payouts, incident ", label));
            assertLe(held.paid, held.entitled, string.concat("paid > entitled, incident ", label));
            uint256 shortfalls;
            for (uint256 i; i < policies; ++i) {
                shortfalls += adjudicator.incidentShortfall(id, handler.policyIdAt(i));
            }
            assertEq(
                held.entitled, held.paid + shortfalls + ghost.forgone, string.concat("unexplained shortfall, incident ", label)
            );
            assertLe(held.paid, held.reserved + ghost.freeNavDrawn, string.concat("paid beyond reserve + free NAV ", label));
        }
        _assertNotViolated("cover");
    }

    // ================================================================ adversaries

    /// @notice No queued entry blocks another: every drain of the circuit breaker's queue (anyone's processing, the
    /// guardian's release) pays the entries in order, each as far as the allowance goes, and moves the head past every
    /// entry it paid in full, a receiver the token refuses included (its amount parked, the rest transferred).
    function invariant_NoQueuedEntryBlocksAnother() public view {
        assertFalse(handler.queueBroken(), handler.queueBrokenWhat());
    }

    /// @notice The queue's total is its entries: `queuedOutflowAssets` is the sum of the entries in [head, tail), so
    /// an empty queue owes nothing (the vault reads the total only while an entry waits).
    function invariant_QueuedTotalIsTheEntries() public view {
        (uint256 head, uint256 tail) = vault.outflowQueueRange();
        uint256 sum;
        for (uint256 id = head; id < tail; ++id) {
            sum += vault.queuedOutflow(id).amount;
        }
        assertEq(vault.queuedOutflowAssets(), sum, "queued total is not the sum of the queued entries");
    }

    /// @notice A receiver cannot stop the protocol: an exit to the zero address reverts `InvalidReceiver(0)` and one
    /// to a receiver the token refuses reverts, both changing nothing; payouts and bonds owed to refusing receivers
    /// (blocklisted holders, a blocklisted disputer, a contract that refuses every call) are parked and withdrawn in
    /// full to another address.
    function invariant_RefusingReceiversBlockNothing() public view {
        _assertNotViolated("receivers");
        _assertNotViolated("parked");
    }

    /// @notice A write-off moves no value between share classes: only a class worth less than one unit per 1e18
    /// shares at the entry price `max(navAsk, unearnedPremium)` is written off, and no entry, right after a loss or a
    /// write-off, receives shares worth more than it paid beyond a unit of rounding.
    function invariant_WriteOffMovesNoValue() public view {
        _assertNotViolated("writeOff");
    }

    /// @notice Deadlines never move after a case starts: a claim keeps the expiration, bond and burn rate of its
    /// filing and the draw time of its dispute; an incident those of its report, its claim window, and the claim
    /// window's end fixed at confirmation; whatever the curator and the risk manager change meanwhile. No capacity
    /// change locks more (or less) capital behind cover already sold, and every change within bounds is accepted.
    function invariant_CaseTermsNeverMove() public view {
        _assertNotViolated("deadlines");
        _assertNotViolated("terms");
    }

    /// @notice Each product's exposure is the remaining cover of its policies whose lock has not expired.
    function invariant_ExposureIsLiveRemainingCover() public view {
        for (uint256 i; i < products.length; ++i) {
            assertEq(
                vault.exposureOf(products[i]),
                handler.liveCover(products[i]),
                string.concat("exposure != live remaining cover, product ", vm.toString(products[i]))
            );
        }
    }

    // ================================================================ prices and profits

    /// @notice The navAsk price per share falls only on approved payouts; the navBid price only when a reserve is taken.
    function invariant_SharePriceFallsOnlyThroughPayouts() public view {
        _assertNotViolated("askPrice");
        _assertNotViolated("bidPrice");
    }

    /// @notice No same-block profit: an exit never pays more per share than the actor paid per share in that block,
    /// and no policy is paid more than it cost in its purchase block (claims then must be refused).
    function invariant_NoSameBlockProfit() public view {
        _assertNotViolated("sameBlock");
    }

    /// @notice A purchase split into 2-4 pieces (one multicall) costs at least the single purchase quoted before it.
    function invariant_SplitPurchaseNeverCheaper() public view {
        _assertNotViolated("split");
    }

    // ================================================================ lifecycle

    /// @notice Claims and incidents move one legal step per call; parametric incidents are born confirmed; settled
    /// records never change; only approved incidents carry a confirmation time.
    function invariant_ClaimAndIncidentStatesFollowTheLifecycle() public view {
        _assertNotViolated("lifecycle");
    }

    /// @notice At most one claim per policy is open, and `openClaimOf` names it.
    function invariant_AtMostOneOpenClaimPerPolicy() public view {
        uint256 claims = adjudicator.claimCount();
        uint256 policies = handler.policyCount();
        for (uint256 i; i < policies; ++i) {
            uint256 policyId = handler.policyIdAt(i);
            uint256 open;
            uint256 openId;
            for (uint256 id = 1; id <= claims; ++id) {
                Claim memory claim = adjudicator.getClaim(id);
                if (claim.policyId == policyId && (claim.state == AssertionState.Pending || claim.state == AssertionState.Disputed)) {
                    ++open;
                    openId = id;
                }
            }
            assertLe(open, 1, string.concat("open claims on policy ", vm.toString(policyId)));
            assertEq(adjudicator.openClaimOf(policyId), openId, string.concat("openClaimOf ", vm.toString(policyId)));
        }
    }

    /// @notice Pausing (guardian only; unpausing admin only) stops deposits, exits, sales, filings and reports, while
    /// settlements, rulings and payouts keep working (their refusal counts as unexpected).
    function invariant_PauseStopsEntriesSalesAndFilings() public view {
        _assertNotViolated("pause");
    }

    /// @notice The trigger fires exactly when `status()` says the reading allows it.
    function invariant_TriggerFiresExactlyWhenStatusAllows() public view {
        _assertNotViolated("trigger");
    }

    /// @notice No incident payout on parametric cover bought while the feed already showed a firing reading (it found
    /// zero-lag cover bought in the second of the reading being paid; incidents now count strictly after start + lag).
    function invariant_NoCoverSoldOnAFiringReading() public view {
        _assertNotViolated("knownIncident");
    }

    // ================================================================ liveness

    /// @notice Whatever the rules allow goes through: bounded entries and exits, purchases within free capacity,
    /// filings, disputes, votes, due settlements, eligible incident payouts, releases, a firing reading, unpausing.
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

    // ================================================================ reproductions

    /// @notice The sequence the fuzzer found against `invariant_NoCoverSoldOnAFiringReading`: on a parametric product
    /// with no waiting period, cover bought in the block of a below-threshold reading (a back-run of the feed update)
    /// was paid when the trigger fired on that very reading. Incidents now count strictly after `start + coverageLag`,
    /// and parametric products have a waiting period of at least MIN_PARAMETRIC_COVERAGE_LAG.
    function test_ParametricCoverBoughtOnAFiringReadingIsNotPaid() public {
        handler.setPrice(1, 1); // 0.90 USD, observed now
        handler.buyCover(0, 2, 100_000e6, 7 days); // the parametric product, same block
        assertEq(handler.policyCount(), 1, "cover sold on a firing reading");
        vm.warp(block.timestamp + 1 hours);
        handler.fireTrigger();
        handler.claimIncidentPayout(0, 1);
        // The incident is at the purchase second, not strictly after start + coverageLag: the payout is refused.
        assertFalse(handler.violated("knownIncident"), "paid on cover bought on the firing reading");
        assertEq(handler.unexpectedReverts(), 0, "the refusal was expected");
    }

    /// @notice The top-up pool a vault keeps for the policies it paid short stays set aside until the top-up window
    /// closes: a second `releaseIncidentReserve` inside that window must not hand it back to the underwriters.
    /// @dev Regression test of a bug found while modelling releases for issue 9: `IncidentLogic.release` treated a
    /// reserve in its TopUp phase like an expired one and released the whole pool to a second caller.
    function test_SecondReleaseInTheTopUpWindowKeepsTheTopUpPool() public {
        asset.mint(address(this), 10_000_000e6);
        asset.approve(address(coverManager), type(uint256).max);
        asset.approve(address(adjudicator), type(uint256).max);
        uint256 policyA = _buyDirect(products[0], 400_000e6);
        _buyDirect(products[0], 400_000e6);
        uint256 policyC = _buyDirect(products[1], 700_000e6);
        vm.warp(block.timestamp + 2 days);
        // A claim reserves most of the vault, so the incident on product 0 can reserve only part of what it needs.
        uint256 claimId = adjudicator.fileClaim(policyC, 700_000e6, block.timestamp - 1 hours, "ipfs://c");
        uint256 incidentId = adjudicator.reportIncident(products[0], block.timestamp - 1 hours, 1e18, "ipfs://i");
        vm.warp(block.timestamp + 3 days + 1);
        adjudicator.settleClaim(claimId);
        adjudicator.settleIncident(incidentId);
        uint256 paid = adjudicator.claimIncidentPayout(policyA, incidentId);
        uint256 shortfall = adjudicator.incidentShortfall(incidentId, policyA);
        assertGt(shortfall, 0, "policy A was paid in full");
        vm.warp(adjudicator.getIncident(incidentId).claimWindowEnd + 1);
        adjudicator.releaseIncidentReserve(incidentId);
        IncidentReserve memory pool = adjudicator.incidentReserve(incidentId, address(vault));
        assertEq(pool.reserveLeft, shortfall, "the top-up pool keeps the shortfall");
        // Anyone may call it again at once: the pool must stay for policy A's top-up.
        adjudicator.releaseIncidentReserve(incidentId);
        assertEq(adjudicator.incidentReserve(incidentId, address(vault)).reserveLeft, shortfall, "top-up pool released");
        assertEq(adjudicator.claimIncidentTopUp(policyA, incidentId), shortfall, "top-up");
        assertEq(paid + shortfall, 400_000e6, "policy A made whole");
    }

    function _buyDirect(uint256 productId, uint256 amount) internal returns (uint256) {
        return coverManager.buyCover(
            BuyCoverParams({
                productId: productId,
                vault: address(vault),
                amount: amount,
                period: 30 days,
                maxPremium: type(uint256).max,
                deadline: block.timestamp,
                receiver: address(this),
                commissionBps: 0,
                commissionRecipient: address(0)
            })
        );
    }

    // ================================================================ diagnostics

    /// @notice With PARAPET_INVARIANT_SUMMARY=n, fails on purpose after n handler calls to print how often each action
    /// did something (to tell a vacuous campaign from a real one); a no-op otherwise.
    function invariant_zCallSummary() public view {
        uint256 after_ = vm.envOr("PARAPET_INVARIANT_SUMMARY", uint256(0));
        if (after_ == 0 || handler.actionCount() < after_) return;
        bytes32[34] memory names = [
            bytes32("deposit"), "mint", "requestRedeem", "redeem", "withdraw", "sameBlockExit", "refusedExit",
            "buyCover", "buySplit", "fileClaim", "disputeClaim", "castVote", "resolve", "settleClaim", "reportIncident",
            "disputeIncident", "settleIncident", "claimIncidentPayout", "incidentPayoutRefused", "claimIncidentTopUp",
            "topUpRefused", "releaseIncidentReserve", "fireTrigger", "rearmTrigger", "pause", "unpause",
            "processOutflowQueue", "releaseOutflowQueue", "setBlocked", "withdrawParkedPayout", "withdrawParked",
            "changeTerms", "changeCapacity", "writeOff"
        ];
        string memory summary;
        for (uint256 i; i < names.length; ++i) {
            summary = string.concat(summary, _name(names[i]), "=", vm.toString(handler.calls(names[i])), " ");
        }
        fail(summary);
    }

    // ================================================================ helpers

    /// @dev What the vault's balance must cover (books + queued outflows, see ProtocolHandlerBase.queuedOutflows).
    function _books() internal view returns (uint256) {
        return handler.vaultBooks();
    }

    function _queuedOutflows() internal view returns (uint256) {
        return handler.queuedOutflows();
    }

    function _productIndex(uint256 productId) internal view returns (uint256 i) {
        while (products[i] != productId) ++i;
    }

    function _assertNotViolated(bytes32 kind) internal view {
        if (!handler.violated(kind)) return;
        ProtocolHandler.Violation memory v = handler.violation(kind);
        fail(
            string.concat(
                v.what,
                " in ",
                _name(v.action),
                " (id ",
                vm.toString(v.id),
                "): ",
                vm.toString(v.actual),
                " vs ",
                vm.toString(v.limit)
            )
        );
    }

    function _name(bytes32 action) internal pure returns (string memory name) {
        uint256 length;
        while (length < 32 && action[length] != 0) ++length;
        name = new string(length);
        for (uint256 i; i < length; ++i) {
            bytes(name)[i] = action[i];
        }
    }

    function _grantRoles() internal {
        registry.setClaimsModule(address(adjudicator));

        bytes4[] memory pauses = new bytes4[](1);
        pauses[0] = UnderwriterVault.pause.selector;
        manager.setTargetFunctionRole(address(vault), pauses, GUARDIAN_ROLE);
        manager.setTargetFunctionRole(address(coverManager), pauses, GUARDIAN_ROLE);
        manager.setTargetFunctionRole(address(adjudicator), pauses, GUARDIAN_ROLE);
        bytes4[] memory releases = new bytes4[](1);
        releases[0] = UnderwriterVault.releaseOutflowQueue.selector;
        manager.setTargetFunctionRole(address(vault), releases, GUARDIAN_ROLE);
        manager.grantRole(GUARDIAN_ROLE, guardian, 0);
        // The admin keeps unpause and every unmapped function (setProductTrigger included).
        manager.grantRole(0, admin, 0);
    }

    /// @dev As deploy/roles.ts maps them: the curator's vault terms and cooldown, the risk manager's circuit breaker
    /// and adjudicator parameters. Last in the set-up, which sets terms as the admin first.
    function _grantTermsRoles() internal {
        bytes4[] memory curated = new bytes4[](2);
        curated[0] = UnderwriterVault.setProductTerms.selector;
        curated[1] = UnderwriterVault.setCooldown.selector;
        manager.setTargetFunctionRole(address(vault), curated, CURATOR_ROLE);
        manager.grantRole(CURATOR_ROLE, curator, 0);
        bytes4[] memory risk = new bytes4[](1);
        risk[0] = UnderwriterVault.setOutflowLimit.selector;
        manager.setTargetFunctionRole(address(vault), risk, RISK_MANAGER_ROLE);
        risk[0] = ClaimAdjudicator.setParameter.selector;
        manager.setTargetFunctionRole(address(adjudicator), risk, RISK_MANAGER_ROLE);
        manager.grantRole(RISK_MANAGER_ROLE, riskManager, 0);
    }

    function _productParams(ProductKind kind, string memory metadataURI, uint32 coverageLag)
        internal
        pure
        returns (ProductParams memory)
    {
        return ProductParams({
            kind: kind,
            metadataURI: metadataURI,
            minRateWad: 2e16,
            minPeriod: MIN_PERIOD,
            maxPeriod: MAX_PERIOD,
            coverageLag: coverageLag,
            claimGracePeriod: CLAIM_GRACE_PERIOD,
            maxCoverPerPolicy: type(uint96).max,
            trigger: address(0)
        });
    }
}
