/**
 * `incident:settle`: settles an incident report after its liveness (confirmed), or per the committee's ruling, or as a
 * draw after the arbitration timeout. Confirmed, each eligible policy may be paid (`incident:payout`); rejected or
 * drawn, the vaults get their reserves back. Anyone may call it.
 */
import { keyValues, parseId, taskAction } from "./lib/cli.js";
import { incidentOf, STATE_NAMES, withParapet, type CommonArgs } from "./lib/parapet.js";

type Args = CommonArgs & { incident: string | undefined; raw: boolean };

export default taskAction(async (args: Args, hre) =>
  withParapet(hre, args, async (parapet) => {
    const { client } = parapet;
    const incidentId = parseId(args.incident, "--incident");
    await incidentOf(parapet, incidentId);
    const asset = await parapet.token(await client.claimAdjudicator.incidentBondAsset());
    const show = (value: bigint) => parapet.show(value, asset, args.raw);
    const settled = await parapet.act(`settle incident #${incidentId}`, () => client.settleIncident(incidentId));
    const incident = await incidentOf(parapet, incidentId);
    const rows: Array<[string, string]> = [
      ["incident", `#${incidentId} on ${await parapet.productName(incident.productId)}`],
      ["outcome", STATE_NAMES[settled.outcome]],
    ];
    for (const reserve of incident.reserves) {
      rows.push([`reserve of ${parapet.vaultName(reserve.vault)}`, `${show(reserve.reserved)} of ${show(reserve.needed)} it may owe`]);
    }
    if (settled.bonds !== undefined) {
      rows.push(["bond to the reporter", show(settled.bonds.toFiler)]);
      if (incident.disputedAt !== 0n) rows.push(["bond to the disputer", show(settled.bonds.toDisputer)], ["burned to the treasury", show(settled.bonds.burned)]);
    }
    keyValues(rows);
    if (settled.outcome === "Approved") console.log(`Each eligible policy may now be paid: incident:payout --incident ${incidentId} --policy <id>.`);
    return { incidentId, state: STATE_NAMES[settled.outcome] };
  }),
);
