/**
 * `incident:top-up`: once an incident's claim window has closed, pays a policy it paid short its share of the
 * leftover reserve (`claimIncidentTopUp`), to the policy's current holder, until the top-up window closes.
 */
import { parseId, taskAction } from "./lib/cli.js";
import { incidentOf, printDelivery, withParapet, type CommonArgs } from "./lib/parapet.js";

type Args = CommonArgs & { incident: string | undefined; policy: string | undefined; raw: boolean };

export default taskAction(async (args: Args, hre) =>
  withParapet(hre, args, async (parapet) => {
    const incidentId = parseId(args.incident, "--incident");
    const policyId = parseId(args.policy, "--policy");
    await incidentOf(parapet, incidentId);
    const paid = await parapet.act(`top up policy #${policyId} for incident #${incidentId}`, () =>
      parapet.client.claimIncidentTopUp(policyId, incidentId),
    );
    await printDelivery(parapet, `policy #${policyId}'s top-up`, paid.topUp, paid.receiver, paid.delivery, args.raw);
    return { incidentId, policyId, topUp: paid.topUp };
  }),
);
