/**
 * The underwriter's page for one vault: its accounting and yield, the products it backs, the payout circuit breaker
 * with its queue, the account's position, and deposit, request redeem, redeem and cancel.
 */
import { parseAmount } from "@parapet/sdk";

import type { App, Page } from "../app.js";
import { field, h, table, valueOf } from "../dom.js";
import { amount, duration, percent, percentWad, shortAddress, time } from "../format.js";

/** Queue entries shown at most (the queue is paid in order: the head is what matters). */
const QUEUE_SHOWN = 20n;

export const underwritePage: Page = async (app: App, params: URLSearchParams) => {
  const { parapet, asset } = app;
  const names = Object.keys(parapet.deployment.addresses.vaults);
  const name = names.includes(params.get("vault") ?? "") ? params.get("vault")! : names[0]!;
  const [vault, position, products] = await Promise.all([parapet.vault(name), parapet.position(name, app.account), parapet.products()]);
  const show = (value: bigint) => `${amount(value, asset.decimals)} ${asset.symbol}`;
  const shares = (value: bigint) => `${amount(value, vault.decimals, 4)} ${vault.symbol}`;
  const productNames = new Map(products.map((product) => [product.id, product.metadataURI.split("/").pop() ?? `#${product.id}`]));
  const { outflows } = vault;
  const entries = outflows.queueTail - outflows.queueHead;
  const contract = parapet.vaultContract(name);
  const queueEnd = outflows.queueTail < outflows.queueHead + QUEUE_SHOWN ? outflows.queueTail : outflows.queueHead + QUEUE_SHOWN;
  const queue = await Promise.all(
    Array.from({ length: Number(queueEnd - outflows.queueHead) }, (_, offset) => outflows.queueHead + BigInt(offset)).map(async (id) => ({
      id,
      entry: await contract.queuedOutflow(id),
    })),
  );

  const tabs = h("nav", { class: "tabs" }, ...names.map((other) => h("a", { href: `#/underwrite?vault=${other}`, class: other === name ? "active" : undefined }, other)));
  const overview = table(
    "vault-overview",
    ["NAV (bid)", "share price", "premium APY", "unearned premium", "reserved for claims", "cooldown", "state"],
    [
      [
        show(vault.navBid),
        `${amount(vault.sharePriceWad, 18, 6)} ${asset.symbol}`,
        vault.yield === undefined ? "-" : percent(vault.yield.apy),
        show(vault.unearnedPremium),
        show(vault.pendingReserve),
        duration(vault.cooldown),
        vault.paused ? "paused" : "open",
      ],
    ],
  );
  const backed = table(
    "vault-products",
    ["product", "capacity", "sold", "utilization", "base rate"],
    vault.products.map((entry) => [
      productNames.get(entry.productId) ?? `#${entry.productId}`,
      show(entry.capacity),
      show(entry.exposure),
      percentWad(entry.utilizationWad),
      percentWad(entry.curve.baseRateWad),
    ]),
  );
  const breaker = h(
    "section",
    { class: "card", "data-testid": "circuit-breaker" },
    h("h2", {}, "Circuit breaker"),
    h(
      "p",
      {},
      `At most ${percentWad(outflows.limitWad)} of NAV leaves per ${duration(outflows.window)}; ${show(outflows.recent)} left recently, ` +
        `${show(outflows.allowance)} may leave now. Queued payouts: ${show(outflows.queuedAssets)} in ${entries} ${entries === 1n ? "entry" : "entries"}.`,
    ),
    queue.length === 0
      ? h("p", {}, "The queue is empty.")
      : table("queue", ["entry", "receiver", "owed"], queue.map(({ id, entry }) => [`#${id}`, shortAddress(entry.receiver), show(entry.amount)])),
  );
  if (queue.length > 0) {
    const process = h("button", { type: "button", "data-testid": "process-queue" }, "Pay the queue (anyone may)");
    process.addEventListener("click", () => {
      void app.act(process, "Paying queued payouts", async () => `Paid ${show((await parapet.processOutflowQueue(name)).paid)} from the queue`);
    });
    breaker.append(process);
  }

  const positionTable = table(
    "position",
    ["shares", "worth at bid", "requested (cooling down)", "requested (redeemable)", "redeemable from", "redeemable now", "wallet"],
    [
      [
        shares(position.shares),
        show(position.assetsAtBid),
        shares(position.pendingShares),
        shares(position.claimableShares),
        position.pendingShares + position.claimableShares === 0n ? "-" : time(position.claimableAt),
        shares(position.maxRedeem),
        show(position.assetBalance),
      ],
    ],
  );

  const depositForm = h("form", { "data-testid": "deposit-form" }, field(`Deposit (${asset.symbol})`, h("input", { name: "assets", value: "1000", inputmode: "decimal" })));
  const depositButton = h("button", { type: "button", class: "primary", "data-testid": "deposit" }, "Deposit");
  depositButton.addEventListener("click", () => {
    void app.act(depositButton, "Depositing", async () => {
      const result = await parapet.deposit(name, valueOf(depositForm, "assets"));
      return `Deposited ${show(result.assets)} for ${shares(result.shares)}`;
    });
  });
  const requestForm = h(
    "form",
    { "data-testid": "request-form" },
    field(`Request redeem (${vault.symbol})`, h("input", { name: "shares", value: amount(position.shares, vault.decimals, vault.decimals).replaceAll(",", "") })),
  );
  const requestButton = h("button", { type: "button", "data-testid": "request-redeem", disabled: position.shares === 0n }, "Request redeem");
  requestButton.addEventListener("click", () => {
    void app.act(requestButton, "Requesting a redemption", async () => {
      const result = await parapet.requestRedeem(name, parseAmount(valueOf(requestForm, "shares"), vault.decimals, "shares"));
      return `Requested ${shares(result.shares)} (request #${result.requestId}); redeemable after the ${duration(vault.cooldown)} cooldown`;
    });
  });
  const redeemButton = h("button", { type: "button", "data-testid": "redeem", disabled: position.maxRedeem === 0n }, `Redeem ${shares(position.maxRedeem)}`);
  redeemButton.addEventListener("click", () => {
    void app.act(redeemButton, "Redeeming", async () => {
      const result = await parapet.redeem(name);
      return `Redeemed ${shares(result.shares)} for ${show(result.assets)}`;
    });
  });
  const cancelButton = h(
    "button",
    { type: "button", "data-testid": "cancel-request", disabled: position.pendingShares + position.claimableShares === 0n },
    "Cancel request",
  );
  cancelButton.addEventListener("click", () => {
    void app.act(cancelButton, "Cancelling the request", async () => `${shares((await parapet.cancelRedeemRequest(name)).shares)} back in your balance`);
  });

  return h(
    "div",
    {},
    h("h1", {}, `Underwrite: ${vault.name}`),
    tabs,
    overview,
    h("h2", {}, "Products backed"),
    backed,
    breaker,
    h("section", { class: "card" }, h("h2", {}, "Your position"), positionTable),
    h(
      "section",
      { class: "card" },
      depositForm,
      h("div", { class: "actions" }, depositButton),
      requestForm,
      h("div", { class: "actions" }, requestButton, redeemButton, cancelButton),
    ),
  );
};
