import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";

import { buyCover, coverParams, DAY, deposit, ethers, loadParapet, time, usd } from "../helpers.js";

const WAD = 10n ** 18n;
const HOUR = 3_600n;
const LIVENESS = 3n * DAY;
const ARBITRATION_TIMEOUT = 14n * DAY;
const INCIDENT_BOND = usd(10_000);
const BURN_WAD = WAD / 2n;
const MIN_BOND = usd(100);
const COVER = usd(100_000);
const EVIDENCE = "ipfs://parapet/evidence/id-squatting";
const State = { Pending: 1n, Disputed: 2n, Approved: 3n, Rejected: 4n, Drawn: 5n } as const;

const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;
const BURN = ceilDiv(INCIDENT_BOND * BURN_WAD, WAD);

/**
 * One million in the conservative vault, a 100k lending policy for the first buyer, two days on. The squatter (the
 * outsider) holds exactly one incident bond, approved on the adjudicator; the honest reporter is the second buyer.
 */
async function withSquatter() {
  const d = await loadParapet();
  const vault = d.vaults.conservative;
  const [underwriter] = d.accounts.underwriters;
  const [buyer, honest] = d.accounts.buyers;
  const squatter = d.accounts.outsider;
  await deposit(vault, underwriter, usd(1_000_000));
  const { policyId } = await buyCover(d, buyer, { vault, productId: d.productIds.lending, amount: COVER });
  const policy = await d.coverManager.getPolicy(policyId);
  await time.increaseTo(policy.start + 2n * DAY);
  await (await d.asset.mint(squatter.address, INCIDENT_BOND)).wait();
  await (await d.asset.connect(squatter).approve(d.claimAdjudicator, ethers.MaxUint256)).wait();
  return { ...d, adj: d.claimAdjudicator, vault, buyer, honest, squatter, policyId, policy };
}

type Setup = Awaited<ReturnType<typeof withSquatter>>;

async function rule(s: Setup, caseId: bigint, approve: boolean) {
  for (const member of s.committee.slice(0, 2)) {
    await (await s.committeeArbiter.connect(member).castVote(caseId, approve)).wait();
  }
  await (await s.committeeArbiter.connect(s.accounts.watcher).resolve(caseId)).wait();
}

async function openIncidents(s: Setup) {
  return (await s.productRegistry.getProduct(s.productIds.lending)).openIncidents;
}

async function tryBuy(s: Setup, buyer: HardhatEthersSigner) {
  const params = await coverParams(buyer, { vault: s.vault, productId: s.productIds.lending, amount: usd(1_000) });
  return s.coverManager.connect(buyer).buyCover(params);
}

describe("Attack: incident id and claim id squatting", () => {
  it("incident squatting: a bogus report stops sales only while pending; an honest report filed meanwhile gets the next id and proceeds; disputed and rejected, the squatter loses its 10,000 bond (half to the disputer, half burned)", async () => {
    const s = await withSquatter();
    const { adj, asset, squatter, honest } = s;
    const { lending } = s.productIds;
    const now = BigInt(await time.latest());

    // The squatter reports first, claiming a 100% loss.
    const squat = adj.connect(squatter).reportIncident(lending, now - HOUR, WAD, EVIDENCE);
    await expect(squat).to.changeTokenBalances(ethers, asset, [squatter, adj], [-INCIDENT_BOND, INCIDENT_BOND]);
    await expect(squat).to.emit(adj, "IncidentReported").withArgs(1n, lending, squatter.address, now - HOUR, WAD, INCIDENT_BOND, (v: bigint) => v > 0n, EVIDENCE);
    expect(await openIncidents(s)).to.equal(1n);
    await expect(tryBuy(s, s.accounts.buyers[2])).to.be.revertedWithCustomError(s.coverManager, "IncidentPending").withArgs(lending);

    // The squat takes no id or slot from anyone: the honest reporter files its own report (10%) at once, as id 2.
    const honestPayoutWad = WAD / 10n;
    await expect(adj.connect(honest).reportIncident(lending, s.policy.start + DAY + 1n, honestPayoutWad, EVIDENCE))
      .to.emit(adj, "IncidentReported")
      .withArgs(2n, lending, honest.address, s.policy.start + DAY + 1n, honestPayoutWad, INCIDENT_BOND, (v: bigint) => v > 0n, EVIDENCE);
    expect(await openIncidents(s)).to.equal(2n);

    // A watcher disputes the squat, posting an equal bond; the committee rejects it.
    const watcher = s.accounts.watcher;
    await expect(adj.connect(watcher).disputeIncident(1n)).to.changeTokenBalances(
      ethers,
      asset,
      [watcher, adj],
      [-INCIDENT_BOND, INCIDENT_BOND],
    );
    await rule(s, (await adj.getIncident(1n)).caseId, false);
    const settle = adj.settleIncident(1n);
    await expect(settle)
      .to.emit(adj, "BondsSettled")
      .withArgs(await adj.incidentKey(1n), 0n, 2n * INCIDENT_BOND - BURN, BURN)
      .and.to.emit(adj, "IncidentSettled")
      .withArgs(1n, lending, State.Rejected);
    await expect(settle).to.changeTokenBalances(
      ethers,
      asset,
      [squatter, watcher, s.treasury, adj],
      [0n, 2n * INCIDENT_BOND - BURN, BURN, -2n * INCIDENT_BOND],
    );
    expect(await asset.balanceOf(squatter.address)).to.equal(0n); // the whole bond is gone
    // The rejected report's reserve is released; only the honest report's 10% stays reserved.
    expect((await adj.incidentReserve(1n, s.vault)).reserveLeft).to.equal(0n);
    expect(await s.vault.pendingReserve()).to.equal((await adj.incidentReserve(2n, s.vault)).reserved);
    expect(await openIncidents(s)).to.equal(1n); // the honest report still stops sales

    // The honest report settles after its liveness (undisputed), returns its bond and pays the policy its 10%.
    await time.increase(LIVENESS);
    await expect(adj.settleIncident(2n)).to.changeTokenBalance(ethers, asset, honest, INCIDENT_BOND);
    expect((await adj.getIncident(2n)).state).to.equal(State.Approved);
    expect(await openIncidents(s)).to.equal(0n);
    const payout = (COVER * honestPayoutWad) / WAD;
    await expect(adj.claimIncidentPayout(s.policyId, 2n)).to.changeTokenBalance(ethers, asset, s.buyer, payout);
    await expect(adj.claimIncidentPayout(s.policyId, 1n))
      .to.be.revertedWithCustomError(adj, "IncidentClaimWindow")
      .withArgs(1n, 0n); // never confirmed: no claim window
    // Sales resume once no report is open.
    await expect(tryBuy(s, s.accounts.buyers[2])).to.emit(s.coverManager, "CoverBought");
  });

  it("incident ids come from the contract's counter: a refused report (IncidentNotInPast, WrongProductKind) consumes no id, and the next report gets the next number", async () => {
    const s = await withSquatter();
    const { adj, squatter } = s;
    const now = BigInt(await time.latest());
    await expect(adj.connect(squatter).reportIncident(s.productIds.lending, now + 100n, WAD, EVIDENCE))
      .to.be.revertedWithCustomError(adj, "IncidentNotInPast")
      .withArgs(now + 100n, (v: bigint) => v > now);
    await expect(adj.connect(squatter).reportIncident(s.productIds.depeg, now - HOUR, WAD, EVIDENCE))
      .to.be.revertedWithCustomError(adj, "WrongProductKind")
      .withArgs(s.productIds.depeg);
    expect(await adj.incidentCount()).to.equal(0n);
    await (await adj.connect(s.honest).reportIncident(s.productIds.lending, now - HOUR, WAD / 10n, EVIDENCE)).wait();
    await (await adj.connect(squatter).reportIncident(s.productIds.dex, now - HOUR, WAD, EVIDENCE)).wait();
    expect((await adj.getIncident(1n)).reporter).to.equal(s.honest.address);
    expect((await adj.getIncident(2n)).reporter).to.equal(squatter.address);
    expect(await adj.incidentCount()).to.equal(2n);
  });

  it("a disputed squat the committee never rules on blocks sales for at most liveness + the 14-day arbitration timeout, then settles as a draw that returns both bonds (the squatter keeps its bond)", async () => {
    const s = await withSquatter();
    const { adj, asset, squatter } = s;
    const { lending } = s.productIds;
    const now = BigInt(await time.latest());
    await (await adj.connect(squatter).reportIncident(lending, now - HOUR, WAD, EVIDENCE)).wait();
    const reportedAt = BigInt(await time.latest());
    // Disputed one second before the liveness ends: the longest a squat can stay open.
    await time.setNextBlockTimestamp(reportedAt + LIVENESS - 1n);
    await (await adj.connect(s.accounts.watcher).disputeIncident(1n)).wait();
    const drawAt = reportedAt + LIVENESS - 1n + ARBITRATION_TIMEOUT;
    await time.setNextBlockTimestamp(drawAt - 1n);
    await expect(adj.settleIncident(1n))
      .to.be.revertedWithCustomError(adj, "AwaitingRuling")
      .withArgs(await adj.incidentKey(1n), drawAt);
    await expect(tryBuy(s, s.accounts.buyers[2])).to.be.revertedWithCustomError(s.coverManager, "IncidentPending");

    await time.setNextBlockTimestamp(drawAt);
    const settle = adj.settleIncident(1n);
    await expect(settle).to.emit(adj, "IncidentSettled").withArgs(1n, lending, State.Drawn);
    await expect(settle).to.changeTokenBalances(
      ethers,
      asset,
      [squatter, s.accounts.watcher],
      [INCIDENT_BOND, INCIDENT_BOND],
    );
    expect(await openIncidents(s)).to.equal(0n);
    await expect(tryBuy(s, s.accounts.buyers[2])).to.emit(s.coverManager, "CoverBought");
  });

  it("claim ids are sequential whoever files: a squatter's 1-wei claim on its own dust policy costs the 100 minimum bond and does not change the honest claim's id, reserve or settlement", async () => {
    const s = await withSquatter();
    const { adj, asset, squatter } = s;
    // The squatter's own 1-wei policy (premium and fee round up to 1 wei each).
    await (await asset.mint(squatter.address, 3n * MIN_BOND + 2n)).wait();
    await (await asset.connect(squatter).approve(s.coverManager, ethers.MaxUint256)).wait();
    const { policyId: dustPolicyId } = await buyCover(s, squatter, {
      vault: s.vault,
      productId: s.productIds.lending,
      amount: 1n,
    });
    const dustPolicy = await s.coverManager.getPolicy(dustPolicyId);
    await time.increaseTo(dustPolicy.start + 2n * DAY);

    // Squatter, honest buyer, squatter: ids 1, 2, 3 in filing order.
    await expect(adj.connect(squatter).fileClaim(dustPolicyId, 1n, dustPolicy.start + DAY + 1n, EVIDENCE))
      .to.emit(adj, "ClaimFiled")
      .withArgs(1n, dustPolicyId, squatter.address, 1n, 1n, dustPolicy.start + DAY + 1n, MIN_BOND, (v: bigint) => v > 0n, EVIDENCE);
    const amount = usd(10_000);
    await expect(adj.connect(s.buyer).fileClaim(s.policyId, amount, s.policy.start + DAY + 1n, EVIDENCE))
      .to.emit(adj, "ClaimFiled")
      .withArgs(2n, s.policyId, s.buyer.address, amount, amount, s.policy.start + DAY + 1n, usd(500), (v: bigint) => v > 0n, EVIDENCE);
    // A second claim on the same dust policy is refused and takes no id.
    await expect(adj.connect(squatter).fileClaim(dustPolicyId, 1n, dustPolicy.start + DAY + 1n, EVIDENCE))
      .to.be.revertedWithCustomError(adj, "ClaimAlreadyOpen")
      .withArgs(dustPolicyId, 1n);
    expect(await adj.claimCount()).to.equal(2n);
    // Its 10,000 incident bond and 300 minted, minus 2 wei for the dust policy and the 100 bond.
    expect(await asset.balanceOf(squatter.address)).to.equal(INCIDENT_BOND + 2n * MIN_BOND);
    expect(await s.vault.pendingReserve()).to.equal(amount + 1n);

    // Both settle independently after the liveness; the honest claim pays its 10k to its holder.
    await time.increase(LIVENESS);
    await expect(adj.settleClaim(2n)).to.changeTokenBalance(ethers, asset, s.buyer, amount + usd(500));
    await expect(adj.settleClaim(1n)).to.changeTokenBalance(ethers, asset, squatter, MIN_BOND + 1n);
    expect(await s.vault.pendingReserve()).to.equal(0n);
  });
});
