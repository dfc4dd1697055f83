/**
 * The SDK's hand-written errors: the base {@link ParapetError}, the failures of the core math (each mirrors a way the
 * Solidity twin reverts), and {@link ContractError}, the base of every error decoded from a contract's revert data,
 * with its two built-in kinds {@link RevertError} (`Error(string)`) and {@link PanicError} (`Panic(uint256)`).
 *
 * The contracts' custom errors, one class each (e.g. `InsufficientCapacity`), are generated into `contractErrors.ts`.
 *
 * @packageDocumentation
 */

/** Base class of every error the Parapet SDK throws, so callers can catch them all with one `instanceof`. */
export class ParapetError extends Error {
  /**
   * @param message - What went wrong, for humans.
   * @param name - The error's `name`, by default its class's name. Subclasses pass it literally, since a minifier
   * renames classes: the SDK's own errors keep their names in a minified bundle.
   */
  constructor(message: string, name: string = new.target.name) {
    super(message);
    this.name = name;
  }
}

/** A step left its Solidity type's range, where checked arithmetic reverts with `Panic(0x11)` (over- or underflow). */
export class ArithmeticOverflow extends ParapetError {
  /** The Solidity expression that would revert, as written in the twin. */
  readonly operation: string;

  /** @param operation - The Solidity expression that would revert. */
  constructor(operation: string) {
    super(`arithmetic overflow or underflow in \`${operation}\` (Solidity Panic 0x11)`, "ArithmeticOverflow");
    this.operation = operation;
  }
}

/** A division by zero, where Solidity reverts with `Panic(0x12)`. */
export class DivisionByZero extends ParapetError {
  /** @param operation - The Solidity expression that would revert. */
  constructor(operation: string) {
    super(`division by zero in \`${operation}\` (Solidity Panic 0x12)`, "DivisionByZero");
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
    super(`${parameter} = ${value} does not fit uint${bits}`, "ValueOutOfRange");
    this.parameter = parameter;
    this.value = value;
    this.bits = bits;
  }
}

/** An argument outside what the function accepts, named, with the reason. */
export class InvalidArgument extends ParapetError {
  /** Name of the offending argument, e.g. `vaults[2].curve`. */
  readonly parameter: string;

  /**
   * @param parameter - Name of the offending argument.
   * @param problem - What is wrong with it, completing "`parameter` ...".
   */
  constructor(parameter: string, problem: string) {
    super(`${parameter} ${problem}`, "InvalidArgument");
    this.parameter = parameter;
  }
}

/** Bytes that are not a valid ABI encoding of the expected types (too short, dirty padding, bad offsets). */
export class AbiDecodingError extends ParapetError {
  /** @param message - What is wrong with the data. */
  constructor(message: string) {
    super(message, "AbiDecodingError");
  }
}

/** A value decoded from ABI data: `bigint` for integers, `boolean` for `bool`, `string` for everything else. */
export type AbiValue = bigint | boolean | string;

/** One parameter of a contract error: its name in Solidity and its canonical ABI type. */
export type ContractErrorParam = {
  /** The parameter's name in the Solidity declaration, which is also the error object's field. */
  readonly name: string;
  /** Canonical ABI type, e.g. `uint256`, `address`, `bytes32`, `string`. */
  readonly type: string;
  /** For an enum parameter (`uint8` in the ABI), the Solidity enum's name; its field is then a `number`. */
  readonly enum?: string;
};

/** What identifies a contract error and how its arguments are laid out. */
export type ContractErrorSpec = {
  /**
   * The SDK class's name, which becomes the error's `name`: `errorName`, except where two contracts declare different
   * errors under one name. Spelled out so that a minifier renaming classes cannot change it.
   */
  readonly className: string;
  /** The error's name in Solidity, e.g. `InsufficientCapacity`. */
  readonly errorName: string;
  /** Canonical signature, e.g. `InsufficientCapacity(uint256,uint256)`. */
  readonly signature: string;
  /** First 4 bytes of the signature's keccak256: lowercase hex with `0x`, e.g. `0x1040f089`. */
  readonly selector: string;
  /** Parameters in ABI order. */
  readonly params: readonly ContractErrorParam[];
};

/** A value of a decoded error's field: ABI values, with enums as their `number` ordinal. */
export type ContractErrorValue = AbiValue | number;

/** A class of contract error: built from its fields in ABI order, and carrying its {@link ContractErrorSpec}. */
export type ContractErrorClass = {
  readonly spec: ContractErrorSpec;
  new (...args: never[]): ContractError;
};

/**
 * A contract reverted with this error. Each custom error of the Parapet contracts has a subclass of the same name
 * (see `contractErrors.ts`) whose fields are the error's parameters; `decodeContractError` turns revert data into one.
 *
 * `name` is the class name. It equals `errorName` except where two contracts declare different errors under one
 * name: those classes are renamed (e.g. `AdjudicatorUnknownCase`) while `errorName` keeps the Solidity name, and for
 * the built-in {@link RevertError} and {@link PanicError}.
 */
export abstract class ContractError extends ParapetError {
  /** The error's name in Solidity. */
  readonly errorName: string;
  /** Canonical signature, e.g. `InsufficientCapacity(uint256,uint256)`. */
  readonly signature: string;
  /** 4-byte selector, lowercase hex with `0x`. */
  readonly selector: string;
  /** Parameter names and types, in ABI order. */
  readonly params: readonly ContractErrorParam[];
  /** The arguments in ABI order (the same values as the named fields). */
  readonly args: readonly ContractErrorValue[];

  /**
   * @param spec - The error's name, signature, selector and parameters.
   * @param args - The arguments, in ABI order.
   */
  protected constructor(spec: ContractErrorSpec, args: readonly ContractErrorValue[]) {
    const fields = spec.params.map((param, i) => `${param.name}: ${formatArg(args[i])}`);
    super(`${spec.errorName}(${fields.join(", ")})`, spec.className);
    this.errorName = spec.errorName;
    this.signature = spec.signature;
    this.selector = spec.selector;
    this.params = spec.params;
    this.args = Object.freeze([...args]);
  }
}

function formatArg(value: ContractErrorValue | undefined): string {
  return typeof value === "string" && !value.startsWith("0x") ? JSON.stringify(value) : String(value);
}

/** `revert("...")` or a failed `require(condition, "...")`: Solidity's built-in `Error(string)`. */
export class RevertError extends ContractError {
  static readonly spec: ContractErrorSpec = {
    className: "RevertError",
    errorName: "Error",
    signature: "Error(string)",
    selector: "0x08c379a0",
    params: [{ name: "reason", type: "string" }],
  };
  /** The revert reason. */
  readonly reason: string;

  /** @param reason - The revert reason. */
  constructor(reason: string) {
    super(RevertError.spec, [reason]);
    this.reason = reason;
  }
}

/** What each Solidity panic code means (https://docs.soliditylang.org/en/latest/control-structures.html#panic). */
export const PANIC_REASONS: Readonly<Record<number, string>> = {
  0x00: "generic compiler panic",
  0x01: "assertion failed",
  0x11: "arithmetic overflow or underflow",
  0x12: "division or modulo by zero",
  0x21: "conversion to an enum out of range",
  0x22: "incorrectly encoded storage byte array",
  0x31: "pop() on an empty array",
  0x32: "array index out of bounds",
  0x41: "out of memory",
  0x51: "call to a zero-initialized internal function",
};

/** A Solidity panic, `Panic(uint256)`: a failed `assert`, checked-arithmetic overflow, division by zero, ... */
export class PanicError extends ContractError {
  static readonly spec: ContractErrorSpec = {
    className: "PanicError",
    errorName: "Panic",
    signature: "Panic(uint256)",
    selector: "0x4e487b71",
    params: [{ name: "code", type: "uint256" }],
  };
  /** The panic code, e.g. `0x11n` for an arithmetic overflow. */
  readonly code: bigint;
  /** What the code means, from {@link PANIC_REASONS}, or `unknown panic code` for one Solidity does not define. */
  readonly reason: string;

  /** @param code - The panic code. */
  constructor(code: bigint) {
    super(PanicError.spec, [code]);
    this.code = code;
    this.reason = (code <= 0xffn ? PANIC_REASONS[Number(code)] : undefined) ?? "unknown panic code";
    this.message = `Panic(0x${code.toString(16)}): ${this.reason}`;
  }
}
