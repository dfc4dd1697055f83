/**
 * Turns what ethers throws for a reverted call into the core's typed contract errors, so callers of the client never
 * handle raw revert data.
 *
 * @packageDocumentation
 */
import { decodeContractError, ParapetError } from "../core/index.js";

/**
 * A contract reverted with data the SDK does not know (an error of a contract outside the protocol, say a
 * non-standard token, or a bare `revert()` with no data). Known errors come back as their own classes instead (e.g.
 * `InsufficientCapacity`).
 */
export class UnrecognizedRevert extends ParapetError {
  /** The revert data as returned (`0x` for a revert without data). */
  readonly data: string;
  /** Its 4-byte selector, or `undefined` when the data is shorter. */
  readonly selector: string | undefined;

  /** @param data - The revert data. */
  constructor(data: string) {
    const selector = data.length >= 10 ? data.slice(0, 10).toLowerCase() : undefined;
    super(selector === undefined ? "the call reverted without an error" : `the call reverted with unknown error ${selector}`, "UnrecognizedRevert");
    this.data = data;
    this.selector = selector;
  }
}

const HEX = /^0x([0-9a-fA-F]{2})*$/;
/** Where ethers v6 and JSON-RPC nodes nest the revert data; `transaction` (whose `data` is calldata) is not searched. */
const NESTED = ["info", "error", "cause"] as const;

/**
 * The revert data carried by an error thrown by ethers (or a JSON-RPC node), or `undefined` if it carries none
 * (a network failure, a rejected signature, ...). Looks at `error.data` (ethers' `CALL_EXCEPTION`), then the nested
 * JSON-RPC error (`error.info.error.data`, `error.error.data`, also when `data` is itself `{ data }`).
 */
export function revertDataOf(error: unknown, depth = 0): string | undefined {
  if (depth > 6 || typeof error !== "object" || error === null) return undefined;
  const record = error as Record<string, unknown>;
  const data = record.data;
  if (typeof data === "string" && HEX.test(data)) return data;
  if (typeof data === "object" && data !== null) {
    const inner = revertDataOf(data, depth + 1);
    if (inner !== undefined) return inner;
  }
  for (const key of NESTED) {
    const inner = revertDataOf(record[key], depth + 1);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

/**
 * The typed SDK error for a revert (a core `ContractError` subclass, or {@link UnrecognizedRevert}); any other error
 * (no revert data) is returned unchanged.
 */
export function toParapetError(error: unknown): unknown {
  if (error instanceof ParapetError) return error;
  const data = revertDataOf(error);
  if (data === undefined) return error;
  const decoded = decodeContractError(data) ?? new UnrecognizedRevert(data);
  (decoded as { cause?: unknown }).cause = error;
  return decoded;
}

/** Runs `call`, rethrowing a revert as its typed SDK error. */
export async function withContractErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toParapetError(error);
  }
}
