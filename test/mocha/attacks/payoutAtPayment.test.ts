import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";

import type { ParapetDeployment } from "../../../deploy/fixture.js";
import { buyCover, DAY, deposit, loadParapet, time, usd } from "../helpers.js";
import { EVIDENCE, State } from "../claimsSetup.js";
import { usdPrice } from "../incidentsSetup.js";

/** Files a claim for `amount` on `policyId` from its holder, incident one day and a second after the start. */
async function fileOn(d: ParapetDeployment, holder: HardhatEthersSigner, policyId: bigint, amount: bigint) {
  const { start } = await d.coverManager.getPolicy(policyId);
  await (await d.claimAdjudicator.connect(holder).fileClaim(policyId, amount, start + DAY + 1n, EVIDENCE)).wait();
  return d.claimAdjudicator.claimCount();
}

/** The watcher disputes the claim and the committee rejects it; the claim settles, releasing its reserve. */
async function rejectClaim(d: ParapetDeployment, claimId: bigint) {
  await (await d.claimAdjudicator.connect(d.accounts.watcher).disputeClaim(claimId)).wait();
  const { caseId } = await d.claimAdjudicator.getClaim(claimId);
  for (const member of d.committee.slice(0, 2)) {
    await (await d.committeeArbiter.connect(member).castVote(caseId, false)).wait();
  }
  await (await d.committeeArbiter.resolve(caseId)).wait();
  await (await d.claimAdjudicator.settleClaim(claimId)).wait();
  expect((await d.claimAdjudicator.getClaim(claimId)).state).to.equal(State.Rejected);
}

/**
 * 1M in the high-yield vault; a 700k claim on dex cover holds most of it, then a 500k claim on lending cover is filed
 * and reserves only what is free at that moment.
 */
async function laterClaimWhileVaultHeld() {
  const d = await loadParapet();
  const vault = d.vaults.highYield;
  const { lending, dex } = d.productIds;
  const [laterHolder, holdingHolder] = d.accounts.buyers;
  await deposit(vault, d.accounts.underwriters[0], usd(1_000_000));
  const laterPolicy = (await buyCover(d, laterHolder, { vault, productId: lending, amount: usd(500_000) })).policyId;
  const holdingPolicy = (await buyCover(d, holdingHolder, { vault, productId: dex, amount: usd(700_000) })).policyId;
  await time.increase(2n * DAY);
  const holding = await fileOn(d, holdingHolder, holdingPolicy, usd(700_000));
  const later = await fileOn(d, laterHolder, laterPolicy, usd(500_000));
  const filed = await d.claimAdjudicator.getClaim(later);
  expect(filed.reserved < usd(500_000)).to.equal(true);
  return { d, vault, holding, later, laterPolicy, laterHolder, filed };
}

describe("Attack: sizing payouts at a temporarily low NAV", () => {
  it("filing bogus claims to depress navBid just as a depeg fires: the depeg reserve is short at first, but the payout is decided when paid, so once the bogus claims are rejected the 400k policy is paid in full", async () => {
    const d = await loadParapet();
    const vault = d.vaults.highYield;
    const { depeg, lending, dex } = d.productIds;
    const [bob, attacker] = d.accounts.buyers;
    await deposit(vault, d.accounts.underwriters[0], usd(1_000_000));
    const depegPolicy = (await buyCover(d, bob, { vault, productId: depeg, amount: usd(400_000) })).policyId;
    const onLending = (await buyCover(d, attacker, { vault, productId: lending, amount: usd(350_000) })).policyId;
    const onDex = (await buyCover(d, attacker, { vault, productId: dex, amount: usd(350_000) })).policyId;
    await time.increase(2n * DAY);

    const bogus = [await fileOn(d, attacker, onLending, usd(350_000)), await fileOn(d, attacker, onDex, usd(350_000))];
    expect(await vault.pendingReserve()).to.equal(usd(700_000));
    await (await d.priceFeed.updateAnswer(usdPrice("0.95"))).wait();
    await (await d.priceFeedTrigger.fire()).wait();
    const incidentId = await d.claimAdjudicator.incidentCount();
    const atFiring = await d.claimAdjudicator.incidentReserve(incidentId, vault);
    expect(atFiring.needed).to.equal(usd(400_000));
    // Short: the bogus claims hold 700k of the vault.
    expect(atFiring.reserved < usd(400_000)).to.equal(true);

    for (const claimId of bogus) await rejectClaim(d, claimId);
    expect(await vault.productReserve(lending)).to.equal(0n);
    expect(await vault.productReserve(dex)).to.equal(0n);

    // The depeg payout counts the capital the rejected claims released: in full.
    const tx = d.claimAdjudicator.claimIncidentPayout(depegPolicy, incidentId);
    await expect(tx)
      .to.emit(d.claimAdjudicator, "IncidentPayoutClaimed")
      .withArgs(incidentId, depegPolicy, bob.address, usd(400_000))
      .and.to.emit(vault, "ClaimPaid")
      .withArgs(depeg, bob.address, usd(400_000));
    expect((await d.coverManager.getPolicy(depegPolicy)).claimed).to.equal(usd(400_000));
    expect(await d.claimAdjudicator.incidentShortfall(incidentId, depegPolicy)).to.equal(0n);
    // The breaker pays a quarter of NAV at once and queues the rest, all of it owed to bob.
    const queued = await vault.queuedOutflowAssets();
    expect((await vault.queuedOutflow(0n)).receiver).to.equal(bob.address);
    expect(queued > 0n && queued < usd(400_000)).to.equal(true);
  });

  it("filing an honest claim while a bogus one holds most of the vault: it reserves what is free then, and is paid in full at settlement once the bogus claim is rejected", async () => {
    const { d, vault, holding: bogus, later: honestClaim, laterPolicy: honestPolicy, laterHolder: honest, filed } =
      await laterClaimWhileVaultHeld();
    await rejectClaim(d, bogus);
    await time.increaseTo(filed.expiration);
    const settle = d.claimAdjudicator.settleClaim(honestClaim);
    await expect(settle)
      .to.emit(d.claimAdjudicator, "ClaimSettled")
      .withArgs(honestClaim, honestPolicy, State.Approved, honest.address, usd(500_000));
    expect((await d.coverManager.getPolicy(honestPolicy)).claimed).to.equal(usd(500_000));
    expect(await vault.pendingReserve()).to.equal(0n);
  });

  it("the other way round: when the claim that held the vault is approved first, the later claim is paid its own reserve plus what is free then, short of its amount", async () => {
    const { d, vault, holding: firstClaim, later: laterClaim, laterPolicy, filed } = await laterClaimWhileVaultHeld();
    await time.increaseTo(filed.expiration);
    await (await d.claimAdjudicator.settleClaim(firstClaim)).wait();
    const settle = await (await d.claimAdjudicator.settleClaim(laterClaim)).wait();
    const [settled] = await d.claimAdjudicator.queryFilter(d.claimAdjudicator.filters.ClaimSettled(laterClaim), settle!.blockNumber);
    const payout = settled!.args.payout;
    // Its reserve, and the premium earned since filing that was free: short of the 500k claimed.
    expect(payout > filed.reserved && payout < usd(500_000)).to.equal(true);
    expect((await d.coverManager.getPolicy(laterPolicy)).claimed).to.equal(payout);
    expect(await vault.pendingReserve()).to.equal(0n);
  });
});
