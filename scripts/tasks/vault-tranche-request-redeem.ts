/**
 * `vault:tranche-request-redeem`: moves tranche shares into escrow for redemption after the vault's cooldown. They
 * keep bearing losses (the junior first) and earning premium until redeemed.
 */
import { formatAmount } from "../lib/format.js";
import { formatTime, keyValues, parseAmount, TaskError, taskAction } from "./lib/cli.js";
import { withParapet, type CommonArgs } from "./lib/parapet.js";
import { parseTranche, tranchesOf } from "./lib/tranche.js";

interface Args extends CommonArgs {
  vault: string | undefined;
  tranche: string | undefined;
  shares: string | undefined;
  all: boolean;
  raw: boolean;
}

export default taskAction(async (args: Args, hre) =>
  withParapet(hre, args, async (parapet) => {
    const tranche = parseTranche(args.tranche);
    const vault = await parapet.vault(args.vault);
    const hasShares = args.shares !== undefined && args.shares.trim() !== "";
    if (hasShares === args.all) throw new TaskError("give either --shares <amount> or --all");
    const token = (await tranchesOf(parapet, vault))[tranche];
    const account = parapet.signer.address;
    const decimals = Number(await token.decimals());
    const showShares = (amount: bigint) => (args.raw ? amount.toString() : formatAmount(amount, decimals, 4));
    const held = await token.balanceOf(account);
    const shares = args.all ? held : parseAmount(args.shares, decimals, args.raw, "--shares");
    if (shares === 0n || shares > held) {
      throw new TaskError(`${account} holds ${showShares(held)} ${vault.name} ${tranche} shares, cannot request ${showShares(shares)}`);
    }
    await parapet.act(`request redemption of ${showShares(shares)} ${vault.name} ${tranche} shares`, () =>
      parapet.client.trancheRequestRedeem(vault.address, tranche, shares),
    );
    const request = await token.redeemRequest(account);
    keyValues([
      ["account", account],
      ["requested now", showShares(shares)],
      ["request total", `${showShares(request.shares)} shares`],
      ["redeemable from", formatTime(request.claimableAt, await parapet.now())],
    ]);
    console.log(`Escrowed ${tranche} shares keep earning premium and bearing losses until redeemed (within 7 days of ripening).`);
    return { shares, claimableAt: request.claimableAt };
  }),
);
