import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { parseUnits } from "ethers";

import type { ParapetDeployment } from "../../deploy/fixture.js";
import type { UnderwriterVault } from "../../types/ethers-contracts/index.js";
import { asCoverManager, DAY, deposit, ethers, loadParapet, time, usd } from "./helpers.js";

const wad = (percent: string) => parseUnits(percent, 16);
const HOUR = 3_600n;
const BUCKET = 8n * HOUR;
const COOLDOWN = 14n * DAY;

// No cover is sold in these tests, so no premium streams: navAsk only moves with deposits and outflows.
describe("UnderwriterVault circuit breaker", () => {
  let d: ParapetDeployment;
  let vault: UnderwriterVault;
  let vaultAddress: string;
  let claims: HardhatEthersSigner;
  let guardian: HardhatEthersSigner;
  let admin: HardhatEthersSigner;
  let outsider: HardhatEthersSigner;
  let alice: HardhatEthersSigner;
  let bob: HardhatEthersSigner;
  let lending: bigint;

  beforeEach(async () => {
    d = await loadParapet();
    ({ guardian, admin, outsider } = d.accounts);
    [alice, bob] = d.accounts.underwriters;
    claims = d.accounts.buyers[3];
    vault = d.vaults.conservative;
    vaultAddress = await vault.getAddress();
    lending = d.productIds.lending;
    // A stand-in for the claims module, so payouts can be made directly.
    await (await d.productRegistry.setClaimsModule(claims.address)).wait();
    await deposit(vault, alice, usd(600_000));
    await deposit(vault, bob, usd(400_000));
  });

  /** Pays `amount` to `receiver` as an approved claim would. */
  async function payClaim(receiver: string, amount: bigint) {
    await (await vault.connect(claims).reserveUpTo(lending, amount)).wait();
    return vault.connect(await asCoverManager(d.coverManager)).payClaim(lending, 0n, receiver, amount, amount);
  }

  /** Makes `shares` of `owner` redeemable, the cooldown over. */
  async function ripeRequest(owner: HardhatEthersSigner, shares: bigint) {
    await (await vault.connect(owner).requestRedeem(shares, owner.address, owner.address)).wait();
    await time.increase(COOLDOWN);
  }

  /** Moves to the start of the next 8-hour bucket, so window arithmetic in a test is exact. */
  async function alignToBucket() {
    const now = BigInt(await time.latest());
    await time.increaseTo(now - (now % BUCKET) + BUCKET);
  }

  it("defaults to 25% of NAV per 24 hours, with an empty queue", async () => {
    expect(await vault.outflowLimitWad()).to.equal(wad("25"));
    expect(await vault.outflowWindow()).to.equal(DAY);
    expect(await vault.outflowAllowance()).to.equal(usd(250_000));
    expect(await vault.recentOutflows()).to.equal(0n);
    expect(await vault.queuedOutflowAssets()).to.equal(0n);
    expect(await vault.outflowQueueRange()).to.deep.equal([0n, 0n]);
  });

  it("pays an outflow of exactly the allowance at once, and queues the first unit past it", async () => {
    const receiver = outsider.address;
    const first = payClaim(receiver, usd(250_000));
    await expect(first).to.changeTokenBalances(ethers, d.asset, [vaultAddress, receiver], [-usd(250_000), usd(250_000)]);
    await expect(first).not.to.emit(vault, "OutflowQueued");
    expect(await vault.recentOutflows()).to.equal(usd(250_000));
    expect(await vault.outflowAllowance()).to.equal(0n);

    const second = payClaim(receiver, 1n);
    await expect(second).to.emit(vault, "OutflowQueued").withArgs(0n, receiver, 1n);
    await expect(second).to.changeTokenBalances(ethers, d.asset, [vaultAddress, receiver], [0n, 0n]);
    expect(await vault.queuedOutflowAssets()).to.equal(1n);
    expect(await vault.queuedOutflow(0n)).to.deep.equal([receiver, 1n]);
    // Queued assets are owed: they left the books (and NAV) at once.
    expect(await vault.managedAssets()).to.equal(usd(750_000) - 1n);
    expect(await vault.navAsk()).to.equal(usd(750_000) - 1n);
  });

  it("splits a claim payout above the allowance: the allowance now, the rest queued", async () => {
    const carol = d.accounts.buyers[0].address;
    const tx = payClaim(carol, usd(600_000));
    await expect(tx).to.changeTokenBalances(ethers, d.asset, [vaultAddress, carol], [-usd(250_000), usd(250_000)]);
    await expect(tx).to.emit(vault, "OutflowQueued").withArgs(0n, carol, usd(350_000));
    expect(await vault.navAsk()).to.equal(usd(400_000));
    expect(await vault.queuedOutflowAssets()).to.equal(usd(350_000));
  });

  it("limits exits only while there is a claimant to protect: with no cover, reserve or queued payout, all may leave", async () => {
    await ripeRequest(alice, await vault.balanceOf(alice.address));
    expect(await vault.maxWithdraw(alice.address)).to.equal(usd(600_000));
    // One unit reserved for a claim is enough to bring the breaker back.
    await (await vault.connect(claims).reserveUpTo(lending, 1n)).wait();
    expect(await vault.maxWithdraw(alice.address)).to.equal(usd(250_000));
  });

  it("never pays an exit in part: maxWithdraw is what the window lets leave, one unit more reverts OutflowLimitReached", async () => {
    await ripeRequest(alice, await vault.balanceOf(alice.address));
    // A claim on the way: the breaker guards the claimants.
    await (await vault.connect(claims).reserveUpTo(lending, 1n)).wait();
    const requested = (await vault.redeemRequest(alice.address)).shares;
    expect(await vault.claimableRedeemRequest(0n, alice.address)).to.equal(requested);
    const assets = await vault.maxWithdraw(alice.address);
    expect(assets).to.equal(usd(250_000));
    await expect(vault.connect(alice).withdraw(assets + 1n, alice.address, alice.address))
      .to.be.revertedWithCustomError(vault, "OutflowLimitReached")
      .withArgs(assets + 1n, assets);
    const tx = vault.connect(alice).withdraw(assets, alice.address, alice.address);
    await expect(tx).to.changeTokenBalances(ethers, d.asset, [vaultAddress, alice], [-assets, assets]);
    await expect(tx).not.to.emit(vault, "OutflowQueued");
    expect(await vault.maxWithdraw(alice.address)).to.equal(0n);
    expect(await vault.maxRedeem(alice.address)).to.equal(0n);
    // The rest of the request waits for the window, still redeemable: a quarter of the 750,000 left.
    await time.increase(DAY + BUCKET);
    expect(await vault.maxWithdraw(alice.address)).to.equal(usd(187_500));
  });

  it("lets no exit jump queued claim payouts: the window first covers the queue", async () => {
    await alignToBucket();
    await ripeRequest(alice, await vault.balanceOf(alice.address));
    const carol = d.accounts.buyers[0].address;
    await (await payClaim(carol, usd(300_000))).wait(); // 250,000 paid, 50,000 queued
    await time.increase(DAY + BUCKET);
    // A quarter of (NAV 700,000 + queued 50,000) = 187,500, of which 50,000 is the queue's.
    expect(await vault.maxWithdraw(alice.address)).to.equal(usd(137_500));
    const tx = vault.connect(alice).withdraw(usd(137_500), alice.address, alice.address);
    await expect(tx).to.changeTokenBalances(ethers, d.asset, [alice, carol], [usd(137_500), usd(50_000)]);
    await expect(tx).to.emit(vault, "QueuedOutflowPaid").withArgs(0n, carol, usd(50_000), 0n);
    expect(await vault.queuedOutflowAssets()).to.equal(0n);
    expect(await vault.recentOutflows()).to.equal(usd(187_500));
  });

  it("holds the limit over every rolling window, then pays the queue in order as the window allows", async () => {
    await alignToBucket();
    const [carol, dave] = [d.accounts.buyers[0].address, d.accounts.buyers[1].address];
    await (await payClaim(carol, usd(300_000))).wait(); // 250,000 paid, 50,000 queued as entry 0
    await (await payClaim(dave, usd(10_000))).wait(); // entry 1, queued behind entry 0 though small
    expect(await vault.outflowQueueRange()).to.deep.equal([0n, 2n]);
    expect(await vault.queuedOutflow(1n)).to.deep.equal([dave, usd(10_000)]);

    // 24 hours later the first payment is still inside the lookback (its 8-hour bucket plus the window): nothing.
    await time.increase(DAY);
    expect(await vault.outflowAllowance()).to.equal(0n);
    await expect(vault.connect(outsider).processOutflowQueue(10n)).to.changeTokenBalance(ethers, d.asset, carol, 0n);

    // Once the bucket has left the window, a quarter of (NAV 690,000 + queued 60,000) may leave: 187,500.
    await time.increase(BUCKET);
    expect(await vault.recentOutflows()).to.equal(0n);
    expect(await vault.outflowAllowance()).to.equal(usd(187_500));
    const tx = vault.connect(outsider).processOutflowQueue(10n);
    await expect(tx).to.changeTokenBalances(ethers, d.asset, [carol, dave], [usd(50_000), usd(10_000)]);
    await expect(tx).to.emit(vault, "QueuedOutflowPaid").withArgs(0n, carol, usd(50_000), 0n);
    await expect(tx).to.emit(vault, "QueuedOutflowPaid").withArgs(1n, dave, usd(10_000), 0n);
    expect(await vault.outflowQueueRange()).to.deep.equal([2n, 2n]);
    expect(await vault.queuedOutflowAssets()).to.equal(0n);
    expect(await vault.recentOutflows()).to.equal(usd(60_000));
  });

  it("lets a later outflow pay the queue ahead of itself, in order, so the queue moves without a keeper", async () => {
    await alignToBucket();
    const [carol, dave] = [d.accounts.buyers[0].address, d.accounts.buyers[1].address];
    await (await payClaim(carol, usd(300_000))).wait(); // 250,000 paid, 50,000 queued as entry 0
    await time.increase(DAY + BUCKET);
    // A quarter of (NAV 700,000 - 10,000 + queued 50,000 + the new 10,000): entry 0 first, then the new payout.
    const tx = payClaim(dave, usd(10_000));
    await expect(tx).to.changeTokenBalances(ethers, d.asset, [carol, dave], [usd(50_000), usd(10_000)]);
    await expect(tx).to.emit(vault, "QueuedOutflowPaid").withArgs(0n, carol, usd(50_000), 0n);
    await expect(tx).not.to.emit(vault, "OutflowQueued");
    expect(await vault.outflowQueueRange()).to.deep.equal([1n, 1n]);
    expect(await vault.recentOutflows()).to.equal(usd(60_000));
  });

  it("pays the head entry in part when the allowance runs short, keeping the order", async () => {
    await alignToBucket();
    const carol = d.accounts.buyers[0].address;
    await (await payClaim(carol, usd(900_000))).wait(); // 250,000 now, 650,000 queued
    await time.increase(DAY + BUCKET);
    // A quarter of (NAV 100,000 + queued 650,000).
    expect(await vault.outflowAllowance()).to.equal(usd(187_500));
    await expect(vault.processOutflowQueue(1n))
      .to.emit(vault, "QueuedOutflowPaid")
      .withArgs(0n, carol, usd(187_500), usd(462_500));
    expect(await vault.queuedOutflow(0n)).to.deep.equal([carol, usd(462_500)]);
    expect(await vault.outflowQueueRange()).to.deep.equal([0n, 1n]);
    // Nothing more until the window moves on; the underwriters' 100,000 never moved.
    await expect(vault.processOutflowQueue(1n)).to.changeTokenBalance(ethers, d.asset, carol, 0n);
    expect(await vault.navAsk()).to.equal(usd(100_000));
  });

  it("queues everything while paused; only the guardian's release pays, past the limit and in order", async () => {
    const [carol, dave] = [d.accounts.buyers[0].address, d.accounts.buyers[1].address];
    await (await vault.connect(guardian).pause()).wait();
    await expect(payClaim(carol, usd(1_000)))
      .to.emit(vault, "OutflowQueued")
      .withArgs(0n, carol, usd(1_000));
    await (await payClaim(dave, usd(400_000))).wait();
    await expect(vault.connect(outsider).processOutflowQueue(10n)).to.be.revertedWithCustomError(vault, "EnforcedPause");
    await expect(vault.connect(outsider).releaseOutflowQueue(10n))
      .to.be.revertedWithCustomError(vault, "AccessManagedUnauthorized")
      .withArgs(outsider.address);
    await expect(vault.connect(guardian).releaseOutflowQueue(0n)).to.be.revertedWithCustomError(vault, "ZeroAmount");

    const release = vault.connect(guardian).releaseOutflowQueue(1n);
    await expect(release).to.changeTokenBalances(ethers, d.asset, [carol, dave], [usd(1_000), 0n]);
    await expect(vault.connect(guardian).releaseOutflowQueue(5n)).to.changeTokenBalance(
      ethers,
      d.asset,
      dave,
      usd(400_000),
    );
    // Released outflows count in the window: what else leaves today is throttled by them.
    expect(await vault.recentOutflows()).to.equal(usd(401_000));
    expect(await vault.queuedOutflowAssets()).to.equal(0n);
  });

  it("contains a compromised claims module: a quarter leaves, the guardian pauses, the admin voids the rest", async () => {
    const thief = outsider.address;
    // The claims module pays the whole vault to itself.
    await (await payClaim(thief, usd(1_000_000))).wait();
    expect(await d.asset.balanceOf(thief)).to.equal(usd(250_000));
    expect(await vault.queuedOutflowAssets()).to.equal(usd(750_000));
    await (await vault.connect(guardian).pause()).wait();
    await time.increase(2n * DAY);
    await expect(vault.processOutflowQueue(1n)).to.be.revertedWithCustomError(vault, "EnforcedPause");

    await expect(vault.connect(outsider).voidQueuedOutflow(0n))
      .to.be.revertedWithCustomError(vault, "AccessManagedUnauthorized")
      .withArgs(outsider.address);
    await expect(vault.connect(admin).voidQueuedOutflow(0n))
      .to.emit(vault, "QueuedOutflowVoided")
      .withArgs(0n, thief, usd(750_000));
    // The rest is the underwriters' again.
    expect(await vault.queuedOutflowAssets()).to.equal(0n);
    expect(await vault.navAsk()).to.equal(usd(750_000));
    expect(await vault.managedAssets()).to.equal(usd(750_000));
    await expect(vault.connect(admin).voidQueuedOutflow(0n))
      .to.be.revertedWithCustomError(vault, "OutflowNotVoidable")
      .withArgs(0n, 0n);
    // The voided entry is stepped over; the queue ends empty.
    await (await vault.connect(admin).unpause()).wait();
    await expect(vault.processOutflowQueue(1n)).to.changeTokenBalance(ethers, d.asset, thief, 0n);
    expect(await vault.outflowQueueRange()).to.deep.equal([1n, 1n]);
  });

  it("refuses to void an entry with nothing left", async () => {
    await expect(vault.connect(admin).voidQueuedOutflow(7n))
      .to.be.revertedWithCustomError(vault, "OutflowNotVoidable")
      .withArgs(7n, 0n);
  });

  describe("setOutflowLimit", () => {
    it("accepts the bounds (5%..50%, 1 hour..7 days), with OutflowLimitSet", async () => {
      const riskManager = d.accounts.riskManager;
      for (const [limit, window] of [
        [wad("5"), HOUR],
        [wad("50"), 7n * DAY],
      ]) {
        await expect(vault.connect(riskManager).setOutflowLimit(limit, window))
          .to.emit(vault, "OutflowLimitSet")
          .withArgs(limit, window);
        expect([await vault.outflowLimitWad(), await vault.outflowWindow()]).to.deep.equal([limit, window]);
      }
      // 50% of the 1,000,000 NAV.
      expect(await vault.outflowAllowance()).to.equal(usd(500_000));
    });

    it("refuses values past the bounds with InvalidOutflowLimit(limit, window), and strangers", async () => {
      const riskManager = d.accounts.riskManager;
      for (const [limit, window] of [
        [wad("5") - 1n, DAY],
        [wad("50") + 1n, DAY],
        [wad("25"), HOUR - 1n],
        [wad("25"), 7n * DAY + 1n],
        [0n, 0n],
      ]) {
        await expect(vault.connect(riskManager).setOutflowLimit(limit, window))
          .to.be.revertedWithCustomError(vault, "InvalidOutflowLimit")
          .withArgs(limit, window);
      }
      await expect(vault.connect(admin).setOutflowLimit(wad("50"), DAY))
        .to.be.revertedWithCustomError(vault, "AccessManagedUnauthorized")
        .withArgs(admin.address);
      expect([await vault.outflowLimitWad(), await vault.outflowWindow()]).to.deep.equal([wad("25"), DAY]);
    });
  });
});
