/**
 * `npm run test:sdk-package` (run by `.ci/run`): the SDK as an outside app gets it. Packs `sdk/` (`npm pack` builds
 * it first), installs the tarball and ethers into a throw-away app in a temporary folder outside the repository,
 * type-checks the README's dApp snippet against the package's declarations, starts `npm run chain` on a free port,
 * and runs the snippet there with plain Node. Fails (exit 1) on any step; removes everything it made.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { snippetFor } from "./lib/readme-snippet.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const step = (text: string) => console.log(`\n▶ ${text}`);

const work = mkdtempSync(path.join(tmpdir(), "parapet-sdk-package-"));
const app = path.join(work, "app");
let chain: ReturnType<typeof spawn> | undefined;

async function main(): Promise<void> {
  step("npm pack (builds the SDK first)");
  const packed = execFileSync(NPM, ["pack", "--pack-destination", work, "--json"], { cwd: path.join(ROOT, "sdk"), encoding: "utf8" });
  const [{ filename, files, size }] = JSON.parse(packed.slice(packed.indexOf("["))) as Array<{ filename: string; files: Array<{ path: string }>; size: number }>;
  const tarball = path.join(work, path.basename(filename));
  const paths = files.map((file) => file.path);
  for (const required of ["dist/index.js", "dist/index.d.ts", "dist/core/index.js", "dist/typechain/common.js", "docs/api/classes/ParapetClient.md"]) {
    if (!paths.includes(required)) throw new Error(`the package lacks ${required}`);
  }
  console.log(`${path.basename(tarball)}: ${files.length} files, ${(size / 1024).toFixed(0)} KiB packed`);

  step("install the tarball and ethers into an app outside the repository");
  mkdirSync(app, { recursive: true });
  writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "parapet-sdk-smoke", private: true, type: "module" }, null, 2));
  const ethers = (JSON.parse(readFileSync(path.join(ROOT, "node_modules", "ethers", "package.json"), "utf8")) as { version: string }).version;
  execFileSync(NPM, ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball, `ethers@${ethers}`], { cwd: app, stdio: "inherit" });

  step("start npm run chain on a free port");
  mkdirSync(path.join(app, "deployments"));
  const url = await startChain(path.join(app, "deployments", "31337.json"));
  console.log(`chain at ${url}`);

  step("type-check the README snippet against the package's declarations, then run it with node");
  writeFileSync(path.join(app, "quickstart.ts"), snippetFor(url));
  writeFileSync(
    path.join(app, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { target: "es2022", module: "nodenext", moduleResolution: "nodenext", strict: true, noEmit: true, resolveJsonModule: true, skipLibCheck: false, types: [] },
      files: ["quickstart.ts"],
    }),
  );
  execFileSync(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], { cwd: app, stdio: "inherit" });
  const output = execFileSync(process.execPath, ["quickstart.ts"], { cwd: app, encoding: "utf8", timeout: 120_000 });
  process.stdout.write(output);
  if (!/^buyCover sent: 0x[0-9a-f]{64}$/m.test(output) || !/^3 \d+n \[ [\dn, ]+ \] \d+$/m.test(output)) {
    throw new Error("the snippet did not buy cover");
  }
  console.log("\n✔ the packed SDK installs outside the repository and runs the README snippet against a local chain");
}

/** Starts the `chain` task as a child process and resolves with its URL once it serves the deployment. */
function startChain(out: string): Promise<string> {
  const cli = path.join(ROOT, "node_modules", "hardhat", "dist", "src", "cli.js");
  chain = spawn(process.execPath, [cli, "chain", "--port", "0", "--out", out], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the chain did not start in 5 minutes:\n${log}`)), 300_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const url = /JSON-RPC \(HTTP and WebSocket\) at (http:\/\/[\d.]+:\d+)/.exec(log)?.[1];
      if (url !== undefined && log.includes("Press Ctrl-C")) {
        clearTimeout(timer);
        resolve(url);
      }
    };
    chain!.stdout!.on("data", onData);
    chain!.stderr!.on("data", onData);
    chain!.once("exit", (code) => reject(new Error(`the chain exited with code ${code}:\n${log}`)));
  });
}

try {
  await main();
} catch (error) {
  console.error(`\n✖ ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  chain?.kill("SIGINT");
  rmSync(work, { recursive: true, force: true });
}
