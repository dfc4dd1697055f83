import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { Interface } from "ethers";

import {
  ClaimAdjudicator__factory,
  CommitteeArbiter__factory,
  CoverManager__factory,
  ProductRegistry__factory,
  UnderwriterVault__factory,
} from "../../types/ethers-contracts/index.js";
import { RESTRICTED_FUNCTIONS, ROLES, type RoleName } from "../roles.js";

const INTERFACES = {
  ProductRegistry: ProductRegistry__factory.createInterface(),
  CoverManager: CoverManager__factory.createInterface(),
  UnderwriterVault: UnderwriterVault__factory.createInterface(),
  ClaimAdjudicator: ClaimAdjudicator__factory.createInterface(),
  CommitteeArbiter: CommitteeArbiter__factory.createInterface(),
} satisfies Record<keyof typeof RESTRICTED_FUNCTIONS, Interface>;

/** `[role, selectors]` pairs for one contract, from the roles table. */
export function selectorsByRole(contract: keyof typeof RESTRICTED_FUNCTIONS): Array<[bigint, string[]]> {
  const iface: Interface = INTERFACES[contract];
  return Object.entries(RESTRICTED_FUNCTIONS[contract]).map(([role, names]) => [
    ROLES[role as RoleName],
    (names as readonly string[]).map((name) => iface.getFunction(name)!.selector),
  ]);
}

/**
 * The whole protocol over one asset: one AccessManager, the product registry, the cover manager, two vaults
 * (conservative and high-yield) listed in the registry, the claim adjudicator (bonds in the same asset) and its
 * committee arbiter, with every privileged function mapped to its role and the roles granted to the addresses given as
 * parameters (the adjudicator gets CLAIMS). The deployer keeps ADMIN (hand it to a timelock in production).
 */
export const ParapetModule = buildModule("Parapet", (m) => {
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

  const accessManager = m.contract("AccessManager", [deployer]);
  const productRegistry = m.contract("ProductRegistry", [accessManager]);
  const coverManager = m.contract("CoverManager", [accessManager, productRegistry, treasury]);
  const vaultArgs = [accessManager, coverManager, productRegistry] as const;
  const conservativeVault = m.contract(
    "UnderwriterVault",
    [asset, "Parapet Conservative USD", "pcUSD", ...vaultArgs],
    { id: "ConservativeVault" },
  );
  const highYieldVault = m.contract("UnderwriterVault", [asset, "Parapet High Yield USD", "phyUSD", ...vaultArgs], {
    id: "HighYieldVault",
  });

  const claimAdjudicator = m.contract("ClaimAdjudicator", [
    accessManager,
    coverManager,
    productRegistry,
    asset,
    incidentBond,
  ]);
  const committeeArbiter = m.contract("CommitteeArbiter", [
    accessManager,
    claimAdjudicator,
    committee,
    quorum,
    votingPeriod,
  ]);

  const lens = m.contract("ParapetLens", [productRegistry, coverManager, claimAdjudicator]);

  // Until their functions are mapped to roles, the contracts answer to ADMIN, which the deployer holds.
  const setup = [
    ...[conservativeVault, highYieldVault].map((vault, index) =>
      m.call(productRegistry, "listVault", [vault], { id: `listVault_${index}` }),
    ),
    m.call(claimAdjudicator, "setArbiter", [committeeArbiter]),
  ];

  const targets = [
    ["ProductRegistry", "registry", productRegistry],
    ["CoverManager", "coverManager", coverManager],
    ["UnderwriterVault", "conservativeVault", conservativeVault],
    ["UnderwriterVault", "highYieldVault", highYieldVault],
    ["ClaimAdjudicator", "claimAdjudicator", claimAdjudicator],
    ["CommitteeArbiter", "committeeArbiter", committeeArbiter],
  ] as const;
  for (const [contract, label, target] of targets) {
    for (const [role, selectors] of selectorsByRole(contract)) {
      m.call(accessManager, "setTargetFunctionRole", [target, selectors, role], {
        id: `${label}_role_${role}`,
        after: setup,
      });
    }
  }
  for (const [name, account] of Object.entries(grants)) {
    m.call(accessManager, "grantRole", [ROLES[name as RoleName], account, 0], { id: `grant_${name}` });
  }
  m.call(accessManager, "grantRole", [ROLES.CLAIMS, claimAdjudicator, 0], { id: "grant_CLAIMS_adjudicator" });

  return {
    accessManager,
    productRegistry,
    coverManager,
    conservativeVault,
    highYieldVault,
    claimAdjudicator,
    committeeArbiter,
    lens,
  };
});

export default ParapetModule;
