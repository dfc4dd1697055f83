/** `cover:list`: the policies an account holds now (indexed from the policy NFTs' transfers since the deployment). */
import { formatTime, taskAction, textTable } from "./lib/cli.js";
import { withParapet, type CommonArgs } from "./lib/parapet.js";

interface Args extends CommonArgs {
  owner: string | undefined;
  raw: boolean;
}

export default taskAction(async (args: Args, hre) =>
  withParapet(hre, args, async (parapet) => {
    const owner = parapet.account(args.owner, "--owner");
    const policies = await parapet.read("list the policies", () => parapet.client.policiesOf(owner));
    const rows: string[][] = [];
    for (const policy of policies) {
      const asset = await parapet.assetOf(policy.vault);
      const show = (value: bigint) => parapet.show(value, asset, args.raw);
      const status = {
        Waiting: `covers incidents from ${formatTime(policy.window.coveredFrom)}`,
        Covering: "active",
        ClaimWindow: `ended; claims until ${formatTime(policy.window.fileUntil)}`,
        Closed: "closed",
      }[policy.status];
      rows.push([
        `#${policy.id}`,
        await parapet.productName(policy.productId),
        parapet.vaultName(policy.vault),
        show(policy.amount),
        show(policy.claimed),
        formatTime(policy.start),
        formatTime(policy.end),
        status,
        policy.openClaimId === 0n ? "-" : `#${policy.openClaimId}`,
      ]);
    }
    if (rows.length === 0) {
      console.log(`${owner} holds no policies.`);
    } else {
      console.log(`Policies held by ${owner} (chain time ${formatTime(policies[0].timestamp)}):\n`);
      console.log(textTable(["policy", "product", "vault", "cover", "claimed", "start", "end", "status", "open claim"], rows, [1, 2, 7]));
    }
    return policies.map((policy) => policy.id);
  }),
);
