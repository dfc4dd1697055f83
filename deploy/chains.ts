/**
 * The public networks Parapet deploys to, by Hardhat network name: chain id and Hardhat chain type. Read by
 * `hardhat.config.ts` (network entries), `deploy/networks.ts` and the SDK registry generator
 * (`scripts/generate-sdk-deployments.ts`), which takes `deployments/<chainId>.json` of exactly these chains.
 * No imports: the Hardhat config loads it.
 */
export const PUBLIC_CHAINS = {
  sepolia: { chainId: 11_155_111, chainType: "l1" },
  baseSepolia: { chainId: 84_532, chainType: "op" },
  arbitrumSepolia: { chainId: 421_614, chainType: "generic" },
  mainnet: { chainId: 1, chainType: "l1" },
  base: { chainId: 8_453, chainType: "op" },
  arbitrum: { chainId: 42_161, chainType: "generic" },
} as const satisfies Record<string, { chainId: number; chainType: "l1" | "op" | "generic" }>;

export type PublicChainName = keyof typeof PUBLIC_CHAINS;

/** The configuration variable holding each public network's RPC URL (environment, else the Hardhat keystore). */
export const RPC_URL_VARIABLES = {
  sepolia: "SEPOLIA_RPC_URL",
  baseSepolia: "BASE_SEPOLIA_RPC_URL",
  arbitrumSepolia: "ARBITRUM_SEPOLIA_RPC_URL",
  mainnet: "MAINNET_RPC_URL",
  base: "BASE_RPC_URL",
  arbitrum: "ARBITRUM_RPC_URL",
} as const satisfies Record<PublicChainName, string>;
