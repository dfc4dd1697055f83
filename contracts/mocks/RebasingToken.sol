// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice A rebasing ERC-20: every balance is its holder's raw units times `factorWad / 1e18`, and anyone may change
/// the factor (a positive rebase grows every balance, a negative one shrinks them). A transfer of `value` moves
/// `ceil(value * 1e18 / factorWad)` raw units, as stETH-like tokens do (the receiver may see a unit more or less).
contract RebasingToken is ERC20 {
    uint256 private constant WAD = 1e18;

    uint256 public factorWad = WAD;

    event Rebased(uint256 factorWad);

    constructor() ERC20("Rebasing USD", "rbUSD") {}

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function setFactor(uint256 factorWad_) external {
        factorWad = factorWad_;
        emit Rebased(factorWad_);
    }

    function balanceOf(address account) public view override returns (uint256) {
        return Math.mulDiv(super.balanceOf(account), factorWad, WAD);
    }

    function totalSupply() public view override returns (uint256) {
        return Math.mulDiv(super.totalSupply(), factorWad, WAD);
    }

    /// @notice The raw (unscaled) units of `account`.
    function rawBalanceOf(address account) external view returns (uint256) {
        return super.balanceOf(account);
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, Math.mulDiv(value, WAD, factorWad, Math.Rounding.Ceil));
    }
}
