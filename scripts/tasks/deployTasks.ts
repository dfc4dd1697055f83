/**
 * Deployment tasks for public networks (docs/deployment.md), registered in `hardhat.config.ts` beside
 * `parapetTasks`. Actions are imported lazily, as in `./index.ts`.
 */
import { task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

import { DEPLOYMENT } from "./index.js";

const PARAMETERS = {
  name: "parameters",
  description: "Ignition parameter file (default: the network's file in deploy/parameters/)",
  type: ArgumentType.STRING_WITHOUT_DEFAULT,
  defaultValue: undefined,
} as const;
const QUIET = { name: "quiet", description: "Do not show Ignition's progress (the checks and the result still print)" } as const;
const ALLOW_UNCONFIRMED = {
  name: "allowUnconfirmed",
  description: "Deploy even though an address the modules use is marked UNCONFIRMED in the parameter file",
} as const;

export const deployTasks = [
  task("parapet:deploy", "Deploy Parapet from the network's parameter file, hand ADMIN to a timelock, check on chain")
    .addOption(PARAMETERS)
    .addFlag(ALLOW_UNCONFIRMED)
    .addOption({
      name: "out",
      description: "Where to write the deployment (default: deployments/<chainId>.json)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addFlag({ name: "verify", description: "Verify every deployed contract on the explorer afterwards" })
    .addFlag(QUIET)
    .setAction(() => import("./deploy.js"))
    .build(),
  task("parapet:deploy-trigger", "Deploy the depeg product's PriceFeedTrigger from the network's parameter file")
    .addOption(PARAMETERS)
    .addOption(DEPLOYMENT)
    .addFlag(ALLOW_UNCONFIRMED)
    .addFlag(QUIET)
    .setAction(() => import("./deploy-trigger.js"))
    .build(),
  task("parapet:check-deployment", "Compare a deployment's roles, delays and parameters on chain with its parameter file")
    .addOption(PARAMETERS)
    .addOption(DEPLOYMENT)
    .setAction(() => import("./check-deployment.js"))
    .build(),
];
