/**
 * Gas benchmark: the gas each user operation costs, and the same operations again after 1,000 policies exist, to
 * show that no operation's cost grows with the number of policies. Prints a table.
 */
import type { ContractTransactionResponse } from "ethers";
import { network } from "hardhat";

import { deployParapet } from "../deploy/fixture.js";
import { table } from "./lib/format.js";

const DAY = 86_400n;
const usd = (whole: bigint) => whole * 10n ** 6n;
const EXISTING_POLICIES = 1_000;

const connection = await network.create();
const { time } = connection.networkHelpers;
const { coverManager, vaults, productIds, accounts } = await deployParapet(connection, { fundingPerAccount: 10_000_000n });
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
  "ripe request, 2 products checked for locked capital",
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
await measure(
  "redeem",
  `after ${policiesBefore} policies`,
  vault.connect(bob).redeem((await vault.redeemRequest(bob.address)).shares, bob.address, bob.address),
);
await time.increase(70n * DAY);
await measure("buyCover", "after 10 idle weeks (expiry buckets walked lazily)", cover(usd(10_000n), 30n * DAY));
await measure("buyCover", "right after that", cover(usd(10_000n), 30n * DAY));
await time.increase(14n * DAY);
await measure(
  "redeem",
  "after 2 more idle weeks",
  vault.connect(alice).redeem((await vault.redeemRequest(alice.address)).shares, alice.address, alice.address),
);

console.log(`\nParapet gas benchmark (in-process Hardhat network, solc 0.8.28, optimizer 10,000 runs)\n`);
console.log(table(["operation", "gas", "situation"], rows));
