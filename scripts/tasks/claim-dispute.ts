/**
 * `claim:dispute`: a watcher disputes a pending claim before its liveness ends, posting a bond equal to the filer's.
 * The claim goes to the arbiter (the committee); the loser's bond goes to the winner, minus a burn.
 */
import { formatTime, keyValues, parseId, taskAction } from "./lib/cli.js";
import { claimOf, withParapet, type CommonArgs } from "./lib/parapet.js";

interface Args extends CommonArgs {
  claim: string | undefined;
  raw: boolean;
  approve: boolean;
}

export default taskAction(async (args: Args, hre) =>
  withParapet(hre, args, async (parapet) => {
    const { client } = parapet;
    const claimId = parseId(args.claim, "--claim");
    const claim = await claimOf(parapet, claimId);
    const asset = await parapet.assetOf(claim.vault);
    await parapet.requireFunds(asset, { address: parapet.deployment.addresses.claimAdjudicator, name: "ClaimAdjudicator" }, claim.bond, {
      approve: args.approve,
      raw: args.raw,
      purpose: "the dispute bond",
    });
    const { caseId } = await parapet.act(`dispute claim #${claimId}`, () => client.disputeClaim(claimId));
    const disputed = (await client.claim(claimId))!;
    const rows: Array<[string, string]> = [
      ["claim", `#${claimId} on policy #${disputed.policyId}, ${parapet.show(disputed.amount, asset, args.raw)}`],
      ["bond posted", parapet.show(disputed.bond, asset, args.raw)],
      ["arbiter case", `#${caseId} at ${disputed.arbiter}`],
    ];
    if (disputed.committeeCase !== undefined) {
      rows.push(["committee votes until", formatTime(disputed.committeeCase.deadline, disputed.timestamp)]);
      rows.push(["quorum", disputed.committeeCase.quorum.toString()]);
    }
    if (disputed.umaCase !== undefined) {
      const deposit = 2n * disputed.umaCase.bond;
      rows.push(["UMA assertion", `${disputed.umaCase.assertionId} (UMA's DVM votes; no draw, only the vote ends it)`]);
      rows.push(["UMA escalation deposit", `${parapet.show(deposit, asset, args.raw)} (UMA keeps its final fee, the rest comes back)`]);
    }
    if (disputed.deadlines.drawAt !== undefined) rows.push(["draw without a ruling at", formatTime(disputed.deadlines.drawAt, disputed.timestamp)]);
    keyValues(rows);
    return { claimId, caseId };
  }),
);
