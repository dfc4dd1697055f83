import { createRequire } from "node:module";

import { buildModule } from "@nomicfoundation/ignition-core";
import type { Artifact } from "@nomicfoundation/ignition-core";
import { encodeBytes32String } from "ethers";

/** UMA's compiled contracts, as `@uma/contracts-node` ships them (the real bytecode UMA deploys). */
const umaArtifact = (path: string): Artifact =>
  createRequire(import.meta.url)(`@uma/contracts-node/dist/packages/core/artifacts/contracts/${path}`) as Artifact;

const UMA_ARTIFACTS = {
  Finder: umaArtifact("data-verification-mechanism/implementation/Finder.sol/Finder.json"),
  Store: umaArtifact("data-verification-mechanism/implementation/Store.sol/Store.json"),
  AddressWhitelist: umaArtifact("common/implementation/AddressWhitelist.sol/AddressWhitelist.json"),
  IdentifierWhitelist: umaArtifact(
    "data-verification-mechanism/implementation/IdentifierWhitelist.sol/IdentifierWhitelist.json",
  ),
  MockOracleAncillary: umaArtifact("data-verification-mechanism/test/MockOracleAncillary.sol/MockOracleAncillary.json"),
  OptimisticOracleV3: umaArtifact("optimistic-oracle-v3/implementation/OptimisticOracleV3.sol/OptimisticOracleV3.json"),
};

/** The identifier UMA's DVM votes on for Optimistic Oracle V3 assertions. */
export const ASSERT_TRUTH = encodeBytes32String("ASSERT_TRUTH");
const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/**
 * UMA's Optimistic Oracle V3 stack for chains where UMA is not deployed (local nodes, tests), wired as UMA's own tests
 * wire it: a `Finder`; a `Store` (no regular fees) setting the bond currency's final fee; an `AddressWhitelist` as
 * "CollateralWhitelist" holding the currency; an `IdentifierWhitelist` with `ASSERT_TRUTH`; `MockOracleAncillary` as
 * the DVM ("Oracle"), answered by whoever pushes a price in place of a token-holder vote. All are registered in the
 * Finder before `OptimisticOracleV3(finder, currency, liveness)` is deployed, since it caches them.
 *
 * Parameters: `currency` (the bond currency), `finalFee` (UMA's final fee in it), `liveness` (the oracle's default,
 * seconds; 2 hours as on mainnet). On public networks, use UMA's deployed oracle instead (`optimisticOracleV3` in the
 * Parapet parameters).
 */
export const UmaLocalModule = buildModule("UmaLocal", (m) => {
  const currency = m.getParameter<string>("currency");
  const finalFee = m.getParameter<bigint>("finalFee");
  const liveness = m.getParameter<bigint>("liveness", 7_200n);

  const finder = m.contract("Finder", UMA_ARTIFACTS.Finder, []);
  const store = m.contract("Store", UMA_ARTIFACTS.Store, [{ rawValue: 0n }, { rawValue: 0n }, ZERO_ADDRESS]);
  const collateralWhitelist = m.contract("AddressWhitelist", UMA_ARTIFACTS.AddressWhitelist, []);
  const identifierWhitelist = m.contract("IdentifierWhitelist", UMA_ARTIFACTS.IdentifierWhitelist, []);
  const mockOracle = m.contract("MockOracleAncillary", UMA_ARTIFACTS.MockOracleAncillary, [finder, ZERO_ADDRESS]);

  const wiring = [
    m.call(collateralWhitelist, "addToWhitelist", [currency]),
    m.call(identifierWhitelist, "addSupportedIdentifier", [ASSERT_TRUTH]),
    m.call(store, "setFinalFee", [currency, { rawValue: finalFee }]),
    ...(
      [
        ["Oracle", mockOracle],
        ["Store", store],
        ["IdentifierWhitelist", identifierWhitelist],
        ["CollateralWhitelist", collateralWhitelist],
      ] as const
    ).map(([name, implementation]) =>
      m.call(finder, "changeImplementationAddress", [encodeBytes32String(name), implementation], {
        id: `finder_${name}`,
      }),
    ),
  ];
  const optimisticOracle = m.contract("OptimisticOracleV3", UMA_ARTIFACTS.OptimisticOracleV3, [finder, currency, liveness], {
    after: wiring,
  });
  return { finder, store, collateralWhitelist, identifierWhitelist, mockOracle, optimisticOracle };
});

export default UmaLocalModule;
