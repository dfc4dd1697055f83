/**
 * `claim:file`: the holder of a policy on a discretionary product files a claim, posting the bond
 * `max(minBond, 5% × amount)` in the vault's asset. Undisputed, it can be settled once the liveness ends.
 */
import { formatTime, keyValues, parseAmount, parseId, parseTime, required, TaskError, taskAction } from "./lib/cli.js";
import { withParapet, type CommonArgs } from "./lib/parapet.js";

interface Args extends CommonArgs {
  policy: string | undefined;
  amount: string | undefined;
  incidentTime: string | undefined;
  evidence: string | undefined;
  raw: boolean;
  approve: boolean;
}

export default taskAction(async (args: Args, hre) =>
  withParapet(hre, args, async (parapet) => {
    const { client } = parapet;
    const policyId = parseId(args.policy, "--policy");
    const [policy] = await parapet.read("read the policy", () => client.policies([policyId]));
    if (policy === undefined) throw new TaskError(`policy #${policyId} does not exist`);
    const signer = parapet.signer.address;
    if (
      policy.owner !== signer &&
      (await client.coverManager.getApproved(policyId)) !== signer &&
      !(await client.coverManager.isApprovedForAll(policy.owner, signer))
    ) {
      throw new TaskError(`policy #${policyId} is held by ${policy.owner}, not by the signer ${signer}: sign as the holder with --from`);
    }
    const product = await parapet.product(policy.productId.toString());
    if (product.kind !== "discretionary") {
      throw new TaskError(
        `policy #${policyId} covers the parametric product #${product.id} (${product.slug}): it is paid when its trigger ` +
          "fires (trigger:check), not through claims",
      );
    }
    const asset = await parapet.assetOf(policy.vault);
    const amount = parseAmount(args.amount, asset.decimals, args.raw);
    if (amount > policy.remaining) {
      throw new TaskError(
        `--amount ${parapet.show(amount, asset, args.raw)} is more than the policy's remaining cover of ${parapet.show(policy.remaining, asset, args.raw)}`,
      );
    }
    const incidentTime = parseTime(args.incidentTime, policy.timestamp, "--incident-time");
    const evidence = required(args.evidence, "--evidence");
    const bond = await client.claimAdjudicator.bondFor(asset.address, amount);
    await parapet.requireFunds(asset, { address: parapet.deployment.addresses.claimAdjudicator, name: "ClaimAdjudicator" }, bond, {
      approve: args.approve,
      raw: args.raw,
      purpose: "the claim bond",
    });
    const filed = await parapet.act(`file a claim of ${parapet.show(amount, asset, args.raw)} on policy #${policyId}`, () =>
      client.fileClaim({ policyId, amount, incidentTime, evidenceURI: evidence }),
    );
    const now = await parapet.now();
    keyValues([
      ["claim", `#${filed.claimId} on policy #${policyId} (#${product.id} ${product.slug}, ${parapet.vaultName(policy.vault)} vault)`],
      ["amount", parapet.show(amount, asset, args.raw)],
      ["reserved by the vault", parapet.show(filed.reserved, asset, args.raw)],
      ["bond posted", parapet.show(filed.bond, asset, args.raw)],
      ["incident time", formatTime(incidentTime, now)],
      ["disputable until", formatTime(filed.expiration - 1n, now)],
    ]);
    console.log(`Undisputed, anyone may settle it from ${formatTime(filed.expiration)}: npx hardhat claim:settle --claim ${filed.claimId}`);
    return { claimId: filed.claimId, bond: filed.bond };
  }),
);
