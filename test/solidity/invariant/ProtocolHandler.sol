// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MockV3Aggregator} from "@chainlink/contracts/src/v0.8/tests/MockV3Aggregator.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";

import {ClaimAdjudicator} from "../../../contracts/ClaimAdjudicator.sol";
import {CommitteeArbiter} from "../../../contracts/CommitteeArbiter.sol";
import {CoverManager} from "../../../contracts/CoverManager.sol";
import {
    AssertionState, Claim, Incident, IncidentReserve, ReservePhase, Ruling
} from "../../../contracts/interfaces/IClaimAdjudicator.sol";
import {CommitteeCase} from "../../../contracts/interfaces/ICommitteeArbiter.sol";
import {ICoverManager, Policy} from "../../../contracts/interfaces/ICoverManager.sol";
import {TriggerBlock} from "../../../contracts/interfaces/IPriceFeedTrigger.sol";
import {ProductKind, SaleTerms} from "../../../contracts/interfaces/IProductRegistry.sol";
import {IUnderwriterVault, ProductTerms} from "../../../contracts/interfaces/IUnderwriterVault.sol";
import {BlocklistStablecoin} from "../../../contracts/mocks/BlocklistStablecoin.sol";
import {RevertingReceiver} from "../../../contracts/mocks/RevertingReceiver.sol";
import {PriceFeedTrigger} from "../../../contracts/PriceFeedTrigger.sol";
import {ProductRegistry} from "../../../contracts/ProductRegistry.sol";
import {UnderwriterVault} from "../../../contracts/UnderwriterVault.sol";
import {Vm} from "../utils/Vm.sol";
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
    address curator;
    address riskManager;
    uint256[] products;
    address[] members;
}

/// @notice Drives the whole protocol on one vault: entries, asynchronous exits, single and split purchases on two
/// discretionary products and one parametric product, claims (file, dispute, vote, resolve, settle, draw), incident
/// reports (report, dispute, settle, per-policy payouts, top-ups, releases), a Chainlink-driven `PriceFeedTrigger`
/// (price moves, stale readings, firing, re-arming), pause and unpause by the guardian and the admin, policy transfers
/// and time, with several actors and bounded inputs. Adversaries: exits to the zero address and to a receiver the
/// token refuses, a blocklist switched on and off for buyers, the watcher and two hostile holders (an address and a
/// contract that refuses every call), who file, dispute, report and receive payouts; and a curator and a risk manager
/// who change every term mid-case.
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

    /// @dev `terms`: the hash of the deadlines, bond and burn rate the case started with (see `_claimTerms`,
    /// `_incidentTerms`), updated only at the steps that fix more of them (a dispute, a confirmation).
    struct TrackedAssertion {
        uint256 id;
        AssertionState lastState;
        bool settled;
        bytes32 settledRecord;
        bytes32 terms;
    }

    /// @dev One incident's money as the rules assign it in the vault: the entitlements of the policies paid, what they
    /// received (payouts and top-ups), what the closing of the top-up window left unpaid of the shortfalls topped up
    /// (`forgone`), and what payouts took beyond the incident's reserve, out of free navBid.
    struct IncidentGhost {
        uint256 entitled;
        uint256 paid;
        uint256 forgone;
        uint256 freeNavDrawn;
    }

    /// @dev A share class and its entry price, before an entry.
    struct EntryState {
        uint32 epoch;
        uint256 supply;
        uint256 nav;
    }

    /// @dev Who a settlement pays which bond amounts, and what it burns.
    struct BondFlows {
        address filer;
        address disputer;
        uint256 toFiler;
        uint256 toDisputer;
        uint256 burned;
    }

    /// @dev An incident payout as the rules decide it now.
    struct IncidentQuote {
        bool eligible;
        uint256 entitled;
        uint256 payout;
        uint256 fromReserve;
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
    address public curator;
    address public riskManager;
    uint256 public parametricProduct;
    uint80 internal _round;

    uint256[] internal _products;
    address[] internal _underwriters;
    address[] internal _buyers;
    address[] internal _members;
    address public watcher;
    /// @dev Buyers and the watcher: every account a payout, a bond or a refund may go to.
    address[] internal _payees;
    /// @dev A buyer the token always refuses; the blocklist of the other payees is switched by `setBlocked`.
    address public blockedHolder;
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
    /// @dev Bonds the adjudicator owes to accounts the token refused (parked), not yet withdrawn.
    uint256 public ghostBondsParked;
    mapping(uint256 incidentId => IncidentGhost) internal _incidentGhosts;

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
        curator = wiring.curator;
        riskManager = wiring.riskManager;
        _products = wiring.products;
        _members = wiring.members;
        parametricProduct = wiring.trigger.productId();
        (_round,,,,) = wiring.feed.latestRoundData();

        _underwriters = _newActors("protocol-underwriter", 3, address(wiring.vault), address(0));
        _buyers = _newActors("protocol-buyer", 3, address(wiring.coverManager), address(wiring.adjudicator));
        // Two hostile buyers: an address the token blocks from the start, and a contract that refuses every call.
        blockedHolder = _newActors("protocol-blocked", 1, address(wiring.coverManager), address(wiring.adjudicator))[0];
        BlocklistStablecoin(address(asset)).setBlocked(blockedHolder, true);
        _buyers.push(blockedHolder);
        address revertingHolder = address(new RevertingReceiver());
        vm.label(revertingHolder, "revertingHolder");
        vm.prank(revertingHolder);
        asset.approve(address(wiring.coverManager), type(uint256).max);
        vm.prank(revertingHolder);
        asset.approve(address(wiring.adjudicator), type(uint256).max);
        _buyers.push(revertingHolder);
        watcher = _newActors("protocol-watcher", 1, address(wiring.adjudicator), address(0))[0];
        _payees = _buyers;
        _payees.push(watcher);
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
        EntryState memory entryBefore = _entryState();
        vm.prank(actor);
        try vault.mint(shares, actor) returns (uint256 paid) {
            if (vault.paused()) _violate("pause", "mint while paused", 0, 1, 0);
            _checkEntryValue(entryBefore, paid, shares);
            ghostDeposited += paid;
            _bookEntry(actor, paid, shares);
            ++calls["mint"];
        } catch (bytes memory reason) {
            // Refused only while `maxMint` says so: paused, or live cover locking more than navBid.
            if (vault.maxMint(actor) != 0) _unexpected("mint", reason);
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
        _probeRefusedExit(actor, false, assets);
        vm.prank(actor);
        try vault.withdraw(assets, actor, actor) returns (uint256 shares) {
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
        vm.recordLogs();
        vm.prank(split.buyer);
        try coverManager.multicall(data) returns (bytes[] memory results) {
            ++calls["buySplit"];
            uint256 fees = _feesBought(vm.getRecordedLogs());
            // The premiums and their fees reach the vault together; the treasury gets nothing until a sweep.
            split.premiums = asset.balanceOf(address(vault)) - vaultBefore - fees;
            split.paid = buyerBefore - asset.balanceOf(split.buyer);
            ghostPremiumPaid += split.premiums;
            ghostFeesHeld += fees;
            ghostProtocolFees += asset.balanceOf(treasury) - treasuryBefore;
            _afterSplit(split, results);
        } catch (bytes memory reason) {
            _unexpected("buySplit", reason);
        }
    }

    /// @dev The protocol fees the `CoverBought` events of a batch of purchases report.
    function _feesBought(Vm.Log[] memory logs) internal view returns (uint256 fees) {
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter != address(coverManager) || logs[i].topics[0] != ICoverManager.CoverBought.selector) {
                continue;
            }
            // Unindexed: buyer, receiver, amount, premium, protocolFee, commission, commissionRecipient, start, end.
            (,,,, uint256 fee,,,,) = abi.decode(
                logs[i].data, (address, address, uint256, uint256, uint256, uint256, address, uint256, uint256)
            );
            fees += fee;
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
        uint256 incidentTime;
        (amount, incidentTime) = _claimInputs(policy, amount, incidentSeed);
        uint256 bond = adjudicator.bondFor(address(asset), amount);
        asset.mint(filer, bond);
        uint256 before = asset.balanceOf(filer);
        uint256 reserve = _min(amount, vault.navBid());
        bool paused = adjudicator.paused();
        vm.prank(filer);
        try adjudicator.fileClaim(policy.id, amount, incidentTime, EVIDENCE) returns (uint256 claimId) {
            if (paused) _violate("pause", "fileClaim while paused", claimId, 1, 0);
            ++calls["fileClaim"];
            ghostBondsIn += before - asset.balanceOf(filer);
            _trackClaim(claimId, reserve, bond);
        } catch (bytes memory reason) {
            if (!paused) _unexpected("fileClaim", reason);
        }
    }

    /// @dev An amount within the remaining cover and an incident time in the covered window, in the past.
    function _claimInputs(TrackedPolicy memory policy, uint256 amount, uint256 incidentSeed)
        internal
        view
        returns (uint256, uint256)
    {
        Policy memory onChain = coverManager.getPolicy(policy.id);
        uint256 lag = registry.getSaleTerms(policy.productId).coverageLag;
        uint256 latest = policy.end < block.timestamp - 1 ? policy.end : block.timestamp - 1;
        return (bound(amount, 1, onChain.amount - onChain.claimed), bound(incidentSeed, policy.start + lag + 1, latest));
    }

    /// @dev A new claim must carry the provisional reserve `min(amount, navBid)` and the terms of the day, which it
    /// keeps for its whole life.
    function _trackClaim(uint256 claimId, uint256 reserve, uint256 bond) internal {
        Claim memory claim = adjudicator.getClaim(claimId);
        if (claim.reserved != 0) _reservedNow = true;
        if (claim.reserved != reserve) _violate("reserve", "claim reserve", claimId, claim.reserved, reserve);
        if (
            claim.expiration != block.timestamp + adjudicator.liveness() || claim.burnWad != adjudicator.burnWad()
                || claim.bond != bond
        ) _violate("deadlines", "claim filed with other terms than the day's", claimId, claim.expiration, 0);
        _claims.push(
            TrackedAssertion({
                id: claimId,
                lastState: AssertionState.Pending,
                settled: false,
                settledRecord: 0,
                terms: _claimTerms(claim)
            })
        );
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
            if (!_isDue(claim.state, claim.ruling, claim.expiration, claim.drawAt)) continue;
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

    /// @dev A report on a discretionary product, up to MAX_INCIDENT_AGE back. Every backing vault reserves at once
    /// `min(ceil(payoutWad * exposure), navBid)`, and the bond is `max(incidentBond, bondWad * reserved)`.
    function reportIncident(uint256 reporterSeed, uint256 productSeed, uint256 ago, uint256 payoutWad)
        external
        observed("reportIncident")
    {
        // The two discretionary products.
        uint256 productId = _products[productSeed % 2];
        // One report at a time per product: a pile of pending reports would stop its sales for the whole run.
        if (registry.getSaleTerms(productId).openIncidents != 0) return;
        address reporter = reporterSeed % 2 == 0 ? watcher : _buyers[reporterSeed % _buyers.length];
        ago = bound(ago, 1, adjudicator.MAX_INCIDENT_AGE());
        payoutWad = bound(payoutWad, 1, WAD);
        uint256 needed = _ceilDiv(vault.exposureOf(productId) * payoutWad, WAD);
        uint256 reserved = _min(needed, vault.navBid());
        uint256 bond = _max(adjudicator.incidentBond(), _ceilDiv(reserved * adjudicator.bondWad(), WAD));
        asset.mint(reporter, bond);
        uint256 before = asset.balanceOf(reporter);
        uint256 reserveBefore = vault.pendingReserve();
        bool paused = adjudicator.paused();
        vm.prank(reporter);
        try adjudicator.reportIncident(productId, block.timestamp - ago, payoutWad, EVIDENCE) returns (uint256 id) {
            if (paused) _violate("pause", "reportIncident while paused", id, 1, 0);
            ++calls["reportIncident"];
            ghostBondsIn += before - asset.balanceOf(reporter);
            if (reserved != 0) _reservedNow = true;
            IncidentReserve memory held = adjudicator.incidentReserve(id, address(vault));
            if (
                held.needed != needed || held.reserved != reserved || held.reserveLeft != reserved
                    || vault.pendingReserve() != reserveBefore + reserved
            ) _violate("reserve", "incident reserve at report", id, held.reserved, reserved);
            Incident memory incident = adjudicator.getIncident(id);
            if (
                incident.bond != bond || incident.expiration != block.timestamp + adjudicator.liveness()
                    || incident.burnWad != adjudicator.burnWad() || incident.claimWindow != adjudicator.incidentClaimWindow()
            ) _violate("deadlines", "incident reported with other terms than the day's", id, incident.bond, bond);
            _trackIncident(id, AssertionState.Pending);
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

    /// @dev A confirmation opens the claim window; a rejection or a draw gives back every reserve the report took.
    function settleIncident(uint256 incidentSeed) external observed("settleIncident") {
        uint256 count = _incidents.length;
        for (uint256 i; i < count; ++i) {
            uint256 id = _incidents[(incidentSeed + i) % count].id;
            Incident memory incident = adjudicator.getIncident(id);
            if (!_isDue(incident.state, incident.ruling, incident.expiration, incident.drawAt)) continue;
            AssertionState outcome = _outcomeOf(incident.state, incident.ruling);
            uint256 reserveBefore = vault.pendingReserve();
            uint256 released = outcome == AssertionState.Approved
                ? 0
                : adjudicator.incidentReserve(id, address(vault)).reserveLeft;
            BondFlows memory flows = _bondFlows(outcome, incident.reporter, incident.disputer, incident.burnWad, incident.bond);
            uint256 held = asset.balanceOf(address(adjudicator));
            try adjudicator.settleIncident(id) {
                ++calls["settleIncident"];
                _bookBonds("settleIncident", id, held, flows);
                if (vault.pendingReserve() != reserveBefore - released) {
                    _violate("reserve", "failed report released other than its reserve", id, vault.pendingReserve(), 0);
                }
            } catch (bytes memory reason) {
                _unexpected("settleIncident", reason);
            }
            return;
        }
    }

    /// @dev An incident payout on a random policy of a confirmed incident's product; refusals the rules allow
    /// (ineligible, already paid, nothing to pay, window closed) are not errors.
    function claimIncidentPayout(uint256 policySeed, uint256 incidentSeed) external observed("claimIncidentPayout") {
        (bool found, uint256 policyId, uint256 incidentId) = _incidentPolicy(policySeed, incidentSeed);
        if (found) _claimIncidentPayout(policyId, incidentId, true);
    }

    /// @dev A top-up on a random policy of an incident's product: paid exactly `min(shortfall * topUpWad, reserve
    /// left)` while the vault's reserve is in its top-up phase and the top-up window is open, refused otherwise.
    function claimIncidentTopUp(uint256 policySeed, uint256 incidentSeed) external observed("claimIncidentTopUp") {
        (bool found, uint256 policyId, uint256 incidentId) = _incidentPolicy(policySeed, incidentSeed);
        if (!found) return;
        Incident memory incident = adjudicator.getIncident(incidentId);
        IncidentReserve memory held = adjudicator.incidentReserve(incidentId, address(vault));
        uint256 owed = adjudicator.incidentShortfall(incidentId, policyId);
        uint256 expected;
        if (
            held.phase == ReservePhase.TopUp && owed != 0
                && block.timestamp <= uint256(incident.claimWindowEnd) + incident.claimWindow
        ) expected = _min(owed * held.topUpWad / WAD, held.reserveLeft);
        uint256 reserveBefore = vault.pendingReserve();
        try adjudicator.claimIncidentTopUp(policyId, incidentId) returns (uint256 topUp) {
            ++calls["claimIncidentTopUp"];
            if (topUp != expected) _violate("incidentPayout", "wrong top-up", policyId, topUp, expected);
            if (vault.pendingReserve() != reserveBefore - topUp) {
                _violate("incidentPayout", "top-up paid from other than its reserve", policyId, topUp, 0);
            }
            IncidentGhost storage ghost = _incidentGhosts[incidentId];
            ghost.paid += topUp;
            ghost.forgone += owed - topUp;
            _bookPayout(policyId, topUp);
        } catch (bytes memory reason) {
            if (expected != 0) _unexpected("claimIncidentTopUp", reason);
            else ++calls["topUpRefused"];
        }
    }

    /// @dev After the claim window: what no shortfall needs goes back (the rest opens top-ups); after the top-up window,
    /// whatever is left. Checked exactly against the reserve as it stood.
    function releaseIncidentReserve(uint256 incidentSeed) external observed("releaseIncidentReserve") {
        uint256 incidents = adjudicator.incidentCount();
        if (incidents == 0) return;
        uint256 incidentId = 1 + incidentSeed % incidents;
        Incident memory incident = adjudicator.getIncident(incidentId);
        if (incident.confirmedAt == 0 || block.timestamp <= incident.claimWindowEnd) return;
        IncidentReserve memory held = adjudicator.incidentReserve(incidentId, address(vault));
        bool topUpsOver = block.timestamp > uint256(incident.claimWindowEnd) + incident.claimWindow;
        // The rule: once the claim window closes, leftovers go to the policies paid short before anything returns to
        // the underwriters, and they stay set aside for them until the top-up window closes.
        // What the reserve lacks of the shortfall is first reserved out of the vault's free capital.
        uint256 kept;
        uint256 extra;
        if (held.phase == ReservePhase.Open && !topUpsOver) {
            uint256 shortfall = held.entitled - held.paid;
            if (shortfall > held.reserveLeft) extra = _min(shortfall - held.reserveLeft, vault.navBid());
            kept = _min(held.reserveLeft + extra, shortfall);
        } else if (held.phase == ReservePhase.TopUp && !topUpsOver) {
            kept = held.reserveLeft;
        }
        uint256 released = held.phase == ReservePhase.Released ? 0 : held.reserveLeft + extra - kept;
        uint256 reserveBefore = vault.pendingReserve();
        try adjudicator.releaseIncidentReserve(incidentId) {
            ++calls["releaseIncidentReserve"];
            IncidentReserve memory after_ = adjudicator.incidentReserve(incidentId, address(vault));
            if (
                vault.pendingReserve() != reserveBefore + extra - released
                    || after_.reserveLeft != held.reserveLeft + extra - released
            ) {
                _violate("incidentPayout", "release", incidentId, reserveBefore - vault.pendingReserve(), released);
            }
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

    // ================================================================ adversaries and governance

    /// @dev Switches the token's blocklist for one payee (a buyer, a hostile holder or the watcher): a receiver may
    /// start or stop refusing between the moment it is owed and the moment it is paid.
    function setBlocked(uint256 payeeSeed, bool isBlocked) external observed("setBlocked") {
        address payee = _payees[payeeSeed % _payees.length];
        if (payee == blockedHolder) return;
        BlocklistStablecoin(address(asset)).setBlocked(payee, isBlocked);
        ++calls["setBlocked"];
    }

    /// @dev A payee takes what was parked for it, in the vault and in the adjudicator, to an address the token takes.
    function withdrawParked(uint256 payeeSeed) external observed("withdrawParked") {
        address payee = _payees[payeeSeed % _payees.length];
        address to = watcher == payee ? _buyers[0] : watcher;
        if (_refuses(to)) return;
        uint256 parked = vault.parkedPayoutOf(payee);
        if (parked != 0) {
            uint256 before = asset.balanceOf(to);
            vm.prank(payee);
            try vault.withdrawParkedPayout(to) returns (uint256 amount) {
                ++calls["withdrawParkedPayout"];
                if (amount != parked || asset.balanceOf(to) != before + parked || vault.parkedPayoutOf(payee) != 0) {
                    _violate("parked", "vault parked withdrawal", uint160(payee), amount, parked);
                }
            } catch (bytes memory reason) {
                _unexpected("withdrawParkedPayout", reason);
            }
        }
        parked = adjudicator.parkedOf(address(asset), payee);
        if (parked != 0) {
            uint256 before = asset.balanceOf(to);
            vm.prank(payee);
            try adjudicator.withdrawParked(address(asset), to) returns (uint256 amount) {
                ++calls["withdrawParked"];
                ghostBondsParked -= parked;
                if (amount != parked || asset.balanceOf(to) != before + parked) {
                    _violate("parked", "adjudicator parked withdrawal", uint160(payee), amount, parked);
                }
            } catch (bytes memory reason) {
                _unexpected("withdrawParked", reason);
            }
        }
    }

    /// @dev The curator and the risk manager change a term while cases are open: a product's capacity (down or up),
    /// the cooldown, the circuit breaker, and the adjudicator's liveness, arbitration timeout, incident claim window,
    /// bond and burn rates. Each within its hard bounds must be accepted (a capacity raise past the leverage cap
    /// excepted); no case already open may see its terms move (`_checkAssertionStates`), and no capacity change may
    /// lock more capital behind cover already sold.
    function changeTerms(uint256 which, uint256 value) external observed("changeTerms") {
        which %= 8;
        if (which == 0) {
            _changeCapacity(value);
            return;
        }
        (address caller, bytes memory call) = (riskManager, "");
        if (which == 1) {
            (caller, call) = (curator, abi.encodeCall(vault.setCooldown, (bound(value, 1 days, 3 days))));
        } else if (which == 2) {
            call = abi.encodeCall(
                vault.setOutflowLimit, (bound(value, 0.05e18, 0.5e18), bound(value >> 128, 1 hours, 7 days))
            );
        } else {
            bytes32[5] memory names =
                [bytes32("liveness"), "arbitrationTimeout", "incidentClaimWindow", "bondWad", "burnWad"];
            // A timeout must outlast the committee's 3-day voting period, or a vote could not end in a ruling.
            uint256[5] memory lows = [uint256(1 hours), 3 days + 1, 7 days, 0, 0.1e18];
            uint256[5] memory highs = [uint256(5 days), 10 days, 14 days, 0.5e18, 1e18];
            uint256 i = which - 3;
            call = abi.encodeCall(adjudicator.setParameter, (names[i], bound(value, lows[i], highs[i])));
        }
        address target = which < 3 ? address(vault) : address(adjudicator);
        vm.prank(caller);
        (bool ok, bytes memory reason) = target.call(call);
        if (ok) ++calls["changeTerms"];
        else _unexpected("changeTerms", reason);
    }

    function _changeCapacity(uint256 value) internal {
        uint256 productId = _products[value % _products.length];
        ProductTerms memory terms = vault.productTerms(productId);
        uint64 capacityWad = uint64(bound(value >> 8, 0.05e18, 1e18));
        uint256 total = vault.totalCapacityWad() - terms.capacityWad + capacityWad;
        bool refused = capacityWad > terms.capacityWad && total > vault.maxLeverageWad();
        uint256[] memory lockedBefore = new uint256[](_products.length);
        for (uint256 i; i < _products.length; ++i) {
            lockedBefore[i] = vault.lockedBy(_products[i]);
        }
        terms.capacityWad = capacityWad;
        vm.prank(curator);
        try vault.setProductTerms(productId, terms) {
            if (refused) _violate("terms", "capacity raised past the leverage cap", productId, total, 0);
            ++calls["changeCapacity"];
        } catch (bytes memory reason) {
            if (!refused) _unexpected("changeCapacity", reason);
        }
        for (uint256 i; i < _products.length; ++i) {
            if (vault.lockedBy(_products[i]) != lockedBefore[i]) {
                _violate("terms", "capacity change moved the capital locked", _products[i], vault.lockedBy(_products[i]), 0);
            }
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

    function sweepProtocolFees() external observed("sweepProtocolFees") {
        _sweepProtocolFees();
    }

    /// @dev The guardian pays queued outflows past the limit (and while paused), in full and in order.
    function releaseOutflowQueue(uint256 maxEntries) external observed("releaseOutflowQueue") {
        (uint256 head, uint256 tail) = vault.outflowQueueRange();
        if (head == tail) return;
        maxEntries = bound(maxEntries, 1, 8);
        (bool ok, bytes memory result) = _drainQueue(
            guardian, abi.encodeCall(vault.releaseOutflowQueue, (maxEntries)), maxEntries, type(uint256).max
        );
        if (ok) ++calls["releaseOutflowQueue"];
        else _unexpected("releaseOutflowQueue", result);
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

    function payees() external view returns (address[] memory) {
        return _payees;
    }

    function incidentGhost(uint256 incidentId) external view returns (IncidentGhost memory) {
        return _incidentGhosts[incidentId];
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
        EntryState memory entryBefore = _entryState();
        vm.prank(actor);
        try vault.deposit(assets, actor) returns (uint256 minted) {
            if (vault.paused()) _violate("pause", "deposit while paused", 0, 1, 0);
            _checkEntryValue(entryBefore, assets, minted);
            ghostDeposited += assets;
            _bookEntry(actor, assets, minted);
            ++calls["deposit"];
        } catch (bytes memory reason) {
            // Refused only while `maxDeposit` says so: paused, or live cover locking more than navBid.
            if (vault.maxDeposit(actor) != 0) _unexpected("deposit", reason);
        }
    }

    function _redeem(address actor, uint256 shares) internal {
        uint256 max = vault.maxRedeem(actor);
        if (max == 0) {
            _probePausedExit(actor);
            return;
        }
        shares = bound(shares, 1, max);
        _probeRefusedExit(actor, true, shares);
        vm.prank(actor);
        try vault.redeem(shares, actor, actor) returns (uint256 assets) {
            ghostWithdrawn += assets;
            _checkExitPrice(actor, assets, shares);
            ++calls["redeem"];
        } catch (bytes memory reason) {
            _unexpected("redeem", reason);
        }
    }

    /// @dev Before an exit `maxRedeem`/`maxWithdraw` allow, the same exit to a receiver that cannot take it: the zero
    /// address (refused with `InvalidReceiver(0)`), or, when `seed` is odd, an account the token refuses (the
    /// transfer reverts). An exit is paid in full or refused: either way the vault, the request and the shares stay
    /// exactly as they were.
    function _probeRefusedExit(address actor, bool isRedeem, uint256 amount) internal {
        address receiver = amount % 2 == 0 ? address(0) : blockedHolder;
        bytes memory exit = isRedeem
            ? abi.encodeCall(vault.redeem, (amount, receiver, actor))
            : abi.encodeCall(vault.withdraw, (amount, receiver, actor));
        bytes32 before = _exitState(actor);
        vm.prank(actor);
        (bool ok, bytes memory reason) = address(vault).call(exit);
        if (ok) _violate("receivers", "exit paid to a receiver that cannot take it", uint160(receiver), 1, 0);
        if (
            receiver == address(0)
                && keccak256(reason) != keccak256(abi.encodeWithSelector(IUnderwriterVault.InvalidReceiver.selector, 0))
        ) _violate("receivers", "zero receiver refused with another error", 0, reason.length, 0);
        if (_exitState(actor) != before) _violate("receivers", "refused exit changed the vault", uint160(receiver), 1, 0);
        ++calls["refusedExit"];
    }

    /// @dev Everything an exit could move.
    function _exitState(address actor) internal view returns (bytes32) {
        (uint256 head, uint256 tail) = vault.outflowQueueRange();
        return keccak256(
            abi.encode(
                vault.totalSupply(),
                vault.managedAssets(),
                vault.balanceOf(actor),
                vault.redeemRequest(actor),
                asset.balanceOf(address(vault)),
                vault.recentOutflows(),
                head,
                tail
            )
        );
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

    function _entryState() internal view returns (EntryState memory) {
        return EntryState({epoch: vault.shareEpoch(), supply: vault.totalSupply(), nav: _entryNav()});
    }

    /// @dev What an entry pays for: `max(navAsk, unearnedPremium)`, so that the premium still to stream stays with the
    /// holders who bore its risk.
    function _entryNav() internal view returns (uint256) {
        return _max(vault.navAsk(), vault.unearnedPremium());
    }

    /// @dev A write-off moves no value between classes: it happens only to a class worth less than one unit per 1e18
    /// shares at the entry price, and an entry, after a loss or a write-off alike, never receives shares worth more
    /// than it paid (at the entry price right after it, the virtual offset included), beyond a unit of rounding.
    function _checkEntryValue(EntryState memory before, uint256 assets, uint256 shares) internal {
        if (vault.shareEpoch() != before.epoch) {
            ++calls["writeOff"];
            if (before.supply <= before.nav * WAD) {
                _violate("writeOff", "class with value written off", before.epoch, before.supply, before.nav);
            }
        }
        if (shares * (_entryNav() + 1) > (assets + 1) * (vault.totalSupply() + 1e6)) {
            _violate("writeOff", "entry received more than it paid", shares, assets, _entryNav());
        }
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
        BondFlows memory flows = _bondFlows(outcome, claim.filer, claim.disputer, claim.burnWad, claim.bond);
        uint256 expected;
        if (outcome == AssertionState.Approved) {
            // Decided now: the claimed amount, capped by the remaining cover and by what the vault can pay (its free
            // navBid plus the claim's own reserve).
            Policy memory policy = coverManager.getPolicy(claim.policyId);
            expected = _min(_min(claim.amount, policy.amount - policy.claimed), vault.navBid() + claim.reserved);
        }
        uint256 held = asset.balanceOf(address(adjudicator));
        try adjudicator.settleClaim(claimId) {
            ++calls["settleClaim"];
            _bookBonds("settleClaim", claimId, held, flows);
            // The amount the adjudicator assigned, as recorded: not what the receiver's balance shows.
            uint256 paid = adjudicator.getClaim(claimId).paid;
            if (paid != expected) _violate("claimPayout", "claim payout", claimId, paid, expected);
            // Beyond its reserve a payout comes out of free capital: navBid falls with it.
            if (paid > claim.reserved) _reservedNow = true;
            if (paid != 0) _bookPayout(claim.policyId, paid);
        } catch (bytes memory reason) {
            _unexpected("settleClaim", reason);
        }
    }

    /// @dev Claims `policyId`'s payout for `incidentId` and checks it against the rules (see `_quoteIncidentPayout`):
    /// an eligible policy must get exactly the quoted amount, the vault's incident reserve must move by exactly what
    /// the payout took from it, and any other call must be refused.
    function _claimIncidentPayout(uint256 policyId, uint256 incidentId, bool mustPay) internal {
        IncidentQuote memory quote = _quoteIncidentPayout(policyId, incidentId);
        Incident memory incident = adjudicator.getIncident(incidentId);
        IncidentReserve memory held = adjudicator.incidentReserve(incidentId, address(vault));
        uint256 navBid = vault.navBid();
        try adjudicator.claimIncidentPayout(policyId, incidentId) returns (uint256 payout) {
            ++calls["claimIncidentPayout"];
            if (payout > quote.entitled) {
                _violate("cover", "incident payout above the entitlement", policyId, payout, quote.entitled);
            }
            if (!quote.eligible || payout != quote.payout) {
                _violate(
                    "incidentPayout",
                    quote.eligible ? "wrong incident payout" : "ineligible policy paid",
                    policyId,
                    payout,
                    quote.payout
                );
            }
            IncidentReserve memory after_ = adjudicator.incidentReserve(incidentId, address(vault));
            if (
                after_.reserveLeft != held.reserveLeft - quote.fromReserve
                    || after_.entitled != held.entitled + quote.entitled || after_.paid != held.paid + payout
                    || adjudicator.incidentShortfall(incidentId, policyId) != quote.entitled - payout
            ) _violate("incidentPayout", "incident reserve booked other than the payout", policyId, after_.paid, payout);
            IncidentGhost storage ghost = _incidentGhosts[incidentId];
            ghost.entitled += quote.entitled;
            ghost.paid += payout;
            if (payout > quote.fromReserve) {
                // What the reserve did not cover comes out of free capital, never more than there was.
                ghost.freeNavDrawn += payout - quote.fromReserve;
                if (payout - quote.fromReserve > navBid) {
                    _violate("incidentPayout", "payout beyond reserve and free navBid", policyId, payout, navBid);
                }
                _reservedNow = true;
            }
            _bookPayout(policyId, payout);
            TrackedPolicy memory tracked = _policies[_policyIndex[policyId] - 1];
            if (tracked.firingReadingAt != 0 && tracked.firingReadingAt == incident.incidentTime) {
                _violate("knownIncident", "paid on cover bought after the firing reading", policyId, payout, tracked.cost);
            }
        } catch (bytes memory reason) {
            if (quote.eligible && mustPay) _unexpected("claimIncidentPayout", reason);
            else ++calls["incidentPayoutRefused"];
        }
    }

    /// @dev The rules of an incident payout. Eligible: the incident confirmed and its claim window (fixed at
    /// confirmation) open, the policy on its product, `start + lag < incidentTime <= end`, the incident in the past,
    /// the policy's lock not over at the report or else its claim window (pauses excluded) still open then, not paid
    /// yet. Amount: `entitled = (amount - claimed) * payoutWad` (floored), in full when the vault's reserve for the
    /// incident plus its free navBid cover what its eligible policies may still claim (`max(needed - entitled so far,
    /// entitled)`), else that pro-rata share; nothing to pay is a refusal.
    function _quoteIncidentPayout(uint256 policyId, uint256 incidentId) internal view returns (IncidentQuote memory q) {
        Incident memory incident = adjudicator.getIncident(incidentId);
        if (incident.confirmedAt == 0 || block.timestamp > incident.claimWindowEnd) return q;
        TrackedPolicy memory tracked = _policies[_policyIndex[policyId] - 1];
        if (tracked.productId != incident.productId) return q;
        SaleTerms memory terms = registry.getSaleTerms(tracked.productId);
        if (incident.incidentTime <= tracked.start + terms.coverageLag || incident.incidentTime > tracked.end) return q;
        if (incident.incidentTime >= block.timestamp) return q;
        if (tracked.lockBoundaryTime <= incident.reportedAt) {
            uint256 paused =
                adjudicator.pausedSecondsAt(incident.reportedAt) - adjudicator.pausedSecondsAt(tracked.start);
            if (incident.reportedAt - tracked.start - paused > tracked.end + terms.claimGracePeriod - tracked.start) {
                return q;
            }
        }
        if (adjudicator.incidentPaid(incidentId, policyId)) return q;
        Policy memory policy = coverManager.getPolicy(policyId);
        q.entitled = (policy.amount - policy.claimed) * incident.payoutWad / WAD;
        IncidentReserve memory held = adjudicator.incidentReserve(incidentId, address(vault));
        uint256 stillNeeded = _max(held.needed > held.entitled ? held.needed - held.entitled : 0, q.entitled);
        uint256 payable_ = held.reserveLeft + vault.navBid();
        q.payout = payable_ >= stillNeeded ? q.entitled : q.entitled * payable_ / stillNeeded;
        q.fromReserve = _min(q.payout, held.reserveLeft);
        q.eligible = q.payout != 0;
    }

    /// @dev A random tracked policy on the product of a random incident.
    function _incidentPolicy(uint256 policySeed, uint256 incidentSeed)
        internal
        view
        returns (bool found, uint256 policyId, uint256 incidentId)
    {
        uint256 incidents = adjudicator.incidentCount();
        if (incidents == 0 || _policies.length == 0) return (false, 0, 0);
        incidentId = 1 + incidentSeed % incidents;
        uint256 productId = adjudicator.getIncident(incidentId).productId;
        uint256 count = _policies.length;
        for (uint256 i; i < count; ++i) {
            TrackedPolicy memory policy = _policies[(policySeed + i) % count];
            if (policy.productId == productId) return (true, policy.id, incidentId);
        }
    }

    function _fire() internal {
        (TriggerBlock reason,,) = trigger.status();
        uint256 reserveBefore = vault.pendingReserve();
        try trigger.fire() returns (uint256 id) {
            if (reason != TriggerBlock.None) _violate("trigger", "fired against its status", id, uint256(reason), 0);
            ++calls["fireTrigger"];
            if (vault.pendingReserve() > reserveBefore) _reservedNow = true;
            Incident memory incident = adjudicator.getIncident(id);
            if (incident.claimWindowEnd != block.timestamp + incident.claimWindow) {
                _violate("deadlines", "parametric claim window", id, incident.claimWindowEnd, incident.claimWindow);
            }
            _trackIncident(id, AssertionState.Approved);
        } catch (bytes memory revertData) {
            if (reason == TriggerBlock.None) _unexpected("fireTrigger", revertData);
            else ++calls["fireRefused"];
        }
    }

    /// @dev Tracks a new incident: a parametric one is born settled, so its whole record must never change.
    function _trackIncident(uint256 id, AssertionState state) internal {
        Incident memory incident = adjudicator.getIncident(id);
        bool settled = _isFinal(state);
        _incidents.push(
            TrackedAssertion({
                id: id,
                lastState: state,
                settled: settled,
                settledRecord: settled ? keccak256(abi.encode(incident)) : bytes32(0),
                terms: _incidentTerms(incident)
            })
        );
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

    /// @dev The adjudicator's balance must drop by exactly what the rules send out (returned, awarded and burned),
    /// less what it parked for a party the token refuses, which must show in that party's parked balance.
    function _bookBonds(string memory action, uint256 id, uint256 heldBefore, BondFlows memory flows) internal {
        uint256 dropped = heldBefore - asset.balanceOf(address(adjudicator));
        uint256 out = flows.toFiler + flows.toDisputer;
        uint256 parked = (_refuses(flows.filer) ? flows.toFiler : 0) + (_refuses(flows.disputer) ? flows.toDisputer : 0);
        if (dropped + parked != out + flows.burned) _violate("bonds", action, id, dropped, out + flows.burned - parked);
        ghostBondsOut += out;
        ghostBondsBurned += flows.burned;
        ghostBondsParked += parked;
    }

    /// @dev Due: undisputed at the expiration; disputed once ruled, or as a draw at `drawAt`, fixed at the dispute.
    function _isDue(AssertionState state, Ruling ruling, uint256 expiration, uint256 drawAt)
        internal
        view
        returns (bool)
    {
        if (state == AssertionState.Pending) return block.timestamp >= expiration;
        if (state != AssertionState.Disputed) return false;
        return ruling != Ruling.None || block.timestamp >= drawAt;
    }

    function _outcomeOf(AssertionState state, Ruling ruling) internal pure returns (AssertionState) {
        if (state == AssertionState.Pending || ruling == Ruling.Approve) return AssertionState.Approved;
        if (ruling == Ruling.Reject) return AssertionState.Rejected;
        return AssertionState.Drawn;
    }

    /// @dev The bond rules, at the burn rate the case started with.
    function _bondFlows(AssertionState outcome, address filer, address disputer, uint256 caseBurnWad, uint256 bond)
        internal
        pure
        returns (BondFlows memory flows)
    {
        (flows.filer, flows.disputer) = (filer, disputer);
        if (disputer == address(0)) {
            flows.toFiler = bond;
        } else if (outcome == AssertionState.Drawn) {
            (flows.toFiler, flows.toDisputer) = (bond, bond);
        } else {
            flows.burned = (bond * caseBurnWad + WAD - 1) / WAD;
            if (outcome == AssertionState.Approved) flows.toFiler = 2 * bond - flows.burned;
            else flows.toDisputer = 2 * bond - flows.burned;
        }
    }

    /// @dev What fixes a claim's life once filed (and, once disputed, its draw time).
    function _claimTerms(Claim memory claim) internal pure returns (bytes32) {
        return keccak256(abi.encode(claim.expiration, claim.burnWad, claim.bond, claim.drawAt));
    }

    /// @dev What fixes an incident's life once reported (and its draw time once disputed, its claim window's end
    /// once confirmed).
    function _incidentTerms(Incident memory incident) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                incident.expiration,
                incident.burnWad,
                incident.bond,
                incident.claimWindow,
                incident.drawAt,
                incident.claimWindowEnd
            )
        );
    }

    function _refuses(address account) internal view override returns (bool) {
        return account != address(0) && BlocklistStablecoin(address(asset)).blocked(account);
    }

    function _min(uint256 a, uint256 b) internal pure returns (uint256) {
        return a < b ? a : b;
    }

    function _max(uint256 a, uint256 b) internal pure returns (uint256) {
        return a > b ? a : b;
    }

    function _ceilDiv(uint256 a, uint256 b) internal pure returns (uint256) {
        return (a + b - 1) / b;
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

    /// @dev Claims and incidents move one lifecycle step at a time; a settled record never changes; the terms a case
    /// started with never move, whatever governance changed since: a dispute fixes its draw time at
    /// `now + arbitrationTimeout`, a confirmation its claim window's end at `now + claimWindow`, and nothing else does.
    function _checkAssertionStates() internal {
        uint256 timeout = adjudicator.arbitrationTimeout();
        for (uint256 i; i < _claims.length; ++i) {
            TrackedAssertion storage tracked = _claims[i];
            Claim memory claim = adjudicator.getClaim(tracked.id);
            if (tracked.lastState == AssertionState.Pending && claim.state == AssertionState.Disputed) {
                if (claim.disputedAt != block.timestamp || claim.drawAt != block.timestamp + timeout) {
                    _violate("deadlines", "claim dispute's draw time", tracked.id, claim.drawAt, block.timestamp + timeout);
                }
                tracked.terms = _claimTerms(claim);
            }
            if (_claimTerms(claim) != tracked.terms) _violate("deadlines", "claim terms moved", tracked.id, claim.expiration, 0);
            _checkStep(tracked, claim.state, keccak256(abi.encode(claim)), "claim");
        }
        for (uint256 i; i < _incidents.length; ++i) {
            TrackedAssertion storage tracked = _incidents[i];
            Incident memory incident = adjudicator.getIncident(tracked.id);
            if (tracked.lastState == AssertionState.Pending && incident.state == AssertionState.Disputed) {
                if (incident.disputedAt != block.timestamp || incident.drawAt != block.timestamp + timeout) {
                    _violate("deadlines", "incident dispute's draw time", tracked.id, incident.drawAt, 0);
                }
                tracked.terms = _incidentTerms(incident);
            }
            if (!tracked.settled && incident.state == AssertionState.Approved) {
                if (incident.confirmedAt != block.timestamp || incident.claimWindowEnd != block.timestamp + incident.claimWindow) {
                    _violate("deadlines", "incident claim window's end", tracked.id, incident.claimWindowEnd, 0);
                }
                tracked.terms = _incidentTerms(incident);
            }
            if (_incidentTerms(incident) != tracked.terms) {
                _violate("deadlines", "incident terms moved", tracked.id, incident.expiration, 0);
            }
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
