/**
 * Waiting for the indexer. Reads through an indexer are as of the block it has indexed, so right after a transaction
 * the page would show the state before it: the dApp waits until the indexer has caught up with the chain's head
 * (Ponder's `/status`, polled) before it renders again.
 */
const POLL_MS = 200;

/** The block Ponder reports as indexed, or `undefined` while it does not answer. */
async function indexedBlock(url: string): Promise<number | undefined> {
  try {
    const response = await fetch(`${url.replace(/\/+$/, "")}/status`);
    if (!response.ok) return undefined;
    const status = (await response.json()) as Record<string, { block?: { number: number } } | undefined>;
    return Object.values(status)[0]?.block?.number;
  } catch {
    return undefined;
  }
}

/**
 * Resolves once the indexer at `url` has indexed `block`.
 * @throws `Error` after `timeoutMs`, naming the block it reached.
 */
export async function indexerAt(url: string, block: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const indexed = await indexedBlock(url);
    if (indexed !== undefined && indexed >= block) return;
    if (Date.now() > deadline) throw new Error(`the indexer at ${url} has not indexed block ${block} after ${timeoutMs / 1000} s (it is at ${indexed ?? "no answer"})`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
