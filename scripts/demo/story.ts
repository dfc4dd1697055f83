/**
 * The main job: Parapet end to end on the in-process Hardhat network, every user action through the SDK's
 * `ParapetClient` (one client per person, as each would run it in their own wallet). Underwriters fund two vaults,
 * buyers buy cover (one order split across both vaults by the SDK's router), premiums stream into share prices, an
 * underwriter leaves in two windows of the circuit breaker. Then things go wrong: an exploit brings an honest claim
 * (paid after its liveness) and a fraudulent one (disputed, rejected by the committee), then a fraudulent claim
 * escalated to UMA's DVM and rejected by its vote; a governance attack is
 * reported as an incident, reserved at the report and paid to every eligible policy; a stablecoin depeg fires the
 * Chainlink-fed trigger. Every payout the circuit breaker queues is followed until a keeper's `processOutflowQueue`
 * pays it, every refusal is explained in words, and the closing table values each underwriter's shares at `navBid`.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { network } from "hardhat";

import { deployParapet } from "../../deploy/fixture.js";
import { loadDeployment, ParapetClient, type PayoutDelivery, type VaultView } from "../../sdk/src/index.js";
import { formatAmount, formatWadPercent, table } from "../lib/format.js";
import { deploymentFileOf } from "../tasks/lib/deployment.js";
import { explain } from "./explain.js";

const DAY = 86_400n;
const HOUR = 3_600n;
const DECIMALS = 6;
const SYMBOL = "tUSD";
const WAD = 10n ** 18n;
const show = (raw: bigint) => `${formatAmount(raw, DECIMALS)} ${SYMBOL}`;
const date = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString().replace("T", " ").replace(/:\d\d\.\d{3}Z$/, " UTC");

// ------------------------------------------------------------------------------------------------------ the cast

const connection = await network.create();
const { time } = connection.networkHelpers;
const parapet = await deployParapet(connection);
const { accounts, committee, priceFeed, productIds } = parapet;
const deployment = loadDeployment(await deploymentFileOf(parapet, Number((await connection.ethers.provider.getNetwork()).chainId)));
const [alice, bob, carol] = accounts.underwriters;
const [dao, fund, trader, whale] = accounts.buyers;
const { watcher, outsider: frontend } = accounts;
const names = new Map<string, string>([
  [alice.address, "alice (underwriter)"],
  [bob.address, "bob (underwriter)"],
  [carol.address, "carol (underwriter)"],
  [dao.address, "dao treasury (buyer)"],
  [fund.address, "yield fund (buyer)"],
  [trader.address, "trader (buyer)"],
  [whale.address, "whale (buyer)"],
  [frontend.address, "frontend (commission)"],
  [parapet.treasury.address, "protocol treasury"],
  [watcher.address, "watcher (keeper)"],
]);
const nameOf = (address: string) => names.get(address) ?? address;
const vaultNames = new Map(Object.entries(deployment.addresses.vaults).map(([name, address]) => [address, name]));
const vaultName = (address: string) => vaultNames.get(address) ?? address;
const productNames = new Map<bigint, string>([
  [productIds.lending, "Lendora (lending)"],
  [productIds.dex, "SwapPeak (dex)"],
  [productIds.depeg, "USDx depeg"],
]);

/** Each person's own client, on their own signer. */
const clients = new Map<string, ParapetClient>();
async function as(signer: HardhatEthersSigner): Promise<ParapetClient> {
  let client = clients.get(signer.address);
  if (client === undefined) {
    client = await ParapetClient.connect(signer, deployment);
    clients.set(signer.address, client);
  }
  return client;
}
const reader = await ParapetClient.connect(connection.ethers.provider, deployment);

const openingBalances = new Map<string, bigint>();
for (const address of names.keys()) openingBalances.set(address, await parapet.asset.balanceOf(address));

function heading(text: string) {
  console.log(`\n━━ ${text} ${"━".repeat(Math.max(0, 74 - text.length))}`);
}

/** Runs an action that must be refused, and prints why in words. */
async function refused(what: string, action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    console.log(`✗ ${what}: refused. ${explain(error, { symbol: SYMBOL, decimals: DECIMALS })}`);
    return;
  }
  throw new Error(`${what} should have been refused`);
}

// ------------------------------------------------------------------------------------------------------ reports

async function vaultViews(): Promise<VaultView[]> {
  return Promise.all(Object.keys(deployment.addresses.vaults).map((name) => reader.vault(name, { withYield: false })));
}

/** One whole share's value at `navBid`, in asset units (WAD-free: 6 decimals). */
const sharePrice = (view: VaultView) => (view.sharePriceWad * 10n ** BigInt(DECIMALS)) / WAD;

async function vaultReport(explainLeverage = false) {
  const views = await vaultViews();
  console.log(
    table(
      ["vault", "assets", "unearned premium", "reserved", "NAV (bid)", "price / share", "unlocked"],
      views.map((view) => [
        vaultName(view.address),
        show(view.managedAssets),
        show(view.unearnedPremium),
        show(view.pendingReserve),
        show(view.navBid),
        formatAmount(sharePrice(view), DECIMALS, 6),
        show(view.unlockedAssets),
      ]),
    ),
  );
  const rows: string[][] = [];
  const over: string[] = [];
  for (const view of views) {
    for (const product of view.products) {
      const label = `${vaultName(view.address)} / ${productNames.get(product.productId)}`;
      rows.push([label, show(product.exposure), show(product.capacity), formatWadPercent(product.capacityWad), formatWadPercent(product.utilizationWad)]);
      if (product.utilizationWad > WAD) over.push(label);
    }
  }
  console.log();
  console.log(table(["vault / product", "exposure", "capacity", "capacity share", "utilization"], rows));
  for (const view of explainLeverage || over.length > 0 ? views : []) {
    console.log(
      `${vaultName(view.address)}: its products' capacity shares add up to ${formatWadPercent(view.totalCapacityWad)} of NAV ` +
        `(leverage cap ${formatWadPercent(view.maxLeverageWad)}): capacity is per product, and one vault backs all three.`,
    );
  }
  if (over.length > 0) {
    console.log(
      `Above 100% (${over.join(", ")}): capacity is the product's share of today's navBid, and cover is counted at the ` +
        "amount it was sold for. Exits, payouts and reserves since the sale lowered navBid, so live cover now exceeds what " +
        "the vault would sell today: it sells none of that product until cover expires or NAV grows. Nothing is " +
        "unpaid because of it: every payout is sized at payment against what the vault holds.",
    );
  }
}

/** Follows payouts that did not arrive in full: the queue entries a keeper must still pay, by receiver. */
const queued: Array<{ what: string; receiver: string; vault: string; queueId: bigint; owed: bigint }> = [];

function delivered(what: string, payout: bigint, receiver: string, delivery: PayoutDelivery): string {
  for (const entry of delivery.queueEntries) queued.push({ what, receiver, vault: entry.vault, queueId: entry.queueId, owed: entry.amount });
  const parts = [`${show(payout)} to ${nameOf(receiver)}`];
  if (delivery.queued > 0n) {
    parts.push(
      `${show(payout - delivery.queued - delivery.parked)} paid now, ${show(delivery.queued)} queued by the ` +
        `${delivery.queueEntries.map((entry) => `${vaultName(entry.vault)} vault's circuit breaker (entry #${entry.queueId})`).join(", ")}`,
    );
  } else {
    parts.push("paid in full at once");
  }
  if (delivery.parked > 0n) parts.push(`${show(delivery.parked)} parked (the token refused it)`);
  return parts.join(": ");
}

// ------------------------------------------------------------------------------------------------------ the story

heading("1. Deployment");
console.log(
  table(
    ["contract", "address"],
    [
      ["AccessManager", deployment.addresses.accessManager],
      ["ProductRegistry", deployment.addresses.productRegistry],
      ["CoverManager (policy NFT)", deployment.addresses.coverManager],
      ["ClaimAdjudicator", deployment.addresses.claimAdjudicator],
      ["CommitteeArbiter (2 of 3)", deployment.addresses.committeeArbiter],
      ["ParapetLens (the SDK reads through it)", deployment.addresses.lens],
      ["Conservative vault", deployment.addresses.vaults.conservative!],
      ["High-yield vault", deployment.addresses.vaults.highYield!],
      [`Test stablecoin (${SYMBOL}, ${DECIMALS} decimals)`, deployment.addresses.asset],
    ],
  ),
);
console.log("Every action below goes through @parapet/sdk's ParapetClient, one client per person.");

heading("2. Underwriters deposit");
for (const [underwriter, vault, amount] of [
  [alice, "conservative", "400000"],
  [bob, "highYield", "500000"],
  [carol, "conservative", "150000"],
  [carol, "highYield", "100000"],
] as const) {
  const { assets, shares } = await (await as(underwriter)).deposit(vault, amount);
  console.log(`${nameOf(underwriter.address).padEnd(20)} deposited ${show(assets).padStart(16)} into ${vault}: ${formatAmount(shares, 12, 2)} shares`);
}
await vaultReport(true);

heading("3. Buyers buy cover (quoted, then bought within 0.5% slippage)");
const purchases: string[][] = [];
async function buy(buyer: HardhatEthersSigner, product: bigint, amount: string, days: bigint, vault?: string, commissionBps = 0n) {
  const client = await as(buyer);
  const order = { productId: product, amount, period: days * DAY, vault, commissionBps, commissionRecipient: commissionBps === 0n ? undefined : frontend.address };
  const bought = await client.buyCover({ ...order, slippageBps: 50 });
  for (const purchase of bought.purchases) {
    purchases.push([
      `#${purchase.policyId}`,
      nameOf(buyer.address),
      `${productNames.get(product)} @ ${vaultName(purchase.vault)}`,
      show(purchase.amount),
      `${days}d`,
      show(purchase.premium),
      show(purchase.protocolFee + purchase.commission),
      formatWadPercent((purchase.premium * 365n * WAD) / (purchase.amount * days)),
    ]);
  }
  return bought;
}
await buy(dao, productIds.lending, "100000", 180n, "conservative");
await buy(fund, productIds.dex, "120000", 90n, "highYield", 200n);
const tradersCover = await buy(trader, productIds.lending, "60000", 30n, "highYield");
await buy(whale, productIds.dex, "60000", 365n, "conservative");
await buy(dao, productIds.lending, "140000", 120n, "highYield");
await buy(fund, productIds.depeg, "150000", 180n, "highYield");
// No vault named: the SDK's router splits the order across both vaults at the lowest total premium, bought atomically.
const split = await buy(whale, productIds.lending, "160000", 90n);
console.log(table(["policy", "holder", "product @ vault", "cover", "period", "premium", "fees", "annual rate"], purchases));
console.log(
  `The whale's ${show(160_000_000000n)} Lendora order was split by the router into ${split.purchases.length} policies ` +
    `(${split.purchases.map((p) => `${show(p.amount)} @ ${vaultName(p.vault)}`).join(" + ")}), all or none in one multicall.`,
);
await refused("whale asks 1,000,000 tUSD of Lendora cover from the conservative vault", async () =>
  (await as(whale)).quoteCover({ productId: productIds.lending, vault: "conservative", amount: "1000000", period: 30n * DAY }),
);
await vaultReport();

heading("4. Thirty days pass: premiums stream into share prices");
const before = await vaultViews();
await time.increase(30n * DAY);
const after = await vaultViews();
console.log(
  table(
    ["vault", "price before", "price after", "30-day gain", "annualized", "still unearned"],
    after.map((view, index) => {
      const [start, end] = [sharePrice(before[index]!), sharePrice(view)];
      const gainWad = ((end - start) * WAD) / start;
      return [vaultName(view.address), formatAmount(start, DECIMALS, 6), formatAmount(end, DECIMALS, 6), formatWadPercent(gainWad), formatWadPercent((gainWad * 365n) / 30n), show(view.unearnedPremium)];
    }),
  ),
);

heading("5. Bob leaves with 40% of his position: request, 14-day cooldown, two windows of the circuit breaker");
{
  const client = await as(bob);
  const position = await client.position("highYield", bob.address);
  const request = await client.requestRedeem("highYield", (position.shares * 2n) / 5n);
  const requested = await client.position("highYield", bob.address);
  console.log(
    `bob requested ${formatAmount(request.shares, 12, 2)} shares (worth ${show(requested.requestedAssetsAtBid)} at navBid); ` +
      `in escrow they keep earning and bearing losses; redeemable from ${date(requested.claimableAt)}`,
  );
  await refused("bob redeems at once", () => client.redeem("highYield", request.shares));
  await time.increaseTo(requested.claimableAt);
  const ripe = await client.position("highYield", bob.address);
  const status = await reader.vault("highYield", { withYield: false });
  console.log(
    `after the cooldown the request is worth ${show(ripe.requestedAssetsAtBid)}; ${show(status.unlockedAssets)} of the vault ` +
      `is not locked behind live cover, but the circuit breaker lets only ${show(status.outflows.allowance)} leave in this ` +
      `window (25% of NAV per 24 hours), so maxRedeem is ${formatAmount(ripe.maxRedeem, 12, 2)} shares`,
  );
  await refused("bob redeems the whole request now", () => client.redeem("highYield", ripe.claimableShares));
  const first = await client.redeem("highYield");
  const rest = await client.position("highYield", bob.address);
  console.log(
    `✔ bob redeemed ${formatAmount(first.shares, 12, 2)} shares for ${show(first.assets)}, paid in full at once; ` +
      `${formatAmount(rest.claimableShares, 12, 2)} requested shares wait for the next window (a ripe request stays redeemable 7 days)`,
  );
  await time.increase(DAY + 8n * HOUR); // the meter counts an outflow for 24 to 32 hours
  const second = await client.redeem("highYield");
  const done = await client.position("highYield", bob.address);
  const left = done.pendingShares + done.claimableShares;
  console.log(
    `✔ a day later bob redeemed the other ${formatAmount(second.shares, 12, 2)} shares for ${show(second.assets)}: ` +
      (left === 0n ? `his request is out in full, ${show(first.assets + second.assets)} in all` : `${formatAmount(left, 12, 2)} shares still requested`),
  );
}

heading("6. An exploit on Lendora: an honest claim and a fraudulent one");
const exploitTime = BigInt(await time.latest()) - HOUR;
const honest = await (await as(dao)).fileClaim({ policyId: 1n, amount: "25000", incidentTime: exploitTime, evidenceURI: "ipfs://evidence/lendora-exploit-tx" });
const tradersPolicy = tradersCover.purchases[0]!;
const fraud = await (await as(trader)).fileClaim({
  policyId: tradersPolicy.policyId,
  amount: "60000",
  incidentTime: tradersPolicy.end - HOUR, // inside the expired cover, long after the trader's position was gone
  evidenceURI: "ipfs://evidence/not-actually-a-loss",
});
for (const [label, filed] of [["honest", honest], ["fraudulent", fraud]] as const) {
  const claim = (await reader.claim(filed.claimId))!;
  console.log(
    `claim #${claim.id} (${label}): ${show(claim.amount)} on policy #${claim.policyId}, bond ${show(filed.bond)}, ` +
      `${show(filed.reserved)} reserved in the ${vaultName(claim.vault)} vault at filing; undisputed it settles from ${date(claim.deadlines.settleFrom!)}`,
  );
}
await refused(`settling claim #${honest.claimId} at once`, async () => (await as(watcher)).settleClaim(honest.claimId));
const dispute = await (await as(watcher)).disputeClaim(fraud.claimId);
console.log(`watcher disputed claim #${fraud.claimId} with an equal bond: committee case #${dispute.caseId}`);
for (const member of committee.slice(0, 2)) {
  await (await as(member)).castVote(dispute.caseId, false);
  console.log(`  committee member ${member.address.slice(0, 10)}… votes to reject`);
}
await refused("a third vote after the quorum", async () => (await as(committee[2]!)).castVote(dispute.caseId, true));
const ruling = await (await as(watcher)).resolveCase(dispute.caseId);
console.log(`case #${dispute.caseId} resolved: ${ruling.approved ? "approved" : "rejected"}; the ruling went back to the adjudicator`);
await time.increase(3n * DAY);
for (const claimId of [honest.claimId, fraud.claimId]) {
  const settled = await (await as(watcher)).settleClaim(claimId);
  const bonds = settled.bonds === undefined ? "" : `; bonds: ${show(settled.bonds.toFiler)} to the filer, ${show(settled.bonds.toDisputer)} to the disputer, ${show(settled.bonds.burned)} burned`;
  console.log(
    `claim #${claimId} settled ${settled.outcome.toLowerCase()}: ` +
      (settled.payout === 0n ? "nothing paid" : delivered(`claim #${claimId}`, settled.payout, settled.receiver, settled.delivery)) +
      bonds,
  );
}

heading("6b. The same kind of fraud before UMA's DVM: a token-holder vote that always ends");
// The risk manager sends Lendora's disputes to UMA (with its usual delay; 0 on the local chain). Open cases keep theirs.
await (await parapet.claimAdjudicator.connect(accounts.riskManager).setProductArbiter(productIds.lending, parapet.umaArbiter)).wait();
console.log(`risk manager: Lendora disputes now go to UMA's DVM through Optimistic Oracle V3 (${await parapet.umaArbiter.getAddress()})`);
const whalesPolicy = split.purchases[0]!;
const umaFraud = await (await as(whale)).fileClaim({
  policyId: whalesPolicy.policyId,
  amount: "50000",
  incidentTime: exploitTime,
  evidenceURI: "ipfs://evidence/a-position-never-held",
});
console.log(`claim #${umaFraud.claimId}: the whale claims ${show(umaFraud.reserved)} on policy #${whalesPolicy.policyId} for a Lendora position it never held`);
const umaDispute = await (await as(watcher)).disputeClaim(umaFraud.claimId);
{
  const claim = (await reader.claim(umaFraud.claimId))!;
  const umaCase = claim.umaCase!;
  console.log(
    `watcher disputed it: bond ${show(claim.bond)} to the adjudicator, and UMA's escalation deposit ${show(2n * umaCase.bond)} ` +
      `(twice UMA's minimum bond) to the UMA arbiter, case #${umaDispute.caseId}`,
  );
  console.log(`  UMA assertion ${umaCase.assertionId}: ${umaCase.dvmStatus}; no draw date, only the vote ends it`);
}
await time.increase(4n * DAY);
await refused(`settling claim #${umaFraud.claimId} before the vote`, async () => (await as(watcher)).settleClaim(umaFraud.claimId));
// On the local chain UMA's MockOracleAncillary stands in for the DVM: pushing its price is the token holders' vote.
const [dvmRequest] = await parapet.uma.mockOracle.queryFilter(parapet.uma.mockOracle.filters.PriceRequestAdded());
await (await parapet.uma.mockOracle.pushPriceByRequestId(dvmRequest!.args.requestId, 0n)).wait();
console.log(`UMA's DVM votes after 4 days: the assertion "claim #${umaFraud.claimId} is valid" is false (${(await reader.claim(umaFraud.claimId))!.umaCase!.dvmStatus})`);
const pushed = await (await as(watcher)).pushClaim(umaFraud.claimId);
console.log(`watcher pushed it (${pushed.action} on Optimistic Oracle V3): the callback delivered the ruling, claim ${pushed.approved ? "upheld" : "rejected"}`);
{
  const settled = await (await as(watcher)).settleClaim(umaFraud.claimId);
  const deposit = 2n * (await reader.claim(umaFraud.claimId))!.umaCase!.bond;
  console.log(
    `claim #${umaFraud.claimId} settled ${settled.outcome.toLowerCase()}: nothing paid; bonds: ${show(settled.bonds!.toDisputer)} to the disputer, ` +
      `${show(settled.bonds!.burned)} burned; of the ${show(deposit)} deposit UMA kept its final fee ${show(deposit - pushed.refund!)} and returned ${show(pushed.refund!)}`,
  );
}

heading("7. A governance attack on SwapPeak: an incident, reserved at the report, paid to every eligible policy");
const attackTime = BigInt(await time.latest()) - 10n * 60n;
const navBefore = (await vaultViews()).map((view) => view.navBid);
const report = await (await as(watcher)).reportIncident({
  productId: productIds.dex,
  incidentTime: attackTime,
  payoutWad: 3n * 10n ** 17n,
  evidenceURI: "ipfs://evidence/swappeak-governance-attack",
});
console.log(`incident #${report.incidentId} reported on SwapPeak (30% of each policy's cover), bond ${show(report.bond)}; sales of SwapPeak cover stop meanwhile`);
{
  const incident = (await reader.incident(report.incidentId))!;
  const navAfter = (await vaultViews()).map((view) => view.navBid);
  for (const [index, reserve] of incident.reserves.entries()) {
    console.log(
      `  at the report, ${vaultName(reserve.vault)} reserved ${show(reserve.reserved)} of the ${show(reserve.needed)} it may owe: ` +
        `navBid ${show(navBefore[index]!)} → ${show(navAfter[index]!)}, so nobody exits ahead of the loss`,
    );
  }
}
await refused("a SwapPeak quote while the incident is open", async () => (await as(trader)).quoteCover({ productId: productIds.dex, amount: "1000", period: 30n * DAY }));
await time.increase(3n * DAY);
const settledIncident = await (await as(watcher)).settleIncident(report.incidentId);
console.log(`incident #${report.incidentId} settled ${settledIncident.outcome.toLowerCase()} after its 3-day liveness; each eligible policy may now be paid`);
for (const policy of await reader.policies([...Array(Number(await parapet.coverManager.policyCount())).keys()].map((i) => i + 1))) {
  if (policy.productId !== productIds.dex) continue;
  const paid = await (await as(watcher)).claimIncidentPayout(policy.id, report.incidentId);
  console.log(`  policy #${policy.id} (${show(policy.amount)} cover): ${delivered(`policy #${policy.id}`, paid.payout, paid.receiver, paid.delivery)}`);
}

heading("8. USDx depegs: the Chainlink feed fires the parametric trigger");
await (await priceFeed.updateAnswer(95_000_000n)).wait();
console.log("the USDx/USD feed reports $0.95 (the trigger's threshold is $0.97)");
const fired = await (await as(watcher)).fireTrigger(productIds.depeg);
console.log(`trigger fired: incident #${fired.incidentId} confirmed at once, no liveness; the trigger disarmed itself`);
for (const reserve of fired.reserves.filter((entry) => entry.needed > 0n)) {
  console.log(`  ${vaultName(reserve.vault)} reserved ${show(reserve.reserved)} of the ${show(reserve.needed)} it may owe`);
}
await refused("a new USDx depeg quote", async () => (await as(fund)).quoteCover({ productId: productIds.depeg, amount: "1000", period: 30n * DAY }));
await time.increase(60n);
for (const policy of await reader.policies([...Array(Number(await parapet.coverManager.policyCount())).keys()].map((i) => i + 1))) {
  if (policy.productId !== productIds.depeg) continue;
  const paid = await (await as(watcher)).claimIncidentPayout(policy.id, fired.incidentId);
  console.log(`  policy #${policy.id} (${show(policy.amount)} cover): ${delivered(`policy #${policy.id}`, paid.payout, paid.receiver, paid.delivery)}`);
}

heading("9. A keeper pays what the circuit breaker queued");
for (const view of await vaultViews()) {
  const { outflows } = view;
  console.log(
    `${vaultName(view.address)}: ${show(outflows.recent)} left in the current window, ${show(outflows.allowance)} may leave now; ` +
      (outflows.queueHead === outflows.queueTail ? "nothing queued" : `${outflows.queueTail - outflows.queueHead} payout(s) queued, ${show(outflows.queuedAssets)} owed`),
  );
}
const vaultsWithQueue = [...new Set(queued.map((entry) => entry.vault))];
for (const vault of vaultsWithQueue) {
  const now = await (await as(watcher)).processOutflowQueue(vault);
  console.log(`keeper, at once: processOutflowQueue on ${vaultName(vault)} pays ${show(now.paid)}: the window is used up`);
  for (const payment of now.payments) settle(vault, payment.queueId, payment.amount);
}
for (let round = 1; queued.some((entry) => entry.owed > 0n); round++) {
  await time.increase(DAY + 8n * HOUR);
  for (const vault of vaultsWithQueue) {
    const paid = await (await as(watcher)).processOutflowQueue(vault);
    if (paid.paid === 0n) continue;
    console.log(`keeper, ${round} day(s) later: processOutflowQueue on ${vaultName(vault)} pays ${show(paid.paid)}`);
    for (const payment of paid.payments) {
      const entry = settle(vault, payment.queueId, payment.amount);
      console.log(
        `  entry #${payment.queueId}: ${show(payment.amount)} to ${nameOf(payment.receiver)} for ${entry.what}` +
          (payment.remaining === 0n ? ", now paid in full" : `, ${show(payment.remaining)} still owed`),
      );
    }
  }
}
function settle(vault: string, queueId: bigint, amount: bigint) {
  const entry = queued.find((candidate) => candidate.vault === vault && candidate.queueId === queueId)!;
  entry.owed -= amount;
  return entry;
}
console.log("Every queued payout is paid: nothing is owed to any policy holder.");
for (const [name, vault] of Object.entries(parapet.vaults)) {
  // Each sale paid its protocol fee into the vault with the premium, outside the vault's books; anyone sends it on.
  if ((await vault.protocolFeesHeld()) === 0n) continue;
  const swept = await (await as(watcher)).sweepProtocolFees(name);
  console.log(`keeper: sweepProtocolFees on ${name} sends ${show(swept.amount)} of protocol fees to ${nameOf(swept.treasury)}`);
}

heading("10. Final report");
await vaultReport(true);
const rows: string[][] = [];
for (const [address, name] of names) {
  const opening = openingBalances.get(address)!;
  const closing = await parapet.asset.balanceOf(address);
  let position = 0n;
  for (const vault of Object.keys(deployment.addresses.vaults)) {
    const held = await reader.position(vault, address);
    position += held.assetsAtBid + held.requestedAssetsAtBid;
  }
  const signed = (value: bigint) => `${value < 0n ? "-" : "+"}${show(value < 0n ? -value : value)}`;
  rows.push([name, show(opening), show(closing), signed(closing - opening), position === 0n ? "-" : show(position), signed(closing - opening + position)]);
}
console.log();
console.log(table(["account", "opening", "closing", "cash change", "shares at navBid", "net result"], rows));
console.log(
  "\nUnderwriters' shares are valued at navBid (shares × exit price), what they would receive on leaving; their cash " +
    "change alone counts only what they deposited and took out.",
);
console.log(
  `policies sold: ${await parapet.coverManager.policyCount()}; claims filed: ${await parapet.claimAdjudicator.claimCount()}; ` +
    `incidents: ${await parapet.claimAdjudicator.incidentCount()}`,
);
