/** What every page gets: the SDK client with the wallet's signer, the account, the asset, and the notice line. */
import { ParapetError, type ParapetClient } from "@parapet/sdk";

export type Asset = { address: string; symbol: string; decimals: number };

export type App = {
  parapet: ParapetClient;
  account: string;
  asset: Asset;
  /** Where policies, claims and incidents are found (`parapet.eventSource`), in words for the page. */
  source: string;
  /** The account's balance of the asset. */
  balance(): Promise<bigint>;
  /** The deployment's name of a vault address (`conservative`), else the address. */
  vaultName(address: string): string;
  notify(kind: "info" | "ok" | "error", message: string): void;
  /**
   * Runs a wallet action from `button`: disables it, says what is happening, reports the result (or the decoded
   * error, leaving the page as it was), then renders the page again from the chain.
   */
  act(button: HTMLButtonElement, what: string, run: () => Promise<string>): Promise<void>;
};

/** A page: renders itself from the chain into a fresh element. */
export type Page = (app: App, params: URLSearchParams) => Promise<HTMLElement>;

/** An error in words: the SDK's typed errors carry their name and fields; ethers' a short message. */
export function describeError(error: unknown): string {
  if (error instanceof ParapetError) return error.message.startsWith(error.name) ? error.message : `${error.name}: ${error.message}`;
  const short = (error as { shortMessage?: unknown }).shortMessage;
  if (typeof short === "string") return short;
  return error instanceof Error ? error.message : String(error);
}
