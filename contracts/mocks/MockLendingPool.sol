// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

/// @notice A small covered protocol for the local chain and the keeper's tests: a lending pool that holds deposits of
/// one token. It carries a deliberate bug, `migrate` without an access check, so that an attacker can really take the
/// deposits and the keeper's monitors see a real exploit (a balance falling, then the admin pausing the pool).
contract MockLendingPool is Pausable {
    using SafeERC20 for IERC20;

    /// @notice The caller is not the pool's admin.
    error NotPoolAdmin(address caller);

    event Deposited(address indexed account, uint256 amount);
    event Withdrawn(address indexed account, uint256 amount);
    /// @notice The whole balance left the pool through `migrate`.
    event Migrated(address indexed caller, address indexed to, uint256 amount);

    IERC20 public immutable token;
    address public immutable admin;
    mapping(address account => uint256 amount) public deposits;
    uint256 public totalDeposits;

    constructor(IERC20 token_, address admin_) {
        token = token_;
        admin = admin_;
    }

    function deposit(uint256 amount) external whenNotPaused {
        deposits[msg.sender] += amount;
        totalDeposits += amount;
        token.safeTransferFrom(msg.sender, address(this), amount);
        emit Deposited(msg.sender, amount);
    }

    /// @dev Reverts with an arithmetic panic past the caller's deposit.
    function withdraw(uint256 amount) external whenNotPaused {
        deposits[msg.sender] -= amount;
        totalDeposits -= amount;
        token.safeTransfer(msg.sender, amount);
        emit Withdrawn(msg.sender, amount);
    }

    /// @notice Moves every token the pool holds to `to`, meant for a migration to a new pool.
    /// @dev THE BUG (on purpose): no admin check, so anyone can drain the pool. Deposits stay booked, as after a real
    /// exploit; the balance is what the keeper's balance monitor watches.
    function migrate(address to) external {
        uint256 amount = token.balanceOf(address(this));
        token.safeTransfer(to, amount);
        emit Migrated(msg.sender, to, amount);
    }

    /// @notice The admin's emergency stop; emits OpenZeppelin's `Paused(account)`, which the keeper's pause monitor
    /// watches.
    function pause() external {
        if (msg.sender != admin) revert NotPoolAdmin(msg.sender);
        _pause();
    }

    function unpause() external {
        if (msg.sender != admin) revert NotPoolAdmin(msg.sender);
        _unpause();
    }
}
