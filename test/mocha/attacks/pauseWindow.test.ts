import { expect } from "chai";

import { DAY, ethers, networkHelpers, time, WEEK } from "../helpers.js";
import {
  at,
  bondOf,
  CLAIM_GRACE_PERIOD,
  COOLDOWN,
  COVER,
  EVIDENCE,
  LIVENESS,
  State,
  fileClaim,
  withCover,
  type Setup,
} from "../claimsSetup.js";

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

  // OPEN BUG (it.skip until fixed): the pause extends a policy's claim window (PauseClock), but not the vault's lock
  // of the capital behind it, which still ends at ceil(end + claimGracePeriod) on the 7-day grid. A pause of the
  // adjudicator alone (the guardian pauses each contract separately) that lasts past that grid boundary lets the
  // underwriters leave with the capital first: with no live cover, no reserve and no queue, exits are not even
  // metered. The claim filed in the extended window is accepted but reserves min(amount, navBid), the rounding dust
  // the exit left, and settles as Approved for that dust.
  // Reproduction: this test with `it` instead of `it.skip` fails with "Error in the 5th argument assertion: expected 1
  // to equal 100000000000": the 100k claim is paid 1 base unit.
  it.skip("pausing the adjudicator across a claim deadline until the vault's lock has ended: the capital behind the policy stays until the extended deadline, so the claim filed then is paid in full", async () => {
    const s = await networkHelpers.loadFixture(withCover);
    const deadline = s.policy.end + CLAIM_GRACE_PERIOD;
    const lockEnd = ((deadline + WEEK - 1n) / WEEK) * WEEK;
    // The underwriter's whole position ripens the second the lock ends.
    await time.setNextBlockTimestamp(lockEnd - COOLDOWN);
    const shares = await s.vault.balanceOf(s.underwriter.address);
    await (await s.vault.connect(s.underwriter).requestRedeem(shares, s.underwriter.address, s.underwriter.address)).wait();
    const pausedAt = deadline - DAY;
    const length = lockEnd + 2n * DAY - pausedAt;
    await time.setNextBlockTimestamp(pausedAt);
    await (await s.adj.connect(s.accounts.guardian).pause()).wait();

    // The claim is still owed (its window is extended), but the vault lets the capital go.
    await time.setNextBlockTimestamp(lockEnd);
    await (await s.vault.connect(s.underwriter).redeem(shares, s.underwriter.address, s.underwriter.address)).wait();
    await time.setNextBlockTimestamp(pausedAt + length);
    await (await s.adj.connect(s.accounts.admin).unpause()).wait();

    const extended = deadline + length;
    await time.setNextBlockTimestamp(extended);
    const { claimId, claim } = await fileClaim(s, s.buyer, COVER);
    await time.increaseTo(claim.expiration);
    const settle = s.adj.settleClaim(claimId);
    await expect(settle).to.emit(s.adj, "ClaimSettled").withArgs(claimId, s.policyId, State.Approved, s.buyer.address, COVER);
    await expect(settle).to.changeTokenBalance(ethers, s.asset, s.buyer, COVER + bondOf(COVER));
  });
});
