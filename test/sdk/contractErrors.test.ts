import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { AbiCoder, ErrorFragment, getAddress, Interface, ParamType, id, type InterfaceAbi } from "ethers";
import hre from "hardhat";

import {
  AccessManagedUnauthorized,
  AdjudicatorUnknownCase,
  CommitteeUnknownCase,
  CONTRACT_ERRORS,
  ContractError,
  decodeContractError,
  EnforcedPause,
  ERC20InsufficientAllowance,
  InsufficientCapacity,
  InvalidAssertionState,
  MembershipUnchanged,
  PanicError,
  ParapetError,
  premiumUp,
  RevertError,
  SafeCastOverflowedUintDowncast,
  StringTooLong,
  TriggerBlocked,
  UnsupportedToken,
  WAD,
  type ContractErrorValue,
} from "../../sdk/src/index.js";
import { collectErrors, generateContractErrors, OUTPUT_FILE } from "../../scripts/generate-sdk-errors.js";
import { SplitMix64 } from "./prng.js";

const VAULT = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
const OTHER = "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512";

type ContractAbi = { contractName: string; abi: InterfaceAbi };
type AbiJsonEntry = { type: string; name: string; inputs: { name: string; type: string; internalType?: string }[] };

/** The ABI of every contract, interface and library compiled from contracts/, as Hardhat knows them. */
async function projectAbis(): Promise<ContractAbi[]> {
  const names = [...(await hre.artifacts.getAllFullyQualifiedNames())].filter((name) => name.startsWith("contracts/"));
  const artifacts = await Promise.all(names.sort().map((name) => hre.artifacts.readArtifact(name)));
  return artifacts.map(({ contractName, abi }) => ({ contractName, abi: abi as InterfaceAbi }));
}

function encode(contract: ContractAbi[], contractName: string, error: string, args: unknown[]): string {
  const abi = contract.find((entry) => entry.contractName === contractName)!.abi;
  return new Interface(abi).encodeErrorResult(error, args);
}

/** A random value of ABI type `type`, and the value the SDK should decode it to. */
function randomArgument(rng: SplitMix64, param: ParamType): { value: unknown; expected: ContractErrorValue } {
  const integer = /^(u?)int(\d+)$/.exec(param.type);
  if (integer !== null) {
    const bits = BigInt(integer[2]!);
    const half = 1n << (bits - 1n);
    const value = integer[1] === "u" ? rng.between(0n, 2n * half - 1n) : rng.between(-half, half - 1n);
    return { value, expected: value };
  }
  const randomHex = (bytes: number) =>
    `0x${rng.between(0n, (1n << BigInt(8 * bytes)) - 1n).toString(16).padStart(2 * bytes, "0")}`;
  if (param.type === "address") {
    const value = randomHex(20);
    return { value, expected: value };
  }
  if (param.type === "bool") {
    const value = rng.between(0n, 1n) === 1n;
    return { value, expected: value };
  }
  const fixed = /^bytes(\d+)$/.exec(param.type);
  if (fixed !== null) {
    const value = randomHex(Number(fixed[1]));
    return { value, expected: value };
  }
  if (param.type === "bytes") {
    const length = Number(rng.between(0n, 70n));
    const value = length === 0 ? "0x" : randomHex(length);
    return { value, expected: value };
  }
  if (param.type === "string") {
    const value = ["", "a", "Parapet", "naïve café 🛡️ ≥ 1e6", "x".repeat(70)][Number(rng.between(0n, 4n))]!;
    return { value, expected: value };
  }
  throw new Error(`the test has no generator for ${param.type}`);
}

describe("SDK contract errors (generated from the artifacts) and decodeContractError", () => {
  let abis: ContractAbi[];

  before(async () => {
    abis = await projectAbis();
    expect(abis.map((abi) => abi.contractName)).to.include.members([
      "ProductRegistry",
      "UnderwriterVault",
      "CoverManager",
      "ClaimAdjudicator",
      "CommitteeArbiter",
      "PriceFeedTrigger",
      "ExactTransfer",
    ]);
  });

  describe("decoding errors encoded by ethers", () => {
    it("decodes InsufficientCapacity into the class premiumUp throws, with its fields", () => {
      const decoded = decodeContractError(encode(abis, "UnderwriterVault", "InsufficientCapacity", [61n, 60n]));
      expect(decoded).to.be.instanceOf(InsufficientCapacity).and.instanceOf(ContractError).and.instanceOf(ParapetError);
      expect(decoded).to.include({
        name: "InsufficientCapacity",
        errorName: "InsufficientCapacity",
        signature: "InsufficientCapacity(uint256,uint256)",
        selector: id("InsufficientCapacity(uint256,uint256)").slice(0, 10),
        requested: 61n,
        available: 60n,
        message: "InsufficientCapacity(requested: 61, available: 60)",
      });
      expect(decoded!.args).to.deep.equal([61n, 60n]);

      let thrown: unknown;
      try {
        premiumUp({ baseRateWad: WAD / 50n, kinkWad: WAD / 2n, maxRateWad: WAD / 2n }, 100n, 40n, 61n, 86_400n);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).to.be.instanceOf(InsufficientCapacity);
      expect(Object.getPrototypeOf(thrown)).to.equal(Object.getPrototypeOf(decoded));
      expect(thrown).to.include({ requested: 61n, available: 60n, message: decoded!.message });
    });

    it("gives enums as their ordinal and bytes32 as hex", () => {
      const key = id("claim 7");
      const decoded = decodeContractError(encode(abis, "ClaimAdjudicator", "InvalidAssertionState", [key, 2]));
      expect(decoded).to.be.instanceOf(InvalidAssertionState).and.include({ key, state: 2 });
      expect((decoded as InvalidAssertionState).state).to.be.a("number");
      expect(InvalidAssertionState.spec.params[1]).to.deep.equal({
        name: "state",
        type: "uint8",
        enum: "AssertionState",
      });
    });

    it("decodes negative int256 and uint8 enums of the trigger", () => {
      const data = encode(abis, "PriceFeedTrigger", "TriggerBlocked", [4, -5n * 10n ** 7n, 1_700_000_000n]);
      expect(decodeContractError(data)).to.be.instanceOf(TriggerBlocked).and.include({
        reason: 4,
        answer: -50_000_000n,
        updatedAt: 1_700_000_000n,
      });
    });

    it("decodes addresses (lowercase) and booleans", () => {
      const checksummed = getAddress(VAULT);
      const data = encode(abis, "CommitteeArbiter", "MembershipUnchanged", [checksummed, true]);
      expect(decodeContractError(data)).to.be.instanceOf(MembershipUnchanged).and.include({
        account: VAULT,
        isMember: true,
      });
    });

    it("decodes the inherited OpenZeppelin errors and the library's", () => {
      const unauthorized = decodeContractError(encode(abis, "CoverManager", "AccessManagedUnauthorized", [OTHER]));
      expect(unauthorized).to.be.instanceOf(AccessManagedUnauthorized).and.include({ caller: OTHER });

      const allowance = decodeContractError(
        encode(abis, "UnderwriterVault", "ERC20InsufficientAllowance", [OTHER, 5n, 10n ** 18n])
      );
      expect(allowance).to.be.instanceOf(ERC20InsufficientAllowance).and.include({
        spender: OTHER,
        allowance: 5n,
        needed: 10n ** 18n,
      });

      const paused = decodeContractError(encode(abis, "ClaimAdjudicator", "EnforcedPause", []));
      expect(paused).to.be.instanceOf(EnforcedPause).and.include({ message: "EnforcedPause()" });
      expect(paused!.args).to.deep.equal([]);

      // `bits` is a plain uint8, not an enum: a bigint like any other integer.
      const downcast = decodeContractError(
        encode(abis, "UnderwriterVault", "SafeCastOverflowedUintDowncast", [128, 1n << 130n])
      );
      expect(downcast).to.be.instanceOf(SafeCastOverflowedUintDowncast).and.include({ bits: 128n, value: 1n << 130n });

      const token = decodeContractError(encode(abis, "ExactTransfer", "UnsupportedToken", [VAULT, 100n, 99n]));
      expect(token).to.be.instanceOf(UnsupportedToken).and.include({ token: VAULT, expected: 100n, received: 99n });
    });

    it("decodes a string argument", () => {
      const decoded = decodeContractError(encode(abis, "TestStablecoin", "StringTooLong", ["naïve 🛡️"]));
      expect(decoded).to.be.instanceOf(StringTooLong).and.include({
        str: "naïve 🛡️",
        message: 'StringTooLong(str: "naïve 🛡️")',
      });
    });

    it("keeps the two UnknownCase errors apart, under their Solidity name", () => {
      const adjudicator = decodeContractError(encode(abis, "ClaimAdjudicator", "UnknownCase", [OTHER, 3n]));
      expect(adjudicator).to.be.instanceOf(AdjudicatorUnknownCase).and.include({
        name: "AdjudicatorUnknownCase",
        errorName: "UnknownCase",
        arbiter: OTHER,
        caseId: 3n,
      });
      const committee = decodeContractError(encode(abis, "CommitteeArbiter", "UnknownCase", [3n]));
      expect(committee).to.be.instanceOf(CommitteeUnknownCase).and.include({ errorName: "UnknownCase", caseId: 3n });
      expect(committee).not.to.be.instanceOf(AdjudicatorUnknownCase);
    });

    it("decodes Error(string) and Panic(uint256)", () => {
      const coder = AbiCoder.defaultAbiCoder();
      const revert = decodeContractError(`0x08c379a0${coder.encode(["string"], ["not enough"]).slice(2)}`);
      expect(revert).to.be.instanceOf(RevertError).and.include({
        name: "RevertError",
        errorName: "Error",
        reason: "not enough",
        message: 'Error(reason: "not enough")',
      });

      const panic = decodeContractError(`0x4e487b71${coder.encode(["uint256"], [0x11]).slice(2)}`);
      expect(panic).to.be.instanceOf(PanicError).and.include({
        name: "PanicError",
        code: 0x11n,
        reason: "arithmetic overflow or underflow",
      });
      const unknownPanic = decodeContractError(`0x4e487b71${coder.encode(["uint256"], [1n << 200n]).slice(2)}`);
      expect(unknownPanic).to.include({ code: 1n << 200n, reason: "unknown panic code" });
    });

    it("accepts upper-case hex", () => {
      const data = encode(abis, "UnderwriterVault", "InsufficientCapacity", [1n, 0n]);
      expect(decodeContractError(`0x${data.slice(2).toUpperCase()}`)).to.be.instanceOf(InsufficientCapacity);
    });
  });

  describe("coverage of the artifacts", () => {
    it("round-trips every error of every ABI under contracts/, with random arguments", () => {
      const rng = new SplitMix64(0xe7707n);
      let checked = 0;
      for (const { contractName, abi } of abis) {
        for (const entry of abi as AbiJsonEntry[]) {
          if (entry.type !== "error") continue;
          const fragment = ErrorFragment.from(entry);
          const where = `${contractName}.${fragment.format("sighash")}`;
          for (let round = 0; round < 3; round++) {
            const generated = fragment.inputs.map((input, i) => {
              const { value, expected } = randomArgument(rng, input);
              // Enums are uint8 in the ABI; only the internal type tells them apart, and the SDK gives their ordinal.
              const isEnum = entry.inputs[i]!.internalType?.startsWith("enum ") ?? false;
              return { value, expected: isEnum ? Number(expected) : expected };
            });
            const data = new Interface([fragment]).encodeErrorResult(fragment, generated.map((arg) => arg.value));
            const decoded = decodeContractError(data);
            expect(decoded, where).to.be.instanceOf(ContractError);
            const errorClass = CONTRACT_ERRORS.get(fragment.selector)!;
            expect(decoded, where).to.be.instanceOf(errorClass);
            expect(decoded!.errorName, where).to.equal(fragment.name);
            expect(decoded!.signature, where).to.equal(fragment.format("sighash"));
            expect(decoded!.selector, where).to.equal(fragment.selector);
            expect(decoded!.args, where).to.deep.equal(generated.map((arg) => arg.expected));
            fragment.inputs.forEach((input, i) => {
              const name = input.name === "" ? `arg${i}` : input.name;
              const field = (decoded as unknown as Record<string, unknown>)[name];
              expect(field, `${where} ${name}`).to.deep.equal(generated[i]!.expected);
            });
            checked++;
          }
        }
      }
      expect(checked).to.be.greaterThan(3 * 100);
    });

    it("has a class for exactly the errors of the ABIs, plus Error and Panic", () => {
      const fromAbis = new Set<string>();
      for (const { abi } of abis) {
        for (const fragment of new Interface(abi).fragments) {
          if (fragment instanceof ErrorFragment) fromAbis.add(fragment.format("sighash"));
        }
      }
      const fromSdk = [...CONTRACT_ERRORS.values()].map((errorClass) => errorClass.spec.signature);
      expect(fromSdk.length).to.equal(new Set(fromSdk).size);
      expect(new Set(fromSdk)).to.deep.equal(new Set([...fromAbis, "Error(string)", "Panic(uint256)"]));
      for (const [selector, errorClass] of CONTRACT_ERRORS) {
        expect(selector, errorClass.spec.signature).to.equal(id(errorClass.spec.signature).slice(0, 10));
        expect(errorClass.spec.selector).to.equal(selector);
        expect(errorClass.spec.className, selector).to.equal(errorClass.name);
      }
    });
  });

  describe("what is not one of the protocol's errors", () => {
    it("returns undefined for unknown selectors and non-revert data", () => {
      for (const data of ["0x", "", "0x1234", "0xdeadbeef", `0xdeadbeef${"00".repeat(64)}`, "not hex", "0xzzzzzzzz"]) {
        expect(decodeContractError(data), data).to.equal(undefined);
      }
      // An event topic or a function selector is not an error either.
      expect(decodeContractError(id("transfer(address,uint256)").slice(0, 10) + "00".repeat(64))).to.equal(undefined);
    });

    it("returns undefined when the arguments are not a valid encoding for the selector", () => {
      const valid = encode(abis, "UnderwriterVault", "InsufficientCapacity", [61n, 60n]);
      expect(decodeContractError(valid.slice(0, -2))).to.equal(undefined); // one byte short
      expect(decodeContractError(valid.slice(0, 10))).to.equal(undefined); // no arguments
      expect(decodeContractError(`${valid}0`)).to.equal(undefined); // half a byte
      expect(decodeContractError(`${valid}00`)).to.be.instanceOf(InsufficientCapacity); // trailing bytes are ignored

      const unauthorized = encode(abis, "CoverManager", "AccessManagedUnauthorized", [OTHER]);
      const dirtyAddress = unauthorized.replace(/^(0x.{8})00/, "$1ff");
      expect(decodeContractError(dirtyAddress)).to.equal(undefined);
      const invalidState = encode(abis, "ClaimAdjudicator", "InvalidAssertionState", [id("k"), 1]);
      const dirtyEnum = invalidState.replace(/0001$/, "0101");
      expect(decodeContractError(dirtyEnum)).to.equal(undefined);
    });
  });

  describe("the generator", () => {
    it("reproduces the committed sdk/src/core/contractErrors.ts byte for byte", () => {
      const stale = "sdk/src/core/contractErrors.ts is stale: run `npx tsx scripts/generate-sdk-errors.ts`";
      expect(generateContractErrors() === readFileSync(OUTPUT_FILE, "utf8"), stale).to.equal(true);
    });

    describe("on conflicting artifacts", () => {
      let directory: string;
      const write = (name: string, abi: unknown[]) =>
        writeFileSync(path.join(directory, `${name}.json`), JSON.stringify({ contractName: name, abi }));
      const error = (name: string, ...types: string[]) => ({
        type: "error",
        name,
        inputs: types.map((type, i) => ({ name: `p${i}`, type, internalType: type })),
      });

      beforeEach(() => {
        directory = mkdtempSync(path.join(tmpdir(), "parapet-errors-"));
      });
      afterEach(() => rmSync(directory, { recursive: true, force: true }));

      it("fails loudly when two contracts declare different errors under one name", () => {
        write("A", [error("Clash", "uint256")]);
        write("B", [error("Clash", "address")]);
        expect(() => collectErrors(directory)).to.throw(
          /different errors named Clash: Clash\(address\) in B; Clash\(uint256\) in A/
        );
      });

      it("fails when one signature names its parameters differently", () => {
        write("A", [error("Same", "uint256")]);
        write("B", [{ ...error("Same", "uint256"), inputs: [{ name: "other", type: "uint256" }] }]);
        expect(() => collectErrors(directory)).to.throw(/Same\(uint256\) has different parameter names/);
      });

      it("fails on a stale rename and on a type the decoder does not know", () => {
        write("A", [error("Fine", "uint256")]);
        expect(() => collectErrors(directory)).to.throw(/RENAMED_OVERLOADS lists .*no longer an overloaded error/);
        write("B", [error("Arrays", "uint256[]")]);
        expect(() => collectErrors(directory)).to.throw(/uint256\[\] is not supported/);
      });

      it("merges an error declared in several contracts", () => {
        write("A", [error("UnknownCase", "address", "uint256"), error("Shared")]);
        write("B", [error("UnknownCase", "uint256"), error("Shared")]);
        const errors = collectErrors(directory);
        expect(errors.map((e) => [e.className, e.contracts.join(",")])).to.deep.equal([
          ["AdjudicatorUnknownCase", "A"],
          ["CommitteeUnknownCase", "B"],
          ["Shared", "A,B"],
        ]);
        expect(errors[2]!.selector).to.equal(id("Shared()").slice(0, 10));
      });
    });
  });
});
