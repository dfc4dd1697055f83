/**
 * `npm run bench:indexer`: the indexer's numbers for the README ("Indexer: measurements").
 *
 * 1. `npm run chain` (deploy and seed) as a process, then one buyer buys 1,000 policies (product 1, conservative vault,
 *    100 units for 30 days each; 50 purchases a block), then 30 empty blocks.
 * 2. `npm run indexer` as a process: the time from its start to having indexed the head, and Ponder's own backfill time.
 * 3. "My policies" for that owner, seven interleaved rounds, median: the id lookup alone and the full `policiesOf` (ids, then
 *    the Lens read of the 1,000 policies), from the indexer and from the log index (a fresh client's first call, which
 *    scans from the deployment block, and a warm client's call).
 * 4. Live: three blocks of 50 purchases each, from sending them to the indexer having the block.
 *
 * Run: `npm run bench:indexer` (about two minutes).
 */
import { Contract, JsonRpcProvider, MaxUint256, Wallet, type ContractTransactionResponse } from "ethers";
import { readFileSync } from "node:fs";

import { INTERFACES, IndexerSource, loadDeployment, ParapetClient, PolicyIndex } from "../sdk/src/index.js";
import { startIndexer } from "../test/indexer/indexerProcess.js";
import { accountKey, startChain } from "../test/keeper/processes.js";

const POLICIES = 1_000;
const PER_BLOCK = 50;
const BUYER = 9;
const ROUNDS = 7;
const UNIT = 10n ** 6n;

/** Runs every measurement once per round, interleaved (so a busy moment of the machine hits them all), `ROUNDS` rounds. */
async function medians(measurements: Record<string, () => Promise<unknown>>): Promise<Record<string, number>> {
  const times = new Map<string, number[]>(Object.keys(measurements).map((name) => [name, []]));
  for (const run of Object.values(measurements)) await run(); // warm-up: connections, caches
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, run] of Object.entries(measurements)) {
      const started = performance.now();
      await run();
      times.get(name)!.push(performance.now() - started);
    }
  }
  return Object.fromEntries([...times].map(([name, list]) => [name, list.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!]));
}

const chain = await startChain();
try {
  const deployment = loadDeployment(JSON.parse(readFileSync(chain.deploymentFile, "utf8")));
  const buyer = new Wallet(accountKey(BUYER), chain.provider);
  const asset = new Contract(deployment.addresses.asset, ["function approve(address,uint256) returns (bool)"], buyer);
  const approval = (await asset.getFunction("approve")(deployment.addresses.coverManager, MaxUint256)) as ContractTransactionResponse;
  await approval.wait();

  const bought = performance.now();
  const now = (await chain.provider.getBlock("latest"))!.timestamp;
  let nonce = await chain.provider.getTransactionCount(buyer.address);
  /** Buys `count` policies in blocks of `PER_BLOCK` purchases. */
  const buy = async (count: number) => {
    await chain.rpc("evm_setAutomine", [false]);
    for (let sent = 0; sent < count; sent += PER_BLOCK) {
      const batch = Array.from({ length: Math.min(PER_BLOCK, count - sent) }, () =>
        buyer.sendTransaction({
          to: deployment.addresses.coverManager,
          nonce: nonce++,
          gasLimit: 600_000n,
          data: INTERFACES.coverManager.encodeFunctionData("buyCover", [
            [1n, deployment.addresses.vaults.conservative, 100n * UNIT, 30n * 86_400n, 100n * UNIT, BigInt(now + 10 * 86_400), buyer.address, 0n, buyer.address],
          ]),
        }),
      );
      const responses = await Promise.all(batch);
      await chain.rpc("evm_mine");
      const receipts = await Promise.all(responses.map((response) => chain.provider.getTransactionReceipt(response.hash)));
      const failed = receipts.filter((receipt) => receipt?.status !== 1).length;
      if (failed > 0) throw new Error(`${failed} purchases failed in the block after ${sent}`);
    }
    await chain.rpc("evm_setAutomine", [true]);
  };
  await buy(POLICIES);
  // Ponder indexes the last 30 blocks (its finality depth here) one by one, as live blocks: 30 empty blocks put the
  // purchases in the backfill, as on a chain the indexer starts on long after them. One `evm_mine` each: the blocks
  // `hardhat_mine` reserves report a zero parent hash, which Ponder's reorg check cannot follow.
  for (let i = 0; i < 30; i++) await chain.rpc("evm_mine");
  const head = await chain.provider.getBlockNumber();
  console.log(`bought ${POLICIES} policies in ${((performance.now() - bought) / 1000).toFixed(1)} s; head ${head}`);

  const started = performance.now();
  const indexer = await startIndexer({ rpcUrl: chain.url, deploymentFile: chain.deploymentFile });
  try {
    await indexer.waitForBlock(head, 600_000);
    const toSynced = (performance.now() - started) / 1000;
    const backfill = /Completed backfill indexing across all chains \(([\d.]+m?s)\)/.exec(indexer.output())?.[1];
    console.log(`indexer: start to synced at block ${head}: ${toSynced.toFixed(1)} s (Ponder's backfill: ${backfill})`);

    const provider = new JsonRpcProvider(chain.url, undefined, { cacheTimeout: -1 });
    const source = new IndexerSource({ url: indexer.url }, deployment.chainId);
    const withIndexer = await ParapetClient.connect(provider, deployment, { indexer: { url: indexer.url } });
    const warmLogs = await ParapetClient.connect(provider, deployment);
    const listed = (await source.policyCandidatesOf(buyer.address)).ids.length;
    const held = (await withIndexer.policiesOf(buyer.address)).length;
    if (listed !== POLICIES || held !== POLICIES) throw new Error(`expected ${POLICIES} policies, the indexer lists ${listed} and policiesOf ${held}`);
    const ids = (await source.policyCandidatesOf(buyer.address)).ids;
    const results = await medians({
      "ids, indexer (GraphQL)": () => source.policyCandidatesOf(buyer.address),
      "ids, log index, first call (scan from the deployment block)": () =>
        new PolicyIndex(provider, deployment.addresses, deployment.startBlock).policyCandidatesOf(buyer.address),
      "Lens read of the 1,000 policies alone (client.policies(ids), 10 calls)": () => withIndexer.policies(ids),
      "one Lens call of 100 policies": () => withIndexer.policies(ids.slice(0, 100)),
      "policiesOf, indexer": () => withIndexer.policiesOf(buyer.address),
      "policiesOf, log index, first call (new client)": async () => (await ParapetClient.connect(provider, deployment)).policiesOf(buyer.address),
      "policiesOf, log index, warm client (incremental)": () => warmLogs.policiesOf(buyer.address),
    });
    for (const [name, ms] of Object.entries(results)) console.log(`${name}: ${ms.toFixed(1)} ms`);

    // Live: one block of PER_BLOCK purchases, from its mining to the indexer having it.
    const lag: number[] = [];
    for (let round = 0; round < 3; round++) {
      const mined = performance.now();
      await buy(PER_BLOCK);
      await indexer.waitForBlock(await chain.provider.getBlockNumber(), 120_000);
      lag.push(performance.now() - mined);
    }
    console.log(`live: a block of ${PER_BLOCK} purchases indexed ${lag.map((ms) => (ms / 1000).toFixed(1)).join(", ")} s after it was sent (polling 200 ms)`);
    provider.destroy();
  } finally {
    await indexer.stop();
  }
} finally {
  await chain.stop();
}
