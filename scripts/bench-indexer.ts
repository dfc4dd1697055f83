/**
 * `npm run bench:indexer`: the indexer's numbers for the README ("Indexer: measurements").
 *
 * 1. `npm run chain` (deploy and seed) as a process, then one buyer buys 1,000 policies (product 1, conservative vault,
 *    100 units for 30 days each; 50 purchases a block).
 * 2. `npm run indexer` as a process: the time from its start to having indexed the head, and Ponder's own backfill time.
 * 3. "My policies" for that owner, seven interleaved rounds, median: the id lookup alone and the full `policiesOf` (ids, then
 *    the Lens read of the 1,000 policies), from the indexer and from the log index (a fresh client's first call, which
 *    scans from the deployment block, and a warm client's call).
 *
 * Run: `npm run bench:indexer` (about two minutes).
 */
import { Contract, JsonRpcProvider, MaxUint256, Wallet } from "ethers";
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
  await (await asset.getFunction("approve")(deployment.addresses.coverManager, MaxUint256)).wait();

  const bought = performance.now();
  const now = (await chain.provider.getBlock("latest"))!.timestamp;
  let nonce = await chain.provider.getTransactionCount(buyer.address);
  await chain.rpc("evm_setAutomine", [false]);
  for (let sent = 0; sent < POLICIES; sent += PER_BLOCK) {
    const batch = Array.from({ length: Math.min(PER_BLOCK, POLICIES - sent) }, () =>
      buyer.sendTransaction({
        to: deployment.addresses.coverManager,
        nonce: nonce++,
        gasLimit: 600_000n,
        data: INTERFACES.coverManager.encodeFunctionData("buyCover", [
          [1n, deployment.addresses.vaults.conservative, 100n * UNIT, 30n * 86_400n, 100n * UNIT, BigInt(now + 86_400), buyer.address, 0n, buyer.address],
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
      "Lens read of the 1,000 policies alone (client.policies(ids))": () => withIndexer.policies(ids),
      "policiesOf, indexer": () => withIndexer.policiesOf(buyer.address),
      "policiesOf, log index, first call (new client)": async () => (await ParapetClient.connect(provider, deployment)).policiesOf(buyer.address),
      "policiesOf, log index, warm client (incremental)": () => warmLogs.policiesOf(buyer.address),
    });
    for (const [name, ms] of Object.entries(results)) console.log(`${name}: ${ms.toFixed(1)} ms`);
    provider.destroy();
  } finally {
    await indexer.stop();
  }
} finally {
  await chain.stop();
}
