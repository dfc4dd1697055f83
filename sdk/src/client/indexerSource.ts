/**
 * The Parapet indexer (`indexer/`, README "Indexer") as the client's {@link ProtocolEventSource}: which policies an
 * owner holds, the claims of policies and the incidents of products come from its GraphQL API instead of a scan of
 * the chain's logs from the deployment block.
 *
 * Browser-safe: `fetch` only.
 *
 * @packageDocumentation
 */
import { getAddress } from "ethers";

import { ParapetError } from "../core/index.js";
import type { ProtocolEventSource, SourcedIds } from "./eventSource.js";

/** Where the indexer is, for `ParapetClient.connect(..., { indexer })`. */
export type IndexerOptions = {
  /** The indexer's base URL (`npm run indexer` serves `http://127.0.0.1:42069`); GraphQL is at `<url>/graphql`. */
  url: string;
  /** The `fetch` to use (default: the global one). */
  fetch?: typeof fetch;
};

/** The indexer could not be reached, answered with an error, or serves another chain. */
export class IndexerError extends ParapetError {
  /** The GraphQL endpoint asked. */
  readonly url: string;

  constructor(url: string, problem: string) {
    super(`Parapet indexer at ${url}: ${problem}`, "IndexerError");
    this.url = url;
  }
}

/** Rows per GraphQL page: Ponder's maximum. */
const PAGE = 1000;

type Page = { items: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
type ChainStatus = Record<string, { id: number; block: { number: number; timestamp: number } } | undefined>;

export class IndexerSource implements ProtocolEventSource {
  readonly kind = "indexer";
  readonly url: string;
  readonly #chainId: number;
  readonly #fetch: typeof fetch;

  /**
   * @param options - The indexer's URL.
   * @param chainId - The deployment's chain: answers are checked to come from an indexer of this chain.
   */
  constructor(options: IndexerOptions, chainId: number) {
    this.url = `${options.url.replace(/\/+$/, "")}/graphql`;
    this.#chainId = chainId;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** The block the indexer has indexed up to. @throws {@link IndexerError} if it serves another chain. */
  async indexedBlock(): Promise<number> {
    const data = await this.#query<{ _meta: { status: ChainStatus } }>("{ _meta { status } }", {});
    return this.#blockOf(data._meta.status);
  }

  async policyCandidatesOf(owner: string): Promise<SourcedIds> {
    return this.#ids("policys", { filter: "owner: $key", type: "String!", value: getAddress(owner).toLowerCase() });
  }

  async claimIdsOf(policyIds: readonly bigint[]): Promise<bigint[]> {
    if (policyIds.length === 0) return [];
    return (await this.#ids("claims", { filter: "policyId_in: $key", type: "[BigInt!]!", value: policyIds.map(String) })).ids;
  }

  async incidentIdsOf(productIds?: readonly bigint[]): Promise<SourcedIds> {
    if (productIds === undefined) return this.#ids("incidents");
    return this.#ids("incidents", { filter: "productId_in: $key", type: "[BigInt!]!", value: productIds.map(String) });
  }

  /**
   * Every id of `table` matching `where` (its `filter` on the variable `$key`), ascending, page after page; the indexed
   * block is read with the first page (one request, one snapshot of the indexer's tables).
   */
  async #ids(table: string, where?: { filter: string; type: string; value: unknown }): Promise<SourcedIds> {
    const ids: bigint[] = [];
    let block: number | undefined;
    let after: string | null = null;
    do {
      const meta = block === undefined ? "_meta { status }" : "";
      const query =
        `query (${where === undefined ? "" : `$key: ${where.type}, `}$after: String) { ${meta} ` +
        `page: ${table}(${where === undefined ? "" : `where: { ${where.filter} }, `}orderBy: "id", orderDirection: "asc", ` +
        `limit: ${PAGE}, after: $after) { items { id } pageInfo { hasNextPage endCursor } } }`;
      const data: { _meta?: { status: ChainStatus }; page: Page } = await this.#query(query, { key: where?.value, after });
      if (data._meta !== undefined) block = this.#blockOf(data._meta.status);
      for (const item of data.page.items) ids.push(BigInt(item.id));
      after = data.page.pageInfo.hasNextPage ? data.page.pageInfo.endCursor : null;
    } while (after !== null);
    return { block: block!, ids };
  }

  #blockOf(status: ChainStatus): number {
    const chain = Object.values(status).find((entry) => entry?.id === this.#chainId);
    if (chain === undefined) {
      const served = Object.values(status).map((entry) => entry?.id);
      throw new IndexerError(this.url, `serves chain ${served.join(", ") || "(none yet)"}, not the deployment's chain ${this.#chainId}`);
    }
    return chain.block.number;
  }

  async #query<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    let response: Response;
    try {
      response = await this.#fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ query, variables }),
      });
    } catch (error) {
      throw new IndexerError(this.url, `unreachable (${error instanceof Error ? error.message : String(error)})`);
    }
    const text = await response.text();
    let body: { data?: T; errors?: { message: string }[] };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new IndexerError(this.url, `answered HTTP ${response.status} with no JSON: ${text.slice(0, 200)}`);
    }
    if (body.errors !== undefined && body.errors.length > 0) {
      throw new IndexerError(this.url, `query failed: ${body.errors.map((error) => error.message).join("; ")}`);
    }
    if (!response.ok || body.data === undefined) throw new IndexerError(this.url, `answered HTTP ${response.status} without data`);
    return body.data;
  }
}
