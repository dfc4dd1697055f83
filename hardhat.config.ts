import { createRequire } from "node:module";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";

import { PUBLIC_CHAINS, RPC_URL_VARIABLES, type PublicChainName } from "./deploy/chains.js";
import { deployTasks } from "./scripts/tasks/deployTasks.js";
import { parapetTasks } from "./scripts/tasks/index.js";

// No compiler download is possible on our machines: use the pinned npm `solc` (wasm) build.
const soljson = createRequire(import.meta.url).resolve("solc/soljson.js");

const compiler = (runs: number, viaIR = false) => ({
  version: "0.8.28",
  path: soljson,
  settings: { evmVersion: "cancun", optimizer: { enabled: true, runs }, viaIR },
});

/** A positive integer from the environment, or `fallback` when unset. */
function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** PARAPET_CHAIN_DATE as a date; a value that is not one fails the run instead of silently starting at now. */
function chainDate(): Date {
  const raw = process.env.PARAPET_CHAIN_DATE!;
  const date = new Date(raw);
  if (Number.isNaN(date.getTime())) throw new Error(`PARAPET_CHAIN_DATE must be an ISO date, got "${raw}"`);
  return date;
}

/**
 * Solidity test profiles. `default` is what `npm test` runs (CI); `deep` is `npm run test:deep` (many more runs and a
 * deeper call sequence per run, for a nightly or pre-release campaign). The environment overrides either:
 * PARAPET_FUZZ_RUNS, PARAPET_INVARIANT_RUNS, PARAPET_INVARIANT_DEPTH.
 */
const solidityTestProfile = (fuzzRuns: number, invariantRuns: number, invariantDepth: number) => ({
  fsPermissions: { readFile: ["test/vectors/premium-vectors.json", "test/vectors/tranche-vectors.json"] },
  fuzz: { runs: envInt("PARAPET_FUZZ_RUNS", fuzzRuns) },
  invariant: {
    runs: envInt("PARAPET_INVARIANT_RUNS", invariantRuns),
    depth: envInt("PARAPET_INVARIANT_DEPTH", invariantDepth),
    failOnRevert: false,
  },
});

// 1,000 runs: near the call gas of 10,000. The vault (ERC-4626, ERC-7540, streams, exposure, circuit breaker) is
// optimized for size instead (runs 1), which keeps it under the 24 KiB code limit in every compilation job, including
// Solidity tests that import it; its extension (the calls it delegates, compiled into the vault's creation code) gets
// the same settings. The adjudicator keeps its incident money logic in the linked IncidentLogic library.
// ParapetLens is read off chain (`eth_call`) and never by a transaction, so it too is optimized for size. The
// adjudicator compiles at 200 runs: 1,457 bytes smaller than at 1,000 (within the 20 KiB aim) for under 200 gas on a
// claim filing and under 100 on a settlement or an incident payout.
// The contracts on the paths users pay for go through the IR pipeline (`viaIR`), which measured both smaller and
// cheaper for each of them: the vault, the CoverManager, the registry and the two linked money libraries. The
// adjudicator cannot (OpenZeppelin's Checkpoints, under PauseClock, has assembly not marked memory-safe, so the
// compiler may not move variables off the stack, and the adjudicator is then too deep), and IncidentLogic's payout
// costs more through it, so both stay on the legacy pipeline. Solidity tests compile what they import with their own
// settings, so the suites run both builds of the same sources.
const buildProfile = {
  compilers: [compiler(1_000)],
  overrides: {
    "contracts/UnderwriterVault.sol": compiler(1, true),
    "contracts/vault/UnderwriterVaultExtension.sol": compiler(1, true),
    "contracts/periphery/ParapetLens.sol": compiler(1),
    "contracts/ClaimAdjudicator.sol": compiler(200),
    "contracts/CoverManager.sol": compiler(1_000, true),
    "contracts/libraries/BondLogic.sol": compiler(1_000, true),
    "contracts/libraries/CircuitBreakerLogic.sol": compiler(1_000, true),
    "contracts/ProductRegistry.sol": compiler(1_000, true),
  },
};

/**
 * Public networks (docs/deployment.md). RPC URLs and the deployer's key are configuration variables: read from the
 * environment, else from the encrypted Hardhat keystore (`npx hardhat keystore set DEPLOYER_PRIVATE_KEY`), and only
 * when a command connects to that network, so local runs and tests need none of them. `chainId` makes Hardhat refuse
 * an RPC URL that serves another chain. The parameter files of the testnets are in `deploy/parameters/`.
 */
const publicNetworks = Object.fromEntries(
  Object.entries(PUBLIC_CHAINS).map(([name, { chainId, chainType }]) => [
    name,
    {
      type: "http",
      chainId,
      chainType,
      url: configVariable(RPC_URL_VARIABLES[name as PublicChainName]),
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    } as const,
  ]),
);

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  tasks: [...parapetTasks, ...deployTasks],
  solidity: {
    npmFilesToBuild: [
      "@openzeppelin/contracts/access/manager/AccessManager.sol",
      "@openzeppelin/contracts/governance/TimelockController.sol",
      "@chainlink/contracts/src/v0.8/tests/MockV3Aggregator.sol",
    ],
    profiles: { default: buildProfile, production: buildProfile },
  },
  paths: {
    tests: { mocha: "test", solidity: "test/solidity" },
  },
  test: {
    solidity: {
      profiles: {
        default: solidityTestProfile(256, 64, 64),
        deep: solidityTestProfile(4_096, 512, 256),
      },
    },
  },
  networks: {
    // PARAPET_CHAIN_DATE (an ISO date) starts the in-process chain there instead of now: rerun the tests at another
    // point of the weekly exposure grid, e.g. `PARAPET_CHAIN_DATE=2027-01-07T00:30:00Z npm test` (just past a boundary).
    ...(process.env.PARAPET_CHAIN_DATE ? { default: { type: "edr-simulated", initialDate: chainDate() } } : {}),
    localhost: { type: "http", url: "http://127.0.0.1:8545" },
    ...publicNetworks,
  },
  // Etherscan's v2 API: one key for every chain it serves (`npx hardhat parapet:deploy --verify`, `ignition verify`).
  verify: { etherscan: { apiKey: configVariable("ETHERSCAN_API_KEY") } },
});
