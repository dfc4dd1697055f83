/**
 * `vault:status`: a vault's (or every vault's) share price, NAV, APY estimate from the premiums streaming now,
 * utilization per product, and an account's position and redemption request.
 */
import { formatAmount, formatWadPercent, table } from "../lib/format.js";
import { formatDuration, formatTime, heading, keyValues, taskAction } from "./lib/cli.js";
import { formatModelRate, modelRateOf } from "./lib/modelRate.js";
import { withParapet, type CommonArgs, type Parapet, type VaultRef } from "./lib/parapet.js";

interface Args extends CommonArgs {
  vault: string | undefined;
  account: string | undefined;
  raw: boolean;
}

const WAD = 10n ** 18n;

async function report(parapet: Parapet, vault: VaultRef, account: string, raw: boolean) {
  const asset = await parapet.assetOf(vault);
  const [status, position] = await Promise.all([
    parapet.read(`read the ${vault.name} vault`, () => parapet.client.vault(vault.address)),
    parapet.read(`read the position in the ${vault.name} vault`, () => parapet.client.position(vault.address, account)),
  ]);
  const show = (amount: bigint) => parapet.show(amount, asset, raw);
  const showShares = (amount: bigint) => (raw ? amount.toString() : formatAmount(amount, status.decimals, 4));
  const now = status.timestamp;

  heading(`${vault.name} vault (${status.symbol}) ${vault.address}${status.paused ? "  [PAUSED]" : ""}`);
  const apy = status.yield;
  keyValues([
    ["share price", `${formatAmount(status.sharePriceWad, 18, 6)} ${asset.symbol} per share (at bid)`],
    ["NAV (ask / bid)", `${show(status.navAsk)} / ${show(status.navBid)}`],
    ["managed assets", show(status.managedAssets)],
    ["unearned premium", show(status.unearnedPremium)],
    ["reserved for claims", show(status.pendingReserve)],
    ["unlocked for exits", show(status.unlockedAssets)],
    ["total shares", showShares(status.totalSupply)],
    ["redemption cooldown", formatDuration(status.cooldown)],
    [
      "circuit breaker",
      `${formatWadPercent(status.outflows.limitWad)} of NAV per ${formatDuration(status.outflows.window)}: ` +
        `${show(status.outflows.recent)} left recently, ${show(status.outflows.allowance)} may leave now`,
    ],
    [
      "outflow queue",
      status.outflows.queueHead === status.outflows.queueTail
        ? "empty"
        : `${status.outflows.queueTail - status.outflows.queueHead} entries owed ${show(status.outflows.queuedAssets)}`,
    ],
    [
      "APY estimate",
      apy === undefined || status.navBid === 0n
        ? "-"
        : `${(apy.apy * 100).toFixed(2)}% (APR ${formatWadPercent(apy.aprWad)}: premiums streaming now, before claims)`,
    ],
  ]);

  const rows: string[][] = [];
  for (const product of status.products) {
    rows.push([
      await parapet.productName(product.productId),
      show(product.capacity),
      show(product.exposure),
      product.capacity === 0n ? "-" : formatWadPercent(product.utilizationWad),
      show(product.capacityLeft),
    ]);
  }
  console.log();
  console.log(table(["product", "capacity", "exposure", "utilization", "available"], rows));
  // The risk model's rate beside each curve's base rate, for products with a profile in deploy/risk-profiles/.
  for (const product of status.products) {
    const { slug, view } = (await parapet.products()).find((candidate) => candidate.id === product.productId)!;
    const model = modelRateOf(slug);
    if (model === undefined) continue;
    console.log(
      `model rate #${product.productId} ${slug}: ${formatModelRate(model)}; curve base ${formatWadPercent(product.curve.baseRateWad)}, ` +
        `product floor ${formatWadPercent(view.minRateWad)}`,
    );
  }

  const requested = position.pendingShares + position.claimableShares;
  const share = status.totalSupply === 0n ? "" : ` (${formatWadPercent(((position.shares + requested) * WAD) / status.totalSupply)} of the vault incl. requested)`;
  console.log();
  console.log(`Position of ${account}`);
  const rowsOut: Array<[string, string]> = [
    ["shares", `${showShares(position.shares)}${share}`],
    ["value (bid)", show(position.assetsAtBid)],
  ];
  if (requested === 0n) {
    rowsOut.push(["redemption request", "none"]);
  } else {
    rowsOut.push(
      ["redemption request", `${showShares(requested)} shares (≈ ${show(position.requestedAssetsAtBid)})`],
      [now >= position.claimableAt ? "ripe since" : "ripens", formatTime(position.claimableAt, now)],
      ["redeemable now", `${showShares(position.maxRedeem)} shares (≈ ${show(position.maxWithdraw)})`],
    );
  }
  keyValues(rowsOut);
  return { vault: vault.name, navBid: status.navBid, sharePriceWad: status.sharePriceWad, aprWad: apy?.aprWad, shares: position.shares };
}

export default taskAction(async (args: Args, hre) =>
  withParapet(hre, args, async (parapet) => {
    const vaults = args.vault === undefined || args.vault.trim() === "" ? parapet.vaults : [await parapet.vault(args.vault)];
    const account = parapet.account(args.account, "--account");
    const reports = [];
    for (const vault of vaults) reports.push(await report(parapet, vault, account, args.raw));
    return reports;
  }),
);
