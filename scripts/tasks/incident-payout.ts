/**
 * `incident:payout`: pays an eligible policy its share of a confirmed incident (`claimIncidentPayout`), to the
 * policy's current holder; anyone may call it. What the vault's circuit breaker cannot pay at once is queued and paid
 * by `vault:process-queue`; the output says how much.
 */
import { parseId, taskAction } from "./lib/cli.js";
import { incidentOf, printDelivery, withParapet, type CommonArgs } from "./lib/parapet.js";

type Args = CommonArgs & { incident: string | undefined; policy: string | undefined; raw: boolean };

export default taskAction(async (args: Args, hre) =>
  withParapet(hre, args, async (parapet) => {
    const incidentId = parseId(args.incident, "--incident");
    const policyId = parseId(args.policy, "--policy");
    await incidentOf(parapet, incidentId);
    const paid = await parapet.act(`pay policy #${policyId} for incident #${incidentId}`, () =>
      parapet.client.claimIncidentPayout(policyId, incidentId),
    );
    await printDelivery(parapet, `policy #${policyId}`, paid.payout, paid.receiver, paid.delivery, args.raw);
    return { incidentId, policyId, payout: paid.payout, queued: paid.delivery.queued };
  }),
);
