/**
 * `vault:request-redeem`: moves shares into escrow for redemption after the vault's cooldown. Adding to a live
 * request restarts its cooldown.
 */
import { formatAmount } from "../lib/format.js";
import { formatDuration, formatTime, keyValues, parseAmount, TaskError, taskAction } from "./lib/cli.js";
import { withParapet, type CommonArgs } from "./lib/parapet.js";

interface Args extends CommonArgs {
  vault: string | undefined;
  shares: string | undefined;
  all: boolean;
  raw: boolean;
}

export default taskAction(async (args: Args, hre) =>
  withParapet(hre, args, async (parapet) => {
    const vault = await parapet.vault(args.vault);
    const hasShares = args.shares !== undefined && args.shares.trim() !== "";
    if (hasShares === args.all) throw new TaskError("give either --shares <amount> or --all");
    const account = parapet.signer.address;
    const decimals = Number(await vault.contract.decimals());
    const showShares = (amount: bigint) => (args.raw ? amount.toString() : formatAmount(amount, decimals, 4));
    const before = await parapet.client.position(vault.address, account);
    const shares = args.all ? before.shares : parseAmount(args.shares, decimals, args.raw, "--shares");
    if (args.all && before.shares === 0n) throw new TaskError(`${account} holds no shares of the ${vault.name} vault`);
    if (shares > before.shares) {
      throw new TaskError(
        `insufficient shares: ${account} holds ${showShares(before.shares)} shares of the ${vault.name} vault, not ${showShares(shares)}`,
      );
    }
    await parapet.act(`request redemption of ${showShares(shares)} ${vault.name} shares`, () =>
      parapet.client.requestRedeem(vault.address, shares),
    );
    const after = await parapet.client.position(vault.address, account);
    const asset = await parapet.assetOf(vault);
    const now = await parapet.now();
    keyValues([
      ["account", account],
      ["requested now", showShares(shares)],
      ["request total", `${showShares(after.pendingShares + after.claimableShares)} shares (≈ ${parapet.show(after.requestedAssetsAtBid, asset, args.raw)} at today's bid)`],
      ["redeemable from", formatTime(after.claimableAt, now)],
      ["cooldown", formatDuration(await vault.contract.cooldown())],
    ]);
    if (before.pendingShares + before.claimableShares > 0n) {
      console.log("The request already held shares: adding to it restarted its cooldown.");
    }
    console.log("Escrowed shares keep earning premiums and keep bearing losses until redeemed.");
    return { shares, claimableAt: after.claimableAt };
  }),
);
