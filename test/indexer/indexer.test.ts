/**
 * The indexer end to end: `npm run chain` and `npm run indexer` as separate processes. A scripted history (deposits,
 * purchases, a policy NFT transfer, a claim, an incident and its payout, a redeem request) is indexed, and every table
 * is checked against the chain read through the contracts and the Lens at the indexed block; the SDK gives the same
 * answers from the indexer and from its own log index; a reorganisation of a few blocks drops the orphaned rows.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";

import { createClient, eq } from "@ponder/client";
import { Contract, id as topicOf, Wallet } from "ethers";

import * as schema from "../../indexer/ponder.schema.js";
import { IndexerError, loadDeployment, ParapetClient, sharePriceWad, type ParapetDeployment } from "../../sdk/src/index.js";
import { accountKey, startChain, type Chain } from "../keeper/processes.js";
import { startIndexer, type IndexerProcess } from "./indexerProcess.js";
import { startPostgres } from "./postgres.js";

const DAY = 86_400;
const UNIT = 10n ** 6n;
const WAD = 10n ** 18n;
const [UNDERWRITER, BUYER, SECOND_BUYER, HOLDER, REORG_BUYER, WATCHER] = [7, 8, 9, 10, 11, 16];
const VAULT_VIEWS = ["function navAsk() view returns (uint256)", "function navBid() view returns (uint256)", "function totalSupply() view returns (uint256)"];

const lower = (address: string) => address.toLowerCase();

describe("indexer (a node and the Ponder indexer as separate processes)", function () {
  this.timeout(300_000);

  let chain: Chain;
  let deployment: ParapetDeployment;
  let indexer: IndexerProcess;
  const clients = new Map<number, ParapetClient>();
  const history = { incidentId: 0n, claimId: 0n, transferred: 0n, claimedPolicy: 0n, indexSeconds: 0 };

  const client = async (index: number) => {
    if (!clients.has(index)) clients.set(index, await ParapetClient.connect(new Wallet(accountKey(index), chain.provider), deployment));
    return clients.get(index)!;
  };
  const address = (index: number) => new Wallet(accountKey(index)).address;
  const latestBlock = () => chain.provider.getBlockNumber();
  const advance = async (seconds: number) => {
    await chain.rpc("evm_increaseTime", [seconds]);
    await chain.rpc("evm_mine");
  };
  const synced = async () => {
    const head = await latestBlock();
    await indexer.waitForBlock(head);
    return head;
  };
  const rows = async (table: string, fields: string, where = "") =>
    (await indexer.graphql(`{ page: ${table}(${where}limit: 1000, orderBy: "id") { items { ${fields} } } }`)).page.items as any[];

  before(async function () {
    chain = await startChain();
    deployment = loadDeployment(JSON.parse(readFileSync(chain.deploymentFile, "utf8")));

    // The scripted history, before the indexer starts: it backfills all of it.
    const underwriter = await client(UNDERWRITER);
    await underwriter.deposit("conservative", "50000");
    const buyer = await client(BUYER);
    const first = await buyer.buyCover({ productId: 1n, vault: "conservative", amount: "20000", period: 60 * DAY });
    const second = await buyer.buyCover({ productId: 2n, vault: "highYield", amount: "30000", period: 60 * DAY });
    const third = await (await client(SECOND_BUYER)).buyCover({ productId: 2n, vault: "highYield", amount: "10000", period: 60 * DAY });
    const nft = new Contract(deployment.addresses.coverManager, ["function transferFrom(address,address,uint256)"], buyer.signer);
    await (await nft.getFunction("transferFrom")(address(BUYER), address(HOLDER), second.policyId)).wait();
    history.transferred = second.policyId;
    await advance(DAY + 60); // past the coverage lag
    const now = BigInt((await chain.provider.getBlock("latest"))!.timestamp);
    const filed = await buyer.fileClaim({ policyId: first.policyId, amount: "5000", incidentTime: now - 10n, evidenceURI: "ipfs://claim" });
    history.claimId = filed.claimId;
    history.claimedPolicy = first.policyId;
    const reported = await (await client(WATCHER)).reportIncident({ productId: 2n, incidentTime: now - 5n, payoutWad: WAD / 2n, evidenceURI: "ipfs://incident" });
    history.incidentId = reported.incidentId;
    const shares = (await underwriter.position("conservative", address(UNDERWRITER))).shares;
    await underwriter.requestRedeem("conservative", shares / 4n);
    await advance(3 * DAY + 1); // the liveness ends undisputed
    await underwriter.settleIncident(reported.incidentId);
    await underwriter.settleClaim(filed.claimId);
    await (await client(SECOND_BUYER)).claimIncidentPayout(third.policyId, reported.incidentId);

    const started = Date.now();
    indexer = await startIndexer({ rpcUrl: chain.url, deploymentFile: chain.deploymentFile });
    await synced();
    history.indexSeconds = (Date.now() - started) / 1000;
    console.log(`      measured: indexer start to synced over ${await latestBlock()} blocks: ${history.indexSeconds.toFixed(1)} s`);
  });

  after(async () => {
    for (const each of clients.values()) (each.provider as { destroy?: () => void }).destroy?.();
    await indexer?.stop();
    await chain?.stop();
  });

  it("indexes every policy with its current owner and claimed amount, as the Lens reads them", async () => {
    const block = await synced();
    const reader = await client(BUYER);
    const count = Number(await reader.coverManager.policyCount());
    const onChain = await reader.policies(Array.from({ length: count }, (_, i) => BigInt(i + 1)));
    const indexed = await rows("policys", "id productId vault buyer owner amount claimed start end status openClaimId");
    expect(indexed.map((row) => BigInt(row.id))).to.deep.equal(onChain.map((policy) => policy.id));
    for (const [i, policy] of onChain.entries()) {
      const row = indexed[i];
      expect(row.owner, `policy ${policy.id} owner`).to.equal(lower(policy.owner));
      expect([BigInt(row.productId), lower(row.vault), BigInt(row.amount), BigInt(row.claimed), BigInt(row.start), BigInt(row.end)]).to.deep.equal([
        policy.productId,
        lower(policy.vault),
        policy.amount,
        policy.claimed,
        policy.start,
        policy.end,
      ]);
      expect(row.status).to.equal(policy.claimed === policy.amount ? "PaidOut" : policy.openClaimId !== 0n ? "ClaimOpen" : "Active");
    }
    const moved = indexed.find((row) => BigInt(row.id) === history.transferred);
    expect(moved.owner, "the transfer is followed").to.equal(lower(address(HOLDER)));
    expect(moved.buyer).to.equal(lower(address(BUYER)));
    expect(BigInt(indexed.find((row) => BigInt(row.id) === history.claimedPolicy).claimed), "the approved claim paid").to.equal(5_000n * UNIT);
    expect(block).to.be.greaterThan(deployment.startBlock);
  });

  it("indexes claims, incidents, reserves, payouts and bonds as the adjudicator holds them", async () => {
    await synced();
    const reader = await client(BUYER);
    const [claimOnChain] = await reader.claims([history.claimId]);
    const [claimRow] = await rows("claims", "id policyId filer amount reserved bond state ruling payout receiver");
    expect([BigInt(claimRow.id), BigInt(claimRow.policyId), claimRow.filer, BigInt(claimRow.amount), BigInt(claimRow.bond), claimRow.state]).to.deep.equal([
      claimOnChain!.id,
      claimOnChain!.policyId,
      lower(claimOnChain!.filer),
      claimOnChain!.amount,
      claimOnChain!.bond,
      claimOnChain!.state,
    ]);
    expect(claimRow.state).to.equal("Approved");
    expect(BigInt(claimRow.payout)).to.equal(claimOnChain!.paid);

    const [incidentOnChain] = await reader.incidents([history.incidentId]);
    const [incidentRow] = await rows("incidents", "id productId reporter payoutWad bond state paidOut");
    expect([BigInt(incidentRow.id), BigInt(incidentRow.productId), incidentRow.reporter, BigInt(incidentRow.payoutWad), BigInt(incidentRow.bond), incidentRow.state]).to.deep.equal([
      incidentOnChain!.id,
      incidentOnChain!.productId,
      lower(incidentOnChain!.reporter),
      incidentOnChain!.payoutWad,
      incidentOnChain!.bond,
      "Approved",
    ]);
    const reserves = await indexer.graphql(`{ incidentReserves { items { vault needed reserved } } }`);
    for (const reserve of incidentOnChain!.reserves) {
      const row = reserves.incidentReserves.items.find((item: any) => item.vault === lower(reserve.vault));
      expect([BigInt(row.needed), BigInt(row.reserved)], `reserve in ${reserve.vault}`).to.deep.equal([reserve.needed, reserve.reserved]);
    }
    const payouts = await indexer.graphql(`{ incidentPayouts { items { incidentId policyId amount receiver } } }`);
    expect(payouts.incidentPayouts.items).to.have.length(1);
    const payout = payouts.incidentPayouts.items[0];
    expect(await reader.claimAdjudicator.incidentPaid(BigInt(payout.incidentId), BigInt(payout.policyId))).to.equal(true);
    expect(BigInt(incidentRow.paidOut)).to.equal(BigInt(payout.amount));
    expect(payout.receiver).to.equal(lower(address(SECOND_BUYER)));

    const bonds = (await indexer.graphql(`{ bonds { items { key kind refId amount toFiler toDisputer burned } } }`)).bonds.items;
    const claimBond = bonds.find((row: any) => row.kind === "claim");
    expect(BigInt(claimBond.key)).to.equal(BigInt(await reader.claimAdjudicator.claimKey(history.claimId)));
    expect(BigInt(claimBond.amount)).to.equal(claimOnChain!.bond);
    const incidentBond = bonds.find((row: any) => row.kind === "incident");
    expect(BigInt(incidentBond.key)).to.equal(BigInt(await reader.claimAdjudicator.incidentKey(history.incidentId)));
    // Undisputed: the whole bond went back to the filer.
    expect(BigInt(incidentBond.toFiler)).to.equal(incidentOnChain!.bond);
  });

  it("indexes products, vaults (NAV and share price at the indexed block), flows and the redeem request", async () => {
    const block = await synced();
    const reader = await client(UNDERWRITER);
    const products = await rows("products", "id kind active maxCoverPerPolicy openIncidents triggerArmed");
    const onChain = await reader.products();
    expect(products.map((row) => [BigInt(row.id), row.kind, row.active, BigInt(row.maxCoverPerPolicy), BigInt(row.openIncidents)])).to.deep.equal(
      onChain.map((product) => [product.id, product.kind, product.active, product.maxCoverPerPolicy, product.openIncidents]),
    );
    const vaults = await indexer.graphql(`{ vaults { items { address navAsk navBid totalSupply sharePriceWad deposited } } }`);
    expect(vaults.vaults.items).to.have.length(Object.keys(deployment.addresses.vaults).length);
    for (const [name, vaultAddress] of Object.entries(deployment.addresses.vaults)) {
      const row = vaults.vaults.items.find((item: any) => item.address === lower(vaultAddress));
      const contract = new Contract(vaultAddress, VAULT_VIEWS, chain.provider);
      const at = { blockTag: block };
      const [navAsk, navBid, totalSupply] = await Promise.all([contract.navAsk(at), contract.navBid(at), contract.totalSupply(at)]);
      // The row holds the NAV after the last block that touched the vault; the chain's grows with premium streaming
      // since, so compare with the row's own block.
      const snapshots = await indexer.graphql(
        `query ($vault: String!) { vaultSnapshots(where: { vault: $vault }, orderBy: "blockNumber", orderDirection: "desc", limit: 1) { items { blockNumber navAsk navBid totalSupply } } }`,
        { vault: lower(vaultAddress) },
      );
      const last = snapshots.vaultSnapshots.items[0];
      const atLast = { blockTag: Number(last.blockNumber) };
      expect([BigInt(row.navAsk), BigInt(row.navBid), BigInt(row.totalSupply)], `${name} at its last change`).to.deep.equal([
        await contract.navAsk(atLast),
        await contract.navBid(atLast),
        await contract.totalSupply(atLast),
      ]);
      expect(BigInt(row.totalSupply), `${name} supply now`).to.equal(totalSupply);
      expect(BigInt(row.sharePriceWad)).to.equal(sharePriceWad(BigInt(row.navBid), BigInt(row.totalSupply)));
      expect(navAsk >= BigInt(row.navAsk) && navBid >= 0n).to.equal(true);
    }
    const conservative = lower(deployment.addresses.vaults.conservative!);
    const flows = await indexer.graphql(`query ($vault: String!) { vaultFlows(where: { vault: $vault }, limit: 1000) { items { kind account assets shares } } }`, { vault: conservative });
    const deposits = flows.vaultFlows.items.filter((item: any) => item.kind === "deposit");
    expect(deposits.map((item: any) => BigInt(item.assets))).to.deep.equal([400_000n * UNIT, 50_000n * UNIT]);
    expect(flows.vaultFlows.items.filter((item: any) => item.kind === "premium")).to.have.length(1);
    const request = (await indexer.graphql(`{ redeemRequests { items { vault controller pendingShares requested } } }`)).redeemRequests.items;
    expect(request).to.have.length(1);
    const position = await reader.position("conservative", address(UNDERWRITER));
    expect(request[0].controller).to.equal(lower(address(UNDERWRITER)));
    expect(BigInt(request[0].pendingShares)).to.equal(position.pendingShares + position.claimableShares);
    // The journal has every event the protocol's contracts logged: the core contracts' from the deployment block, each
    // vault's from its listing (the registry's VaultListed, which the indexer follows).
    const core = [deployment.addresses.productRegistry, deployment.addresses.coverManager, deployment.addresses.claimAdjudicator, deployment.addresses.committeeArbiter];
    const logs = await chain.provider.getLogs({ address: core, fromBlock: deployment.startBlock, toBlock: block });
    const listed = await chain.provider.getLogs({
      address: deployment.addresses.productRegistry,
      topics: [topicOf("VaultListed(address,uint256)")],
      fromBlock: deployment.startBlock,
    });
    for (const listing of listed) {
      const vaultAddress = `0x${listing.topics[1]!.slice(26)}`;
      logs.push(...(await chain.provider.getLogs({ address: vaultAddress, fromBlock: listing.blockNumber, toBlock: block })));
    }
    const journal = await indexer.graphql(`{ protocolEvents(where: { contract_not: "PriceFeedTrigger" }, limit: 1000, orderBy: "id") { items { id } } }`);
    expect(journal.protocolEvents.items.map((item: any) => item.id).sort()).to.deep.equal(logs.map((log) => `${log.blockNumber}-${log.index}`).sort());
  });

  it("serves SQL over HTTP (@ponder/client)", async () => {
    await synced();
    const sql = createClient(`${indexer.url}/sql`, { schema });
    const held = await sql.db.select().from(schema.policy).where(eq(schema.policy.owner, lower(address(HOLDER)) as `0x${string}`));
    expect(held.map((row) => row.id)).to.deep.equal([history.transferred]);
  });

  it("the SDK gives identical answers from the indexer and from its log index", async () => {
    await synced();
    const fromIndexer = await ParapetClient.connect(chain.provider, deployment, { indexer: { url: indexer.url } });
    const fromLogs = await ParapetClient.connect(chain.provider, deployment);
    expect([fromIndexer.eventSource, fromLogs.eventSource]).to.deep.equal(["indexer", "logs"]);
    for (const owner of [BUYER, SECOND_BUYER, HOLDER, UNDERWRITER].map(address)) {
      expect(await fromIndexer.policiesOf(owner), `policiesOf ${owner}`).to.deep.equal(await fromLogs.policiesOf(owner));
      expect(await fromIndexer.claimsOf(owner), `claimsOf ${owner}`).to.deep.equal(await fromLogs.claimsOf(owner));
      expect(await fromIndexer.claimablePayoutsOf(owner), `claimablePayoutsOf ${owner}`).to.deep.equal(await fromLogs.claimablePayoutsOf(owner));
    }
    expect(await fromIndexer.incidentsOf()).to.deep.equal(await fromLogs.incidentsOf());
    expect(await fromIndexer.incidentsOf(2n)).to.deep.equal(await fromLogs.incidentsOf(2n));
    expect(await fromIndexer.incidentsOf(1n)).to.deep.equal([]);

    // And they are right: the holder's transferred policy is owed half its cover by the incident, the buyer's claim is
    // listed, the second buyer (paid already) is owed nothing.
    const owed = await fromIndexer.claimablePayoutsOf(address(HOLDER));
    expect(owed.map(({ policyId, incidentId, amount }) => [policyId, incidentId, amount])).to.deep.equal([[history.transferred, history.incidentId, 15_000n * UNIT]]);
    expect((await fromIndexer.claimsOf(address(BUYER))).map((claim) => claim.id)).to.deep.equal([history.claimId]);
    expect(await fromIndexer.claimablePayoutsOf(address(SECOND_BUYER))).to.deep.equal([]);
    expect((await fromIndexer.policiesOf(address(BUYER))).map((policy) => policy.id)).to.deep.equal([history.claimedPolicy]);
  });

  it("an indexer for another chain, or none, is refused at connect with the URL in the error", async () => {
    const other = { ...deployment, chainId: deployment.chainId + 1 };
    const failure = (promise: Promise<unknown>) => promise.then(() => expect.fail("connect should fail"), (error: Error) => error);
    const wrongChain = await failure(ParapetClient.connect(chain.provider, other, { indexer: { url: indexer.url }, skipChainCheck: true, skipCodeCheck: true }));
    expect(wrongChain).to.be.instanceOf(IndexerError);
    expect(wrongChain.message).to.equal(`Parapet indexer at ${indexer.url}/graphql: serves chain ${deployment.chainId}, not the deployment's chain ${other.chainId}`);
    const unreachable = await failure(ParapetClient.connect(chain.provider, deployment, { indexer: { url: "http://127.0.0.1:9" } }));
    expect(unreachable).to.be.instanceOf(IndexerError);
    expect(unreachable.message).to.match(/^Parapet indexer at http:\/\/127\.0\.0\.1:9\/graphql: unreachable/);
  });

  it("runs on PostgreSQL (DATABASE_URL) with the same tables as on PGlite", async () => {
    const postgres = await startPostgres();
    const onPostgres = await startIndexer({ rpcUrl: chain.url, deploymentFile: chain.deploymentFile, databaseUrl: postgres.url });
    try {
      const head = await synced();
      await onPostgres.waitForBlock(head);
      expect(onPostgres.output()).to.include("PostgreSQL schema parapet_31337_");
      const query = `{
        policys(orderBy: "id", limit: 1000) { items { id owner amount claimed status openClaimId } }
        claims(orderBy: "id") { items { id state payout } }
        incidents(orderBy: "id") { items { id state paidOut } }
        vaults(orderBy: "address") { items { address navAsk navBid totalSupply deposited premiums } }
        vaultSnapshots(orderBy: "id", limit: 1000) { items { id navBid } }
        bonds(orderBy: "key") { items { key toFiler } }
        protocolEvents(orderBy: "id", limit: 1000) { totalCount items { id name args } }
      }`;
      const [pg, lite] = [await onPostgres.graphql(query), await indexer.graphql(query)];
      expect(pg.policys.items).to.have.length.greaterThan(0);
      expect(pg).to.deep.equal(lite);
    } finally {
      await onPostgres.stop();
      await postgres.stop();
    }
  });

  it("drops the rows of blocks a reorganisation orphaned, and indexes the new branch", async () => {
    await synced();
    const snapshot = await chain.rpc("evm_snapshot");
    const orphaned = await (await client(REORG_BUYER)).buyCover({ productId: 1n, vault: "conservative", amount: "7000", period: 30 * DAY });
    await chain.rpc("evm_mine");
    const orphanHead = await synced();
    const [before] = await rows("policys", "id owner amount", `where: { id: "${orphaned.policyId}" }, `);
    expect(before.owner, "the indexer saw the purchase").to.equal(lower(address(REORG_BUYER)));

    expect(await chain.rpc("evm_revert", [snapshot])).to.equal(true);
    // The new branch: another buyer's purchase at the same height, then blocks past the old head.
    const replacement = await (await client(SECOND_BUYER)).buyCover({ productId: 2n, vault: "conservative", amount: "3000", period: 30 * DAY });
    expect(replacement.policyId, "the id is reused on the new branch").to.equal(orphaned.policyId);
    for (let i = 0; i < 3; i++) await chain.rpc("evm_mine");
    const head = await latestBlock();
    expect(head).to.be.greaterThan(orphanHead);

    await indexer.waitForBlock(head);
    const [after] = await rows("policys", "id owner amount productId transactionHash", `where: { id: "${orphaned.policyId}" }, `);
    expect([after.owner, BigInt(after.amount), BigInt(after.productId), after.transactionHash]).to.deep.equal([
      lower(address(SECOND_BUYER)),
      3_000n * UNIT,
      2n,
      replacement.receipt.hash,
    ]);
    const stale = await indexer.graphql(`query ($hash: String!) { protocolEvents(where: { transactionHash: $hash }) { totalCount } }`, {
      hash: orphaned.receipt.hash,
    });
    expect(stale.protocolEvents.totalCount, "no event of the orphaned transaction is left").to.equal(0);
    const reorgLogged = /reorg/i.test(indexer.output());
    expect(reorgLogged, "Ponder reported the reorganisation").to.equal(true);
    const fromIndexer = await ParapetClient.connect(chain.provider, deployment, { indexer: { url: indexer.url } });
    expect((await fromIndexer.policiesOf(address(REORG_BUYER))).map((policy) => policy.id)).to.deep.equal([]);
  });
});
