/**
 * Checks, at connect, that the deployment's contracts exist on the node: a node on the same chain id without them
 * (a restarted dev chain, a fork at another block, the wrong RPC URL) otherwise fails later with ethers' raw
 * `BAD_DATA`, or answers `[]` where there are policies.
 *
 * @packageDocumentation
 */
import type { Provider } from "ethers";

import { ParapetError } from "../core/index.js";
import type { ParapetDeployment } from "./deployment.js";

/** Some of the deployment's contracts have no code on the node the client is connected to. */
export class DeploymentNotFound extends ParapetError {
  readonly chainId: number;
  /** The contracts without code, by deployment field (`coverManager`, `vaults.conservative`, `tranches.highYield`, ...). */
  readonly missing: ReadonlyArray<{ name: string; address: string }>;

  constructor(chainId: number, missing: Array<{ name: string; address: string }>) {
    super(
      `the node on chain ${chainId} has no code at ${missing.map(({ name, address }) => `${name} (${address})`).join(", ")}: ` +
        "wrong RPC URL, or a dev chain restarted since the deployment file was written?",
      "DeploymentNotFound",
    );
    this.chainId = chainId;
    this.missing = missing;
  }
}

/** Every contract address of the deployment, by field name. */
export function deploymentContracts(deployment: ParapetDeployment): Array<{ name: string; address: string }> {
  const { vaults, tranches = {}, ...contracts } = deployment.addresses;
  return [
    ...Object.entries(contracts).map(([name, address]) => ({ name, address })),
    ...Object.entries(vaults).map(([name, address]) => ({ name: `vaults.${name}`, address })),
    ...Object.entries(tranches).map(([name, address]) => ({ name: `tranches.${name}`, address })),
  ];
}

/**
 * Throws {@link DeploymentNotFound} unless every contract of the deployment has code at `blockTag` (default latest).
 * One `eth_getCode` per contract, sent together (one HTTP request on a batching provider).
 */
export async function verifyDeployment(provider: Provider, deployment: ParapetDeployment): Promise<void> {
  const contracts = deploymentContracts(deployment);
  const codes = await Promise.all(contracts.map(({ address }) => provider.getCode(address)));
  const missing = contracts.filter((_, i) => codes[i] === "0x" || codes[i] === "");
  if (missing.length > 0) throw new DeploymentNotFound(deployment.chainId, missing);
}
