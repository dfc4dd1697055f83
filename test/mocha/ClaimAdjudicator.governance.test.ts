import { expect } from "chai";
import { encodeBytes32String } from "ethers";

import { BondLogic__factory, ClaimAdjudicator__factory, IncidentLogic__factory } from "../../types/ethers-contracts/index.js";
import { DAY, ethers, loadParapet, usd } from "./helpers.js";

const HOUR = 3_600n;
const WAD = 10n ** 18n;

/** Each parameter with its default, the values at its bounds that must pass, and the first values past them. */
const PARAMETERS = [
  { name: "bondWad", getter: "bondWad", accepted: [0n, WAD / 2n], refused: [WAD / 2n + 1n] },
  { name: "burnWad", getter: "burnWad", accepted: [WAD / 10n, WAD], refused: [WAD / 10n - 1n, WAD + 1n] },
  { name: "liveness", getter: "liveness", accepted: [HOUR, 14n * DAY], refused: [HOUR - 1n, 14n * DAY + 1n] },
  // The committee votes for 7 days: a timeout must leave it time to rule, so the floor is its voting period + 1 s.
  {
    name: "arbitrationTimeout",
    getter: "arbitrationTimeout",
    accepted: [7n * DAY + 1n, 60n * DAY],
    refused: [DAY - 1n, DAY, 7n * DAY, 60n * DAY + 1n],
  },
  {
    name: "incidentClaimWindow",
    getter: "incidentClaimWindow",
    accepted: [7n * DAY, 90n * DAY],
    refused: [7n * DAY - 1n, 90n * DAY + 1n],
  },
  { name: "incidentBond", getter: "incidentBond", accepted: [1n, usd(50_000), 2n ** 96n - 1n], refused: [0n, 2n ** 96n] },
] as const;

describe("ClaimAdjudicator governance", () => {
  for (const parameter of PARAMETERS) {
    describe(`setParameter("${parameter.name}")`, () => {
      it("accepts the values at its bounds, with ParameterSet", async () => {
        const { claimAdjudicator, accounts } = await loadParapet();
        const key = encodeBytes32String(parameter.name);
        for (const value of parameter.accepted) {
          await expect(claimAdjudicator.connect(accounts.riskManager).setParameter(key, value))
            .to.emit(claimAdjudicator, "ParameterSet")
            .withArgs(key, value);
          expect(await claimAdjudicator.getFunction(parameter.getter).staticCall()).to.equal(value);
        }
      });

      it("refuses the first values past its bounds with ParameterOutOfBounds, changing nothing", async () => {
        const { claimAdjudicator, accounts } = await loadParapet();
        const key = encodeBytes32String(parameter.name);
        const before = await claimAdjudicator.getFunction(parameter.getter).staticCall();
        for (const value of parameter.refused) {
          await expect(claimAdjudicator.connect(accounts.riskManager).setParameter(key, value))
            .to.be.revertedWithCustomError(claimAdjudicator, "ParameterOutOfBounds")
            .withArgs(key, value);
        }
        expect(await claimAdjudicator.getFunction(parameter.getter).staticCall()).to.equal(before);
      });
    });
  }

  it("refuses an unknown parameter name", async () => {
    const { claimAdjudicator, accounts } = await loadParapet();
    const key = encodeBytes32String("treasury");
    await expect(claimAdjudicator.connect(accounts.riskManager).setParameter(key, 1n))
      .to.be.revertedWithCustomError(claimAdjudicator, "ParameterOutOfBounds")
      .withArgs(key, 1n);
  });

  it("setMinBond: accepts up to 2^96 - 1 base units (claim bonds are stored in 96 bits) and refuses more with ParameterOutOfBounds, changing nothing", async () => {
    const { claimAdjudicator, accounts, asset } = await loadParapet();
    const largest = 2n ** 96n - 1n;
    await expect(claimAdjudicator.connect(accounts.riskManager).setMinBond(asset, largest))
      .to.emit(claimAdjudicator, "MinBondSet")
      .withArgs(await asset.getAddress(), largest);
    await expect(claimAdjudicator.connect(accounts.riskManager).setMinBond(asset, largest + 1n))
      .to.be.revertedWithCustomError(claimAdjudicator, "ParameterOutOfBounds")
      .withArgs(encodeBytes32String("minBond"), largest + 1n);
    expect(await claimAdjudicator.minBond(asset)).to.equal(largest);
  });

  it("keeps the spec's defaults: 5% bond, 50% burn, 3-day liveness, 14-day arbitration, 30-day incident window", async () => {
    const { claimAdjudicator } = await loadParapet();
    expect(await claimAdjudicator.bondWad()).to.equal(WAD / 20n);
    expect(await claimAdjudicator.burnWad()).to.equal(WAD / 2n);
    expect(await claimAdjudicator.liveness()).to.equal(3n * DAY);
    expect(await claimAdjudicator.arbitrationTimeout()).to.equal(14n * DAY);
    expect(await claimAdjudicator.incidentClaimWindow()).to.equal(30n * DAY);
  });

  it("replaces the arbiter for new disputes (admin only), refusing the zero address", async () => {
    const { claimAdjudicator, committeeArbiter, accounts } = await loadParapet();
    await expect(claimAdjudicator.connect(accounts.admin).setArbiter(ethers.ZeroAddress)).to.be.revertedWithCustomError(
      claimAdjudicator,
      "ZeroAddress",
    );
    expect(await claimAdjudicator.arbiter()).to.equal(await committeeArbiter.getAddress());
    await expect(claimAdjudicator.connect(accounts.admin).setArbiter(accounts.outsider.address))
      .to.emit(claimAdjudicator, "ArbiterSet")
      .withArgs(accounts.outsider.address);
    await expect(claimAdjudicator.connect(accounts.riskManager).setArbiter(accounts.outsider.address))
      .to.be.revertedWithCustomError(claimAdjudicator, "AccessManagedUnauthorized")
      .withArgs(accounts.riskManager.address);
  });

  it("refuses a zero incident bond asset, and an incident bond of 0 or above 2^96 - 1, at construction", async () => {
    const { accessManager, coverManager, productRegistry, asset, accounts } = await loadParapet();
    const incidentLogic = await new IncidentLogic__factory(accounts.admin).deploy();
    const bondLogic = await new BondLogic__factory(accounts.admin).deploy();
    const factory = new ClaimAdjudicator__factory(
      {
        ["project/contracts/libraries/IncidentLogic.sol:IncidentLogic"]: await incidentLogic.getAddress(),
        ["project/contracts/libraries/BondLogic.sol:BondLogic"]: await bondLogic.getAddress(),
      },
      accounts.admin,
    );
    await expect(
      factory.deploy(accessManager, coverManager, productRegistry, ethers.ZeroAddress, usd(1)),
    ).to.be.revertedWithCustomError(factory, "ZeroAddress");
    for (const incidentBond of [0n, 2n ** 96n]) {
      await expect(factory.deploy(accessManager, coverManager, productRegistry, asset, incidentBond))
        .to.be.revertedWithCustomError(factory, "ParameterOutOfBounds")
        .withArgs(encodeBytes32String("incidentBond"), incidentBond);
    }
  });
});
