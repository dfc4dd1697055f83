/**
 * `trigger:check`: reads every parametric trigger's feed and says whether it would fire; with `--fire`, fires those
 * that can, confirming their incidents at once (what Chainlink Automation's `performUpkeep` does).
 */
import { formatUnits } from "ethers";

import { TRIGGER_BLOCKS } from "../../sdk/src/core/index.js";
import { formatWadPercent } from "../lib/format.js";
import { formatTime, TaskError, taskAction, textTable } from "./lib/cli.js";
import { TRIGGER_BLOCK_NAMES, withParapet, type CommonArgs } from "./lib/parapet.js";

interface Args extends CommonArgs {
  product: string | undefined;
  fire: boolean;
}

export default taskAction(async (args: Args, hre) =>
  withParapet(hre, args, async (parapet) => {
    let triggers = await parapet.triggers();
    if (args.product !== undefined && args.product.trim() !== "") {
      const product = await parapet.product(args.product);
      triggers = triggers.filter((trigger) => trigger.product.id === product.id);
      if (triggers.length === 0) throw new TaskError(`product #${product.id} (${product.slug}) has no parametric trigger`);
    }
    if (triggers.length === 0) {
      console.log("No product has a parametric trigger.");
      return { fired: [] };
    }
    const now = await parapet.now();
    const rows: string[][] = [];
    const ready: typeof triggers = [];
    for (const trigger of triggers) {
      const { contract, product } = trigger;
      const [[reason, answer, updatedAt], threshold, feed, fired, payoutWad] = await Promise.all([
        contract.status(),
        contract.threshold(),
        contract.priceFeed(),
        contract.fired(),
        contract.payoutWad(),
      ]);
      const decimals = await parapet.feedDecimals(feed);
      if (reason === 0n) ready.push(trigger);
      rows.push([
        `#${product.id} ${product.slug}`,
        await contract.getAddress(),
        formatUnits(answer, decimals),
        `< ${formatUnits(threshold, decimals)}`,
        updatedAt === 0n ? "-" : formatTime(updatedAt, now),
        formatWadPercent(payoutWad),
        fired ? `fired: incident #${await contract.incidentId()}` : TRIGGER_BLOCK_NAMES[TRIGGER_BLOCKS[Number(reason)]],
      ]);
    }
    console.log(textTable(["product", "trigger", "feed answer", "fires if", "updated", "payout", "status"], rows, [6]));
    if (!args.fire) {
      if (ready.length > 0) console.log(`\n${ready.length} trigger(s) can fire: rerun with --fire`);
      return { fired: [] };
    }
    if (ready.length === 0) {
      console.log("\nNothing to fire.");
      return { fired: [] };
    }
    const fired: bigint[] = [];
    for (const { contract, product } of ready) {
      const { receipt } = await parapet.execute(
        `fire the trigger of #${product.id} ${product.slug}`,
        () => contract.fire.staticCall(),
        () => contract.fire(),
      );
      const incidentId = parapet.eventArg(receipt, contract, "TriggerFired", "incidentId");
      console.log(`  incident #${incidentId} confirmed on #${product.id} ${product.slug}: eligible policies may claim their payout`);
      fired.push(incidentId);
    }
    return { fired };
  }),
);
