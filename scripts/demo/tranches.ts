/**
 * The demo's tranche chapter, on a fresh in-process chain: a junior (first loss) and a senior (protected) underwriter
 * enter the high-yield vault's tranches through the SDK; premium streams and is split; an honest claim (a small loss)
 * is absorbed by the junior alone; then a governance attack reported as an incident (a large loss) uses the junior up
 * and reaches the senior. Both tranches' values and each underwriter's position are printed before and after each.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { network } from "hardhat";

import { deployParapet } from "../../deploy/fixture.js";
import { loadDeployment, ParapetClient, type TranchesView } from "../../sdk/src/index.js";
import { formatAmount, formatWadPercent, table } from "../lib/format.js";
import { deploymentFileOf } from "../tasks/lib/deployment.js";

const DAY = 86_400n;
const show = (raw: bigint | null) => (raw === null ? "-" : `${formatAmount(raw, 6)} tUSD`);

const connection = await network.create();
const { time } = connection.networkHelpers;
const parapet = await deployParapet(connection);
const deployment = loadDeployment(await deploymentFileOf(parapet, Number((await connection.ethers.provider.getNetwork()).chainId)));
const [alice, bob] = parapet.accounts.underwriters;
const [dao, fund] = parapet.accounts.buyers;
const { watcher } = parapet.accounts;
const clients = new Map<string, ParapetClient>();
async function as(signer: HardhatEthersSigner): Promise<ParapetClient> {
  if (!clients.has(signer.address)) clients.set(signer.address, await ParapetClient.connect(signer, deployment));
  return clients.get(signer.address)!;
}

function heading(text: string) {
  console.log(`\n━━ ${text} ${"━".repeat(Math.max(0, 74 - text.length))}`);
}

/** Both tranches and both underwriters' positions, with the change from `before` when given. */
async function report(label: string, before?: TranchesView): Promise<TranchesView> {
  const view = await (await as(watcher)).tranches("highYield");
  const [juniorPosition, seniorPosition] = await Promise.all([
    (await as(alice)).tranches("highYield", alice.address),
    (await as(bob)).tranches("highYield", bob.address),
  ]);
  const change = (now: bigint, then?: bigint) => (then === undefined ? "" : ` (${now >= then ? "+" : "-"}${show(now >= then ? now - then : then - now)})`);
  console.log(`\n${label}`);
  console.log(
    table(
      ["tranche", "value (exit)", "share price", "APY now", "holder", "holding"],
      [
        [
          "junior",
          show(view.junior.exitValue) + change(view.junior.exitValue, before?.junior.exitValue),
          formatAmount(view.junior.sharePriceWad, 18, 6),
          view.junior.apy === null ? "-" : `${(view.junior.apy * 100).toFixed(2)}%`,
          "alice",
          show(juniorPosition.junior.position!.value),
        ],
        [
          "senior",
          show(view.senior.exitValue) + change(view.senior.exitValue, before?.senior.exitValue),
          formatAmount(view.senior.sharePriceWad, 18, 6),
          view.senior.apy === null ? "-" : `${(view.senior.apy * 100).toFixed(2)}%`,
          "bob",
          show(seniorPosition.senior.position!.value),
        ],
      ],
    ),
  );
  console.log(
    `loss buffer ${view.lossBufferWad === null ? "-" : formatAmount(view.lossBufferWad, 18, 3)} tUSD of junior per tUSD of senior; ` +
      `the senior starts losing after a vault loss of ${show(view.seniorLossThreshold)}`,
  );
  return view;
}

heading("11. Tranches: junior first loss, senior protected");
console.log("alice takes the junior (first-loss) tranche of the high-yield vault, bob the senior; both through the SDK:");
const junior = await (await as(alice)).trancheDeposit("highYield", "junior", "250000");
const senior = await (await as(bob)).trancheDeposit("highYield", "senior", "750000");
console.log(`  alice: 250,000 tUSD → ${formatAmount(junior.vaultShares, 12, 2)} vault shares → ${formatAmount(junior.shares, 12, 2)} junior shares`);
console.log(`  bob:   750,000 tUSD → ${formatAmount(senior.vaultShares, 12, 2)} vault shares → ${formatAmount(senior.shares, 12, 2)} senior shares`);
try {
  await (await as(bob)).trancheDeposit("highYield", "senior", "500000");
} catch (error) {
  console.log(`  bob's further 500,000 tUSD of senior is refused before anything is sent (the junior must stay ≥ 20%): ${(error as Error).message}`);
}
const buy = async (buyer: HardhatEthersSigner, productId: bigint, amount: string, days: bigint) =>
  (await as(buyer)).buyCover({ productId, amount, period: days * DAY, vault: "highYield" });
const lending = await buy(dao, parapet.productIds.lending, "200000", 120n);
await buy(fund, parapet.productIds.dex, "600000", 180n);
/** The keeper's accrual: books the premium streamed since the last one, so a later payout does not net against it. */
const accrue = async () => (await parapet.tranches.highYield.manager.connect(watcher).accrue()).wait();
await time.increase(30n * DAY);
await accrue();
const afterPremium = await report(
  `after 30 days of premium (${formatWadPercent(await parapet.tranches.highYield.manager.seniorPremiumShareWad())} of what the ` +
    "senior's protected capital earns stays with the senior, the rest pays the junior for the first loss):",
);

heading("12. A small loss: an honest claim, absorbed by the junior alone");
const exploitTime = BigInt(await time.latest()) - 3_600n;
const claim = await (await as(dao)).fileClaim({
  policyId: lending.purchases[0]!.policyId,
  amount: "40000",
  incidentTime: exploitTime,
  evidenceURI: "ipfs://evidence/lendora-exploit",
});
console.log(`the dao files claim #${claim.claimId} for 40,000 tUSD: the vault reserves it, and the junior bears the reserve at once`);
console.log(
  "(the keeper accrues at each reserve and before each settlement: premium streamed since its last accrual would " +
    "otherwise net against the loss, in the junior's favour)",
);
await accrue();
await report("while the claim is pending:", afterPremium);
await time.increase(3n * DAY);
await accrue();
const settled = await (await as(watcher)).settleClaim(claim.claimId);
console.log(`claim #${claim.claimId} settled ${settled.outcome.toLowerCase()} after its liveness: ${show(settled.payout)} paid`);
await accrue();
const afterSmall = await report("after the payout (the senior lost nothing):", afterPremium);

heading("13. A large loss: a governance attack on SwapPeak, reported as an incident, reaches the senior");
const report13 = await (await as(watcher)).reportIncident({
  productId: parapet.productIds.dex,
  incidentTime: BigInt(await time.latest()) - 600n,
  payoutWad: 6n * 10n ** 17n,
  evidenceURI: "ipfs://evidence/swappeak-governance-attack",
});
console.log(`incident #${report13.incidentId}: 60% of each SwapPeak policy (600,000 tUSD of cover), reserved at the report`);
await accrue();
await time.increase(3n * DAY);
await accrue();
await (await as(watcher)).settleIncident(report13.incidentId);
for (const policy of await (await as(watcher)).policiesOf(fund.address)) {
  const paid = await (await as(watcher)).claimIncidentPayout(policy.id, report13.incidentId);
  console.log(`  policy #${policy.id}: ${show(paid.payout)} paid to the yield fund`);
}
await accrue();
await report("after the incident: the junior is used up first, and only the rest reaches the senior:", afterSmall);
console.log(
  "A new junior deposit now writes the old junior class off (its shares are worth nothing) and starts at par: nothing of " +
    "it goes to the senior or to the old class.",
);
