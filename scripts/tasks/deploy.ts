/**
 * `parapet:deploy`: deploys the protocol to a public network from its parameter file, hands ADMIN to a new
 * TimelockController, writes `deployments/<chainId>.json`, and checks the result on chain (docs/deployment.md).
 */
import path from "node:path";

import { checkDeployment, expectedFromParameters } from "../../deploy/checkDeployment.js";
import { deployProtocol } from "../../deploy/deployNetwork.js";
import { taskAction } from "./lib/cli.js";
import { defaultDeploymentPath, writeDeployment } from "./lib/deployment.js";
import {
  confirmOnPublicChains,
  loadParameters,
  refusalsAsTaskErrors,
  reportCheck,
  resolveParameterFile,
} from "./lib/networkFiles.js";

interface Args {
  parameters: string | undefined;
  allowUnconfirmed: boolean;
  quiet: boolean;
  out: string | undefined;
  verify: boolean;
}

export default taskAction(async (args: Args, hre) => {
  const connection = await hre.network.create();
  const file = resolveParameterFile(connection.networkName, args.parameters);
  const parameters = await loadParameters(file);
  const [deployer] = await connection.ethers.getSigners();
  console.log(`Deploying Parapet to ${connection.networkName} from ${deployer!.address} with ${path.relative(process.cwd(), file)}`);
  const { deployment, warnings } = await refusalsAsTaskErrors(() =>
    deployProtocol(connection, parameters, {
      source: file,
      allowUnconfirmed: args.allowUnconfirmed,
      displayUi: !args.quiet,
      confirm: confirmOnPublicChains(connection.networkName, deployer!.address),
    }),
  );
  for (const warning of warnings) console.warn(`Warning: deployed with an UNCONFIRMED address: ${warning}`);

  const out = path.resolve(args.out ?? defaultDeploymentPath(hre.config.paths.root, deployment.chainId));
  await writeDeployment(out, deployment);
  console.log(`Deployment written to ${path.relative(process.cwd(), out)} (start block ${deployment.startBlock})`);

  const expected = expectedFromParameters(parameters.modules, deployer!.address, deployment.addresses.timelock);
  reportCheck(await checkDeployment(connection.ethers.provider, deployment.addresses, expected));

  if (args.verify) {
    await hre.tasks.getTask(["ignition", "verify"]).run({ deploymentId: `chain-${deployment.chainId}` });
  }
  return deployment;
});
