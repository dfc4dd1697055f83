import { readFileSync } from "node:fs";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { ZeroAddress } from "ethers";

import { ParapetModule, ParapetTimelockedModule } from "../../deploy/ignition/Parapet.js";
import { deployUmaLocal } from "../../deploy/uma.js";
import { ParapetTimelockModule } from "../../deploy/ignition/ParapetTimelock.js";
import { SEED_BONDS } from "../../deploy/seed.js";
import {
  AccessManager__factory,
  CommitteeArbiter__factory,
  ProductRegistry__factory,
  TestStablecoin__factory,
  TimelockController__factory,
  UnderwriterVault__factory,
} from "../../types/ethers-contracts/index.js";
import { connection, ethers } from "./helpers.js";

// Shared by governance.delays.test.ts and attacks/scheduledChangeVeto.test.ts: the protocol deployed through its
// Ignition modules with the production parameters (deploy/parameters/production.json).

/** The production delays, read from the parameters file so the test follows it. */
const PRODUCTION_PARAMETERS = new URL("../../deploy/parameters/production.json", import.meta.url);
export const production = JSON.parse(readFileSync(PRODUCTION_PARAMETERS, "utf8")) as {
  ParapetTimelock: { minDelay: number };
  Parapet: Record<string, unknown> & Record<(typeof DELAY_KEYS)[number], number>;
};
const DELAY_KEYS = [
  "riskManagerDelay",
  "curatorDelay",
  "committeeAdminDelay",
  "adminDelay",
  "grantDelay",
  "targetAdminDelay",
] as const;
export const DELAYS = Object.fromEntries(DELAY_KEYS.map((key) => [key, production.Parapet[key]])) as Record<
  (typeof DELAY_KEYS)[number],
  number
>;
export const TIMELOCK_DELAY = BigInt(production.ParapetTimelock.minDelay);

/** AccessManager's `minSetback()`: how long increases of grant and target-admin delays wait before they bind. */
export const MIN_SETBACK = 5n * 86_400n;

/** Deploys with the production delays, keeping ADMIN with the deployer or (`handover`) giving it to a timelock. */
export async function deploy(handover: boolean) {
  const signers = await ethers.getSigners();
  const [admin, guardian, riskManager, curator, treasury, committeeAdmin] = signers;
  const committee = signers.slice(6, 9);
  const [outsider, proposer] = signers.slice(9, 11);

  const asset = await new TestStablecoin__factory(admin).deploy("Test USD", "tUSD", 6);
  await asset.waitForDeployment();

  let timelockAddress: string | undefined;
  if (handover) {
    const { timelock } = await connection.ignition.deploy(ParapetTimelockModule, {
      parameters: {
        ParapetTimelock: { minDelay: Number(TIMELOCK_DELAY), proposers: [proposer.address], executors: [ZeroAddress] },
      },
      displayUi: false,
    });
    timelockAddress = await timelock.getAddress();
  }
  const deployed = await connection.ignition.deploy(handover ? ParapetTimelockedModule : ParapetModule, {
    parameters: {
      Parapet: {
        optimisticOracleV3: await (await deployUmaLocal(connection, await asset.getAddress())).optimisticOracle.getAddress(),
        asset: await asset.getAddress(),
        treasury: treasury.address,
        guardian: guardian.address,
        riskManager: riskManager.address,
        curator: curator.address,
        committeeAdmin: committeeAdmin.address,
        committee: committee.map((member) => member.address),
        quorum: 2n,
        incidentBond: SEED_BONDS.incidentBond,
        ...DELAYS,
        ...(timelockAddress === undefined ? {} : { timelockAdmin: timelockAddress }),
      },
    },
    displayUi: false,
  });
  const accessManager = AccessManager__factory.connect(await deployed.accessManager.getAddress(), admin);
  const productRegistry = ProductRegistry__factory.connect(await deployed.productRegistry.getAddress(), admin);
  const vault = UnderwriterVault__factory.connect(await deployed.conservativeVault.getAddress(), admin);
  const committeeArbiter = CommitteeArbiter__factory.connect(await deployed.committeeArbiter.getAddress(), admin);
  const timelock =
    timelockAddress === undefined ? undefined : TimelockController__factory.connect(timelockAddress, proposer);
  const claimAdjudicator = await deployed.claimAdjudicator.getAddress();
  return {
    accessManager,
    productRegistry,
    vault,
    committeeArbiter,
    claimAdjudicator,
    timelock,
    admin,
    guardian,
    riskManager,
    curator,
    committeeAdmin,
    outsider,
    proposer,
  };
}

export const deployKeepingAdmin = () => deploy(false);
export const deployWithTimelock = () => deploy(true);

export type Deployment = Awaited<ReturnType<typeof deploy>>;

/** Schedules `data` on `target` through the AccessManager as `caller`; returns the operation id and its timepoint. */
export async function schedule(
  { accessManager }: Deployment,
  caller: HardhatEthersSigner,
  target: { getAddress(): Promise<string> },
  data: string,
) {
  const targetAddress = await target.getAddress();
  const operationId = await accessManager.hashOperation(caller.address, targetAddress, data);
  await (await accessManager.connect(caller).schedule(targetAddress, data, 0)).wait();
  return { operationId, timepoint: await accessManager.getSchedule(operationId), targetAddress };
}

