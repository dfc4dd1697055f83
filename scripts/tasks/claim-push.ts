/**
 * `claim:push`: moves a claim disputed before UMA's DVM on once the vote is in. It settles the claim's Optimistic
 * Oracle V3 assertion, whose callback delivers the DVM's ruling to the adjudicator (or retries a ruling the adjudicator
 * refused); `claim:settle` then executes it. Anyone may call it: a keeper's job.
 */
import { keyValues, parseId, TaskError, taskAction } from "./lib/cli.js";
import { claimOf, withParapet, type CommonArgs } from "./lib/parapet.js";

interface Args extends CommonArgs {
  claim: string | undefined;
}

export default taskAction(async (args: Args, hre) =>
  withParapet(hre, args, async (parapet) => {
    const { client } = parapet;
    const claimId = parseId(args.claim, "--claim");
    const claim = await claimOf(parapet, claimId);
    const umaCase = claim.umaCase;
    if (umaCase === undefined) throw new TaskError(`claim #${claimId} is not before UMA's DVM (${claim.state})`);
    if (umaCase.dvmStatus === "AwaitingVote") throw new TaskError(`claim #${claimId}: UMA's DVM has not voted yet`);
    if (umaCase.dvmStatus === "Delivered") {
      throw new TaskError(`claim #${claimId}: the DVM's ruling is already with the adjudicator; settle it (claim:settle)`);
    }
    const pushed = await parapet.act(`push claim #${claimId}`, () => client.pushClaim(claimId));
    keyValues([
      ["claim", `#${claimId}, UMA case #${umaCase.caseId}`],
      ["pushed", pushed.action === "settleAssertion" ? `assertion ${umaCase.assertionId} settled` : "ruling delivered"],
      ["DVM ruling", pushed.approved ? "claim upheld" : "claim rejected"],
      ["next", "anyone may settle it now (claim:settle)"],
    ]);
    return { claimId, approved: pushed.approved };
  }),
);
