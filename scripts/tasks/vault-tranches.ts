/**
 * `vault:tranches`: both tranches over a vault: each one's NAV (exit and entry values), share price, APY from the
 * premiums streaming now, the loss buffer and the vault loss at which the senior starts losing; an account's
 * positions.
 */
import { formatAmount, formatWadPercent } from "../lib/format.js";
import { formatTime, heading, keyValues, taskAction } from "./lib/cli.js";
import { withParapet, type CommonArgs } from "./lib/parapet.js";

interface Args extends CommonArgs {
  vault: string | undefined;
  account: string | undefined;
  raw: boolean;
}

export default taskAction(async (args: Args, hre) =>
  withParapet(hre, args, async (parapet) => {
    const vault = await parapet.vault(args.vault);
    const account = parapet.account(args.account, "--account");
    const asset = await parapet.assetOf(vault);
    const view = await parapet.read(`read the tranches over the ${vault.name} vault`, () => parapet.client.tranches(vault.address, account));
    const show = (amount: bigint) => parapet.show(amount, asset, args.raw);
    const now = await parapet.now();
    heading(`tranches over the ${vault.name} vault (manager ${view.manager})`);
    keyValues([
      ["junior ratio", `${view.juniorRatioWad === null ? "-" : formatWadPercent(view.juniorRatioWad)} (minimum ${formatWadPercent(view.minJuniorRatioWad)})`],
      ["senior premium share", `${formatWadPercent(view.seniorPremiumShareWad)} of what its protected capital earns`],
      ["loss buffer", view.lossBufferWad === null ? "- (no senior)" : `${formatAmount(view.lossBufferWad, 18, 4)} ${asset.symbol} of junior per ${asset.symbol} of senior`],
      ["senior starts losing after", view.seniorLossThreshold === null ? "-" : `a vault loss of ${show(view.seniorLossThreshold)} (the layer's ${show(view.layerLossBeforeSenior)})`],
      ["share of pending reserves", show(view.provision)],
    ]);
    for (const tranche of [view.junior, view.senior]) {
      console.log();
      console.log(`${tranche.tranche} (${tranche.symbol}) ${tranche.address}`);
      const rows: Array<[string, string]> = [
        ["NAV (exit / entry)", `${show(tranche.exitValue)} / ${show(tranche.entryValue)}`],
        ["share price", `${formatAmount(tranche.sharePriceWad, 18, 6)} ${asset.symbol} per share (at exit value)`],
        ["APY estimate", tranche.apy === null ? "-" : `${(tranche.apy * 100).toFixed(2)}% (APR ${formatWadPercent(tranche.aprWad!)}, premiums streaming now)`],
        ["may leave now", show(tranche.maxExitValue)],
      ];
      const position = tranche.position!;
      rows.push([`position of ${account}`, `${formatAmount(position.shares, tranche.decimals, 4)} shares ≈ ${show(position.value)}`]);
      if (position.requested > 0n) {
        rows.push(["redemption request", `${formatAmount(position.requested, tranche.decimals, 4)} shares, ripe ${formatTime(position.claimableAt, now)}; redeemable now ${formatAmount(position.maxRedeem, tranche.decimals, 4)}`]);
      }
      keyValues(rows);
    }
    return view;
  }),
);
