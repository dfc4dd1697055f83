import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { Interface } from "ethers";

import {
  ClaimAdjudicator__factory,
  CommitteeArbiter__factory,
  CoverManager__factory,
  ProductRegistry__factory,
  TrancheManager__factory,
  UnderwriterVault__factory,
} from "../../types/ethers-contracts/index.js";
import { EXECUTION_DELAY_PARAMETERS, RESTRICTED_FUNCTIONS, ROLE_GUARDIANS, ROLES, type RoleName } from "../roles.js";

const INTERFACES = {
  ProductRegistry: ProductRegistry__factory.createInterface(),
  CoverManager: CoverManager__factory.createInterface(),
  UnderwriterVault: UnderwriterVault__factory.createInterface(),
  ClaimAdjudicator: ClaimAdjudicator__factory.createInterface(),
  CommitteeArbiter: CommitteeArbiter__factory.createInterface(),
  TrancheManager: TrancheManager__factory.createInterface(),
} satisfies Record<keyof typeof RESTRICTED_FUNCTIONS, Interface>;

/** `[role, selectors]` pairs for one contract, from the roles table. */
export function selectorsByRole(contract: keyof typeof RESTRICTED_FUNCTIONS): Array<[bigint, string[]]> {
  const iface: Interface = INTERFACES[contract];
  return Object.entries(RESTRICTED_FUNCTIONS[contract]).map(([role, names]) => [
    ROLES[role as RoleName],
    (names as readonly string[]).map((name) => iface.getFunction(name)!.selector),
  ]);
}

/** Ignition's module builder (`m`), as `buildModule` passes it. */
type ModuleBuilder = Parameters<Parameters<typeof buildModule>[1]>[0];

/** A list of Ignition futures, as `after` takes it. */
type Futures = NonNullable<NonNullable<Parameters<ModuleBuilder["call"]>[3]>["after"]>;

/** Every contract the module deploys, as Ignition futures. */
type ParapetFutures = ReturnType<typeof buildParapet>["contracts"];

/**
 * The whole protocol over one asset: one AccessManager, the product registry, the cover manager, two vaults
 * (conservative and high-yield) listed in the registry, the claim adjudicator (bonds in the same asset), its
 * committee arbiter (the default) and the UMA arbiter (`optimisticOracleV3`: UMA's Optimistic Oracle V3 address; its
 * escalations are bonded in `asset`, which UMA must accept, or the deployment stops with `CurrencyNotAcceptedByUma`), with every privileged function mapped to its role and the roles granted to the addresses given as
 * parameters; the registry names the adjudicator its claims module (`setClaimsModule`).
 *
 * Governance delays (all module parameters, in seconds, default 0 so local chains and the test fixture act at once;
 * production values in `deploy/parameters/production.json`):
 * - `riskManagerDelay`, `curatorDelay`, `committeeAdminDelay`: the execution delay of that role's member. A member
 *   with a delay must `accessManager.schedule(target, data, 0)` and `accessManager.execute(target, data)` once the
 *   delay has passed; a direct call reverts `AccessManagerNotScheduled(operationId)`.
 * - `adminDelay`: the execution delay of the final ADMIN holder. It covers the ADMIN-mapped functions (unpause,
 *   setProtocolFee, setTreasury, setArbiter) and every AccessManager admin operation (grantRole, revokeRole,
 *   setTargetFunctionRole, ...): OpenZeppelin's AccessManager has one delay per member, not per function.
 * - `grantDelay`: `setGrantDelay` for every role: a new member's role takes effect only this long after the grant.
 * - `targetAdminDelay`: `setTargetAdminDelay` for every contract: delays changing a contract's function roles,
 *   closing it or moving it to another authority.
 * GUARDIAN always has execution delay 0: pausing is immediate.
 * GUARDIAN is the role guardian of RISK_MANAGER, CURATOR and COMMITTEE_ADMIN (`ROLE_GUARDIANS` in deploy/roles.ts):
 * it may cancel their scheduled operations at once, so each of their delays is a window in which a change can be
 * stopped, not only seen coming.
 * Note: AccessManager applies increases of `grantDelay` and `targetAdminDelay` only after its `minSetback()` (5 days)
 * from deployment; execution delays of new members apply at once.
 *
 * Order: the deployer (account 0) is the AccessManager's initial admin and does all wiring with no delay; only when
 * every other call has gone through does the last step set the final admin: `ParapetModule` raises the deployer's own
 * ADMIN execution delay to `adminDelay`; `ParapetTimelockedModule` grants ADMIN to `timelockAdmin` (with
 * `adminDelay`) and then the deployer renounces ADMIN, so there is no moment without an admin.
 */
function buildParapet(m: ModuleBuilder) {
  const deployer = m.getAccount(0);
  const asset = m.getParameter<string>("asset");
  const treasury = m.getParameter("treasury", deployer);
  const incidentBond = m.getParameter<bigint>("incidentBond");
  const committee = m.getParameter<string[]>("committee");
  const quorum = m.getParameter<bigint>("quorum");
  const votingPeriod = m.getParameter<bigint>("votingPeriod", 7n * 86_400n);
  const grants = {
    GUARDIAN: m.getParameter("guardian", deployer),
    RISK_MANAGER: m.getParameter("riskManager", deployer),
    CURATOR: m.getParameter("curator", deployer),
    COMMITTEE_ADMIN: m.getParameter("committeeAdmin", deployer),
  };
  const executionDelays = {
    GUARDIAN: 0,
    RISK_MANAGER: m.getParameter<number>(EXECUTION_DELAY_PARAMETERS.RISK_MANAGER, 0),
    CURATOR: m.getParameter<number>(EXECUTION_DELAY_PARAMETERS.CURATOR, 0),
    COMMITTEE_ADMIN: m.getParameter<number>(EXECUTION_DELAY_PARAMETERS.COMMITTEE_ADMIN, 0),
  };
  const adminDelay = m.getParameter<number>(EXECUTION_DELAY_PARAMETERS.ADMIN, 0);
  const grantDelay = m.getParameter<number>("grantDelay", 0);
  const targetAdminDelay = m.getParameter<number>("targetAdminDelay", 0);

  const accessManager = m.contract("AccessManager", [deployer]);
  const productRegistry = m.contract("ProductRegistry", [accessManager]);
  const coverManager = m.contract("CoverManager", [accessManager, productRegistry, treasury]);
  const vaultArgs = [accessManager, coverManager, productRegistry] as const;
  const vaultLibraries = { BackingLogic: m.library("BackingLogic"), CircuitBreakerLogic: m.library("CircuitBreakerLogic") };
  const conservativeVault = m.contract(
    "UnderwriterVault",
    [asset, "Parapet Conservative USD", "pcUSD", ...vaultArgs],
    { id: "ConservativeVault", libraries: vaultLibraries },
  );
  const highYieldVault = m.contract("UnderwriterVault", [asset, "Parapet High Yield USD", "phyUSD", ...vaultArgs], {
    id: "HighYieldVault",
    libraries: vaultLibraries,
  });

  const incidentLogic = m.library("IncidentLogic");
  const bondLogic = m.library("BondLogic");
  const claimAdjudicator = m.contract(
    "ClaimAdjudicator",
    [accessManager, coverManager, productRegistry, asset, incidentBond],
    { libraries: { IncidentLogic: incidentLogic, BondLogic: bondLogic } },
  );
  const committeeArbiter = m.contract("CommitteeArbiter", [
    accessManager,
    claimAdjudicator,
    committee,
    quorum,
    votingPeriod,
  ]);

  // Junior (first-loss) and senior tranches over the high-yield vault's shares; the manager deploys both tokens.
  const highYieldTranches = m.contract("TrancheManager", [
    highYieldVault,
    accessManager,
    "Parapet High Yield Junior",
    "phyJR",
    "Parapet High Yield Senior",
    "phySR",
  ]);
  const highYieldJunior = m.contractAt("TrancheToken", m.staticCall(highYieldTranches, "junior"), {
    id: "HighYieldJunior",
  });
  const highYieldSenior = m.contractAt("TrancheToken", m.staticCall(highYieldTranches, "senior"), {
    id: "HighYieldSenior",
  });

  // Disputes of the products the risk manager sends to UMA (`setProductArbiter`): UMA's Optimistic Oracle V3 on the
  // network (see deploy/parameters/uma.json), or a local UMA stack (deploy/ignition/UmaLocal.ts).
  const umaArbiter = m.contract("UmaArbiter", [
    m.getParameter<string>("optimisticOracleV3"),
    claimAdjudicator,
    asset,
  ]);

  const lens = m.contract("ParapetLens", [productRegistry, coverManager, claimAdjudicator]);
  const policyDescriptor = m.contract("PolicyDescriptor", [coverManager, productRegistry]);

  // Until their functions are mapped to roles, the contracts answer to ADMIN, which the deployer holds.
  const setup = [
    ...[conservativeVault, highYieldVault].map((vault, index) =>
      m.call(productRegistry, "listVault", [vault], { id: `listVault_${index}` }),
    ),
    m.call(claimAdjudicator, "setArbiter", [committeeArbiter]),
    m.call(productRegistry, "setClaimsModule", [claimAdjudicator]),
    m.call(coverManager, "setDescriptor", [policyDescriptor]),
  ];

  const targets = [
    ["ProductRegistry", "registry", productRegistry],
    ["CoverManager", "coverManager", coverManager],
    ["UnderwriterVault", "conservativeVault", conservativeVault],
    ["UnderwriterVault", "highYieldVault", highYieldVault],
    ["ClaimAdjudicator", "claimAdjudicator", claimAdjudicator],
    ["CommitteeArbiter", "committeeArbiter", committeeArbiter],
    ["TrancheManager", "highYieldTranches", highYieldTranches],
  ] as const;
  /** Every admin call so far: the final admin step goes after all of them. */
  const wiring: Futures = [...setup];
  for (const [contract, label, target] of targets) {
    for (const [role, selectors] of selectorsByRole(contract)) {
      wiring.push(
        m.call(accessManager, "setTargetFunctionRole", [target, selectors, role], {
          id: `${label}_role_${role}`,
          after: setup,
        }),
      );
    }
  }
  for (const [name, account] of Object.entries(grants)) {
    const role = name as keyof typeof grants;
    wiring.push(
      m.call(accessManager, "grantRole", [ROLES[role], account, executionDelays[role]], { id: `grant_${name}` }),
    );
  }
  // The guardian can cancel a delayed role's scheduled operation within its delay (a veto, not just a warning).
  for (const [guarded, guardian] of Object.entries(ROLE_GUARDIANS)) {
    wiring.push(
      m.call(accessManager, "setRoleGuardian", [ROLES[guarded as RoleName], ROLES[guardian]], {
        id: `guardian_${guarded}`,
      }),
    );
  }
  // Grant and target-admin delays last among the wiring (they only bind after AccessManager's minSetback anyway).
  const delayCalls = [
    ...Object.entries(ROLES).map(([name, role]) =>
      m.call(accessManager, "setGrantDelay", [role, grantDelay], { id: `grantDelay_${name}`, after: wiring }),
    ),
    ...targets.map(([, label, target]) =>
      m.call(accessManager, "setTargetAdminDelay", [target, targetAdminDelay], {
        id: `targetAdminDelay_${label}`,
        after: wiring,
      }),
    ),
  ];

  return {
    deployer,
    adminDelay,
    /** Every call the deployer makes as ADMIN: the handover must come after all of them. */
    adminCalls: [...wiring, ...delayCalls],
    contracts: {
      accessManager,
      productRegistry,
      coverManager,
      conservativeVault,
      highYieldVault,
      claimAdjudicator,
      committeeArbiter,
      highYieldTranches,
      highYieldJunior,
      highYieldSenior,
      umaArbiter,
      lens,
      policyDescriptor,
    },
  };
}

/**
 * The protocol with the deployer keeping ADMIN: local chains, tests, and deployments whose deployer is itself a
 * multisig. As the last step the deployer's ADMIN execution delay is set to `adminDelay` (an increase applies at
 * once; with the default 0 it changes nothing).
 */
export const ParapetModule = buildModule("Parapet", (m): ParapetFutures => {
  const { deployer, adminDelay, adminCalls, contracts } = buildParapet(m);
  m.call(contracts.accessManager, "grantRole", [ROLES.ADMIN, deployer, adminDelay], {
    id: "admin_delay_deployer",
    after: adminCalls,
  });
  return contracts;
});

/**
 * The protocol handed to a timelock (or multisig) at the end: same module id ("Parapet") and parameters as
 * `ParapetModule`, plus the required `timelockAdmin` address (e.g. a `TimelockController` deployed first by
 * `deploy/ignition/ParapetTimelock.ts`). After all wiring: 1. grant ADMIN to `timelockAdmin` with execution delay
 * `adminDelay` (effective at once: the ADMIN grant delay is still 0 here, since `setGrantDelay` only binds after the
 * 5-day setback); 2. the deployer renounces ADMIN. Step 2 depends on step 1, so ADMIN is never vacant.
 */
export const ParapetTimelockedModule = buildModule("Parapet", (m): ParapetFutures => {
  const { deployer, adminDelay, adminCalls, contracts } = buildParapet(m);
  const timelockAdmin = m.getParameter<string>("timelockAdmin");
  const handover = m.call(contracts.accessManager, "grantRole", [ROLES.ADMIN, timelockAdmin, adminDelay], {
    id: "grant_ADMIN_timelock",
    after: adminCalls,
  });
  m.call(contracts.accessManager, "renounceRole", [ROLES.ADMIN, deployer], {
    id: "renounce_ADMIN_deployer",
    after: [handover],
  });
  return contracts;
});

export default ParapetModule;
