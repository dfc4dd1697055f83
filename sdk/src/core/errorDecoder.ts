/**
 * Revert data → typed SDK error, without ethers: the selector picks the class from {@link CONTRACT_ERRORS}, and
 * {@link decodeAbiParameters} decodes its arguments.
 *
 * @packageDocumentation
 */

import { decodeAbiParameters } from "./abiDecode.js";
import { CONTRACT_ERRORS } from "./contractErrors.js";
import { AbiDecodingError, type ContractError, type ContractErrorValue } from "./errors.js";

/**
 * Decodes the data a reverted call returned into the SDK class of the error: one of the contracts' custom errors (e.g.
 * `InsufficientCapacity`, with `requested` and `available`), a {@link RevertError} for `Error(string)`, or a
 * {@link PanicError} for `Panic(uint256)`.
 *
 * ```ts
 * const error = decodeContractError(revertData);
 * if (error instanceof InsufficientCapacity) console.log(`only ${error.available} left`);
 * ```
 *
 * @param revertData - The revert data, `0x`-prefixed hex: a 4-byte selector then the ABI-encoded arguments.
 * @returns The decoded error, or `undefined` if the selector is not one of the protocol's errors, or the data after it
 * is not a valid encoding of that error's arguments (too short, or a value its type cannot hold). Never throws.
 */
export function decodeContractError(revertData: string): ContractError | undefined {
  if (typeof revertData !== "string" || !/^0x[0-9a-fA-F]{8}/.test(revertData)) return undefined;
  const errorClass = CONTRACT_ERRORS.get(revertData.slice(0, 10).toLowerCase());
  if (errorClass === undefined) return undefined;
  const { params } = errorClass.spec;
  let values;
  try {
    values = decodeAbiParameters(
      params.map((param) => param.type),
      `0x${revertData.slice(10)}`
    );
  } catch (error) {
    if (error instanceof AbiDecodingError) return undefined;
    throw error;
  }
  const args: ContractErrorValue[] = values.map((value, i) => (params[i]!.enum === undefined ? value : Number(value)));
  return new (errorClass as unknown as new (...fields: ContractErrorValue[]) => ContractError)(...args);
}
