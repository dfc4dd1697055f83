// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TestStablecoin} from "./TestStablecoin.sol";

/// @notice A test stablecoin with a blocklist, as USDC and USDT have: a transfer to a blocked account reverts. Tests
/// use it to show that no receiver the token refuses can block a payout, a queue or a settlement.
/// @dev Mints to a blocked account still work, so a test can fund an account and block it afterwards.
contract BlocklistStablecoin is TestStablecoin {
    error BlockedReceiver(address account);

    mapping(address account => bool) public blocked;

    constructor(string memory name_, string memory symbol_, uint8 decimals_)
        TestStablecoin(name_, symbol_, decimals_)
    {}

    function setBlocked(address account, bool isBlocked) external {
        blocked[account] = isBlocked;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && blocked[to]) revert BlockedReceiver(to);
        super._update(from, to, value);
    }
}
