/**
 * `vault:tranche-redeem`: redeems a ripe tranche request for vault shares at the tranche's exit value (all that may
 * leave now, or `--shares`); with `--vault-exit` the vault shares go straight into a vault redemption request.
 */
import { formatAmount } from "../lib/format.js";
import { formatTime, keyValues, parseAmount, TaskError, taskAction } from "./lib/cli.js";
import { withParapet, type CommonArgs } from "./lib/parapet.js";
import { parseTranche, tranchesOf } from "./lib/tranche.js";

interface Args extends CommonArgs {
  vault: string | undefined;
  tranche: string | undefined;
  shares: string | undefined;
  vaultExit: boolean;
  raw: boolean;
}

export default taskAction(async (args: Args, hre) =>
  withParapet(hre, args, async (parapet) => {
    const tranche = parseTranche(args.tranche);
    const vault = await parapet.vault(args.vault);
    const token = (await tranchesOf(parapet, vault))[tranche];
    const asset = await parapet.assetOf(vault);
    const account = parapet.signer.address;
    const decimals = Number(await token.decimals());
    const showShares = (amount: bigint) => (args.raw ? amount.toString() : formatAmount(amount, decimals, 4));
    const [request, claimable, max] = await Promise.all([
      token.redeemRequest(account),
      token.claimableRedeemRequest(0n, account),
      token.maxRedeem(account),
    ]);
    if (request.shares === 0n) {
      throw new TaskError(`${account} has no ${tranche} redemption request on the ${vault.name} vault: run vault:tranche-request-redeem first`);
    }
    const now = await parapet.now();
    if (claimable === 0n) {
      throw new TaskError(
        now < request.claimableAt
          ? `the request of ${showShares(request.shares)} shares is still in its cooldown: redeemable from ${formatTime(request.claimableAt, now)}`
          : `the request expired (7 days after it ripened): cancel it and request again`,
      );
    }
    const wanted = args.shares === undefined || args.shares.trim() === "" ? max : parseAmount(args.shares, decimals, args.raw, "--shares");
    if (max === 0n || wanted > max) {
      throw new TaskError(
        `only ${showShares(max)} of the ${showShares(request.shares)} requested shares may leave now` +
          (tranche === "junior" ? ": the junior must stay at least the minimum ratio of both tranches (vault:tranches)" : ""),
      );
    }
    const redeemed = await parapet.act(`redeem ${showShares(wanted)} ${vault.name} ${tranche} shares`, () =>
      parapet.client.trancheRedeem(vault.address, tranche, wanted, { requestVaultExit: args.vaultExit }),
    );
    const vaultDecimals = Number(await vault.contract.decimals());
    keyValues([
      ["account", account],
      [`${tranche} shares redeemed`, showShares(redeemed.shares)],
      ["value taken (bid)", parapet.show(redeemed.value, asset, args.raw)],
      ["vault shares received", args.raw ? redeemed.vaultShares.toString() : formatAmount(redeemed.vaultShares, vaultDecimals, 4)],
      ["vault exit", args.vaultExit ? "requested (vault:redeem after the vault's cooldown)" : "not requested (vault:request-redeem)"],
    ]);
    return { shares: redeemed.shares, value: redeemed.value, vaultShares: redeemed.vaultShares };
  }),
);
