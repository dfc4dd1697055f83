/**
 * `committee:resolve`: delivers the committee's ruling on a case whose quorum is reached (`CommitteeArbiter.resolve`)
 * to the adjudicator. Anyone may call it; `claim:settle` or `incident:settle` then executes the ruling.
 */
import { keyValues, parseId, taskAction } from "./lib/cli.js";
import { committeeCase, withParapet, type CommonArgs } from "./lib/parapet.js";

type Args = CommonArgs & { case: string | undefined };

export default taskAction(async (args: Args, hre) =>
  withParapet(hre, args, async (parapet) => {
    const caseId = parseId(args.case, "--case");
    await committeeCase(parapet, caseId);
    const resolved = await parapet.act(`resolve case #${caseId}`, () => parapet.client.resolveCase(caseId));
    const after = await committeeCase(parapet, caseId);
    keyValues([
      ["case", `#${caseId}`],
      ["ruling", resolved.approved ? "approved" : "rejected"],
      ["votes", `${after.approvals} approve / ${after.rejections} reject, quorum ${after.quorum}`],
    ]);
    console.log("The ruling is recorded: settle the claim (claim:settle) or the incident (incident:settle) to execute it.");
    return { caseId, approved: resolved.approved };
  }),
);
