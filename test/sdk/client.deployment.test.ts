import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { AbiCoder, makeError, Network, type Provider } from "ethers";

import {
  ChainMismatch,
  DEPLOYMENTS,
  getDeployment,
  InsufficientCapacity,
  InvalidDeployment,
  loadDeployment,
  ParapetClient,
  PremiumAboveMax,
  registerDeployment,
  revertDataOf,
  toParapetError,
  UnknownDeployment,
  UnrecognizedRevert,
} from "../../sdk/src/index.js";
import { readDeploymentFile, writeDeploymentFile } from "../../sdk/src/client/node.js";

const address = (n: number) => `0x${n.toString(16).padStart(40, "0")}`;
const deploymentJson = (chainId: number) => ({
  chainId,
  startBlock: 12,
  addresses: {
    accessManager: address(1),
    productRegistry: address(2),
    coverManager: address(3),
    claimAdjudicator: address(4),
    committeeArbiter: address(5),
    lens: address(6),
    asset: address(7),
    vaults: { conservative: address(8), highYield: "0x5FbDB2315678afecb367f032d93F642f64180aa3" },
  },
});

/** Only what `ParapetClient.connect` asks a provider for. */
const fakeProvider = (chainId: number, code = "0x6080") =>
  ({ getNetwork: () => Promise.resolve(Network.from(chainId)), getCode: () => Promise.resolve(code) }) as unknown as Provider;

describe("client deployments and revert decoding", () => {
  it("validates and normalises a deployment", () => {
    const loaded = loadDeployment(JSON.stringify({ ...deploymentJson(10), chainId: "10" }));
    expect(loaded.chainId).to.equal(10);
    expect(loaded.addresses.vaults.highYield).to.equal("0x5FbDB2315678afecb367f032d93F642f64180aa3");

    const broken = (mutate: (json: ReturnType<typeof deploymentJson>) => unknown) => {
      const json = deploymentJson(10);
      try {
        loadDeployment(mutate(json) ?? json);
      } catch (error) {
        expect(error).to.be.instanceOf(InvalidDeployment);
        return (error as InvalidDeployment).field;
      }
      return expect.fail("accepted a broken deployment");
    };
    expect(broken((json) => void delete (json.addresses as Partial<typeof json.addresses>).lens)).to.equal("addresses.lens");
    expect(broken((json) => void (json.addresses.vaults.conservative = "0x1234"))).to.equal("addresses.vaults.conservative");
    // A mixed-case address with a wrong checksum.
    expect(broken((json) => void (json.addresses.vaults.highYield = "0x5fbDB2315678afecb367f032d93F642f64180aa3"))).to.equal(
      "addresses.vaults.highYield",
    );
    expect(broken((json) => void (json.addresses.vaults = {} as typeof json.addresses.vaults))).to.equal("addresses.vaults");
    expect(broken((json) => void (json.startBlock = -1))).to.equal("startBlock");
    expect(broken(() => "{ not json")).to.equal("(root)");
  });

  it("reads and writes deployment files (Node helper)", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "parapet-"));
    try {
      const file = path.join(dir, "deployments", "10.json");
      await writeDeploymentFile(file, loadDeployment(deploymentJson(10)));
      expect(await readDeploymentFile(file)).to.deep.equal(loadDeployment(deploymentJson(10)));
      await writeFile(file, JSON.stringify({ chainId: 10 }));
      await readDeploymentFile(file).then(
        () => expect.fail("accepted a partial file"),
        (error: unknown) => expect(error).to.be.instanceOf(InvalidDeployment),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("finds a registered deployment by chain id and refuses another chain's", async () => {
    expect(() => getDeployment(424_242)).to.throw(UnknownDeployment);
    registerDeployment(deploymentJson(424_242));
    expect(DEPLOYMENTS.get(424_242)?.startBlock).to.equal(12);

    const client = await ParapetClient.connect(fakeProvider(424_242));
    expect(client.deployment.addresses.lens).to.equal(address(6));
    expect(client.vaultAddress("conservative")).to.equal(address(8));

    await ParapetClient.connect(fakeProvider(1), loadDeployment(deploymentJson(424_242))).then(
      () => expect.fail("connected across chains"),
      (error: unknown) => expect(error).to.be.instanceOf(ChainMismatch),
    );
    await ParapetClient.connect(fakeProvider(1)).then(
      () => expect.fail("no deployment for chain 1"),
      (error: unknown) => expect(error).to.be.instanceOf(UnknownDeployment),
    );
  });

  it("finds revert data where ethers and JSON-RPC nodes put it, and types it", () => {
    const selector = InsufficientCapacity.spec.selector;
    const data = selector + AbiCoder.defaultAbiCoder().encode(["uint256", "uint256"], [5n, 3n]).slice(2);
    const callException = makeError("execution reverted", "CALL_EXCEPTION", {
      action: "estimateGas",
      data,
      reason: null,
      transaction: { to: address(3), data: "0xdeadbeef" },
      invocation: null,
      revert: null,
    });
    expect(revertDataOf(callException)).to.equal(data);
    // A raw JSON-RPC error nested the way ethers wraps a node's answer.
    const nested = { code: "UNKNOWN_ERROR", info: { error: { code: 3, message: "reverted", data: { data } } } };
    expect(revertDataOf(nested)).to.equal(data);
    // The transaction's calldata is never mistaken for revert data.
    expect(revertDataOf({ transaction: { data: "0xdeadbeef" } })).to.equal(undefined);

    const typed = toParapetError(callException);
    expect(typed).to.be.instanceOf(InsufficientCapacity);
    expect((typed as InsufficientCapacity).requested).to.equal(5n);
    expect((typed as InsufficientCapacity).available).to.equal(3n);

    const premium = PremiumAboveMax.spec.selector + AbiCoder.defaultAbiCoder().encode(["uint256", "uint256"], [9n, 8n]).slice(2);
    expect(toParapetError({ data: premium })).to.be.instanceOf(PremiumAboveMax);

    const unknown = toParapetError({ data: "0x12345678" });
    expect(unknown).to.be.instanceOf(UnrecognizedRevert);
    expect((unknown as UnrecognizedRevert).selector).to.equal("0x12345678");
    expect(toParapetError({ data: "0x" })).to.be.instanceOf(UnrecognizedRevert);

    const network = new Error("socket hang up");
    expect(toParapetError(network)).to.equal(network);
  });
});

describe("client contract handles (ABI only)", () => {
  it("declare every extra function and event exactly as the implementations do", async () => {
    const { CoverManager__factory, UnderwriterVault__factory, ClaimAdjudicator__factory } = await import(
      "../../types/ethers-contracts/index.js"
    );
    const { Interface } = await import("ethers");
    const { COVER_MANAGER_EXTRAS, VAULT_EXTRAS, ADJUDICATOR_EXTRAS, EXTRA_EVENTS, INTERFACES } = await import(
      "../../sdk/src/client/contracts.js"
    );
    const cases = [
      [CoverManager__factory.abi, COVER_MANAGER_EXTRAS, EXTRA_EVENTS.coverManager, INTERFACES.coverManager],
      [UnderwriterVault__factory.abi, VAULT_EXTRAS, EXTRA_EVENTS.vault, INTERFACES.vault],
      [ClaimAdjudicator__factory.abi, ADJUDICATOR_EXTRAS, [], INTERFACES.adjudicator],
    ] as const;
    for (const [abi, extras, events, merged] of cases) {
      const implementation = new Interface(abi);
      for (const [name, fragment] of Object.entries(extras)) {
        const declared = new Interface([fragment]).getFunction(name)!;
        const actual = implementation.getFunction(declared.format("sighash"));
        expect(actual, `${declared.format("sighash")} exists`).to.not.equal(null);
        expect(declared.outputs.map((output) => output.type)).to.deep.equal(actual!.outputs.map((output) => output.type));
        expect(declared.stateMutability).to.equal(actual!.stateMutability);
        expect(merged.getFunction(name)?.selector).to.equal(actual!.selector);
      }
      for (const fragment of events) {
        const declared = new Interface([fragment]).fragments[0]!.format("sighash");
        expect(implementation.getEvent(declared), declared).to.not.equal(null);
      }
    }
  });
});
