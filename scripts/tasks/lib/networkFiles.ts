/**
 * Shared by `parapet:deploy`, `parapet:deploy-trigger` and `parapet:check-deployment`: which parameter file a network
 * uses, and how the on-chain check is printed.
 */
import path from "node:path";
import { createInterface } from "node:readline/promises";
import { fileURLToPath } from "node:url";

import { PUBLIC_CHAINS } from "../../../deploy/chains.js";
import type { DeploymentCheck } from "../../../deploy/checkDeployment.js";
import {
  DeploymentRefused,
  NETWORK_PARAMETER_FILES,
  parameterFileOf,
  readParameterFile,
  type NetworkParameters,
  type PublicNetworkName,
} from "../../../deploy/networks.js";
import { TaskError, textTable } from "./cli.js";

/** `--parameters <file>`, or the network's own file in `deploy/parameters/`. */
export function resolveParameterFile(networkName: string, given: string | undefined): string {
  if (given !== undefined && given.trim() !== "") return path.resolve(given.trim());
  if (!(networkName in NETWORK_PARAMETER_FILES)) {
    throw new TaskError(
      `network "${networkName}" has no parameter file in deploy/parameters/ (known: ${Object.keys(NETWORK_PARAMETER_FILES).join(", ")}): pass --parameters <file>`,
    );
  }
  return fileURLToPath(parameterFileOf(networkName as PublicNetworkName));
}

/** Reads the parameter file; a file that fails its checks becomes a {@link TaskError} listing every problem. */
export function loadParameters(file: string): Promise<NetworkParameters> {
  return refusalsAsTaskErrors(() => readParameterFile(file));
}

/** Runs `body`; a {@link DeploymentRefused} (nothing was sent) becomes a {@link TaskError} with the same message. */
export async function refusalsAsTaskErrors<T>(body: () => T | Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof DeploymentRefused) throw new TaskError(error.message);
    throw error;
  }
}

/** Prints the check's outcome; a mismatch is a {@link TaskError} listing each value expected and found. */
export function reportCheck(check: DeploymentCheck): void {
  if (check.mismatches.length > 0) {
    const rows = check.mismatches.map(({ check: name, expected, actual }) => [name, expected, actual]);
    throw new TaskError(
      `${check.mismatches.length} of ${check.checked} on-chain checks failed:\n${textTable(["check", "expected", "on chain"], rows, [0, 1, 2])}`,
    );
  }
  console.log(`All ${check.checked} on-chain checks passed (roles, delays, guardians, function roles, timelock, parameters).`);
}

/**
 * The operator's go-ahead on a public chain, as `hardhat ignition deploy` asks it: skipped when
 * `HARDHAT_IGNITION_CONFIRM_DEPLOYMENT` is set, and on other chains (local nodes).
 */
export function confirmOnPublicChains(networkName: string, deployer: string): (chainId: number) => Promise<boolean> {
  return async (chainId) => {
    const isPublic = Object.values(PUBLIC_CHAINS).some((chain) => chain.chainId === chainId);
    if (!isPublic || process.env.HARDHAT_IGNITION_CONFIRM_DEPLOYMENT !== undefined) return true;
    if (process.stdin.isTTY !== true) {
      throw new TaskError(
        `deploying to ${networkName} (chain ${chainId}) needs a confirmation: run it in a terminal, or set ` +
          "HARDHAT_IGNITION_CONFIRM_DEPLOYMENT=1",
      );
    }
    const readline = createInterface({ input: process.stdin, output: process.stdout });
    try {
      const answer = await readline.question(`Deploy to ${networkName} (chain ${chainId}) from ${deployer}? [y/N] `);
      return /^y(es)?$/i.test(answer.trim());
    } finally {
      readline.close();
    }
  };
}
