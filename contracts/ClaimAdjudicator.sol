// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IArbiter, IRulingReceiver} from "./interfaces/IArbiter.sol";
import {IParametricIncidentSink} from "./interfaces/IParametricIncidentSink.sol";
import {IParkedPayments} from "./interfaces/IParkedPayments.sol";
import {
    AssertionState,
    Claim,
    IClaimAdjudicator,
    Incident,
    IncidentReserve,
    Ruling
} from "./interfaces/IClaimAdjudicator.sol";
import {ICommitteeArbiter} from "./interfaces/ICommitteeArbiter.sol";
import {ICoverManager, Policy} from "./interfaces/ICoverManager.sol";
import {ClaimTerms, IProductRegistry, ProductKind} from "./interfaces/IProductRegistry.sol";
import {IUnderwriterVault} from "./interfaces/IUnderwriterVault.sol";
import {BondLogic} from "./libraries/BondLogic.sol";
import {CaseRules} from "./libraries/CaseRules.sol";
import {ExactTransfer} from "./libraries/ExactTransfer.sol";
import {CoverWindow} from "./libraries/CoverWindow.sol";
import {IncidentLogic} from "./libraries/IncidentLogic.sol";
import {ParkedPayments} from "./libraries/ParkedPayments.sol";
import {PauseClock} from "./libraries/PauseClock.sol";

/// @title ClaimAdjudicator
/// @notice Optimistic claims, incident reports and parametric confirmations; see IClaimAdjudicator.
contract ClaimAdjudicator is IClaimAdjudicator, AccessManaged, Pausable, ReentrancyGuardTransient {
    using PauseClock for PauseClock.Clock;
    using IncidentLogic for IncidentLogic.IncidentBook;

    uint256 private constant WAD = 1e18;
    /// @dev Dispute keys carry their kind in the top byte, so one case table serves claims and incidents.
    uint256 private constant INCIDENT_KEY_FLAG = 1 << 248;
    /// @dev Claim amounts, reserves, payouts and bonds are stored in 96 bits (7.9e28 base units, beyond any vault); a
    /// larger loss is claimed in several claims, one after the other.
    uint256 private constant MAX_CLAIM = type(uint96).max;

    /// @dev `Claim` as stored: filing writes three slots, a dispute the other three. Settlement reads the three (and
    /// the disputer's slot if disputed), and writes the first, where `paid` sits beside the state. The vault is the
    /// policy's.
    struct StoredClaim {
        uint64 policyId;
        uint40 incidentTime;
        uint40 expiration;
        AssertionState state;
        Ruling ruling;
        uint96 paid;
        address filer;
        uint96 bond;
        uint96 amount;
        uint96 reserved;
        uint64 burnWad;
        address disputer;
        uint40 disputedAt;
        uint40 drawAt;
        address arbiter;
        uint256 caseId;
    }

    uint256 public constant MAX_BOND_WAD = 0.5e18;
    uint256 public constant MIN_BURN_WAD = 0.1e18;
    uint256 public constant MIN_LIVENESS = 1 hours;
    uint256 public constant MAX_LIVENESS = 14 days;
    uint256 public constant MIN_ARBITRATION_TIMEOUT = 1 days;
    uint256 public constant MAX_ARBITRATION_TIMEOUT = 60 days;
    uint256 public constant MIN_INCIDENT_CLAIM_WINDOW = 7 days;
    uint256 public constant MAX_INCIDENT_CLAIM_WINDOW = 90 days;
    uint256 public constant MAX_INCIDENT_AGE = IncidentLogic.MAX_INCIDENT_AGE;

    ICoverManager public immutable coverManager;
    IProductRegistry public immutable registry;
    /// @notice The token incident reports are bonded in (products may span vaults of several assets).
    IERC20 public immutable incidentBondAsset;

    IArbiter public arbiter;
    mapping(uint256 productId => IArbiter) public productArbiter;
    // What every filing and report reads, in one slot (bounded by setParameter far inside these types), and the claim
    // count every filing bumps: 64 bits count a claim a nanosecond for 580 years.
    uint64 public bondWad = 0.05e18;
    uint64 public burnWad = 0.5e18;
    uint32 public liveness = 3 days;
    uint32 public incidentClaimWindow = 30 days;
    uint64 public claimCount;
    uint256 public arbitrationTimeout = 14 days;
    uint256 public incidentBond;
    mapping(address asset => uint256) public minBond;

    uint256 public incidentCount;

    mapping(uint256 claimId => StoredClaim) private _claims;
    IncidentLogic.IncidentBook private _book;
    mapping(address arbiter => mapping(uint256 caseId => bytes32 key)) private _caseKeys;
    mapping(address token => mapping(address account => uint256)) private _parked;
    PauseClock.Clock private _pauseClock;

    /// @dev The arbiter is set afterwards with `setArbiter`: it needs this contract's address first.
    constructor(
        address accessManager,
        ICoverManager coverManager_,
        IProductRegistry registry_,
        IERC20 incidentBondAsset_,
        uint256 incidentBond_
    ) AccessManaged(accessManager) {
        if (address(incidentBondAsset_) == address(0)) revert ZeroAddress();
        if (incidentBond_ == 0 || incidentBond_ > MAX_CLAIM) revert ParameterOutOfBounds("incidentBond", incidentBond_);
        coverManager = coverManager_;
        registry = registry_;
        incidentBondAsset = incidentBondAsset_;
        incidentBond = incidentBond_;
    }

    // ---------------------------------------------------------------- claims

    /// @inheritdoc IClaimAdjudicator
    function fileClaim(uint256 policyId, uint256 amount, uint256 incidentTime, string calldata evidenceURI)
        external
        nonReentrant
        whenNotPaused
        returns (uint256 claimId)
    {
        claimId = ++claimCount;
        Policy memory policy = _checkClaimable(policyId, claimId, amount, incidentTime);
        // Provisional, at most the vault's free capital: it keeps exits from leaving ahead of the claim; the payout is
        // decided at settlement.
        (uint256 reserved, address asset) = IUnderwriterVault(policy.vault).reserveUpTo(policy.productId, amount);
        uint256 bond = bondFor(asset, amount);

        _recordClaim(claimId, policyId, amount, incidentTime, reserved, bond, evidenceURI);
        ExactTransfer.pullExact(IERC20(asset), msg.sender, address(this), bond);
    }

    /// @inheritdoc IClaimAdjudicator
    function disputeClaim(uint256 claimId) external nonReentrant {
        StoredClaim storage claim = _claims[claimId];
        bytes32 key = claimKey(claimId);
        CaseRules.checkDisputable(key, claim.state, claim.expiration);
        Policy memory policy = coverManager.getPolicy(claim.policyId);
        IArbiter caseArbiter = arbiterFor(policy.productId);

        claim.state = AssertionState.Disputed;
        claim.disputer = msg.sender;
        claim.disputedAt = uint40(block.timestamp);
        claim.drawAt = _drawAt(caseArbiter);
        claim.arbiter = address(caseArbiter);

        ExactTransfer.pullExact(IERC20(IERC4626(policy.vault).asset()), msg.sender, address(this), claim.bond);
        uint256 caseId = _openCase(caseArbiter, key, claim.filer);
        claim.caseId = caseId;
        emit ClaimDisputed(claimId, claim.policyId, msg.sender, caseId);
    }

    /// @inheritdoc IClaimAdjudicator
    function settleClaim(uint256 claimId) external nonReentrant {
        // Read through storage: the arbiter's and case id's slots stay untouched, and the disputer's unless disputed.
        StoredClaim storage claim = _claims[claimId];
        bytes32 key = claimKey(claimId);
        bool disputed = claim.state == AssertionState.Disputed;
        AssertionState outcome =
            CaseRules.outcome(key, claim.state, claim.ruling, claim.expiration, disputed ? claim.drawAt : 0);

        claim.state = outcome;
        // The CoverManager sizes the payout now (cover left, the vault's free capital beyond the claim's reserve), pays
        // it, releases the claim's reserve and frees the policy for its next claim; the record and the event follow,
        // as they carry what was paid.
        (uint256 payout, address receiver, address vault) = coverManager.closeClaim(
            claim.policyId, outcome == AssertionState.Approved ? claim.amount : 0, claim.reserved
        );
        // Exact cast: the payout is at most the claim's amount.
        claim.paid = uint96(payout);
        emit ClaimSettled(claimId, claim.policyId, outcome, receiver, payout);
        _settleBonds(
            key,
            IERC20(IERC4626(vault).asset()),
            outcome,
            claim.filer,
            disputed ? claim.disputer : address(0),
            claim.burnWad,
            claim.bond
        );
    }

    // ---------------------------------------------------------------- incidents

    /// @inheritdoc IClaimAdjudicator
    function reportIncident(uint256 productId, uint256 incidentTime, uint256 payoutWad, string calldata evidenceURI)
        external
        nonReentrant
        whenNotPaused
        returns (uint256 incidentId)
    {
        incidentId = ++incidentCount;
        _book.report(
            registry,
            IncidentLogic.ReportTerms(incidentBondAsset, incidentBond, bondWad, burnWad, liveness, incidentClaimWindow),
            incidentId,
            productId,
            incidentTime,
            payoutWad,
            evidenceURI
        );
    }

    /// @inheritdoc IClaimAdjudicator
    function disputeIncident(uint256 incidentId) external nonReentrant {
        Incident storage incident = _book.incidents[incidentId];
        bytes32 key = incidentKey(incidentId);
        CaseRules.checkDisputable(key, incident.state, incident.expiration);
        IArbiter caseArbiter = arbiterFor(incident.productId);

        incident.state = AssertionState.Disputed;
        incident.disputer = msg.sender;
        incident.disputedAt = uint40(block.timestamp);
        incident.drawAt = _drawAt(caseArbiter);
        incident.arbiter = address(caseArbiter);

        ExactTransfer.pullExact(incidentBondAsset, msg.sender, address(this), incident.bond);
        uint256 caseId = _openCase(caseArbiter, key, incident.reporter);
        incident.caseId = caseId;
        emit IncidentDisputed(incidentId, incident.productId, msg.sender, caseId);
    }

    /// @inheritdoc IClaimAdjudicator
    function settleIncident(uint256 incidentId) external nonReentrant {
        bytes32 key = incidentKey(incidentId);
        (AssertionState outcome, address reporter, address disputer, uint256 caseBurnWad, uint256 bond) =
            _book.settle(registry, incidentId, key);
        _settleBonds(key, incidentBondAsset, outcome, reporter, disputer, caseBurnWad, bond);
    }

    /// @inheritdoc IParametricIncidentSink
    /// @dev Only the registered trigger of a parametric product.
    function confirmParametricIncident(uint256 productId, uint256 incidentTime, uint256 payoutWad)
        external
        nonReentrant
        returns (uint256 incidentId)
    {
        incidentId = ++incidentCount;
        _book.confirmParametric(registry, burnWad, incidentClaimWindow, incidentId, productId, incidentTime, payoutWad);
    }

    /// @inheritdoc IClaimAdjudicator
    function claimIncidentPayout(uint256 policyId, uint256 incidentId)
        external
        nonReentrant
        returns (uint256 payout)
    {
        return _book.payout(_pauseClock, coverManager, registry, policyId, incidentId);
    }

    /// @inheritdoc IClaimAdjudicator
    function claimIncidentTopUp(uint256 policyId, uint256 incidentId) external nonReentrant returns (uint256 topUp) {
        return _book.topUp(coverManager, policyId, incidentId);
    }

    /// @inheritdoc IClaimAdjudicator
    function releaseIncidentReserve(uint256 incidentId) external nonReentrant {
        _book.release(incidentId);
    }

    // ---------------------------------------------------------------- parked payments

    /// @inheritdoc IParkedPayments
    function withdrawParked(address token, address to) external nonReentrant returns (uint256) {
        if (to == address(0)) revert ZeroAddress();
        return ParkedPayments.withdraw(_parked, token, to);
    }

    // ---------------------------------------------------------------- rulings

    /// @inheritdoc IRulingReceiver
    function receiveRuling(uint256 caseId, bool approved) external {
        bytes32 key = _caseKeys[msg.sender][caseId];
        if (key == bytes32(0)) revert UnknownCase(msg.sender, caseId);
        (bool isIncident, uint256 id) = _decodeKey(key);
        AssertionState state = isIncident ? _book.incidents[id].state : _claims[id].state;
        // A dispute settled as a draw (no ruling in time) stays settled: a late ruling changes nothing.
        if (state != AssertionState.Disputed) revert InvalidAssertionState(key, state);

        delete _caseKeys[msg.sender][caseId];
        Ruling ruling = approved ? Ruling.Approve : Ruling.Reject;
        if (isIncident) _book.incidents[id].ruling = ruling;
        else _claims[id].ruling = ruling;
        emit RulingReceived(key, msg.sender, caseId, approved);
    }

    // ---------------------------------------------------------------- governance

    /// @inheritdoc IClaimAdjudicator
    function setArbiter(address arbiter_) external restricted {
        if (arbiter_ == address(0)) revert ZeroAddress();
        arbiter = IArbiter(arbiter_);
        emit ArbiterSet(arbiter_);
    }

    /// @inheritdoc IClaimAdjudicator
    function setProductArbiter(uint256 productId, address arbiter_) external restricted {
        if (arbiter_ != address(0) && _votingPeriodOf(arbiter_) >= arbitrationTimeout) {
            revert ParameterOutOfBounds("arbitrationTimeout", arbitrationTimeout);
        }
        productArbiter[productId] = IArbiter(arbiter_);
        emit ProductArbiterSet(productId, arbiter_);
    }

    /// @inheritdoc IClaimAdjudicator
    function setParameter(bytes32 parameter, uint256 value) external restricted {
        // Exact casts: each value is within its bounds, far inside its type.
        if (parameter == "bondWad" && value <= MAX_BOND_WAD) bondWad = uint64(value);
        else if (parameter == "burnWad" && value >= MIN_BURN_WAD && value <= WAD) burnWad = uint64(value);
        else if (parameter == "liveness" && value >= MIN_LIVENESS && value <= MAX_LIVENESS) liveness = uint32(value);
        else if (
            parameter == "arbitrationTimeout" && value >= MIN_ARBITRATION_TIMEOUT && value <= MAX_ARBITRATION_TIMEOUT
                && value > _votingPeriodOf(address(arbiter))
        ) arbitrationTimeout = value;
        else if (
            parameter == "incidentClaimWindow" && value >= MIN_INCIDENT_CLAIM_WINDOW
                && value <= MAX_INCIDENT_CLAIM_WINDOW
        ) incidentClaimWindow = uint32(value);
        else if (parameter == "incidentBond" && value != 0 && value <= MAX_CLAIM) incidentBond = value;
        else revert ParameterOutOfBounds(parameter, value);
        emit ParameterSet(parameter, value);
    }

    /// @inheritdoc IClaimAdjudicator
    function setMinBond(address asset, uint256 minBond_) external restricted {
        if (minBond_ > MAX_CLAIM) revert ParameterOutOfBounds("minBond", minBond_);
        minBond[asset] = minBond_;
        emit MinBondSet(asset, minBond_);
    }

    /// @inheritdoc IClaimAdjudicator
    function pause() external restricted {
        _pause();
        _pauseClock.pause(block.timestamp);
    }

    /// @inheritdoc IClaimAdjudicator
    function unpause() external restricted {
        _unpause();
        _pauseClock.unpause(block.timestamp);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IClaimAdjudicator
    function getClaim(uint256 claimId) external view returns (Claim memory claim) {
        StoredClaim memory stored = _claims[claimId];
        if (stored.state == AssertionState.None) revert InvalidAssertionState(claimKey(claimId), stored.state);
        claim = Claim({
            policyId: stored.policyId,
            vault: coverManager.getPolicy(stored.policyId).vault,
            incidentTime: stored.incidentTime,
            expiration: stored.expiration,
            state: stored.state,
            ruling: stored.ruling,
            filer: stored.filer,
            burnWad: stored.burnWad,
            disputer: stored.disputer,
            arbiter: stored.arbiter,
            disputedAt: stored.disputedAt,
            drawAt: stored.drawAt,
            amount: stored.amount,
            reserved: stored.reserved,
            bond: stored.bond,
            paid: stored.paid,
            caseId: stored.caseId
        });
    }

    /// @inheritdoc IClaimAdjudicator
    function openClaimOf(uint256 policyId) external view returns (uint256) {
        return coverManager.openClaimOf(policyId);
    }

    /// @inheritdoc IClaimAdjudicator
    function getIncident(uint256 incidentId) external view returns (Incident memory incident) {
        incident = _book.incidents[incidentId];
        if (incident.state == AssertionState.None) {
            revert InvalidAssertionState(incidentKey(incidentId), incident.state);
        }
    }

    /// @inheritdoc IClaimAdjudicator
    function incidentReserve(uint256 incidentId, address vault) external view returns (IncidentReserve memory) {
        return _book.reserveOf(incidentId, vault);
    }

    /// @inheritdoc IClaimAdjudicator
    function incidentVaults(uint256 incidentId) external view returns (address[] memory) {
        return _book.vaults[incidentId];
    }

    /// @inheritdoc IClaimAdjudicator
    function incidentPaid(uint256 incidentId, uint256 policyId) external view returns (bool) {
        return _book.isPaid(incidentId, policyId);
    }

    /// @inheritdoc IClaimAdjudicator
    function incidentShortfall(uint256 incidentId, uint256 policyId) external view returns (uint256) {
        return _book.shortfall[incidentId][policyId];
    }

    /// @inheritdoc IParkedPayments
    function parkedOf(address token, address account) external view returns (uint256) {
        return _parked[token][account];
    }

    /// @inheritdoc IClaimAdjudicator
    function pausedSecondsAt(uint256 timestamp) external view returns (uint256) {
        return _pauseClock.pausedSecondsAt(timestamp);
    }

    /// @inheritdoc IRulingReceiver
    function isParty(bytes32 key, address account) external view returns (bool) {
        (bool isIncident, uint256 id) = _decodeKey(key);
        if (isIncident) {
            Incident storage incident = _book.incidents[id];
            return account == incident.reporter || account == incident.disputer;
        }
        StoredClaim storage claim = _claims[id];
        if (claim.state == AssertionState.None) return false;
        return account == claim.filer || account == claim.disputer
            || account == IERC721(address(coverManager)).ownerOf(claim.policyId);
    }

    /// @inheritdoc IClaimAdjudicator
    function arbiterFor(uint256 productId) public view returns (IArbiter) {
        IArbiter chosen = productArbiter[productId];
        return address(chosen) == address(0) ? arbiter : chosen;
    }

    /// @inheritdoc IClaimAdjudicator
    function bondFor(address asset, uint256 amount) public view returns (uint256) {
        return Math.max(minBond[asset], Math.mulDiv(amount, bondWad, WAD, Math.Rounding.Ceil));
    }

    /// @inheritdoc IClaimAdjudicator
    function claimKey(uint256 claimId) public pure returns (bytes32) {
        return bytes32(claimId);
    }

    /// @inheritdoc IClaimAdjudicator
    function incidentKey(uint256 incidentId) public pure returns (bytes32) {
        return bytes32(incidentId | INCIDENT_KEY_FLAG);
    }

    // ---------------------------------------------------------------- internals

    /// @dev Every condition on filing a claim; returns the policy. The CoverManager marks the claim open on the policy
    /// as it returns it (one claim at a time per policy); a failed check below reverts the mark with the filing.
    function _checkClaimable(uint256 policyId, uint256 claimId, uint256 amount, uint256 incidentTime)
        private
        returns (Policy memory policy)
    {
        address owner;
        (policy, owner) = coverManager.openClaim(policyId, claimId);
        _checkPolicyHolder(policyId, owner);
        ClaimTerms memory product = registry.getClaimTerms(policy.productId);
        if (product.kind != ProductKind.Discretionary) revert WrongProductKind(policy.productId);
        if (block.timestamp <= policy.start) revert ClaimTooEarly(policyId, policy.start);
        CoverWindow.checkCovered(policyId, policy, product, incidentTime);
        CoverWindow.checkOpenAt(_pauseClock, policyId, policy, product, block.timestamp);
        uint256 remaining = Math.min(policy.amount - policy.claimed, MAX_CLAIM);
        if (amount == 0 || amount > remaining) revert InvalidClaimAmount(policyId, amount, remaining);
    }

    function _decodeKey(bytes32 key) private pure returns (bool isIncident, uint256 id) {
        isIncident = uint256(key) & INCIDENT_KEY_FLAG != 0;
        id = uint256(key) & (INCIDENT_KEY_FLAG - 1);
    }

    function _checkPolicyHolder(uint256 policyId, address owner) private view {
        IERC721 policies = IERC721(address(coverManager));
        if (
            msg.sender != owner && policies.getApproved(policyId) != msg.sender
                && !policies.isApprovedForAll(owner, msg.sender)
        ) revert NotPolicyHolder(policyId, msg.sender);
    }

    function _openCase(IArbiter caseArbiter, bytes32 key, address filer) private returns (uint256 caseId) {
        caseId = caseArbiter.requestRuling(key, filer, msg.sender);
        _caseKeys[address(caseArbiter)][caseId] = key;
    }

    /// @dev Fixed when the dispute opens: a case before an arbiter that always rules never draws.
    function _drawAt(IArbiter caseArbiter) private view returns (uint40) {
        if (address(caseArbiter) == address(0)) revert ZeroAddress();
        return caseArbiter.alwaysRules() ? type(uint40).max : uint40(block.timestamp + arbitrationTimeout);
    }

    function _settleBonds(
        bytes32 key,
        IERC20 asset,
        AssertionState outcome,
        address filer,
        address disputer,
        uint256 caseBurnWad,
        uint256 bond
    ) private {
        if (disputer == address(0)) {
            // Without a dispute the bond returns and nothing burns: neither the treasury nor the library is asked.
            BondLogic.returnBond(_parked, key, asset, filer, bond);
        } else {
            BondLogic.settle(
                _parked,
                BondLogic.Settlement(key, asset, outcome, filer, disputer, caseBurnWad, bond, coverManager.treasury())
            );
        }
    }

    /// @dev Writes a new claim with the parameters of the day, which it keeps for its whole life; emits `ClaimFiled`.
    function _recordClaim(
        uint256 claimId,
        uint256 policyId,
        uint256 amount,
        uint256 incidentTime,
        uint256 reserved,
        uint256 bond,
        string calldata evidenceURI
    ) private {
        uint256 expiration = block.timestamp + liveness;
        StoredClaim storage claim = _claims[claimId];
        // Exact casts: policy ids count purchases (far below 2^64), times are timestamps plus bounded delays, `amount`
        // (and the reserve below it) is at most MAX_CLAIM, and the bond at most `max(minBond, amount / 2)`, both
        // bounded by MAX_CLAIM. The three slots filing fills are laid out as Solidity packs `StoredClaim` (first
        // field lowest) and stored whole: they are new, so the load-mask-store of field-by-field writes would only
        // cost gas (925 a filing). The ruling and the payout start at zero.
        uint256 head = uint256(uint64(policyId)) | (uint256(uint40(incidentTime)) << 64)
            | (uint256(uint40(expiration)) << 104) | (uint256(uint8(AssertionState.Pending)) << 144);
        uint256 filing = uint256(uint160(msg.sender)) | (uint256(uint96(bond)) << 160);
        uint256 sums =
            uint256(uint96(amount)) | (uint256(uint96(reserved)) << 96) | (uint256(uint64(burnWad)) << 192);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            sstore(claim.slot, head)
            sstore(add(claim.slot, 1), filing)
            sstore(add(claim.slot, 2), sums)
        }
        emit ClaimFiled(claimId, policyId, msg.sender, amount, reserved, incidentTime, bond, expiration, evidenceURI);
    }

    /// @dev A dispute must be able to end in a ruling before it draws: the arbiter's voting period, if it has one.
    function _votingPeriodOf(address candidate) private view returns (uint256) {
        if (candidate == address(0)) return 0;
        try ICommitteeArbiter(candidate).votingPeriod() returns (uint256 votingPeriod) {
            return votingPeriod;
        } catch {
            return 0;
        }
    }
}
