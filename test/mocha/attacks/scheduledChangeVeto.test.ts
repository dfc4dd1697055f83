import { expect } from "chai";

import { ROLE_GUARDIANS, ROLES } from "../../../deploy/roles.js";
import { SEED_VAULT_TERMS } from "../../../deploy/seed.js";
import { networkHelpers, time } from "../helpers.js";
import { DELAYS, type Deployment, deployKeepingAdmin, deployWithTimelock, schedule } from "../productionSetup.js";

type Operation = Awaited<ReturnType<typeof schedule>>;

/**
 * The guardian cancels `caller`'s scheduled `operation` in a block at `cancelAt` (before its timepoint); at the
 * timepoint, executing it reverts AccessManagerNotScheduled.
 */
async function expectVetoed(
  { accessManager, guardian }: Deployment,
  caller: Deployment["riskManager"],
  operation: Operation,
  data: string,
  cancelAt: bigint,
) {
  await time.setNextBlockTimestamp(cancelAt);
  await expect(accessManager.connect(guardian).cancel(caller.address, operation.targetAddress, data))
    .to.emit(accessManager, "OperationCanceled")
    .withArgs(operation.operationId, 1n);
  await time.setNextBlockTimestamp(operation.timepoint);
  await expect(accessManager.connect(caller).execute(operation.targetAddress, data))
    .to.be.revertedWithCustomError(accessManager, "AccessManagerNotScheduled")
    .withArgs(operation.operationId);
}

describe("Attack: a compromised delayed role schedules a harmful change (production parameters)", () => {
  it("a risk manager scheduling the listing of its own vault: the guardian cancels it one block before it becomes executable, and executing it then reverts AccessManagerNotScheduled", async () => {
    const deployment = await networkHelpers.loadFixture(deployWithTimelock);
    const { accessManager, productRegistry, riskManager, outsider } = deployment;
    const listData = productRegistry.interface.encodeFunctionData("listVault", [outsider.address]);
    const listing = await schedule(deployment, riskManager, productRegistry, listData);
    expect(listing.timepoint).to.equal(BigInt(await time.latest()) + BigInt(DELAYS.riskManagerDelay));

    // Only the caller, ADMIN or the role's guardian may cancel.
    await expect(accessManager.connect(outsider).cancel(riskManager.address, listing.targetAddress, listData))
      .to.be.revertedWithCustomError(accessManager, "AccessManagerUnauthorizedCancel")
      .withArgs(outsider.address, riskManager.address, listing.targetAddress, listData.slice(0, 10));
    await expectVetoed(deployment, riskManager, listing, listData, listing.timepoint - 1n);
    expect(await productRegistry.isListedVault(outsider.address)).to.equal(false);
  });

  it("a curator or committee admin scheduling a change: the guardian cancels it within the delay; GUARDIAN guards exactly the delayed roles", async () => {
    const deployment = await networkHelpers.loadFixture(deployKeepingAdmin);
    const { accessManager, vault, committeeArbiter, curator, committeeAdmin, outsider } = deployment;
    for (const [guarded, guardianRole] of Object.entries(ROLE_GUARDIANS)) {
      expect(await accessManager.getRoleGuardian(ROLES[guarded as keyof typeof ROLES])).to.equal(ROLES[guardianRole]);
    }
    // GUARDIAN itself never schedules (no execution delay): its guardian stays ADMIN, AccessManager's default.
    expect(await accessManager.getRoleGuardian(ROLES.GUARDIAN)).to.equal(ROLES.ADMIN);

    const changes = [
      [curator, vault, vault.interface.encodeFunctionData("setProductTerms", [1n, SEED_VAULT_TERMS.highYield.dex])],
      [committeeAdmin, committeeArbiter, committeeArbiter.interface.encodeFunctionData("addMember", [outsider.address])],
    ] as const;
    for (const [caller, target, data] of changes) {
      const operation = await schedule(deployment, caller, target, data);
      await expectVetoed(deployment, caller, operation, data, operation.timepoint - 1n);
    }
    expect(await committeeArbiter.isMember(outsider.address)).to.equal(false);
  });
});
