/**
 * `committee:vote`: a committee member's vote on a disputed claim or incident (`CommitteeArbiter.castVote`). Members
 * never vote on a case they filed, disputed or would be paid by; once one side reaches the quorum, no more votes are
 * taken, and `committee:resolve` delivers the ruling.
 */
import { formatTime, keyValues, parseId, TaskError, taskAction } from "./lib/cli.js";
import { committeeCase, withParapet, type CommonArgs } from "./lib/parapet.js";

interface Args extends CommonArgs {
  case: string | undefined;
  approve: boolean;
  reject: boolean;
}

export default taskAction(async (args: Args, hre) =>
  withParapet(hre, args, async (parapet) => {
    const caseId = parseId(args.case, "--case");
    if (args.approve === args.reject) throw new TaskError("give either --approve or --reject");
    await committeeCase(parapet, caseId);
    const side = args.approve ? "approve" : "reject";
    await parapet.act(`vote to ${side} on case #${caseId}`, () => parapet.client.castVote(caseId, args.approve));
    const after = await committeeCase(parapet, caseId);
    const decided = after.approvals >= after.quorum || after.rejections >= after.quorum;
    keyValues([
      ["case", `#${caseId}`],
      ["your vote", side],
      ["votes", `${after.approvals} approve / ${after.rejections} reject, quorum ${after.quorum}`],
      ["voting until", formatTime(after.deadline, await parapet.now())],
    ]);
    console.log(decided ? `The quorum is reached: committee:resolve --case ${caseId} delivers the ruling.` : "The quorum is not reached yet.");
    return { caseId, approvals: after.approvals, rejections: after.rejections };
  }),
);
