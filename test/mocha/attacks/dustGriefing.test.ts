import { expect } from "chai";

import type { ParapetDeployment } from "../../../deploy/fixture.js";
import { coverParams, DAY, deposit, ethers, loadParapet, time, usd } from "../helpers.js";

const LIVENESS = 3n * DAY;
const MIN_BOND = usd(100);
const COVER = usd(100_000);
const DUST_POLICIES = 5_000;
const PER_MULTICALL = 50;
const EVIDENCE = "ipfs://parapet/evidence/dust";

type Operation = "deposit" | "requestRedeem" | "buyCover" | "fileClaim" | "settleClaim";

/** One million in the conservative vault and one 100k, 30-day lending policy (id 1) for the first buyer. */
async function withOnePolicy() {
  const d = await loadParapet();
  const vault = d.vaults.conservative;
  const [underwriter] = d.accounts.underwriters;
  const [buyer] = d.accounts.buyers;
  await deposit(vault, underwriter, usd(1_000_000));
  const params = await coverParams(buyer, { vault, productId: d.productIds.lending, amount: COVER });
  await (await d.coverManager.connect(buyer).buyCover(params)).wait();
  return { ...d, vault, policy: await d.coverManager.getPolicy(1n), start: BigInt(await time.latest()) };
}

type Setup = Awaited<ReturnType<typeof withOnePolicy>>;

/**
 * The attacker (fourth buyer) buys `count` 1-wei policies on the measured product and vault, 50 per multicall. Their
 * periods run from 100 to 359 days (38 weekly steps), so they fill 38 premium-stream buckets and 38 exposure-expiry
 * buckets, none of them shared with the measured policies (30 days, locked 60): the measured writes then hit the same
 * zero or non-zero slots in both worlds.
 */
async function buyDust(d: ParapetDeployment, count: number) {
  const attacker = d.accounts.buyers[3];
  const coverManager = d.coverManager.connect(attacker);
  for (let first = 0; first < count; first += PER_MULTICALL) {
    const calls: string[] = [];
    for (let i = first; i < Math.min(first + PER_MULTICALL, count); i++) {
      const params = await coverParams(attacker, {
        vault: d.vaults.conservative,
        productId: d.productIds.lending,
        amount: 1n,
        period: (100n + BigInt(i % 38) * 7n) * DAY,
      });
      calls.push(d.coverManager.interface.encodeFunctionData("buyCover", [params]));
    }
    await (await coverManager.multicall(calls)).wait();
  }
}

/** Runs the five measured operations at fixed times after `start` and returns each one's gasUsed. */
async function measure(s: Setup): Promise<Record<Operation, bigint>> {
  const [alice, bob] = s.accounts.underwriters;
  const [buyer, buyer2] = s.accounts.buyers;
  const t = s.start + 2n * DAY;
  const gas = {} as Record<Operation, bigint>;
  const run = async (operation: Operation, at: bigint, send: () => Promise<{ wait(): Promise<unknown> }>) => {
    await time.setNextBlockTimestamp(at);
    const receipt = (await (await send()).wait()) as { gasUsed: bigint; status: number };
    expect(receipt.status).to.equal(1);
    gas[operation] = receipt.gasUsed;
  };
  await run("deposit", t, () => s.vault.connect(bob).deposit(usd(100_000), bob.address));
  const shares = (await s.vault.balanceOf(alice.address)) / 10n;
  await run("requestRedeem", t + 10n, () => s.vault.connect(alice).requestRedeem(shares, alice.address, alice.address));
  const params = await coverParams(buyer2, { vault: s.vault, productId: s.productIds.lending, amount: usd(50_000) });
  await run("buyCover", t + 20n, () => s.coverManager.connect(buyer2).buyCover(params));
  await run("fileClaim", t + 30n, () =>
    s.claimAdjudicator.connect(buyer).fileClaim(1n, usd(10_000), s.policy.start + DAY + 1n, EVIDENCE),
  );
  const claimId = await s.claimAdjudicator.claimCount();
  await run("settleClaim", t + 30n + LIVENESS, () => s.claimAdjudicator.connect(s.accounts.watcher).settleClaim(claimId));
  return gas;
}

describe("Attack: dust-policy gas griefing", () => {
  it("5,000 dust policies bought by an attacker: buyCover, fileClaim, settleClaim, deposit and requestRedeem cost exactly the same gas as with 1 policy", async function () {
    this.timeout(180_000);
    const one = await measure(await withOnePolicy());

    const s = await withOnePolicy();
    const countBefore = await s.coverManager.policyCount();
    await buyDust(s, DUST_POLICIES);
    expect(await s.coverManager.policyCount()).to.equal(countBefore + BigInt(DUST_POLICIES));
    expect(await s.coverManager.balanceOf(s.accounts.buyers[3].address)).to.equal(BigInt(DUST_POLICIES));
    expect(await s.vault.exposureOf(s.productIds.lending)).to.equal(COVER + BigInt(DUST_POLICIES));
    expect(BigInt(await time.latest())).to.be.lessThan(s.start + 2n * DAY); // the dust fits before the measurements
    const many = await measure(s);

    console.log("      gas with 1 policy vs 5,001 policies:", JSON.stringify(
      Object.fromEntries(Object.keys(one).map((op) => [op, [one[op as Operation].toString(), many[op as Operation].toString()]])),
    ));
    // Exact equality: no operation loops over policies, and the dust occupies no slot the measured operations write
    // (see buyDust), so even the warm/cold and zero/non-zero storage costs match.
    expect(many).to.deep.equal(one);
  });

  it("dust claims and disputes: a 1-wei claim is charged exactly the 100 minimum bond, and disputing it costs the disputer the same 100; the rejected filer loses it all", async () => {
    const s = await withOnePolicy();
    const attacker = s.accounts.buyers[3];
    await buyDust(s, 1);
    const dustId = await s.coverManager.policyCount();
    const dust = await s.coverManager.getPolicy(dustId);
    expect(dust.amount).to.equal(1n);
    await time.increaseTo(dust.start + 2n * DAY);

    const adj = s.claimAdjudicator;
    expect(await adj.bondFor(s.asset, 1n)).to.equal(MIN_BOND);
    const file = adj.connect(attacker).fileClaim(dustId, 1n, dust.start + DAY + 1n, EVIDENCE);
    await expect(file).to.changeTokenBalances(ethers, s.asset, [attacker, adj], [-MIN_BOND, MIN_BOND]);
    const claimId = await adj.claimCount();
    const claim = await adj.getClaim(claimId);
    expect(claim.bond).to.equal(MIN_BOND);
    expect(claim.reserved).to.equal(1n);

    const watcher = s.accounts.watcher;
    await expect(adj.connect(watcher).disputeClaim(claimId)).to.changeTokenBalances(
      ethers,
      s.asset,
      [watcher, adj],
      [-MIN_BOND, MIN_BOND],
    );
    const caseId = (await adj.getClaim(claimId)).caseId;
    for (const member of s.committee.slice(0, 2)) await (await s.committeeArbiter.connect(member).castVote(caseId, false)).wait();
    await (await s.committeeArbiter.resolve(caseId)).wait();
    const burn = MIN_BOND / 2n;
    await expect(adj.settleClaim(claimId)).to.changeTokenBalances(
      ethers,
      s.asset,
      [attacker, watcher, s.treasury, s.vault],
      [0n, 2n * MIN_BOND - burn, burn, 0n],
    );
    expect(await s.vault.pendingReserve()).to.equal(0n);
  });
});
