import { expect } from "chai";
import { ZeroHash, id } from "ethers";

import { deployParapet } from "../../deploy/fixture.js";
import { ROLES } from "../../deploy/roles.js";
import { SEED_PRODUCTS, SEED_VAULT_TERMS } from "../../deploy/seed.js";
import { connection, networkHelpers, time } from "./helpers.js";
import {
  DELAYS,
  deployKeepingAdmin,
  deployWithTimelock,
  MIN_SETBACK,
  schedule,
  TIMELOCK_DELAY,
} from "./productionSetup.js";

describe("governance delays (production parameters)", () => {
  it("uses non-zero production delays", () => {
    for (const delay of Object.values(DELAYS)) expect(delay).to.be.greaterThan(0);
  });

  it("sets each role's execution delay; the guardian has none", async () => {
    const { accessManager, admin, guardian, riskManager, curator, committeeAdmin } =
      await networkHelpers.loadFixture(deployKeepingAdmin);
    const delayOf = async (role: bigint, account: string) => (await accessManager.hasRole(role, account))[1];
    expect(await accessManager.hasRole(ROLES.GUARDIAN, guardian.address)).to.deep.equal([true, 0n]);
    expect(await delayOf(ROLES.RISK_MANAGER, riskManager.address)).to.equal(BigInt(DELAYS.riskManagerDelay));
    expect(await delayOf(ROLES.CURATOR, curator.address)).to.equal(BigInt(DELAYS.curatorDelay));
    expect(await delayOf(ROLES.COMMITTEE_ADMIN, committeeAdmin.address)).to.equal(BigInt(DELAYS.committeeAdminDelay));
    expect(await accessManager.hasRole(ROLES.ADMIN, admin.address)).to.deep.equal([true, BigInt(DELAYS.adminDelay)]);
  });

  it("keeps every delay at zero in the local fixture (module defaults)", async () => {
    const { accessManager, accounts, vaults } = await deployParapet(connection);
    for (const [role, account] of [
      [ROLES.ADMIN, accounts.admin.address],
      [ROLES.GUARDIAN, accounts.guardian.address],
      [ROLES.RISK_MANAGER, accounts.riskManager.address],
      [ROLES.CURATOR, accounts.curator.address],
      [ROLES.COMMITTEE_ADMIN, accounts.committeeAdmin.address],
    ] as const) {
      expect(await accessManager.hasRole(role, account)).to.deep.equal([true, 0n]);
    }
    await time.increase(MIN_SETBACK);
    for (const role of Object.values(ROLES)) expect(await accessManager.getRoleGrantDelay(role)).to.equal(0n);
    expect(await accessManager.getTargetAdminDelay(await vaults.conservative.getAddress())).to.equal(0n);
  });

  it("refuses a risk manager's and a curator's direct calls: they must be scheduled", async () => {
    const deployment = await networkHelpers.loadFixture(deployKeepingAdmin);
    const { accessManager, productRegistry, vault, riskManager, curator, outsider } = deployment;
    const createData = productRegistry.interface.encodeFunctionData("createProduct", [SEED_PRODUCTS.lending]);
    const registryAddress = await productRegistry.getAddress();
    const createId = await accessManager.hashOperation(riskManager.address, registryAddress, createData);
    await expect(productRegistry.connect(riskManager).createProduct(SEED_PRODUCTS.lending))
      .to.be.revertedWithCustomError(accessManager, "AccessManagerNotScheduled")
      .withArgs(createId);

    const terms = SEED_VAULT_TERMS.conservative.lending;
    const termsData = vault.interface.encodeFunctionData("setProductTerms", [1n, terms]);
    const termsId = await accessManager.hashOperation(curator.address, await vault.getAddress(), termsData);
    await expect(vault.connect(curator).setProductTerms(1n, terms))
      .to.be.revertedWithCustomError(accessManager, "AccessManagerNotScheduled")
      .withArgs(termsId);

    // A non-member is refused by the target itself, delay or not.
    await expect(vault.connect(outsider).setProductTerms(1n, terms))
      .to.be.revertedWithCustomError(vault, "AccessManagedUnauthorized")
      .withArgs(outsider.address);
  });

  it("executes a scheduled risk and curator change only once the delay has passed", async () => {
    const deployment = await networkHelpers.loadFixture(deployKeepingAdmin);
    const { accessManager, productRegistry, vault, riskManager, curator } = deployment;

    const createData = productRegistry.interface.encodeFunctionData("createProduct", [SEED_PRODUCTS.lending]);
    const create = await schedule(deployment, riskManager, productRegistry, createData);
    expect(create.timepoint).to.equal(BigInt(await time.latest()) + BigInt(DELAYS.riskManagerDelay));
    await expect(accessManager.connect(riskManager).execute(create.targetAddress, createData))
      .to.be.revertedWithCustomError(accessManager, "AccessManagerNotReady")
      .withArgs(create.operationId);
    await time.increaseTo(create.timepoint - 2n); // the next block is still one second early
    await expect(accessManager.connect(riskManager).execute(create.targetAddress, createData))
      .to.be.revertedWithCustomError(accessManager, "AccessManagerNotReady")
      .withArgs(create.operationId);
    await time.increaseTo(create.timepoint - 1n); // the next block is at the timepoint: ready
    await expect(accessManager.connect(riskManager).execute(create.targetAddress, createData))
      .to.emit(accessManager, "OperationExecuted")
      .withArgs(create.operationId, 1n);
    expect(await productRegistry.productCount()).to.equal(1n);
    // Executed operations are consumed: a replay must be scheduled again.
    await expect(accessManager.connect(riskManager).execute(create.targetAddress, createData))
      .to.be.revertedWithCustomError(accessManager, "AccessManagerNotScheduled")
      .withArgs(create.operationId);

    const terms = SEED_VAULT_TERMS.conservative.lending;
    const termsData = vault.interface.encodeFunctionData("setProductTerms", [1n, terms]);
    const setTerms = await schedule(deployment, curator, vault, termsData);
    await expect(vault.connect(curator).setProductTerms(1n, terms))
      .to.be.revertedWithCustomError(accessManager, "AccessManagerNotReady")
      .withArgs(setTerms.operationId);
    await time.increase(BigInt(DELAYS.curatorDelay));
    // Once ready, the curator may also call the vault directly: the vault consumes the scheduled operation.
    await expect(vault.connect(curator).setProductTerms(1n, terms))
      .to.emit(accessManager, "OperationExecuted")
      .withArgs(setTerms.operationId, 1n);
    expect((await vault.productTerms(1n)).capacityWad).to.equal(terms.capacityWad);
  });

  it("pauses at once; unpausing waits for the admin delay", async () => {
    const deployment = await networkHelpers.loadFixture(deployKeepingAdmin);
    const { accessManager, vault, admin, guardian } = deployment;
    await (await vault.connect(guardian).pause()).wait();
    expect(await vault.paused()).to.equal(true);

    const unpauseData = vault.interface.encodeFunctionData("unpause");
    const unpauseId = await accessManager.hashOperation(admin.address, await vault.getAddress(), unpauseData);
    await expect(vault.connect(admin).unpause())
      .to.be.revertedWithCustomError(accessManager, "AccessManagerNotScheduled")
      .withArgs(unpauseId);
    const unpause = await schedule(deployment, admin, vault, unpauseData);
    await expect(accessManager.execute(unpause.targetAddress, unpauseData))
      .to.be.revertedWithCustomError(accessManager, "AccessManagerNotReady")
      .withArgs(unpause.operationId);
    await time.increase(BigInt(DELAYS.adminDelay));
    await (await accessManager.execute(unpause.targetAddress, unpauseData)).wait();
    expect(await vault.paused()).to.equal(false);
  });

  it("lets a role grant take effect only after the grant delay", async () => {
    const deployment = await networkHelpers.loadFixture(deployKeepingAdmin);
    const { accessManager, vault, admin, outsider } = deployment;
    const grantDelay = BigInt(DELAYS.grantDelay);
    // An increased grant delay itself binds only after AccessManager's minSetback (5 days) from deployment.
    expect(await accessManager.getRoleGrantDelay(ROLES.CURATOR)).to.equal(0n);
    await time.increase(MIN_SETBACK);
    expect(await accessManager.getRoleGrantDelay(ROLES.CURATOR)).to.equal(grantDelay);
    expect(await accessManager.getTargetAdminDelay(await vault.getAddress())).to.equal(BigInt(DELAYS.targetAdminDelay));

    // grantRole is itself an admin operation, delayed by the admin's execution delay.
    const managerAddress = await accessManager.getAddress();
    const grantData = accessManager.interface.encodeFunctionData("grantRole", [
      ROLES.CURATOR,
      outsider.address,
      DELAYS.curatorDelay,
    ]);
    await expect(accessManager.grantRole(ROLES.CURATOR, outsider.address, DELAYS.curatorDelay))
      .to.be.revertedWithCustomError(accessManager, "AccessManagerNotScheduled")
      .withArgs(await accessManager.hashOperation(admin.address, managerAddress, grantData));
    await schedule(deployment, admin, accessManager, grantData);
    await time.increase(BigInt(DELAYS.adminDelay));
    await (await accessManager.execute(managerAddress, grantData)).wait();
    const grantedAt = BigInt(await time.latest());

    const [since] = await accessManager.getAccess(ROLES.CURATOR, outsider.address);
    expect(since).to.equal(grantedAt + grantDelay);
    expect(await accessManager.hasRole(ROLES.CURATOR, outsider.address)).to.deep.equal([
      false,
      BigInt(DELAYS.curatorDelay),
    ]);
    const terms = SEED_VAULT_TERMS.conservative.lending;
    const termsData = vault.interface.encodeFunctionData("setProductTerms", [1n, terms]);
    await expect(accessManager.connect(outsider).schedule(await vault.getAddress(), termsData, 0))
      .to.be.revertedWithCustomError(accessManager, "AccessManagerUnauthorizedCall")
      .withArgs(outsider.address, await vault.getAddress(), termsData.slice(0, 10));

    await time.increaseTo(since);
    expect(await accessManager.hasRole(ROLES.CURATOR, outsider.address)).to.deep.equal([
      true,
      BigInt(DELAYS.curatorDelay),
    ]);
    await expect(accessManager.connect(outsider).schedule(await vault.getAddress(), termsData, 0)).to.emit(
      accessManager,
      "OperationScheduled",
    );
  });

  describe("with timelockAdmin", () => {
    it("hands ADMIN to the timelock and the deployer renounces it", async () => {
      const { accessManager, timelock, admin } = await networkHelpers.loadFixture(deployWithTimelock);
      const timelockAddress = await timelock!.getAddress();
      expect(await accessManager.hasRole(ROLES.ADMIN, admin.address)).to.deep.equal([false, 0n]);
      expect(await accessManager.hasRole(ROLES.ADMIN, timelockAddress)).to.deep.equal([
        true,
        BigInt(DELAYS.adminDelay),
      ]);
      await expect(accessManager.grantRole(ROLES.GUARDIAN, admin.address, 0))
        .to.be.revertedWithCustomError(accessManager, "AccessManagerUnauthorizedAccount")
        .withArgs(admin.address, ROLES.ADMIN);
      // The timelock has no admin of its own.
      const timelockAdminRole = await timelock!.DEFAULT_ADMIN_ROLE();
      expect(await timelock!.hasRole(timelockAdminRole, admin.address)).to.equal(false);
      expect(await timelock!.getMinDelay()).to.equal(TIMELOCK_DELAY);
    });

    it("unpauses through the timelock after its delay plus the admin delay", async () => {
      const deployment = await networkHelpers.loadFixture(deployWithTimelock);
      const { accessManager, vault, guardian, outsider } = deployment;
      const timelock = deployment.timelock!;
      await (await vault.connect(guardian).pause()).wait();

      const managerAddress = await accessManager.getAddress();
      const vaultAddress = await vault.getAddress();
      const unpauseData = vault.interface.encodeFunctionData("unpause");
      const scheduleCall = accessManager.interface.encodeFunctionData("schedule", [vaultAddress, unpauseData, 0]);
      const executeCall = accessManager.interface.encodeFunctionData("execute", [vaultAddress, unpauseData]);
      const salt = id("unpause");
      // The proposer queues both steps at once; each waits the timelock's delay, the second also the admin delay.
      await (await timelock.schedule(managerAddress, 0, scheduleCall, ZeroHash, salt, TIMELOCK_DELAY)).wait();
      await (await timelock.schedule(managerAddress, 0, executeCall, ZeroHash, salt, TIMELOCK_DELAY)).wait();
      await time.increase(TIMELOCK_DELAY);
      await (await timelock.connect(outsider).execute(managerAddress, 0, scheduleCall, ZeroHash, salt)).wait();
      const operationId = await accessManager.hashOperation(await timelock.getAddress(), vaultAddress, unpauseData);
      await expect(timelock.connect(outsider).execute(managerAddress, 0, executeCall, ZeroHash, salt))
        .to.be.revertedWithCustomError(accessManager, "AccessManagerNotReady")
        .withArgs(operationId);
      await time.increase(BigInt(DELAYS.adminDelay));
      await (await timelock.connect(outsider).execute(managerAddress, 0, executeCall, ZeroHash, salt)).wait();
      expect(await vault.paused()).to.equal(false);
    });
  });
});
