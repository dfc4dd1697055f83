/**
 * The client's guarantees around sending (issue 14), on the in-process chain: nothing is signed for cover that
 * cannot be bought or an action the balance cannot pay; one approval per need; the hash before the receipt; the
 * calldata builders encode what the client sends; amounts as bigint or decimal strings only; a deployment whose
 * contracts are not on the node is refused at connect.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";

import {
  CoverUnavailable,
  DeploymentNotFound,
  encodeBuyCover,
  encodeDeposit,
  encodeFileClaim,
  buyCoverParamsOf,
  EnforcedPause,
  ERC20InvalidReceiver,
  InsufficientFunds,
  InvalidReceiver,
  NothingParked,
  NoProtocolFees,
  ZeroAmount,
  InvalidAmount,
  loadDeployment,
  ParapetClient,
  parseAmount,
  INTERFACES,
  type SentTransaction,
} from "../../sdk/src/index.js";
import { ZeroAddress } from "ethers";

import { connection, DAY, deposit, ethers, loadParapet, networkHelpers, time, usd } from "../mocha/helpers.js";
import { sdkDeployment } from "./sdkDeployment.js";

async function thrown(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

async function setup() {
  const d = await loadParapet();
  const deployment = await sdkDeployment(d);
  const [underwriter, underwriter2] = d.accounts.underwriters;
  await deposit(d.vaults.conservative, underwriter!, usd(400_000));
  await deposit(d.vaults.highYield, underwriter2!, usd(400_000));
  const clientOf = (signer: HardhatEthersSigner, options = {}) => ParapetClient.connect(signer, deployment, options);
  return { d, deployment, clientOf, buyer: d.accounts.buyers[0]!, outsider: d.accounts.outsider };
}

const nonce = (signer: HardhatEthersSigner) => ethers.provider.getTransactionCount(signer.address);

describe("ParapetClient: checks before sending, approvals, hashes, calldata, amounts", () => {
  it("connect refuses a node where the deployment's contracts are not (DeploymentNotFound naming them)", async () => {
    const { d, deployment } = await setup();
    const moved = loadDeployment({ ...deployment, addresses: { ...deployment.addresses, lens: d.accounts.outsider.address } });
    const error = await thrown(ParapetClient.connect(ethers.provider, moved));
    expect(error).to.be.instanceOf(DeploymentNotFound);
    expect((error as DeploymentNotFound).missing).to.deep.equal([{ name: "lens", address: d.accounts.outsider.address }]);
    expect(await ParapetClient.connect(ethers.provider, moved, { skipCodeCheck: true })).to.be.instanceOf(ParapetClient);
  });

  it("amounts: bigint base units or decimal strings in asset units; numbers and bad strings are refused, nothing sent", async () => {
    const { d, clientOf, buyer } = await setup();
    expect(parseAmount("250000", 6)).to.equal(usd(250_000));
    expect(parseAmount("0.5", 6)).to.equal(500_000n);
    expect(parseAmount(" 1_000.25 ", 6)).to.equal(1_000_250_000n);
    const client = await clientOf(buyer);
    const before = await nonce(buyer);
    for (const [amount, problem] of [
      [1000, "must be a bigint"],
      ["1e6", "is not a decimal number"],
      ["1.0000001", "more than the asset's 6 decimals"],
      ["-5", "is not a decimal number"],
      [0n, "greater than 0"],
    ] as const) {
      const error = await thrown(client.buyCover({ productId: d.productIds.lending, amount: amount as never, period: 30n * DAY }));
      expect(error, String(amount)).to.be.instanceOf(InvalidAmount);
      expect((error as InvalidAmount).value).to.equal(amount);
      expect((error as InvalidAmount).message).to.contain(problem);
    }
    expect(await nonce(buyer)).to.equal(before);
    // A decimal string buys exactly that many units.
    const bought = await client.buyCover({ productId: d.productIds.lending, amount: "1000.5", period: 30n * DAY });
    expect(bought.purchases.reduce((sum, p) => sum + p.amount, 0n)).to.equal(usd("1000.5"));
  });

  it("quotes only cover buyCover would sell: period, per-policy cap, inactive, incident pending, fired trigger", async () => {
    const { d, clientOf, buyer } = await setup();
    const client = await clientOf(buyer);
    const lending = d.productIds.lending;
    const reason = async (order: Parameters<ParapetClient["quoteCover"]>[0]) => {
      const error = await thrown(client.quoteCover(order));
      expect(error).to.be.instanceOf(CoverUnavailable);
      return error as CoverUnavailable;
    };
    const short = await reason({ productId: lending, amount: "1000", period: DAY });
    expect(short.reason).to.equal("PeriodOutOfRange");
    expect(short.details).to.deep.equal({ period: DAY, minPeriod: 7n * DAY, maxPeriod: 365n * DAY });
    expect((await reason({ productId: lending, amount: "1000", period: DAY, vault: "conservative" })).reason).to.equal("PeriodOutOfRange");
    const cap = await reason({ productId: lending, vault: "highYield", amount: "5000001", period: 30n * DAY });
    expect(cap.reason).to.equal("AmountAboveMaxCoverPerPolicy");
    expect(cap.details).to.deep.equal({ amount: usd(5_000_001), maxCoverPerPolicy: usd(5_000_000) });

    await (await d.productRegistry.connect(d.accounts.riskManager).setProductActive(d.productIds.dex, false)).wait();
    expect((await reason({ productId: d.productIds.dex, amount: "1000", period: 30n * DAY })).reason).to.equal("ProductInactive");

    await (await d.asset.mint(buyer.address, usd(10_000))).wait();
    const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
    await (await d.claimAdjudicator.connect(buyer).reportIncident(lending, now - 60n, 10n ** 17n, "ipfs://x")).wait();
    const pending = await reason({ productId: lending, amount: "1000", period: 30n * DAY });
    expect(pending.reason).to.equal("IncidentPending");
    expect(pending.details).to.deep.equal({ openIncidents: 1n });

    await (await d.priceFeed.updateAnswer(90_000_000n)).wait();
    await (await d.priceFeedTrigger.fire()).wait();
    // The trigger is one-shot: firing disarmed it, and the product sells nothing until a new one is armed.
    expect((await reason({ productId: d.productIds.depeg, amount: "1000", period: 30n * DAY })).reason).to.equal("TriggerNotArmed");
  });

  it("checks the balance before any approval: a short buyer signs nothing (InsufficientFunds with the figures)", async () => {
    const { d, clientOf, outsider } = await setup();
    await (await d.asset.mint(outsider.address, usd(10))).wait();
    const client = await clientOf(outsider);
    const before = await nonce(outsider);
    const error = await thrown(client.buyCover({ productId: d.productIds.lending, amount: "100000", period: 90n * DAY }));
    expect(error).to.be.instanceOf(InsufficientFunds);
    expect(error).to.include({ account: outsider.address, balance: usd(10), token: await d.asset.getAddress() });
    expect((error as InsufficientFunds).required).to.be.greaterThan(usd(10));
    expect(await nonce(outsider)).to.equal(before);
    expect(await d.asset.allowance(outsider.address, d.coverManager)).to.equal(0n);
  });

  it("approves exactly once, for exactly what is missing; a paused vault is refused before the approval", async () => {
    const { d, clientOf, outsider } = await setup();
    await (await d.asset.mint(outsider.address, usd(5_000))).wait();
    const sent: SentTransaction[] = [];
    const client = await clientOf(outsider, { onSent: (tx: SentTransaction) => sent.push(tx) });
    await (await d.vaults.conservative.connect(d.accounts.guardian).pause()).wait();
    const before = await nonce(outsider);
    expect(await thrown(client.deposit("conservative", "1000"))).to.be.instanceOf(EnforcedPause);
    expect(await nonce(outsider)).to.equal(before);
    expect(await d.asset.allowance(outsider.address, d.vaults.conservative)).to.equal(0n);

    const result = await client.deposit("highYield", "1000");
    expect(sent.map((tx) => tx.action)).to.deep.equal(["approve", "deposit"]);
    expect(result.approval?.hash).to.equal(sent[0]!.hash);
    expect(result.receipt.hash).to.equal(sent[1]!.hash);
    // Exactly the deposit was approved, and all of it was used.
    expect(await d.asset.allowance(outsider.address, d.vaults.highYield)).to.equal(0n);
    expect(result.assets).to.equal(usd(1_000));
  });

  it("reports each hash as soon as the node has it, before it is mined, with a way to wait", async () => {
    const { d, clientOf, buyer } = await setup();
    const client = await clientOf(buyer);
    await networkHelpers.mine(); // settle
    await connection.provider.request({ method: "evm_setAutomine", params: [false] });
    try {
      let sent: SentTransaction | undefined;
      const buying = client.buyCover(
        { productId: d.productIds.lending, vault: "conservative", amount: "5000", period: 30n * DAY },
        { onSent: (tx) => (sent = tx) },
      );
      while (sent === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(sent.hash).to.match(/^0x[0-9a-f]{64}$/);
      expect(await ethers.provider.getTransactionReceipt(sent.hash), "not mined yet").to.equal(null);
      await networkHelpers.mine();
      const receipt = await sent.wait();
      expect(receipt.hash).to.equal(sent.hash);
      expect((await buying).receipt.hash).to.equal(sent.hash);
    } finally {
      await connection.provider.request({ method: "evm_setAutomine", params: [true] });
    }
  });

  it("calldata builders encode exactly what the client sends (for a Safe or a smart account)", async () => {
    const { d, deployment, clientOf, buyer } = await setup();
    const client = await clientOf(buyer);
    const quote = await client.quoteCover({ productId: d.productIds.lending, amount: "300000", period: 30n * DAY });
    expect(quote.legs.length).to.equal(2);
    const deadline = quote.timestamp + 1_200n;
    const params = buyCoverParamsOf(quote, { receiver: buyer.address, deadline, slippageBps: 50n });
    const call = encodeBuyCover(deployment, params);
    expect(call.to).to.equal(deployment.addresses.coverManager);
    expect(call.value).to.equal(0n);
    const [inner] = INTERFACES.coverManager.decodeFunctionData("multicall", call.data) as unknown as [string[]];
    expect(inner.map((data) => INTERFACES.coverManager.decodeFunctionData("buyCover", data)[0].amount)).to.deep.equal(quote.legs.map((leg) => leg.amount));
    // Sent as is from the buyer (any wallet could), it buys the quoted legs.
    const receipt = await (await buyer.sendTransaction(call)).wait();
    const bought = receipt!.logs
      .filter((log) => log.address === deployment.addresses.coverManager)
      .map((log) => INTERFACES.coverManager.parseLog(log))
      .filter((log) => log?.name === "CoverBought");
    expect(bought.map((log) => log!.args.amount as bigint)).to.deep.equal(quote.legs.map((leg) => leg.amount));

    const single = encodeBuyCover(deployment, params[0]!);
    expect(INTERFACES.coverManager.parseTransaction({ data: single.data })!.name).to.equal("buyCover");
    const dep = encodeDeposit(deployment.addresses.vaults.conservative!, usd(1), buyer.address);
    expect(INTERFACES.vault.decodeFunctionData("deposit(uint256,address)", dep.data).toArray()).to.deep.equal([usd(1), buyer.address]);
    const claim = encodeFileClaim(deployment, { policyId: 1n, amount: usd(5), incidentTime: 7n, evidenceURI: "ipfs://e" });
    expect(claim.to).to.equal(deployment.addresses.claimAdjudicator);
    expect(INTERFACES.adjudicator.decodeFunctionData("fileClaim", claim.data).toArray()).to.deep.equal([1n, usd(5), 7n, "ipfs://e"]);
  });

  it("an action that fails after its approval sets the allowance back: a failed deposit or purchase leaves none behind", async () => {
    const { d, clientOf, outsider } = await setup();
    await (await d.asset.mint(outsider.address, usd(50_000))).wait();
    const sent: SentTransaction[] = [];
    const client = await clientOf(outsider, { onSent: (tx: SentTransaction) => sent.push(tx) });
    // The balance check passes, so the client approves; then the deposit itself reverts (a zero receiver).
    const failed = await thrown(client.deposit("highYield", "1000", ZeroAddress));
    expect(failed).to.be.instanceOf(ERC20InvalidReceiver);
    expect(sent.map((tx) => tx.action)).to.deep.equal(["approve", "approve (reset)"]);
    expect(await d.asset.allowance(outsider.address, d.vaults.highYield)).to.equal(0n);

    // A purchase: an allowance the buyer had given before is restored to that value, not to zero.
    await (await d.asset.connect(outsider).approve(d.coverManager, usd(3))).wait();
    sent.length = 0;
    const refused = await thrown(
      client.buyCover({ productId: d.productIds.lending, vault: "conservative", amount: "10000", period: 30n * DAY, receiver: ZeroAddress }),
    );
    expect(refused).to.be.instanceOf(InvalidReceiver);
    expect(sent.map((tx) => tx.action)).to.deep.equal(["approve", "approve (reset)"]);
    expect(await d.asset.allowance(outsider.address, d.coverManager)).to.equal(usd(3));
    expect(await d.asset.balanceOf(outsider.address)).to.equal(usd(50_000));
  });

  it("fires a trigger; an incident payout past the circuit breaker reports what queued, and processOutflowQueue pays it", async () => {
    const { d, clientOf, buyer } = await setup();
    const client = await clientOf(buyer);
    const { policyId } = await client.buyCover({ productId: d.productIds.depeg, vault: "highYield", amount: "150000", period: 30n * DAY });
    await time.increase(2n * DAY); // past the product's one-day coverage lag
    await (await d.priceFeed.updateAnswer(90_000_000n)).wait();
    const fired = await client.fireTrigger(d.productIds.depeg);
    expect(fired.incidentId).to.equal(await d.priceFeedTrigger.incidentId());
    expect(fired.answer).to.equal(90_000_000n);
    // Reserved at confirmation, in each backing vault: the whole payout its policies may claim (payoutWad 100%).
    expect(fired.reserves).to.deep.equal([
      { vault: await d.vaults.conservative.getAddress(), needed: 0n, reserved: 0n },
      { vault: await d.vaults.highYield.getAddress(), needed: usd(150_000), reserved: usd(150_000) },
    ]);

    const before = await d.asset.balanceOf(buyer.address);
    const paid = await client.claimIncidentPayout(policyId, fired.incidentId);
    expect(paid.payout).to.equal(usd(150_000));
    // A quarter of the vault's NAV may leave per day: about 100,000 of the 150,000 arrives, the rest queues.
    expect(paid.delivery.queued).to.be.within(usd(45_000), usd(55_000));
    expect(paid.delivery.queueEntries).to.have.length(1);
    expect((await d.asset.balanceOf(buyer.address)) - before).to.equal(paid.payout - paid.delivery.queued);

    const early = await client.processOutflowQueue("highYield");
    // The window is used up: only what the premium earned since (a few base units) may leave.
    expect(early.paid).to.be.lessThan(usd(1));
    await time.increase(DAY + 8n * 3_600n);
    const later = await client.processOutflowQueue("highYield");
    const owed = paid.delivery.queued - early.paid;
    expect(later.payments).to.deep.equal([{ queueId: paid.delivery.queueEntries[0]!.queueId, receiver: buyer.address, amount: owed, remaining: 0n }]);
    expect((await d.asset.balanceOf(buyer.address)) - before).to.equal(usd(150_000));
  });

  it("sweeps a vault's protocol fees to the treasury, whoever signs; with none left, NoProtocolFees(held, booked)", async () => {
    const { d, clientOf, buyer } = await setup();
    const client = await clientOf(buyer);
    const bought = await client.buyCover({ productId: d.productIds.lending, vault: "highYield", amount: "20000", period: 30n * DAY });
    const fee = bought.purchases[0]!.protocolFee;
    expect(fee).to.be.greaterThan(0n);
    const treasuryBefore = await d.asset.balanceOf(d.treasury.address);
    const swept = await client.sweepProtocolFees("highYield");
    expect({ amount: swept.amount, treasury: swept.treasury }).to.deep.equal({ amount: fee, treasury: d.treasury.address });
    expect((await d.asset.balanceOf(d.treasury.address)) - treasuryBefore).to.equal(fee);
    const held = await d.asset.balanceOf(d.vaults.highYield);
    const none = await thrown(client.sweepProtocolFees("highYield"));
    expect(none).to.be.instanceOf(NoProtocolFees);
    expect(none).to.include({ held, booked: held });
  });

  it("withdrawing parked payments with nothing parked is refused with the typed error, nothing moves", async () => {
    const { d, clientOf, buyer } = await setup();
    const client = await clientOf(buyer);
    expect(await thrown(client.withdrawParkedPayout("conservative", buyer.address))).to.be.instanceOf(ZeroAmount);
    const none = await thrown(client.withdrawParked(await d.asset.getAddress(), buyer.address));
    expect(none).to.be.instanceOf(NothingParked);
    expect(none).to.include({ token: (await d.asset.getAddress()).toLowerCase(), account: buyer.address.toLowerCase() });
    const noSalePayment = await thrown(client.withdrawParkedSalePayments(await d.asset.getAddress(), buyer.address));
    expect(noSalePayment).to.be.instanceOf(NothingParked);
    expect(noSalePayment).to.include({
      token: (await d.asset.getAddress()).toLowerCase(),
      account: buyer.address.toLowerCase(),
    });
  });
});
