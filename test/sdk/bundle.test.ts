import { builtinModules } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { expect } from "chai";
import { build, type Metafile } from "esbuild";
import ts from "typescript";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CORE_DIR = "sdk/src/core/";
const RISK_DIR = "sdk/src/risk/";

/** `fs`, `node:fs`, `fs/promises`, ...: anything a browser cannot load. */
const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const isNodeBuiltin = (specifier: string) => specifier.startsWith("node:") || NODE_BUILTINS.has(specifier);

type Entry = {
  /** Entry point, relative to the repository. */
  entry: string;
  /** If set, every file of the bundle must lie under one of these directories (relative to the repository). */
  onlyUnder?: string[];
};

/**
 * The SDK's browser entry points: the pure core, the risk model (pure too: it uses the core's errors and WAD), the whole
 * SDK (core + ethers client), and both with a provider.
 */
const ENTRIES: Entry[] = [
  { entry: "sdk/src/core/index.ts", onlyUnder: [CORE_DIR] },
  { entry: "sdk/src/risk/index.ts", onlyUnder: [RISK_DIR, CORE_DIR] },
  { entry: "sdk/src/index.ts" },
  // A dApp's bundle: the client with ethers' JsonRpcProvider (what the README's size figure is).
  { entry: "test/sdk/fixtures/dapp-entry.ts" },
];

async function bundle(entry: string, minify: boolean) {
  return build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    platform: "browser",
    format: "esm",
    bundle: true,
    write: false,
    metafile: true,
    minify,
    // Nothing may stay unresolved: a Node built-in must make the build fail, not be left for the browser to miss.
    external: [],
    logLevel: "silent",
  });
}

function nodeImports(metafile: Metafile): string[] {
  const found: string[] = [];
  for (const [file, input] of Object.entries(metafile.inputs)) {
    if (isNodeBuiltin(file)) found.push(file);
    for (const { path: imported, original } of input.imports) {
      if (isNodeBuiltin(imported) || (original !== undefined && isNodeBuiltin(original))) {
        found.push(`${file} → ${original ?? imported}`);
      }
    }
  }
  return found;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

describe("SDK browser bundles (esbuild, platform browser)", function () {
  this.timeout(60_000);

  for (const { entry, onlyUnder } of ENTRIES) {
    it(`bundles ${entry} without any Node built-in`, async () => {
      const result = await bundle(entry, false);
      expect(result.errors).to.deep.equal([]);
      const inputs = Object.keys(result.metafile.inputs);
      expect(inputs).to.include(entry);
      expect(nodeImports(result.metafile), "Node built-ins in the bundle").to.deep.equal([]);
      if (onlyUnder !== undefined) {
        const outside = inputs.filter((file) => !onlyUnder.some((dir) => file.startsWith(dir)));
        expect(outside, `files outside ${onlyUnder.join(", ")}`).to.deep.equal([]);
      }

      const raw = result.outputFiles![0]!.contents;
      const minified = (await bundle(entry, true)).outputFiles![0]!.contents;
      console.log(
        `      ${entry}: ${inputs.length} files, ${kib(raw.length)} raw, ${kib(minified.length)} minified, ` +
          `${kib(gzipSync(minified).length)} minified + gzip`
      );
    });
  }

  it("fails a bundle that imports a Node built-in (so the check above can fail)", async () => {
    let failure: unknown;
    try {
      await build({
        absWorkingDir: ROOT,
        stdin: { contents: 'import { readFileSync } from "node:fs"; console.log(readFileSync);', resolveDir: ROOT },
        platform: "browser",
        bundle: true,
        write: false,
        external: [],
        logLevel: "silent",
      });
    } catch (error) {
      failure = error;
    }
    expect(String(failure)).to.match(/node:fs/);
  });

  it("lets a bundler drop what is not used: premiumUp alone leaves out the error table and the router", async () => {
    const result = await build({
      absWorkingDir: ROOT,
      stdin: {
        contents: `export { premiumUp } from "./${CORE_DIR}index.js";`,
        resolveDir: ROOT,
        loader: "ts",
      },
      platform: "browser",
      format: "esm",
      bundle: true,
      minify: true,
      write: false,
      logLevel: "silent",
    });
    const code = result.outputFiles[0]!.text;
    expect(code).to.include("InsufficientCapacity");
    for (const absent of ["NotOwnerNorApproved", "AccessManagedUnauthorized", "listed twice", "Parametric"]) {
      expect(code, absent).not.to.include(absent);
    }
    console.log(`      premiumUp alone: ${kib(code.length)} minified`);
  });

  it("keeps the errors' names in a minified bundle, where classes are renamed", async () => {
    const minified = (await bundle(`${CORE_DIR}index.ts`, true)).outputFiles![0]!.text;
    const core = (await import(`data:text/javascript;base64,${Buffer.from(minified).toString("base64")}`)) as Record<
      string,
      (...args: unknown[]) => unknown
    >;
    const nameOf = (action: () => unknown) => {
      try {
        action();
      } catch (error) {
        return (error as Error).name;
      }
      return undefined;
    };
    expect(nameOf(() => core.mulDivDown!(1n, 1n, 0n))).to.equal("DivisionByZero");
    expect(nameOf(() => core.routeCover!({ amount: 0n, period: 1n, vaults: [] }))).to.equal("InvalidArgument");
    const curve = { baseRateWad: 1n, kinkWad: 0n, maxRateWad: 1n };
    expect(nameOf(() => core.premiumUp!(curve, 1n, 0n, 2n, 1n))).to.equal("InsufficientCapacity");
    const panic = core.decodeContractError!(`0x4e487b71${"11".padStart(64, "0")}`) as Error;
    expect(panic.name).to.equal("PanicError");
  });

  it("keeps the client's errors' names in a minified bundle too", async () => {
    const minified = (await bundle("sdk/src/index.ts", true)).outputFiles![0]!.text;
    const sdk = (await import(`data:text/javascript;base64,${Buffer.from(minified).toString("base64")}`)) as Record<string, new (...args: any[]) => Error>;
    const address = "0x000000000000000000000000000000000000dEaD";
    const errors: Array<[string, Error]> = [
      ["InsufficientFunds", new sdk.InsufficientFunds!(address, address, 1n, 2n, "deposit")],
      ["InvalidDeployment", new sdk.InvalidDeployment!("chainId", "is missing")],
      ["UnknownDeployment", new sdk.UnknownDeployment!(1)],
      ["ChainMismatch", new sdk.ChainMismatch!(1, 2)],
      ["DeploymentNotFound", new sdk.DeploymentNotFound!(1, [{ name: "lens", address }])],
      ["SignerRequired", new sdk.SignerRequired!("buyCover")],
      ["QuoteMismatch", new sdk.QuoteMismatch!(1n, 2n)],
      ["ApprovalNotRestored", new sdk.ApprovalNotRestored!(address, address, 1n, 0n, new Error("x"), new Error("y"))],
      ["UnrecognizedRevert", new sdk.UnrecognizedRevert!("0x12345678")],
      ["UmaCaseNotReady", new sdk.UmaCaseNotReady!(1n, "AwaitingVote")],
      ["IndexerError", new sdk.IndexerError!("http://127.0.0.1:42069", "is not reachable")],
    ];
    for (const [name, error] of errors) expect(error.name, name).to.equal(name);
  });

  for (const [name, dir, allowed] of [
    ["the core", CORE_DIR, [CORE_DIR]],
    ["the risk model", RISK_DIR, [RISK_DIR, CORE_DIR]],
  ] as const) {
    it(`type-checks ${name} with no ambient types at all: no Node, no DOM, only ES2023`, () => {
      typeChecksAlone(dir, allowed);
    });
  }
});

/** Type-checks `dir`/index.ts with no ambient types; every source file it reaches must lie under `allowed`. */
function typeChecksAlone(dir: string, allowed: readonly string[]): void {
  const program = ts.createProgram([path.join(ROOT, dir, "index.ts")], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ["lib.es2023.d.ts"],
    types: [],
  });
  const diagnostics = ts
    .getPreEmitDiagnostics(program)
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
  expect(diagnostics).to.deep.equal([]);
  const sources = program
    .getSourceFiles()
    .map((file) => path.relative(ROOT, file.fileName))
    .filter((file) => !file.startsWith("node_modules/"));
  expect(sources.filter((file) => !allowed.some((prefix) => file.startsWith(prefix)))).to.deep.equal([]);
}
