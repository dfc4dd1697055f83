/**
 * The SDK's registry of public deployments (`sdk/src/client/knownDeployments.ts`) and its generator
 * (`scripts/generate-sdk-deployments.ts`): which deployment files it takes, what it refuses, and that the committed
 * registry is what the repository's deployment files give. The generator run on a real deployment (a node process)
 * is in test/mocha/deploy.publicNetworks.test.ts.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import {
  PUBLIC_CHAIN_IDS,
  readDeploymentFiles,
  REGISTRY_FILE,
  renderRegistry,
} from "../../scripts/generate-sdk-deployments.js";

const ROOT = path.resolve(path.dirname(REGISTRY_FILE), "../../..");

const deploymentOn = (chainId: number, startBlock = 7) => ({
  chainId,
  startBlock,
  addresses: {
    accessManager: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    productRegistry: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
    coverManager: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
    claimAdjudicator: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
    committeeArbiter: "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9",
    lens: "0x5FC8d32690cc91D4c39d9d3abcBD16989F875707",
    vaults: { conservative: "0x0165878A594ca255338adfa4d48449f69242Eb8F" },
    asset: "0xa513E6E4b8f2a923D98304ec87F64353C4D5C853",
    // Fields the SDK does not use (the tasks' timelock) are dropped from the registry.
    timelock: "0x2279B7A0a67DB372996a5FaB50D91eAA73d2eBe6",
  },
});

describe("SDK registry of public deployments", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "parapet-registry-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("the committed registry is what the repository's public deployment files give", async () => {
    const expected = renderRegistry(await readDeploymentFiles(path.join(ROOT, "deployments"), PUBLIC_CHAIN_IDS));
    expect(await readFile(REGISTRY_FILE, "utf8")).to.equal(expected);
  });

  it("takes the public chains' files only, sorted by chain id, without fields the SDK does not use", async () => {
    await writeFile(path.join(dir, "84532.json"), JSON.stringify(deploymentOn(84_532)));
    await writeFile(path.join(dir, "11155111.json"), JSON.stringify(deploymentOn(11_155_111, 9)));
    await writeFile(path.join(dir, "31337.json"), JSON.stringify(deploymentOn(31_337))); // a local chain's
    await writeFile(path.join(dir, "notes.txt"), "not a deployment");
    const deployments = await readDeploymentFiles(dir, PUBLIC_CHAIN_IDS);
    expect(deployments.map(({ chainId, startBlock }) => [chainId, startBlock])).to.deep.equal([
      [84_532, 7],
      [11_155_111, 9],
    ]);
    expect(deployments[0]!.addresses).to.not.have.property("timelock");
    const source = renderRegistry(deployments);
    expect(source).to.contain("export const KNOWN_DEPLOYMENTS: readonly ParapetDeployment[] = [");
    expect(source).to.contain(`"chainId": 84532`);
  });

  it("refuses a file for another chain than its name, and a malformed one, naming the file and field", async () => {
    await writeFile(path.join(dir, "84532.json"), JSON.stringify(deploymentOn(421_614)));
    const misnamed = await readDeploymentFiles(dir, PUBLIC_CHAIN_IDS).then(() => "read", (error: Error) => error.message);
    expect(misnamed).to.equal(`${path.join(dir, "84532.json")} describes chain 421614, not 84532`);

    const broken = deploymentOn(84_532);
    broken.addresses.lens = "0x1234";
    await writeFile(path.join(dir, "84532.json"), JSON.stringify(broken));
    const malformed = await readDeploymentFiles(dir, PUBLIC_CHAIN_IDS).then(() => "read", (error: Error) => error.message);
    expect(malformed).to.equal(`${path.join(dir, "84532.json")}: invalid Parapet deployment: addresses.lens is not an address`);
  });

  it("reads no file from a missing directory", async () => {
    expect(await readDeploymentFiles(path.join(dir, "absent"), PUBLIC_CHAIN_IDS)).to.deep.equal([]);
  });
});
