import { expect } from "chai";

import {
  annualizedReturnWad,
  ASSERTION_STATES,
  claimDeadlines,
  enumName,
  incidentBondUpperBound,
  incidentPayout,
  InvalidArgument,
  isEligibleForIncident,
  NEVER_DRAWS,
  policyClaimWindow,
  PRODUCT_KINDS,
  remainingCover,
  RULINGS,
  sharePriceWad,
  TRIGGER_BLOCKS,
  WAD,
  YEAR,
} from "../../sdk/src/index.js";

const DAY = 86_400n;

describe("SDK entities: enum names and the adjudicator's time and payout rules", () => {
  it("names enum values as the contracts order them", () => {
    expect(enumName(PRODUCT_KINDS, 1n)).to.equal("Parametric");
    expect(enumName(ASSERTION_STATES, 5)).to.equal("Drawn");
    expect(enumName(RULINGS, 2n)).to.equal("Reject");
    expect(enumName(TRIGGER_BLOCKS, 6)).to.equal("AboveThreshold");
    for (const bad of [6n, -1, 1.5, 1n << 64n]) {
      expect(() => enumName(ASSERTION_STATES, bad), String(bad)).to.throw(InvalidArgument, "is not one of");
    }
  });

  describe("claimDeadlines", () => {
    const timeout = 14n * DAY;
    const base = { expiration: 1_000n, disputedAt: 0n, drawAt: 0n };

    it("while pending: disputes strictly before expiration, settlement from it", () => {
      expect(claimDeadlines({ ...base, state: "Pending", ruling: "None" })).to.deep.equal({
        disputeUntil: 999n,
        settleFrom: 1_000n,
        drawAt: undefined,
      });
    });

    it("once disputed: settleable at once after a ruling, else as a draw after the timeout", () => {
      const disputed = { ...base, disputedAt: 500n, drawAt: 500n + timeout, state: "Disputed" as const };
      expect(claimDeadlines({ ...disputed, ruling: "Approve" })).to.deep.equal({
        disputeUntil: undefined,
        settleFrom: 500n,
        drawAt: undefined,
      });
      expect(claimDeadlines({ ...disputed, ruling: "None" })).to.deep.equal({
        disputeUntil: undefined,
        settleFrom: 500n + timeout,
        drawAt: 500n + timeout,
      });
    });

    it("before an arbiter that always rules (UMA's DVM): no draw, settleable only once ruled", () => {
      const disputed = { ...base, disputedAt: 500n, drawAt: NEVER_DRAWS, state: "Disputed" as const };
      expect(claimDeadlines({ ...disputed, ruling: "None" })).to.deep.equal({
        disputeUntil: undefined,
        settleFrom: undefined,
        drawAt: undefined,
      });
      expect(claimDeadlines({ ...disputed, ruling: "Reject" }).settleFrom).to.equal(500n);
    });

    it("has nothing left once settled (or never filed)", () => {
      for (const state of ["None", "Approved", "Rejected", "Drawn"] as const) {
        expect(claimDeadlines({ ...base, state, ruling: "None" }), state).to.deep.equal({
          disputeUntil: undefined,
          settleFrom: undefined,
          drawAt: undefined,
        });
      }
    });
  });

  describe("policies and incidents", () => {
    const policy = { productId: 3n, start: 10_000n, end: 10_000n + 90n * DAY, amount: 1_000n, claimed: 250n };
    const product = { id: 3n, coverageLag: DAY, claimGracePeriod: 7n * DAY };

    it("gives the covered incident times and the filing window", () => {
      expect(policyClaimWindow(policy, product)).to.deep.equal({
        coveredFrom: 10_000n + DAY + 1n,
        coveredUntil: 10_000n + 90n * DAY,
        fileFrom: 10_001n,
        fileUntil: 10_000n + 97n * DAY,
      });
      expect(remainingCover(policy)).to.equal(750n);
    });

    it("makes a policy eligible for incidents in (start + coverageLag, end] on its product, with cover left", () => {
      const { coveredFrom, coveredUntil } = policyClaimWindow(policy, product);
      expect(isEligibleForIncident(policy, product, coveredFrom)).to.equal(true);
      expect(isEligibleForIncident(policy, product, coveredUntil)).to.equal(true);
      expect(isEligibleForIncident(policy, product, coveredFrom - 1n)).to.equal(false);
      expect(isEligibleForIncident(policy, product, coveredUntil + 1n)).to.equal(false);
      expect(isEligibleForIncident(policy, { ...product, id: 4n }, coveredFrom)).to.equal(false);
      expect(isEligibleForIncident({ ...policy, claimed: policy.amount }, product, coveredFrom)).to.equal(false);
    });

    it("pays payoutWad of the remaining cover in full while the vault can pay what is still needed, else pro rata", () => {
      const sixty = { payoutWad: (WAD * 6n) / 10n };
      const full = { needed: 10_000n, entitled: 0n, reserveLeft: 10_000n };
      // 60% of 750, rounded down.
      expect(incidentPayout(policy, sixty, full, 0n)).to.equal(450n);
      // Reserve and free capital together cover the 10,000 still needed: in full.
      expect(incidentPayout(policy, sixty, { ...full, reserveLeft: 4_000n }, 6_000n)).to.equal(450n);
      // Only 3,000 of the 10,000 still needed can be paid: 450 × 0.3 = 135.
      expect(incidentPayout(policy, sixty, { ...full, reserveLeft: 1_000n }, 2_000n)).to.equal(135n);
      // Others already took 9,000 of the entitlement: the 1,000 left is needed, and 450 of it is this policy's.
      expect(incidentPayout(policy, sixty, { needed: 10_000n, entitled: 9_000n, reserveLeft: 300n }, 0n)).to.equal(135n);
      // An entitlement above what was counted at the report (pause-extended eligibility) counts itself.
      expect(incidentPayout(policy, sixty, { needed: 100n, entitled: 100n, reserveLeft: 225n }, 0n)).to.equal(225n);
      expect(incidentPayout({ amount: 1n, claimed: 0n }, { payoutWad: WAD / 2n }, full, 0n)).to.equal(0n);
    });
  });

  it("annualizes a share price change", () => {
    // 1.00 → 1.01 in 36.5 days: 10% a year; a loss is negative.
    expect(annualizedReturnWad(WAD, WAD + WAD / 100n, YEAR / 10n)).to.equal(WAD / 10n);
    expect(annualizedReturnWad(WAD, WAD - WAD / 100n, YEAR)).to.equal(-WAD / 100n);
    const start = sharePriceWad(1_000_000n, 10n ** 12n);
    const end = sharePriceWad(1_050_000n, 10n ** 12n);
    // (1,050,001 / 1,000,001 − 1) a year: 4.99999…%.
    expect(annualizedReturnWad(start, end, YEAR)).to.equal(((end - start) * WAD) / start);
    expect(annualizedReturnWad(start, end, YEAR) / 10n ** 12n).to.equal(49_999n);
    expect(() => annualizedReturnWad(0n, WAD, YEAR)).to.throw(InvalidArgument);
    expect(() => annualizedReturnWad(WAD, WAD, 0n)).to.throw(InvalidArgument);
  });

  describe("incidentBondUpperBound", () => {
    const bondAsset = "0x00000000000000000000000000000000000000Aa";
    const other = "0x00000000000000000000000000000000000000Bb";
    it("bonds max(incidentBond, bondWad × payoutWad × exposure in the bond asset), each reserve and the bond rounded up", () => {
      const fivePercent = WAD / 20n;
      // 1,000 × 1/3 → 334 (up), 2,000 × 1/3 → 667 (up); 1,001 × 5% → 50.05 → 51; the other asset does not count.
      const vaults = [
        { asset: bondAsset, exposure: 1_000n },
        { asset: bondAsset.toLowerCase(), exposure: 2_000n },
        { asset: other, exposure: 1_000_000n },
      ];
      expect(incidentBondUpperBound(10n, fivePercent, bondAsset, WAD / 3n, vaults)).to.equal(51n);
      // The floor wins when little is frozen.
      expect(incidentBondUpperBound(100n, fivePercent, bondAsset, WAD / 3n, vaults)).to.equal(100n);
      expect(incidentBondUpperBound(100n, fivePercent, bondAsset, WAD, [])).to.equal(100n);
    });
  });
});
