/**
 * `incident:report`: reports a covered incident on a discretionary product, bonded with the adjudicator's incident
 * bond. Sales of the product stop until it settles; confirmed, every eligible policy is paid `--payout-pct` of its
 * remaining cover.
 */
import { formatWadPercent } from "../lib/format.js";
import { formatTime, keyValues, parsePercentWad, parseTime, required, TaskError, taskAction } from "./lib/cli.js";
import { withParapet, type CommonArgs } from "./lib/parapet.js";

interface Args extends CommonArgs {
  product: string | undefined;
  incidentTime: string | undefined;
  payoutPct: string | undefined;
  evidence: string | undefined;
  raw: boolean;
  approve: boolean;
}

export default taskAction(async (args: Args, hre) =>
  withParapet(hre, args, async (parapet) => {
    const { client } = parapet;
    const product = await parapet.product(args.product);
    if (product.kind !== "discretionary") {
      throw new TaskError(
        `product #${product.id} (${product.slug}) is parametric: its trigger confirms incidents (trigger:check --fire)`,
      );
    }
    const now = await parapet.now();
    const incidentTime = parseTime(args.incidentTime, now, "--incident-time");
    const payoutWad = parsePercentWad(args.payoutPct, "--payout-pct");
    const evidence = required(args.evidence, "--evidence");
    const [bond, bondAsset] = await Promise.all([client.claimAdjudicator.incidentBond(), client.claimAdjudicator.incidentBondAsset()]);
    const asset = await parapet.token(bondAsset);
    await parapet.requireFunds(asset, { address: parapet.deployment.addresses.claimAdjudicator, name: "ClaimAdjudicator" }, bond, {
      approve: args.approve,
      raw: args.raw,
      purpose: "the incident bond",
    });
    const reported = await parapet.act(`report an incident on #${product.id} ${product.slug}`, () =>
      client.reportIncident({ productId: product.id, incidentTime, payoutWad, evidenceURI: evidence }),
    );
    const after = await parapet.now();
    keyValues([
      ["incident", `#${reported.incidentId} on #${product.id} ${product.slug}`],
      ["incident time", formatTime(incidentTime, after)],
      ["payout", `${formatWadPercent(payoutWad)} of each eligible policy's remaining cover`],
      ["bond posted", parapet.show(reported.bond, asset, args.raw)],
      ["disputable until", formatTime(reported.expiration - 1n, after)],
    ]);
    console.log(`Sales of ${product.slug} cover are halted until the incident is settled.`);
    return { incidentId: reported.incidentId };
  }),
);
