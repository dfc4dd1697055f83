import { networkHelpers, time } from "../helpers.js";

/**
 * Reads `read` in a block at `timestamp`, then rewinds the chain. Premium streams make NAV-based views (quotes,
 * previews) depend on the block time, so a test that sends a transaction at `timestamp` reads its expectation here.
 */
export async function viewAt<T>(timestamp: bigint, read: () => Promise<T>): Promise<T> {
  const snapshot = await networkHelpers.takeSnapshot();
  await time.increaseTo(timestamp);
  const value = await read();
  await snapshot.restore();
  return value;
}
