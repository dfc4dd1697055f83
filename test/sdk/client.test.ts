import { expect } from "chai";
import {
  HDNodeWallet,
  JsonRpcProvider,
  Network,
  parseUnits,
  type JsonRpcPayload,
  type JsonRpcResult,
} from "ethers";
import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";

import { deployParapet, type ParapetDeployment as Fixture } from "../../deploy/fixture.js";
import {
  DeadlineExpired,
  InsufficientCapacity,
  loadDeployment,
  ParapetClient,
  ParapetError,
  premiumUp,
  RedeemRequestNotClaimable,
  SignerRequired,
  WithdrawalExceedsUnlockedCapital,
  type ParapetDeployment,
} from "../../sdk/src/index.js";
import { ParapetLens__factory, TestStablecoin__factory, type TestStablecoin } from "../../types/ethers-contracts/index.js";
import { rpcCall, startRpcNode, type RpcNode } from "./rpcNode.js";

const DAY = 86_400n;
const usd = (amount: string | number) => parseUnits(amount.toString(), 6);
/** Hardhat's default accounts: the node and the fixture sign with these. */
const MNEMONIC = "test test test test test test test test test test test junk";

/** A JSON-RPC provider that counts HTTP round trips (one per `_send`, a batch counting once) and the calls in them. */
class CountingProvider extends JsonRpcProvider {
  roundTrips = 0;
  methods: string[] = [];

  override async _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> {
    this.roundTrips += 1;
    for (const request of Array.isArray(payload) ? payload : [payload]) this.methods.push(request.method);
    return super._send(payload);
  }

  /** Runs `action` and returns its result with the round trips and JSON-RPC methods it caused. */
  async measure<T>(action: () => Promise<T>): Promise<{ result: T; roundTrips: number; methods: string[] }> {
    const [trips, calls] = [this.roundTrips, this.methods.length];
    const result = await action();
    return { result, roundTrips: this.roundTrips - trips, methods: this.methods.slice(calls) };
  }
}

describe("ParapetClient against a JSON-RPC node process", function () {
  this.timeout(120_000);

  let node: RpcNode;
  let connection: NetworkConnection;
  let fixture: Fixture;
  let deployment: ParapetDeployment;
  let provider: CountingProvider;
  let asset: TestStablecoin;
  const wallets: HDNodeWallet[] = [];
  const roundTrips: Record<string, string> = {};
  /** A client per account index (the fixture's layout: 5–7 underwriters, 8–11 buyers, 13–15 committee, 16 watcher). */
  const clients = new Map<number, ParapetClient>();
  const clientOf = async (index: number) => {
    let client = clients.get(index);
    if (client === undefined) clients.set(index, (client = await ParapetClient.connect(wallets[index]!, deployment)));
    return client;
  };
  const mine = async (seconds: bigint) => {
    await rpcCall(node, "evm_increaseTime", [Number(seconds)]);
    await rpcCall(node, "evm_mine");
  };
  const latestTimestamp = async () => BigInt((await provider.getBlock("latest"))!.timestamp);

  const ALICE = 5;
  const BOB = 6;
  const BUYER = 8;
  const HOLDER = 9;
  const WATCHER = 16;
  const COMMITTEE = [13, 14, 15];
  const state: { singlePolicy?: bigint; splitPolicies?: bigint[]; dexPolicy?: bigint } = {};

  before(async () => {
    node = await startRpcNode();
    connection = await network.create({ network: "localhost", override: { url: node.url } });
    const startBlock = (await connection.ethers.provider.getBlockNumber()) + 1;
    fixture = await deployParapet(connection);
    const { admin } = fixture.accounts;
    const lens = await new ParapetLens__factory(admin).deploy(
      fixture.productRegistry,
      fixture.coverManager,
      fixture.claimAdjudicator,
    );
    await lens.waitForDeployment();
    deployment = loadDeployment({
      chainId: node.chainId,
      startBlock,
      addresses: {
        accessManager: await fixture.accessManager.getAddress(),
        productRegistry: await fixture.productRegistry.getAddress(),
        coverManager: await fixture.coverManager.getAddress(),
        claimAdjudicator: await fixture.claimAdjudicator.getAddress(),
        committeeArbiter: await fixture.committeeArbiter.getAddress(),
        lens: await lens.getAddress(),
        vaults: {
          conservative: await fixture.vaults.conservative.getAddress(),
          highYield: await fixture.vaults.highYield.getAddress(),
        },
        asset: await fixture.asset.getAddress(),
      },
    });

    // A dApp's setup: its own provider on the node's URL (static network: no chain-id probe per request), and
    // wallets that sign locally and send raw transactions. ethers caches identical requests for 250 ms by default,
    // which on an automining chain hands a wallet's second transaction in a row a stale nonce: disable that cache.
    provider = new CountingProvider(node.url, Network.from(node.chainId), {
      staticNetwork: true,
      cacheTimeout: -1,
      pollingInterval: 100,
    });
    const signers = await connection.ethers.getSigners();
    for (let i = 0; i < 18; i++) {
      const wallet = HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${i}`).connect(provider);
      expect(wallet.address).to.equal(signers[i]!.address);
      wallets.push(wallet);
    }
    asset = TestStablecoin__factory.connect(deployment.addresses.asset, provider);
  });

  after(async () => {
    if (Object.keys(roundTrips).length > 0) {
      console.log("\n      JSON-RPC round trips (HTTP requests; JSON-RPC calls in them):");
      for (const [label, count] of Object.entries(roundTrips)) console.log(`        ${label.padEnd(44)} ${count}`);
    }
    await connection?.close();
    await node?.stop();
  });

  it("deposits through the client (approving only when the allowance is short)", async () => {
    const alice = await clientOf(ALICE);
    // The fixture pre-approved the vaults; start from no allowance to exercise the approval.
    await (await TestStablecoin__factory.connect(deployment.addresses.asset, wallets[ALICE]!).approve(deployment.addresses.vaults.conservative!, 0n)).wait();

    const first = await alice.deposit("conservative", usd(1_000_000));
    expect(first.approval, "approval sent").to.not.equal(undefined);
    expect(first.assets).to.equal(usd(1_000_000));
    expect(first.shares).to.be.greaterThan(0n);
    const position = await alice.position("conservative", wallets[ALICE]!.address);
    expect(position.shares).to.equal(first.shares);
    expect(position.assetsAtBid).to.equal(usd(1_000_000));
    expect(position.assetAllowance).to.equal(0n);

    const bob = await clientOf(BOB);
    const second = await bob.deposit("highYield", usd(500_000));
    expect(second.approval, "fixture allowance is ample: no approval").to.equal(undefined);
    expect(second.shares).to.be.greaterThan(0n);
  });

  it("lists products and reads a vault's status in one eth_call each", async () => {
    const reader = await ParapetClient.connect(provider, deployment);
    const products = await reader.products();
    expect(products.map((p) => p.kind)).to.deep.equal(["Discretionary", "Discretionary", "Parametric"]);
    expect(products[0]!.metadataURI).to.equal("ipfs://parapet/products/lendora-v3");
    expect(products[0]!.vaults).to.deep.equal([deployment.addresses.vaults.conservative, deployment.addresses.vaults.highYield]);

    const { result: status, roundTrips: trips, methods } = await provider.measure(() =>
      reader.vault("conservative", { withYield: false }),
    );
    roundTrips["vault status (withYield: false)"] = `${trips}; ${methods.join(", ")}`;
    expect(trips).to.equal(1);
    expect(status.navBid).to.equal(usd(1_000_000));
    expect(status.products).to.have.length(3);
    const lending = status.products.find((p) => p.productId === fixture.productIds.lending)!;
    expect(lending.capacity).to.equal(usd(500_000));
    expect(lending.capacityLeft).to.equal(usd(500_000));
    expect(lending.utilizationWad).to.equal(0n);
  });

  it("quotes on chain in one round trip, cross-checked by the SDK's premiumUp", async () => {
    const buyer = await clientOf(BUYER);
    const { result: quote, roundTrips: trips, methods } = await provider.measure(() =>
      buyer.quote(fixture.productIds.lending, "conservative", usd(100_000), 30n * DAY),
    );
    roundTrips["quote"] = `${trips}; ${methods.join(", ")}`;
    expect(trips).to.equal(1);
    expect(quote.premium).to.be.greaterThan(0n);
    expect(quote.sdkPremium).to.equal(quote.premium);
    expect(quote.matchesSdk).to.equal(true);
    const [premium, fee] = await fixture.coverManager.quotePremium(
      fixture.productIds.lending,
      deployment.addresses.vaults.conservative!,
      usd(100_000),
      30n * DAY,
    );
    expect([quote.premium, quote.protocolFee]).to.deep.equal([premium, fee]);
  });

  it("buys a single policy; the SDK's quote is exactly what left the buyer", async () => {
    const buyer = await clientOf(BUYER);
    const account = wallets[BUYER]!.address;
    await (await TestStablecoin__factory.connect(deployment.addresses.asset, wallets[BUYER]!).approve(deployment.addresses.coverManager, 0n)).wait();
    const order = { productId: fixture.productIds.lending, vault: "conservative", amount: usd(100_000), period: 30n * DAY };

    // The vaults hold no cover yet, so nothing streams and the price cannot move between the quote and the purchase
    // (which lands two blocks later, after the approval).
    const quote = await buyer.quoteCover(order);
    const before = await asset.balanceOf(account);
    const bought = await buyer.buyCover({ ...order, slippageBps: 100 });
    const charged = before - (await asset.balanceOf(account));

    expect(bought.approval, "allowance was 0: approved first").to.not.equal(undefined);
    expect(bought.policyIds).to.have.length(1);
    expect(charged).to.equal(quote.total);
    expect(bought.totalCost).to.equal(quote.total);
    expect(bought.purchases[0]!.premium).to.equal(quote.premium);
    state.singlePolicy = bought.policyId;

    // Also a cover on the dex product, for the incident later.
    const dex = await buyer.buyCover({ productId: fixture.productIds.dex, vault: "conservative", amount: usd(40_000), period: 60n * DAY });
    state.dexPolicy = dex.policyId;
  });

  it("splits a large cover across vaults with the router and buys all legs in one multicall", async () => {
    const buyer = await clientOf(BUYER);
    const account = wallets[BUYER]!.address;
    // Premiums now stream into NAV, so capacity (and the price above the kink) moves every second. Pin the time of
    // the next block and price the order for that block ("pending"): the purchase lands in it.
    const order = {
      productId: fixture.productIds.lending,
      amount: usd(700_000),
      period: 30n * DAY,
      commissionBps: 100,
      commissionRecipient: wallets[12]!.address,
      blockTag: "pending",
    };
    await (await TestStablecoin__factory.connect(deployment.addresses.asset, wallets[BUYER]!).approve(deployment.addresses.coverManager, usd(1_000_000))).wait();
    await rpcCall(node, "evm_setNextBlockTimestamp", [Number((await latestTimestamp()) + 60n)]);

    const quote = await buyer.quoteCover(order);
    expect(quote.legs).to.have.length(2);
    expect(quote.legs.reduce((sum, leg) => sum + leg.amount, 0n)).to.equal(usd(700_000));
    // Each leg is priced by the SDK from the state the Lens returned, exactly as the vault prices it on chain.
    const market = await buyer.lens.market(fixture.productIds.lending, { blockTag: "pending" });
    for (const leg of quote.legs) {
      const entry = market.vaults.find((v) => v.vault === leg.vault)!;
      expect(leg.premium).to.equal(premiumUp(entry.terms, entry.capacity, entry.exposure, leg.amount, 30n * DAY));
      const onChain = await buyer.quote(fixture.productIds.lending, leg.vault, leg.amount, 30n * DAY, { blockTag: "pending" });
      expect(leg.premium).to.equal(onChain.premium);
    }

    const before = await asset.balanceOf(account);
    const measured = await provider.measure(() => buyer.buyCover(order));
    roundTrips["buyCover (2-leg split, no approval needed)"] = `${measured.roundTrips}; ${measured.methods.join(", ")}`;
    const bought = measured.result;
    const charged = before - (await asset.balanceOf(account));
    expect(bought.approval, "allowance ample: no approval").to.equal(undefined);
    expect(bought.policyIds).to.have.length(2);
    expect(new Set(bought.purchases.map((p) => p.vault)).size).to.equal(2);
    expect(bought.purchases.map((p) => p.premium)).to.deep.equal(quote.legs.map((leg) => leg.premium));
    expect(charged).to.equal(quote.total);
    expect(bought.totalCost).to.equal(quote.total);
    expect(quote.commission).to.be.greaterThan(0n);
    // One transaction: the CoverManager's multicall.
    const tx = await provider.getTransaction(bought.receipt.hash);
    expect(tx!.data.slice(0, 10)).to.equal(fixture.coverManager.interface.getFunction("multicall").selector);
    state.splitPolicies = bought.policyIds;
  });

  it("throws the contracts' typed errors, with bigint fields, never raw revert data", async () => {
    const buyer = await clientOf(BUYER);
    // Read path: the Lens' quote reverts in the vault.
    const beyond = await buyer
      .buyCover({ productId: fixture.productIds.lending, vault: "conservative", amount: usd(4_000_000), period: 30n * DAY })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(beyond).to.be.instanceOf(InsufficientCapacity);
    const capacityError = beyond as InsufficientCapacity;
    expect(capacityError.requested).to.equal(usd(4_000_000));
    expect(typeof capacityError.available).to.equal("bigint");
    const vault = await buyer.vault("conservative", { withYield: false });
    const lending = vault.products.find((p) => p.productId === fixture.productIds.lending)!;
    expect(capacityError.available).to.equal(lending.capacityLeft);

    // Router path: more than all backing vaults hold together.
    const split = await buyer
      .buyCover({ productId: fixture.productIds.lending, amount: usd(4_000_000), period: 30n * DAY })
      .catch((error: unknown) => error);
    expect(split).to.be.instanceOf(InsufficientCapacity);

    // Transaction path: gas estimation reverts in buyCover itself (deadline already past in the next block).
    const late = await buyer
      .buyCover({ productId: fixture.productIds.lending, vault: "highYield", amount: usd(1_000), period: 30n * DAY, deadlineSeconds: 0 })
      .catch((error: unknown) => error);
    expect(late).to.be.instanceOf(DeadlineExpired);
    expect(late).to.be.instanceOf(ParapetError);
    expect(typeof (late as DeadlineExpired).deadline).to.equal("bigint");
    expect((late as DeadlineExpired).timestamp).to.be.greaterThan((late as DeadlineExpired).deadline);

    // A read-only client refuses to act.
    const reader = await ParapetClient.connect(provider, deployment);
    await reader.deposit("conservative", 1n).then(
      () => expect.fail("a provider cannot sign"),
      (error: unknown) => expect(error).to.be.instanceOf(SignerRequired),
    );
  });

  it("indexes policies once, then incrementally, and follows NFT transfers", async () => {
    const reader = await ParapetClient.connect(provider, deployment);
    const buyer = wallets[BUYER]!.address;
    const holder = wallets[HOLDER]!.address;

    const first = await provider.measure(() => reader.policiesOf(buyer));
    roundTrips["policiesOf (first call, from startBlock)"] = `${first.roundTrips}; ${first.methods.join(", ")}`;
    const all = [state.singlePolicy!, state.dexPolicy!, ...state.splitPolicies!];
    expect(first.result.map((p) => p.id)).to.deep.equal([...all].sort((a, b) => Number(a - b)));
    expect(first.result.every((p) => p.status === "Waiting")).to.equal(true);
    const afterFirst = reader.indexStats;
    expect(afterFirst.scannedBlocks).to.equal(afterFirst.lastIndexedBlock - deployment.startBlock + 1);

    // Transfer the single policy: one new block.
    const buyerClient = await clientOf(BUYER);
    await (await buyerClient.coverManager.transferFrom(buyer, holder, state.singlePolicy!)).wait();

    const second = await provider.measure(() => reader.policiesOf(buyer));
    roundTrips["policiesOf (incremental, 1 new block)"] = `${second.roundTrips}; ${second.methods.join(", ")}`;
    const afterSecond = reader.indexStats;
    expect(afterSecond.scannedBlocks - afterFirst.scannedBlocks, "scans only the new block").to.equal(1);
    expect(afterSecond.logRequests - afterFirst.logRequests).to.equal(1);
    expect(second.result.map((p) => p.id)).to.not.include(state.singlePolicy);

    const held = await reader.policiesOf(holder);
    expect(held.map((p) => p.id)).to.deep.equal([state.singlePolicy]);
    expect(held[0]!.owner).to.equal(holder);
    expect(reader.indexStats.scannedBlocks, "no new block: nothing scanned").to.equal(afterSecond.scannedBlocks);
    expect(reader.indexStats.logRequests).to.equal(afterSecond.logRequests);

    const withYield = await provider.measure(() => reader.vault("conservative"));
    roundTrips["vault status (with yield, no new block)"] = `${withYield.roundTrips}; ${withYield.methods.join(", ")}`;
    const earning = withYield.result.yield!;
    expect(earning.aprWad).to.be.greaterThan(0n);
    expect(earning.aprWad).to.equal((earning.premiumPerSecondWad * 365n * DAY) / withYield.result.navBid);

    // The rebuilt earning rate is the vault's own: over 1,000 s the unearned premium runs off by rate × 1,000
    // (to the unit: the vault rounds the unearned total up).
    await mine(1_000n);
    const later = await provider.measure(() => reader.vault("conservative"));
    roundTrips["vault status (with yield, 1 new block)"] = `${later.roundTrips}; ${later.methods.join(", ")}`;
    const elapsed = later.result.timestamp - withYield.result.timestamp;
    const runOff = withYield.result.unearnedPremium - later.result.unearnedPremium;
    const expected = (earning.premiumPerSecondWad * elapsed) / 10n ** 18n;
    expect(runOff - expected).to.be.within(-1n, 1n);
    expect(later.result.yield!.premiumPerSecondWad).to.equal(earning.premiumPerSecondWad);
  });

  it("requests a redemption and redeems after the cooldown, up to the capital not locked by cover", async () => {
    const alice = await clientOf(ALICE);
    const account = wallets[ALICE]!.address;
    const { shares } = await alice.position("conservative", account);
    const requested = shares / 5n;

    const request = await alice.requestRedeem("conservative", requested);
    expect(request.shares).to.equal(requested);
    expect(request.controller).to.equal(account);
    let position = await alice.position("conservative", account);
    expect(position.pendingShares).to.equal(requested);
    expect(position.claimableShares).to.equal(0n);
    const vault = await alice.vault("conservative", { withYield: false });
    expect(position.claimableAt).to.equal(position.timestamp + vault.cooldown);

    const early = await alice.redeem("conservative", requested).catch((error: unknown) => error);
    expect(early).to.be.instanceOf(RedeemRequestNotClaimable);
    expect((early as RedeemRequestNotClaimable).claimableAt).to.equal(position.claimableAt);

    await mine(vault.cooldown);
    position = await alice.position("conservative", account);
    expect(position.claimableShares).to.equal(requested);
    // Most of the vault backs live cover: only the unlocked part may leave now.
    expect(position.maxRedeem).to.be.greaterThan(0n);
    expect(position.maxRedeem).to.be.lessThan(requested);
    const tooMuch = await alice.redeem("conservative", requested).catch((error: unknown) => error);
    expect(tooMuch).to.be.instanceOf(WithdrawalExceedsUnlockedCapital);

    const before = await asset.balanceOf(account);
    const redeemed = await alice.redeem("conservative"); // maxRedeem
    expect(redeemed.shares).to.equal(position.maxRedeem);
    expect(redeemed.assets).to.be.greaterThan(0n);
    expect(await asset.balanceOf(account)).to.equal(before + redeemed.assets);
    position = await alice.position("conservative", account);
    expect(position.shares).to.equal(shares - requested);
    expect(position.claimableShares).to.equal(requested - redeemed.shares);

    const cancelled = await alice.cancelRedeemRequest("conservative");
    expect(cancelled.shares).to.equal(requested - redeemed.shares);
    position = await alice.position("conservative", account);
    expect(position.shares).to.equal(shares - redeemed.shares);
  });

  it("files an honest claim and settles it after the liveness", async () => {
    const holder = await clientOf(HOLDER);
    const account = wallets[HOLDER]!.address;
    await (await TestStablecoin__factory.connect(deployment.addresses.asset, wallets[HOLDER]!).approve(deployment.addresses.claimAdjudicator, 0n)).wait();
    const incidentTime = (await latestTimestamp()) - 3_600n;

    const filed = await holder.fileClaim({ policyId: state.singlePolicy!, amount: usd(10_000), incidentTime, evidenceURI: "ipfs://evidence/1" });
    expect(filed.approval, "bond approved first").to.not.equal(undefined);
    expect(filed.bond).to.equal(usd(500)); // 5% of the amount, above the 100 minimum
    let claim = (await holder.claim(filed.claimId))!;
    expect(claim.state).to.equal("Pending");
    expect(claim.phase).to.equal("Disputable");
    expect(claim.deadlines.disputeUntil).to.equal(filed.expiration - 1n);
    expect(claim.deadlines.settleFrom).to.equal(filed.expiration);
    expect(claim.policyOwner).to.equal(account);

    await mine(claim.expiration - claim.timestamp);
    claim = (await holder.claim(filed.claimId))!;
    expect(claim.phase).to.equal("Settleable");

    const before = await asset.balanceOf(account);
    const settled = await (await clientOf(WATCHER)).settleClaim(filed.claimId);
    expect(settled.outcome).to.equal("Approved");
    expect(settled.payout).to.equal(usd(10_000));
    expect(settled.receiver).to.equal(account);
    expect(settled.bonds).to.deep.equal({ toFiler: usd(500), toDisputer: 0n, burned: 0n });
    expect(await asset.balanceOf(account)).to.equal(before + usd(10_000) + usd(500));
    claim = (await holder.claim(filed.claimId))!;
    expect([claim.state, claim.phase, claim.paid]).to.deep.equal(["Approved", "Settled", usd(10_000)]);
    const [policy] = await holder.policies([state.singlePolicy!]);
    expect(policy!.claimed).to.equal(usd(10_000));
  });

  it("disputes a fraudulent claim; the committee rejects it and settlement pays the disputer", async () => {
    const buyer = await clientOf(BUYER);
    const watcher = await clientOf(WATCHER);
    const incidentTime = (await latestTimestamp()) - 60n;
    const filed = await buyer.fileClaim({ policyId: state.splitPolicies![0]!, amount: usd(50_000), incidentTime, evidenceURI: "ipfs://evidence/forged" });

    const disputed = await watcher.disputeClaim(filed.claimId);
    let claim = (await watcher.claim(filed.claimId))!;
    expect(claim.state).to.equal("Disputed");
    expect(claim.phase).to.equal("AwaitingRuling");
    expect(claim.caseId).to.equal(disputed.caseId);
    expect(claim.committeeCase?.quorum).to.equal(2n);
    expect(claim.deadlines.drawAt).to.equal(claim.disputedAt + 14n * DAY);

    for (const member of COMMITTEE.slice(0, 2)) await (await clientOf(member)).castVote(disputed.caseId, false);
    const resolved = await watcher.resolveCase(disputed.caseId);
    expect(resolved.approved).to.equal(false);
    claim = (await watcher.claim(filed.claimId))!;
    expect([claim.ruling, claim.phase]).to.deep.equal(["Reject", "Settleable"]);

    const settled = await watcher.settleClaim(filed.claimId);
    expect(settled.outcome).to.equal("Rejected");
    expect(settled.payout).to.equal(0n);
    expect(settled.bonds!.toDisputer).to.equal(2n * filed.bond - settled.bonds!.burned);
  });

  it("reports an incident, confirms it, and pays an eligible policy", async () => {
    const watcher = await clientOf(WATCHER);
    const incidentTime = (await latestTimestamp()) - 60n;
    const reported = await watcher.reportIncident({
      productId: fixture.productIds.dex,
      incidentTime,
      payoutWad: parseUnits("0.5", 18),
      evidenceURI: "ipfs://incident/dex",
    });
    let incident = (await watcher.incident(reported.incidentId))!;
    expect([incident.state, incident.phase]).to.deep.equal(["Pending", "Disputable"]);
    await mine(incident.expiration - incident.timestamp);
    const settled = await watcher.settleIncident(reported.incidentId);
    expect(settled.outcome).to.equal("Approved");
    incident = (await watcher.incident(reported.incidentId))!;
    expect(incident.claimWindowEnd).to.equal(incident.confirmedAt + 30n * DAY);
    expect(incident.reserves).to.have.length(2);

    const paid = await watcher.claimIncidentPayout(state.dexPolicy!, reported.incidentId);
    expect(paid.payout).to.equal(usd(20_000));
    expect(paid.receiver).to.equal(wallets[BUYER]!.address);
  });
});
