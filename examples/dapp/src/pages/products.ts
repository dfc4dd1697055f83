/**
 * Products with their model rate (the SDK's risk model on the product's profile, `deploy/risk-profiles/<name>.json`)
 * beside the market: each backing vault's rate now (its curve at its current utilization), utilization and capacity
 * left, from one `ParapetLens.market` call per product.
 */
import { assessRisk, fractionToWadBps } from "@parapet/sdk/risk";

import type { App, Page } from "../app.js";
import { curveRateWad } from "../chain/rates.js";
import { h, table } from "../dom.js";
import { amount, duration, percentWad, productName } from "../format.js";

/** The risk profiles shipped with the deployment, by product name. */
const PROFILES = import.meta.glob<unknown>("../../../../deploy/risk-profiles/*.json", { eager: true, import: "default" });

/** The model rate of a product with a profile, as `vault:status` and `cover:quote` print it (WAD a year). */
function modelRateWad(name: string, minRateWad: bigint): bigint | undefined {
  const profile = Object.entries(PROFILES).find(([file]) => file.endsWith(`/${name}.json`))?.[1];
  if (profile === undefined) return undefined;
  return fractionToWadBps(assessRisk(profile, { minRateWad }).rate.modelRate, true);
}

export const productsPage: Page = async (app: App) => {
  const { parapet, asset } = app;
  const products = await parapet.products();
  const markets = await Promise.all(products.map((product) => parapet.lens.market(product.id)));
  const cards = products.map((product, index) => {
    const name = productName(product.metadataURI, product.id);
    const model = modelRateWad(name, product.minRateWad);
    const market = markets[index]!;
    const vaultRows = market.vaults.map((vault) => {
      const utilizationWad = vault.capacity === 0n ? 0n : (vault.exposure * 10n ** 18n) / vault.capacity;
      const state = vault.paused ? "paused" : vault.listed ? "open" : "not listed";
      return [
        app.vaultName(vault.vault),
        percentWad(curveRateWad(vault.terms, utilizationWad)),
        `${percentWad(vault.terms.baseRateWad)} → ${percentWad(vault.terms.maxRateWad)} (kink ${percentWad(vault.terms.kinkWad)})`,
        percentWad(utilizationWad),
        `${amount(vault.capacity > vault.exposure ? vault.capacity - vault.exposure : 0n, asset.decimals, 0)} ${asset.symbol}`,
        state,
      ];
    });
    const status = !product.active ? "closed" : product.openIncidents > 0n ? "halted: incident pending" : "on sale";
    return h(
      "section",
      { class: "card", "data-testid": `product-${product.id}` },
      h("h2", {}, `#${product.id} ${name} `, h("span", { class: "tag" }, product.kind), h("span", { class: "tag" }, status)),
      h(
        "p",
        {},
        `Periods ${duration(product.minPeriod)} to ${duration(product.maxPeriod)}, waiting period ${duration(product.coverageLag)}, ` +
          `claims up to ${duration(product.claimGracePeriod)} after the end; at most ${amount(product.maxCoverPerPolicy, asset.decimals, 0)} ` +
          `${asset.symbol} per policy; rate floor ${percentWad(product.minRateWad)} a year.`,
      ),
      h(
        "p",
        { "data-testid": `model-rate-${product.id}` },
        model === undefined ? "Model rate: no risk profile for this product" : `Model rate: ${percentWad(model)} a year (risk model, deploy/risk-profiles/${name}.json)`,
      ),
      table(`market-${product.id}`, ["vault", "rate now", "curve", "utilization", "capacity left", "state"], vaultRows),
      h("a", { class: "button", href: `#/buy?product=${product.id}` }, "Quote and buy"),
    );
  });
  return h("div", {}, h("h1", {}, "Products"), ...cards);
};
