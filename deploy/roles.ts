/**
 * Who may call what: the one AccessManager's roles and the privileged functions mapped to each.
 * The Ignition module wires exactly this table, and the access tests walk it (plus every contract's ABI, so a
 * privileged function missing here fails a test).
 *
 * The claims module (the ClaimAdjudicator) is not a role: `ProductRegistry.claimsModule` names it, set by ADMIN with
 * `setClaimsModule`, and the registry's incident counters, the vaults' pending reserves and
 * `CoverManager.payClaim` all answer that one address (`NotClaimsModule` otherwise). A role would cost every claim an
 * AccessManager call (about 10,000 gas), and could be held by several accounts at once.
 */
export const ROLES = {
  /** AccessManager's built-in admin: grants roles; also the default role of any unmapped restricted function. */
  ADMIN: 0n,
  /**
   * Pauses at once; releases outflows the circuit breaker queued; cancels operations the risk manager, the curator or
   * the committee admin scheduled (see ROLE_GUARDIANS).
   */
  GUARDIAN: 1n,
  /** Product terms, vault listing, leverage caps. */
  RISK_MANAGER: 2n,
  /** Which products a vault backs, on which curve; redemption cooldown. */
  CURATOR: 3n,
  /** Committee membership, quorum and voting period. */
  COMMITTEE_ADMIN: 5n,
} as const;

export type RoleName = keyof typeof ROLES;

/**
 * Restricted functions per contract, by role. Functions absent here stay with ADMIN. `setAuthority` (from
 * OpenZeppelin's AccessManaged) is not in the table: only the AccessManager itself may call it, through
 * `AccessManager.updateAuthority`, which is an ADMIN function.
 */
export const RESTRICTED_FUNCTIONS = {
  ProductRegistry: {
    RISK_MANAGER: ["createProduct", "updateProductTerms", "setProductActive", "setProductTrigger", "listVault"],
    ADMIN: ["setClaimsModule"],
  },
  CoverManager: {
    GUARDIAN: ["pause"],
    ADMIN: ["unpause", "setProtocolFee", "setTreasury", "setDescriptor"],
  },
  ClaimAdjudicator: {
    GUARDIAN: ["pause"],
    ADMIN: ["unpause", "setArbiter"],
    RISK_MANAGER: ["setParameter", "setMinBond", "setProductArbiter"],
  },
  CommitteeArbiter: {
    COMMITTEE_ADMIN: ["addMember", "removeMember", "setQuorum", "setVotingPeriod"],
  },
  UnderwriterVault: {
    GUARDIAN: ["pause", "releaseOutflowQueue"],
    ADMIN: ["unpause", "voidQueuedOutflow"],
    CURATOR: ["setProductTerms", "removeProduct", "setCooldown"],
    RISK_MANAGER: ["setMaxLeverage", "setOutflowLimit"],
  },
  TrancheManager: {
    RISK_MANAGER: ["setSeniorPremiumShare", "setMinJuniorRatio"],
  },
} as const satisfies Record<string, Partial<Record<RoleName, readonly string[]>>>;

/**
 * Role guardians, set by the Ignition module with `AccessManager.setRoleGuardian`: the guardian role may cancel
 * (`AccessManager.cancel(caller, target, data)`) any operation scheduled by a member of the guarded role, at once,
 * since GUARDIAN has no execution delay. It turns each delayed role's execution delay into a veto window: ADMIN (the
 * timelock in production) could cancel too, but only through its own delay, which ends no earlier than the operation
 * it targets.
 */
export const ROLE_GUARDIANS = {
  RISK_MANAGER: "GUARDIAN",
  CURATOR: "GUARDIAN",
  COMMITTEE_ADMIN: "GUARDIAN",
} as const satisfies Partial<Record<RoleName, RoleName>>;

/**
 * Execution delays, per role, set by the Ignition module (`deploy/ignition/Parapet.ts`): the module parameter that
 * sets the delay of each role's member. A member with a non-zero execution delay cannot call its functions directly:
 * it must `AccessManager.schedule(target, data, 0)` and `AccessManager.execute(target, data)` once the delay has
 * passed (or call the target directly then, which consumes the scheduled operation). GUARDIAN has no entry: pausing
 * is immediate.
 */
export const EXECUTION_DELAY_PARAMETERS = {
  RISK_MANAGER: "riskManagerDelay",
  CURATOR: "curatorDelay",
  COMMITTEE_ADMIN: "committeeAdminDelay",
  /** The final ADMIN holder's: unpause, setProtocolFee, setTreasury, setArbiter and every AccessManager admin call. */
  ADMIN: "adminDelay",
} as const satisfies Partial<Record<RoleName, string>>;
