import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import {
  type BaseContract,
  FunctionFragment,
  isCallException,
  isHexString,
  type ParamType,
  zeroPadValue,
} from "ethers";

import type { ParapetDeployment } from "../../../deploy/fixture.js";
import { RESTRICTED_FUNCTIONS, ROLES, type RoleName } from "../../../deploy/roles.js";
import type { CommitteeArbiter, UnderwriterVault } from "../../../types/ethers-contracts/index.js";
import { DAY, ethers, loadParapet, networkHelpers } from "../helpers.js";
import { type Committee, deployCommittee, restrictedCallsOf } from "../committeeSetup.js";
import { governanceFixture, terms, WAD } from "../vaultGovernanceSetup.js";

type ContractName = keyof typeof RESTRICTED_FUNCTIONS;

/**
 * Functions that `AccessManaged` gates on `msg.sender == authority()` rather than through a role: only the
 * AccessManager itself may call them (through `AccessManager.updateAuthority`, ADMIN only), so they are privileged
 * but have no place in the roles table. Tested separately below.
 */
const AUTHORITY_ONLY = ["setAuthority"];

/**
 * Functions only the registry's claims module may call (`ProductRegistry.claimsModule`, not an AccessManager role):
 * every other caller gets `NotClaimsModule(caller)`.
 */
const CLAIMS_MODULE_ONLY: Partial<Record<ContractName, string[]>> = {
  ProductRegistry: ["openIncident", "closeIncident", "disarmTrigger"],
  CoverManager: ["openClaim", "closeClaim", "payClaim"],
  UnderwriterVault: ["reserveUpTo", "decreasePendingReserve"],
};

/** A zero-ish value for an ABI parameter, built recursively for tuples and arrays. */
function zeroArg(param: ParamType, address: string): unknown {
  if (param.isTuple()) return param.components.map((component) => zeroArg(component, address));
  if (param.isArray()) {
    const length = param.arrayLength === -1 ? 1 : param.arrayLength;
    return Array.from({ length }, () => zeroArg(param.arrayChildren, address));
  }
  const type = param.baseType;
  if (type.startsWith("uint") || type.startsWith("int")) return 0n;
  if (type === "address") return address;
  if (type === "bool") return false;
  if (type === "string") return "";
  if (type === "bytes") return "0x";
  if (type.startsWith("bytes")) return zeroPadValue("0x", Number(type.slice("bytes".length)));
  throw new Error(`no zero value for ABI type ${param.type}`);
}

/** The state-changing functions of a contract's ABI. */
function mutatingFunctions(contract: BaseContract): FunctionFragment[] {
  return contract.interface.fragments.filter(
    (fragment): fragment is FunctionFragment => FunctionFragment.isFunction(fragment) && !fragment.constant,
  );
}

/**
 * The revert data of a failed call: ethers' CallException and Hardhat's SolidityError both carry it in `data`; a
 * revert Hardhat cannot map to a source (the coverage build's instrumented code) arrives as a ProviderError that only
 * quotes it in its message ("return data: 0x...").
 */
function revertData(error: unknown): string {
  const data = isCallException(error) ? error.data : (error as { data?: unknown }).data;
  if (typeof data === "string" && isHexString(data)) return data;
  const quoted = /return data: (0x[0-9a-fA-F]*)/.exec(error instanceof Error ? error.message : "")?.[1];
  if (quoted === undefined) throw error;
  return quoted;
}

/**
 * `staticCall`s `fragment` from `caller` with zero-ish arguments and returns the decoded custom error name and
 * arguments, `null` if the call succeeds, or `"<undecoded>"` for a revert the contract's ABI cannot decode.
 */
async function callOutcome(
  contract: BaseContract,
  fragment: FunctionFragment,
  caller: HardhatEthersSigner,
): Promise<{ name: string; args: unknown[] } | null> {
  const args = fragment.inputs.map((input) => zeroArg(input, caller.address));
  try {
    await contract.connect(caller).getFunction(fragment.format("sighash")).staticCall(...args);
    return null;
  } catch (error) {
    const data = revertData(error);
    const parsed = data.length > 2 ? contract.interface.parseError(data) : null;
    return parsed ? { name: parsed.name, args: [...parsed.args] } : { name: "<undecoded>", args: [] };
  }
}

/** Whether `caller` is turned away by the AccessManager (as opposed to succeeding or reverting for another reason). */
async function isUnauthorized(contract: BaseContract, fragment: FunctionFragment, caller: HardhatEthersSigner) {
  const outcome = await callOutcome(contract, fragment, caller);
  if (outcome?.name !== "AccessManagedUnauthorized") return false;
  expect(outcome.args).to.deep.equal([caller.address], `${fragment.name}: AccessManagedUnauthorized names the caller`);
  return true;
}

/** The roles table of one contract, as [functionName, roleName] pairs. */
function tableEntries(contract: ContractName): Array<[string, RoleName]> {
  return Object.entries(RESTRICTED_FUNCTIONS[contract]).flatMap(([role, names]) =>
    (names as readonly string[]).map((name): [string, RoleName] => [name, role as RoleName]),
  );
}

describe("Attack: privileged-function bypass (the roles table is complete and enforced)", () => {
  let d: ParapetDeployment;
  let holders: Record<RoleName, HardhatEthersSigner>;
  let claimsModule: HardhatEthersSigner;
  let targets: Array<{ label: string; table: ContractName; contract: BaseContract }>;

  beforeEach(async () => {
    d = await loadParapet();
    const { admin, guardian, riskManager, curator, committeeAdmin } = d.accounts;
    // The registry names the adjudicator contract its claims module: name a fresh account to call the hooks directly.
    claimsModule = (await ethers.getSigners())[18];
    await (await d.productRegistry.connect(admin).setClaimsModule(claimsModule.address)).wait();
    holders = {
      ADMIN: admin,
      GUARDIAN: guardian,
      RISK_MANAGER: riskManager,
      CURATOR: curator,
      COMMITTEE_ADMIN: committeeAdmin,
    };
    targets = [
      { label: "ProductRegistry", table: "ProductRegistry", contract: d.productRegistry },
      { label: "CoverManager", table: "CoverManager", contract: d.coverManager },
      { label: "UnderwriterVault (conservative)", table: "UnderwriterVault", contract: d.vaults.conservative },
      { label: "UnderwriterVault (high yield)", table: "UnderwriterVault", contract: d.vaults.highYield },
      { label: "ClaimAdjudicator", table: "ClaimAdjudicator", contract: d.claimAdjudicator },
      { label: "CommitteeArbiter", table: "CommitteeArbiter", contract: d.committeeArbiter },
    ];
  });

  it("one account collecting several roles: each role has exactly the holder the fixture intends", async () => {
    for (const [role, holder] of Object.entries(holders) as Array<[RoleName, HardhatEthersSigner]>) {
      for (const [otherRole, other] of Object.entries(holders) as Array<[RoleName, HardhatEthersSigner]>) {
        const [isMember, delay] = await d.accessManager.hasRole(ROLES[role], other.address);
        expect(isMember).to.equal(role === otherRole, `${other.address} in role ${role}`);
        expect(delay).to.equal(0n);
      }
      expect((await d.accessManager.hasRole(ROLES[role], d.accounts.outsider.address))[0]).to.equal(false);
      expect(holder.address).to.not.equal(d.accounts.outsider.address);
    }
  });

  for (const label of [
    "ProductRegistry",
    "CoverManager",
    "UnderwriterVault (conservative)",
    "UnderwriterVault (high yield)",
    "ClaimAdjudicator",
    "CommitteeArbiter",
  ]) {
    describe(label, () => {
      const target = () => targets.find((t) => t.label === label)!;

      it("outsider calling every state-changing function: the functions that turn it away are exactly the table's (plus setAuthority)", async () => {
        const { contract, table } = target();
        expect(await d.accessManager.isTargetClosed(await contract.getAddress())).to.equal(false);
        const functions = mutatingFunctions(contract);
        expect(functions.length).to.be.greaterThan(tableEntries(table).length);

        const privileged: string[] = [];
        const open: string[] = [];
        for (const fragment of functions) {
          (await isUnauthorized(contract, fragment, d.accounts.outsider) ? privileged : open).push(fragment.name);
        }
        const expected = [...tableEntries(table).map(([name]) => name), ...AUTHORITY_ONLY];
        expect([...new Set(privileged)].sort()).to.deep.equal(
          [...new Set(expected)].sort(),
          `privileged functions of ${label} (open: ${open.join(", ")})`,
        );
        // No name is both privileged and open (e.g. through overloads).
        expect(privileged.filter((name) => open.includes(name))).to.deep.equal([]);
      });

      it("claims-module hook called by anyone else: exactly the claims module's functions answer NotClaimsModule(caller) to the outsider and to every role's holder, and let the registry's claims module through", async () => {
        const { contract, table } = target();
        const hooks = CLAIMS_MODULE_ONLY[table] ?? [];
        const turnedAway: string[] = [];
        for (const fragment of mutatingFunctions(contract)) {
          const outcome = await callOutcome(contract, fragment, d.accounts.outsider);
          if (outcome?.name !== "NotClaimsModule") continue;
          expect(outcome.args).to.deep.equal([d.accounts.outsider.address], `${label}.${fragment.name}`);
          turnedAway.push(fragment.name);
        }
        expect(turnedAway.sort()).to.deep.equal([...hooks].sort(), `claims-module hooks of ${label}`);
        for (const name of hooks) {
          const fragment = contract.interface.getFunction(name)!;
          for (const [role, signer] of Object.entries(holders) as Array<[RoleName, HardhatEthersSigner]>) {
            expect(await callOutcome(contract, fragment, signer)).to.deep.equal(
              { name: "NotClaimsModule", args: [signer.address] },
              `${label}.${name} called by the ${role} holder`,
            );
          }
          // The module's own call may still revert (zero arguments), but never for who is calling.
          expect((await callOutcome(contract, fragment, claimsModule))?.name).to.not.equal("NotClaimsModule");
        }
      });

      it("restricted function left unmapped: the AccessManager maps every table entry to the table's role", async () => {
        const { contract, table } = target();
        const address = await contract.getAddress();
        for (const [name, role] of tableEntries(table)) {
          const selector = contract.interface.getFunction(name)!.selector;
          expect(await d.accessManager.getTargetFunctionRole(address, selector)).to.equal(ROLES[role], `${label}.${name}`);
        }
      });

      it("another role's holder calling a restricted function: each table entry lets its role's holder through and turns every other role's holder away", async () => {
        const { contract, table } = target();
        for (const [name, role] of tableEntries(table)) {
          const fragment = contract.interface.getFunction(name)!;
          for (const [otherRole, signer] of Object.entries(holders) as Array<[RoleName, HardhatEthersSigner]>) {
            // With zero arguments the holder's call may still revert for other reasons; only the AccessManager matters.
            expect(await isUnauthorized(contract, fragment, signer)).to.equal(
              otherRole !== role,
              `${label}.${name} called by the ${otherRole} holder (table role ${role})`,
            );
          }
        }
      });
    });
  }

  it("swapping a contract's authority: setAuthority answers only to the AccessManager, which only ADMIN can drive", async () => {
    const { accessManager } = d;
    const { admin, outsider } = d.accounts;
    const newAuthority = d.accounts.buyers[0].address;
    for (const { contract } of targets) {
      const managed = d.productRegistry.attach(await contract.getAddress()) as typeof d.productRegistry;
      for (const signer of [...Object.values(holders), outsider]) {
        await expect(managed.connect(signer).setAuthority.staticCall(newAuthority))
          .to.be.revertedWithCustomError(managed, "AccessManagedUnauthorized")
          .withArgs(signer.address);
      }
      await expect(accessManager.connect(outsider).updateAuthority(contract, newAuthority))
        .to.be.revertedWithCustomError(accessManager, "AccessManagerUnauthorizedAccount")
        .withArgs(outsider.address, ROLES.ADMIN);
      await expect(accessManager.connect(holders.RISK_MANAGER).updateAuthority(contract, newAuthority))
        .to.be.revertedWithCustomError(accessManager, "AccessManagerUnauthorizedAccount")
        .withArgs(holders.RISK_MANAGER.address, ROLES.ADMIN);
      expect(await managed.authority()).to.equal(await accessManager.getAddress());
    }
    // The admin can move a target to another authority (it must be a contract: any will do here).
    const replacement = await d.productRegistry.getAddress();
    await expect(accessManager.connect(admin).updateAuthority(d.coverManager, replacement))
      .to.emit(d.coverManager, "AuthorityUpdated")
      .withArgs(replacement);
    expect(await d.coverManager.authority()).to.equal(replacement);
  });

  describe("vault functions (operational roles)", () => {
    let vault: UnderwriterVault;
    let admin: HardhatEthersSigner;
    let guardian: HardhatEthersSigner;
    let riskManager: HardhatEthersSigner;
    let curator: HardhatEthersSigner;
    let claims: HardhatEthersSigner;
    beforeEach(async () => {
      ({ vault, admin, guardian, riskManager, curator, claims } = await governanceFixture());
    });

    it("operational role calling another role's vault function: each restricted function refuses it with AccessManagedUnauthorized(caller)", async () => {
      const refuse = async (signer: HardhatEthersSigner, call: Promise<unknown>) =>
        expect(call).to.be.revertedWithCustomError(vault, "AccessManagedUnauthorized").withArgs(signer.address);
      await refuse(riskManager, vault.connect(riskManager).setProductTerms(1n, terms()));
      await refuse(admin, vault.connect(admin).setProductTerms(1n, terms()));
      await refuse(riskManager, vault.connect(riskManager).removeProduct(2n));
      await refuse(guardian, vault.connect(guardian).setCooldown(2n * DAY));
      await refuse(curator, vault.connect(curator).setMaxLeverage(2n * WAD));
      await refuse(admin, vault.connect(admin).setMaxLeverage(2n * WAD));
      for (const signer of [curator, admin]) {
        await expect(vault.connect(signer).reserveUpTo(1n, 1n))
          .to.be.revertedWithCustomError(vault, "NotClaimsModule")
          .withArgs(signer.address);
      }
      await refuse(curator, vault.connect(curator).pause());
      await refuse(claims, vault.connect(claims).unpause());
    });
  });

  describe("committee administration (CommitteeArbiter)", () => {
    let c: Committee;
    let arbiter: CommitteeArbiter;

    beforeEach(async () => {
      c = await networkHelpers.loadFixture(deployCommittee);
      ({ arbiter } = c);
    });

    it("outsider, member or unmapped committee admin changing the committee: turned away with AccessManagedUnauthorized(caller)", async () => {
      for (const caller of [c.outsider, c.members[0], c.committeeAdmin]) {
        for (const [name, call] of Object.entries(restrictedCallsOf(c, caller))) {
          await expect(call(), name)
            .to.be.revertedWithCustomError(arbiter, "AccessManagedUnauthorized")
            .withArgs(caller.address);
        }
      }
    });
  });
});
