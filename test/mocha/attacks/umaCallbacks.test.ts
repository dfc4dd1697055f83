/**
 * Attack class: the oracle's callback path. A UMA arbiter's callback that reverts would stop UMA's settlement of the
 * vote; one that delivered twice, or accepted a forged callback, would decide a case without the DVM. The probe
 * adjudicator reads real cases but refuses or re-enters on the ruling.
 */
import { expect } from "chai";

import { deployUmaLocal } from "../../../deploy/uma.js";
import {
  BlocklistStablecoin__factory,
  IOptimisticOracleV3__factory,
  IUmaMockOracle__factory,
  RulingReceiverProbe__factory,
  UmaArbiter__factory,
} from "../../../types/ethers-contracts/index.js";
import { fileClaim } from "../claimsSetup.js";
import { connection, ethers, networkHelpers, usd } from "../helpers.js";
import { dvmVotes, escalationOf, UMA_DEPOSIT, UMA_REFUND, UmaStatus, withUmaCover } from "../umaSetup.js";

describe("Attack: UMA callbacks", () => {
  /** A UMA arbiter whose adjudicator is a probe reading cases from the real adjudicator. */
  async function withProbe() {
    const s = await withUmaCover();
    const probe = await new RulingReceiverProbe__factory(s.accounts.admin).deploy(s.adj);
    const arbiter = await new UmaArbiter__factory(s.accounts.admin).deploy(s.oracle, probe, s.asset);
    await (await probe.setArbiter(arbiter)).wait();
    await (await s.asset.connect(s.watcher).approve(arbiter, ethers.MaxUint256)).wait();
    const { claimId } = await fileClaim(s, s.buyer, usd(10_000));
    const receipt = (await (await probe.requestRuling(await s.adj.claimKey(claimId), s.watcher)).wait())!;
    return { ...s, probe, probeArbiter: arbiter, escalation: escalationOf(s, receipt, arbiter) };
  }
  const Mode = { Accept: 0, Refuse: 1, ReenterDelivery: 2, ReenterSettlement: 3 } as const;

  it("lets UMA settle when the adjudicator refuses the ruling: refund paid, ruling kept for deliverRuling", async () => {
    const p = await withProbe();
    const { caseId } = p.escalation;
    await (await p.probe.setMode(Mode.Refuse)).wait();
    const settle = dvmVotes(p, p.escalation, true);
    const reason = p.probe.interface.encodeErrorResult("RulingRefused", [caseId]);
    await expect(settle).to.emit(p.probeArbiter, "RulingUndelivered").withArgs(caseId, true, reason);
    await expect(settle).to.changeTokenBalances(ethers, p.asset, [p.watcher], [UMA_REFUND]);
    expect((await p.probeArbiter.getUmaCase(caseId)).status).to.equal(UmaStatus.Undelivered);
    expect(await p.probe.rulingCount(caseId)).to.equal(0n);

    await expect(p.probeArbiter.connect(p.outsider).deliverRuling(caseId))
      .to.be.revertedWithCustomError(p.probe, "RulingRefused")
      .withArgs(caseId);
    await (await p.probe.setMode(Mode.Accept)).wait();
    await expect(p.probeArbiter.connect(p.outsider).deliverRuling(caseId)).to.emit(p.probe, "RulingReceived").withArgs(caseId, true);
    expect((await p.probeArbiter.getUmaCase(caseId)).status).to.equal(UmaStatus.Delivered);
    await expect(p.probeArbiter.deliverRuling(caseId))
      .to.be.revertedWithCustomError(p.probeArbiter, "NoUndeliveredRuling")
      .withArgs(caseId, UmaStatus.Delivered);
  });

  it("delivers each ruling once: re-entering deliverRuling or UMA's settlement from the callback fails safe", async () => {
    for (const mode of [Mode.ReenterDelivery, Mode.ReenterSettlement]) {
      const p = await withProbe();
      const { caseId } = p.escalation;
      await (await p.probe.setMode(mode)).wait();
      await expect(dvmVotes(p, p.escalation, false)).to.emit(p.probeArbiter, "RulingUndelivered");
      expect(await p.probe.rulingCount(caseId)).to.equal(0n);
      await (await p.probe.setMode(Mode.Accept)).wait();
      await (await p.probeArbiter.deliverRuling(caseId)).wait();
      expect(await p.probe.rulingCount(caseId)).to.equal(1n);
    }
  });

  it("accepts callbacks only from the oracle, and only for its own assertions", async () => {
    const s = await withUmaCover();
    await expect(s.umaArbiter.connect(s.outsider).assertionResolvedCallback(ethers.ZeroHash, true))
      .to.be.revertedWithCustomError(s.umaArbiter, "NotOptimisticOracle")
      .withArgs(s.outsider.address);
    const oracleAddress = await s.oracle.getAddress();
    await networkHelpers.impersonateAccount(oracleAddress);
    await networkHelpers.setBalance(oracleAddress, 10n ** 18n);
    const asOracle = await ethers.getSigner(oracleAddress);
    const stranger = ethers.id("someone else's assertion");
    await expect(s.umaArbiter.connect(asOracle).assertionResolvedCallback(stranger, true))
      .to.be.revertedWithCustomError(s.umaArbiter, "UnknownAssertion")
      .withArgs(stranger);
  });

  it("a disputer the currency blocks cannot stop the vote's settlement: its refund is parked for it", async () => {
    const s = await withUmaCover();
    // A UMA stack bonded in a blocklisting stablecoin (as USDC is), with a probe adjudicator reading the real cases.
    const usdc = await new BlocklistStablecoin__factory(s.accounts.admin).deploy("USD Coin", "USDC", 6);
    const uma = await deployUmaLocal(connection, await usdc.getAddress());
    const optimisticOracle = IOptimisticOracleV3__factory.connect(await uma.optimisticOracle.getAddress(), s.accounts.admin);
    const dvm = IUmaMockOracle__factory.connect(await uma.mockOracle.getAddress(), s.accounts.admin);
    const probe = await new RulingReceiverProbe__factory(s.accounts.admin).deploy(s.adj);
    const arbiter = await new UmaArbiter__factory(s.accounts.admin).deploy(optimisticOracle, probe, usdc);
    await (await probe.setArbiter(arbiter)).wait();
    await (await usdc.mint(s.watcher, UMA_DEPOSIT)).wait();
    await (await usdc.connect(s.watcher).approve(arbiter, UMA_DEPOSIT)).wait();
    const { claimId } = await fileClaim(s, s.buyer, usd(10_000));
    await (await probe.requestRuling(await s.adj.claimKey(claimId), s.watcher)).wait();
    const umaCase = await arbiter.getUmaCase(1n);

    await (await usdc.setBlocked(s.watcher, true)).wait();
    const [request] = await dvm.queryFilter(dvm.filters.PriceRequestAdded());
    await (await dvm.pushPriceByRequestId(request!.args.requestId, 0n)).wait();
    const settle = optimisticOracle.settleAssertion(umaCase.assertionId);
    await expect(settle).to.emit(arbiter, "RefundParked").withArgs(s.watcher.address, UMA_REFUND);
    await expect(settle).to.emit(probe, "RulingReceived").withArgs(1n, false);
    expect(await arbiter.parkedOf(s.watcher)).to.equal(UMA_REFUND);

    await expect(arbiter.connect(s.watcher).withdrawParked(ethers.ZeroAddress)).to.be.revertedWithCustomError(arbiter, "ZeroAddress");
    const withdraw = arbiter.connect(s.watcher).withdrawParked(s.outsider);
    await expect(withdraw).to.emit(arbiter, "ParkedWithdrawn").withArgs(s.watcher.address, s.outsider.address, UMA_REFUND);
    await expect(withdraw).to.changeTokenBalances(ethers, usdc, [s.outsider, arbiter], [UMA_REFUND, -UMA_REFUND]);
    await expect(arbiter.connect(s.watcher).withdrawParked(s.outsider))
      .to.be.revertedWithCustomError(arbiter, "NoParkedRefund")
      .withArgs(s.watcher.address);
  });
});
