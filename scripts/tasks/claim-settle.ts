/**
 * `claim:settle`: settles a claim whose liveness ended undisputed (approved), or a disputed one per its ruling (or
 * as a draw after the arbitration timeout). Anyone may call it; the payout goes to the policy's current holder.
 */
import { keyValues, parseId, taskAction } from "./lib/cli.js";
import { STATE_NAMES, claimOf, withParapet, type CommonArgs } from "./lib/parapet.js";

interface Args extends CommonArgs {
  claim: string | undefined;
  raw: boolean;
}

export default taskAction(async (args: Args, hre) =>
  withParapet(hre, args, async (parapet) => {
    const { client } = parapet;
    const claimId = parseId(args.claim, "--claim");
    const claim = await claimOf(parapet, claimId);
    const asset = await parapet.assetOf(claim.vault);
    const show = (value: bigint) => parapet.show(value, asset, args.raw);
    const settled = await parapet.act(`settle claim #${claimId}`, () => client.settleClaim(claimId));
    const state = STATE_NAMES[settled.outcome];
    const rows: Array<[string, string]> = [
      ["claim", `#${claimId} on policy #${claim.policyId}`],
      ["outcome", state],
      ["payout", settled.payout === 0n ? show(0n) : `${show(settled.payout)} to ${settled.receiver}`],
    ];
    if (settled.bonds !== undefined) {
      rows.push(["bond to the filer", show(settled.bonds.toFiler)]);
      if (claim.disputedAt !== 0n) {
        rows.push(["bond to the disputer", show(settled.bonds.toDisputer)]);
        rows.push(["burned to the treasury", show(settled.bonds.burned)]);
      }
    }
    keyValues(rows);
    return { claimId, state, paid: settled.payout };
  }),
);
