/**
 * Deploying to a public network from its parameter file (`deploy/parameters/<network>.json`), as
 * `npx hardhat parapet:deploy` and `parapet:deploy-trigger` do, after the checks of `deploy/networks.ts`:
 *
 * 1. `ParapetTimelock`: the TimelockController that will hold ADMIN;
 * 2. `ParapetTimelocked` with `Parapet.timelockAdmin` set to that timelock: the deployer wires everything, grants
 *    ADMIN to the timelock, then renounces ADMIN (see `deploy/ignition/Parapet.ts`).
 *
 * Both go through Ignition on the given connection, so an interrupted deployment resumes from Ignition's journal
 * (`ignition/deployments/chain-<chainId>`) when run again.
 */
import { getAddress } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";

import type { DeploymentAddresses, DeploymentFile } from "../scripts/tasks/lib/deployment.js";
import { creationBlockOf } from "./checkDeployment.js";
import { DepegTriggerModule } from "./ignition/DepegTrigger.js";
import { ParapetTimelockedModule } from "./ignition/Parapet.js";
import { ParapetTimelockModule } from "./ignition/ParapetTimelock.js";
import {
  checkNetworkParameters,
  DeploymentRefused,
  PLACEHOLDER_PREFIX,
  shown,
  type ModuleParameters,
  type NetworkParameters,
} from "./networks.js";

export interface DeployOptions {
  /** Names the parameter file in errors. */
  source: string;
  /** Deploy even though an address the modules use is UNCONFIRMED. */
  allowUnconfirmed?: boolean;
  /** Show Ignition's progress (default true). */
  displayUi?: boolean;
  /**
   * Asked once the checks have passed and before anything is sent, with the chain id; deploys only on `true`.
   * `parapet:deploy` asks the operator on a public chain.
   */
  confirm?: (chainId: number) => Promise<boolean>;
}

/** A deployment as `deployments/<chainId>.json` records it (the tasks' and the SDK's format), with its timelock. */
export type PublicDeployment = DeploymentFile & {
  addresses: DeploymentAddresses & { lens: string; timelock: string; vaults: { conservative: string; highYield: string } };
};

/** A module parameter that is unset or still a placeholder: this command fills it. */
function fillable(value: unknown): boolean {
  return value === undefined || (typeof value === "string" && value.startsWith(PLACEHOLDER_PREFIX));
}

async function chainIdOf(connection: NetworkConnection): Promise<number> {
  return Number((await connection.ethers.provider.getNetwork()).chainId);
}

/**
 * Checks the parameters, deploys the timelock and the protocol, and hands ADMIN to the timelock.
 *
 * @throws {@link DeploymentRefused} before sending anything when the parameters fail a check.
 */
export async function deployProtocol(
  connection: NetworkConnection,
  parameters: NetworkParameters,
  options: DeployOptions,
): Promise<{ deployment: PublicDeployment; warnings: string[] }> {
  const chainId = await chainIdOf(connection);
  const modules: ModuleParameters = structuredClone(parameters.modules);
  const parapet = modules.Parapet ?? {};
  if (!fillable(parapet.timelockAdmin)) {
    throw new DeploymentRefused(options.source, [
      `Parapet.timelockAdmin is set (${shown(parapet.timelockAdmin)}): this command deploys the timelock itself and ` +
        "hands ADMIN to it, so leave it out (or deploy ParapetTimelocked.ts with Ignition directly)",
    ]);
  }
  delete parapet.timelockAdmin;
  const { warnings } = checkNetworkParameters({ network: parameters.network, modules }, options.source, {
    chainId,
    moduleIds: ["ParapetTimelock", "Parapet"],
    allowUnconfirmed: options.allowUnconfirmed,
  });
  if (options.confirm !== undefined && !(await options.confirm(chainId))) {
    throw new DeploymentRefused(options.source, ["not confirmed by the operator"]);
  }

  const displayUi = options.displayUi ?? true;
  const { timelock } = await connection.ignition.deploy(ParapetTimelockModule, {
    parameters: { ParapetTimelock: modules.ParapetTimelock! },
    displayUi,
  });
  const timelockAddress = await timelock.getAddress();
  const deployed = await connection.ignition.deploy(ParapetTimelockedModule, {
    parameters: { Parapet: { ...parapet, timelockAdmin: timelockAddress } },
    displayUi,
  });
  const at = (contract: { getAddress(): Promise<string> }) => contract.getAddress();
  const accessManager = await at(deployed.accessManager);
  return {
    deployment: {
      chainId,
      addresses: {
        accessManager,
        productRegistry: await at(deployed.productRegistry),
        coverManager: await at(deployed.coverManager),
        claimAdjudicator: await at(deployed.claimAdjudicator),
        committeeArbiter: await at(deployed.committeeArbiter),
        lens: await at(deployed.lens),
        umaArbiter: await at(deployed.umaArbiter),
        vaults: { conservative: await at(deployed.conservativeVault), highYield: await at(deployed.highYieldVault) },
        asset: getAddress(parapet.asset as string),
        timelock: timelockAddress,
      },
      startBlock: await creationBlockOf(connection.ethers.provider, accessManager),
    },
    warnings,
  };
}

/**
 * Checks the `DepegTrigger` parameters and deploys the trigger in its own Ignition deployment
 * ({@link triggerDeploymentId}); an unset or placeholder `claimAdjudicator` is taken from the deployment. The risk manager then schedules `ProductRegistry.setProductTrigger(productId, trigger)`.
 *
 * @throws {@link DeploymentRefused} before sending anything when the parameters fail a check.
 */
export async function deployDepegTrigger(
  connection: NetworkConnection,
  parameters: NetworkParameters,
  claimAdjudicator: string,
  options: DeployOptions,
): Promise<{ trigger: string; deploymentId: string; warnings: string[] }> {
  const chainId = await chainIdOf(connection);
  const modules: ModuleParameters = structuredClone(parameters.modules);
  const trigger = modules.DepegTrigger ?? {};
  if (fillable(trigger.claimAdjudicator)) trigger.claimAdjudicator = claimAdjudicator;
  modules.DepegTrigger = trigger;
  const { warnings } = checkNetworkParameters({ network: parameters.network, modules }, options.source, {
    chainId,
    moduleIds: ["DepegTrigger"],
    allowUnconfirmed: options.allowUnconfirmed,
  });
  if (options.confirm !== undefined && !(await options.confirm(chainId))) {
    throw new DeploymentRefused(options.source, ["not confirmed by the operator"]);
  }
  const deploymentId = triggerDeploymentId(chainId, trigger.productId as bigint | number);
  const deployed = await connection.ignition.deploy(DepegTriggerModule, {
    parameters: { DepegTrigger: trigger },
    displayUi: options.displayUi ?? true,
    deploymentId,
  });
  return { trigger: await deployed.trigger.getAddress(), deploymentId, warnings };
}

/**
 * The Ignition deployment (journal) of one product's trigger: one per product, so a second product's trigger is a new
 * deployment rather than a changed one, and a rerun for the same product resumes its own journal.
 */
export function triggerDeploymentId(chainId: number, productId: bigint | number): string {
  return `chain-${chainId}-trigger-product-${productId}`;
}
