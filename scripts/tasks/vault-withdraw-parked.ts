/**
 * `vault:withdraw-parked`: a claim payout the token refused to deliver to the signer (a blocklisted address, say) waits
 * in the vault as a parked balance; this sends all of it to `--to`, any address the token accepts.
 */
import { keyValues, required, TaskError, taskAction } from "./lib/cli.js";
import { withParapet, type CommonArgs } from "./lib/parapet.js";

type Args = CommonArgs & { vault: string | undefined; to: string | undefined; raw: boolean };

export default taskAction(async (args: Args, hre) =>
  withParapet(hre, args, async (parapet) => {
    const vault = await parapet.vault(args.vault);
    const to = parapet.account(required(args.to, "--to"), "--to");
    const asset = await parapet.assetOf(vault);
    const account = parapet.signer.address;
    const parked = await vault.contract.parkedPayoutOf(account);
    if (parked === 0n) {
      throw new TaskError(`${account} has no parked payout in the ${vault.name} vault (0 ${asset.symbol}): nothing to withdraw`);
    }
    const withdrawn = await parapet.act(`withdraw ${parapet.show(parked, asset, args.raw)} parked in the ${vault.name} vault`, () =>
      parapet.client.withdrawParkedPayout(vault.address, to),
    );
    keyValues([
      ["account", account],
      ["withdrawn", `${parapet.show(withdrawn.amount, asset, args.raw)} to ${withdrawn.to}`],
    ]);
    return { amount: withdrawn.amount, to: withdrawn.to };
  }),
);
