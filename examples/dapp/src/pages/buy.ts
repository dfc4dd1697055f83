/**
 * Quote and buy: the order (product, amount, days, one vault or the router's split, slippage), the quote with each
 * leg the router chose, then `buyCover`, which bounds every leg's cost by its quoted total plus the slippage.
 */
import type { CoverOrder, CoverQuote } from "@parapet/sdk";

import type { App, Page } from "../app.js";
import { describeError } from "../app.js";
import { annualRateWad } from "../chain/rates.js";
import { field, h, table, valueOf } from "../dom.js";
import { amount, percentWad, productName } from "../format.js";

const DAY = 86_400;

export const buyPage: Page = async (app: App, params: URLSearchParams) => {
  const { parapet, asset } = app;
  const products = (await parapet.products()).filter((product) => product.active);
  const balance = await app.balance();
  const chosen = params.get("product") ?? String(products[0]?.id ?? "");
  const show = (value: bigint) => `${amount(value, asset.decimals)} ${asset.symbol}`;

  const form = h(
    "form",
    { "data-testid": "buy-form" },
    field(
      "Product",
      h(
        "select",
        { name: "product" },
        ...products.map((product) =>
          h("option", { value: String(product.id), selected: String(product.id) === chosen }, `#${product.id} ${productName(product.metadataURI, product.id)}`),
        ),
      ),
    ),
    field(`Cover (${asset.symbol})`, h("input", { name: "amount", value: "10000", inputmode: "decimal" })),
    field("Days", h("input", { name: "days", value: "30", inputmode: "numeric" })),
    field(
      "Vault",
      h(
        "select",
        { name: "vault" },
        h("option", { value: "" }, "cheapest split (router)"),
        ...Object.keys(parapet.deployment.addresses.vaults).map((name) => h("option", { value: name }, name)),
      ),
    ),
    field("Slippage (bps)", h("input", { name: "slippage", value: "50", inputmode: "numeric" }), "each leg's cost may exceed its quote by this much"),
  );
  const quoteButton = h("button", { type: "button", "data-testid": "quote" }, "Get quote");
  const buyButton = h("button", { type: "button", class: "primary", "data-testid": "buy", disabled: true }, "Buy cover");
  const quoteBox = h("div", { "data-testid": "quote-result" });

  const order = (): CoverOrder & { slippageBps: bigint } => {
    const days = Number(valueOf(form, "days"));
    if (!Number.isInteger(days) || days <= 0) throw new Error(`days must be a whole number above 0 (got "${valueOf(form, "days")}")`);
    const slippage = valueOf(form, "slippage");
    if (!/^\d+$/.test(slippage)) throw new Error(`slippage must be whole basis points (got "${slippage}")`);
    const vault = valueOf(form, "vault");
    return {
      productId: BigInt(valueOf(form, "product")),
      amount: valueOf(form, "amount"),
      period: days * DAY,
      vault: vault === "" ? undefined : vault,
      slippageBps: BigInt(slippage),
    };
  };
  const showQuote = (quote: CoverQuote) => {
    const rows = quote.legs.map((leg) => [
      app.vaultName(leg.vault),
      show(leg.amount),
      show(leg.premium),
      show(leg.protocolFee),
      show(leg.total),
      percentWad(annualRateWad(leg.premium, leg.amount, quote.period)),
    ]);
    quoteBox.replaceChildren(
      h("h2", {}, quote.legs.length > 1 ? `The router splits it into ${quote.legs.length} policies` : "One policy"),
      table("legs", ["vault", "cover", "premium", "protocol fee", "total", "annual rate"], rows),
      h(
        "p",
        { "data-testid": "quote-total" },
        `Total ${show(quote.total)} (premium ${show(quote.premium)} + protocol fee ${show(quote.protocolFee)}), ` +
          `annual rate ${percentWad(annualRateWad(quote.premium, quote.amount, quote.period))}. ` +
          `Pays at most ${show(quote.total + (quote.total * order().slippageBps) / 10_000n)} with the slippage.`,
      ),
    );
  };

  form.addEventListener("input", () => {
    buyButton.disabled = true;
    quoteBox.replaceChildren();
  });
  quoteButton.addEventListener("click", () => {
    void (async () => {
      quoteButton.disabled = true;
      try {
        showQuote(await parapet.quoteCover(order()));
        buyButton.disabled = false;
        app.notify("info", "Quoted at the latest block: the price moves as vaults earn and sell cover");
      } catch (error) {
        app.notify("error", describeError(error));
      } finally {
        quoteButton.disabled = false;
      }
    })();
  });
  buyButton.addEventListener("click", () => {
    void app.act(buyButton, "Buying cover", async () => {
      const result = await parapet.buyCover(order());
      const ids = result.policyIds.map((id) => `#${id}`).join(", ");
      return `Bought policy ${ids} for ${show(result.totalCost)}: see My policies`;
    });
  });

  return h(
    "div",
    {},
    h("h1", {}, "Quote and buy cover"),
    h("p", { "data-testid": "balance" }, `Your balance: ${show(balance)}`),
    form,
    h("div", { class: "actions" }, quoteButton, buyButton),
    quoteBox,
  );
};
