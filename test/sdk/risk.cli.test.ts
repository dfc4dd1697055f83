/**
 * `npm run risk` end to end in a child process (tsx, as the npm script runs it): the lines risk managers paste and
 * the backtest's two fixed-format lines on hand-made files whose scores are computed by hand, the SVG charts, and one
 * error line with exit code 1 for bad input.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TSX = path.join(ROOT, "node_modules/.bin/tsx");

function risk(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ["scripts/risk.ts", ...args], { cwd: ROOT });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out, err }));
  });
}

const HEADER = "date,protocol,chain,loss_usd,loss_raw,attack_type,attack_raw,poc_path,loss_basis,loss_amount,loss_unit";
const usdRow = (date: string, usd: number) => `${date},"P, Inc.",ethereum,${usd},"$${usd}",logic-error,Logic,,usd,${usd},USD`;

describe("npm run risk (command line)", function () {
  this.timeout(60_000);
  let dir: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "parapet-risk-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("backtest: the two fixed-format lines, hand-computed, and the severity chart", async () => {
    // Train: losses 1,000 and 100,000 in 2022-2023: lognormal median 10,000, 90th percentile 191,228; 1 incident a year.
    await writeFile(path.join(dir, "train.csv"), [HEADER, usdRow("2022-05-01", 1000), usdRow("2023-05-01", 100_000)].join("\n"));
    // Test: 5 dollar losses in 2024 (1 at or below 10,000, 4 at or below 191,228) and one token-only row: 6 incidents.
    const test = [9000, 11_000, 20_000, 150_000, 300_000].map((usd) => usdRow("2024-02-01", usd));
    test.push("2024-03-01,T,bsc,,27 ETH,reentrancy,Reentrancy,,token,27,ETH");
    await writeFile(path.join(dir, "test.csv"), [HEADER, ...test].join("\n"));
    const chart = path.join(dir, "backtest.svg");
    const run = await risk("backtest", "--train", path.join(dir, "train.csv"), "--test", path.join(dir, "test.csv"), "--chart", chart);
    expect(run.err).to.equal("");
    expect(run.code).to.equal(0);
    const lines = run.out.split("\n");
    expect(lines).to.include("severity quantile coverage: p50 20.0% p90 80.0%");
    expect(lines).to.include("frequency: predicted 1.0/yr observed 6.0/yr");
    const svg = await readFile(chart, "utf8");
    expect(svg).to.match(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/).and.to.include("empirical, test").and.to.include("fitted CDF");
  });

  it("split + backtest on the shipped data: writes both halves with the header and scores later years", async () => {
    const out = path.join(dir, "split");
    const split = await risk("split", "--csv", "data/exploits/defihacklabs-incidents.csv", "--year", "2023", "--out", out);
    expect(split.code).to.equal(0);
    expect(split.out).to.include("394 incidents up to 2023").and.to.include("189 after");
    const run = await risk("backtest", "--train", path.join(out, "train.csv"), "--test", path.join(out, "test.csv"), "--chart", path.join(dir, "b.svg"));
    expect(run.out).to.match(/^severity quantile coverage: p50 \d+\.\d% p90 \d+\.\d%$/m);
    expect(run.out).to.include("frequency: predicted 171.5/yr observed 189.0/yr");
  });

  it("assess: the breakdown, the curve and the setProductTerms values, and the rate-curve chart", async () => {
    const chart = path.join(dir, "assess.svg");
    const run = await risk("assess", "--profile", "docs/risk-model/yield-aggregator.json", "--as-of", "2025-01-01", "--chart", chart);
    expect(run.code).to.equal(0);
    expect(run.out).to.include("annual failure probability   39.20%");
    expect(run.out).to.include("recommended curve            base 17.45%, kink 60.00%, max 100.00%, capacity 25.00% of NAV");
    expect(run.out).to.include(
      "setProductTerms(productId, { capacityWad: 250000000000000000, baseRateWad: 174500000000000000, " +
        "kinkWad: 600000000000000000, maxRateWad: 1000000000000000000 })",
    );
    expect(await readFile(chart, "utf8")).to.include("recommended curve").and.to.include("model rate 17.44%");
  });

  it("bad input: one error line, exit code 1", async () => {
    await writeFile(path.join(dir, "bad.json"), JSON.stringify({ name: "x", category: "casino" }));
    const cases: Array<[string[], string]> = [
      [[], "risk: usage: npm run risk -- assess"],
      [["price"], 'risk: unknown command "price"'],
      [["assess"], "risk: --profile is required"],
      [["assess", "--profile", path.join(dir, "missing.json")], "risk: cannot read the profile"],
      [["assess", "--profile", path.join(dir, "bad.json")], "risk: profile.category must be one of lending"],
      [["assess", "--profile", path.join(dir, "bad.json"), "--min-rate", "two"], "risk: --min-rate must be a percentage"],
      [["backtest", "--train"], "risk: --train needs a value"],
      [["backtest", "--tset", "x"], 'risk: unknown option "--tset"'],
      [["split", "--csv", "data/exploits/defihacklabs-incidents.csv", "--year", "2030", "--out", dir], "risk: splitting at 2030 leaves 583 training and 0 test rows"],
    ];
    for (const [args, message] of cases) {
      const run = await risk(...args);
      expect(run.code, args.join(" ")).to.equal(1);
      expect(run.out, args.join(" ")).to.equal("");
      const lines = run.err.trimEnd().split("\n");
      expect(lines, args.join(" ")).to.have.length(1);
      expect(lines[0], args.join(" ")).to.include(message);
    }
  });
});

describe("model rate for the Hardhat tasks (scripts/tasks/lib/modelRate.ts)", () => {
  it("reads a seeded product's profile and rounds the model rate up to whole basis points; none without a profile", async () => {
    const { modelRateOf, formatModelRate } = await import("../../scripts/tasks/lib/modelRate.js");
    const { assessRisk, fractionToWadBps } = await import("../../sdk/src/risk/index.js");
    const profile: unknown = JSON.parse(await readFile(path.join(ROOT, "deploy/risk-profiles/lendora-v3.json"), "utf8"));
    const expected = fractionToWadBps(assessRisk(profile).rate.modelRate, true);
    const model = modelRateOf("lendora-v3")!;
    expect(model).to.deep.equal({ rateWad: expected, file: "deploy/risk-profiles/lendora-v3.json" });
    expect(expected % 10n ** 14n).to.equal(0n);
    expect(formatModelRate({ rateWad: 1357n * 10n ** 14n, file: "f.json" })).to.equal("13.57% a year (risk model, f.json)");
    // The parametric depeg product has no profile: its peril is a price feed, not the exploits the model is fitted to.
    expect(modelRateOf("usdx-depeg")).to.equal(undefined);
  });
});
