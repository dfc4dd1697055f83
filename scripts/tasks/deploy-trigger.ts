/**
 * `parapet:deploy-trigger`: deploys the depeg product's PriceFeedTrigger from the network's parameter file (module
 * `DepegTrigger`), refusing UNCONFIRMED feeds (on an L2: a missing sequencer uptime feed) unless
 * `--allow-unconfirmed`. The risk manager then schedules `ProductRegistry.setProductTrigger(productId, trigger)`.
 */
import { deployDepegTrigger } from "../../deploy/deployNetwork.js";
import { taskAction } from "./lib/cli.js";
import { readDeployment } from "./lib/deployment.js";
import { confirmOnPublicChains, loadParameters, refusalsAsTaskErrors, resolveParameterFile } from "./lib/networkFiles.js";

interface Args {
  parameters: string | undefined;
  deployment: string | undefined;
  allowUnconfirmed: boolean;
  quiet: boolean;
}

export default taskAction(async (args: Args, hre) => {
  const connection = await hre.network.create();
  const chainId = Number((await connection.ethers.provider.getNetwork()).chainId);
  const deployment = await readDeployment(hre.config.paths.root, chainId, args.deployment);
  const file = resolveParameterFile(connection.networkName, args.parameters);
  const parameters = await loadParameters(file);
  const [deployer] = await connection.ethers.getSigners();
  const { trigger, deploymentId, warnings } = await refusalsAsTaskErrors(() =>
    deployDepegTrigger(connection, parameters, deployment.addresses.claimAdjudicator, {
      source: file,
      allowUnconfirmed: args.allowUnconfirmed,
      displayUi: !args.quiet,
      confirm: confirmOnPublicChains(connection.networkName, deployer!.address),
    }),
  );
  for (const warning of warnings) console.warn(`Warning: deployed with an UNCONFIRMED address: ${warning}`);
  console.log(`PriceFeedTrigger deployed at ${trigger} (Ignition deployment ${deploymentId}): the risk manager schedules`);
  console.log(`setProductTrigger(productId, ${trigger}); verify with \`npx hardhat ignition verify ${deploymentId}\``);
  return { trigger, deploymentId };
});
