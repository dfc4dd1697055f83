import { readFileSync } from "node:fs";

import { getOptimisticOracleV3Address } from "@uma/contracts-node";
import { expect } from "chai";
import { getAddress } from "ethers";

/** The Optimistic Oracle V3 addresses the Parapet parameters take per network, as deploy/parameters/uma.json lists them. */
const listed = (
  JSON.parse(readFileSync(new URL("../../deploy/parameters/uma.json", import.meta.url), "utf8")) as {
    optimisticOracleV3: Record<string, string>;
  }
).optimisticOracleV3;

describe("UMA's Optimistic Oracle V3 per network", () => {
  it("lists, for Ethereum, Optimism, Polygon, Base, Arbitrum and their testnets, the address UMA's own package publishes", async () => {
    expect(Object.keys(listed).map(Number).sort((a, b) => a - b)).to.deep.equal([1, 10, 137, 8453, 42161, 84532, 421614, 11155111]);
    for (const [chainId, address] of Object.entries(listed)) {
      expect(getAddress(address), `chain ${chainId}`).to.equal(getAddress(await getOptimisticOracleV3Address(Number(chainId))));
    }
  });
});
