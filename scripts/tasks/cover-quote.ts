/**
 * `cover:quote`: what cover on a product costs now, from one vault, or from each vault backing the product plus the
 * cheapest split across them (what `cover:buy` without `--vault` buys).
 */
import { ParapetError } from "../../sdk/src/core/index.js";
import { formatWadPercent, table } from "../lib/format.js";
import { formatDuration, parseAmount, parseDays, TaskError, taskAction } from "./lib/cli.js";
import { formatModelRate, modelRateOf } from "./lib/modelRate.js";
import { decodeRevert, withParapet, type CommonArgs, type VaultRef } from "./lib/parapet.js";

interface Args extends CommonArgs {
  product: string | undefined;
  vault: string | undefined;
  amount: string | undefined;
  days: string | undefined;
  raw: boolean;
}

const WAD = 10n ** 18n;
const YEAR = 365n * 86_400n;

export default taskAction(async (args: Args, hre) =>
  withParapet(hre, args, async (parapet) => {
    const product = await parapet.product(args.product);
    const period = parseDays(args.days);
    const single = args.vault !== undefined && args.vault.trim() !== "";
    const vaults: VaultRef[] = single
      ? [await parapet.vault(args.vault)]
      : await Promise.all(product.view.vaults.map((address) => parapet.vault(address)));
    if (vaults.length === 0) throw new TaskError(`no vault backs product #${product.id} (${product.slug})`);
    const asset = await parapet.assetOf(vaults[0]);
    const amount = parseAmount(args.amount, asset.decimals, args.raw);
    const show = (value: bigint) => parapet.show(value, asset, args.raw);
    const annualRate = (premium: bigint, cover: bigint) => formatWadPercent((premium * YEAR * WAD) / (cover * period));

    const rows: string[][] = [];
    const unavailable: string[] = [];
    const quotes: Array<{ vault: string; premium: bigint; protocolFee: bigint; matchesSdk: boolean }> = [];
    for (const vault of vaults) {
      const [capacity, exposure] = await Promise.all([vault.contract.capacityOf(product.id), vault.contract.exposureOf(product.id)]);
      try {
        // The chain's quote, cross-checked against the SDK's premium math on the same state.
        const { premium, protocolFee, matchesSdk } = await parapet.client.quote(product.id, vault.address, amount, period);
        quotes.push({ vault: vault.name, premium, protocolFee, matchesSdk });
        rows.push([
          vault.name,
          show(premium),
          show(protocolFee),
          show(premium + protocolFee),
          annualRate(premium, amount),
          capacity === 0n ? "-" : formatWadPercent(((exposure + amount) * WAD) / capacity),
          show(capacity > exposure ? capacity - exposure : 0n),
        ]);
      } catch (error) {
        const reason = decodeRevert(error, asset);
        if (reason === undefined) throw error;
        if (single) throw new TaskError(`no quote from the ${vault.name} vault: ${reason}`);
        unavailable.push(`${vault.name}: ${reason}`);
      }
    }
    console.log(
      `Cover of ${show(amount)} on product #${product.id} (${product.slug}) for ${formatDuration(period)} ` +
        `(product allows ${formatDuration(product.view.minPeriod)} to ${formatDuration(product.view.maxPeriod)})\n`,
    );
    if (rows.length > 0) {
      console.log(table(["vault", "premium", "protocol fee", "total", "annual rate", "utilization after", "available"], rows));
    }
    for (const line of unavailable) console.log(`unavailable from ${line}`);
    // The risk model's rate, to read beside each vault's annual rate above (when the product has a profile).
    const model = modelRateOf(product.slug);
    if (model !== undefined) console.log(`model rate ${formatModelRate(model)}`);
    if (single) return { quotes };

    // The cheapest split across the backing vaults, as the SDK's router finds it.
    let route;
    try {
      route = await parapet.client.quoteCover({ productId: product.id, amount, period });
    } catch (error) {
      const reason = decodeRevert(error, asset) ?? (error instanceof ParapetError ? error.message : undefined);
      if (reason === undefined) throw error;
      if (quotes.length === 0) throw new TaskError(`no vault can sell this cover now: ${reason}`);
      console.log(`\nNo split across vaults: ${reason}`);
      return { quotes };
    }
    const legs = route.legs.map((leg) => `${parapet.vaultName(leg.vault)} ${show(leg.amount)}`).join(" + ");
    console.log(
      `\nCheapest route (cover:buy without --vault buys it in one transaction): ${legs}\n` +
        `  premium ${show(route.premium)} + protocol fee ${show(route.protocolFee)} = ${show(route.total)}, ` +
        `annual rate ${annualRate(route.premium, amount)}`,
    );
    return { quotes, route: route.legs.map((leg) => ({ vault: parapet.vaultName(leg.vault), amount: leg.amount, premium: leg.premium })) };
  }),
);
