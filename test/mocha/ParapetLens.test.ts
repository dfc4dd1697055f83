import { expect } from "chai";

import { ARBITRATION_TIMEOUT, CLAIM_WINDOW, confirmedIncident, State } from "./incidentsSetup.js";

describe("ParapetLens incidents", () => {
  it("reads a confirmed incident with its claim window and each backing vault's reserve, and zeroes an unknown id", async () => {
    const { d, incidentId } = await confirmedIncident();
    const { claimAdjudicator: adjudicator, lens } = d;
    const unknown = incidentId + 100n;

    const [info, missing] = await lens.incidents([incidentId, unknown]);
    const incident = await adjudicator.getIncident(incidentId);
    expect(info.incidentId).to.equal(incidentId);
    expect(info.exists).to.equal(true);
    expect(info.incident.productId).to.equal(d.productIds.lending);
    expect(info.incident.state).to.equal(State.Approved);
    expect(info.incident.confirmedAt).to.equal(incident.confirmedAt);
    expect(info.claimWindowEnd).to.equal(incident.confirmedAt + CLAIM_WINDOW);
    expect(info.arbitrationTimeout).to.equal(ARBITRATION_TIMEOUT);
    expect(info.hasCase).to.equal(false);

    const vaults = await adjudicator.incidentVaults(incidentId);
    expect(vaults.length).to.equal(2);
    expect(info.reserves.map((r) => r.vault)).to.deep.equal([...vaults]);
    for (const [i, vault] of vaults.entries()) {
      const reserve = await adjudicator.incidentReserve(incidentId, vault);
      expect(info.reserves[i].reserve.reserved).to.equal(reserve.reserved).and.to.be.greaterThan(0n);
      expect(info.reserves[i].reserve.paid).to.equal(reserve.paid);
    }

    expect(missing.incidentId).to.equal(unknown);
    expect(missing.exists).to.equal(false);
    expect(missing.reserves.length).to.equal(0);
    expect(missing.claimWindowEnd).to.equal(0n);
  });
});
