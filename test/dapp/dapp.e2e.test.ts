/**
 * The example dApp (examples/dapp) end to end in a real browser: `npm run chain` and `npm run indexer` as child
 * processes, the dApp built by Vite against the chain's deployment file and the indexer (and once more without it, for
 * the SDK's log index) and served by `vite preview`, and Debian's Chromium driven by playwright-core
 * with the injected test wallet (./testWallet.ts) for one funded buyer. Each step asserts what the page shows and
 * what the chain holds. With `DAPP_SCREENSHOTS=<dir>` (`npm run dapp:screenshots`) it saves each page there.
 */
import { expect } from "chai";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

import { Contract, Wallet } from "ethers";
import { chromium, type Browser, type Page } from "playwright-core";
import { build, preview, type PreviewServer } from "vite";

import { loadDeployment, ParapetClient, type ParapetDeployment } from "../../sdk/src/index.js";
import { startIndexer, type IndexerProcess } from "../indexer/indexerProcess.js";
import { accountKey, startChain, type Chain } from "../keeper/processes.js";
import { injectTestWallet } from "./testWallet.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const DAPP_CONFIG = path.join(ROOT, "examples/dapp/vite.config.ts");
/** Debian's `chromium` package (`.ci/run` installs it); `CHROMIUM_PATH` for another build. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SCREENSHOTS = process.env.DAPP_SCREENSHOTS;
const BUYER = 9; // a funded buyer of the fixture that `npm run chain` leaves untouched
const WATCHER = 16; // the fixture's watcher, funded and approved on the adjudicator
const UNIT = 10n ** 6n;
const DAY = 86_400;

/** `1234567.5` asset units as the dApp writes them (`1,234,567.5`): the test's own formatting, not the dApp's. */
const units = (value: bigint, decimals = 6, shown = 2) => {
  const whole = (value / 10n ** BigInt(decimals)).toLocaleString("en-US");
  const fraction = (value % 10n ** BigInt(decimals)).toString().padStart(decimals, "0").slice(0, shown).replace(/0+$/, "");
  return fraction === "" ? whole : `${whole}.${fraction}`;
};

describe("example dApp in Chromium (npm run chain, npm run indexer, vite preview, injected test wallet)", function () {
  this.timeout(300_000);

  let chain: Chain;
  let deployment: ParapetDeployment;
  let indexer: IndexerProcess;
  /** The dApp built with `VITE_PARAPET_INDEXER_URL` (the flow runs on it), and without (the log index's check). */
  let server: PreviewServer;
  let logsServer: PreviewServer;
  const outDirs: string[] = [];
  let browser: Browser;
  let page: Page;
  let reader: ParapetClient;
  const buyer = new Wallet(accountKey(BUYER)).address;
  const timings: Record<string, number> = {};
  const bundle: Record<string, number> = {};
  const consoleLines: string[] = [];

  const shoot = async (name: string) => {
    if (SCREENSHOTS === undefined) return;
    mkdirSync(path.resolve(ROOT, SCREENSHOTS), { recursive: true });
    await page.screenshot({ path: path.resolve(ROOT, SCREENSHOTS, `dapp-${name}.png`), fullPage: true });
  };
  let visits = 0;
  /** Loads the dApp afresh (a new query string: a new document, not a hash change) on a route, and waits until it has rendered from the chain. */
  const open = async (route: string, ready: string, on = server) => {
    // The dApp reads through the indexer as of the block it has indexed: let it catch up with the chain first.
    await indexer.waitForBlock(await chain.provider.getBlockNumber());
    await page.goto(`${on.resolvedUrls!.local[0]}?visit=${++visits}#/${route}`);
    await page.getByTestId(ready).waitFor({ timeout: 30_000 });
    await page.waitForSelector("main:not([aria-busy])");
  };
  const notice = () => page.getByTestId("notice");

  before(async function () {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    let started = Date.now();
    chain = await startChain();
    timings.chain = Date.now() - started;
    deployment = loadDeployment(JSON.parse(readFileSync(chain.deploymentFile, "utf8")));
    reader = await ParapetClient.connect(chain.provider, deployment);

    started = Date.now();
    indexer = await startIndexer({ rpcUrl: chain.url, deploymentFile: chain.deploymentFile });
    await indexer.waitForBlock(await chain.provider.getBlockNumber());
    timings.indexer = Date.now() - started;

    started = Date.now();
    process.env.PARAPET_DEPLOYMENT = chain.deploymentFile;
    /** Builds the dApp (Vite reads `VITE_*` from the environment) and serves it with `vite preview` on a free port. */
    const serve = async (indexerUrl: string | undefined) => {
      const outDir = mkdtempSync(path.join(tmpdir(), "parapet-dapp-"));
      outDirs.push(outDir);
      if (indexerUrl === undefined) delete process.env.VITE_PARAPET_INDEXER_URL;
      else process.env.VITE_PARAPET_INDEXER_URL = indexerUrl;
      await build({ configFile: DAPP_CONFIG, logLevel: "warn", build: { outDir } });
      return { outDir, server: await preview({ configFile: DAPP_CONFIG, logLevel: "warn", build: { outDir }, preview: { host: "127.0.0.1", port: 0 } }) };
    };
    const built = await serve(indexer.url);
    server = built.server;
    logsServer = (await serve(undefined)).server;
    delete process.env.VITE_PARAPET_INDEXER_URL;
    timings.build = Date.now() - started;
    // The bundle the README quotes: every built script and stylesheet, minified, then gzipped.
    const assets = readdirSync(path.join(built.outDir, "assets")).map((file) => readFileSync(path.join(built.outDir, "assets", file)));
    const kib = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
    bundle.minifiedKiB = kib(assets.reduce((sum, data) => sum + data.length, 0));
    bundle.gzippedKiB = kib(assets.reduce((sum, data) => sum + gzipSync(data).length, 0));

    started = Date.now();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("console", (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
    page.on("pageerror", (error) => consoleLines.push(`pageerror: ${error.message}`));
    await injectTestWallet(page, { rpcUrl: chain.url, account: buyer });
    timings.browser = Date.now() - started;
  });

  afterEach(async function () {
    // A failed step says what the page showed: its notice line and its content.
    if (this.currentTest?.state === "failed" && page !== undefined) {
      console.log(`      notice: ${await notice().innerText()}\n      page: ${(await page.locator("main").innerText()).slice(0, 2_000)}`);
      console.log(`      browser console:\n${consoleLines.slice(-20).join("\n")}`);
    }
  });

  after(async function () {
    await browser?.close();
    await server?.close();
    await logsServer?.close();
    await indexer?.stop();
    await chain?.stop();
    for (const outDir of outDirs) rmSync(outDir, { recursive: true, force: true });
    delete process.env.PARAPET_DEPLOYMENT;
    console.log(`      timings (ms): ${JSON.stringify(timings)}; dApp bundle: ${JSON.stringify(bundle)}`);
  });

  it("lists the products with their model rate and each backing vault's market", async function () {
    await open("products", "product-1");
    const products = await reader.products();
    expect(products.length).to.equal(3);
    for (const product of products) {
      const card = page.getByTestId(`product-${product.id}`);
      expect(await card.locator("h2").innerText()).to.contain(`#${product.id} ${product.metadataURI.split("/").pop()}`);
      // One market row per backing vault, named as in the deployment.
      const rows = await card.locator("tbody tr").allInnerTexts();
      expect(rows).to.have.length(product.vaults.length);
      expect(rows.join("\n")).to.match(/^conservative\s+2\.50%|^conservative\s+3\.50%|^conservative\s+1\.50%/m);
    }
    // The risk model prices the two products with a profile (deploy/risk-profiles/).
    expect(await page.getByTestId("model-rate-1").innerText()).to.match(/^Model rate: \d+\.\d\d% a year \(risk model, deploy\/risk-profiles\/lendora-v3\.json\)$/);
    expect(await page.getByTestId("model-rate-3").innerText()).to.equal("Model rate: no risk profile for this product");
    expect(await page.getByTestId("wallet").innerText()).to.contain(`${buyer.slice(0, 6)}…${buyer.slice(-4)} · chain 31337`);
  });

  it("quotes the router's split, buys it, and the chain holds the policies", async function () {
    await open("buy?product=1", "buy-form");
    const before = await reader.quoteCover({ productId: 1n, amount: "300000", period: 30 * DAY });
    expect(before.legs.length, "the order is large enough to split").to.equal(2);
    await page.locator('input[name="amount"]').fill("300000");
    await page.locator('input[name="slippage"]').fill("100");
    await page.getByTestId("quote").click();
    await page.getByTestId("legs").waitFor();
    const legRows = await page.getByTestId("legs").locator("tbody tr").allInnerTexts();
    expect(legRows).to.have.length(2);
    for (const [index, leg] of before.legs.entries()) {
      const name = Object.entries(deployment.addresses.vaults).find(([, address]) => address === leg.vault)![0];
      expect(legRows[index]).to.match(new RegExp(`^${name}\\s+${units(leg.amount)} tUSD\\s+${units(leg.premium)} tUSD\\s+${units(leg.protocolFee)} tUSD\\s+${units(leg.total)} tUSD`));
    }
    expect(await page.getByTestId("quote-total").innerText()).to.contain(`Total ${units(before.total)} tUSD`);
    await shoot("buy");

    const token = new Contract(deployment.addresses.asset, ["function balanceOf(address) view returns (uint256)"], chain.provider);
    const balanceBefore = (await token.balanceOf(buyer)) as bigint;
    await page.getByTestId("buy").click();
    expect(await notice().filter({ hasText: "Bought policy" }).innerText({ timeout: 30_000 })).to.match(/^Bought policy #\d+, #\d+ for [\d,.]+ tUSD: see My policies$/);
    const owned = await reader.policiesOf(buyer);
    expect(owned.map((policy) => policy.amount).reduce((a, b) => a + b, 0n)).to.equal(300_000n * UNIT);
    expect(owned.map((policy) => policy.vault)).to.have.members(before.legs.map((leg) => leg.vault));
    const paid = balanceBefore - ((await token.balanceOf(buyer)) as bigint);
    // The quote was read at the block before the purchase: the cost is within the slippage the page set.
    expect(paid >= before.total && paid <= before.total + (before.total * 100n) / 10_000n, `paid ${paid}, quoted ${before.total}`).to.equal(true);
  });

  it("shows the market moved by the purchase: utilization and the rate now past the kink", async function () {
    await open("products", "product-1");
    const market = await reader.lens.market(1n);
    const rows = await page.getByTestId("market-1").locator("tbody tr").allInnerTexts();
    for (const [index, vault] of market.vaults.entries()) {
      const basisPoints = (vault.exposure * 10_000n + vault.capacity / 2n) / vault.capacity;
      const utilization = `${basisPoints / 100n}.${(basisPoints % 100n).toString().padStart(2, "0")}%`;
      expect(rows[index]).to.match(new RegExp(`\\s${utilization.replace(".", "\\.")}\\s`));
    }
    // The conservative vault sold past its 80% kink: its rate now is above its 2.50% base.
    const conservative = rows.find((row) => row.startsWith("conservative"))!;
    const rateNow = Number(/^conservative\s+(\d+\.\d\d)%/.exec(conservative)![1]);
    expect(rateNow).to.be.greaterThan(2.5).and.lessThan(15);
    await shoot("products");
  });

  it("lists the bought policies under My policies, through the indexer", async function () {
    await open("policies", "policies");
    const owned = await reader.policiesOf(buyer);
    expect(await page.getByTestId("policy-source").innerText()).to.equal(`2 policies held by ${buyer}; listed from the indexer at ${indexer.url}.`);
    const rows = await page.getByTestId("policies").locator("tbody tr").allInnerTexts();
    expect(rows).to.have.length(owned.length);
    for (const [index, policy] of owned.entries()) {
      expect(rows[index]).to.match(new RegExp(`^#${policy.id}\\s+lendora-v3\\s+\\w+\\s+${units(policy.amount)} tUSD\\s+0 tUSD\\s+.+\\s+waiting period\\s+-\\s+-\\s+File a claim$`));
    }
  });

  it("lists the same policies from the SDK's log index when built without an indexer URL", async function () {
    await open("policies", "policies");
    const throughIndexer = await page.getByTestId("policies").locator("tbody tr").allInnerTexts();
    await open("policies", "policies", logsServer);
    expect(await page.getByTestId("policy-source").innerText()).to.equal(
      `2 policies held by ${buyer}; listed from the SDK log index (from block ${deployment.startBlock}).`,
    );
    expect(await page.getByTestId("policies").locator("tbody tr").allInnerTexts()).to.deep.equal(throughIndexer);
  });

  it("deposits into a vault from the underwriter page and shows the new position", async function () {
    await open("underwrite?vault=conservative", "position");
    const vault = new Contract(deployment.addresses.vaults.conservative!, ["function balanceOf(address) view returns (uint256)"], chain.provider);
    expect((await vault.balanceOf(buyer)) as bigint).to.equal(0n);
    const breaker = await page.getByTestId("circuit-breaker").innerText();
    expect(breaker, breaker).to.match(/At most 25\.00% of NAV leaves per 1d; [\d,.]+ tUSD left recently, [\d,.]+ tUSD may leave now\. Queued payouts: 0 tUSD in 0 entries\.\s+The queue is empty\./);
    await page.locator('input[name="assets"]').fill("1000");
    await page.getByTestId("deposit").click();
    const deposited = await notice().filter({ hasText: "Deposited" }).innerText({ timeout: 30_000 });
    expect(deposited).to.match(/^Deposited 1,000 tUSD for [\d,.]+ pcUSD$/);
    const shares = (await vault.balanceOf(buyer)) as bigint;
    expect(shares > 0n).to.equal(true);
    const position = await reader.position("conservative", buyer);
    await page.waitForSelector("main:not([aria-busy])");
    const row = await page.getByTestId("position").locator("tbody tr").innerText();
    expect(row).to.match(new RegExp(`^${units(shares, 12, 4)} \\w+\\s+${units(position.assetsAtBid)} tUSD`));
  });

  it("requests a redemption of the new shares and cancels it from the underwriter page", async function () {
    await open("underwrite?vault=conservative", "position");
    const shares = (await reader.position("conservative", buyer)).shares;
    // The field starts at the whole position; the request escrows it for the cooldown.
    expect(await page.locator('input[name="shares"]').inputValue()).to.equal(units(shares, 12, 12).replaceAll(",", ""));
    await page.getByTestId("request-redeem").click();
    expect(await notice().filter({ hasText: "Requested" }).innerText({ timeout: 30_000 })).to.match(
      new RegExp(`^Requested ${units(shares, 12, 4).replace(".", "\\.")} pcUSD \\(request #\\d+\\); redeemable after the 14d cooldown$`),
    );
    const requested = await reader.position("conservative", buyer);
    expect(requested).to.include({ shares: 0n, pendingShares: shares });
    await page.waitForSelector("main:not([aria-busy])");
    expect(await page.getByTestId("position").locator("tbody tr").innerText()).to.match(
      new RegExp(`^0 pcUSD\\s+0 tUSD\\s+${units(shares, 12, 4).replace(".", "\\.")} pcUSD\\s+0 pcUSD\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\s+0 pcUSD`),
    );
    expect(await page.getByTestId("redeem").isDisabled(), "nothing is redeemable during the cooldown").to.equal(true);

    await page.getByTestId("cancel-request").click();
    await notice().filter({ hasText: "back in your balance" }).waitFor({ timeout: 30_000 });
    expect(await reader.position("conservative", buyer)).to.include({ shares, pendingShares: 0n, claimableShares: 0n });
  });

  it("refuses bad input with the SDK's typed error, sending nothing", async function () {
    const head = await chain.provider.getBlockNumber();
    await open("buy?product=1", "buy-form");
    await page.locator('input[name="amount"]').fill("1e6");
    await page.getByTestId("quote").click();
    expect(await notice().filter({ hasText: "InvalidAmount" }).innerText()).to.equal('InvalidAmount: amount = "1e6" (string) is not a decimal number in asset units (e.g. "1000" or "0.25")');
    expect(await page.getByTestId("buy").isDisabled()).to.equal(true);

    await open("underwrite?vault=conservative", "position");
    const balance = (await reader.position("conservative", buyer)).assetBalance;
    await page.locator('input[name="assets"]').fill("50000000");
    await page.getByTestId("deposit").click();
    expect(await notice().filter({ hasText: "InsufficientFunds" }).innerText()).to.equal(
      `InsufficientFunds: ${buyer} holds ${balance} of ${deployment.addresses.asset} but deposit needs ${50_000_000n * UNIT} (smallest units): nothing was sent`,
    );
    expect(await page.getByTestId("deposit").isDisabled(), "the page stays usable").to.equal(false);
    expect(await chain.provider.getBlockNumber(), "no transaction").to.equal(head);
  });

  it("files a claim with its bond once the waiting period is over", async function () {
    await chain.rpc("evm_increaseTime", [2 * DAY]);
    await chain.rpc("evm_mine");
    const [policy] = await reader.policiesOf(buyer);
    await open(`claim?policy=${policy!.id}`, "claim-form");
    await page.locator('input[name="amount"]').fill("25000");
    const bond = await reader.claimAdjudicator.bondFor(deployment.addresses.asset, 25_000n * UNIT);
    await page.getByTestId("claim-bond").filter({ hasText: `Bond: ${units(bond)} tUSD` }).waitFor();
    await shoot("claim");
    await page.getByTestId("file-claim").click();
    const filed = await notice().filter({ hasText: "Filed claim" }).innerText({ timeout: 30_000 });
    const claimId = BigInt(/^Filed claim #(\d+) with a bond of /.exec(filed)![1]!);
    expect(filed).to.contain(`with a bond of ${units(bond)} tUSD`);
    const claim = (await reader.claim(claimId))!;
    expect(claim).to.include({ policyId: policy!.id, amount: 25_000n * UNIT, bond, filer: buyer, state: "Pending" });

    await open("policies", "policies");
    expect(await page.getByTestId("policies").locator("tbody tr").first().innerText()).to.contain(`claim #${claimId}: 25,000 tUSD, Disputable`);
  });

  it("shows a confirmed incident's payouts under My policies and claims them, the breaker queueing what is over its limit", async function () {
    // A watcher (account 16, approved on the adjudicator) reports an exploit an hour ago paying 70% of cover; nobody
    // disputes it, and it is settled once its liveness is over.
    const watcher = await ParapetClient.connect(new Wallet(accountKey(WATCHER), chain.provider), deployment);
    const now = (await chain.provider.getBlock("latest"))!.timestamp;
    const { incidentId, expiration } = await watcher.reportIncident({ productId: 1n, incidentTime: now - 3600, payoutWad: 7n * 10n ** 17n, evidenceURI: "ipfs://exploit" });
    await chain.rpc("evm_setNextBlockTimestamp", [Number(expiration) + 1]);
    await chain.rpc("evm_mine");
    await watcher.settleIncident(incidentId);

    const policies = await reader.policiesOf(buyer);
    const owed = await Promise.all(policies.map((policy) => reader.claimAdjudicator.claimIncidentPayout.staticCall(policy.id, incidentId, { from: buyer })));
    expect(owed).to.deep.equal(policies.map((policy) => (policy.remaining * 7n) / 10n));
    await open("policies", "policies");
    for (const [index, policy] of policies.entries()) {
      expect(await page.getByTestId(`payout-${policy.id}-${incidentId}`).innerText()).to.equal(`Claim ${units(owed[index]!)} tUSD (incident #${incidentId})`);
    }
    await shoot("policies");

    const token = new Contract(deployment.addresses.asset, ["function balanceOf(address) view returns (uint256)"], chain.provider);
    const conservative = new Contract(deployment.addresses.vaults.conservative!, ["function queuedOutflowAssets() view returns (uint256)"], chain.provider);
    for (const [index, policy] of policies.entries()) {
      const balanceBefore = (await token.balanceOf(buyer)) as bigint;
      await page.getByTestId(`payout-${policy.id}-${incidentId}`).click();
      const paid = await notice().filter({ hasText: `paid ${units(owed[index]!)} tUSD` }).innerText({ timeout: 30_000 });
      expect(await reader.claimAdjudicator.incidentPaid(incidentId, policy.id)).to.equal(true);
      const received = ((await token.balanceOf(buyer)) as bigint) - balanceBefore;
      if (policy.vault === deployment.addresses.vaults.conservative) {
        // 70% of the conservative leg is more than a quarter of that vault's NAV: the breaker pays what its window
        // allows and queues the rest.
        const queued = (await conservative.queuedOutflowAssets()) as bigint;
        expect(queued > 0n && received > 0n).to.equal(true);
        expect(received + queued).to.equal(owed[index]);
        expect(paid).to.equal(`Incident #${incidentId} paid ${units(owed[index]!)} tUSD to ${buyer}, of which ${units(queued)} tUSD queued by the circuit breaker`);
      } else {
        expect(received).to.equal(owed[index]);
        expect(paid).to.equal(`Incident #${incidentId} paid ${units(owed[index]!)} tUSD to ${buyer}`);
      }
      await page.waitForSelector("main:not([aria-busy])");
      expect(await page.getByTestId(`payout-${policy.id}-${incidentId}`).count(), "paid once, the button goes").to.equal(0);
    }
  });

  it("shows the circuit breaker's queue on the underwriter page and pays it when the window allows", async function () {
    const vault = new Contract(
      deployment.addresses.vaults.conservative!,
      ["function queuedOutflowAssets() view returns (uint256)", "function queuedOutflow(uint256) view returns (tuple(address receiver, uint256 amount))"],
      chain.provider,
    );
    const queued = (await vault.queuedOutflowAssets()) as bigint;
    expect(queued > 0n).to.equal(true);
    await open("underwrite?vault=conservative", "queue");
    const rows = await page.getByTestId("queue").locator("tbody tr").allInnerTexts();
    expect(rows).to.have.length(1);
    expect(rows[0]).to.match(new RegExp(`^#\\d+\\s+${buyer.slice(0, 6)}…${buyer.slice(-4)}\\s+${units(queued)} tUSD$`));
    expect(await page.getByTestId("circuit-breaker").innerText()).to.contain(`Queued payouts: ${units(queued)} tUSD in 1 entry.`);
    await shoot("underwrite");

    // Two days later the rolling window has room again; anyone may pay the queue, here the buyer from the page.
    await chain.rpc("evm_increaseTime", [2 * DAY]);
    await chain.rpc("evm_mine");
    const allowance = (await new Contract(deployment.addresses.vaults.conservative!, ["function outflowAllowance() view returns (uint256)"], chain.provider).outflowAllowance()) as bigint;
    expect(allowance >= queued, `allowance ${allowance}, queued ${queued}`).to.equal(true);
    await open("underwrite?vault=conservative", "queue");
    const token = new Contract(deployment.addresses.asset, ["function balanceOf(address) view returns (uint256)"], chain.provider);
    const balanceBefore = (await token.balanceOf(buyer)) as bigint;
    await page.getByTestId("process-queue").click();
    expect(await notice().filter({ hasText: "from the queue" }).innerText({ timeout: 30_000 })).to.equal(`Paid ${units(queued)} tUSD from the queue`);
    expect(((await token.balanceOf(buyer)) as bigint) - balanceBefore).to.equal(queued);
    expect((await vault.queuedOutflowAssets()) as bigint).to.equal(0n);
    await page.waitForSelector("main:not([aria-busy])");
    expect(await page.getByTestId("circuit-breaker").innerText()).to.contain("The queue is empty.");
  });

});
