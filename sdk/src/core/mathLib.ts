// Solidity twin: OpenZeppelin Math.mulDiv (@openzeppelin/contracts/utils/math/Math.sol, v5), Rounding.Floor and
// Rounding.Ceil. bigint is exact at any width, so the 512-bit product needs no tricks; only the reverts need mirroring.

import { ArithmeticOverflow, DivisionByZero, ValueOutOfRange } from "./errors.js";

/** Largest uint256: beyond it Solidity's checked arithmetic reverts. */
export const UINT256_MAX = (1n << 256n) - 1n;

/**
 * Rejects a value a Solidity `uint<bits>` parameter could not hold.
 *
 * @param value - The argument to check.
 * @param bits - Width of the Solidity type, 64 or 256.
 * @param parameter - Name reported in the error.
 * @throws {@link ValueOutOfRange} if `value` is negative or does not fit `bits` bits.
 */
export function requireUint(value: bigint, bits: 64 | 256, parameter: string): void {
  if (value < 0n || value >> BigInt(bits) !== 0n) throw new ValueOutOfRange(parameter, value, bits);
}

/**
 * Passes `value` through where Solidity's checked `uint<bits>` arithmetic would, so the SDK fails where the chain
 * reverts.
 *
 * @param value - Result of an exact bigint operation.
 * @param bits - Width of the Solidity type the operation is carried out in, 64 or 256.
 * @param operation - The Solidity expression it mirrors, reported in the error.
 * @returns `value` unchanged.
 * @throws {@link ArithmeticOverflow} if `value` is negative or does not fit `bits` bits.
 */
export function checkedUint(value: bigint, bits: 64 | 256, operation: string): bigint {
  if (value < 0n || value >> BigInt(bits) !== 0n) throw new ArithmeticOverflow(operation);
  return value;
}

/**
 * `floor(x * y / denominator)` with the exact product, like `Math.mulDiv(x, y, denominator)`.
 *
 * @param x - First factor, a uint256.
 * @param y - Second factor, a uint256.
 * @param denominator - Divisor, a uint256.
 * @returns The quotient rounded down.
 * @throws {@link ValueOutOfRange} if an argument does not fit uint256.
 * @throws {@link DivisionByZero} if `denominator` is zero.
 * @throws {@link ArithmeticOverflow} if the quotient does not fit uint256 (the product alone may).
 */
export function mulDivDown(x: bigint, y: bigint, denominator: bigint): bigint {
  requireUint(x, 256, "x");
  requireUint(y, 256, "y");
  requireUint(denominator, 256, "denominator");
  if (denominator === 0n) throw new DivisionByZero("mulDiv");
  return checkedUint((x * y) / denominator, 256, "mulDiv");
}

/**
 * `ceil(x * y / denominator)` with the exact product, like `Math.mulDiv(x, y, denominator, Math.Rounding.Ceil)`.
 *
 * OpenZeppelin adds the round-up unit to the floored quotient with checked addition, so a floor of exactly
 * {@link UINT256_MAX} with a remainder reverts; this mirrors that edge instead of rounding in one step.
 *
 * @param x - First factor, a uint256.
 * @param y - Second factor, a uint256.
 * @param denominator - Divisor, a uint256.
 * @returns The quotient rounded up.
 * @throws {@link ValueOutOfRange} if an argument does not fit uint256.
 * @throws {@link DivisionByZero} if `denominator` is zero.
 * @throws {@link ArithmeticOverflow} if the rounded-up quotient does not fit uint256.
 */
export function mulDivUp(x: bigint, y: bigint, denominator: bigint): bigint {
  const quotient = mulDivDown(x, y, denominator);
  return (x * y) % denominator === 0n ? quotient : checkedUint(quotient + 1n, 256, "mulDiv rounding up");
}
