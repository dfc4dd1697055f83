/**
 * Reads a deployed Parapet on chain and compares its governance with what its parameter file asks for: who holds each
 * AccessManager role (exactly, from the grant and revoke events) and with which execution delay, the grant and
 * target-admin delays (the values set, which bind after AccessManager's 5-day `minSetback`), the role guardians, the
 * role of every restricted function, the timelock's delay and roles, that the deployer holds nothing after the
 * hand-over, and the committee, bond, treasury and asset.
 *
 * Used by `npx hardhat parapet:check-deployment` after a real deployment and by the deployment test on a local node.
 */
import { Contract, getAddress, type Provider, ZeroAddress } from "ethers";

import {
  AccessManager__factory,
  ClaimAdjudicator__factory,
  CommitteeArbiter__factory,
  CoverManager__factory,
  ProductRegistry__factory,
  TimelockController__factory,
  UnderwriterVault__factory,
} from "../types/ethers-contracts/index.js";
import type { DeploymentAddresses } from "../scripts/tasks/lib/deployment.js";
import { selectorsByRole } from "./ignition/Parapet.js";
import { ROLE_GUARDIANS, ROLES, type RoleName } from "./roles.js";

/** The deployed contracts the check reads: `deployments/<chainId>.json`'s `addresses` (`timelock` when handed over). */
export type CheckedAddresses = DeploymentAddresses;

/** What the chain must show, from the parameter file and the deployer's address. */
export interface ExpectedDeployment {
  deployer: string;
  /** The TimelockController that must hold ADMIN, or undefined when the deployer keeps ADMIN. */
  timelock?: { address: string; minDelay: bigint; proposers: string[]; executors: string[] };
  holders: Record<"GUARDIAN" | "RISK_MANAGER" | "CURATOR" | "COMMITTEE_ADMIN", string>;
  delays: Record<
    "riskManagerDelay" | "curatorDelay" | "committeeAdminDelay" | "adminDelay" | "grantDelay" | "targetAdminDelay",
    bigint
  >;
  committee: string[];
  quorum: bigint;
  votingPeriod: bigint;
  incidentBond: bigint;
  treasury: string;
  asset: string;
}

/** One value read on chain that differs from the expected one. */
export interface Mismatch {
  check: string;
  expected: string;
  actual: string;
}

export interface DeploymentCheck {
  /** How many values were compared. */
  checked: number;
  mismatches: Mismatch[];
}

/** An Ignition parameter value: a number, a bigint, or a bigint written as a `"123n"` string. */
function integer(value: unknown, name: string): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === "string" && /^\d+n?$/.test(value)) return BigInt(value.replace(/n$/, ""));
  throw new Error(`parameter ${name} is not an integer: ${String(value)}`);
}

function addressParameter(value: unknown, name: string): string {
  if (typeof value !== "string") throw new Error(`parameter ${name} is not an address: ${String(value)}`);
  return getAddress(value);
}

/**
 * The expected state from the `Parapet` (and, with a timelock, `ParapetTimelock`) module parameters, with the module
 * defaults where a parameter is absent: role holders and treasury default to the deployer, delays to 0, the voting
 * period to 7 days.
 */
export function expectedFromParameters(
  modules: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
  deployer: string,
  timelockAddress?: string,
): ExpectedDeployment {
  const parapet = modules.Parapet ?? {};
  const holder = (name: string) => (parapet[name] === undefined ? getAddress(deployer) : addressParameter(parapet[name], name));
  const delay = (name: string) => (parapet[name] === undefined ? 0n : integer(parapet[name], name));
  const timelockParameters = modules.ParapetTimelock ?? {};
  const list = (value: unknown, name: string) => {
    if (!Array.isArray(value)) throw new Error(`parameter ${name} is not a list`);
    return value.map((item, index) => addressParameter(item, `${name}[${index}]`));
  };
  return {
    deployer: getAddress(deployer),
    timelock:
      timelockAddress === undefined
        ? undefined
        : {
            address: getAddress(timelockAddress),
            minDelay:
              timelockParameters.minDelay === undefined ? 2n * 86_400n : integer(timelockParameters.minDelay, "minDelay"),
            proposers: list(timelockParameters.proposers, "proposers"),
            executors: list(timelockParameters.executors, "executors"),
          },
    holders: {
      GUARDIAN: holder("guardian"),
      RISK_MANAGER: holder("riskManager"),
      CURATOR: holder("curator"),
      COMMITTEE_ADMIN: holder("committeeAdmin"),
    },
    delays: {
      riskManagerDelay: delay("riskManagerDelay"),
      curatorDelay: delay("curatorDelay"),
      committeeAdminDelay: delay("committeeAdminDelay"),
      adminDelay: delay("adminDelay"),
      grantDelay: delay("grantDelay"),
      targetAdminDelay: delay("targetAdminDelay"),
    },
    committee: list(parapet.committee, "committee"),
    quorum: integer(parapet.quorum, "quorum"),
    votingPeriod: parapet.votingPeriod === undefined ? 7n * 86_400n : integer(parapet.votingPeriod, "votingPeriod"),
    incidentBond: integer(parapet.incidentBond, "incidentBond"),
    treasury: holder("treasury"),
    asset: addressParameter(parapet.asset, "asset"),
  };
}

/** The block a contract was created in: the first block at which it has code (binary search, O(log n) calls). */
export async function creationBlockOf(provider: Provider, address: string): Promise<number> {
  let high = await provider.getBlockNumber();
  if ((await provider.getCode(address, high)) === "0x") throw new Error(`no contract at ${address}`);
  let low = 0;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if ((await provider.getCode(address, middle)) === "0x") low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The AccessManager's initial admin (the deployer): the account of its first ADMIN grant, made by its constructor. */
export async function initialAdminOf(provider: Provider, accessManager: string): Promise<string> {
  const manager = AccessManager__factory.connect(accessManager, provider);
  const fromBlock = await creationBlockOf(provider, accessManager);
  const [first] = await manager.queryFilter(manager.filters.RoleGranted(ROLES.ADMIN), fromBlock, fromBlock);
  if (first === undefined) throw new Error(`no ADMIN grant in the creation block of ${accessManager}`);
  return getAddress(first.args.account);
}

const sorted = (addresses: Iterable<string>) => [...addresses].map((address) => getAddress(address)).sort();

/** Reads the deployment and compares it with `expected`; never throws on a mismatch, it lists them. */
export async function checkDeployment(
  provider: Provider,
  addresses: CheckedAddresses,
  expected: ExpectedDeployment,
): Promise<DeploymentCheck> {
  const mismatches: Mismatch[] = [];
  let checked = 0;
  const compare = (check: string, expectedValue: unknown, actualValue: unknown) => {
    checked += 1;
    const [wanted, got] = [JSON.stringify(expectedValue, bigints), JSON.stringify(actualValue, bigints)];
    if (wanted !== got) mismatches.push({ check, expected: wanted, actual: got });
  };

  const manager = AccessManager__factory.connect(addresses.accessManager, provider);
  const fromBlock = await creationBlockOf(provider, addresses.accessManager);
  const admin = expected.timelock?.address ?? expected.deployer;

  // Members of each role, from the grant and revoke events: the last event of each account decides.
  const members = new Map<bigint, Map<string, boolean>>();
  const grants = await manager.queryFilter(manager.filters.RoleGranted(), fromBlock);
  const revokes = await manager.queryFilter(manager.filters.RoleRevoked(), fromBlock);
  for (const event of [...grants, ...revokes].sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index)) {
    const [roleId, account] = event.args;
    const byAccount = members.get(roleId) ?? new Map<string, boolean>();
    byAccount.set(getAddress(account), event.eventName === "RoleGranted");
    members.set(roleId, byAccount);
  }
  const membersOf = (role: bigint) => sorted([...(members.get(role) ?? [])].filter(([, held]) => held).map(([a]) => a));

  const holders: Record<RoleName, { account: string; delay: bigint }> = {
    ADMIN: { account: admin, delay: expected.delays.adminDelay },
    GUARDIAN: { account: expected.holders.GUARDIAN, delay: 0n },
    RISK_MANAGER: { account: expected.holders.RISK_MANAGER, delay: expected.delays.riskManagerDelay },
    CURATOR: { account: expected.holders.CURATOR, delay: expected.delays.curatorDelay },
    COMMITTEE_ADMIN: { account: expected.holders.COMMITTEE_ADMIN, delay: expected.delays.committeeAdminDelay },
  };
  for (const [name, role] of Object.entries(ROLES) as Array<[RoleName, bigint]>) {
    const { account, delay } = holders[name];
    compare(`AccessManager role ${name}: members`, [account], membersOf(role));
    const [isMember, executionDelay] = await manager.hasRole(role, account);
    compare(`AccessManager role ${name}: ${account} is a member with execution delay`, [true, delay], [isMember, executionDelay]);
    if (getAddress(account) !== expected.deployer) {
      compare(`AccessManager role ${name}: the deployer ${expected.deployer} holds it`, false, (await manager.hasRole(role, expected.deployer))[0]);
    }
  }

  // Grant and target-admin delays: the last value set (AccessManager applies an increase only after minSetback).
  const grantDelays = new Map<bigint, bigint>();
  for (const event of await manager.queryFilter(manager.filters.RoleGrantDelayChanged(), fromBlock)) {
    grantDelays.set(event.args.roleId, event.args.delay);
  }
  for (const [name, role] of Object.entries(ROLES)) {
    compare(`AccessManager role ${name}: grant delay set`, expected.delays.grantDelay, grantDelays.get(role) ?? 0n);
  }
  const targets: Array<[string, string]> = [
    ["ProductRegistry", addresses.productRegistry],
    ["CoverManager", addresses.coverManager],
    ["ClaimAdjudicator", addresses.claimAdjudicator],
    ["CommitteeArbiter", addresses.committeeArbiter],
    ...Object.entries(addresses.vaults).map(([name, vault]): [string, string] => [`vault ${name}`, vault]),
    ...Object.entries(addresses.tranches ?? {}).map(([name, manager]): [string, string] => [`tranches ${name}`, manager]),
  ];
  const targetAdminDelays = new Map<string, bigint>();
  for (const event of await manager.queryFilter(manager.filters.TargetAdminDelayUpdated(), fromBlock)) {
    targetAdminDelays.set(getAddress(event.args.target), event.args.delay);
  }
  for (const [label, target] of targets) {
    compare(`AccessManager target ${label}: admin delay set`, expected.delays.targetAdminDelay, targetAdminDelays.get(getAddress(target)) ?? 0n);
  }

  for (const [guarded, guardian] of Object.entries(ROLE_GUARDIANS) as Array<[RoleName, RoleName]>) {
    compare(`AccessManager role ${guarded}: role guardian`, ROLES[guardian], await manager.getRoleGuardian(ROLES[guarded]));
  }

  const functionTargets: Array<[Parameters<typeof selectorsByRole>[0], string, string]> = [
    ["ProductRegistry", "ProductRegistry", addresses.productRegistry],
    ["CoverManager", "CoverManager", addresses.coverManager],
    ["ClaimAdjudicator", "ClaimAdjudicator", addresses.claimAdjudicator],
    ["CommitteeArbiter", "CommitteeArbiter", addresses.committeeArbiter],
    ...Object.entries(addresses.vaults).map(
      ([name, vault]): [Parameters<typeof selectorsByRole>[0], string, string] => ["UnderwriterVault", `vault ${name}`, vault],
    ),
    ...Object.entries(addresses.tranches ?? {}).map(
      ([name, manager]): [Parameters<typeof selectorsByRole>[0], string, string] => ["TrancheManager", `tranches ${name}`, manager],
    ),
  ];
  for (const [contract, label, target] of functionTargets) {
    for (const [role, selectors] of selectorsByRole(contract)) {
      for (const selector of selectors) {
        compare(`${label} function ${selector}: role`, role, await manager.getTargetFunctionRole(target, selector));
      }
    }
  }

  if (expected.timelock !== undefined) {
    const timelock = TimelockController__factory.connect(expected.timelock.address, provider);
    compare("TimelockController: min delay", expected.timelock.minDelay, await timelock.getMinDelay());
    const timelockFrom = await creationBlockOf(provider, expected.timelock.address);
    const roleNames = {
      DEFAULT_ADMIN_ROLE: await timelock.DEFAULT_ADMIN_ROLE(),
      PROPOSER_ROLE: await timelock.PROPOSER_ROLE(),
      EXECUTOR_ROLE: await timelock.EXECUTOR_ROLE(),
      CANCELLER_ROLE: await timelock.CANCELLER_ROLE(),
    };
    const timelockMembers = new Map<string, Map<string, boolean>>();
    const timelockEvents = [
      ...(await timelock.queryFilter(timelock.filters.RoleGranted(), timelockFrom)),
      ...(await timelock.queryFilter(timelock.filters.RoleRevoked(), timelockFrom)),
    ].sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
    for (const event of timelockEvents) {
      const [role, account] = event.args;
      const byAccount = timelockMembers.get(role) ?? new Map<string, boolean>();
      byAccount.set(getAddress(account), event.eventName === "RoleGranted");
      timelockMembers.set(role, byAccount);
    }
    const expectedMembers = {
      // With admin = address(0) the timelock administers itself only.
      DEFAULT_ADMIN_ROLE: [expected.timelock.address],
      PROPOSER_ROLE: expected.timelock.proposers,
      EXECUTOR_ROLE: expected.timelock.executors,
      CANCELLER_ROLE: expected.timelock.proposers,
    };
    for (const [name, role] of Object.entries(roleNames) as Array<[keyof typeof roleNames, string]>) {
      const held = [...(timelockMembers.get(role) ?? [])].filter(([, has]) => has).map(([account]) => account);
      compare(`TimelockController ${name}: members`, sorted(expectedMembers[name]), sorted(held));
      if (!expectedMembers[name].includes(expected.deployer)) {
        compare(`TimelockController ${name}: the deployer holds it`, false, await timelock.hasRole(role, expected.deployer));
      }
    }
    const openExecution = expected.timelock.executors.includes(ZeroAddress);
    compare("TimelockController: anyone may execute", openExecution, await timelock.hasRole(roleNames.EXECUTOR_ROLE, ZeroAddress));
  }

  const arbiter = CommitteeArbiter__factory.connect(addresses.committeeArbiter, provider);
  compare("CommitteeArbiter: members", sorted(expected.committee), sorted(await arbiter.members()));
  compare("CommitteeArbiter: quorum", expected.quorum, await arbiter.quorum());
  compare("CommitteeArbiter: voting period", expected.votingPeriod, await arbiter.votingPeriod());
  const adjudicator = ClaimAdjudicator__factory.connect(addresses.claimAdjudicator, provider);
  compare("ClaimAdjudicator: incident bond", expected.incidentBond, await adjudicator.incidentBond());
  compare("ClaimAdjudicator: incident bond asset", expected.asset, await adjudicator.incidentBondAsset());
  compare("ClaimAdjudicator: arbiter", getAddress(addresses.committeeArbiter), await adjudicator.arbiter());
  compare("CoverManager: treasury", expected.treasury, await CoverManager__factory.connect(addresses.coverManager, provider).treasury());
  const registry = ProductRegistry__factory.connect(addresses.productRegistry, provider);
  compare("ProductRegistry: claims module", getAddress(addresses.claimAdjudicator), await registry.claimsModule());
  for (const [name, vault] of Object.entries(addresses.vaults)) {
    compare(`vault ${name}: asset`, expected.asset, await UnderwriterVault__factory.connect(vault, provider).asset());
    compare(`vault ${name}: listed in the registry`, true, await registry.isListedVault(vault));
  }
  for (const [label, target] of targets) {
    const managed = new Contract(target, ["function authority() view returns (address)"], provider);
    compare(`${label}: authority`, getAddress(addresses.accessManager), await managed.getFunction("authority")());
  }
  return { checked, mismatches };
}

function bigints(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}
