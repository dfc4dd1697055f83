/** `vault:deposit`: an underwriter deposits the vault's asset and receives shares priced at `navAsk`. */
import { formatAmount } from "../lib/format.js";
import { keyValues, parseAmount, taskAction } from "./lib/cli.js";
import { withParapet, type CommonArgs } from "./lib/parapet.js";

interface Args extends CommonArgs {
  vault: string | undefined;
  amount: string | undefined;
  raw: boolean;
  approve: boolean;
}

export default taskAction(async (args: Args, hre) =>
  withParapet(hre, args, async (parapet) => {
    const vault = await parapet.vault(args.vault);
    const asset = await parapet.assetOf(vault);
    const assets = parseAmount(args.amount, asset.decimals, args.raw);
    const account = parapet.signer.address;
    await parapet.requireFunds(asset, { address: vault.address, name: `${vault.name} vault` }, assets, {
      approve: args.approve,
      raw: args.raw,
      purpose: "the deposit",
    });
    const shareDecimals = Number(await vault.contract.decimals());
    const { shares } = await parapet.act(`deposit ${parapet.show(assets, asset, args.raw)} into the ${vault.name} vault`, () =>
      parapet.client.deposit(vault.address, assets),
    );
    const position = await parapet.client.position(vault.address, account);
    const showShares = (amount: bigint) => (args.raw ? amount.toString() : formatAmount(amount, shareDecimals, 4));
    keyValues([
      ["account", account],
      ["deposited", parapet.show(assets, asset, args.raw)],
      ["shares received", showShares(shares)],
      ["shares held", showShares(position.shares)],
      ["position value (bid)", parapet.show(position.assetsAtBid, asset, args.raw)],
    ]);
    return { shares };
  }),
);
