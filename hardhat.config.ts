import { createRequire } from "node:module";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { defineConfig } from "hardhat/config";

// No compiler download is possible on our machines: use the pinned npm `solc` (wasm) build.
const soljson = createRequire(import.meta.url).resolve("solc/soljson.js");

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  solidity: {
    npmFilesToBuild: [
      "@openzeppelin/contracts/access/manager/AccessManager.sol",
    ],
    profiles: {
      default: {
        version: "0.8.28",
        path: soljson,
        settings: {
          evmVersion: "cancun",
          optimizer: { enabled: true, runs: 10_000 },
        },
      },
      production: {
        version: "0.8.28",
        path: soljson,
        settings: {
          evmVersion: "cancun",
          optimizer: { enabled: true, runs: 10_000 },
        },
      },
    },
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
