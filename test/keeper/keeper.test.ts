/**
 * The keeper end to end: `npm run chain` and `npm run keeper` as separate processes, talking JSON-RPC over HTTP.
 * Everything is asserted from chain state and the keeper's SQLite database; chain time moves with
 * `evm_increaseTime`/`evm_mine`, and nothing but the keeper settles, reports or pays.
 */
import { expect } from "chai";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { Contract, encodeBytes32String, Wallet } from "ethers";

import { KeeperStore } from "../../keeper/store.js";
import { INTERFACES, loadDeployment, ParapetClient, type ParapetDeployment } from "../../sdk/src/index.js";
import { accountKey, startChain, startKeeperProcess, type Chain, type KeeperProcess } from "./processes.js";

const DAY = 86_400;
const UNIT = 10n ** 6n;
const WATCHER = 16; // the fixture's funded watcher, approved on the adjudicator: the keeper's signer
const ERC20 = ["function balanceOf(address) view returns (uint256)"];
const UMA_ORACLE = [
  "function finder() view returns (address)",
  "function defaultIdentifier() view returns (bytes32)",
  "function stampAssertion(bytes32 assertionId) view returns (bytes)",
];
const UMA_FINDER = ["function getImplementationAddress(bytes32 interfaceName) view returns (address)"];
const UMA_MOCK_DVM = ["function pushPrice(bytes32 identifier, uint256 time, bytes ancillaryData, int256 price)"];
/** The keeper must report an exploit within this many blocks of it (it reports in the next block). */
const REPORT_BOUND_BLOCKS = 3;

describe("keeper (a node and the keeper as separate processes)", function () {
  this.timeout(240_000);

  let chain: Chain;
  let deployment: ParapetDeployment;
  let deploymentJson: any;
  let keeper: KeeperProcess;
  let dbFile: string;
  let configFile: string;
  const keeperAddress = new Wallet(accountKey(WATCHER)).address;
  const clients = new Map<number, ParapetClient>();

  const client = async (index: number) => {
    if (!clients.has(index)) clients.set(index, await ParapetClient.connect(new Wallet(accountKey(index), chain.provider), deployment));
    return clients.get(index)!;
  };
  const latest = async () => (await chain.provider.getBlock("latest"))!;
  const advance = async (seconds: number) => {
    await chain.rpc("evm_increaseTime", [seconds]);
    await chain.rpc("evm_mine");
  };
  const runKeeper = () => startKeeperProcess({ rpcUrl: chain.url, deploymentFile: chain.deploymentFile, configFile, db: dbFile, key: accountKey(WATCHER), metricsPort: 0 });
  const withStore = <T>(read: (store: KeeperStore) => T): T => {
    const store = new KeeperStore(dbFile);
    try {
      return read(store);
    } finally {
      store.close();
    }
  };
  /** Waits until the keeper has processed the node's head. */
  const caughtUp = async (timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const head = await chain.provider.getBlockNumber();
      if (withStore((store) => store.cursor()?.number) === head) return head;
      if (Date.now() > deadline) throw new Error(`the keeper did not reach block ${head}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  before(async function () {
    chain = await startChain();
    deploymentJson = JSON.parse(readFileSync(chain.deploymentFile, "utf8"));
    deployment = loadDeployment(deploymentJson);
    dbFile = path.join(chain.dir, "keeper.sqlite");
    configFile = path.join(chain.dir, "keeper.json");
    const example = JSON.parse(readFileSync(new URL("../../keeper/keeper.config.example.json", import.meta.url), "utf8"));
    writeFileSync(configFile, JSON.stringify({ ...example, pollIntervalMs: 200, metricsPort: undefined, minProtocolFeeSweep: "20" }));
    keeper = runKeeper();
    await keeper.waitFor((line) => line.msg === "keeper started", 60_000);
  });

  after(async () => {
    await keeper?.stop();
    await chain?.stop();
  });

  it("an exploit of the covered lending pool is reported within 3 blocks, then confirmed and paid with no human action", async () => {
    const buyer = await client(8);
    const { policyId } = await buyer.buyCover({ productId: 1n, vault: "conservative", amount: "20000", period: 30 * DAY });
    await advance(DAY + 60); // past the coverage lag
    const pool = new Contract(deploymentJson.coveredProtocols["lendora-v3"].pool, ["function migrate(address)", "function pause()"], new Wallet(accountKey(12), chain.provider));
    const token = new Contract(deployment.addresses.asset, ERC20, chain.provider);
    const poolBefore = (await token.balanceOf(await pool.getAddress())) as bigint;
    expect(poolBefore).to.equal(500_000n * UNIT);

    // The exploit: anyone can call the pool's unguarded migrate and take every deposit.
    const exploit = (await (await pool.migrate(new Wallet(accountKey(12)).address)).wait())!;
    const exploitBlock = (await chain.provider.getBlock(exploit.blockNumber))!;

    const reported = await keeper.waitFor((line) => line.msg === "incident reported", 30_000);
    const incidentId = BigInt(reported.incidentId);
    const incident = (await buyer.incident(incidentId))!;
    const reportTx = keeper.lines.find((line) => line.msg === "action done" && line.kind === "reportIncident")!;
    const reportBlock = (await chain.provider.getBlock(reportTx.block))!;
    expect(reportBlock.number - exploitBlock.number).to.be.within(1, REPORT_BOUND_BLOCKS);
    expect(incident.state).to.equal("Pending");
    expect(incident.reporter).to.equal(keeperAddress);
    expect(incident.incidentTime).to.equal(BigInt(exploitBlock.timestamp));
    // The evidence names the exploit's transaction and the balances before and after.
    const receipt = (await chain.provider.getTransactionReceipt(reportTx.hash))!;
    const reportedEvent = receipt.logs.map((log) => INTERFACES.adjudicator.parseLog(log)).find((parsed) => parsed?.name === "IncidentReported")!;
    const evidenceURI = reportedEvent.args.evidenceURI as string;
    const evidence = JSON.parse(decodeURIComponent(evidenceURI.slice("data:application/json,".length)));
    expect(evidence.transactions).to.deep.equal([exploit.hash]);
    expect(evidence.details.totalBefore).to.equal(String(poolBefore));
    expect(evidence.details.totalAfter).to.equal("0");
    expect(evidence.incidentBlock).to.equal(exploitBlock.number);
    const alert = withStore((store) => store.alert("lendora-pool-balance"))!;
    expect(alert.status).to.equal("reported");
    expect(alert.incidentId).to.equal(incidentId);

    // The pool's admin pauses it: that monitor only alerts, and the product is not reported twice.
    const admin = new Contract(await pool.getAddress(), ["function pause()"], new Wallet(accountKey(0), chain.provider));
    await (await admin.pause()).wait();
    await keeper.waitFor((line) => line.msg === "monitor fired" && line.monitor === "lendora-pool-paused");
    expect(withStore((store) => store.alert("lendora-pool-paused"))!.status).to.equal("alerted");

    // Nobody disputes: after the liveness the keeper settles the report and pays the policy's owner.
    const ownerBefore = (await token.balanceOf(await (await client(8)).signer!.getAddress())) as bigint;
    await advance(3 * DAY + 1);
    const paid = await keeper.waitFor((line) => line.msg === "action done" && line.kind === "claimIncidentPayout", 30_000);
    expect(keeper.lines.some((line) => line.msg === "action done" && line.kind === "settleIncident")).to.equal(true);
    const payoutBlock = (await chain.provider.getBlock(paid.block))!;
    expect((await buyer.incident(incidentId))!.state).to.equal("Approved");
    expect(await buyer.claimAdjudicator.incidentPaid(incidentId, policyId)).to.equal(true);
    expect((await token.balanceOf(await buyer.signer!.getAddress())) - ownerBefore).to.equal(20_000n * UNIT);

    const timing = {
      exploitToReport: { blocks: reportBlock.number - exploitBlock.number, seconds: reportBlock.timestamp - exploitBlock.timestamp },
      exploitToPayout: { blocks: payoutBlock.number - exploitBlock.number, seconds: payoutBlock.timestamp - exploitBlock.timestamp },
    };
    console.log(`      measured: ${JSON.stringify(timing)}`);
  });

  it("a ripe claim is settled, and its payout queued past the circuit breaker is paid by the keeper's processOutflowQueue", async () => {
    const buyer = await client(9);
    const owner = await buyer.signer!.getAddress();
    const { policyId } = await buyer.buyCover({ productId: 2n, vault: "highYield", amount: "150000", period: 30 * DAY });
    await advance(DAY + 60);
    const { claimId } = await buyer.fileClaim({ policyId, amount: "150000", incidentTime: (await latest()).timestamp - 10, evidenceURI: "ipfs://exploit" });
    const token = new Contract(deployment.addresses.asset, ERC20, chain.provider);
    const before = (await token.balanceOf(owner)) as bigint;

    await advance(3 * DAY + 1); // the liveness ends undisputed
    await keeper.waitFor((line) => line.msg === "action done" && line.key === `settleClaim:${claimId}`);
    const claim = (await buyer.claim(claimId))!;
    expect(claim.state).to.equal("Approved");
    const vault = await buyer.vault("highYield", { withYield: false });
    // 25% of the vault's NAV left at once; the rest of the 150,000 waits in the queue.
    expect(vault.outflows.queuedAssets).to.be.greaterThan(0n);
    const paidAtOnce = ((await token.balanceOf(owner)) as bigint) - before - claim.bond; // the filer's bond came back too
    expect(paidAtOnce + vault.outflows.queuedAssets).to.equal(150_000n * UNIT);

    await advance(33 * 3_600); // the breaker's window rolls over
    await keeper.waitFor((line) => line.msg === "action done" && line.kind === "processOutflowQueue");
    expect((await buyer.vault("highYield", { withYield: false })).outflows.queuedAssets).to.equal(0n);
    expect(((await token.balanceOf(owner)) as bigint) - before - claim.bond).to.equal(150_000n * UNIT);
  });

  it("kill -9 while its settlement is unmined, then a restart: the same transaction is confirmed, none repeated", async () => {
    const buyer = await client(10);
    const { policyId } = await buyer.buyCover({ productId: 2n, vault: "conservative", amount: "10000", period: 30 * DAY });
    await advance(DAY + 60);
    const { claimId } = await buyer.fileClaim({ policyId, amount: "10000", incidentTime: (await latest()).timestamp - 10, evidenceURI: "ipfs://claim" });
    await caughtUp();
    const key = `settleClaim:${claimId}`;

    // Blocks only when the test mines them: the keeper's settlement stays in the mempool while it is killed.
    await chain.rpc("evm_setAutomine", [false]);
    try {
      await chain.rpc("evm_increaseTime", [3 * DAY + 1]);
      await chain.rpc("evm_mine");
      const sent = await keeper.waitFor((line) => line.msg === "transaction sent" && line.key === key);
      process.kill(keeper.child.pid!, "SIGKILL");
      await keeper.exited;
      const journal = withStore((store) => store.actionsFor(key));
      expect(journal.map((row) => [row.hash, row.status])).to.deep.equal([[sent.hash, "sent"]]);

      keeper = runKeeper();
      await keeper.waitFor((line) => line.msg === "keeper started", 60_000);
      await new Promise((resolve) => setTimeout(resolve, 1_500)); // a few passes over the same head
      const pending = await chain.rpc("eth_getTransactionCount", [keeperAddress, "pending"]);
      const mined = await chain.rpc("eth_getTransactionCount", [keeperAddress, "latest"]);
      // The settlement was not signed again; whatever else waits in the mempool is another action, journaled.
      expect(withStore((store) => store.actionsFor(key)).map((row) => row.hash)).to.deep.equal([sent.hash]);
      const waiting = withStore((store) => store.unconfirmedActions());
      expect(Number(pending) - Number(mined)).to.equal(waiting.length);
      expect(new Set(waiting.map((row) => row.key)).size).to.equal(waiting.length);
      await chain.rpc("evm_mine");
    } finally {
      await chain.rpc("evm_setAutomine", [true]);
    }
    await keeper.waitFor((line) => line.msg === "transaction confirmed" && line.key === key);
    expect((await buyer.claim(claimId))!.state).to.equal("Approved");
    const journal = withStore((store) => store.actionsFor(key));
    expect(journal.map((row) => row.status)).to.deep.equal(["mined"]);
    // Every transaction the keeper's signer ever sent is in the journal once: nothing repeated, nothing untracked.
    const all = withStore((store) => store.allActions());
    expect(new Set(all.map((row) => row.nonce)).size).to.equal(all.length);
    // Nonces from the keeper's first transaction on (the fixture used the account before): each once, no gap.
    const nonces = all.map((row) => row.nonce);
    expect(nonces).to.deep.equal(nonces.map((_, i) => nonces[0]! + i));
    expect(await chain.provider.getTransactionCount(keeperAddress, "latest")).to.equal(nonces[0]! + nonces.length);
    const repeatable = new Set(["processOutflowQueue", "sweepProtocolFees"]);
    const actionKeys = all.filter((row) => !repeatable.has(row.kind)).map((row) => row.key);
    expect(new Set(actionKeys).size).to.equal(actionKeys.length);
  });

  it("kill -9 while blocks arrive, then a restart: every block processed exactly once, none missed", async () => {
    for (let i = 0; i < 12; i++) await chain.rpc("evm_mine");
    process.kill(keeper.child.pid!, "SIGKILL");
    await keeper.exited;
    for (let i = 0; i < 12; i++) await chain.rpc("evm_mine");
    keeper = runKeeper();
    const head = await caughtUp(60_000);
    const numbers = withStore((store) => store.blockNumbers(deployment.startBlock));
    expect(numbers[0]).to.equal(deployment.startBlock);
    expect(numbers.at(-1)).to.equal(head);
    expect(numbers.length).to.equal(head - deployment.startBlock + 1); // contiguous: a primary key per block
  });

  it("a chain reorganisation of a few blocks: rewinds to the common block and follows the new branch", async () => {
    await caughtUp();
    const snapshot = await chain.rpc("evm_snapshot");
    for (let i = 0; i < 3; i++) await chain.rpc("evm_mine");
    const orphanHead = await caughtUp();
    const orphaned = withStore((store) => store.blockHash(orphanHead));
    await chain.rpc("evm_revert", [snapshot]);
    await chain.rpc("evm_increaseTime", [7]); // the new branch differs: other timestamps, other hashes
    for (let i = 0; i < 5; i++) await chain.rpc("evm_mine");
    const reorg = await keeper.waitFor((line) => line.msg === "chain reorganisation: rewinding");
    expect(reorg.depth).to.be.within(1, 4);
    const head = await caughtUp();
    expect(withStore((store) => store.blockHash(orphanHead))).to.not.equal(orphaned);
    for (let number = head - 8; number <= head; number++) {
      expect(withStore((store) => store.blockHash(number))).to.equal((await chain.provider.getBlock(number))!.hash);
    }
  });

  it("a claim before UMA's DVM: once the vote is in, the keeper pushes it to the adjudicator, then settles it", async () => {
    const riskManager = await client(2);
    await (await riskManager.claimAdjudicator.setProductArbiter(2n, deploymentJson.addresses.umaArbiter as string)).wait();
    const buyer = await client(11);
    const { policyId } = await buyer.buyCover({ productId: 2n, vault: "conservative", amount: "20000", period: 30 * DAY });
    await advance(DAY + 60);
    const { claimId } = await buyer.fileClaim({ policyId, amount: "20000", incidentTime: (await latest()).timestamp - 10, evidenceURI: "ipfs://not-a-loss" });
    await (await client(8)).disputeClaim(claimId);
    const umaCase = (await buyer.claim(claimId))!.umaCase!;
    expect(umaCase.dvmStatus).to.equal("AwaitingVote");

    // The local DVM (UMA's MockOracleAncillary) votes the claim down.
    const oracle = new Contract(umaCase.optimisticOracle, UMA_ORACLE, chain.provider);
    const finder = new Contract((await oracle.finder()) as string, UMA_FINDER, chain.provider);
    const dvmAddress = (await finder.getImplementationAddress(encodeBytes32String("Oracle"))) as string;
    const dvm = new Contract(dvmAddress, UMA_MOCK_DVM, buyer.signer);
    const stamp = (await oracle.stampAssertion(umaCase.assertionId)) as string;
    await ((await dvm.pushPrice(await oracle.defaultIdentifier(), umaCase.escalatedAt, stamp, 0n)) as { wait(): Promise<unknown> }).wait();

    await keeper.waitFor((line) => line.msg === "action done" && line.key === `pushClaim:${claimId}`);
    await keeper.waitFor((line) => line.msg === "action done" && line.key === `settleClaim:${claimId}`);
    const settled = (await buyer.claim(claimId))!;
    expect(settled.state).to.equal("Rejected");
    expect(settled.umaCase!.dvmStatus).to.equal("Delivered");
  });

  it("sweeps a vault's protocol fees to the treasury once they reach minProtocolFeeSweep (20 tUSD here)", async () => {
    const buyer = await client(11);
    const vaultAddress = deployment.addresses.vaults.conservative!;
    const vault = buyer.vaultContract(vaultAddress);
    const token = new Contract(deployment.addresses.asset, ERC20, chain.provider);
    const treasury = (await new Contract(deployment.addresses.coverManager, ["function treasury() view returns (address)"], chain.provider).getFunction("treasury").staticCall()) as string;
    await caughtUp();
    // Below the threshold the fees wait: each sale's fee is a fraction of its premium.
    const heldBefore = await vault.protocolFeesHeld();
    expect(heldBefore).to.be.lessThan(20n * UNIT);
    const treasuryBefore = (await token.balanceOf(treasury)) as bigint;

    const bought = await buyer.buyCover({ productId: 2n, vault: "conservative", amount: "50000", period: 90 * DAY });
    const fee = bought.purchases[0]!.protocolFee;
    expect(heldBefore + fee).to.be.at.least(20n * UNIT);
    const sweptAt = bought.receipt.blockNumber;
    await keeper.waitFor((line) => line.msg === "action done" && line.key === `sweepProtocolFees:${vaultAddress}` && Number(line.block) > sweptAt);
    expect(await vault.protocolFeesHeld()).to.equal(0n);
    expect(((await token.balanceOf(treasury)) as bigint) - treasuryBefore).to.equal(heldBefore + fee);
  });

  it("serves /metrics (Prometheus text) and /health", async () => {
    const started = keeper.lines.find((line) => line.msg === "keeper started")!;
    await caughtUp();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const metrics = await (await fetch(`http://127.0.0.1:${started.metricsPort}/metrics`)).text();
    expect(metrics).to.match(/^parapet_keeper_blocks_behind 0$/m);
    expect(metrics).to.match(/^parapet_keeper_signer_balance_wei\{signer="0x[0-9a-fA-F]{40}"\} \d/m);
    expect(metrics).to.include("# TYPE parapet_keeper_actions_total counter");
    const health = await fetch(`http://127.0.0.1:${started.metricsPort}/health`);
    expect(health.status).to.equal(200);
    expect(((await health.json()) as { blocksBehind: number }).blocksBehind).to.equal(0);
  });

  it("refuses to start, with one clear error, on a wrong chain, an unknown deployment or an empty signer", async () => {
    const wrongChain = path.join(chain.dir, "other-chain.json");
    writeFileSync(wrongChain, JSON.stringify({ ...deploymentJson, chainId: 1 }));
    const cases = [
      { args: { deploymentFile: wrongChain, key: accountKey(WATCHER) }, error: /wrong chain: the node at .* is chain 31337, the deployment is for chain 1/ },
      { args: { deploymentFile: path.join(chain.dir, "missing.json"), key: accountKey(WATCHER) }, error: /unknown deployment: cannot read/ },
      { args: { deploymentFile: chain.deploymentFile, key: "" }, error: /no signer: KEEPER_PRIVATE_KEY is empty or unset/ },
    ];
    const runs = cases.map(({ args }) => startKeeperProcess({ rpcUrl: chain.url, db: path.join(chain.dir, "refused.sqlite"), ...args }));
    for (const [i, run] of runs.entries()) {
      expect(await run.exited).to.equal(1);
      expect(run.stderr()).to.match(cases[i]!.error);
    }
  });
});
