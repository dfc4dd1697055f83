/**
 * The client with disputes before UMA's DVM (issue 10), on the in-process chain with UMA's real contracts: a dispute
 * approves UMA's escalation deposit beside the bond; `claim()` shows the arbiter, the assertion and the vote's status;
 * `pushClaim` moves a voted case to the adjudicator.
 */
import { expect } from "chai";

import { NEVER_DRAWS, ParapetClient, UmaCaseNotReady, type SentTransaction } from "../../sdk/src/index.js";
import { bondOf, fileClaim } from "../mocha/claimsSetup.js";
import { usd } from "../mocha/helpers.js";
import { DVM_FALSE, UMA_DEPOSIT, UMA_REFUND, withUmaCover } from "../mocha/umaSetup.js";
import { sdkDeployment } from "./sdkDeployment.js";

describe("ParapetClient with UMA's DVM", () => {
  it("disputes with the bond and UMA's deposit approved, shows the vote, pushes it, settles the claim", async () => {
    const s = await withUmaCover();
    const amount = usd(25_000);
    const { claimId } = await fileClaim(s, s.buyer, amount);
    // An underwriter holds funds but has approved neither the adjudicator nor the UMA arbiter.
    const disputer = s.accounts.underwriters[2];
    const client = await ParapetClient.connect(disputer, await sdkDeployment(s));

    const sent: string[] = [];
    const onSent = (tx: SentTransaction) => sent.push(tx.action);
    const before = await client.claim(claimId);
    expect(before?.arbiterKind).to.equal(undefined);
    expect(before?.umaCase).to.equal(undefined);

    const clientWithCallbacks = await ParapetClient.connect(disputer, await sdkDeployment(s), { onSent });
    const { caseId } = await clientWithCallbacks.disputeClaim(claimId);
    expect(sent).to.deep.equal(["approve", "approve", "disputeClaim"]);
    expect(await s.asset.allowance(disputer, s.umaArbiter)).to.equal(0n);
    expect(await s.asset.allowance(disputer, s.adj)).to.equal(0n);

    const disputed = (await client.claim(claimId))!;
    expect(disputed.arbiterKind).to.equal("uma");
    expect(disputed.arbiter).to.equal(await s.umaArbiter.getAddress());
    expect(disputed.drawAt).to.equal(NEVER_DRAWS);
    expect(disputed.deadlines.drawAt).to.equal(undefined);
    expect(disputed.phase).to.equal("AwaitingRuling");
    const umaCase = disputed.umaCase!;
    expect(umaCase.caseId).to.equal(caseId);
    expect(umaCase.assertionId).to.equal((await s.umaArbiter.getUmaCase(caseId)).assertionId);
    expect(umaCase.optimisticOracle).to.equal(await s.oracle.getAddress());
    expect(umaCase.dvmStatus).to.equal("AwaitingVote");
    expect(umaCase.approved).to.equal(undefined);
    expect(umaCase.disputer).to.equal(disputer.address);
    expect(umaCase.bond * 2n).to.equal(UMA_DEPOSIT);

    const early = await client.pushClaim(claimId).catch((error: unknown) => error);
    expect(early).to.be.instanceOf(UmaCaseNotReady);
    expect((early as UmaCaseNotReady).dvmStatus).to.equal("AwaitingVote");

    const [request] = await s.dvm.queryFilter(s.dvm.filters.PriceRequestAdded());
    await (await s.dvm.pushPriceByRequestId(request!.args.requestId, DVM_FALSE)).wait();
    expect((await client.claim(claimId))!.umaCase!.dvmStatus).to.equal("VoteIn");

    const pushed = await client.pushClaim(claimId);
    expect(pushed.action).to.equal("settleAssertion");
    expect(pushed.approved).to.equal(false);
    expect(pushed.refund).to.equal(UMA_REFUND);
    const ruled = (await client.claim(claimId))!;
    expect(ruled.umaCase!.dvmStatus).to.equal("Delivered");
    expect(ruled.umaCase!.approved).to.equal(false);
    expect(ruled.ruling).to.equal("Reject");
    expect(ruled.phase).to.equal("Settleable");

    const settled = await client.settleClaim(claimId);
    expect(settled.outcome).to.equal("Rejected");
    expect(settled.bonds!.toDisputer).to.equal(2n * bondOf(amount) - settled.bonds!.burned);
  });
});
