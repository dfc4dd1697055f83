/**
 * The SDK as a package: it compiles from its own sources (the typechain bindings it needs are committed under
 * sdk/src/typechain and must match the contracts), a type error fails the build without writing `dist`, and the
 * tarball `npm pack` makes carries every file its entry points import. The install of that tarball into an app
 * outside the repository, against a live node, is `scripts/check-sdk-package.ts`, run by `.ci/run`.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";

import { drift, ENTRY_FILES, generate } from "../../scripts/generate-sdk-typechain.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TSC = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");

describe("SDK package", function () {
  this.timeout(180_000);

  it("sdk/src/typechain matches the bindings `hardhat build` generates (run `npm run sdk:generate` otherwise)", () => {
    const files = generate();
    expect(drift(files)).to.deep.equal([]);
    for (const entry of ENTRY_FILES) expect([...files.keys()]).to.include(entry);
    expect(files.has("common.ts"), "the closure follows imports").to.equal(true);
  });

  it("no SDK source imports a file outside sdk/src", () => {
    const src = path.join(ROOT, "sdk", "src");
    const files = execFileSync("git", ["ls-files", "sdk/src"], { cwd: ROOT, encoding: "utf8" }).trim().split("\n");
    expect(files.length).to.be.greaterThan(20);
    const outside: string[] = [];
    for (const file of files) {
      for (const match of readFileSync(path.join(ROOT, file), "utf8").matchAll(/from\s+["'](\.{1,2}\/[^"']+)["']/g)) {
        const target = path.resolve(ROOT, path.dirname(file), match[1]!);
        if (!target.startsWith(src + path.sep)) outside.push(`${file}: ${match[1]}`);
      }
    }
    expect(outside).to.deep.equal([]);
  });

  it("a type error fails the build and writes no dist", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "parapet-sdk-build-"));
    try {
      cpSync(path.join(ROOT, "sdk", "src"), path.join(dir, "src"), { recursive: true });
      cpSync(path.join(ROOT, "sdk", "tsconfig.json"), path.join(dir, "tsconfig.json"));
      writeFileSync(path.join(dir, "src", "broken.ts"), "export const x: bigint = 'not a bigint';\n");
      // Resolve ethers and @types/node from the repository.
      symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
      const result = spawnSync(process.execPath, [TSC, "-p", "tsconfig.json"], { cwd: dir, encoding: "utf8" });
      expect(result.status).to.not.equal(0);
      expect(result.stdout).to.match(/broken\.ts.*TS2322/);
      expect(existsSync(path.join(dir, "dist")), "noEmitOnError: nothing written").to.equal(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("declares ethers as a peer dependency, a version, and exports that exist after the build", () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, "sdk", "package.json"), "utf8"));
    expect(manifest.name).to.equal("@parapet/sdk");
    expect(manifest.version).to.match(/^\d+\.\d+\.\d+/);
    expect(manifest.peerDependencies).to.have.property("ethers");
    expect(manifest.dependencies ?? {}).to.not.have.property("ethers");
    expect(manifest.exports["."].import).to.equal("./dist/index.js");
    expect(manifest.exports["./core"].import).to.equal("./dist/core/index.js");
  });
});
