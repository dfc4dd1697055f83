/**
 * Filing a claim on a discretionary policy: amount, incident time and evidence, with the bond it takes
 * (`ClaimAdjudicator.bondFor`, shown as the amount is typed) and the policy's covered window. `fileClaim` approves the
 * bond and files; the claim then shows under My policies.
 */
import { parseAmount } from "@parapet/sdk";

import type { App, Page } from "../app.js";
import { describeError } from "../app.js";
import { field, h, valueOf } from "../dom.js";
import { amount, productName, time } from "../format.js";

export const claimPage: Page = async (app: App, params: URLSearchParams) => {
  const { parapet, asset } = app;
  const show = (value: bigint) => `${amount(value, asset.decimals)} ${asset.symbol}`;
  const [policies, products] = await Promise.all([parapet.policiesOf(app.account), parapet.products()]);
  const names = new Map(products.map((product) => [product.id, productName(product.metadataURI, product.id)]));
  const fileable = policies.filter((policy) => policy.kind === "Discretionary" && policy.status !== "Closed" && policy.openClaimId === 0n);
  if (fileable.length === 0) {
    return h("div", {}, h("h1", {}, "File a claim"), h("p", {}, "None of your policies can take a claim now (discretionary, open, no claim pending)."));
  }
  const chosen = fileable.find((policy) => String(policy.id) === params.get("policy")) ?? fileable[0]!;

  const form = h(
    "form",
    { "data-testid": "claim-form" },
    field(
      "Policy",
      h(
        "select",
        { name: "policy" },
        ...fileable.map((policy) =>
          h("option", { value: String(policy.id), selected: policy === chosen }, `#${policy.id} ${names.get(policy.productId)}: ${show(policy.remaining)} left`),
        ),
      ),
    ),
    field(`Amount (${asset.symbol})`, h("input", { name: "amount", value: amount(chosen.remaining, asset.decimals, asset.decimals).replaceAll(",", "") })),
    field("Incident, hours before now", h("input", { name: "hoursAgo", value: "1", inputmode: "decimal" })),
    field("Evidence URI", h("input", { name: "evidence", value: "ipfs://" })),
  );
  const windowLine = h("p", { "data-testid": "claim-window" });
  const bondLine = h("p", { "data-testid": "claim-bond" });
  const fileButton = h("button", { type: "button", class: "primary", "data-testid": "file-claim" }, "File claim");

  const selected = () => fileable.find((policy) => String(policy.id) === valueOf(form, "policy"))!;
  const refresh = async () => {
    const policy = selected();
    windowLine.textContent =
      `Policy #${policy.id} covers incidents from ${time(policy.window.coveredFrom)} to ${time(policy.window.coveredUntil)}; ` +
      `claims until ${time(policy.window.fileUntil)}. Chain time now: ${time(policy.timestamp)}.`;
    try {
      const claimed = parseAmount(valueOf(form, "amount"), asset.decimals);
      const vaultAsset = await parapet.vaultContract(policy.vault).asset();
      const bond = await parapet.claimAdjudicator.bondFor(vaultAsset, claimed);
      bondLine.textContent = `Bond: ${show(bond)}, returned if the claim is approved, lost if it is rejected.`;
    } catch (error) {
      bondLine.textContent = `Bond: ${describeError(error)}`;
    }
  };
  form.addEventListener("input", () => void refresh());
  await refresh();

  fileButton.addEventListener("click", () => {
    void app.act(fileButton, "Filing the claim", async () => {
      const policy = selected();
      const hoursAgo = Number(valueOf(form, "hoursAgo"));
      if (!Number.isFinite(hoursAgo) || hoursAgo <= 0) throw new Error(`hours before now must be a number above 0 (got "${valueOf(form, "hoursAgo")}")`);
      const now = (await parapet.provider.getBlock("latest"))!.timestamp;
      const result = await parapet.fileClaim({
        policyId: policy.id,
        amount: valueOf(form, "amount"),
        incidentTime: BigInt(now - Math.round(hoursAgo * 3600)),
        evidenceURI: valueOf(form, "evidence"),
      });
      return `Filed claim #${result.claimId} with a bond of ${show(result.bond)}; disputable until ${time(result.expiration)}`;
    });
  });

  return h("div", {}, h("h1", {}, "File a claim"), form, windowLine, bondLine, h("div", { class: "actions" }, fileButton));
};
