/**
 * Ponder's configuration (README "Indexer"): which chain, which contracts, from which block.
 *
 * Addresses and the start block come from the deployment file `npm run chain` writes (`deployments/<chainId>.json`,
 * the file the SDK and the tasks read), so `npm run indexer` needs no other setup. Environment overrides:
 * `PARAPET_CHAIN_ID` (default 31337), `PARAPET_RPC_URL` (default http://127.0.0.1:8545), `PARAPET_DEPLOYMENT` (a
 * deployment file), `PARAPET_POLLING_MS` (default 1000), `DATABASE_URL` (PostgreSQL; embedded PGlite otherwise, in
 * `PARAPET_PGLITE_DIR`). Vaults and parametric triggers are followed from the registry's `VaultListed` and
 * `ProductTriggerSet` events, and UMA arbiters from the adjudicator's `ProductArbiterSet`, so one added after
 * deployment is indexed too.
 */
import { getAbiItem } from "viem";
import { createConfig, factory } from "ponder";

import {
  ClaimAdjudicatorAbi,
  CommitteeArbiterAbi,
  CoverManagerAbi,
  PriceFeedTriggerAbi,
  ProductRegistryAbi,
  UmaArbiterAbi,
  UnderwriterVaultAbi,
} from "./abis.js";
import { indexerSettings } from "./settings.js";

const settings = indexerSettings(process.env);
const { addresses, startBlock } = settings.deployment;

export default createConfig({
  database:
    settings.databaseUrl === undefined
      ? { kind: "pglite", directory: settings.pgliteDir }
      : { kind: "postgres", connectionString: settings.databaseUrl },
  chains: {
    parapet: {
      id: settings.chainId,
      rpc: settings.rpcUrl,
      pollingInterval: settings.pollingMs,
      // Local chains reuse their chain id on every restart: a cache of the previous chain's blocks would be wrong.
      disableCache: settings.localChain,
    },
  },
  contracts: {
    ProductRegistry: { abi: ProductRegistryAbi, chain: "parapet", address: addresses.productRegistry as `0x${string}`, startBlock },
    CoverManager: { abi: CoverManagerAbi, chain: "parapet", address: addresses.coverManager as `0x${string}`, startBlock },
    ClaimAdjudicator: { abi: ClaimAdjudicatorAbi, chain: "parapet", address: addresses.claimAdjudicator as `0x${string}`, startBlock },
    CommitteeArbiter: { abi: CommitteeArbiterAbi, chain: "parapet", address: addresses.committeeArbiter as `0x${string}`, startBlock },
    UnderwriterVault: {
      abi: UnderwriterVaultAbi,
      chain: "parapet",
      address: factory({
        address: addresses.productRegistry as `0x${string}`,
        event: getAbiItem({ abi: ProductRegistryAbi, name: "VaultListed" }),
        parameter: "vault",
      }),
      startBlock,
    },
    PriceFeedTrigger: {
      abi: PriceFeedTriggerAbi,
      chain: "parapet",
      address: factory({
        address: addresses.productRegistry as `0x${string}`,
        event: getAbiItem({ abi: ProductRegistryAbi, name: "ProductTriggerSet" }),
        parameter: "trigger",
      }),
      startBlock,
    },
    UmaArbiter: {
      abi: UmaArbiterAbi,
      chain: "parapet",
      address: factory({
        address: addresses.claimAdjudicator as `0x${string}`,
        event: getAbiItem({ abi: ClaimAdjudicatorAbi, name: "ProductArbiterSet" }),
        parameter: "arbiter",
      }),
      startBlock,
    },
  },
});
