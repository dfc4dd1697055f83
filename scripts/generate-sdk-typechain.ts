/**
 * Copies into `sdk/src/typechain/` the typechain bindings the SDK client imports (the protocol's interface ABIs as
 * factories, and the contract types its handles are typed with), with every file they import in turn, keeping
 * typechain's layout. The SDK then compiles from its own sources alone: a clean clone builds it with `npm run
 * build:sdk`, without a prior `hardhat build`, and the packed package carries everything it imports.
 *
 * Deterministic: `test/sdk/typechain.test.ts` runs it in `--check` mode after the build and fails if the committed
 * copy drifted from the contracts. After a contract change: `npm run sdk:generate` (build, errors, this copy).
 *
 * Run: `npx hardhat build && npx tsx scripts/generate-sdk-typechain.ts [--check]`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const SOURCE_DIR = fileURLToPath(new URL("../types/ethers-contracts/", import.meta.url));
export const OUTPUT_DIR = fileURLToPath(new URL("../sdk/src/typechain/", import.meta.url));

/** What `sdk/src/client` imports; everything they import is copied too. */
export const ENTRY_FILES = [
  "contracts/ClaimAdjudicator.ts",
  "contracts/CoverManager.ts",
  "contracts/UnderwriterVault.ts",
  // One interface per file: typechain would give a file of several contracts a folder of its own.
  ...["IClaimAdjudicator", "ICommitteeArbiter", "ICoverManager", "IParapetLens", "IUmaArbiter", "IUnderwriterVault"].flatMap((name) => [
    `contracts/interfaces/${name}.ts`,
    `factories/contracts/interfaces/${name}__factory.ts`,
  ]),
];

const IMPORT = /from\s+["'](\.{1,2}\/[^"']+)["']/g;

/** The files to write, relative path → content, for the current `types/ethers-contracts`. */
export function generate(): Map<string, string> {
  if (!existsSync(SOURCE_DIR)) throw new Error(`${SOURCE_DIR} is missing: run \`npx hardhat build\` first`);
  const files = new Map<string, string>();
  const pending = [...ENTRY_FILES];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    const source = path.join(SOURCE_DIR, file);
    if (!existsSync(source)) throw new Error(`typechain did not generate ${file}: is the contract still there?`);
    const text = readFileSync(source, "utf8");
    files.set(file, text);
    for (const match of text.matchAll(IMPORT)) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), match[1]!)).replace(/\.js$/, ".ts");
      pending.push(target);
    }
  }
  return new Map([...files.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

function listFiles(dir: string, prefix = ""): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

/** The differences between the committed copy and a fresh one (empty when up to date). */
export function drift(files = generate()): string[] {
  const problems: string[] = [];
  for (const [file, text] of files) {
    const target = path.join(OUTPUT_DIR, file);
    if (!existsSync(target)) problems.push(`missing ${file}`);
    else if (readFileSync(target, "utf8") !== text) problems.push(`stale ${file}`);
  }
  for (const file of listFiles(OUTPUT_DIR)) if (!files.has(file)) problems.push(`extra ${file}`);
  return problems;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = generate();
  if (process.argv.includes("--check")) {
    const problems = drift(files);
    if (problems.length > 0) {
      console.error(`sdk/src/typechain is out of date (run npm run sdk:generate):\n  ${problems.join("\n  ")}`);
      process.exit(1);
    }
    console.log(`sdk/src/typechain is up to date (${files.size} files)`);
  } else {
    rmSync(OUTPUT_DIR, { recursive: true, force: true });
    for (const [file, text] of files) {
      mkdirSync(path.dirname(path.join(OUTPUT_DIR, file)), { recursive: true });
      writeFileSync(path.join(OUTPUT_DIR, file), text);
    }
    console.log(`wrote ${files.size} files to ${path.relative(process.cwd(), OUTPUT_DIR)}`);
  }
}
