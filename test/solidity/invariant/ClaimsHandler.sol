// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";

import {ClaimAdjudicator} from "../../../contracts/ClaimAdjudicator.sol";
import {CommitteeArbiter} from "../../../contracts/CommitteeArbiter.sol";
import {CoverManager} from "../../../contracts/CoverManager.sol";
import {AssertionState, Claim, Ruling} from "../../../contracts/interfaces/IClaimAdjudicator.sol";
import {CommitteeCase} from "../../../contracts/interfaces/ICommitteeArbiter.sol";
import {Policy} from "../../../contracts/interfaces/ICoverManager.sol";
import {SaleTerms} from "../../../contracts/interfaces/IProductRegistry.sol";
import {UnderwriterVault} from "../../../contracts/UnderwriterVault.sol";
import {ProtocolHandlerBase} from "./ProtocolHandlerBase.sol";

/// @notice Drives the optimistic claim process end to end (cover sales, claims, disputes, committee votes and
/// rulings, settlements) next to the vault's own flows (entries, asynchronous exits, time), on one vault and one
/// discretionary product, keeping ghost books the invariants compare the contracts against.
/// @dev Same discipline as VaultHandler: actors act through `vm.prank`, the handler holds no role, and every action is
/// bounded so the protocol must accept it (a claim within the policy's remaining cover and covered window, a dispute
/// before the liveness ends, a vote by an eligible member on an undecided case, a settlement once it is due): an
/// unexpected refusal is recorded, since `failOnRevert: false` would otherwise hide it. Each action also checks on the
/// spot what only the moment can show (the exact bond and payout flows of a settlement, which address received them,
/// the share price before and after) and records any violation in ghost state for the invariants to assert.
contract ClaimsHandler is ProtocolHandlerBase {
    /// @dev A policy as the handler bought it; its remaining cover locks capital until `lockBoundaryTime`.
    struct TrackedPolicy {
        uint256 id;
        uint256 amount;
        uint256 start;
        uint256 end;
        uint256 lockBoundaryTime;
    }

    /// @dev A claim as the handler filed it, with the lifecycle it has been seen going through.
    struct TrackedClaim {
        uint256 id;
        uint256 policyId;
        AssertionState lastState;
        /// @dev 0: no ruling delivered; 1: the committee approved; 2: it rejected.
        uint8 deliveredRuling;
        bool settled;
        /// @dev The claim record right after settlement: nothing in it may change afterwards.
        bytes32 settledRecord;
    }

    /// @dev Balances around one action, so flows are measured rather than assumed.
    struct Balances {
        uint256 adjudicator;
        uint256 treasury;
        uint256 vault;
        uint256 filer;
        uint256 disputer;
        uint256 receiver;
        uint256 queued;
    }

    /// @dev A filing in progress: its inputs and what it must do.
    struct Filing {
        address filer;
        uint256 policyId;
        uint256 amount;
        uint256 incidentTime;
        uint256 bond;
        uint256 expectedReserve;
        uint256 reserveBefore;
        uint256 filerBefore;
        uint256 adjudicatorBefore;
    }

    /// @dev What a settlement must do, worked out from the claim record before it runs.
    struct ExpectedSettlement {
        AssertionState outcome;
        uint256 payout;
        uint256 toFiler;
        uint256 toDisputer;
        uint256 burned;
        address receiver;
    }

    /// @dev The first violation of each kind, for the invariants' messages.
    struct Mismatch {
        string what;
        uint256 claimId;
        uint256 actual;
        uint256 expected;
    }

    struct Transition {
        string what;
        bytes32 action;
        uint256 claimId;
        AssertionState from;
        AssertionState to;
    }

    struct PriceFall {
        string nav;
        bytes32 action;
        uint256 navBefore;
        uint256 supplyBefore;
        uint256 navAfter;
        uint256 supplyAfter;
    }

    uint256 internal constant MIN_WARP = 1 hours;
    uint256 internal constant MAX_WARP = 5 days;
    string internal constant EVIDENCE = "ipfs://evidence";

    /// @dev Storage, not immutables (see ProtocolHandlerBase).
    ClaimAdjudicator public adjudicator;
    CommitteeArbiter public arbiter;
    uint256 public productId;
    uint256 public minPeriod;
    uint256 public maxPeriod;
    uint256 public coverageLag;
    uint256 public claimGracePeriod;

    address[] internal _underwriters;
    address[] internal _buyers;
    address public watcher;
    address[] internal _members;
    TrackedPolicy[] internal _policies;
    TrackedClaim[] internal _claims;
    /// @dev Index + 1 in `_claims`, by claim id.
    mapping(uint256 claimId => uint256) internal _claimIndex;

    // ---------------------------------------------------------------- ghost books (vault ledger in ProtocolHandlerBase)

    /// @dev Bonds that left the filers and disputers for the adjudicator.
    uint256 public ghostBondsIn;
    /// @dev Bonds the adjudicator returned or awarded to filers and disputers.
    uint256 public ghostBondsOut;
    /// @dev Bonds the adjudicator burned to the treasury.
    uint256 public ghostBondsBurned;
    /// @dev What the vault was assigned to pay on each policy (the settled claim's `paid`), and in total.
    mapping(uint256 policyId => uint256) public ghostPaidOn;
    uint256 public ghostPaidTotal;

    /// @dev A filing, dispute or settlement that moved other amounts, to other addresses, than the rules say.
    bool public flowMismatch;
    Mismatch internal mismatch;

    /// @dev A claim seen moving between states the lifecycle does not allow, or a settled claim whose record changed.
    bool public illegalTransition;
    Transition internal transition;

    /// @dev Share price as (navBid + 1) / (totalSupply + 1e6) (what exits and the ERC-4626 conversions use), and the
    /// same with navAsk (what entries use; it excludes only unearned premium, so reserves do not move it). Pairs,
    /// compared by cross-multiplication: no rounding to tolerate.
    uint256 public lastNavBid;
    uint256 public lastNavAsk;
    uint256 public lastSupply;
    /// @dev The navBid price fell in an action that neither reserved for a claim nor paid one beyond its reserve.
    bool public bidPriceFellOutsideClaims;
    /// @dev The navAsk price fell in an action that did not pay an approved claim.
    bool public askPriceFellOutsidePayout;
    PriceFall internal fall;
    /// @dev Set by the running action: what it may legitimately do to the share price.
    /// @dev The action took from navBid: a filing's reserve, or a payout beyond the reserve it released.
    bool internal _reservedForClaim;
    bool internal _paidClaim;
    bytes32 internal _currentAction;

    constructor(
        UnderwriterVault vault_,
        CoverManager coverManager_,
        ClaimAdjudicator adjudicator_,
        CommitteeArbiter arbiter_,
        uint256 productId_,
        address[] memory members_
    ) {
        _initBase(vault_, coverManager_);
        adjudicator = adjudicator_;
        arbiter = arbiter_;
        productId = productId_;
        SaleTerms memory terms = coverManager_.registry().getSaleTerms(productId_);
        minPeriod = terms.minPeriod;
        maxPeriod = terms.maxPeriod;
        coverageLag = terms.coverageLag;
        claimGracePeriod = terms.claimGracePeriod;
        _members = members_;

        _underwriters = _newActors("claims-underwriter", 3, address(vault_), address(0));
        _buyers = _newActors("claims-buyer", 3, address(coverManager_), address(adjudicator_));
        watcher = address(uint160(uint256(keccak256("claims-watcher"))));
        vm.label(watcher, "watcher");
        vm.prank(watcher);
        asset.approve(address(adjudicator_), type(uint256).max);

        _recordSharePrice();
    }

    /// @dev Every action ends by checking the share price against the one the previous action left and by reading
    /// every claim's state (early returns included: a modifier's tail runs after `return`).
    modifier observed(bytes32 action) {
        _begin(action);
        _;
        _checkSharePrice();
        _checkClaimStates();
    }

    // ================================================================ underwriters

    function deposit(uint256 actorSeed, uint256 assets) external observed("deposit") {
        address actor = _underwriters[actorSeed % _underwriters.length];
        assets = bound(assets, 1, MAX_DEPOSIT);
        // No entry while live cover locks more than navBid (`maxDeposit` is 0 then).
        if (vault.previewDeposit(assets) == 0 || vault.maxDeposit(actor) == 0) return;
        asset.mint(actor, assets);
        vm.prank(actor);
        try vault.deposit(assets, actor) {
            ghostDeposited += assets;
            ++calls["deposit"];
        } catch (bytes memory reason) {
            _unexpected("deposit", reason);
        }
    }

    function requestRedeem(uint256 actorSeed, uint256 shares) external observed("requestRedeem") {
        address actor = _underwriters[actorSeed % _underwriters.length];
        uint256 balance = vault.balanceOf(actor);
        if (balance == 0) return;
        shares = bound(shares, 1, balance);
        vm.prank(actor);
        try vault.requestRedeem(shares, actor, actor) {
            ++calls["requestRedeem"];
        } catch (bytes memory reason) {
            _unexpected("requestRedeem", reason);
        }
    }

    /// @dev Anything up to `maxRedeem` must go through, pending claims or not: reserves are already out of navBid.
    function redeem(uint256 actorSeed, uint256 shares) external observed("redeem") {
        address actor = _underwriters[actorSeed % _underwriters.length];
        uint256 max = vault.maxRedeem(actor);
        if (max == 0) return;
        shares = bound(shares, 1, max);
        vm.prank(actor);
        try vault.redeem(shares, actor, actor) returns (uint256 assets) {
            ghostWithdrawn += assets;
            ++calls["redeem"];
        } catch (bytes memory reason) {
            _unexpected("redeem", reason);
        }
    }

    function processOutflowQueue(uint256 maxEntries) external observed("processOutflowQueue") {
        _processOutflowQueue(maxEntries);
    }

    function sweepProtocolFees() external observed("sweepProtocolFees") {
        _sweepProtocolFees();
    }

    // ================================================================ cover

    /// @dev Cover within the free capacity, at exactly the quoted price.
    function buyCover(uint256 buyerSeed, uint256 amount, uint256 period) external observed("buyCover") {
        uint256 capacity = vault.capacityOf(productId);
        uint256 exposure = vault.exposureOf(productId);
        if (capacity <= exposure) return;
        uint256 free = capacity - exposure;
        // One purchase in four may take all the free capacity, the rest at most a quarter of it.
        amount = bound(amount, 1, amount % 4 == 0 ? free : (free + 3) / 4);
        period = bound(period, minPeriod, maxPeriod);
        _purchase(_buyers[buyerSeed % _buyers.length], amount, period);
    }

    /// @dev Buys at exactly the quoted price (ProtocolHandlerBase books the flows) and tracks the policy.
    function _purchase(address buyer, uint256 amount, uint256 period) internal {
        (bool ok, uint256 policyId,) = _purchase(buyer, productId, amount, period);
        if (!ok) return;
        _policies.push(
            TrackedPolicy({
                id: policyId,
                amount: amount,
                start: block.timestamp,
                end: block.timestamp + period,
                lockBoundaryTime: _lockBoundaryTime(block.timestamp + period, claimGracePeriod)
            })
        );
    }

    /// @dev Policies change hands: the payout follows the NFT, the bond stays with whoever posted it.
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

    /// @dev A claim by a buyer on one of the policies it owns, for an amount in [1, remaining] and an incident in
    /// the covered window (strictly after `start + coverageLag`, up to `end`, in the past), while the claim window is open and no other
    /// claim on the policy is being decided: the adjudicator must take it.
    function fileClaim(uint256 actorSeed, uint256 policySeed, uint256 amount, uint256 incidentSeed)
        external
        observed("fileClaim")
    {
        Filing memory filing;
        bool found;
        TrackedPolicy memory policy;
        // The chosen buyer, or the next one that holds a claimable policy.
        for (uint256 i; i < _buyers.length && !found; ++i) {
            filing.filer = _buyers[(actorSeed + i) % _buyers.length];
            (found, policy) = _claimablePolicyOf(filing.filer, policySeed);
        }
        if (!found) return;
        filing.policyId = policy.id;
        Policy memory onChain = coverManager.getPolicy(policy.id);
        filing.amount = bound(amount, 1, onChain.amount - onChain.claimed);
        uint256 latest = policy.end < block.timestamp - 1 ? policy.end : block.timestamp - 1;
        filing.incidentTime = bound(incidentSeed, policy.start + coverageLag + 1, latest);

        filing.bond = adjudicator.bondFor(address(asset), filing.amount);
        asset.mint(filing.filer, filing.bond);
        uint256 navBid = vault.navBid();
        filing.expectedReserve = filing.amount < navBid ? filing.amount : navBid;
        filing.reserveBefore = vault.pendingReserve();
        filing.filerBefore = asset.balanceOf(filing.filer);
        filing.adjudicatorBefore = asset.balanceOf(address(adjudicator));
        vm.prank(filing.filer);
        try adjudicator.fileClaim(filing.policyId, filing.amount, filing.incidentTime, EVIDENCE) returns (
            uint256 claimId
        ) {
            ++calls["fileClaim"];
            _afterFiling(claimId, filing);
        } catch (bytes memory reason) {
            _unexpected("fileClaim", reason);
        }
    }

    /// @dev A pending claim, before its liveness ends, disputed by the watcher, or now and then by a buyer (possibly
    /// the filer itself: a self-dispute must cost it the burn).
    function disputeClaim(uint256 disputerSeed, uint256 claimSeed) external observed("disputeClaim") {
        (bool found, Claim memory claim, uint256 claimId) = _findClaim(claimSeed, _isDisputable);
        if (!found) return;
        address disputer = disputerSeed % 3 != 0 ? watcher : _buyers[(disputerSeed / 3) % _buyers.length];

        asset.mint(disputer, claim.bond);
        uint256 disputerBefore = asset.balanceOf(disputer);
        uint256 adjudicatorBefore = asset.balanceOf(address(adjudicator));
        vm.prank(disputer);
        try adjudicator.disputeClaim(claimId) {
            ++calls["disputeClaim"];
            uint256 pulled = disputerBefore - asset.balanceOf(disputer);
            ghostBondsIn += pulled;
            if (pulled != claim.bond || asset.balanceOf(address(adjudicator)) - adjudicatorBefore != claim.bond) {
                _flowMismatch("disputeClaim: bond pulled", claimId, pulled, claim.bond);
            }
        } catch (bytes memory reason) {
            _unexpected("disputeClaim", reason);
        }
    }

    /// @dev A member who has not voted yet votes on an undecided case whose vote is still open.
    function castVote(uint256 memberSeed, uint256 claimSeed, bool approve) external observed("castVote") {
        (bool found,, uint256 claimId) = _findClaim(claimSeed, _isVotable);
        if (!found) return;
        uint256 caseId = adjudicator.getClaim(claimId).caseId;
        address member;
        for (uint256 i; i < _members.length; ++i) {
            address candidate = _members[(memberSeed + i) % _members.length];
            if (!arbiter.hasVoted(caseId, candidate)) {
                member = candidate;
                break;
            }
        }
        if (member == address(0)) return;
        vm.prank(member);
        try arbiter.castVote(caseId, approve) {
            ++calls["castVote"];
        } catch (bytes memory reason) {
            _unexpected("castVote", reason);
        }
    }

    /// @dev Delivers the ruling of a case where one side reached the quorum (anyone may, at any time). While the claim
    /// is disputed the adjudicator must take it; once the claim was settled as a draw it must refuse it (a late ruling
    /// changes nothing), which the claim-state check enforces: a delivery into a settled claim would alter its record.
    function resolve(uint256 claimSeed) external observed("resolve") {
        (bool found, Claim memory claim, uint256 claimId) = _findClaim(claimSeed, _isResolvable);
        if (!found) return;
        CommitteeCase memory committeeCase = arbiter.getCase(claim.caseId);
        bool approved = committeeCase.approvals >= committeeCase.quorum;
        if (claim.state != AssertionState.Disputed) {
            try arbiter.resolve(claim.caseId) {
                ++calls["lateRulingDelivered"];
            } catch {
                ++calls["lateRulingRefused"];
            }
            return;
        }
        try arbiter.resolve(claim.caseId) {
            ++calls["resolve"];
            _claims[_claimIndex[claimId] - 1].deliveredRuling = approved ? 1 : 2;
        } catch (bytes memory reason) {
            _unexpected("resolve", reason);
        }
    }

    /// @dev Settles a claim that is due: undisputed after its liveness, disputed once ruled or after the arbitration
    /// timeout. Checks the outcome, the payout and every bond against the rules, per receiving address.
    function settleClaim(uint256 claimSeed) external observed("settleClaim") {
        (bool found, Claim memory claim, uint256 claimId) = _findClaim(claimSeed, _isSettleable);
        if (!found) return;
        // Every outflow pays queued entries ahead of itself: with the queue empty, this settlement's flows are its own
        // (what it queues is exactly its payout's deferred part).
        (uint256 head, uint256 tail) = vault.outflowQueueRange();
        if (head != tail) vault.releaseOutflowQueue(tail - head);
        ExpectedSettlement memory expected = _expectedSettlement(claim);
        Balances memory before = _balances(claim, expected.receiver);
        try adjudicator.settleClaim(claimId) {
            ++calls["settleClaim"];
            ++calls[_stateName(expected.outcome)];
            _afterSettlement(claimId, claim, expected, before);
        } catch (bytes memory reason) {
            _unexpected("settleClaim", reason);
        }
    }

    // ================================================================ time

    function warp(uint256 seconds_) external observed("warp") {
        seconds_ = bound(seconds_, MIN_WARP, MAX_WARP);
        vm.warp(block.timestamp + seconds_);
        ++calls["warp"];
    }

    // ================================================================ views for the invariants

    function underwriters() external view returns (address[] memory) {
        return _underwriters;
    }

    function policyCount() external view returns (uint256) {
        return _policies.length;
    }

    function policyIdAt(uint256 index) external view returns (uint256) {
        return _policies[index].id;
    }

    function firstMismatch() external view returns (Mismatch memory) {
        return mismatch;
    }

    function firstIllegalTransition() external view returns (Transition memory) {
        return transition;
    }

    function firstPriceFall() external view returns (PriceFall memory) {
        return fall;
    }

    function claimCount() external view returns (uint256) {
        return _claims.length;
    }

    /// @notice The remaining cover (amount - claimed) of the policies whose lock has not reached its grid boundary.
    function liveCover() external view returns (uint256 total) {
        for (uint256 i; i < _policies.length; ++i) {
            TrackedPolicy memory policy = _policies[i];
            if (block.timestamp < policy.lockBoundaryTime) {
                total += policy.amount - coverManager.getPolicy(policy.id).claimed;
            }
        }
    }

    // ================================================================ internals: claims

    function _claimablePolicyOf(address actor, uint256 seed)
        internal
        view
        returns (bool found, TrackedPolicy memory policy)
    {
        uint256 count = _policies.length;
        for (uint256 i; i < count; ++i) {
            policy = _policies[(seed + i) % count];
            if (IERC721(address(coverManager)).ownerOf(policy.id) != actor) continue;
            if (block.timestamp <= policy.start || block.timestamp > policy.end + claimGracePeriod) continue;
            // The covered window (start + lag, min(end, now - 1)] must be non-empty.
            if (policy.start + coverageLag >= policy.end || policy.start + coverageLag + 1 >= block.timestamp) continue;
            if (adjudicator.openClaimOf(policy.id) != 0) continue;
            Policy memory onChain = coverManager.getPolicy(policy.id);
            if (onChain.claimed >= onChain.amount) continue;
            return (true, policy);
        }
    }

    /// @dev The first claim from a random starting point satisfying `predicate`.
    function _findClaim(uint256 seed, function(Claim memory) internal view returns (bool) predicate)
        internal
        view
        returns (bool found, Claim memory claim, uint256 claimId)
    {
        uint256 count = _claims.length;
        for (uint256 i; i < count; ++i) {
            claimId = _claims[(seed + i) % count].id;
            claim = adjudicator.getClaim(claimId);
            if (predicate(claim)) return (true, claim, claimId);
        }
    }

    function _isDisputable(Claim memory claim) internal view returns (bool) {
        return claim.state == AssertionState.Pending && block.timestamp < claim.expiration;
    }

    function _isVotable(Claim memory claim) internal view returns (bool) {
        if (claim.state != AssertionState.Disputed) return false;
        CommitteeCase memory committeeCase = arbiter.getCase(claim.caseId);
        return !committeeCase.resolved && committeeCase.approvals < committeeCase.quorum
            && committeeCase.rejections < committeeCase.quorum && block.timestamp < committeeCase.deadline;
    }

    /// @dev Any claim ever disputed whose case is decided and not delivered, whatever the claim's state since.
    function _isResolvable(Claim memory claim) internal view returns (bool) {
        if (claim.disputer == address(0)) return false;
        CommitteeCase memory committeeCase = arbiter.getCase(claim.caseId);
        return !committeeCase.resolved
            && (committeeCase.approvals >= committeeCase.quorum || committeeCase.rejections >= committeeCase.quorum);
    }

    function _isSettleable(Claim memory claim) internal view returns (bool) {
        if (claim.state == AssertionState.Pending) return block.timestamp >= claim.expiration;
        if (claim.state != AssertionState.Disputed) return false;
        // The draw time was fixed when the dispute began.
        return claim.ruling != Ruling.None || block.timestamp >= claim.drawAt;
    }

    function _expectedSettlement(Claim memory claim) internal view returns (ExpectedSettlement memory expected) {
        if (claim.state == AssertionState.Pending || claim.ruling == Ruling.Approve) {
            expected.outcome = AssertionState.Approved;
        } else if (claim.ruling == Ruling.Reject) {
            expected.outcome = AssertionState.Rejected;
        } else {
            expected.outcome = AssertionState.Drawn;
        }
        expected.receiver = IERC721(address(coverManager)).ownerOf(claim.policyId);
        if (expected.outcome == AssertionState.Approved) {
            // Decided at settlement: the claimed amount, capped by the remaining cover and by what the vault can pay
            // (its free navBid plus the claim's own reserve).
            Policy memory policy = coverManager.getPolicy(claim.policyId);
            expected.payout = _min(_min(claim.amount, policy.amount - policy.claimed), vault.navBid() + claim.reserved);
        }
        uint256 bond = claim.bond;
        if (claim.disputer == address(0)) {
            expected.toFiler = bond;
        } else if (expected.outcome == AssertionState.Drawn) {
            (expected.toFiler, expected.toDisputer) = (bond, bond);
        } else {
            // At the burn rate fixed when the claim was filed.
            expected.burned = (bond * claim.burnWad + WAD - 1) / WAD;
            if (expected.outcome == AssertionState.Approved) expected.toFiler = 2 * bond - expected.burned;
            else expected.toDisputer = 2 * bond - expected.burned;
        }
    }

    /// @dev Books the bond the filing pulled, checks the record and the reserve, and starts tracking the claim.
    function _afterFiling(uint256 claimId, Filing memory filing) internal {
        uint256 pulled = filing.filerBefore - asset.balanceOf(filing.filer);
        ghostBondsIn += pulled;
        if (pulled != filing.bond || asset.balanceOf(address(adjudicator)) - filing.adjudicatorBefore != filing.bond) {
            _flowMismatch("fileClaim: bond pulled", claimId, pulled, filing.bond);
        }
        Claim memory claim = adjudicator.getClaim(claimId);
        if (
            claim.reserved != filing.expectedReserve
                || vault.pendingReserve() != filing.reserveBefore + filing.expectedReserve
        ) _flowMismatch("fileClaim: reserve", claimId, claim.reserved, filing.expectedReserve);
        if (
            claim.amount != filing.amount || claim.bond != filing.bond || claim.filer != filing.filer
                || claim.policyId != filing.policyId || claim.incidentTime != filing.incidentTime
        ) _flowMismatch("fileClaim: record", claimId, claim.amount, filing.amount);
        if (claim.reserved != 0) _reservedForClaim = true;
        _claimIndex[claimId] = _claims.length + 1;
        _claims.push(
            TrackedClaim({
                id: claimId,
                policyId: filing.policyId,
                lastState: AssertionState.Pending,
                deliveredRuling: 0,
                settled: false,
                settledRecord: bytes32(0)
            })
        );
    }

    function _balances(Claim memory claim, address receiver) internal view returns (Balances memory balances) {
        balances.adjudicator = asset.balanceOf(address(adjudicator));
        balances.treasury = asset.balanceOf(treasury);
        balances.vault = asset.balanceOf(address(vault));
        balances.filer = asset.balanceOf(claim.filer);
        balances.disputer = claim.disputer == address(0) ? 0 : asset.balanceOf(claim.disputer);
        balances.receiver = asset.balanceOf(receiver);
        balances.queued = vault.queuedOutflowAssets();
    }

    /// @dev Books the measured flows and compares them, per address, with what the rules say.
    function _afterSettlement(
        uint256 claimId,
        Claim memory claim,
        ExpectedSettlement memory expected,
        Balances memory before
    ) internal {
        Balances memory afterwards = _balances(claim, expected.receiver);
        Claim memory settled = adjudicator.getClaim(claimId);
        // The books take the amount the vault was assigned (the claim's record); the circuit breaker may transfer
        // part of it later, from the vault's queue.
        uint256 assigned = settled.paid;
        uint256 transferred = before.vault - afterwards.vault;
        uint256 queuedPayout = afterwards.queued - before.queued;
        uint256 burned = afterwards.treasury - before.treasury;
        // What the parties gained, each distinct address counted once: bonds back or won, plus the payout.
        uint256 gained = afterwards.filer - before.filer;
        if (claim.disputer != address(0) && claim.disputer != claim.filer) {
            gained += afterwards.disputer - before.disputer;
        }
        if (expected.receiver != claim.filer && expected.receiver != claim.disputer) {
            gained += afterwards.receiver - before.receiver;
        }
        ghostBondsOut += gained - transferred;
        ghostBondsBurned += burned;
        ghostPaidOn[claim.policyId] += assigned;
        ghostPaidTotal += assigned;
        if (assigned != 0) _paidClaim = true;
        // A payout beyond the claim's reserve comes out of free capital, so navBid falls with it.
        if (assigned > claim.reserved) _reservedForClaim = true;

        if (settled.state != expected.outcome) {
            _flowMismatch("settleClaim: outcome", claimId, uint256(settled.state), uint256(expected.outcome));
        }
        TrackedClaim storage tracked = _claims[_claimIndex[claimId] - 1];
        if (
            claim.disputer != address(0) && tracked.deliveredRuling != 0
                && (tracked.deliveredRuling == 1) != (expected.outcome == AssertionState.Approved)
        ) _flowMismatch("settleClaim: outcome against the committee's ruling", claimId, tracked.deliveredRuling, 0);
        if (assigned != expected.payout) _flowMismatch("settleClaim: payout assigned", claimId, assigned, expected.payout);
        if (transferred + queuedPayout != assigned) {
            _flowMismatch("settleClaim: payout transferred or queued", claimId, transferred + queuedPayout, assigned);
        }
        if (burned != expected.burned) _flowMismatch("settleClaim: burned", claimId, burned, expected.burned);
        if (before.adjudicator - afterwards.adjudicator != expected.toFiler + expected.toDisputer + expected.burned) {
            _flowMismatch(
                "settleClaim: adjudicator outflow",
                claimId,
                before.adjudicator - afterwards.adjudicator,
                expected.toFiler + expected.toDisputer + expected.burned
            );
        }
        _checkGain("settleClaim: filer's gain", claimId, claim.filer, claim, expected, before.filer, queuedPayout);
        if (claim.disputer != address(0)) {
            _checkGain("settleClaim: disputer's gain", claimId, claim.disputer, claim, expected, before.disputer, queuedPayout);
        }
        _checkGain("settleClaim: receiver's gain", claimId, expected.receiver, claim, expected, before.receiver, queuedPayout);
    }

    /// @dev `account` must gain exactly what it is owed in each of its roles (filer, disputer, policy owner).
    function _checkGain(
        string memory what,
        uint256 claimId,
        address account,
        Claim memory claim,
        ExpectedSettlement memory expected,
        uint256 balanceBefore,
        uint256 queuedPayout
    ) internal {
        uint256 owed;
        if (account == claim.filer) owed += expected.toFiler;
        if (account == claim.disputer) owed += expected.toDisputer;
        // What the vault's circuit breaker queued reaches the receiver later.
        if (account == expected.receiver) owed += expected.payout - queuedPayout;
        uint256 gained = asset.balanceOf(account) - balanceBefore;
        if (gained != owed) _flowMismatch(what, claimId, gained, owed);
    }

    /// @dev Reads every claim's state: a change must be a lifecycle step, and a settled record must stay as it was.
    function _checkClaimStates() internal {
        uint256 count = _claims.length;
        for (uint256 i; i < count; ++i) {
            TrackedClaim storage tracked = _claims[i];
            Claim memory claim = adjudicator.getClaim(tracked.id);
            if (tracked.settled) {
                if (keccak256(abi.encode(claim)) != tracked.settledRecord) {
                    _illegal("settled claim record changed", tracked.id, tracked.lastState, claim.state);
                }
                continue;
            }
            if (claim.state == tracked.lastState) continue;
            if (!_isLifecycleStep(tracked.lastState, claim.state)) {
                _illegal("illegal transition", tracked.id, tracked.lastState, claim.state);
            }
            tracked.lastState = claim.state;
            if (_isFinal(claim.state)) {
                tracked.settled = true;
                tracked.settledRecord = keccak256(abi.encode(claim));
            }
        }
    }

    function _min(uint256 a, uint256 b) internal pure returns (uint256) {
        return a < b ? a : b;
    }

    function _stateName(AssertionState state) internal pure returns (bytes32) {
        if (state == AssertionState.Approved) return "settledApproved";
        if (state == AssertionState.Rejected) return "settledRejected";
        return "settledDrawn";
    }

    // ================================================================ internals: records

    function _begin(bytes32 action) internal {
        _currentAction = action;
        _reservedForClaim = false;
        _paidClaim = false;
    }

    function _flowMismatch(string memory what, uint256 claimId, uint256 actual, uint256 expected) internal {
        if (flowMismatch) return;
        flowMismatch = true;
        mismatch = Mismatch({what: what, claimId: claimId, actual: actual, expected: expected});
    }

    function _illegal(string memory what, uint256 claimId, AssertionState from, AssertionState to) internal {
        if (illegalTransition) return;
        illegalTransition = true;
        transition = Transition({what: what, action: _currentAction, claimId: claimId, from: from, to: to});
    }

    function _recordSharePrice() internal {
        lastNavBid = vault.navBid();
        lastNavAsk = vault.navAsk();
        lastSupply = vault.totalSupply();
    }

    /// @dev (nav + 1) / (supply + 1e6) compared with the previous action's as (nav + 1)(lastSupply + 1e6) <
    /// (lastNav + 1)(supply + 1e6), for both navBid and navAsk.
    function _checkSharePrice() internal {
        uint256 navBid = vault.navBid();
        uint256 navAsk = vault.navAsk();
        uint256 supply = vault.totalSupply();
        bool bidFell = (navBid + 1) * (lastSupply + 1e6) < (lastNavBid + 1) * (supply + 1e6);
        bool askFell = (navAsk + 1) * (lastSupply + 1e6) < (lastNavAsk + 1) * (supply + 1e6);
        if (bidFell && !_reservedForClaim && !bidPriceFellOutsideClaims) {
            bidPriceFellOutsideClaims = true;
            _recordFall("navBid", lastNavBid, navBid, supply);
        }
        if (askFell && !_paidClaim && !askPriceFellOutsidePayout) {
            askPriceFellOutsidePayout = true;
            _recordFall("navAsk", lastNavAsk, navAsk, supply);
        }
        lastNavBid = navBid;
        lastNavAsk = navAsk;
        lastSupply = supply;
    }

    function _recordFall(string memory nav, uint256 navBefore, uint256 navAfter, uint256 supply) internal {
        fall = PriceFall({
            nav: nav,
            action: _currentAction,
            navBefore: navBefore,
            supplyBefore: lastSupply,
            navAfter: navAfter,
            supplyAfter: supply
        });
    }
}
