import type { ParapetDeployment as Fixture } from "../../deploy/fixture.js";
import { loadDeployment, type ParapetDeployment } from "../../sdk/src/index.js";
import { ethers } from "../mocha/helpers.js";

/** The SDK's deployment description of the in-process fixture. */
export async function sdkDeployment(d: Fixture): Promise<ParapetDeployment> {
  const at = (contract: { getAddress(): Promise<string> }) => contract.getAddress();
  return loadDeployment({
    chainId: Number((await ethers.provider.getNetwork()).chainId),
    startBlock: d.startBlock,
    addresses: {
      accessManager: await at(d.accessManager),
      productRegistry: await at(d.productRegistry),
      coverManager: await at(d.coverManager),
      claimAdjudicator: await at(d.claimAdjudicator),
      committeeArbiter: await at(d.committeeArbiter),
      lens: await at(d.lens),
      asset: await at(d.asset),
      vaults: { conservative: await at(d.vaults.conservative), highYield: await at(d.vaults.highYield) },
      tranches: { highYield: await at(d.tranches.highYield.manager) },
    },
  });
}
