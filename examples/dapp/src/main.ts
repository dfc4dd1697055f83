/**
 * The example dApp: an injected wallet, the Parapet SDK client on its signer, and five pages behind hash routes.
 */
import { Contract } from "ethers";
import { loadDeployment, ParapetClient } from "@parapet/sdk";
import deploymentJson from "virtual:parapet-deployment";

import { describeError, type App, type Page } from "./app.js";
import { indexerAt } from "./chain/indexer.js";
import { h } from "./dom.js";
import { amount, shortAddress } from "./format.js";
import { buyPage } from "./pages/buy.js";
import { claimPage } from "./pages/claim.js";
import { policiesPage } from "./pages/policies.js";
import { productsPage } from "./pages/products.js";
import { underwritePage } from "./pages/underwrite.js";
import { connectWallet } from "./wallet.js";
import "./style.css";

const ROUTES: Record<string, { title: string; page: Page }> = {
  products: { title: "Products", page: productsPage },
  buy: { title: "Buy cover", page: buyPage },
  policies: { title: "My policies", page: policiesPage },
  claim: { title: "File a claim", page: claimPage },
  underwrite: { title: "Underwrite", page: underwritePage },
};

/** The indexer (`npm run indexer`), optional: unset or empty, the SDK scans the chain's logs. */
const INDEXER_URL = import.meta.env.VITE_PARAPET_INDEXER_URL?.trim() || undefined;

const ERC20 = [
  "function symbol() view returns (string)",
  "function decimals() view returns (uint8)",
  "function balanceOf(address) view returns (uint256)",
];

const pageElement = document.querySelector<HTMLElement>("#page")!;
const notice = document.querySelector<HTMLElement>("#notice")!;
const walletElement = document.querySelector<HTMLElement>("#wallet")!;

function notify(kind: "info" | "ok" | "error", message: string): void {
  notice.className = kind;
  notice.textContent = message;
}

function route(): { name: string; params: URLSearchParams } {
  const [path = "", query = ""] = window.location.hash.replace(/^#\/?/, "").split("?");
  return { name: path in ROUTES ? path : "products", params: new URLSearchParams(query) };
}

async function start(): Promise<void> {
  const deployment = loadDeployment(deploymentJson);
  const { provider, signer, account } = await connectWallet();
  // Transactions go through the wallet; `onSent` shows each hash as soon as the wallet has sent it. With an indexer,
  // policies, claims and incidents are found through it (connect checks it serves this chain), else in the logs.
  const parapet = await ParapetClient.connect(signer, deployment, {
    onSent: (transaction) => notify("info", `${transaction.action} sent: ${transaction.hash}, waiting to be mined…`),
    indexer: INDEXER_URL === undefined ? undefined : { url: INDEXER_URL },
  });
  const token = new Contract(deployment.addresses.asset, ERC20, parapet.provider);
  const [symbol, decimals] = (await Promise.all([token.symbol!(), token.decimals!()])) as [string, bigint];
  const names = new Map(Object.entries(deployment.addresses.vaults).map(([name, address]) => [address.toLowerCase(), name]));

  let rendering = 0;
  const render = async () => {
    const { name, params } = route();
    const ticket = ++rendering;
    pageElement.setAttribute("aria-busy", "true");
    try {
      const balance = (await token.balanceOf!(account)) as bigint;
      walletElement.textContent = `${shortAddress(account)} · chain ${deployment.chainId} · ${amount(balance, Number(decimals))} ${symbol}`;
      const content = await ROUTES[name]!.page(app, params);
      if (ticket === rendering) pageElement.replaceChildren(content);
    } catch (error) {
      if (ticket === rendering) pageElement.replaceChildren(h("p", { class: "error" }, `Could not load the page: ${describeError(error)}`));
    } finally {
      if (ticket === rendering) pageElement.removeAttribute("aria-busy");
    }
    for (const link of document.querySelectorAll("#nav a")) link.classList.toggle("active", link.getAttribute("href") === `#/${name}`);
  };

  const app: App = {
    parapet,
    account,
    asset: { address: deployment.addresses.asset, symbol, decimals: Number(decimals) },
    source: parapet.eventSource === "indexer" ? `indexer at ${INDEXER_URL}` : `SDK log index (from block ${deployment.startBlock})`,
    balance: async () => (await token.balanceOf!(account)) as bigint,
    vaultName: (address) => names.get(address.toLowerCase()) ?? address,
    notify,
    act: async (button, what, run) => {
      button.disabled = true;
      notify("info", `${what}: confirm in your wallet…`);
      try {
        const message = await run();
        // The transaction is mined: with an indexer, render once it has indexed it too.
        if (INDEXER_URL !== undefined) await indexerAt(INDEXER_URL, Number(await provider.send("eth_blockNumber", [])));
        notify("ok", message);
        await render();
      } catch (error) {
        notify("error", describeError(error));
        button.disabled = false;
      }
    },
  };

  // A click on the current page's link reads the chain again (the hash does not change, so no hashchange fires).
  const refreshIfCurrent = (event: Event) => {
    if ((event.currentTarget as HTMLAnchorElement).getAttribute("href") === window.location.hash) void render();
  };
  document
    .querySelector("#nav")!
    .replaceChildren(...Object.entries(ROUTES).map(([name, { title }]) => h("a", { href: `#/${name}`, onClick: refreshIfCurrent }, title)));
  window.addEventListener("hashchange", () => void render());
  await render();
}

start().catch((error: unknown) => {
  pageElement.replaceChildren(h("p", { class: "error", "data-testid": "startup-error" }, describeError(error)));
});
