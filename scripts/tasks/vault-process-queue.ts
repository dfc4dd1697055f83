/**
 * `vault:process-queue`: keeper action. Pays the outflows the vault's circuit breaker queued (redemptions and claim
 * payouts past its share of NAV per window, or made while it was paused), in order, as far as the window allows now.
 */
import { keyValues, TaskError, taskAction } from "./lib/cli.js";
import { withParapet, type CommonArgs } from "./lib/parapet.js";

interface Args extends CommonArgs {
  vault: string | undefined;
  entries: number;
  raw: boolean;
}

export default taskAction(async (args: Args, hre) =>
  withParapet(hre, args, async (parapet) => {
    const vault = await parapet.vault(args.vault);
    const asset = await parapet.assetOf(vault);
    if (args.entries < 1) throw new TaskError(`--entries must be at least 1, not ${args.entries}`);
    const before = (await parapet.client.vault(vault.address, { withYield: false })).outflows;
    if (before.queueHead === before.queueTail) {
      // Nothing to do is not a failure: a keeper's cron job runs this on every tick.
      console.log(`the ${vault.name} vault's outflow queue is empty: nothing to pay`);
      return { paid: 0n, payments: 0 };
    }
    if (before.allowance === 0n) {
      throw new TaskError(
        `the ${vault.name} vault's circuit breaker allows nothing more now: ` +
          `${parapet.show(before.recent, asset, args.raw)} left within the window`,
      );
    }
    const processed = await parapet.act(`pay the ${vault.name} vault's queued outflows`, () =>
      parapet.client.processOutflowQueue(vault.address, BigInt(args.entries)),
    );
    const after = (await parapet.client.vault(vault.address, { withYield: false })).outflows;
    keyValues([
      ["paid", parapet.show(processed.paid, asset, args.raw)],
      ...processed.payments.map(
        (payment): [string, string] => [
          `  entry ${payment.queueId}`,
          `${parapet.show(payment.amount, asset, args.raw)} to ${payment.receiver}` +
            (payment.remaining === 0n ? "" : `, ${parapet.show(payment.remaining, asset, args.raw)} still owed`),
        ],
      ),
      ["still queued", `${after.queueTail - after.queueHead} entries, ${parapet.show(after.queuedAssets, asset, args.raw)}`],
    ]);
    return { paid: processed.paid, payments: processed.payments.length };
  }),
);
