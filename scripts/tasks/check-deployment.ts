/**
 * `parapet:check-deployment`: reads a deployment on chain and compares its roles, delays, guardians, function roles,
 * timelock and parameters with its parameter file; exits non-zero listing every value that differs.
 */
import { checkDeployment, expectedFromParameters, initialAdminOf } from "../../deploy/checkDeployment.js";
import { taskAction } from "./lib/cli.js";
import { readDeployment } from "./lib/deployment.js";
import { loadParameters, reportCheck, resolveParameterFile } from "./lib/networkFiles.js";

interface Args {
  parameters: string | undefined;
  deployment: string | undefined;
}

export default taskAction(async (args: Args, hre) => {
  const connection = await hre.network.create();
  const { provider } = connection.ethers;
  const chainId = Number((await provider.getNetwork()).chainId);
  const deployment = await readDeployment(hre.config.paths.root, chainId, args.deployment);
  const parameters = await loadParameters(resolveParameterFile(connection.networkName, args.parameters));
  const deployer = await initialAdminOf(provider, deployment.addresses.accessManager);
  console.log(`Checking the deployment on chain ${chainId} (deployer ${deployer})`);
  const check = await checkDeployment(
    provider,
    deployment.addresses,
    expectedFromParameters(parameters.modules, deployer, deployment.addresses.timelock),
  );
  reportCheck(check);
  return check;
});
