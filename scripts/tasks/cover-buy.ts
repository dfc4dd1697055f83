/**
 * `cover:buy`: buys cover. From `--vault`, one policy; without it, the cheapest split across the vaults backing the
 * product, one policy per vault, bought atomically. The price is quoted first and bounded by `--slippage-bps` (each
 * leg's premium + fee may rise by at most that much before the purchase lands); the policy NFTs go to `--receiver`
 * (default the signer).
 */
import { table } from "../lib/format.js";
import { formatDuration, formatTime, keyValues, parseAmount, parseBps, parseDays, taskAction } from "./lib/cli.js";
import { withParapet, type CommonArgs } from "./lib/parapet.js";

interface Args extends CommonArgs {
  product: string | undefined;
  vault: string | undefined;
  amount: string | undefined;
  days: string | undefined;
  slippageBps: string;
  receiver: string | undefined;
  raw: boolean;
  approve: boolean;
}

/** `value` plus `bps` of it, rounded up: the bound the SDK client puts on each leg. */
const withSlippage = (value: bigint, bps: bigint) => value + (value * bps + 9_999n) / 10_000n;

export default taskAction(async (args: Args, hre) =>
  withParapet(hre, args, async (parapet) => {
    const product = await parapet.product(args.product);
    const vault = args.vault === undefined || args.vault.trim() === "" ? undefined : await parapet.vault(args.vault);
    const asset = vault === undefined ? await parapet.token(parapet.deployment.addresses.asset) : await parapet.assetOf(vault);
    const amount = parseAmount(args.amount, asset.decimals, args.raw);
    const period = parseDays(args.days);
    const slippageBps = parseBps(args.slippageBps, "--slippage-bps", 5_000n);
    const receiver = parapet.account(args.receiver, "--receiver");
    const show = (value: bigint) => parapet.show(value, asset, args.raw);
    const source = vault === undefined ? "the backing vaults" : `the ${vault.name} vault`;

    const quote = await parapet.read(`quote from ${source}`, () =>
      parapet.client.quoteCover({ productId: product.id, vault: vault?.address, amount, period }),
    );
    const maxTotal = quote.legs.reduce((sum, leg) => sum + withSlippage(leg.total, slippageBps), 0n);
    await parapet.requireFunds(asset, { address: parapet.deployment.addresses.coverManager, name: "CoverManager" }, quote.total, {
      approve: args.approve,
      allowanceNeeded: maxTotal,
      raw: args.raw,
      purpose: "the premium and protocol fee",
    });
    const bought = await parapet.act(`buy ${show(amount)} of cover on #${product.id} ${product.slug} from ${source}`, () =>
      parapet.client.buyCover({ productId: product.id, vault: vault?.address, amount, period, slippageBps, receiver }),
    );
    const [first] = bought.purchases;
    const premium = bought.purchases.reduce((sum, purchase) => sum + purchase.premium, 0n);
    const protocolFee = bought.purchases.reduce((sum, purchase) => sum + purchase.protocolFee, 0n);
    keyValues([
      [bought.policyIds.length === 1 ? "policy" : "policies", `${bought.policyIds.map((id) => `#${id}`).join(", ")} (NFT held by ${receiver})`],
      ["cover", `${show(amount)} on #${product.id} ${product.slug}`],
      ["period", `${formatTime(first.start)} → ${formatTime(first.end)} (${formatDuration(period)})`],
      ["covers incidents from", formatTime(first.start + product.view.coverageLag)],
      ["paid", `${show(premium)} premium + ${show(protocolFee)} protocol fee = ${show(bought.totalCost)}`],
      ["price limit", `${show(maxTotal)} (quote ${show(quote.total)} + ${slippageBps} bps slippage)`],
    ]);
    if (bought.purchases.length > 1 || vault === undefined) {
      console.log();
      console.log(
        table(
          ["policy", "vault", "cover", "premium", "protocol fee"],
          bought.purchases.map((purchase) => [
            `#${purchase.policyId}`,
            parapet.vaultName(purchase.vault),
            show(purchase.amount),
            show(purchase.premium),
            show(purchase.protocolFee),
          ]),
        ),
      );
    }
    return { policyId: bought.policyId, policyIds: bought.policyIds, paid: bought.totalCost };
  }),
);
