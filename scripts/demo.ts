/**
 * The main job: Parapet end to end on the embedded Hardhat network. Underwriters fund two vaults, buyers buy
 * cover (one split atomically across both vaults), time passes while premiums stream into share prices, and an
 * underwriter requests and completes a withdrawal. Then things go wrong: an exploit brings an honest claim (paid after
 * liveness) and a fraudulent one (disputed by a watcher, rejected by the committee); a governance attack is reported
 * as an incident and paid to every eligible policy; a stablecoin depeg fires the Chainlink-fed trigger. Prints a
 * report at each step, and every balance change at the end.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { network } from "hardhat";

import { deployParapet, type ParapetDeployment } from "../deploy/fixture.js";
import type { UnderwriterVault } from "../types/ethers-contracts/index.js";
import { formatAmount, formatWadPercent, table } from "./lib/format.js";

const DAY = 86_400n;
const DECIMALS = 6;
const usd = (whole: number) => BigInt(whole) * 10n ** BigInt(DECIMALS);
const show = (raw: bigint) => formatAmount(raw, DECIMALS);
const ONE_SHARE = 10n ** 12n;

const connection = await network.create();
const { time } = connection.networkHelpers;
const parapet = await deployParapet(connection);
const { coverManager, vaults, asset, productIds, treasury, accounts, claimAdjudicator, committee } = parapet;
const { committeeArbiter, priceFeed, priceFeedTrigger } = parapet;
const watcher = accounts.watcher;
const [alice, bob, carol] = accounts.underwriters;
const [dao, fund, trader, whale] = accounts.buyers;
const frontend = accounts.outsider;
const names = new Map<string, string>([
  [alice.address, "alice (underwriter)"],
  [bob.address, "bob (underwriter)"],
  [carol.address, "carol (underwriter)"],
  [dao.address, "dao treasury (buyer)"],
  [fund.address, "yield fund (buyer)"],
  [trader.address, "trader (buyer)"],
  [whale.address, "whale (buyer)"],
  [frontend.address, "frontend (commission)"],
  [treasury.address, "protocol treasury"],
  [watcher.address, "watcher (keeper)"],
]);
const openingBalances = new Map<string, bigint>();
for (const address of names.keys()) openingBalances.set(address, await asset.balanceOf(address));
const vaultEntries = Object.entries(vaults) as Array<[string, UnderwriterVault]>;
const productEntries = Object.entries(productIds) as Array<[string, bigint]>;

function heading(text: string) {
  console.log(`\n━━ ${text} ${"━".repeat(Math.max(0, 74 - text.length))}`);
}

async function sharePrice(vault: UnderwriterVault): Promise<bigint> {
  return vault.convertToAssets(ONE_SHARE);
}

async function vaultReport() {
  const rows: string[][] = [];
  for (const [name, vault] of vaultEntries) {
    rows.push([
      name,
      show(await vault.managedAssets()),
      show(await vault.unearnedPremium()),
      show(await vault.navBid()),
      formatAmount(await sharePrice(vault), DECIMALS, 6),
      show(await vault.unlockedAssets()),
    ]);
  }
  console.log(table(["vault", "assets", "unearned premium", "NAV (bid)", "price / share", "unlocked"], rows));
  const exposureRows: string[][] = [];
  for (const [vaultName, vault] of vaultEntries) {
    for (const [productName, productId] of productEntries) {
      const exposure = await vault.exposureOf(productId);
      const capacity = await vault.capacityOf(productId);
      exposureRows.push([
        `${vaultName} / ${productName}`,
        show(exposure),
        show(capacity),
        capacity === 0n ? "-" : formatWadPercent((exposure * 10n ** 18n) / capacity),
      ]);
    }
  }
  console.log();
  console.log(table(["vault / product", "exposure", "capacity", "utilization"], exposureRows));
}

async function buy(
  buyer: HardhatEthersSigner,
  vaultName: keyof ParapetDeployment["vaults"],
  productName: keyof ParapetDeployment["productIds"],
  amount: bigint,
  days: bigint,
  commissionBps = 0n,
) {
  const vault = vaults[vaultName];
  const [premium, fee] = await coverManager.quotePremium(productIds[productName], vault, amount, days * DAY);
  const slippage = (premium * 50n) / 10_000n; // 0.5% slippage allowance on the quote
  const maxPremium = premium + slippage + fee + (premium * commissionBps) / 10_000n + 1n;
  const params = {
    productId: productIds[productName],
    vault: await vault.getAddress(),
    amount,
    period: days * DAY,
    maxPremium,
    deadline: BigInt(await time.latest()) + 600n,
    receiver: buyer.address,
    commissionBps,
    commissionRecipient: commissionBps === 0n ? "0x0000000000000000000000000000000000000000" : frontend.address,
  };
  const policyId = await coverManager.connect(buyer).buyCover.staticCall(params);
  await (await coverManager.connect(buyer).buyCover(params)).wait();
  return [
    `#${policyId}`,
    names.get(buyer.address)!,
    `${productName} @ ${vaultName}`,
    show(amount),
    `${days}d`,
    show(premium),
    show(fee),
    formatWadPercent((premium * 365n * 10n ** 18n) / (amount * days)),
  ];
}

heading("1. Deployment");
console.log(
  table(
    ["contract", "address"],
    [
      ["AccessManager", await parapet.accessManager.getAddress()],
      ["ProductRegistry", await parapet.productRegistry.getAddress()],
      ["CoverManager (policy NFT)", await coverManager.getAddress()],
      ["Conservative vault", await vaults.conservative.getAddress()],
      ["High-yield vault", await vaults.highYield.getAddress()],
      ["Test stablecoin (tUSD, 6 dec)", await asset.getAddress()],
    ],
  ),
);

heading("2. Underwriters deposit");
const deposits: Array<[HardhatEthersSigner, UnderwriterVault, bigint]> = [
  [alice, vaults.conservative, usd(400_000)],
  [bob, vaults.highYield, usd(250_000)],
  [carol, vaults.conservative, usd(150_000)],
  [carol, vaults.highYield, usd(100_000)],
];
for (const [underwriter, vault, assets] of deposits) {
  await (await vault.connect(underwriter).deposit(assets, underwriter.address)).wait();
  console.log(`${names.get(underwriter.address)!.padEnd(22)} deposited ${show(assets).padStart(12)} into ${await vault.symbol()}`);
}
await vaultReport();

heading("3. Buyers buy cover");
const purchases = [
  await buy(dao, "conservative", "lending", usd(100_000), 180n),
  await buy(fund, "highYield", "dex", usd(120_000), 90n, 200n),
  await buy(trader, "highYield", "lending", usd(60_000), 30n),
  await buy(whale, "conservative", "dex", usd(100_000), 365n),
  await buy(dao, "highYield", "lending", usd(140_000), 120n),
  await buy(fund, "highYield", "depeg", usd(80_000), 180n),
];
console.log(
  table(["policy", "holder", "product @ vault", "cover", "period", "premium", "fee", "annual rate"], purchases),
);
console.log("\nThe second high-yield lending purchase pays a higher rate: it buys capacity above the curve's kink.");

heading("3b. A cover too large for one vault, split across both atomically (multicall)");
{
  const amount = usd(160_000);
  const legs = [
    { vault: vaults.conservative, amount: usd(60_000) },
    { vault: vaults.highYield, amount: amount - usd(60_000) },
  ];
  const calls = [];
  for (const leg of legs) {
    const [premium, fee] = await coverManager.quotePremium(productIds.lending, leg.vault, leg.amount, 90n * DAY);
    calls.push(
      coverManager.interface.encodeFunctionData("buyCover", [
        {
          productId: productIds.lending,
          vault: await leg.vault.getAddress(),
          amount: leg.amount,
          period: 90n * DAY,
          maxPremium: premium + fee,
          deadline: BigInt(await time.latest()) + 600n,
          receiver: whale.address,
          commissionBps: 0n,
          commissionRecipient: "0x0000000000000000000000000000000000000000",
        },
      ]),
    );
    console.log(`leg: ${show(leg.amount).padStart(12)} on ${await leg.vault.symbol()}, premium ${show(premium)}`);
  }
  await (await coverManager.connect(whale).multicall(calls)).wait();
  console.log(`whale now holds ${await coverManager.balanceOf(whale.address)} policy NFTs`);
}
await vaultReport();

const pricesBefore = new Map<string, bigint>();
for (const [name, vault] of vaultEntries) pricesBefore.set(name, await sharePrice(vault));

heading("4. Thirty days pass: premiums stream into share prices");
await time.increase(30n * DAY);
const earnedRows: string[][] = [];
for (const [name, vault] of vaultEntries) {
  const before = pricesBefore.get(name)!;
  const after = await sharePrice(vault);
  const growthWad = ((after - before) * 10n ** 18n) / before;
  earnedRows.push([
    name,
    formatAmount(before, DECIMALS, 6),
    formatAmount(after, DECIMALS, 6),
    formatWadPercent(growthWad),
    formatWadPercent((growthWad * 365n) / 30n),
    show(await vault.unearnedPremium()),
  ]);
}
console.log(table(["vault", "price before", "price after", "30-day gain", "annualized", "still unearned"], earnedRows));
await vaultReport();

heading("5. Alice withdraws half of her position (request, 14-day cooldown, redeem)");
{
  const vault = vaults.conservative;
  const shares = (await vault.balanceOf(alice.address)) / 2n;
  await (await vault.connect(alice).requestRedeem(shares, alice.address, alice.address)).wait();
  const request = await vault.redeemRequest(alice.address);
  console.log(`requested ${formatAmount(shares, 12)} shares; claimable at ${new Date(Number(request.claimableAt) * 1000).toISOString()}`);
  try {
    await vault.connect(alice).redeem.staticCall(shares, alice.address, alice.address);
  } catch (error) {
    const reason = vault.interface.parseError((error as { data?: string }).data ?? "0x");
    console.log(`redeeming now is refused: ${reason?.name}(${reason?.args.join(", ")})`);
  }
  await time.increaseTo(request.claimableAt);
  const now = await vault.maxRedeem(alice.address);
  console.log(
    `after the cooldown: maxRedeem ${formatAmount(now, 12)} shares ` +
      `(an exit is paid in full or not at all: capped by the capital not locked behind cover, ` +
      `${show(await vault.unlockedAssets())}, and by the circuit breaker's ${show(await vault.outflowAllowance())} for today)`,
  );
  const balanceBefore = await asset.balanceOf(alice.address);
  await (await vault.connect(alice).redeem(now, alice.address, alice.address)).wait();
  const received = (await asset.balanceOf(alice.address)) - balanceBefore;
  const left = (await vault.redeemRequest(alice.address)).shares;
  console.log(
    `alice received ${show(received)} tUSD for ${formatAmount(now, 12)} shares; ` +
      (left === 0n
        ? "her whole request is out"
        : `${formatAmount(left, 12)} requested shares wait for the next window (redeemable for 7 days)`),
  );
}

heading("6. An exploit on Lendora: an honest claim and a fraudulent one");
const exploitTime = BigInt(await time.latest()) - 3_600n;
const claimPolicies = { honest: 1n, fraudulent: 3n }; // dao's Lendora cover; trader's expired 30-day Lendora cover
const fileClaim = async (holder: HardhatEthersSigner, policyId: bigint, amount: bigint, incidentTime: bigint, uri: string) => {
  const claimId = await claimAdjudicator.connect(holder).fileClaim.staticCall(policyId, amount, incidentTime, uri);
  await (await claimAdjudicator.connect(holder).fileClaim(policyId, amount, incidentTime, uri)).wait();
  return claimId;
};
const honestClaim = await fileClaim(dao, claimPolicies.honest, usd(25_000), exploitTime, "ipfs://evidence/lendora-exploit-tx");
const tradersPolicy = await coverManager.getPolicy(claimPolicies.fraudulent);
const fraudulentClaim = await fileClaim(
  trader,
  claimPolicies.fraudulent,
  usd(60_000),
  tradersPolicy.end - 3_600n,
  "ipfs://evidence/not-actually-a-loss",
);
for (const [label, claimId] of [["honest", honestClaim], ["fraudulent", fraudulentClaim]] as const) {
  const claim = await claimAdjudicator.getClaim(claimId);
  console.log(
    `claim #${claimId} (${label}): ${show(claim.amount)} on policy #${claim.policyId}, bond ${show(claim.bond)}, ` +
      `undisputed it pays at ${new Date(Number(claim.expiration) * 1000).toISOString()}`,
  );
}
console.log(
  `vault NAV while the claims are pending: conservative bid ${show(await vaults.conservative.navBid())} / ask ` +
    `${show(await vaults.conservative.navAsk())} (exits price at bid, entries at ask)`,
);

// A watcher checks the evidence and disputes the fraudulent claim; the committee rules.
await (await claimAdjudicator.connect(watcher).disputeClaim(fraudulentClaim)).wait();
const caseId = (await claimAdjudicator.getClaim(fraudulentClaim)).caseId;
console.log(`watcher disputed claim #${fraudulentClaim}, posting an equal bond: committee case #${caseId}`);
for (const member of committee.slice(0, 2)) {
  await (await committeeArbiter.connect(member).castVote(caseId, false)).wait();
}
await (await committeeArbiter.connect(watcher).resolve(caseId)).wait();
console.log("two of three committee members voted to reject; the ruling went back to the adjudicator");

await time.increase(3n * DAY);
for (const claimId of [honestClaim, fraudulentClaim]) {
  await (await claimAdjudicator.connect(watcher).settleClaim(claimId)).wait();
  const claim = await claimAdjudicator.getClaim(claimId);
  const outcome = ["none", "pending", "disputed", "approved", "rejected", "drawn"][Number(claim.state)];
  console.log(`claim #${claimId} settled: ${outcome}, paid ${show(claim.paid)}`);
}

heading("7. A governance attack on SwapPeak: an incident, paid to every eligible policy");
const attackTime = BigInt(await time.latest()) - 600n;
const payoutWad = 3n * 10n ** 17n; // 30% of each policy's remaining cover
const incidentId = await claimAdjudicator.connect(watcher).reportIncident.staticCall(
  productIds.dex,
  attackTime,
  payoutWad,
  "ipfs://evidence/swappeak-governance-attack",
);
await (
  await claimAdjudicator
    .connect(watcher)
    .reportIncident(productIds.dex, attackTime, payoutWad, "ipfs://evidence/swappeak-governance-attack")
).wait();
console.log(`incident #${incidentId} reported on SwapPeak (30% payout); sales of SwapPeak cover are halted meanwhile`);
await time.increase(3n * DAY);
await (await claimAdjudicator.connect(watcher).settleIncident(incidentId)).wait();
for (const vault of await claimAdjudicator.incidentVaults(incidentId)) {
  const reserve = await claimAdjudicator.incidentReserve(incidentId, vault);
  const name = vault === (await vaults.conservative.getAddress()) ? "conservative" : "highYield";
  console.log(`  ${name} reserved ${show(reserve.reserved)} of the ${show(reserve.needed)} it may owe, at the report`);
}
for (let policyId = 1n; policyId <= (await coverManager.policyCount()); policyId++) {
  const policy = await coverManager.getPolicy(policyId);
  if (policy.productId !== productIds.dex) continue;
  const owner = await coverManager.ownerOf(policyId);
  const payout = await claimAdjudicator.connect(watcher).claimIncidentPayout.staticCall(policyId, incidentId);
  await (await claimAdjudicator.connect(watcher).claimIncidentPayout(policyId, incidentId)).wait();
  console.log(`  policy #${policyId} (${names.get(owner)}) paid ${show(payout)} of ${show(policy.amount)} cover`);
}

heading("8. USDx depegs: the Chainlink feed fires the parametric trigger");
await (await priceFeed.updateAnswer(95_000_000n)).wait();
const [upkeepNeeded] = await priceFeedTrigger.checkUpkeep.staticCall("0x");
console.log(`feed reports $0.95 (threshold $0.97); checkUpkeep says fire: ${upkeepNeeded}`);
await (await priceFeedTrigger.connect(watcher).performUpkeep("0x")).wait();
const depegIncident = await priceFeedTrigger.incidentId();
console.log(`trigger fired: incident #${depegIncident} confirmed at once, no liveness`);
await time.increase(60n);
for (let policyId = 1n; policyId <= (await coverManager.policyCount()); policyId++) {
  const policy = await coverManager.getPolicy(policyId);
  if (policy.productId !== productIds.depeg) continue;
  const payout = await claimAdjudicator.claimIncidentPayout.staticCall(policyId, depegIncident);
  await (await claimAdjudicator.claimIncidentPayout(policyId, depegIncident)).wait();
  console.log(`  policy #${policyId} (${names.get(await coverManager.ownerOf(policyId))}) paid ${show(payout)}`);
}

heading("8b. The payout circuit breaker: what passed a vault's 25% of NAV per day waits in its queue");
const queuedVaults: [string, typeof vaults.conservative][] = Object.entries(vaults);
for (const [name, vault] of queuedVaults) {
  const [head, tail] = await vault.outflowQueueRange();
  console.log(
    `${name}: ${show(await vault.recentOutflows())} left in the last day; ` +
      (head === tail ? "nothing queued" : `${tail - head} payouts queued, ${show(await vault.queuedOutflowAssets())} owed`),
  );
}
// A day later (plus the meter's 8-hour bucket), the window has room again: a keeper pays the queue in order.
await time.increase(DAY + 8n * 3_600n);
for (const [name, vault] of queuedVaults) {
  const [head, tail] = await vault.outflowQueueRange();
  if (head === tail) continue;
  const paid = await vault.connect(watcher).processOutflowQueue.staticCall(32n);
  await (await vault.connect(watcher).processOutflowQueue(32n)).wait();
  console.log(`keeper: processOutflowQueue on ${name} paid ${show(paid)}; still owed ${show(await vault.queuedOutflowAssets())}`);
}

heading("9. Final report");
await vaultReport();
const balances: string[][] = [];
for (const [address, name] of names) {
  const now = await asset.balanceOf(address);
  const change = now - openingBalances.get(address)!;
  balances.push([name, show(openingBalances.get(address)!), show(now), `${change >= 0n ? "+" : "-"}${show(change >= 0n ? change : -change)}`]);
}
console.log();
console.log(table(["account", "opening tUSD", "closing tUSD", "change"], balances));
console.log(`\npolicies sold: ${await coverManager.policyCount()}; claims filed: ${await claimAdjudicator.claimCount()}; incidents: ${await claimAdjudicator.incidentCount()}`);
