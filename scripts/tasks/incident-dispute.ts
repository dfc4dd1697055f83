/**
 * `incident:dispute`: disputes a reported incident before its liveness ends, posting a bond equal to the reporter's.
 * The report goes to the committee; meanwhile the vaults keep the reserve they made at the report.
 */
import { formatTime, keyValues, parseId, taskAction } from "./lib/cli.js";
import { incidentOf, withParapet, type CommonArgs } from "./lib/parapet.js";

interface Args extends CommonArgs {
  incident: string | undefined;
  raw: boolean;
  approve: boolean;
}

export default taskAction(async (args: Args, hre) =>
  withParapet(hre, args, async (parapet) => {
    const { client } = parapet;
    const incidentId = parseId(args.incident, "--incident");
    const incident = await incidentOf(parapet, incidentId);
    const asset = await parapet.token(await client.claimAdjudicator.incidentBondAsset());
    await parapet.requireFunds(asset, { address: parapet.deployment.addresses.claimAdjudicator, name: "ClaimAdjudicator" }, incident.bond, {
      approve: args.approve,
      raw: args.raw,
      purpose: "the dispute bond",
    });
    const { caseId } = await parapet.act(`dispute incident #${incidentId}`, () => client.disputeIncident(incidentId));
    const disputed = await incidentOf(parapet, incidentId);
    const rows: Array<[string, string]> = [
      ["incident", `#${incidentId} on ${await parapet.productName(disputed.productId)}`],
      ["bond posted", parapet.show(disputed.bond, asset, args.raw)],
      ["committee case", `#${caseId}`],
    ];
    if (disputed.committeeCase !== undefined) rows.push(["committee votes until", formatTime(disputed.committeeCase.deadline, disputed.timestamp)]);
    if (disputed.deadlines.drawAt !== undefined) rows.push(["draw without a ruling at", formatTime(disputed.deadlines.drawAt, disputed.timestamp)]);
    keyValues(rows);
    return { incidentId, caseId };
  }),
);
