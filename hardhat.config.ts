import { createRequire } from "node:module";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { defineConfig } from "hardhat/config";

// No compiler download is possible on our machines: use the pinned npm `solc` (wasm) build.
const soljson = createRequire(import.meta.url).resolve("solc/soljson.js");

const compiler = (runs: number) => ({
  version: "0.8.28",
  path: soljson,
  settings: { evmVersion: "cancun", optimizer: { enabled: true, runs } },
});

// Optimized for call gas, except the adjudicator: inlining at 10,000 runs pushes it past the 24 KiB code limit, and
// its calls are rare next to purchases and vault operations.
const buildProfile = {
  compilers: [compiler(10_000)],
  overrides: { "contracts/ClaimAdjudicator.sol": compiler(200) },
};

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  solidity: {
    npmFilesToBuild: [
      "@openzeppelin/contracts/access/manager/AccessManager.sol",
      "@chainlink/contracts/src/v0.8/tests/MockV3Aggregator.sol",
    ],
    profiles: { default: buildProfile, production: buildProfile },
  },
  paths: {
    tests: { mocha: "test", solidity: "test/solidity" },
  },
  test: {
    solidity: {
      fsPermissions: { readFile: ["test/vectors/premium-vectors.json"] },
      fuzz: { runs: 256 },
      invariant: { runs: 64, depth: 64, failOnRevert: false },
    },
  },
  networks: {
    localhost: { type: "http", url: "http://127.0.0.1:8545" },
  },
});
