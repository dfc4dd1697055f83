/**
 * `npm run demo` (`hardhat run --no-compile scripts/demo.ts`): compiles the contracts quietly, then tells the story of
 * `scripts/demo/story.ts` on the in-process Hardhat network, then the tranche chapter of `scripts/demo/tranches.ts` on a
 * fresh one.
 *
 * Why compile here rather than let `hardhat run` do it: solc prints three known warnings on this code base, all
 * reviewed, and they would open the demo's output. They are counted in one line instead (`npx hardhat build --force`
 * prints them in full); any other warning, and any error, is printed as solc wrote it.
 */
import hre from "hardhat";

/** The warnings solc gives on this code base, and why each is expected. */
const KNOWN_WARNINGS: Array<{ pattern: RegExp; why: string }> = [
  {
    pattern: /Transient storage as defined by EIP-1153[\s\S]*TransientSlot\.sol/,
    why: "transient storage in OpenZeppelin's reentrancy guard (cleared at the end of each call: the use solc calls safe)",
  },
  {
    pattern: /Unreachable code[\s\S]*ERC4626\.sol/,
    why: "unreachable code in OpenZeppelin's ERC4626 (the vault's previewRedeem/previewWithdraw revert, as EIP-7540 asks)",
  },
  {
    pattern: /can be restricted to pure[\s\S]*OutflowMeter\.sol/,
    why: "OutflowMeter._load \"could be pure\", a false positive: it copies its ring out of storage, which is a read",
  },
];

async function buildQuietly(): Promise<void> {
  const warnings: string[] = [];
  const output: string[] = [];
  const { log, warn, error } = console;
  console.log = (...args: unknown[]) => void output.push(args.map(String).join(" "));
  console.error = console.log;
  console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(" "));
  try {
    // Contracts only: the story deploys them, and the Solidity tests' own compilation jobs (which `npm test` builds)
    // would add their warnings here.
    await hre.tasks.getTask("build").run({ quiet: true, noTests: true });
  } catch (failure) {
    Object.assign(console, { log, warn, error });
    for (const line of [...output, ...warnings]) console.error(line);
    throw failure;
  } finally {
    Object.assign(console, { log, warn, error });
  }
  const known = new Map<string, number>();
  for (const warning of warnings) {
    const match = KNOWN_WARNINGS.find(({ pattern }) => pattern.test(warning));
    if (match === undefined) console.warn(warning);
    else known.set(match.why, (known.get(match.why) ?? 0) + 1);
  }
  for (const line of output.filter((text) => text.trim() !== "")) console.log(line);
  if (known.size > 0) {
    const count = [...known.values()].reduce((sum, n) => sum + n, 0);
    console.log(`(solc: ${count} known warnings not shown: ${[...known.keys()].join("; ")}. \`npx hardhat build --force\` prints them.)`);
  }
}

await buildQuietly();
// Imported only now: the story needs the typechain bindings the build generates.
await import("./demo/story.js");
await import("./demo/tranches.js");
