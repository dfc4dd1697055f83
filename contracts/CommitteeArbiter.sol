// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IArbiter, IRulingReceiver} from "./interfaces/IArbiter.sol";
import {IArbitrationTimeout} from "./interfaces/IArbitrationTimeout.sol";
import {CommitteeCase, ICommitteeArbiter} from "./interfaces/ICommitteeArbiter.sol";

/// @title CommitteeArbiter
/// @notice The default arbiter: an M-of-N committee rules on the adjudicator's disputes; see ICommitteeArbiter.
contract CommitteeArbiter is ICommitteeArbiter, AccessManaged, ReentrancyGuardTransient {
    using SafeCast for uint256;

    uint256 public constant MIN_VOTING_PERIOD = 1 days;
    uint256 public constant MAX_VOTING_PERIOD = 30 days;
    /// @dev The period deployments pass unless they have a reason not to: a week lets members in every time zone
    /// review the evidence, a weekend included, without holding a disputed payout back for more than a week.
    uint256 public constant DEFAULT_VOTING_PERIOD = 7 days;
    /// @dev Bounds the search in `removeMember` and the copy in `members()`.
    uint256 public constant MAX_MEMBERS = 32;

    /// @dev Cases opened under one quorum value since it last had none open: `since` is when the first of them
    /// opened, `until` the latest deadline, `unresolved` how many were opened and not resolved (stale ones included).
    struct OpenCases {
        uint64 since;
        uint64 until;
        uint128 unresolved;
    }

    address public immutable adjudicator;

    uint256 public quorum;
    /// @inheritdoc ICommitteeArbiter
    uint256 public votingPeriod;
    uint256 public caseCount;
    /// @notice When `account` last joined the committee, or zero for a non-member. A member may vote only on cases
    /// opened after this, so nobody can be added, or removed and re-added, to sway an open case.
    mapping(address account => uint256 joinedAt) public memberSince;

    address[] private _members;
    mapping(uint256 caseId => CommitteeCase) private _cases;
    mapping(uint256 caseId => mapping(address member => bool)) private _voted;
    mapping(uint256 caseQuorum => OpenCases) private _openCases;

    constructor(
        address accessManager,
        address adjudicator_,
        address[] memory initialMembers,
        uint256 quorum_,
        uint256 votingPeriod_
    ) AccessManaged(accessManager) {
        if (adjudicator_ == address(0)) revert ZeroAddress();
        adjudicator = adjudicator_;
        for (uint256 i; i < initialMembers.length; ++i) {
            _addMember(initialMembers[i]);
        }
        _setQuorum(quorum_);
        _setVotingPeriod(votingPeriod_);
    }

    /// @inheritdoc IArbiter
    /// @dev A committee short of its quorum stays silent: the adjudicator's arbitration timeout ends such a case.
    function alwaysRules() external pure returns (bool) {
        return false;
    }

    /// @inheritdoc IArbiter
    function requestRuling(bytes32 disputeKey, address filer, address disputer)
        external
        nonReentrant
        returns (uint256 caseId)
    {
        if (msg.sender != adjudicator) revert NotAdjudicator(msg.sender);
        uint256 deadline = block.timestamp + votingPeriod;
        uint256 caseQuorum = quorum;
        OpenCases storage open = _openCases[caseQuorum];
        // Every case of this quorum still open opened at or after `since`.
        if (!_isOpen(open)) open.since = block.timestamp.toUint64();
        // A shortened voting period gives an earlier deadline than a case already open.
        if (deadline > open.until) open.until = deadline.toUint64();
        ++open.unresolved;
        caseId = ++caseCount;
        _cases[caseId] = CommitteeCase({
            disputeKey: disputeKey,
            filer: filer,
            disputer: disputer,
            openedAt: block.timestamp.toUint64(),
            deadline: deadline.toUint64(),
            approvals: 0,
            rejections: 0,
            resolved: false,
            quorum: caseQuorum.toUint32()
        });
        emit CaseOpened(caseId, disputeKey, filer, disputer, deadline);
    }

    /// @inheritdoc ICommitteeArbiter
    function castVote(uint256 caseId, bool approve) external nonReentrant {
        CommitteeCase storage committeeCase = _existing(caseId);
        if (committeeCase.resolved) revert CaseAlreadyResolved(caseId);
        uint256 caseQuorum = committeeCase.quorum;
        // Once a side has the quorum, later votes could only bring the other side level and blur who won.
        if (committeeCase.approvals >= caseQuorum || committeeCase.rejections >= caseQuorum) {
            revert CaseAlreadyDecided(caseId);
        }
        if (block.timestamp >= committeeCase.deadline) revert VotingClosed(caseId, committeeCase.deadline);
        uint256 joinedAt = memberSince[msg.sender];
        if (joinedAt == 0 || joinedAt >= committeeCase.openedAt) revert NotEligibleMember(caseId, msg.sender);
        // The adjudicator also knows who gets paid (a policy NFT can change hands while its claim is disputed).
        if (
            msg.sender == committeeCase.filer || msg.sender == committeeCase.disputer
                || IRulingReceiver(adjudicator).isParty(committeeCase.disputeKey, msg.sender)
        ) revert ConflictOfInterest(caseId, msg.sender);
        if (_voted[caseId][msg.sender]) revert AlreadyVoted(caseId, msg.sender);

        _voted[caseId][msg.sender] = true;
        // Safe: both tallies are below the case's quorum (checked above), itself at most MAX_MEMBERS.
        unchecked {
            if (approve) ++committeeCase.approvals;
            else ++committeeCase.rejections;
        }
        emit VoteCast(caseId, msg.sender, approve);
    }

    /// @inheritdoc ICommitteeArbiter
    function resolve(uint256 caseId) external nonReentrant {
        CommitteeCase storage committeeCase = _existing(caseId);
        if (committeeCase.resolved) revert CaseAlreadyResolved(caseId);
        uint256 approvals = committeeCase.approvals;
        uint256 rejections = committeeCase.rejections;
        uint256 caseQuorum = committeeCase.quorum;
        // `castVote` stops at the first side to reach the quorum, so at most one side has.
        bool approved = approvals >= caseQuorum;
        if (!approved && rejections < caseQuorum) revert QuorumNotReached(caseId, approvals, rejections, caseQuorum);

        committeeCase.resolved = true;
        // Safe: the case was counted when it opened and is resolved only once.
        unchecked {
            --_openCases[caseQuorum].unresolved;
        }
        emit CaseResolved(caseId, approved, approvals, rejections);
        IRulingReceiver(adjudicator).receiveRuling(caseId, approved);
    }

    /// @inheritdoc ICommitteeArbiter
    function addMember(address account) external restricted nonReentrant {
        _addMember(account);
    }

    /// @inheritdoc ICommitteeArbiter
    function removeMember(address account) external restricted nonReentrant {
        if (memberSince[account] == 0) revert MembershipUnchanged(account, false);
        address[] storage current = _members;
        uint256 remaining = current.length - 1;
        if (quorum > remaining) revert InvalidQuorum(quorum, remaining);
        _checkOpenCasesKeepQuorum(account);
        uint256 index;
        // Stops within MAX_MEMBERS reads: `account` is a member, so it is in the array.
        while (current[index] != account) ++index;

        current[index] = current[remaining];
        current.pop();
        delete memberSince[account];
        emit MemberRemoved(account);
    }

    /// @inheritdoc ICommitteeArbiter
    function setQuorum(uint256 quorum_) external restricted nonReentrant {
        _setQuorum(quorum_);
    }

    /// @inheritdoc ICommitteeArbiter
    function setVotingPeriod(uint256 votingPeriod_) external restricted nonReentrant {
        _setVotingPeriod(votingPeriod_);
    }

    /// @inheritdoc ICommitteeArbiter
    function getCase(uint256 caseId) external view returns (CommitteeCase memory) {
        return _existing(caseId);
    }

    /// @inheritdoc ICommitteeArbiter
    function hasVoted(uint256 caseId, address member) external view returns (bool) {
        return _voted[caseId][member];
    }

    /// @inheritdoc ICommitteeArbiter
    function isMember(address account) external view returns (bool) {
        return memberSince[account] != 0;
    }

    /// @inheritdoc ICommitteeArbiter
    function members() external view returns (address[] memory) {
        return _members;
    }

    function _addMember(address account) private {
        if (account == address(0)) revert ZeroAddress();
        if (memberSince[account] != 0) revert MembershipUnchanged(account, true);
        uint256 count = _members.length;
        if (count == MAX_MEMBERS) revert TooManyMembers(count);
        _members.push(account);
        memberSince[account] = block.timestamp;
        emit MemberAdded(account);
    }

    function _setQuorum(uint256 quorum_) private {
        uint256 memberCount = _members.length;
        if (quorum_ == 0 || quorum_ > memberCount) revert InvalidQuorum(quorum_, memberCount);
        quorum = quorum_;
        emit QuorumSet(quorum_);
    }

    function _setVotingPeriod(uint256 votingPeriod_) private {
        if (votingPeriod_ < MIN_VOTING_PERIOD || votingPeriod_ > MAX_VOTING_PERIOD) {
            revert InvalidVotingPeriod(votingPeriod_);
        }
        // A vote still running at the adjudicator's timeout would be cut short by a draw.
        uint256 timeout = IArbitrationTimeout(adjudicator).arbitrationTimeout();
        if (votingPeriod_ >= timeout) revert VotingPeriodNotBeforeTimeout(votingPeriod_, timeout);
        votingPeriod = votingPeriod_;
        emit VotingPeriodSet(votingPeriod_);
    }

    /// @dev Reverts `RemovalStrandsOpenCase` when, without `account`, some quorum value with cases open would have
    /// fewer members who joined before the first of those cases than it needs. At most MAX_MEMBERS quorum values and
    /// MAX_MEMBERS members are read, whatever the number of cases.
    function _checkOpenCasesKeepQuorum(address account) private view {
        address[] storage current = _members;
        uint256 memberCount = current.length;
        uint256[] memory joinedAt = new uint256[](memberCount);
        for (uint256 i; i < memberCount; ++i) {
            address member = current[i];
            // The leaving member counts for nothing; real join times are never zero.
            if (member != account) joinedAt[i] = memberSince[member];
        }
        for (uint256 caseQuorum = 1; caseQuorum <= MAX_MEMBERS; ++caseQuorum) {
            OpenCases memory open = _openCases[caseQuorum];
            if (!_isOpen(open)) continue;
            uint256 eligible;
            for (uint256 i; i < memberCount; ++i) {
                if (joinedAt[i] != 0 && joinedAt[i] < open.since) ++eligible;
            }
            if (eligible < caseQuorum) revert RemovalStrandsOpenCase(account, caseQuorum, eligible, open.until);
        }
    }

    /// @dev Whether some case counted in `open` may still be voted on.
    function _isOpen(OpenCases memory open) private view returns (bool) {
        return open.unresolved != 0 && open.until > block.timestamp;
    }

    /// @dev Every opened case has a non-zero `openedAt`, so a zero one marks an id never opened.
    function _existing(uint256 caseId) private view returns (CommitteeCase storage committeeCase) {
        committeeCase = _cases[caseId];
        if (committeeCase.openedAt == 0) revert UnknownCase(caseId);
    }
}
