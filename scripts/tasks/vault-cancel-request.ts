/**
 * `vault:cancel-request`: cancels the signer's redemption request; the escrowed shares return to it. Works while
 * the vault is paused, and is how an expired request (7 days after ripening) is cleared before requesting again.
 */
import { formatAmount } from "../lib/format.js";
import { keyValues, TaskError, taskAction } from "./lib/cli.js";
import { withParapet, type CommonArgs } from "./lib/parapet.js";

type Args = CommonArgs & { vault: string | undefined; raw: boolean };

export default taskAction(async (args: Args, hre) =>
  withParapet(hre, args, async (parapet) => {
    const vault = await parapet.vault(args.vault);
    const account = parapet.signer.address;
    const decimals = Number(await vault.contract.decimals());
    const showShares = (amount: bigint) => (args.raw ? amount.toString() : formatAmount(amount, decimals, 4));
    const before = await parapet.client.position(vault.address, account);
    const requested = (await vault.contract.redeemRequest(account)).shares;
    if (requested === 0n) throw new TaskError(`${account} has no redemption request on the ${vault.name} vault: nothing to cancel`);
    const cancelled = await parapet.act(`cancel the ${vault.name} redemption request`, () => parapet.client.cancelRedeemRequest(vault.address));
    const after = await parapet.client.position(vault.address, account);
    const asset = await parapet.assetOf(vault);
    keyValues([
      ["account", account],
      ["shares returned", `${showShares(cancelled.shares)} (≈ ${parapet.show(before.requestedAssetsAtBid, asset, args.raw)} at today's bid)`],
      ["shares held", `${showShares(before.shares)} → ${showShares(after.shares)}`],
    ]);
    return { shares: cancelled.shares };
  }),
);
