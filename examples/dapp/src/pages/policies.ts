/**
 * My policies: status and claim window of each, its open claim if any, and the incident payouts it can claim now
 * (with the button that claims them).
 */
import type { ClaimView, PolicyView } from "@parapet/sdk";

import type { App, Page } from "../app.js";
import { h, table } from "../dom.js";
import { amount, productName, time } from "../format.js";

const STATUS: Record<PolicyView["status"], string> = {
  Waiting: "waiting period",
  Covering: "covering",
  ClaimWindow: "ended, claims open",
  Closed: "closed",
};

export const policiesPage: Page = async (app: App) => {
  const { parapet, asset } = app;
  const show = (value: bigint) => `${amount(value, asset.decimals)} ${asset.symbol}`;
  const [policies, products, payouts] = await Promise.all([
    parapet.policiesOf(app.account),
    parapet.products(),
    parapet.claimablePayoutsOf(app.account),
  ]);
  const names = new Map(products.map((product) => [product.id, productName(product.metadataURI, product.id)]));
  const openClaims = new Map<bigint, ClaimView>(
    (await parapet.claims(policies.filter((policy) => policy.openClaimId !== 0n).map((policy) => policy.openClaimId))).map((claim) => [
      claim.policyId,
      claim,
    ]),
  );

  const rows = policies.map((policy) => {
    const claim = openClaims.get(policy.id);
    const claimable = payouts.filter((payout) => payout.policyId === policy.id);
    const canFile = policy.kind === "Discretionary" && policy.status !== "Closed" && claim === undefined;
    return [
      `#${policy.id}`,
      names.get(policy.productId) ?? `#${policy.productId}`,
      app.vaultName(policy.vault),
      show(policy.amount),
      show(policy.claimed),
      `${time(policy.window.coveredFrom, false)} to ${time(policy.window.coveredUntil, false)}`,
      STATUS[policy.status],
      claim === undefined ? "-" : `claim #${claim.id}: ${show(claim.amount)}, ${claim.phase}`,
      claimable.length === 0
        ? "-"
        : h(
            "span",
            {},
            ...claimable.map(({ incidentId, amount: owed }) => {
              const button = h("button", { type: "button", "data-testid": `payout-${policy.id}-${incidentId}` }, `Claim ${show(owed)} (incident #${incidentId})`);
              button.addEventListener("click", () => {
                void app.act(button, "Claiming the incident payout", async () => {
                  const { payout, receiver, delivery } = await parapet.claimIncidentPayout(policy.id, incidentId);
                  // The payout is booked in full; the vault's circuit breaker may queue part of it (see Underwrite).
                  const queued = delivery.queued === 0n ? "" : `, of which ${show(delivery.queued)} queued by the circuit breaker`;
                  const parked = delivery.parked === 0n ? "" : `, ${show(delivery.parked)} parked (the token refused it)`;
                  return `Incident #${incidentId} paid ${show(payout)} to ${receiver}${queued}${parked}`;
                });
              });
              return button;
            }),
          ),
      canFile ? h("a", { href: `#/claim?policy=${policy.id}` }, "File a claim") : "",
    ];
  });
  return h(
    "div",
    {},
    h("h1", {}, "My policies"),
    h("p", { "data-testid": "policy-source" }, `${policies.length} policies held by ${app.account}; listed from the ${app.source}.`),
    policies.length === 0
      ? h("p", {}, "No policies yet: ", h("a", { href: "#/buy" }, "buy cover"), ".")
      : table("policies", ["policy", "product", "vault", "cover", "claimed", "covers incidents (UTC)", "status", "open claim", "incident payout", ""], rows),
  );
};
