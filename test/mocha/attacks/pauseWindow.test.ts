import { expect } from "chai";

import { DAY, networkHelpers, time } from "../helpers.js";
import { at, bondOf, CLAIM_GRACE_PERIOD, COVER, EVIDENCE, LIVENESS, withCover, type Setup } from "../claimsSetup.js";

const PAUSE = 5n * DAY;

/** The guardian pauses the adjudicator at `from`; the admin unpauses it `length` later. */
async function pauseBetween(s: Setup, from: bigint, length: bigint) {
  await time.setNextBlockTimestamp(from);
  await (await s.adj.connect(s.accounts.guardian).pause()).wait();
  await time.setNextBlockTimestamp(from + length);
  await (await s.adj.connect(s.accounts.admin).unpause()).wait();
}

describe("Attack: a pause eating claim windows", () => {
  it("pausing the adjudicator across a policy's claim deadline for 5 days: the window is extended by the pause, filing at the original deadline + 5 days is accepted, one second later reverts ClaimWindowClosed(policyId, deadline + 5 days)", async () => {
    const s = await networkHelpers.loadFixture(withCover);
    const deadline = s.policy.end + CLAIM_GRACE_PERIOD;
    const pausedAt = deadline - 2n * DAY;
    await time.setNextBlockTimestamp(pausedAt);
    await (await s.adj.connect(s.accounts.guardian).pause()).wait();
    // While paused nobody files, the deadline passing meanwhile.
    await time.setNextBlockTimestamp(deadline + DAY);
    await expect(
      s.adj.connect(s.buyer).fileClaim(s.policyId, COVER, s.incidentTime, EVIDENCE),
    ).to.be.revertedWithCustomError(s.adj, "EnforcedPause");
    await time.setNextBlockTimestamp(pausedAt + PAUSE);
    await (await s.adj.connect(s.accounts.admin).unpause()).wait();

    expect(await s.adj.pausedSecondsAt(pausedAt - 1n)).to.equal(0n);
    expect(await s.adj.pausedSecondsAt(pausedAt)).to.equal(0n);
    expect(await s.adj.pausedSecondsAt(pausedAt + DAY)).to.equal(DAY);
    expect(await s.adj.pausedSecondsAt(pausedAt + PAUSE)).to.equal(PAUSE);
    expect(await s.adj.pausedSecondsAt(pausedAt + PAUSE + 30n * DAY)).to.equal(PAUSE);

    const extended = deadline + PAUSE;
    await at(extended, async () => {
      await expect(s.adj.connect(s.buyer).fileClaim(s.policyId, COVER, s.incidentTime, EVIDENCE))
        .to.emit(s.adj, "ClaimFiled")
        .withArgs(
          1n,
          s.policyId,
          s.buyer.address,
          COVER,
          COVER,
          s.incidentTime,
          bondOf(COVER),
          extended + LIVENESS,
          EVIDENCE,
        );
    });
    await time.setNextBlockTimestamp(extended + 1n);
    await expect(s.adj.connect(s.buyer).fileClaim(s.policyId, COVER, s.incidentTime, EVIDENCE))
      .to.be.revertedWithCustomError(s.adj, "ClaimWindowClosed")
      .withArgs(s.policyId, extended);
  });

  it("pausing after a policy's claim deadline to re-open its window: still closed after the unpause, reverting ClaimWindowClosed(policyId, deadline + 10 days) (the argument counts the later pause too)", async () => {
    const s = await networkHelpers.loadFixture(withCover);
    const deadline = s.policy.end + CLAIM_GRACE_PERIOD;
    // Closed one second past the deadline, before any pause.
    await at(deadline + 1n, async () => {
      await expect(s.adj.connect(s.buyer).fileClaim(s.policyId, COVER, s.incidentTime, EVIDENCE))
        .to.be.revertedWithCustomError(s.adj, "ClaimWindowClosed")
        .withArgs(s.policyId, deadline);
    });
    await pauseBetween(s, deadline + DAY, 10n * DAY);
    expect(await s.adj.pausedSecondsAt(deadline + 11n * DAY)).to.equal(10n * DAY);

    for (const when of [deadline + 11n * DAY + 1n, deadline + 40n * DAY]) {
      await time.setNextBlockTimestamp(when);
      // The argument counts every pause up to now, this later one too: the window itself stays shut.
      await expect(s.adj.connect(s.buyer).fileClaim(s.policyId, COVER, s.incidentTime, EVIDENCE))
        .to.be.revertedWithCustomError(s.adj, "ClaimWindowClosed")
        .withArgs(s.policyId, deadline + 10n * DAY);
    }
    expect(await s.adj.claimCount()).to.equal(0n);
  });
});
