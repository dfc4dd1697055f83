/**
 * Errors thrown by the SDK's core math. Each mirrors a way the Solidity twin reverts (or, for
 * {@link InsufficientCapacity}, the check the contract makes before it prices a purchase), so a quote
 * the SDK refuses is one the chain would refuse too.
 *
 * @packageDocumentation
 */

/** Base class of every error the Parapet SDK throws, so callers can catch them all with one `instanceof`. */
export class ParapetError extends Error {
  /** @param message - What went wrong, for humans. */
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A purchase asks for more cover than the vault has free: the contract checks this before pricing. */
export class InsufficientCapacity extends ParapetError {
  /** Cover asked for, in the asset's smallest unit. */
  readonly requested: bigint;
  /** Free capacity, `capacity - exposure`, or `0n` when exposure already exceeds capacity. */
  readonly available: bigint;

  /**
   * @param requested - Cover asked for, in the asset's smallest unit.
   * @param available - Free capacity, never negative.
   */
  constructor(requested: bigint, available: bigint) {
    super(`requested ${requested} of cover but only ${available} is available`);
    this.requested = requested;
    this.available = available;
  }
}

/** A step left its Solidity type's range, where checked arithmetic reverts with `Panic(0x11)` (over- or underflow). */
export class ArithmeticOverflow extends ParapetError {
  /** The Solidity expression that would revert, as written in the twin. */
  readonly operation: string;

  /** @param operation - The Solidity expression that would revert. */
  constructor(operation: string) {
    super(`arithmetic overflow or underflow in \`${operation}\` (Solidity Panic 0x11)`);
    this.operation = operation;
  }
}

/** A division by zero, where Solidity reverts with `Panic(0x12)`. */
export class DivisionByZero extends ParapetError {
  /** @param operation - The Solidity expression that would revert. */
  constructor(operation: string) {
    super(`division by zero in \`${operation}\` (Solidity Panic 0x12)`);
  }
}

/**
 * An argument the Solidity parameter's type cannot hold (negative, or wider than `uintN`). The contract can never
 * be called with such a value, so answering would claim a parity that does not exist.
 */
export class ValueOutOfRange extends ParapetError {
  /** Name of the offending parameter. */
  readonly parameter: string;
  /** The rejected value. */
  readonly value: bigint;
  /** Width in bits of the Solidity type the value must fit. */
  readonly bits: number;

  /**
   * @param parameter - Name of the offending parameter.
   * @param value - The rejected value.
   * @param bits - Width in bits of the Solidity type the value must fit.
   */
  constructor(parameter: string, value: bigint, bits: number) {
    super(`${parameter} = ${value} does not fit uint${bits}`);
    this.parameter = parameter;
    this.value = value;
    this.bits = bits;
  }
}
