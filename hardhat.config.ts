import { createRequire } from "node:module";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { defineConfig } from "hardhat/config";

import { parapetTasks } from "./scripts/tasks/index.js";

// No compiler download is possible on our machines: use the pinned npm `solc` (wasm) build.
const soljson = createRequire(import.meta.url).resolve("solc/soljson.js");

const compiler = (runs: number) => ({
  version: "0.8.28",
  path: soljson,
  settings: { evmVersion: "cancun", optimizer: { enabled: true, runs } },
});

// 1,000 runs: near the call gas of 10,000 while keeping the largest contract (the adjudicator) under the 24 KiB code
// limit in every compilation job, including Solidity tests that import it.
const buildProfile = { compilers: [compiler(1_000)] };

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  tasks: parapetTasks,
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
      fsPermissions: { readFile: ["test/vectors/premium-vectors.json"] },
      fuzz: { runs: 256 },
      invariant: { runs: 64, depth: 64, failOnRevert: false },
    },
  },
  networks: {
    localhost: { type: "http", url: "http://127.0.0.1:8545" },
  },
});
