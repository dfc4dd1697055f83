/**
 * Gas benchmark: the gas each user operation costs, and the same operations again after 1,000 policies exist, to
 * show that no operation's cost grows with the number of policies. Prints a table.
 */
import { ethers, type ContractTransactionResponse } from "ethers";
import { network } from "hardhat";

import { deployParapet } from "../deploy/fixture.js";
import { table } from "./lib/format.js";

const DAY = 86_400n;
const usd = (whole: bigint) => whole * 10n ** 6n;
const EXISTING_POLICIES = 1_000;

const connection = await network.create();
const { time } = connection.networkHelpers;
const deployment = await deployParapet(connection, { fundingPerAccount: 10_000_000n });
const { coverManager, vaults, productIds, accounts, claimAdjudicator, committee, committeeArbiter } = deployment;
const { priceFeed, priceFeedTrigger } = deployment;
const watcher = accounts.watcher;
const vault = vaults.highYield;
const [alice, bob, carol] = accounts.underwriters;
const [buyer] = accounts.buyers;
const rows: string[][] = [];

async function measure(operation: string, note: string, send: Promise<ContractTransactionResponse>) {
  const receipt = (await (await send).wait())!;
  rows.push([operation, receipt.gasUsed.toLocaleString("en-US"), note]);
}

async function cover(amount: bigint, period: bigint, productId = productIds.lending) {
  return coverManager.connect(buyer).buyCover({
    productId,
    vault: await vault.getAddress(),
    amount,
    period,
    maxPremium: 2n ** 255n,
    deadline: 2n ** 255n,
    receiver: buyer.address,
    commissionBps: 0n,
    commissionRecipient: "0x0000000000000000000000000000000000000000",
  });
}

await measure("deposit", "first deposit into an empty vault", vault.connect(alice).deposit(usd(1_500_000n), alice.address));
await measure("deposit", "second depositor", vault.connect(bob).deposit(usd(500_000n), bob.address));
await measure("buyCover", "first policy of a product (new expiry buckets)", cover(usd(10_000n), 30n * DAY));
await measure("buyCover", "second policy, same buckets", cover(usd(10_000n), 30n * DAY));
await measure("buyCover", "with a 2.5% frontend commission", coverManager.connect(buyer).buyCover({
  productId: productIds.dex,
  vault: await vault.getAddress(),
  amount: usd(10_000n),
  period: 60n * DAY,
  maxPremium: 2n ** 255n,
  deadline: 2n ** 255n,
  receiver: buyer.address,
  commissionBps: 250n,
  commissionRecipient: carol.address,
}));
await measure(
  "requestRedeem",
  "escrow shares, start cooldown",
  vault.connect(bob).requestRedeem((await vault.balanceOf(bob.address)) / 2n, bob.address, bob.address),
);
await time.increase(14n * DAY);
await measure(
  "redeem",
  "ripe request, 3 products checked for locked capital",
  vault.connect(bob).redeem((await vault.redeemRequest(bob.address)).shares / 2n, bob.address, bob.address),
);

// 1,000 policies spread over many expiry buckets, then the same operations again.
for (let i = 0; i < EXISTING_POLICIES; i++) {
  const period = BigInt(7 + ((i * 37) % 350)) * DAY;
  await (await cover(usd(500n), period, i % 2 === 0 ? productIds.lending : productIds.dex)).wait();
  if (i % 50 === 49) await time.increase(DAY);
}
const policiesBefore = await coverManager.policyCount();
await measure("buyCover", `after ${policiesBefore} policies`, cover(usd(10_000n), 30n * DAY));
await measure("deposit", `after ${policiesBefore} policies`, vault.connect(carol).deposit(usd(100_000n), carol.address));
await measure(
  "requestRedeem",
  `after ${policiesBefore} policies`,
  vault.connect(alice).requestRedeem(usd(10_000n) * 10n ** 6n, alice.address, alice.address),
);
// A ripe request is redeemable for 7 days: bob's ran out while the policies were bought, so he requests again.
await (await vault.connect(bob).requestRedeem((await vault.balanceOf(bob.address)) / 2n, bob.address, bob.address)).wait();
await time.increase(14n * DAY);
await measure(
  "redeem",
  `after ${policiesBefore} policies`,
  vault.connect(bob).redeem((await vault.redeemRequest(bob.address)).shares, bob.address, bob.address),
);
await time.increase(70n * DAY);
await measure("buyCover", "after 10 idle weeks (expiry buckets walked lazily)", cover(usd(10_000n), 30n * DAY));
await measure("buyCover", "right after that", cover(usd(10_000n), 30n * DAY));
await (await vault.connect(alice).requestRedeem(usd(10_000n) * 10n ** 6n, alice.address, alice.address)).wait();
await time.increase(14n * DAY);
await measure(
  "redeem",
  "after 2 more idle weeks",
  vault.connect(alice).redeem((await vault.redeemRequest(alice.address)).shares, alice.address, alice.address),
);

// Claims, on fresh one-year policies (the ones above have mostly ended), past their one-day coverage lag.
for (let i = 0; i < EXISTING_POLICIES + 4; i++) await (await cover(usd(100n), 365n * DAY)).wait();
await time.increase(2n * DAY);
const policyCount = await coverManager.policyCount();
const recentPolicy = (offset: bigint) => policyCount - offset;
async function file(policyId: bigint, amount: bigint) {
  const incidentTime = BigInt(await time.latest()) - 60n;
  return claimAdjudicator.connect(buyer).fileClaim(policyId, amount, incidentTime, "ipfs://evidence");
}
await measure("fileClaim", "bond pulled, vault reserve raised", file(recentPolicy(0n), usd(100n)));
const disputedClaim = await claimAdjudicator.claimCount();
await measure("disputeClaim", "equal bond, committee case opened", claimAdjudicator.connect(watcher).disputeClaim(disputedClaim));
await measure("fileClaim", "second claim", file(recentPolicy(1n), usd(100n)));
const approvedClaim = await claimAdjudicator.claimCount();
const caseId = (await claimAdjudicator.getClaim(disputedClaim)).caseId;
await measure("castVote", "committee member", committeeArbiter.connect(committee[0]).castVote(caseId, false));
await (await committeeArbiter.connect(committee[1]).castVote(caseId, false)).wait();
await measure("resolve", "ruling delivered to the adjudicator", committeeArbiter.connect(watcher).resolve(caseId));
await time.increase(3n * DAY);
await measure("settleClaim", "approved after liveness: payout to the owner, bond back", claimAdjudicator.connect(watcher).settleClaim(approvedClaim));
await measure("settleClaim", "rejected by the committee: bonds moved, burn", claimAdjudicator.connect(watcher).settleClaim(disputedClaim));

for (let i = 2n; i < 2n + BigInt(EXISTING_POLICIES); i++) await (await file(recentPolicy(i), usd(1n))).wait();
await measure("fileClaim", `with ${await claimAdjudicator.claimCount()} claims filed`, file(recentPolicy(2n + BigInt(EXISTING_POLICIES)), usd(100n)));
await time.increase(3n * DAY);
await measure(
  "settleClaim",
  `approved, with ${await claimAdjudicator.claimCount()} claims filed`,
  claimAdjudicator.connect(watcher).settleClaim(await claimAdjudicator.claimCount()),
);

// A dispute sent to UMA's DVM (the lending product's arbiter becomes the UMA arbiter), beside UMA's own assertion and
// dispute of the same statement on the same Optimistic Oracle V3, measured in this run.
const { umaArbiter, uma, asset } = deployment;
await (await claimAdjudicator.connect(accounts.riskManager).setProductArbiter(productIds.lending, umaArbiter)).wait();
await (await file(recentPolicy(3n + BigInt(EXISTING_POLICIES)), usd(100n))).wait();
const umaClaim = await claimAdjudicator.claimCount();
const statement = await umaArbiter.statementOf(await claimAdjudicator.claimKey(umaClaim));
const disputeToUma = await (await claimAdjudicator.connect(watcher).disputeClaim(umaClaim)).wait();
rows.push(["disputeClaim", disputeToUma!.gasUsed.toLocaleString("en-US"), "escalated to UMA's DVM: assertTruth + disputeAssertion inside"]);
const umaCase = await umaArbiter.getUmaCase((await claimAdjudicator.getClaim(umaClaim)).caseId);
const umaBond = umaCase.bond;
await (await asset.connect(watcher).approve(uma.optimisticOracle, 2n * umaBond)).wait();
const assertTruth = uma.optimisticOracle
  .connect(watcher)
  .assertTruth(ethers.toUtf8Bytes(statement), watcher.address, ethers.ZeroAddress, ethers.ZeroAddress, 7_200n, asset, umaBond, await umaArbiter.identifier(), ethers.ZeroHash);
const asserted = (await (await assertTruth).wait())!;
rows.push(["  UMA assertTruth", asserted.gasUsed.toLocaleString("en-US"), "reference: UMA's own call, same statement and bond"]);
const assertionId = uma.optimisticOracle.interface.parseLog(asserted.logs.find((log) => log.address === (asserted.to ?? ""))!)!.args.assertionId as string;
await measure("  UMA disputeAssertion", "reference: UMA's own call (DVM request)", uma.optimisticOracle.connect(watcher).disputeAssertion(assertionId, watcher.address));
const [request] = await uma.mockOracle.queryFilter(uma.mockOracle.filters.PriceRequestAdded(), disputeToUma!.blockNumber, disputeToUma!.blockNumber);
await (await uma.mockOracle.pushPriceByRequestId(request!.args.requestId, 0n)).wait();
await measure("settleAssertion", "UMA's settlement: DVM answer, callback, ruling delivered, refund", uma.optimisticOracle.connect(watcher).settleAssertion(umaCase.assertionId));
await measure("settleClaim", "rejected by UMA's DVM: bonds moved, burn", claimAdjudicator.connect(watcher).settleClaim(umaClaim));

const attackTime = BigInt(await time.latest()) - 60n;
await measure("reportIncident", "incident bond, sales halted, reserves in 2 backing vaults", claimAdjudicator.connect(watcher).reportIncident(productIds.lending, attackTime, 3n * 10n ** 17n, "ipfs://evidence"));
const incidentId = await claimAdjudicator.incidentCount();
await time.increase(3n * DAY);
await measure("settleIncident", "confirmed (the report reserved already)", claimAdjudicator.connect(watcher).settleIncident(incidentId));
await measure("claimIncidentPayout", "30% of an eligible policy", claimAdjudicator.connect(watcher).claimIncidentPayout(recentPolicy(3n), incidentId));

await (await cover(usd(10_000n), 30n * DAY, productIds.depeg)).wait();
await time.increase(2n * DAY);
await (await priceFeed.updateAnswer(95_000_000n)).wait();
await measure("trigger fire", "performUpkeep: depeg confirmed, reserves", priceFeedTrigger.connect(watcher).performUpkeep("0x"));

// The circuit breaker, on the conservative vault. An exit is paid in full or refused; with no cover, reserve or queued
// payout on the vault there is no claimant to protect, and the whole exit leaves at once.
const conservative = vaults.conservative;
await (await conservative.connect(alice).deposit(usd(1_000_000n), alice.address)).wait();
await (await conservative.connect(alice).requestRedeem(await conservative.balanceOf(alice.address) / 2n, alice.address, alice.address)).wait();
await time.increase(14n * DAY);
await measure(
  "redeem",
  "a ripe request paid in full, nothing to protect (no cover on the vault)",
  conservative.connect(alice).redeem(await conservative.maxRedeem(alice.address), alice.address, alice.address),
);
// A claim payout past the breaker, made by a stand-in for the claims module: 25% of NAV paid, the rest queued.
const claimsModule = accounts.outsider;
await (await deployment.accessManager.grantRole(4n, claimsModule.address, 0)).wait();
const payout = usd(400_000n);
await (await conservative.connect(claimsModule).increasePendingReserve(productIds.lending, payout)).wait();
await measure(
  "payClaim",
  "past the circuit breaker: 25% of NAV paid, the rest queued",
  conservative.connect(claimsModule).payClaim(productIds.lending, 0n, carol.address, payout, payout),
);
await time.increase(DAY + 8n * 3_600n);
await measure("processOutflowQueue", "keeper: head entry paid in part", conservative.connect(watcher).processOutflowQueue(1n));
await measure("releaseOutflowQueue", "guardian: head entry paid in full", conservative.connect(accounts.guardian).releaseOutflowQueue(1n));

console.log(`\nParapet gas benchmark (in-process Hardhat network, solc 0.8.28, optimizer 1,000 runs; the vault 1 run, for size)\n`);
console.log(table(["operation", "gas", "situation"], rows));
