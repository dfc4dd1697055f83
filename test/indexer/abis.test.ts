/** The indexer's generated ABIs (`indexer/abis.ts`) match the contracts as built. */
import { expect } from "chai";
import { readFileSync } from "node:fs";

import { generate, OUTPUT_FILE } from "../../scripts/generate-indexer-abis.js";

describe("indexer ABIs", () => {
  it("indexer/abis.ts is what scripts/generate-indexer-abis.ts writes from the build (npm run sdk:generate otherwise)", () => {
    expect(readFileSync(OUTPUT_FILE, "utf8") === generate(), "indexer/abis.ts is stale: run `npm run sdk:generate`").to.equal(true);
  });

  it("holds every event of the protocol's interfaces", () => {
    const text = readFileSync(OUTPUT_FILE, "utf8");
    for (const contract of ["ICoverManager", "IUnderwriterVault", "IClaimAdjudicator", "ICommitteeArbiter", "IProductRegistry", "IPriceFeedTrigger", "IUmaArbiter"]) {
      const artifact = JSON.parse(readFileSync(new URL(`../../artifacts/contracts/interfaces/${contract}.sol/${contract}.json`, import.meta.url), "utf8"));
      for (const item of artifact.abi.filter((entry: any) => entry.type === "event")) {
        expect(text, `${contract}.${item.name}`).to.include(`"name": "${item.name}"`);
      }
    }
  });
});
