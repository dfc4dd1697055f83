import { expect } from "chai";
import { ZeroAddress } from "ethers";

import { BlocklistStablecoin__factory } from "../../../types/ethers-contracts/index.js";
import { coverParams, DAY, ethers, networkHelpers, time, usd } from "../helpers.js";
import { COOLDOWN } from "../vaultSetup.js";
import { deployParapetOn } from "./exoticAsset.js";
import { viewAt } from "./utils.js";

const LIVENESS = 3n * DAY;
/** The breaker's lookback: its 24-hour window plus one 8-hour bucket. */
const LOOKBACK = DAY + 8n * 3_600n;
const EVIDENCE = "ipfs://parapet/evidence/receiver-freeze";

/**
 * The protocol over a stablecoin with a USDC-style blocklist, 1M in the vault, and two approved lending claims ripe for
 * settlement: 300k for the first buyer (more than the breaker's quarter of NAV, so part of it queues) and 10k for the
 * second (queued behind it).
 */
async function deployWithRipeClaims() {
  const [deployer] = await ethers.getSigners();
  const token = await new BlocklistStablecoin__factory(deployer).deploy("Blocklist USD", "bUSD", 6);
  const d = await deployParapetOn(token);
  const [alice] = d.accounts.underwriters;
  const [big, small] = d.accounts.buyers;
  await (await d.vault.connect(alice).deposit(usd(1_000_000), alice.address)).wait();
  for (const [buyer, amount] of [
    [big, usd(300_000)],
    [small, usd(20_000)],
  ] as const) {
    const params = await coverParams(buyer, { vault: d.vault, productId: d.productIds.lending, amount });
    await (await d.coverManager.connect(buyer).buyCover(params)).wait();
  }
  // An incident both policies cover: after the later one's coverage lag.
  const start = (await d.coverManager.getPolicy(2n)).start;
  await time.increaseTo(start + 2n * DAY);
  await (await d.claimAdjudicator.connect(big).fileClaim(1n, usd(300_000), start + DAY + 1n, EVIDENCE)).wait();
  await (await d.claimAdjudicator.connect(small).fileClaim(2n, usd(10_000), start + DAY + 1n, EVIDENCE)).wait();
  await (await d.vault.connect(alice).requestRedeem(usd(100_000) * 10n ** 6n, alice.address, alice.address)).wait();
  await time.increase(LIVENESS);
  return { ...d, token, alice, big, small };
}

describe("Attack: a receiver that freezes the vault", () => {
  const load = () => networkHelpers.loadFixture(deployWithRipeClaims);

  it("redeeming to the zero address behind queued payouts: refused with InvalidReceiver(0) and nothing queued; the queue is paid in order", async () => {
    const s = await load();
    await (await s.claimAdjudicator.settleClaim(1n)).wait();
    await (await s.claimAdjudicator.settleClaim(2n)).wait();
    const [head, tail] = await s.vault.outflowQueueRange();
    expect([head, tail]).to.deep.equal([0n, 2n]);
    const owedBig = (await s.vault.queuedOutflow(0n)).amount;
    expect((await s.vault.queuedOutflow(1n)).amount).to.equal(usd(10_000));

    await time.increase(COOLDOWN);
    const shares = await s.vault.maxRedeem(s.alice.address);
    expect(shares > 0n).to.equal(true);
    await expect(s.vault.connect(s.alice).redeem(shares, ZeroAddress, s.alice.address))
      .to.be.revertedWithCustomError(s.vault, "InvalidReceiver")
      .withArgs(ZeroAddress);
    await expect(s.vault.connect(s.alice).withdraw(1n, ZeroAddress, s.alice.address))
      .to.be.revertedWithCustomError(s.vault, "InvalidReceiver")
      .withArgs(ZeroAddress);
    expect(await s.vault.outflowQueueRange()).to.deep.equal([0n, 2n]);

    await expect(s.vault.processOutflowQueue(10n)).to.changeTokenBalances(
      ethers,
      s.token,
      [s.big, s.small],
      [owedBig, usd(10_000)],
    );
    expect(await s.vault.outflowQueueRange()).to.deep.equal([2n, 2n]);
    expect(await s.vault.queuedOutflowAssets()).to.equal(0n);
  });

  it("a receiver the token refuses (blocklisted) at the head of the queue: its payments are parked, the entry behind it is paid, exits and settlements go on; it withdraws to another address", async () => {
    const s = await load();
    const refuge = s.accounts.outsider;
    await (await s.token.setBlocked(s.big.address, true)).wait();

    // Settlement goes through: what the window allows now is parked, the rest queued; the bond is parked too.
    const bond = (await s.claimAdjudicator.getClaim(1n)).bond;
    const settle = s.claimAdjudicator.settleClaim(1n);
    await expect(settle).to.emit(s.vault, "PayoutParked");
    await expect(settle).to.emit(s.claimAdjudicator, "PaymentParked").withArgs(s.token.target, s.big.address, bond);
    await (await s.claimAdjudicator.settleClaim(2n)).wait();
    expect(await s.vault.outflowQueueRange()).to.deep.equal([0n, 2n]);
    const parkedNow = await s.vault.parkedPayoutOf(s.big.address);
    const queued = (await s.vault.queuedOutflow(0n)).amount;
    expect(parkedNow + queued).to.equal(usd(300_000));

    // Once the window has moved on, anyone processes the queue: the refused head is parked, the next entry paid.
    await time.increase(LOOKBACK);
    const process = s.vault.connect(refuge).processOutflowQueue(10n);
    await expect(process).to.changeTokenBalances(ethers, s.token, [s.big, s.small], [0n, usd(10_000)]);
    await expect(process).to.emit(s.vault, "PayoutParked").withArgs(s.big.address, queued);
    await expect(process).to.emit(s.vault, "QueuedOutflowPaid").withArgs(1n, s.small.address, usd(10_000), 0n);
    expect(await s.vault.outflowQueueRange()).to.deep.equal([2n, 2n]);
    expect(await s.vault.parkedPayoutOf(s.big.address)).to.equal(usd(300_000));
    expect(await s.vault.parkedPayoutAssets()).to.equal(usd(300_000));

    // The vault is not frozen: the underwriter's ripe exit pays in full.
    await time.increase(COOLDOWN);
    const exitAt = BigInt(await time.latest()) + 10n;
    const shares = await viewAt(exitAt, () => s.vault.maxRedeem(s.alice.address));
    const assets = await viewAt(exitAt, () => s.vault.convertToAssets(shares));
    await time.setNextBlockTimestamp(exitAt);
    await expect(s.vault.connect(s.alice).redeem(shares, s.alice.address, s.alice.address)).to.changeTokenBalance(
      ethers,
      s.token,
      s.alice,
      assets,
    );

    // The blocklisted holder takes its money to an address the token accepts.
    await expect(s.vault.connect(s.big).withdrawParkedPayout(ZeroAddress))
      .to.be.revertedWithCustomError(s.vault, "InvalidReceiver")
      .withArgs(ZeroAddress);
    await expect(s.vault.connect(s.big).withdrawParkedPayout(refuge.address)).to.changeTokenBalances(
      ethers,
      s.token,
      [s.vault, refuge],
      [-usd(300_000), usd(300_000)],
    );
    await expect(s.claimAdjudicator.connect(s.big).withdrawParked(s.token.target, refuge.address)).to.changeTokenBalance(
      ethers,
      s.token,
      refuge,
      bond,
    );
    await expect(s.vault.connect(s.big).withdrawParkedPayout(refuge.address)).to.be.revertedWithCustomError(
      s.vault,
      "ZeroAmount",
    );
    await expect(s.claimAdjudicator.connect(s.big).withdrawParked(s.token.target, refuge.address))
      .to.be.revertedWithCustomError(s.claimAdjudicator, "NothingParked")
      .withArgs(s.token.target, s.big.address);
  });
});
