// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IArbiter} from "./IArbiter.sol";

/// @notice A case before the committee.
/// @dev `quorum` is the one in force when the case opened: like the electorate (members who joined before the case
/// opened), the bar a ruling must clear cannot be moved while the case is open.
struct CommitteeCase {
    bytes32 disputeKey;
    address filer;
    address disputer;
    uint64 openedAt;
    uint64 deadline;
    uint32 approvals;
    uint32 rejections;
    bool resolved;
    uint32 quorum;
}

/// @title ICommitteeArbiter
/// @notice The default arbiter: an M-of-N committee votes within a voting period; the first side to reach the quorum
/// wins and `resolve` delivers the ruling to the adjudicator. Membership, quorum and period change only through the
/// AccessManager (committee-admin role).
interface ICommitteeArbiter is IArbiter {
    /// @notice Only the adjudicator may open cases.
    error NotAdjudicator(address caller);
    /// @notice No such case.
    error UnknownCase(uint256 caseId);
    /// @notice The caller is not a committee member, or joined after the case opened.
    error NotEligibleMember(uint256 caseId, address account);
    /// @notice A member may not vote on a case it filed or disputed.
    error ConflictOfInterest(uint256 caseId, address member);
    /// @notice The member already voted on the case.
    error AlreadyVoted(uint256 caseId, address member);
    /// @notice The voting period of the case is over.
    error VotingClosed(uint256 caseId, uint256 deadline);
    /// @notice The case was already resolved.
    error CaseAlreadyResolved(uint256 caseId);
    /// @notice A side already reached the case's quorum: the ruling is decided and awaits `resolve`.
    error CaseAlreadyDecided(uint256 caseId);
    /// @notice Neither side has reached the quorum.
    error QuorumNotReached(uint256 caseId, uint256 approvals, uint256 rejections, uint256 quorum);
    /// @notice `quorum` is zero or above the member count.
    error InvalidQuorum(uint256 quorum, uint256 memberCount);
    /// @notice `votingPeriod` outside [MIN_VOTING_PERIOD, MAX_VOTING_PERIOD].
    error InvalidVotingPeriod(uint256 votingPeriod);
    /// @notice `votingPeriod` does not end before the adjudicator's `arbitrationTimeout`, so a vote could still be
    /// running when the dispute settles as a draw.
    error VotingPeriodNotBeforeTimeout(uint256 votingPeriod, uint256 arbitrationTimeout);
    /// @notice Removing `account` would leave fewer than `caseQuorum` members able to vote on a case still open
    /// (until `openUntil` at the latest): only `eligibleLeft` members who joined before it would remain.
    error RemovalStrandsOpenCase(address account, uint256 caseQuorum, uint256 eligibleLeft, uint256 openUntil);
    /// @notice Adding a member twice, or removing a non-member.
    error MembershipUnchanged(address account, bool isMember);
    /// @notice The committee already has MAX_MEMBERS members.
    error TooManyMembers(uint256 count);
    /// @notice The zero address as the adjudicator or a member.
    error ZeroAddress();

    /// @notice The adjudicator opened a case.
    event CaseOpened(
        uint256 indexed caseId, bytes32 indexed disputeKey, address filer, address disputer, uint256 deadline
    );
    /// @notice A member voted.
    event VoteCast(uint256 indexed caseId, address indexed member, bool approve);
    /// @notice The case was resolved and the ruling delivered.
    event CaseResolved(uint256 indexed caseId, bool approved, uint256 approvals, uint256 rejections);
    /// @notice Membership changed.
    event MemberAdded(address indexed account);
    /// @notice Membership changed.
    event MemberRemoved(address indexed account);
    /// @notice The quorum changed.
    event QuorumSet(uint256 quorum);
    /// @notice The voting period changed.
    event VotingPeriodSet(uint256 votingPeriod);

    /// @notice Votes on an open case; members only, no conflict of interest, once, before the deadline, and only
    /// while neither side has reached the case's quorum.
    function castVote(uint256 caseId, bool approve) external;

    /// @notice Delivers the ruling once one side has reached the case's quorum; anyone may call, also after the
    /// deadline.
    function resolve(uint256 caseId) external;

    /// @notice Adds a committee member. Committee-admin role.
    function addMember(address account) external;

    /// @notice Removes a committee member; the quorum must still be reachable, and so must the quorum of every case
    /// still open (unresolved, before its deadline): `RemovalStrandsOpenCase` otherwise. Committee-admin role.
    /// @dev Open cases are tracked per quorum value, from the opening of the first case since that value last had
    /// none open; members who joined before it can vote on every such case. The check is conservative: while cases
    /// with one quorum keep overlapping, members who joined since do not count. Setting another quorum lets that
    /// value's cases drain within a voting period.
    function removeMember(address account) external;

    /// @notice Sets the number of matching votes that decides a case opened from now on. Committee-admin role.
    function setQuorum(uint256 quorum) external;

    /// @notice Sets how long members may vote on a new case: within the bounds and strictly shorter than the
    /// adjudicator's `arbitrationTimeout`. Committee-admin role.
    function setVotingPeriod(uint256 votingPeriod) external;

    /// @notice How long members may vote on a case opened now, in seconds.
    function votingPeriod() external view returns (uint256);

    /// @notice The case, reverting `UnknownCase` for an id never opened.
    function getCase(uint256 caseId) external view returns (CommitteeCase memory);

    /// @notice Whether `member` voted on `caseId`.
    function hasVoted(uint256 caseId, address member) external view returns (bool);

    /// @notice Whether `account` is a member.
    function isMember(address account) external view returns (bool);

    /// @notice The current members.
    function members() external view returns (address[] memory);
}
