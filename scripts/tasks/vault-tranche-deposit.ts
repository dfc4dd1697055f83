/**
 * `vault:tranche-deposit`: deposits the vault's asset into one tranche over it: into the vault, then the vault shares
 * into the junior (first loss) or senior (protected) tranche. A senior deposit the minimum junior ratio would refuse is
 * refused before anything is sent.
 */
import { formatAmount, formatWadPercent } from "../lib/format.js";
import { keyValues, parseAmount, TaskError, taskAction } from "./lib/cli.js";
import { withParapet, type CommonArgs } from "./lib/parapet.js";
import { parseTranche, tranchesOf } from "./lib/tranche.js";

interface Args extends CommonArgs {
  vault: string | undefined;
  tranche: string | undefined;
  amount: string | undefined;
  raw: boolean;
  approve: boolean;
}

export default taskAction(async (args: Args, hre) =>
  withParapet(hre, args, async (parapet) => {
    const tranche = parseTranche(args.tranche);
    const vault = await parapet.vault(args.vault);
    const handles = await tranchesOf(parapet, vault);
    const asset = await parapet.assetOf(vault);
    const assets = parseAmount(args.amount, asset.decimals, args.raw);
    const account = parapet.signer.address;
    const token = handles[tranche];
    const [room, expected] = await Promise.all([token.maxDeposit(account), vault.contract.previewDeposit(assets)]);
    if (expected > room) {
      const view = await parapet.client.tranches(vault.address);
      throw new TaskError(
        `the ${tranche} tranche takes about ${parapet.show(await vault.contract.convertToAssets(room), asset, args.raw)} ` +
          `more now: the junior (${parapet.show(view.junior.exitValue, asset, args.raw)}) must stay at least ` +
          `${formatWadPercent(view.minJuniorRatioWad)} of both tranches (senior ${parapet.show(view.senior.exitValue, asset, args.raw)})`,
      );
    }
    await parapet.requireFunds(asset, { address: vault.address, name: `${vault.name} vault` }, assets, {
      approve: args.approve,
      raw: args.raw,
      purpose: `the ${tranche} deposit`,
    });
    const result = await parapet.act(`deposit ${parapet.show(assets, asset, args.raw)} into the ${vault.name} ${tranche} tranche`, () =>
      parapet.client.trancheDeposit(vault.address, tranche, assets),
    );
    const decimals = Number(await token.decimals());
    const view = await parapet.client.tranches(vault.address, account);
    const showShares = (amount: bigint) => (args.raw ? amount.toString() : formatAmount(amount, decimals, 4));
    keyValues([
      ["account", account],
      ["deposited", parapet.show(assets, asset, args.raw)],
      ["credited to the tranche", parapet.show(result.credit, asset, args.raw)],
      [`${tranche} shares received`, showShares(result.shares)],
      [`${tranche} position value`, parapet.show(view[tranche].position!.value, asset, args.raw)],
    ]);
    return { shares: result.shares, credit: result.credit };
  }),
);
