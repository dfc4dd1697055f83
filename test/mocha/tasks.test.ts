/**
 * The command-line tasks against a real local chain: `startLocalChain` (the code behind `npm run chain`) serves a node
 * over HTTP in this process and deploys through it, then each task runs in-process on a Hardhat runtime whose default
 * network is that node, exactly as `npx hardhat <task> --network localhost` would. Every task's happy path is checked
 * against chain state, and its bad inputs against an unchanged chain: the signer's nonce (nothing was sent) and the
 * state the task would have touched. Two CLI runs in a child process check the registration, the option spelling and
 * the exit code.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { parseUnits } from "ethers";
import hre from "hardhat";

import { formatAmount } from "../../scripts/lib/format.js";
import { loadDeployment } from "../../sdk/src/client/index.js";
import { startLocalChain, type LocalChain } from "../../scripts/local-chain.js";
import type { TaskResult } from "../../scripts/tasks/lib/cli.js";

const DAY = 86_400;
const usd = (amount: string | number) => parseUnits(amount.toString(), 6);

interface Run {
  ok: boolean;
  /** What the task returned (each task its own shape). */
  value: any;
  error: string;
  out: string;
  err: string;
}

async function captured<T>(body: () => Promise<T>): Promise<{ result: T; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const { log, error } = console;
  console.log = (...args: unknown[]) => void out.push(args.map(String).join(" "));
  console.error = (...args: unknown[]) => void err.push(args.map(String).join(" "));
  try {
    const result = await body();
    return { result, out: out.join("\n"), err: err.join("\n") };
  } finally {
    console.log = log;
    console.error = error;
  }
}

describe("command-line tasks", function () {
  this.timeout(120_000);

  let chain: LocalChain;
  let chainOutput: string;
  let dir: string;
  let deploymentFile: string;
  let signers: HardhatEthersSigner[];

  /** Runs a task in-process against the local chain, with the deployment file, capturing its output. */
  async function run(name: string, args: Record<string, unknown> = {}): Promise<Run> {
    const { result, out, err } = await captured(
      async () => (await chain.client.tasks.getTask(name).run({ deployment: deploymentFile, ...args })) as TaskResult,
    );
    return {
      ok: result.success,
      value: result.success ? result.value : undefined,
      error: result.success ? "" : result.error,
      out,
      err,
    };
  }

  /** Runs a task that must fail before sending anything: checks the message, stderr, and the signer's nonce. */
  async function rejects(name: string, args: Record<string, unknown>, message: RegExp): Promise<Run> {
    const signer = signers[(args.from as number | undefined) ?? 0] ?? signers[0];
    const nonce = await chain.connection.ethers.provider.getTransactionCount(signer.address);
    const result = await run(name, args);
    expect(result.ok, `${name} ${JSON.stringify(args)} should fail; output:\n${result.out}`).to.equal(false);
    expect(result.error, result.error).to.match(message);
    expect(result.err).to.equal(`Error: ${result.error}`);
    expect(result.err).to.not.match(/0x[0-9a-f]{72,}/i); // never raw revert data (a selector and a word or more)
    expect(await chain.connection.ethers.provider.getTransactionCount(signer.address), "nothing sent").to.equal(nonce);
    return result;
  }

  async function succeeds(name: string, args: Record<string, unknown>): Promise<Run> {
    const result = await run(name, args);
    expect(result.ok, `${name} ${JSON.stringify(args)} failed: ${result.error}\n${result.out}`).to.equal(true);
    return result;
  }

  const increaseTime = (seconds: number) => chain.connection.networkHelpers.time.increase(seconds);

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "parapet-tasks-"));
    deploymentFile = path.join(dir, "31337.json");
    const started = await captured(() => startLocalChain(hre, { port: 0, out: deploymentFile }));
    chain = started.result;
    chainOutput = started.out;
    signers = await chain.connection.ethers.getSigners();
  });

  after(async () => {
    await chain?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it("chain: serves a node with Parapet deployed, writes the deployment file, prints accounts and contracts", async () => {
    const deployment = JSON.parse(await readFile(deploymentFile, "utf8"));
    expect(deployment.chainId).to.equal(31337);
    expect(deployment.startBlock).to.be.greaterThan(0);
    const { vaults, ...contracts } = deployment.addresses;
    expect(Object.keys(vaults)).to.deep.equal(["conservative", "highYield"]);
    expect(Object.keys(contracts)).to.include.members([
      "accessManager", "productRegistry", "coverManager", "claimAdjudicator", "committeeArbiter", "asset", "priceFeedTrigger", "lens",
    ]);
    // The SDK reads the same file: its loader accepts it.
    expect(loadDeployment(deployment).addresses.lens).to.equal(deployment.addresses.lens);
    for (const address of [...Object.values(contracts), ...Object.values(vaults)] as string[]) {
      expect(await chain.connection.ethers.provider.getCode(address), address).to.not.equal("0x");
    }
    expect(deployment.addresses.coverManager).to.equal(await chain.parapet.coverManager.getAddress());
    expect(await chain.parapet.asset.getAddress()).to.equal(deployment.addresses.asset);
    expect((await chain.connection.ethers.provider.getBlock(deployment.startBlock))!.transactions).to.not.have.lengthOf(0);

    expect(chainOutput).to.include(chain.url);
    expect(chainOutput).to.include(deployment.addresses.coverManager);
    expect(chainOutput).to.match(/underwriter \(approved: vaults\)\s+0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc\s+1,000,000\.00/);
    expect(chainOutput).to.match(/buyer .*1,000,000\.00/);
    expect(chainOutput).to.include("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"); // account #0's key
  });

  it("vault:deposit: deposits in human or raw units; refuses bad vaults, amounts, balances and allowances", async () => {
    const { conservative, highYield } = chain.parapet.vaults;
    const [alice, bob] = [signers[5], signers[6]];
    const deposited = await succeeds("vault:deposit", { from: 5, vault: "conservative", amount: "400000" });
    expect(await conservative.balanceOf(alice.address)).to.equal(deposited.value.shares).and.to.be.greaterThan(0n);
    expect(deposited.out).to.match(/deposited\s+400,000\.00 tUSD/);
    await succeeds("vault:deposit", { from: 6, vault: await highYield.getAddress(), amount: "250000" });
    expect(await highYield.convertToAssets(await highYield.balanceOf(bob.address))).to.equal(usd(250_000));
    const raw = await succeeds("vault:deposit", { from: 7, vault: "HIGHYIELD", amount: "1000000", raw: true });
    expect(raw.out).to.match(/deposited\s+1000000 \(raw tUSD\)/);

    const supply = await conservative.totalSupply();
    await rejects("vault:deposit", { from: 5, vault: "nope", amount: "1" }, /unknown vault "nope": use one of conservative, highYield/);
    await rejects("vault:deposit", { from: 5, amount: "1" }, /--vault is required/);
    await rejects("vault:deposit", { from: 5, vault: "conservative", amount: "abc" }, /--amount must be a number \(got "abc"\)/);
    await rejects("vault:deposit", { from: 5, vault: "conservative", amount: "0" }, /--amount must be greater than 0/);
    await rejects("vault:deposit", { from: 5, vault: "conservative", amount: "-5" }, /--amount must be greater than 0/);
    await rejects("vault:deposit", { from: 5, vault: "conservative", amount: "1.0000001" }, /more than 6 decimals/);
    await rejects("vault:deposit", { from: 5, vault: "conservative", amount: "1.5", raw: true }, /integer number of raw units/);
    await rejects("vault:deposit", { from: 5, vault: "conservative", amount: "700000" }, /insufficient tUSD balance: 0x9965.* holds 600,000\.00 tUSD but needs 700,000\.00 tUSD/);
    await rejects("vault:deposit", { from: 0, vault: "conservative", amount: "5" }, /insufficient tUSD balance/);
    await rejects("vault:deposit", { from: 16, vault: "conservative", amount: "5" }, /insufficient allowance: .*rerun with --approve/);
    await rejects("vault:deposit", { from: 99, vault: "conservative", amount: "5" }, /--from must be an account index between 0 and 19/);
    expect(await conservative.totalSupply()).to.equal(supply);

    // --approve raises the allowance first, then deposits.
    const approved = await succeeds("vault:deposit", { from: 16, vault: "conservative", amount: "5", approve: true });
    expect(approved.out).to.match(/✔ approve 5\.00 tUSD to the conservative vault/);
    expect(await conservative.totalSupply()).to.be.greaterThan(supply);
  });

  it("vault:status: prices, NAV, APY estimate, utilization and a position; refuses unknown vaults and accounts", async () => {
    const all = await succeeds("vault:status", { account: signers[5].address });
    expect(all.out).to.match(/conservative vault \(pcUSD\)/).and.to.match(/highYield vault \(phyUSD\)/);
    const one = await succeeds("vault:status", { from: 5, vault: "conservative" });
    expect(one.out).to.match(/share price\s+1\.000000 tUSD per share/);
    expect(one.out).to.match(/APY estimate\s+0\.00%/);
    const capacity = formatAmount(await chain.parapet.vaults.conservative.capacityOf(1n), 6);
    expect(one.out).to.match(new RegExp(`#1 lendora-v3\\s+${capacity} tUSD\\s+0\\.00 tUSD\\s+0\\.00%`));
    expect(one.out).to.match(/shares\s+400,000\.0000/).and.to.match(/redemption request\s+none/);
    const allowance = formatAmount(await chain.parapet.vaults.conservative.outflowAllowance(), 6);
    expect(one.out).to.match(
      new RegExp(`circuit breaker\\s+25\\.00% of NAV per 1d: 0\\.00 tUSD left recently, ${allowance} tUSD may leave now`),
    );
    expect(one.out).to.match(/outflow queue\s+empty/);
    // The risk model's rate beside the curve, for the seeded products with a profile (deploy/risk-profiles/).
    expect(one.out).to.match(/model rate #1 lendora-v3: \d+\.\d\d% a year \(risk model, deploy\/risk-profiles\/lendora-v3\.json\); curve base 2\.50%, product floor 2\.00%/);
    expect(one.out).not.to.match(/model rate #3/);
    await rejects("vault:status", { vault: "nope" }, /unknown vault/);
    await rejects("vault:status", { vault: "0x000000000000000000000000000000000000dEaD" }, /is not a vault listed in the product registry/);
    await rejects("vault:status", { account: "bob" }, /--account must be an address/);
  });

  it("cover:quote: quotes one vault or every backing vault; refuses bad products, periods and oversized cover", async () => {
    const { coverManager, vaults } = chain.parapet;
    const all = await succeeds("cover:quote", { product: "lendora-v3", amount: "100000", days: "180" });
    const expected = await coverManager.quotePremium(1n, vaults.conservative, usd(100_000), 180n * BigInt(DAY));
    expect(all.value.quotes).to.have.length(2);
    expect(all.value.quotes[0]).to.deep.equal({ vault: "conservative", premium: expected[0], protocolFee: expected[1], matchesSdk: true });
    expect(all.value.route).to.deep.equal([{ vault: "conservative", amount: usd(100_000), premium: expected[0] }]);
    expect(all.out).to.match(/conservative\s+1,232\.87 tUSD\s+123\.28 tUSD\s+1,356\.16 tUSD\s+2\.50%/);
    expect(all.out).to.match(/^model rate \d+\.\d\d% a year \(risk model, deploy\/risk-profiles\/lendora-v3\.json\)$/m);
    const one = await succeeds("cover:quote", { product: "swappeak-dex", vault: "highYield", amount: "1000", days: "30" });
    expect(one.value.quotes).to.have.length(1);
    expect(one.value.route).to.equal(undefined);
    // Too large for either vault alone: the router splits it.
    const split = await succeeds("cover:quote", { product: "1", amount: "300000", days: "30" });
    expect(split.value.quotes).to.deep.equal([]);
    expect(split.value.route.map((leg: { vault: string }) => leg.vault)).to.deep.equal(["conservative", "highYield"]);
    expect(split.out).to.match(/unavailable from conservative: InsufficientCapacity\(requested=300000000000, available=\d+\)/);
    expect(split.out).to.match(/Cheapest route .*: conservative [\d,.]+ tUSD \+ highYield [\d,.]+ tUSD/);

    await rejects("cover:quote", { product: "99", amount: "1", days: "30" }, /unknown product "99": products are 1 \(lendora-v3\), 2 \(swappeak-dex\), 3 \(usdx-depeg\)/);
    await rejects("cover:quote", { product: "1", amount: "1", days: "x" }, /--days must be a number of days/);
    await rejects("cover:quote", { product: "1", amount: "many", days: "30" }, /--amount must be a number/);
    await rejects(
      "cover:quote",
      { product: "1", vault: "conservative", amount: "1000000", days: "30" },
      /no quote from the conservative vault: InsufficientCapacity\(requested=1000000000000, available=\d+\) \[requested 1,000,000.00 tUSD, available [\d,.]+ tUSD\]/,
    );
    await rejects("cover:quote", { product: "1", vault: "conservative", amount: "1000", days: "1" }, /InvalidCoverPeriod\(period=86400, minPeriod=604800, maxPeriod=31536000\)/);
    await rejects("cover:quote", { product: "1", amount: "5000000", days: "30" }, /no vault can sell this cover now: .*InsufficientCapacity/);
  });

  it("cover:buy: buys within the slippage bound, to the signer or a receiver; refuses bad input and short balances", async () => {
    const { coverManager, asset, vaults } = chain.parapet;
    const [buyer, fund, receiver] = [signers[8], signers[9], signers[10]];
    const before = await asset.balanceOf(buyer.address);
    const [premium, fee] = await coverManager.quotePremium(1n, vaults.conservative, usd(100_000), 180n * BigInt(DAY));
    const bought = await succeeds("cover:buy", { from: 8, product: "1", vault: "conservative", amount: "100000", days: "180" });
    expect(bought.value.policyId).to.equal(1n);
    expect(await coverManager.ownerOf(1n)).to.equal(buyer.address);
    expect(before - (await asset.balanceOf(buyer.address))).to.equal(bought.value.paid).and.to.equal(premium + fee);
    expect(bought.out).to.match(/policy\s+#1 \(NFT held by 0x23618e81/).and.to.match(/\+ 50 bps slippage/);
    const gift = await succeeds("cover:buy", {
      from: 9, product: "swappeak-dex", vault: "highYield", amount: "50000", days: "30", slippageBps: "100", receiver: receiver.address,
    });
    expect(await coverManager.ownerOf(gift.value.policyId)).to.equal(receiver.address);

    const count = await coverManager.policyCount();
    const buy = { from: 9, product: "1", vault: "conservative", amount: "1000", days: "30" };
    await rejects("cover:buy", { ...buy, from: 0 }, /insufficient tUSD balance: .* needs \d\.\d\d tUSD for the premium and protocol fee/);
    await rejects("cover:buy", { ...buy, from: 16 }, /insufficient allowance: .* the CoverManager .*rerun with --approve/);
    await rejects("cover:buy", { ...buy, vault: "riskiest" }, /unknown vault "riskiest"/);
    await rejects("cover:buy", { ...buy, product: "aave" }, /unknown product "aave"/);
    await rejects("cover:buy", { ...buy, product: "lendora" }, /--product "lendora" is not a product name; .*did you mean lendora-v3 \(1\)\?/);
    await rejects("cover:buy", { ...buy, product: "e" }, /did you mean lendora-v3 \(1\) or swappeak-dex \(2\) or usdx-depeg \(3\)\?/);
    await rejects("cover:buy", { ...buy, amount: "1e6" }, /--amount must be a number/);
    await rejects("cover:buy", { ...buy, slippageBps: "abc" }, /--slippage-bps must be an integer number of basis points/);
    await rejects("cover:buy", { ...buy, receiver: "0x1234" }, /--receiver must be an address/);
    await rejects(
      "cover:buy",
      { ...buy, amount: "6000000" },
      /AmountAboveMaxCoverPerPolicy\(amount=6,000,000.00 tUSD, maxCoverPerPolicy=5,000,000.00 tUSD\)/,
    );
    await rejects("cover:buy", { ...buy, days: "1" }, /PeriodOutOfRange\(period=1d, minPeriod=7d, maxPeriod=365d\)/);
    expect(await coverManager.policyCount()).to.equal(count);
    expect(await coverManager.balanceOf(fund.address)).to.equal(0n);
  });

  it("cover:list: lists the policies an account holds; refuses a bad owner", async () => {
    const mine = await succeeds("cover:list", { from: 8 });
    expect(mine.value).to.deep.equal([1n]);
    expect(mine.out).to.match(/#1\s+#1 lendora-v3\s+conservative\s+100,000\.00 tUSD\s+0\.00 tUSD/);
    const gifted = await succeeds("cover:list", { owner: signers[10].address });
    expect(gifted.value).to.deep.equal([2n]);
    const none = await succeeds("cover:list", { owner: signers[9].address });
    expect(none.value).to.deep.equal([]);
    expect(none.out).to.match(/holds no policies/);
    await rejects("cover:list", { owner: "nobody" }, /--owner must be an address \(got "nobody"\)/);
  });

  it("claim:file: files a bonded claim as the holder; refuses strangers, unknown policies, bad amounts and times", async () => {
    const { claimAdjudicator, asset } = chain.parapet;
    await increaseTime(2 * DAY); // past the products' one-day coverage lag
    const claim = { from: 8, policy: "1", amount: "25000", incidentTime: "now-1h", evidence: "ipfs://evidence/exploit" };
    await rejects("claim:file", { ...claim, from: 9 }, /policy #1 is held by 0x23618e81.*, not by the signer 0xa0Ee7A14.*: sign as the holder with --from/);
    await rejects("claim:file", { ...claim, policy: "99" }, /policy #99 does not exist/);
    await rejects("claim:file", { ...claim, policy: "one" }, /--policy must be a positive integer id/);
    await rejects("claim:file", { ...claim, amount: "200000" }, /more than the policy's remaining cover of 100,000\.00 tUSD/);
    await rejects("claim:file", { ...claim, amount: "zero" }, /--amount must be a number/);
    await rejects("claim:file", { ...claim, incidentTime: "yesterday" }, /--incident-time must be unix seconds, an ISO date/);
    await rejects("claim:file", { ...claim, incidentTime: "now-30d" }, /IncidentOutsideCover\(policyId=1, incidentTime=\d+ \[.*\], coveredFrom=/);
    await rejects("claim:file", { ...claim, evidence: undefined }, /--evidence is required/);
    expect(await claimAdjudicator.claimCount()).to.equal(0n);

    const before = await asset.balanceOf(signers[8].address);
    const filed = await succeeds("claim:file", claim);
    expect(filed.value.claimId).to.equal(1n);
    expect(filed.value.bond).to.equal(usd(1_250)); // 5% of the claim
    expect(before - (await asset.balanceOf(signers[8].address))).to.equal(usd(1_250));
    expect((await claimAdjudicator.getClaim(1n)).amount).to.equal(usd(25_000));
    expect(filed.out).to.match(/bond posted\s+1,250\.00 tUSD/);
    await rejects("claim:file", claim, /ClaimAlreadyOpen\(policyId=1, claimId=1\)/);
    // A second claim, by the holder of the gifted policy, for the dispute below.
    await succeeds("claim:file", { from: 10, policy: "2", amount: "10000", incidentTime: "2h-ago", evidence: "ipfs://evidence/dubious" });
  });

  it("claim:status: shows a claim and its next step, or lists them all; refuses unknown claims", async () => {
    const one = await succeeds("claim:status", { claim: "1" });
    expect(one.value.state).to.equal("pending");
    expect(one.out).to.match(/Claim #1: pending/).and.to.match(/next\s+disputable until .* \(in 2d 23h|in 3d\)/);
    const all = await succeeds("claim:status", {});
    expect(all.value).to.deep.equal([1n, 2n]);
    await rejects("claim:status", { claim: "3" }, /claim #3 does not exist \(2 claims filed\)/);
    await rejects("claim:status", { claim: "abc" }, /--claim must be a positive integer id/);
  });

  it("claim:dispute: disputes with an equal bond; refuses disputed or unknown claims and short balances", async () => {
    const { claimAdjudicator, committeeArbiter } = chain.parapet;
    await rejects("claim:dispute", { from: 12, claim: "2" }, /insufficient tUSD balance: .* needs 500\.00 tUSD for the dispute bond/);
    await rejects("claim:dispute", { from: 16, claim: "7" }, /claim #7 does not exist/);
    const disputed = await succeeds("claim:dispute", { from: 16, claim: "2" });
    expect((await claimAdjudicator.getClaim(2n)).state).to.equal(2n); // Disputed
    expect((await committeeArbiter.getCase(disputed.value.caseId)).quorum).to.equal(2n);
    expect(disputed.out).to.match(/committee votes until/);
    await rejects("claim:dispute", { from: 16, claim: "2" }, /dispute claim #2: the transaction would revert with InvalidAssertionState\(key=0x0+2, state=Disputed\)/);
    const status = await succeeds("claim:status", { claim: "2" });
    expect(status.out).to.match(/committee votes\s+0 approve \/ 0 reject, quorum 2/).and.to.match(/awaiting the committee's ruling/);
  });

  it("claim:settle: refuses before the liveness ends or a ruling comes, then pays the holder", async () => {
    const { claimAdjudicator, asset } = chain.parapet;
    const holder = signers[8].address;
    await rejects("claim:settle", { from: 12, claim: "1" }, /LivenessNotExpired\(key=0x0+1, expiration=\d+ \[\d{4}-\d\d-\d\d .* UTC\]\)/);
    expect((await claimAdjudicator.getClaim(1n)).state).to.equal(1n); // still Pending
    await increaseTime(3 * DAY);
    const before = await asset.balanceOf(holder);
    const settled = await succeeds("claim:settle", { from: 12, claim: "1" });
    expect(settled.value).to.deep.equal({ claimId: 1n, state: "approved", paid: usd(25_000) });
    expect((await asset.balanceOf(holder)) - before).to.equal(usd(25_000) + usd(1_250)); // payout + bond back
    expect(settled.out).to.match(/outcome\s+approved/).and.to.match(/payout\s+25,000\.00 tUSD to 0x23618e81/);
    await rejects("claim:settle", { from: 12, claim: "2" }, /AwaitingRuling\(key=0x0+2, drawAt=\d+/);
    await rejects("claim:settle", { from: 12, claim: "1" }, /InvalidAssertionState\(key=0x0+1, state=Approved\)/);
  });


  it("committee:vote and committee:resolve: members vote, the ruling is delivered; refuse non-members and early rulings", async () => {
    const { committeeArbiter, claimAdjudicator } = chain.parapet;
    await rejects("committee:vote", { from: 13, case: "1" }, /give either --approve or --reject/);
    await rejects("committee:vote", { from: 0, case: "1", reject: true }, /vote to reject on case #1: the transaction would revert with NotEligibleMember\(caseId=1, account=0xf39f/);
    await rejects("committee:vote", { from: 13, case: "9", reject: true }, /UnknownCase\(caseId=9\)/);
    await rejects("committee:resolve", { from: 12, case: "1" }, /QuorumNotReached\(caseId=1, approvals=0, rejections=0, quorum=2\)/);
    const first = await succeeds("committee:vote", { from: 13, case: "1", reject: true });
    expect(first.out).to.match(/votes\s+0 approve \/ 1 reject, quorum 2/).and.to.match(/The quorum is not reached yet/);
    const second = await succeeds("committee:vote", { from: 14, case: "#1", reject: true });
    expect(second.value).to.deep.equal({ caseId: 1n, approvals: 0n, rejections: 2n });
    expect(second.out).to.match(/committee:resolve --case 1 delivers the ruling/);
    await rejects("committee:vote", { from: 15, case: "1", approve: true }, /CaseAlreadyDecided\(caseId=1\)/);
    const resolved = await succeeds("committee:resolve", { from: 12, case: "1" });
    expect(resolved.value).to.deep.equal({ caseId: 1n, approved: false });
    expect(resolved.out).to.match(/ruling\s+rejected/);
    expect((await committeeArbiter.getCase(1n)).resolved).to.equal(true);
    // The ruling is executed by settling: the claim is rejected and nothing is paid.
    const settled = await succeeds("claim:settle", { from: 12, claim: "2" });
    expect(settled.value).to.deep.equal({ claimId: 2n, state: "rejected", paid: 0n });
    expect((await claimAdjudicator.getClaim(2n)).state).to.equal(4n); // Rejected
  });
  it("incident:report: reports a bonded incident; refuses parametric products, bad ratios and future times", async () => {
    const { claimAdjudicator, productRegistry } = chain.parapet;
    const report = { from: 16, product: "2", incidentTime: "now-10m", payoutPct: "30", evidence: "ipfs://evidence/governance-attack" };
    await rejects("incident:report", { ...report, product: "usdx-depeg" }, /product #3 \(usdx-depeg\) is parametric/);
    await rejects("incident:report", { ...report, product: "77" }, /unknown product "77"/);
    await rejects("incident:report", { ...report, payoutPct: "130" }, /--payout-pct must be greater than 0 and at most 100/);
    await rejects("incident:report", { ...report, payoutPct: "0" }, /--payout-pct must be greater than 0/);
    await rejects("incident:report", { ...report, incidentTime: "2999-01-01T00:00:00Z" }, /IncidentNotInPast\(incidentTime=32472144000 \[2999-01-01 00:00:00 UTC\], timestamp=\d+ \[/);
    await rejects("incident:report", { ...report, from: 12 }, /insufficient tUSD balance: .* needs 10,000\.00 tUSD for the incident bond/);
    expect(await claimAdjudicator.incidentCount()).to.equal(0n);

    const reported = await succeeds("incident:report", report);
    expect(reported.value.incidentId).to.equal(1n);
    expect((await productRegistry.getProduct(2n)).openIncidents).to.equal(1n);
    expect(reported.out).to.match(/payout\s+30\.00% of each eligible policy's remaining cover/);
    // Sales of the product stop while the incident is open: the quote says so, decoded.
    await rejects("cover:quote", { product: "2", vault: "highYield", amount: "1000", days: "30" }, /IncidentPending\(productId=2\)/);
  });

  it("trigger:check: reads the feeds, fires only what can fire; refuses products without a trigger", async () => {
    const { priceFeed, priceFeedTrigger } = chain.parapet;
    const stale = await succeeds("trigger:check", { fire: true });
    expect(stale.out).to.match(/#3 usdx-depeg .*< 0\.97 .*stale answer/).and.to.match(/Nothing to fire/);
    expect(stale.value.fired).to.deep.equal([]);
    await rejects("trigger:check", { product: "1" }, /product #1 \(lendora-v3\) has no parametric trigger/);
    await rejects("trigger:check", { product: "nope" }, /unknown product "nope"/);

    await (await priceFeed.updateAnswer(95_000_000n)).wait(); // USDx at $0.95
    const ready = await succeeds("trigger:check", {});
    expect(ready.out).to.match(/0\.95\s+< 0\.97 .*none \(can fire\)/).and.to.match(/1 trigger\(s\) can fire: rerun with --fire/);
    expect(await priceFeedTrigger.fired()).to.equal(false);
    const fired = await succeeds("trigger:check", { product: "usdx-depeg", fire: true, from: 12 });
    expect(fired.value.fired).to.deep.equal([2n]);
    expect(await priceFeedTrigger.fired()).to.equal(true);
    // One-shot: firing disarmed the product's trigger, and its sales stop until a new one is armed.
    const after = await succeeds("trigger:check", {});
    expect(after.out).to.match(/No product has a parametric trigger/);
  });


  it("incident:dispute, incident:settle, incident:payout, incident:top-up: a disputed report confirmed by the committee pays each policy", async () => {
    const { claimAdjudicator, asset } = chain.parapet;
    await rejects("incident:settle", { from: 12, incident: "1" }, /settle incident #1: the transaction would revert with LivenessNotExpired\(key=0x/);
    await rejects("incident:dispute", { from: 9, incident: "2" }, /InvalidAssertionState\(key=0x[0-9a-f]+, state=Approved\)/); // the fired trigger's incident
    await rejects("incident:dispute", { from: 12, incident: "1" }, /insufficient tUSD balance: .* needs 10,000\.00 tUSD for the dispute bond/);
    await rejects("incident:dispute", { from: 9, incident: "5" }, /incident #5 does not exist \(2 incidents reported\)/);
    const disputed = await succeeds("incident:dispute", { from: 9, incident: "1" });
    expect(disputed.value).to.deep.equal({ incidentId: 1n, caseId: 2n });
    expect(disputed.out).to.match(/bond posted\s+10,000\.00 tUSD/).and.to.match(/committee case\s+#2/);
    expect((await claimAdjudicator.getIncident(1n)).state).to.equal(2n); // Disputed
    await succeeds("committee:vote", { from: 13, case: "2", approve: true });
    await succeeds("committee:vote", { from: 15, case: "2", approve: true });
    await succeeds("committee:resolve", { from: 12, case: "2" });
    const settled = await succeeds("incident:settle", { from: 12, incident: "1" });
    expect(settled.value).to.deep.equal({ incidentId: 1n, state: "approved" });
    expect(settled.out).to.match(/reserve of highYield\s+15,000\.00 tUSD of 15,000\.00 tUSD it may owe/);
    expect(settled.out).to.match(/bond to the disputer\s+0\.00 tUSD/);

    // Policy #2 (50,000 tUSD of SwapPeak cover, held by account 10): 30% of its cover, paid to the holder by anyone.
    const holder = signers[10].address;
    const before = await asset.balanceOf(holder);
    const paid = await succeeds("incident:payout", { from: 12, incident: "1", policy: "2" });
    expect(paid.value).to.deep.equal({ incidentId: 1n, policyId: 2n, payout: usd(15_000), queued: 0n });
    expect((await asset.balanceOf(holder)) - before).to.equal(usd(15_000));
    expect(paid.out).to.match(/payout\s+15,000\.00 tUSD to 0x/).and.to.match(/paid now\s+15,000\.00 tUSD/);
    await rejects("incident:payout", { from: 12, incident: "1", policy: "2" }, /IncidentAlreadyPaid\(incidentId=1, policyId=2\)/);
    await rejects("incident:payout", { from: 12, incident: "1", policy: "1" }, /PolicyNotOnProduct\(policyId=1, productId=2\)/);
    // Paid in full: nothing to top up.
    await rejects("incident:top-up", { from: 12, incident: "1", policy: "2" }, /top up policy #2 for incident #1: the transaction would revert with NoTopUp\(incidentId=1, policyId=2\)/);
    await rejects("incident:top-up", { from: 12, incident: "x", policy: "2" }, /--incident must be a positive integer id/);
  });
  it("vault:request-redeem and vault:redeem: request, wait out the cooldown, redeem; refuse early or oversized exits", async () => {
    const { vaults, asset } = chain.parapet;
    const alice = signers[5].address;
    await rejects("vault:request-redeem", { from: 5, vault: "conservative" }, /give either --shares <amount> or --all/);
    await rejects("vault:request-redeem", { from: 5, vault: "conservative", shares: "1", all: true }, /give either --shares <amount> or --all/);
    await rejects("vault:request-redeem", { from: 5, vault: "conservative", shares: "500000" }, /insufficient shares: .* holds 400,000\.0000 shares/);
    await rejects("vault:request-redeem", { from: 12, vault: "conservative", all: true }, /holds no shares of the conservative vault/);
    await rejects("vault:redeem", { from: 5, vault: "conservative" }, /has no redemption request on the conservative vault: run vault:request-redeem first/);

    const requested = await succeeds("vault:request-redeem", { from: 5, vault: "conservative", shares: "100000" });
    expect((await vaults.conservative.redeemRequest(alice)).shares).to.equal(requested.value.shares);
    expect(requested.out).to.match(/redeemable from .* \(in 14d\)/);
    await rejects("vault:redeem", { from: 5, vault: "conservative" }, /still in its cooldown: redeemable from .* \(in 14d\)/);
    await increaseTime(14 * DAY);
    await rejects("vault:redeem", { from: 5, vault: "conservative", shares: "200000" }, /more than the request holds/);
    const before = await asset.balanceOf(alice);
    const redeemed = await succeeds("vault:redeem", { from: 5, vault: "conservative" });
    expect(redeemed.value.shares).to.equal(requested.value.shares);
    expect((await asset.balanceOf(alice)) - before).to.equal(redeemed.value.assets).and.to.be.greaterThan(usd(90_000));
    expect((await vaults.conservative.redeemRequest(alice)).shares).to.equal(0n);
    expect(redeemed.out).to.match(/received\s+[\d,.]+ tUSD/);
    const empty = await succeeds("vault:process-queue", { vault: "conservative" });
    expect(empty.out).to.match(/the conservative vault's outflow queue is empty: nothing to pay/);
    expect(empty.value).to.deep.equal({ paid: 0n, payments: 0 });
    await rejects("vault:process-queue", { vault: "conservative", entries: 0 }, /--entries must be at least 1, not 0/);
  });


  it("vault:cancel-request and vault:withdraw-parked: the escrowed shares come back; refuse when there is nothing to act on", async () => {
    const { vaults } = chain.parapet;
    const alice = signers[5].address;
    await rejects("vault:cancel-request", { from: 5, vault: "conservative" }, /has no redemption request on the conservative vault: nothing to cancel/);
    const shares = await vaults.conservative.balanceOf(alice);
    await succeeds("vault:request-redeem", { from: 5, vault: "conservative", shares: "1000" });
    expect(await vaults.conservative.balanceOf(alice)).to.equal(shares - 10n ** 15n);
    const cancelled = await succeeds("vault:cancel-request", { from: 5, vault: "conservative" });
    expect(cancelled.value).to.deep.equal({ shares: 10n ** 15n });
    expect(cancelled.out).to.match(/shares returned\s+1,000\.0000 \(≈ [\d,.]+ tUSD at today's bid\)/);
    expect(await vaults.conservative.balanceOf(alice)).to.equal(shares);
    expect((await vaults.conservative.redeemRequest(alice)).shares).to.equal(0n);

    await rejects("vault:withdraw-parked", { from: 10, vault: "highYield" }, /--to is required/);
    await rejects("vault:withdraw-parked", { from: 10, vault: "highYield", to: "me" }, /--to must be an address/);
    await rejects(
      "vault:withdraw-parked",
      { from: 10, vault: "highYield", to: signers[11].address },
      /0xBcd4042DE499D14e55001CcbB24a551F3b954096 has no parked payout in the highYield vault \(0 tUSD\): nothing to withdraw/,
    );
  });
  it("cover:buy without --vault: buys the cheapest split across the backing vaults in one transaction", async () => {
    const { coverManager } = chain.parapet;
    const whale = signers[11];
    const count = await coverManager.policyCount();
    const bought = await succeeds("cover:buy", { from: 11, product: "lendora-v3", amount: "250000", days: "30" });
    expect(bought.value.policyIds).to.have.length(2);
    expect(await coverManager.policyCount()).to.equal(count + 2n);
    expect(await coverManager.balanceOf(whale.address)).to.equal(2n);
    const legs = await Promise.all(bought.value.policyIds.map((id: bigint) => coverManager.getPolicy(id)));
    expect(legs.reduce((sum, leg) => sum + leg.amount, 0n)).to.equal(usd(250_000));
    expect(bought.out).to.match(/policies\s+#\d+, #\d+ \(NFT held by/);
    await rejects("cover:buy", { from: 11, product: "lendora-v3", amount: "5000000", days: "30" }, /InsufficientCapacity/);
  });

  it("claim:dispute before UMA's DVM, uma:vote, claim:push: the vote settles the claim, never a draw", async () => {
    const { claimAdjudicator, coverManager, umaArbiter, productIds } = chain.parapet;
    await (await claimAdjudicator.connect(signers[2]).setProductArbiter(productIds.lending, umaArbiter)).wait();
    const policy = await coverManager.policyCount(); // the whale's last split leg, on lendora
    await increaseTime(2 * DAY);
    const filed = await succeeds("claim:file", { from: 11, policy: policy.toString(), amount: "10000", incidentTime: "now-1h", evidence: "ipfs://evidence/uma" });
    const claim = filed.value.claimId.toString();
    const disputed = await succeeds("claim:dispute", { from: 16, claim });
    expect(disputed.out).to.match(/UMA assertion\s+0x[0-9a-f]{64} \(UMA's DVM votes; no draw/);
    expect(disputed.out).to.match(/UMA escalation deposit\s+1,000\.00 tUSD/);
    expect(disputed.out).not.to.match(/draw without a ruling/);
    const waiting = await succeeds("claim:status", { claim });
    expect(waiting.out).to.match(/arbiter\s+UMA's DVM at 0x/).and.to.match(/DVM status\s+awaiting the DVM vote/);
    expect(waiting.out).to.match(/next\s+awaiting UMA's DVM vote \(no draw/);
    await rejects("claim:push", { claim }, new RegExp(`claim #${claim}: UMA's DVM has not voted yet`));
    await rejects("uma:vote", { claim }, /give either --uphold or --reject/);
    await succeeds("uma:vote", { claim, reject: true });
    await rejects("uma:vote", { claim, uphold: true }, /the DVM has voted already \(VoteIn\)/);
    expect((await succeeds("claim:status", { claim })).out).to.match(/DVM status\s+voted, not yet pushed/);
    const pushed = await succeeds("claim:push", { claim });
    expect(pushed.value.approved).to.equal(false);
    expect(pushed.out).to.match(/DVM ruling\s+claim rejected/);
    const settled = await succeeds("claim:settle", { claim });
    expect(settled.value.state).to.equal("rejected");
    expect((await claimAdjudicator.getClaim(BigInt(claim))).state).to.equal(4n); // Rejected
  });

  it("every task: refuses a missing or foreign deployment file before connecting to anything else", async () => {
    await rejects("vault:status", { deployment: path.join(dir, "missing.json") }, /cannot read the deployment file/);
    const foreign = path.join(dir, "foreign.json");
    await writeFile(foreign, JSON.stringify({ ...JSON.parse(await readFile(deploymentFile, "utf8")), chainId: 1 }));
    await rejects("cover:list", { deployment: foreign }, /is for chain 1, but the network is chain 31337/);
    const broken = path.join(dir, "broken.json");
    await writeFile(broken, JSON.stringify({ chainId: 31337, startBlock: 0, addresses: { coverManager: "0x12" } }));
    await rejects("claim:status", { deployment: broken }, /addresses\.accessManager is not an address/);
  });

  it("the CLI: tasks are registered with kebab-case options and exit with code 1 and one error line", async () => {
    const cli = path.join(hre.config.paths.root, "node_modules", "hardhat", "dist", "src", "cli.js");
    const hardhat = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [cli, ...args], {
          cwd: hre.config.paths.root,
          env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.on("close", (code) => resolve({ code, stdout, stderr }));
      });
    const [help, failure] = await Promise.all([
      hardhat(["cover:buy", "--help"]),
      // No --network: the in-process default chain, where the deployment's contracts do not exist.
      hardhat(["vault:deposit", "--vault", "conservative", "--amount", "1", "--deployment", deploymentFile]),
    ]);
    expect(help.code, help.stderr).to.equal(0);
    for (const option of ["--product", "--vault", "--amount", "--days", "--slippage-bps", "--receiver", "--approve", "--raw", "--from", "--deployment"]) {
      expect(help.stdout).to.include(option);
    }
    expect(failure.code).to.equal(1);
    expect(failure.stderr.trim()).to.match(/^Error: no Parapet contracts on network "default" \(chain 31337\)/);
    expect(failure.stderr).to.not.include("    at "); // no stack trace
  });
});
