// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MockV3Aggregator} from "@chainlink/contracts/src/v0.8/tests/MockV3Aggregator.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";

import {ClaimAdjudicator} from "../../../contracts/ClaimAdjudicator.sol";
import {CommitteeArbiter} from "../../../contracts/CommitteeArbiter.sol";
import {CoverManager} from "../../../contracts/CoverManager.sol";
import {
    AssertionState, Claim, Incident, IncidentReserve, Ruling
} from "../../../contracts/interfaces/IClaimAdjudicator.sol";
import {CommitteeCase} from "../../../contracts/interfaces/ICommitteeArbiter.sol";
import {Policy} from "../../../contracts/interfaces/ICoverManager.sol";
import {TriggerBlock} from "../../../contracts/interfaces/IPriceFeedTrigger.sol";
import {ProductKind, SaleTerms} from "../../../contracts/interfaces/IProductRegistry.sol";
import {PriceFeedTrigger} from "../../../contracts/PriceFeedTrigger.sol";
import {ProductRegistry} from "../../../contracts/ProductRegistry.sol";
import {UnderwriterVault} from "../../../contracts/UnderwriterVault.sol";
import {ProtocolHandlerBase} from "./ProtocolHandlerBase.sol";

/// @notice The contracts and privileged accounts the protocol-wide handler drives.
struct ProtocolWiring {
    UnderwriterVault vault;
    CoverManager coverManager;
    ClaimAdjudicator adjudicator;
    CommitteeArbiter arbiter;
    ProductRegistry registry;
    MockV3Aggregator feed;
    PriceFeedTrigger trigger;
    address guardian;
    address admin;
    uint256[] products;
    address[] members;
}

/// @notice Drives the whole protocol on one vault: entries, asynchronous exits, single and split purchases on two
/// discretionary products and one parametric product, claims (file, dispute, vote, resolve, settle, draw), incident
/// reports (report, dispute, settle, per-policy payouts, release of the unclaimed reserve), a Chainlink-driven
/// `PriceFeedTrigger` (price moves, stale readings, firing, re-arming), pause and unpause by the guardian and the admin,
/// policy transfers and time, with several actors and bounded inputs.
/// @dev Same discipline as the other handlers: no assertions here (a revert is discarded under `failOnRevert: false`);
/// violations are recorded in ghost state for the invariants. Outflows are booked as assigned amounts (see the base).
contract ProtocolHandler is ProtocolHandlerBase {
    struct TrackedPolicy {
        uint256 id;
        uint256 productId;
        uint256 amount;
        uint256 start;
        uint256 end;
        uint256 lockBoundaryTime;
        uint256 cost;
        /// @dev Parametric only: the feed reading at purchase would already fire the trigger (its time, else 0).
        uint256 firingReadingAt;
    }

    struct TrackedAssertion {
        uint256 id;
        AssertionState lastState;
        bool settled;
        bytes32 settledRecord;
    }

    struct Split {
        address buyer;
        uint256 productId;
        uint256 amount;
        uint256 period;
        uint256 singlePremium;
        uint256 singleFee;
        uint256 premiums;
        uint256 paid;
    }

    /// @dev The first violation of a kind, for the invariants' messages.
    struct Violation {
        string what;
        bytes32 action;
        uint256 id;
        uint256 actual;
        uint256 limit;
    }

    uint256 internal constant MIN_WARP = 1 hours;
    uint256 internal constant MAX_WARP = 4 days;
    uint256 internal constant MAX_MINT = 1e19;
    string internal constant EVIDENCE = "ipfs://evidence";

    ClaimAdjudicator public adjudicator;
    CommitteeArbiter public arbiter;
    ProductRegistry public registry;
    MockV3Aggregator public feed;
    PriceFeedTrigger public trigger;
    address public guardian;
    address public admin;
    uint256 public parametricProduct;
    uint80 internal _round;

    uint256[] internal _products;
    address[] internal _underwriters;
    address[] internal _buyers;
    address[] internal _members;
    address public watcher;
    TrackedPolicy[] internal _policies;
    mapping(uint256 policyId => uint256) internal _policyIndex;
    TrackedAssertion[] internal _claims;
    TrackedAssertion[] internal _incidents;

    // ---------------------------------------------------------------- ghost books

    /// @dev Bonds measured leaving filers, reporters and disputers for the adjudicator.
    uint256 public ghostBondsIn;
    /// @dev Bonds the rules say the adjudicator returned or awarded (checked against its balance drop at settlement).
    uint256 public ghostBondsOut;
    /// @dev Bonds the rules say were burned to the treasury.
    uint256 public ghostBondsBurned;
    /// @dev What the vault assigned to each policy (claim settlements and incident payouts), and in total.
    mapping(uint256 policyId => uint256) public ghostPaidOn;
    uint256 public ghostPaidTotal;

    // ---------------------------------------------------------------- per-block positions (no same-block profit)

    /// @dev Per actor, within the current block (timestamp): assets paid into the vault and shares received.
    mapping(address actor => uint256) internal _entryBlock;
    mapping(address actor => uint256) internal _entryAssets;
    mapping(address actor => uint256) internal _entryShares;
    /// @dev Per actor, exits made after that block's first entry: assets received and shares given up.
    mapping(address actor => uint256) internal _exitAssets;
    mapping(address actor => uint256) internal _exitShares;

    // ---------------------------------------------------------------- violations

    mapping(bytes32 kind => bool) public violated;
    mapping(bytes32 kind => Violation) internal _violations;

    /// @dev Share price pairs, as in ClaimsHandler: (nav + 1) / (supply + 1e6) for navAsk and navBid.
    uint256 public lastNavBid;
    uint256 public lastNavAsk;
    uint256 public lastSupply;
    bool internal _reservedNow;
    bool internal _paidNow;
    bytes32 internal _action;
    /// @dev Handler calls so far in this run (the three seed deposits included).
    uint256 public actionCount;

    constructor(ProtocolWiring memory wiring) {
        _initBase(wiring.vault, wiring.coverManager);
        adjudicator = wiring.adjudicator;
        arbiter = wiring.arbiter;
        registry = wiring.registry;
        feed = wiring.feed;
        trigger = wiring.trigger;
        guardian = wiring.guardian;
        admin = wiring.admin;
        _products = wiring.products;
        _members = wiring.members;
        parametricProduct = wiring.trigger.productId();
        (_round,,,,) = wiring.feed.latestRoundData();

        _underwriters = _newActors("protocol-underwriter", 3, address(wiring.vault), address(0));
        _buyers = _newActors("protocol-buyer", 3, address(wiring.coverManager), address(wiring.adjudicator));
        watcher = _newActors("protocol-watcher", 1, address(wiring.adjudicator), address(0))[0];
        _recordSharePrice();
    }

    /// @dev Every action ends by checking the share price and every claim's and incident's state.
    modifier observed(bytes32 action) {
        ++actionCount;
        _action = action;
        _reservedNow = false;
        _paidNow = false;
        _;
        _checkSharePrice();
        _checkAssertionStates();
    }

    // ================================================================ underwriters

    function deposit(uint256 actorSeed, uint256 assets) external observed("deposit") {
        _deposit(_underwriters[actorSeed % _underwriters.length], bound(assets, 1, MAX_DEPOSIT));
    }

    function mint(uint256 actorSeed, uint256 shares) external observed("mint") {
        address actor = _underwriters[actorSeed % _underwriters.length];
        shares = bound(shares, 1, MAX_MINT);
        uint256 cost = vault.previewMint(shares);
        asset.mint(actor, cost);
        vm.prank(actor);
        try vault.mint(shares, actor) returns (uint256 paid) {
            if (vault.paused()) _violate("pause", "mint while paused", 0, 1, 0);
            ghostDeposited += paid;
            _bookEntry(actor, paid, shares);
            ++calls["mint"];
        } catch (bytes memory reason) {
            if (!vault.paused()) _unexpected("mint", reason);
        }
    }

    function requestRedeem(uint256 actorSeed, uint256 shares) external observed("requestRedeem") {
        address actor = _underwriters[actorSeed % _underwriters.length];
        uint256 balance = vault.balanceOf(actor);
        if (balance == 0) return;
        shares = bound(shares, 1, balance);
        vm.prank(actor);
        try vault.requestRedeem(shares, actor, actor) {
            if (vault.paused()) _violate("pause", "requestRedeem while paused", 0, 1, 0);
            ++calls["requestRedeem"];
        } catch (bytes memory reason) {
            if (!vault.paused()) _unexpected("requestRedeem", reason);
        }
    }

    function cancelRedeemRequest(uint256 actorSeed) external observed("cancelRedeemRequest") {
        address actor = _underwriters[actorSeed % _underwriters.length];
        if (vault.redeemRequest(actor).shares == 0) return;
        vm.prank(actor);
        try vault.cancelRedeemRequest(actor) {
            ++calls["cancelRedeemRequest"];
        } catch (bytes memory reason) {
            _unexpected("cancelRedeemRequest", reason);
        }
    }

    function redeem(uint256 actorSeed, uint256 shares) external observed("redeem") {
        _redeem(_underwriters[actorSeed % _underwriters.length], shares);
    }

    function withdraw(uint256 actorSeed, uint256 assets) external observed("withdraw") {
        address actor = _underwriters[actorSeed % _underwriters.length];
        uint256 max = vault.maxWithdraw(actor);
        if (max == 0) {
            _probePausedExit(actor);
            return;
        }
        assets = bound(assets, 1, max);
        uint256 shares = vault.previewWithdraw(assets);
        vm.prank(actor);
        try vault.withdraw(assets, actor, actor) {
            ghostWithdrawn += assets;
            _checkExitPrice(actor, assets, shares);
            ++calls["withdraw"];
        } catch (bytes memory reason) {
            _unexpected("withdraw", reason);
        }
    }

    /// @dev The round trip a same-block profit needs: deposit, then exit at once (with a request that ripened
    /// earlier). The exit price per share must not exceed what the actor paid per share in this block.
    function depositThenExit(uint256 actorSeed, uint256 assets, uint256 shares) external observed("depositThenExit") {
        address actor = _underwriters[actorSeed % _underwriters.length];
        _deposit(actor, bound(assets, 1, MAX_DEPOSIT));
        _redeem(actor, shares);
    }

    // ================================================================ cover

    function buyCover(uint256 buyerSeed, uint256 productSeed, uint256 amount, uint256 period)
        external
        observed("buyCover")
    {
        _buy(_buyers[buyerSeed % _buyers.length], _products[productSeed % _products.length], amount, period);
    }

    /// @dev The same cover bought in 2 to 4 pieces atomically through `multicall`: the pieces together must cost at
    /// least the single purchase quoted in the same state (premium to the vault, and premium + fee to the buyer).
    function buySplit(uint256 buyerSeed, uint256 productSeed, uint256 amount, uint256 period, uint256 partsSeed)
        external
        observed("buySplit")
    {
        Split memory split;
        split.buyer = _buyers[buyerSeed % _buyers.length];
        split.productId = _products[productSeed % _products.length];
        (bool open, uint256 free) = _saleOpen(split.productId);
        if (!open || free < 2) return;
        split.amount = bound(amount, 2, free);
        split.period = _boundPeriod(split.productId, period);
        (split.singlePremium, split.singleFee) =
            coverManager.quotePremium(split.productId, address(vault), split.amount, split.period);
        bytes[] memory data = _splitOrders(split, 2 + partsSeed % 3, partsSeed);
        // Generous funds: the premium is bounded by the curve's top rate over at most two years.
        asset.mint(split.buyer, 2 * (split.singlePremium + split.singleFee) + split.amount * 2);
        uint256 buyerBefore = asset.balanceOf(split.buyer);
        uint256 vaultBefore = asset.balanceOf(address(vault));
        uint256 treasuryBefore = asset.balanceOf(treasury);
        vm.prank(split.buyer);
        try coverManager.multicall(data) returns (bytes[] memory results) {
            ++calls["buySplit"];
            split.premiums = asset.balanceOf(address(vault)) - vaultBefore;
            split.paid = buyerBefore - asset.balanceOf(split.buyer);
            ghostPremiumPaid += split.premiums;
            ghostProtocolFees += asset.balanceOf(treasury) - treasuryBefore;
            _afterSplit(split, results);
        } catch (bytes memory reason) {
            _unexpected("buySplit", reason);
        }
    }

    function _afterSplit(Split memory split, bytes[] memory results) internal {
        if (split.premiums < split.singlePremium) {
            _violate("split", "split premium below one purchase", results.length, split.premiums, split.singlePremium);
        }
        if (split.paid < split.singlePremium + split.singleFee) {
            _violate(
                "split", "split cost below one purchase", results.length, split.paid, split.singlePremium + split.singleFee
            );
        }
        _checkCapacityAfterPurchase(split.productId);
        for (uint256 i; i < results.length; ++i) {
            uint256 policyId = abi.decode(results[i], (uint256));
            uint256 piece = coverManager.getPolicy(policyId).amount;
            _track(policyId, split.productId, piece, split.period, split.paid * piece / split.amount);
        }
    }

    function _splitOrders(Split memory split, uint256 parts, uint256 seed) internal view returns (bytes[] memory data) {
        if (parts > split.amount) parts = split.amount;
        data = new bytes[](parts);
        uint256 left = split.amount;
        for (uint256 i; i < parts; ++i) {
            // Uneven pieces: each takes a seeded share of what is left, leaving at least 1 for each later piece.
            uint256 piece =
                i + 1 == parts ? left : bound(uint256(keccak256(abi.encode(seed, i))), 1, left - (parts - 1 - i));
            left -= piece;
            data[i] = abi.encodeCall(
                CoverManager.buyCover, (_buyParams(split.buyer, split.productId, piece, split.period, type(uint256).max))
            );
        }
    }

    /// @dev The other same-block round trip: buy cover, then at once try every way to be paid on it (a claim must be
    /// refused as too early; an incident payout on an incident confirmed now must be refused as not in the past).
    function buyThenClaim(uint256 buyerSeed, uint256 productSeed, uint256 amount) external observed("buyThenClaim") {
        address buyer = _buyers[buyerSeed % _buyers.length];
        uint256 productId = _products[productSeed % _products.length];
        uint256 count = _policies.length;
        _buy(buyer, productId, amount, 0);
        if (_policies.length == count) return;
        TrackedPolicy memory policy = _policies[count];
        if (productId == parametricProduct) {
            (TriggerBlock reason,,) = trigger.status();
            if (reason == TriggerBlock.None) _fire();
        } else {
            asset.mint(buyer, adjudicator.bondFor(address(asset), policy.amount));
            vm.prank(buyer);
            try adjudicator.fileClaim(policy.id, policy.amount, block.timestamp - 1, EVIDENCE) {
                _violate("sameBlock", "claim filed in the purchase block", policy.id, policy.amount, 0);
            } catch {}
        }
        for (uint256 i = 1; i <= adjudicator.incidentCount(); ++i) {
            _claimIncidentPayout(policy.id, i, false);
        }
    }

    /// @dev Policies change hands: the payout follows the NFT.
    function transferPolicy(uint256 policySeed, uint256 toSeed) external observed("transferPolicy") {
        if (_policies.length == 0) return;
        uint256 policyId = _policies[policySeed % _policies.length].id;
        address owner = IERC721(address(coverManager)).ownerOf(policyId);
        address to = _buyers[toSeed % _buyers.length];
        if (to == owner) return;
        vm.prank(owner);
        try IERC721(address(coverManager)).transferFrom(owner, to, policyId) {
            ++calls["transferPolicy"];
        } catch (bytes memory reason) {
            _unexpected("transferPolicy", reason);
        }
    }

    // ================================================================ claims

    function fileClaim(uint256 policySeed, uint256 amount, uint256 incidentSeed) external observed("fileClaim") {
        (bool found, TrackedPolicy memory policy) = _claimablePolicy(policySeed);
        if (!found) return;
        address filer = IERC721(address(coverManager)).ownerOf(policy.id);
        Policy memory onChain = coverManager.getPolicy(policy.id);
        amount = bound(amount, 1, onChain.amount - onChain.claimed);
        uint256 lag = registry.getSaleTerms(policy.productId).coverageLag;
        uint256 latest = policy.end < block.timestamp - 1 ? policy.end : block.timestamp - 1;
        uint256 incidentTime = bound(incidentSeed, policy.start + lag + 1, latest);
        uint256 bond = adjudicator.bondFor(address(asset), amount);
        asset.mint(filer, bond);
        uint256 before = asset.balanceOf(filer);
        bool paused = adjudicator.paused();
        vm.prank(filer);
        try adjudicator.fileClaim(policy.id, amount, incidentTime, EVIDENCE) returns (uint256 claimId) {
            if (paused) _violate("pause", "fileClaim while paused", claimId, 1, 0);
            ++calls["fileClaim"];
            ghostBondsIn += before - asset.balanceOf(filer);
            if (adjudicator.getClaim(claimId).reserved != 0) _reservedNow = true;
            _claims.push(TrackedAssertion({id: claimId, lastState: AssertionState.Pending, settled: false, settledRecord: 0}));
        } catch (bytes memory reason) {
            if (!paused) _unexpected("fileClaim", reason);
        }
    }

    function disputeClaim(uint256 disputerSeed, uint256 claimSeed) external observed("disputeClaim") {
        uint256 count = _claims.length;
        for (uint256 i; i < count; ++i) {
            uint256 claimId = _claims[(claimSeed + i) % count].id;
            Claim memory claim = adjudicator.getClaim(claimId);
            if (claim.state != AssertionState.Pending || block.timestamp >= claim.expiration) continue;
            address disputer = disputerSeed % 3 != 0 ? watcher : _buyers[(disputerSeed / 3) % _buyers.length];
            _postDispute(disputer, claim.bond, abi.encodeCall(ClaimAdjudicator.disputeClaim, (claimId)), "disputeClaim");
            return;
        }
    }

    function settleClaim(uint256 claimSeed) external observed("settleClaim") {
        uint256 count = _claims.length;
        for (uint256 i; i < count; ++i) {
            uint256 claimId = _claims[(claimSeed + i) % count].id;
            Claim memory claim = adjudicator.getClaim(claimId);
            if (!_isDue(claim.state, claim.ruling, claim.expiration, claim.disputedAt)) continue;
            _settleClaim(claimId, claim);
            return;
        }
    }

    /// @dev A member who has not voted votes on an undecided case (of a claim or an incident) still open to votes.
    function castVote(uint256 memberSeed, uint256 caseSeed, bool approve) external observed("castVote") {
        uint256 cases = arbiter.caseCount();
        if (cases == 0) return;
        for (uint256 i; i < cases; ++i) {
            uint256 caseId = 1 + (caseSeed + i) % cases;
            CommitteeCase memory c = arbiter.getCase(caseId);
            if (c.resolved || c.approvals >= c.quorum || c.rejections >= c.quorum || block.timestamp >= c.deadline) {
                continue;
            }
            for (uint256 j; j < _members.length; ++j) {
                address member = _members[(memberSeed + j) % _members.length];
                // Members who joined at or after the case opened may not vote on it (here: cases opened at setUp time).
                if (arbiter.hasVoted(caseId, member) || arbiter.memberSince(member) >= c.openedAt) continue;
                vm.prank(member);
                try arbiter.castVote(caseId, approve) {
                    ++calls["castVote"];
                } catch (bytes memory reason) {
                    _unexpected("castVote", reason);
                }
                return;
            }
        }
    }

    /// @dev Delivers a decided ruling; a late one (the dispute settled as a draw meanwhile) must change nothing.
    function resolve(uint256 caseSeed) external observed("resolve") {
        uint256 cases = arbiter.caseCount();
        for (uint256 i; i < cases; ++i) {
            uint256 caseId = 1 + (caseSeed + i) % cases;
            CommitteeCase memory c = arbiter.getCase(caseId);
            if (c.resolved || (c.approvals < c.quorum && c.rejections < c.quorum)) continue;
            try arbiter.resolve(caseId) {
                ++calls["resolve"];
            } catch {
                ++calls["lateRulingRefused"];
            }
            return;
        }
    }

    // ================================================================ incidents

    function reportIncident(uint256 reporterSeed, uint256 productSeed, uint256 ago, uint256 payoutWad)
        external
        observed("reportIncident")
    {
        // The two discretionary products.
        uint256 productId = _products[productSeed % 2];
        // One report at a time per product: a pile of pending reports would stop its sales for the whole run.
        if (registry.getSaleTerms(productId).openIncidents != 0) return;
        address reporter = reporterSeed % 2 == 0 ? watcher : _buyers[reporterSeed % _buyers.length];
        ago = bound(ago, 1, 30 days);
        payoutWad = bound(payoutWad, 1, WAD);
        uint256 bond = adjudicator.incidentBond();
        asset.mint(reporter, bond);
        uint256 before = asset.balanceOf(reporter);
        bool paused = adjudicator.paused();
        vm.prank(reporter);
        try adjudicator.reportIncident(productId, block.timestamp - ago, payoutWad, EVIDENCE) returns (uint256 id) {
            if (paused) _violate("pause", "reportIncident while paused", id, 1, 0);
            ++calls["reportIncident"];
            ghostBondsIn += before - asset.balanceOf(reporter);
            _incidents.push(TrackedAssertion({id: id, lastState: AssertionState.Pending, settled: false, settledRecord: 0}));
        } catch (bytes memory reason) {
            if (!paused) _unexpected("reportIncident", reason);
        }
    }

    function disputeIncident(uint256 disputerSeed, uint256 incidentSeed) external observed("disputeIncident") {
        uint256 count = _incidents.length;
        for (uint256 i; i < count; ++i) {
            uint256 id = _incidents[(incidentSeed + i) % count].id;
            Incident memory incident = adjudicator.getIncident(id);
            if (incident.state != AssertionState.Pending || block.timestamp >= incident.expiration) continue;
            address disputer = disputerSeed % 2 == 0 ? watcher : _buyers[disputerSeed % _buyers.length];
            _postDispute(disputer, incident.bond, abi.encodeCall(ClaimAdjudicator.disputeIncident, (id)), "disputeIncident");
            return;
        }
    }

    function settleIncident(uint256 incidentSeed) external observed("settleIncident") {
        uint256 count = _incidents.length;
        for (uint256 i; i < count; ++i) {
            uint256 id = _incidents[(incidentSeed + i) % count].id;
            Incident memory incident = adjudicator.getIncident(id);
            if (!_isDue(incident.state, incident.ruling, incident.expiration, incident.disputedAt)) continue;
            AssertionState outcome = _outcomeOf(incident.state, incident.ruling);
            (uint256 toReporter, uint256 toDisputer, uint256 burned) =
                _bondFlows(outcome, incident.disputer != address(0), incident.bond);
            uint256 held = asset.balanceOf(address(adjudicator));
            uint256 reserveBefore = vault.pendingReserve();
            try adjudicator.settleIncident(id) {
                ++calls["settleIncident"];
                _bookBonds("settleIncident", id, held, toReporter + toDisputer, burned);
                if (vault.pendingReserve() > reserveBefore) _reservedNow = true;
            } catch (bytes memory reason) {
                _unexpected("settleIncident", reason);
            }
            return;
        }
    }

    /// @dev An incident payout on a random policy of a confirmed incident's product; refusals the rules allow
    /// (ineligible, already paid, nothing left, window closed) are not errors.
    function claimIncidentPayout(uint256 policySeed, uint256 incidentSeed) external observed("claimIncidentPayout") {
        uint256 incidents = adjudicator.incidentCount();
        if (incidents == 0 || _policies.length == 0) return;
        uint256 incidentId = 1 + incidentSeed % incidents;
        uint256 productId = adjudicator.getIncident(incidentId).productId;
        uint256 count = _policies.length;
        for (uint256 i; i < count; ++i) {
            TrackedPolicy memory policy = _policies[(policySeed + i) % count];
            if (policy.productId != productId) continue;
            _claimIncidentPayout(policy.id, incidentId, true);
            return;
        }
    }

    function releaseIncidentReserve(uint256 incidentSeed) external observed("releaseIncidentReserve") {
        uint256 incidents = adjudicator.incidentCount();
        if (incidents == 0) return;
        uint256 incidentId = 1 + incidentSeed % incidents;
        Incident memory incident = adjudicator.getIncident(incidentId);
        if (incident.confirmedAt == 0 || block.timestamp <= incident.confirmedAt + adjudicator.incidentClaimWindow()) {
            return;
        }
        try adjudicator.releaseIncidentReserve(incidentId) {
            ++calls["releaseIncidentReserve"];
        } catch (bytes memory reason) {
            _unexpected("releaseIncidentReserve", reason);
        }
    }

    // ================================================================ parametric trigger

    /// @dev A new feed round: mostly around the peg, sometimes below the threshold, now and then non-positive, and
    /// observed up to two days ago (the trigger's staleness limit is one day).
    function setPrice(uint256 answerSeed, uint256 ageSeed) external observed("setPrice") {
        int256 answer;
        uint256 pick = answerSeed % 8;
        if (pick == 0) answer = -int256(answerSeed % 2);
        else if (pick < 3) answer = int256(bound(answerSeed, 0.9e8, 0.97e8 - 1));
        else answer = int256(bound(answerSeed, 0.97e8, 1.02e8));
        uint256 age = ageSeed % 3 == 0 ? bound(ageSeed, 0, 2 days) : 0;
        if (age > block.timestamp) age = 0;
        ++_round;
        feed.updateRoundData(_round, answer, block.timestamp - age, block.timestamp - age);
        ++calls["setPrice"];
    }

    /// @dev Fires exactly when `status` says it may; otherwise the trigger must refuse.
    function fireTrigger() external observed("fireTrigger") {
        _fire();
    }

    /// @dev After a firing the admin arms a new trigger on the same feed (the one-shot trigger stays fired).
    function rearmTrigger() external observed("rearmTrigger") {
        if (!trigger.fired()) return;
        PriceFeedTrigger next = new PriceFeedTrigger(
            adjudicator,
            parametricProduct,
            feed,
            trigger.feedDecimals(),
            trigger.threshold(),
            trigger.stalenessLimit(),
            trigger.payoutWad(),
            MockV3Aggregator(address(0)),
            0
        );
        vm.prank(admin);
        try registry.setProductTrigger(parametricProduct, address(next)) {
            trigger = next;
            ++calls["rearmTrigger"];
        } catch (bytes memory reason) {
            _unexpected("rearmTrigger", reason);
        }
    }

    // ================================================================ pause

    /// @dev A stranger's pause must fail; the guardian's pauses the vault, the sales, the claims desk, or all three.
    function pause(uint256 targetSeed) external observed("pause") {
        address stranger = _buyers[targetSeed % _buyers.length];
        vm.prank(stranger);
        try vault.pause() {
            _violate("pause", "stranger paused the vault", 0, 1, 0);
        } catch {}
        uint256 target = targetSeed % 4;
        if ((target == 0 || target == 3) && !vault.paused()) _guardianPause(address(vault));
        if ((target == 1 || target == 3) && !coverManager.paused()) _guardianPause(address(coverManager));
        if ((target == 2 || target == 3) && !adjudicator.paused()) _guardianPause(address(adjudicator));
    }

    /// @dev Anyone pays the circuit breaker's queue as the window allows.
    function processOutflowQueue(uint256 maxEntries) external observed("processOutflowQueue") {
        _processOutflowQueue(maxEntries);
    }

    /// @dev The guardian pays queued outflows past the limit (and while paused), in full and in order.
    function releaseOutflowQueue(uint256 maxEntries) external observed("releaseOutflowQueue") {
        (uint256 head, uint256 tail) = vault.outflowQueueRange();
        if (head == tail) return;
        uint256 queued = vault.queuedOutflowAssets();
        vm.prank(guardian);
        try vault.releaseOutflowQueue(bound(maxEntries, 1, 8)) returns (uint256 paid) {
            require(vault.queuedOutflowAssets() == queued - paid, "release moved the queue by other than the payment");
            ++calls["releaseOutflowQueue"];
        } catch (bytes memory reason) {
            _unexpected("releaseOutflowQueue", reason);
        }
    }

    /// @dev The guardian cannot unpause; the admin can, and lifts every pause at once.
    function unpause(uint256 guardianTries) external observed("unpause") {
        address[3] memory targets = [address(vault), address(coverManager), address(adjudicator)];
        for (uint256 i; i < 3; ++i) {
            if (!UnderwriterVault(targets[i]).paused()) continue;
            if (guardianTries % 2 == 0) {
                vm.prank(guardian);
                (bool byGuardian,) = targets[i].call(abi.encodeWithSignature("unpause()"));
                if (byGuardian) _violate("pause", "guardian unpaused", i, 1, 0);
            }
            vm.prank(admin);
            (bool ok, bytes memory reason) = targets[i].call(abi.encodeWithSignature("unpause()"));
            if (ok) ++calls["unpause"];
            else _unexpected("unpause", reason);
        }
    }

    // ================================================================ time

    function warp(uint256 seconds_) external observed("warp") {
        vm.warp(block.timestamp + bound(seconds_, MIN_WARP, MAX_WARP));
        ++calls["warp"];
    }

    // ================================================================ views for the invariants

    function underwriters() external view returns (address[] memory) {
        return _underwriters;
    }

    function products() external view returns (uint256[] memory) {
        return _products;
    }

    function policyCount() external view returns (uint256) {
        return _policies.length;
    }

    function policyIdAt(uint256 index) external view returns (uint256) {
        return _policies[index].id;
    }

    function violation(bytes32 kind) external view returns (Violation memory) {
        return _violations[kind];
    }

    /// @notice The remaining cover of the policies on `productId` whose lock has not reached its grid boundary.
    function liveCover(uint256 productId) external view returns (uint256 total) {
        for (uint256 i; i < _policies.length; ++i) {
            TrackedPolicy memory policy = _policies[i];
            if (policy.productId == productId && block.timestamp < policy.lockBoundaryTime) {
                total += policy.amount - coverManager.getPolicy(policy.id).claimed;
            }
        }
    }

    // ================================================================ internals: vault flows

    function _deposit(address actor, uint256 assets) internal {
        uint256 shares = vault.previewDeposit(assets);
        if (shares == 0) return;
        asset.mint(actor, assets);
        vm.prank(actor);
        try vault.deposit(assets, actor) returns (uint256 minted) {
            if (vault.paused()) _violate("pause", "deposit while paused", 0, 1, 0);
            ghostDeposited += assets;
            _bookEntry(actor, assets, minted);
            ++calls["deposit"];
        } catch (bytes memory reason) {
            if (!vault.paused()) _unexpected("deposit", reason);
        }
    }

    function _redeem(address actor, uint256 shares) internal {
        uint256 max = vault.maxRedeem(actor);
        if (max == 0) {
            _probePausedExit(actor);
            return;
        }
        shares = bound(shares, 1, max);
        vm.prank(actor);
        try vault.redeem(shares, actor, actor) returns (uint256 assets) {
            ghostWithdrawn += assets;
            _checkExitPrice(actor, assets, shares);
            ++calls["redeem"];
        } catch (bytes memory reason) {
            _unexpected("redeem", reason);
        }
    }

    /// @dev While the vault is paused a ripe request must still be refused.
    function _probePausedExit(address actor) internal {
        if (!vault.paused()) return;
        uint256 ripe = vault.claimableRedeemRequest(0, actor);
        if (ripe == 0) return;
        vm.prank(actor);
        try vault.redeem(ripe, actor, actor) returns (uint256 assets) {
            ghostWithdrawn += assets;
            _violate("pause", "redeem while paused", 0, assets, 0);
        } catch {}
    }

    function _bookEntry(address actor, uint256 assets, uint256 shares) internal {
        if (_entryBlock[actor] != block.timestamp) {
            _entryBlock[actor] = block.timestamp;
            _entryAssets[actor] = 0;
            _entryShares[actor] = 0;
            _exitAssets[actor] = 0;
            _exitShares[actor] = 0;
        }
        _entryAssets[actor] += assets;
        _entryShares[actor] += shares;
    }

    /// @dev Exits after an entry in the same block, taken together, may not pay more per share than the actor paid
    /// per share entering in that block: `exitAssets <= ceil(exitShares * entryAssets / entryShares)`. Whole wei: the
    /// pro-rata cost is rounded up, because a later exit may be priced a fraction of a wei higher by the rounding dust
    /// that earlier exits (the actor's own included) left in the vault, which is no profit.
    function _checkExitPrice(address actor, uint256 assets, uint256 shares) internal {
        if (_entryBlock[actor] != block.timestamp || _entryShares[actor] == 0) return;
        ++calls["sameBlockExit"];
        uint256 exitAssets = _exitAssets[actor] + assets;
        uint256 exitShares = _exitShares[actor] + shares;
        (_exitAssets[actor], _exitShares[actor]) = (exitAssets, exitShares);
        uint256 cost = (exitShares * _entryAssets[actor] + _entryShares[actor] - 1) / _entryShares[actor];
        if (exitAssets > cost) _violate("sameBlock", "deposit -> exit above the entry price", 0, exitAssets, cost);
    }

    // ================================================================ internals: cover

    function _buy(address buyer, uint256 productId, uint256 amount, uint256 period) internal {
        (bool open, uint256 free) = _saleOpen(productId);
        if (!open) {
            _probePausedSale(buyer, productId);
            return;
        }
        // One purchase in four may take all the free capacity, the rest at most an eighth of it.
        amount = bound(amount, 1, amount % 4 == 0 ? free : (free + 7) / 8);
        period = _boundPeriod(productId, period);
        uint256 firingReadingAt = _firingReadingAt(productId);
        (bool ok, uint256 policyId, uint256 cost) = _purchase(buyer, productId, amount, period);
        if (!ok) return;
        _checkCapacityAfterPurchase(productId);
        _track(policyId, productId, amount, period, cost);
        _policies[_policies.length - 1].firingReadingAt = firingReadingAt;
    }

    /// @dev Whether a purchase must go through now, and the free capacity.
    function _saleOpen(uint256 productId) internal view returns (bool open, uint256 free) {
        if (vault.paused() || coverManager.paused()) return (false, 0);
        SaleTerms memory terms = registry.getSaleTerms(productId);
        if (terms.openIncidents != 0) return (false, 0);
        // A fired trigger is disarmed until a new one is armed: the product does not sell meanwhile.
        if (terms.kind == ProductKind.Parametric && terms.trigger == address(0)) return (false, 0);
        uint256 capacity = vault.capacityOf(productId);
        uint256 exposure = vault.exposureOf(productId);
        if (capacity <= exposure) return (false, 0);
        return (true, capacity - exposure);
    }

    /// @dev While sales are paused a purchase must be refused.
    function _probePausedSale(address buyer, uint256 productId) internal {
        if (!vault.paused() && !coverManager.paused()) return;
        if (registry.getSaleTerms(productId).openIncidents != 0) return;
        uint256 amount = 1e6;
        uint256 period = _boundPeriod(productId, 0);
        asset.mint(buyer, amount);
        vm.prank(buyer);
        try coverManager.buyCover(_buyParams(buyer, productId, amount, period, amount)) returns (uint256 policyId) {
            _violate("pause", "buyCover while paused", policyId, 1, 0);
        } catch {}
    }

    function _boundPeriod(uint256 productId, uint256 period) internal view returns (uint256) {
        SaleTerms memory terms = registry.getSaleTerms(productId);
        return bound(period, terms.minPeriod, terms.maxPeriod);
    }

    function _firingReadingAt(uint256 productId) internal view returns (uint256) {
        if (productId != parametricProduct) return 0;
        (TriggerBlock reason,, uint256 updatedAt) = trigger.status();
        return reason == TriggerBlock.None ? updatedAt : 0;
    }

    function _checkCapacityAfterPurchase(uint256 productId) internal {
        uint256 exposure = vault.exposureOf(productId);
        uint256 capacity = vault.capacityOf(productId);
        if (exposure > capacity) _violate("capacity", "exposure above capacity at purchase", productId, exposure, capacity);
    }

    function _track(uint256 policyId, uint256 productId, uint256 amount, uint256 period, uint256 cost) internal {
        uint256 grace = registry.getSaleTerms(productId).claimGracePeriod;
        _policyIndex[policyId] = _policies.length + 1;
        _policies.push(
            TrackedPolicy({
                id: policyId,
                productId: productId,
                amount: amount,
                start: block.timestamp,
                end: block.timestamp + period,
                lockBoundaryTime: _lockBoundaryTime(block.timestamp + period, grace),
                cost: cost,
                firingReadingAt: 0
            })
        );
    }

    // ================================================================ internals: claims and incidents

    function _claimablePolicy(uint256 seed) internal view returns (bool found, TrackedPolicy memory policy) {
        uint256 count = _policies.length;
        for (uint256 i; i < count; ++i) {
            policy = _policies[(seed + i) % count];
            if (policy.productId == parametricProduct) continue;
            SaleTerms memory terms = registry.getSaleTerms(policy.productId);
            if (block.timestamp <= policy.start || block.timestamp > policy.end + terms.claimGracePeriod) continue;
            if (policy.start + terms.coverageLag >= policy.end || policy.start + terms.coverageLag + 1 >= block.timestamp) {
                continue;
            }
            if (adjudicator.openClaimOf(policy.id) != 0) continue;
            Policy memory onChain = coverManager.getPolicy(policy.id);
            if (onChain.claimed >= onChain.amount) continue;
            return (true, policy);
        }
    }

    function _postDispute(address disputer, uint256 bond, bytes memory call, string memory action) internal {
        asset.mint(disputer, bond);
        uint256 before = asset.balanceOf(disputer);
        vm.prank(disputer);
        (bool ok, bytes memory reason) = address(adjudicator).call(call);
        if (!ok) {
            _unexpected(action, reason);
            return;
        }
        ++calls[bytes32(bytes(action))];
        ghostBondsIn += before - asset.balanceOf(disputer);
    }

    function _settleClaim(uint256 claimId, Claim memory claim) internal {
        AssertionState outcome = _outcomeOf(claim.state, claim.ruling);
        (uint256 toFiler, uint256 toDisputer, uint256 burned) =
            _bondFlows(outcome, claim.disputer != address(0), claim.bond);
        uint256 held = asset.balanceOf(address(adjudicator));
        try adjudicator.settleClaim(claimId) {
            ++calls["settleClaim"];
            _bookBonds("settleClaim", claimId, held, toFiler + toDisputer, burned);
            // The amount the adjudicator assigned, as recorded: not what the receiver's balance shows.
            uint256 paid = adjudicator.getClaim(claimId).paid;
            if (paid != 0) _bookPayout(claim.policyId, paid);
        } catch (bytes memory reason) {
            _unexpected("settleClaim", reason);
        }
    }

    /// @dev Claims `policyId`'s payout for `incidentId` and checks it against the rules: an eligible policy (incident
    /// confirmed and its claim window open, policy on the product, `start + lag < incidentTime <= end`, the incident in
    /// the past, the policy locked at the report, not paid yet) must get exactly `min(remaining * payoutWad * haircut,
    /// reserve left)` when that is positive; any other call must be refused.
    function _claimIncidentPayout(uint256 policyId, uint256 incidentId, bool mustPay) internal {
        (bool eligible, uint256 expected) = _expectedIncidentPayout(policyId, incidentId);
        Incident memory incident = adjudicator.getIncident(incidentId);
        Policy memory policy = coverManager.getPolicy(policyId);
        uint256 entitled = (policy.amount - policy.claimed) * incident.payoutWad / WAD;
        try adjudicator.claimIncidentPayout(policyId, incidentId) returns (uint256 payout) {
            ++calls["claimIncidentPayout"];
            if (payout > entitled) _violate("cover", "incident payout above the entitlement", policyId, payout, entitled);
            if (!eligible || payout != expected) {
                _violate(
                    "incidentPayout", eligible ? "wrong incident payout" : "ineligible policy paid", policyId, payout, expected
                );
            }
            _bookPayout(policyId, payout);
            TrackedPolicy memory tracked = _policies[_policyIndex[policyId] - 1];
            if (tracked.firingReadingAt != 0 && tracked.firingReadingAt == incident.incidentTime) {
                _violate("knownIncident", "paid on cover bought after the firing reading", policyId, payout, tracked.cost);
            }
        } catch (bytes memory reason) {
            if (eligible && mustPay) _unexpected("claimIncidentPayout", reason);
            else ++calls["incidentPayoutRefused"];
        }
    }

    function _expectedIncidentPayout(uint256 policyId, uint256 incidentId)
        internal
        view
        returns (bool eligible, uint256 payout)
    {
        Incident memory incident = adjudicator.getIncident(incidentId);
        if (incident.confirmedAt == 0 || block.timestamp > incident.confirmedAt + adjudicator.incidentClaimWindow()) {
            return (false, 0);
        }
        TrackedPolicy memory tracked = _policies[_policyIndex[policyId] - 1];
        if (tracked.productId != incident.productId) return (false, 0);
        uint256 lag = registry.getSaleTerms(tracked.productId).coverageLag;
        if (incident.incidentTime <= tracked.start + lag || incident.incidentTime > tracked.end) return (false, 0);
        if (incident.incidentTime >= block.timestamp || tracked.lockBoundaryTime <= incident.reportedAt) return (false, 0);
        if (adjudicator.incidentPaid(incidentId, policyId)) return (false, 0);
        IncidentReserve memory reserve = adjudicator.incidentReserve(incidentId, address(vault));
        Policy memory policy = coverManager.getPolicy(policyId);
        payout = (policy.amount - policy.claimed) * incident.payoutWad / WAD * reserve.haircutWad / WAD;
        if (payout > reserve.reserved - reserve.paid) payout = reserve.reserved - reserve.paid;
        eligible = payout != 0;
    }

    function _fire() internal {
        (TriggerBlock reason,,) = trigger.status();
        uint256 reserveBefore = vault.pendingReserve();
        try trigger.fire() returns (uint256 id) {
            if (reason != TriggerBlock.None) _violate("trigger", "fired against its status", id, uint256(reason), 0);
            ++calls["fireTrigger"];
            if (vault.pendingReserve() > reserveBefore) _reservedNow = true;
            _incidents.push(TrackedAssertion({id: id, lastState: AssertionState.Approved, settled: true, settledRecord: 0}));
            _incidents[_incidents.length - 1].settledRecord = keccak256(abi.encode(adjudicator.getIncident(id)));
        } catch (bytes memory revertData) {
            if (reason == TriggerBlock.None) _unexpected("fireTrigger", revertData);
            else ++calls["fireRefused"];
        }
    }

    function _bookPayout(uint256 policyId, uint256 paid) internal {
        ghostPaidOn[policyId] += paid;
        ghostPaidTotal += paid;
        _paidNow = true;
        TrackedPolicy memory tracked = _policies[_policyIndex[policyId] - 1];
        if (tracked.start == block.timestamp && paid > tracked.cost) {
            _violate("sameBlock", "buy -> payout in one block", policyId, paid, tracked.cost);
        }
    }

    /// @dev The adjudicator's balance must drop by exactly what the rules send out (returned, awarded and burned).
    function _bookBonds(string memory action, uint256 id, uint256 heldBefore, uint256 out, uint256 burned) internal {
        uint256 dropped = heldBefore - asset.balanceOf(address(adjudicator));
        if (dropped != out + burned) _violate("bonds", action, id, dropped, out + burned);
        ghostBondsOut += out;
        ghostBondsBurned += burned;
    }

    function _isDue(AssertionState state, Ruling ruling, uint256 expiration, uint256 disputedAt)
        internal
        view
        returns (bool)
    {
        if (state == AssertionState.Pending) return block.timestamp >= expiration;
        if (state != AssertionState.Disputed) return false;
        return ruling != Ruling.None || block.timestamp >= disputedAt + adjudicator.arbitrationTimeout();
    }

    function _outcomeOf(AssertionState state, Ruling ruling) internal pure returns (AssertionState) {
        if (state == AssertionState.Pending || ruling == Ruling.Approve) return AssertionState.Approved;
        if (ruling == Ruling.Reject) return AssertionState.Rejected;
        return AssertionState.Drawn;
    }

    function _bondFlows(AssertionState outcome, bool disputed, uint256 bond)
        internal
        view
        returns (uint256 toFiler, uint256 toDisputer, uint256 burned)
    {
        if (!disputed) return (bond, 0, 0);
        if (outcome == AssertionState.Drawn) return (bond, bond, 0);
        burned = (bond * adjudicator.burnWad() + WAD - 1) / WAD;
        if (outcome == AssertionState.Approved) toFiler = 2 * bond - burned;
        else toDisputer = 2 * bond - burned;
    }

    // ================================================================ internals: records

    function _guardianPause(address target) internal {
        vm.prank(guardian);
        (bool ok, bytes memory reason) = target.call(abi.encodeWithSignature("pause()"));
        if (ok) ++calls["pause"];
        else _unexpected("pause", reason);
    }

    function _violateNamed(bytes32 kind, bytes32 what, uint256 id, uint256 actual, uint256 limit) internal {
        _violate(kind, _name(what), id, actual, limit);
    }

    function _violate(bytes32 kind, string memory what, uint256 id, uint256 actual, uint256 limit) internal {
        if (violated[kind]) return;
        violated[kind] = true;
        _violations[kind] = Violation({what: what, action: _action, id: id, actual: actual, limit: limit});
    }

    /// @dev Claims and incidents move one lifecycle step at a time; a settled record never changes.
    function _checkAssertionStates() internal {
        for (uint256 i; i < _claims.length; ++i) {
            TrackedAssertion storage tracked = _claims[i];
            Claim memory claim = adjudicator.getClaim(tracked.id);
            _checkStep(tracked, claim.state, keccak256(abi.encode(claim)), "claim");
        }
        for (uint256 i; i < _incidents.length; ++i) {
            TrackedAssertion storage tracked = _incidents[i];
            Incident memory incident = adjudicator.getIncident(tracked.id);
            _checkStep(tracked, incident.state, keccak256(abi.encode(incident)), "incident");
            if (incident.state == AssertionState.Approved && incident.confirmedAt == 0) {
                _violate("lifecycle", "approved incident without confirmation", tracked.id, 0, 1);
            }
            if (incident.state != AssertionState.Approved && incident.confirmedAt != 0) {
                _violate("lifecycle", "confirmation of an unapproved incident", tracked.id, uint256(incident.state), 0);
            }
        }
    }

    function _checkStep(TrackedAssertion storage tracked, AssertionState state, bytes32 record, bytes32 kind) internal {
        if (tracked.settled) {
            if (record != tracked.settledRecord) {
                _violateNamed("lifecycle", kind, tracked.id, uint256(state), uint256(tracked.lastState));
            }
            return;
        }
        if (state == tracked.lastState) return;
        if (!_isLifecycleStep(tracked.lastState, state)) {
            _violateNamed("lifecycle", kind, tracked.id, uint256(state), uint256(tracked.lastState));
        }
        tracked.lastState = state;
        if (_isFinal(state)) {
            tracked.settled = true;
            tracked.settledRecord = record;
        }
    }

    function _recordSharePrice() internal {
        lastNavBid = vault.navBid();
        lastNavAsk = vault.navAsk();
        lastSupply = vault.totalSupply();
    }

    /// @dev The navAsk price may fall only on an approved payout; the navBid price only when a reserve was taken.
    function _checkSharePrice() internal {
        uint256 navBid = vault.navBid();
        uint256 navAsk = vault.navAsk();
        uint256 supply = vault.totalSupply();
        if ((navAsk + 1) * (lastSupply + 1e6) < (lastNavAsk + 1) * (supply + 1e6) && !_paidNow) {
            _violate("askPrice", "navAsk price fell without a payout", 0, navAsk, lastNavAsk);
        }
        if ((navBid + 1) * (lastSupply + 1e6) < (lastNavBid + 1) * (supply + 1e6) && !_reservedNow) {
            _violate("bidPrice", "navBid price fell without a reserve", 0, navBid, lastNavBid);
        }
        lastNavBid = navBid;
        lastNavAsk = navAsk;
        lastSupply = supply;
    }

    function _name(bytes32 action) internal pure returns (string memory name) {
        uint256 length;
        while (length < 32 && action[length] != 0) ++length;
        name = new string(length);
        for (uint256 i; i < length; ++i) {
            bytes(name)[i] = action[i];
        }
    }
}
