/**
 * A TEST wallet for the dApp's browser tests: an EIP-1193 provider injected as `window.ethereum` that answers for one
 * account of the local node and forwards every other request to the node's JSON-RPC. The node's accounts are
 * unlocked (Hardhat's test mnemonic), so `eth_sendTransaction` from that account is signed by the node itself: no key
 * reaches the page. It signs nothing on its own and refuses transactions from any other account. Never point it at
 * a node holding real funds.
 */
import type { Page } from "playwright-core";

/** What the page-side provider gets back from the test process: the JSON-RPC result or error, as the node sent it. */
type Answer = { result?: unknown; error?: { code: number; message: string; data?: unknown } };

export async function injectTestWallet(page: Page, options: { rpcUrl: string; account: string }): Promise<void> {
  const account = options.account.toLowerCase();
  await page.exposeFunction("__parapetTestWalletRequest", async (method: string, params: unknown[]): Promise<Answer> => {
    if (method === "eth_requestAccounts" || method === "eth_accounts") return { result: [account] };
    if (method === "eth_sendTransaction") {
      const from = String((params[0] as { from?: string } | undefined)?.from ?? "").toLowerCase();
      if (from !== account) return { error: { code: 4100, message: `the test wallet only sends from ${account} (asked for ${from || "no sender"})` } };
    }
    const response = await fetch(options.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    const body = (await response.json()) as Answer;
    return body.error === undefined ? { result: body.result } : { error: body.error };
  });
  // Runs in the page before its scripts: the provider a wallet extension would inject.
  await page.addInitScript(() => {
    const page = globalThis as any;
    page.ethereum = {
      isParapetTestWallet: true,
      async request({ method, params }: { method: string; params?: unknown[] }) {
        const answer = await page.__parapetTestWalletRequest(method, params ?? []);
        if (answer.error !== undefined) throw Object.assign(new Error(answer.error.message), answer.error);
        return answer.result;
      },
      on() {},
      removeListener() {},
    };
  });
}
