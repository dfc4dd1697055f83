/**
 * `vault:redeem`: redeems a ripe redemption request at `navBid`, all that may leave now or `--shares`. Capital that
 * backs live cover stays locked until that cover's claim window closes.
 */
import { formatAmount } from "../lib/format.js";
import { formatTime, keyValues, parseAmount, TaskError, taskAction } from "./lib/cli.js";
import { withParapet, type CommonArgs } from "./lib/parapet.js";

interface Args extends CommonArgs {
  vault: string | undefined;
  shares: string | undefined;
  raw: boolean;
}

export default taskAction(async (args: Args, hre) =>
  withParapet(hre, args, async (parapet) => {
    const vault = await parapet.vault(args.vault);
    const asset = await parapet.assetOf(vault);
    const account = parapet.signer.address;
    const decimals = Number(await vault.contract.decimals());
    const showShares = (amount: bigint) => (args.raw ? amount.toString() : formatAmount(amount, decimals, 4));
    const [position, unlocked] = await Promise.all([
      parapet.client.position(vault.address, account),
      vault.contract.unlockedAssets(),
    ]);
    const requested = position.pendingShares + position.claimableShares;
    if (requested === 0n) {
      throw new TaskError(`${account} has no redemption request on the ${vault.name} vault: run vault:request-redeem first`);
    }
    if (position.claimableShares === 0n) {
      throw new TaskError(
        `the request of ${showShares(requested)} shares is still in its cooldown: redeemable from ` +
          formatTime(position.claimableAt, position.timestamp),
      );
    }
    const wanted = args.shares === undefined || args.shares.trim() === ""
      ? position.maxRedeem
      : parseAmount(args.shares, decimals, args.raw, "--shares");
    if (wanted > requested) {
      throw new TaskError(`--shares ${showShares(wanted)} is more than the request holds (${showShares(requested)})`);
    }
    if (position.maxRedeem === 0n || wanted > position.maxRedeem) {
      throw new TaskError(
        `only ${showShares(position.maxRedeem)} of the ${showShares(requested)} requested shares may leave now: ` +
          `${parapet.show(unlocked, asset, args.raw)} of the vault is not locked behind live cover, and the circuit ` +
          `breaker pays an exit in full or not at all (vault:status shows what may leave now)`,
      );
    }
    const redeemed = await parapet.act(`redeem ${showShares(wanted)} ${vault.name} shares`, () =>
      parapet.client.redeem(vault.address, wanted),
    );
    const after = await parapet.client.position(vault.address, account);
    keyValues([
      ["account", account],
      ["shares redeemed", showShares(redeemed.shares)],
      ["received", parapet.show(redeemed.assets, asset, args.raw)],
      [`${asset.symbol} balance`, `${parapet.show(position.assetBalance, asset, args.raw)} → ${parapet.show(after.assetBalance, asset, args.raw)}`],
      ["still requested", `${showShares(after.pendingShares + after.claimableShares)} shares`],
    ]);
    return { shares: redeemed.shares, assets: redeemed.assets };
  }),
);
