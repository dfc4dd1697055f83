/**
 * The README's dApp snippet runs as written against `npm run chain` (seeded vaults): started here as the chain task
 * starts it, the snippet executed in a child process with the SDK's source standing in for the package (the packed
 * package runs it too, in `scripts/check-sdk-package.ts`).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import hre from "hardhat";

import { snippetFor } from "../../scripts/lib/readme-snippet.js";
import { startLocalChain, type LocalChain } from "../../scripts/local-chain.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

describe("README dApp snippet", function () {
  this.timeout(240_000);
  let chain: LocalChain | undefined;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "parapet-readme-"));
    chain = await startLocalChain(hre, { port: 0, out: path.join(dir, "deployments", "31337.json"), quiet: true, seedDeposits: true });
  });

  after(async () => {
    await chain?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs as written on the seeded local chain and buys 250,000 units of cover", async () => {
    // An app folder: an ES module package whose `ethers` is the repository's.
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
    symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    const file = path.join(dir, "quickstart.ts");
    writeFileSync(file, snippetFor(chain!.url, path.join(ROOT, "sdk", "src", "index.ts")));
    // Asynchronously: the node serving the chain runs in this process and must keep answering.
    const result = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ["--import", "tsx", file], { cwd: dir, encoding: "utf8", timeout: 120_000 }, (error, stdout, stderr) =>
        resolve({ status: error === null ? 0 : (error.code as number | null) ?? null, stdout, stderr }),
      );
    });
    expect(result.stderr, result.stderr).to.equal("");
    expect(result.status).to.equal(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).to.match(/^buyCover sent: 0x[0-9a-f]{64}$/);
    // `console.log(products.length, quote.total, policyIds, mine.length)`, e.g. `3 2051605482n [ 1n, 2n ] 2`.
    const printed = /^(\d+) (\d+)n \[ ([\dn, ]+) \] (\d+)$/.exec(lines.at(-1)!);
    expect(printed, lines.at(-1)).to.not.equal(null);
    expect(printed![1]).to.equal("3");
    const ids = printed![3]!.split(", ").map((id) => BigInt(id.replace(/n$/, "")));
    const buyer = "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f";
    expect(await chain!.parapet.coverManager.balanceOf(buyer)).to.equal(BigInt(ids.length));
    expect(Number(printed![4])).to.equal(ids.length);
    let covered = 0n;
    for (const id of ids) {
      expect(await chain!.parapet.coverManager.ownerOf(id)).to.equal(buyer);
      covered += (await chain!.parapet.coverManager.getPolicy(id)).amount;
    }
    expect(covered).to.equal(250_000n * 10n ** 6n);
  });
});
