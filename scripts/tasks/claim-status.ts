/** `claim:status`: where a claim stands (or a table of the claims when `--claim` is omitted), and what comes next. */
import type { ClaimView, DvmStatus } from "../../sdk/src/client/index.js";
import { formatTime, heading, keyValues, parseId, TaskError, taskAction, textTable } from "./lib/cli.js";
import { STATE_NAMES, withParapet, type CommonArgs } from "./lib/parapet.js";

interface Args extends CommonArgs {
  claim: string | undefined;
  raw: boolean;
}

/** How `claim:status` words a UMA case's DVM status. */
const DVM_STATUS_TEXT: Record<DvmStatus, string> = {
  AwaitingVote: "awaiting the DVM vote",
  VoteIn: "voted, not yet pushed to the adjudicator (claim:push)",
  Delivered: "voted and delivered",
  Undelivered: "voted; the adjudicator refused the ruling, claim:push retries",
};

/** The most claims listed without `--claim` (the latest ones). */
const LIST_LIMIT = 50n;

function nextStep(claim: ClaimView): string {
  const now = claim.timestamp;
  const { disputeUntil, settleFrom, drawAt } = claim.deadlines;
  switch (claim.phase) {
    case "Disputable":
      return `disputable until ${formatTime(disputeUntil!, now)} (claim:dispute); settleable from ${formatTime(settleFrom!)}`;
    case "Settleable":
      return claim.state === "Disputed"
        ? `${claim.ruling === "None" ? "no ruling in time: settles as a draw" : `ruled "${claim.ruling.toLowerCase()}"`}; anyone may settle it now (claim:settle)`
        : "liveness over: anyone may settle it now (claim:settle), paying the policy holder";
    case "AwaitingRuling":
      if (claim.umaCase !== undefined) {
        return claim.umaCase.dvmStatus === "AwaitingVote"
          ? "awaiting UMA's DVM vote (no draw: only the vote settles it)"
          : "UMA's DVM has voted: anyone may push it to the adjudicator (claim:push), then settle it (claim:settle)";
      }
      return `awaiting the committee's ruling; without one it settles as a draw from ${formatTime(drawAt!, now)}`;
    case "Settled":
      return "settled";
  }
}

export default taskAction(async (args: Args, hre) =>
  withParapet(hre, args, async (parapet) => {
    const { client } = parapet;
    const count = await client.claimAdjudicator.claimCount();
    if (args.claim === undefined || args.claim.trim() === "") {
      if (count === 0n) {
        console.log("No claims have been filed.");
        return [];
      }
      const first = count > LIST_LIMIT ? count - LIST_LIMIT + 1n : 1n;
      const ids = Array.from({ length: Number(count - first + 1n) }, (_, index) => first + BigInt(index));
      const claims = await parapet.read("read the claims", () => client.claims(ids));
      const rows: string[][] = [];
      for (const claim of claims) {
        const asset = await parapet.assetOf(claim.vault);
        rows.push([
          `#${claim.id}`,
          `#${claim.policyId}`,
          parapet.show(claim.amount, asset, args.raw),
          STATE_NAMES[claim.state],
          parapet.show(claim.paid, asset, args.raw),
          formatTime(claim.expiration),
        ]);
      }
      console.log(textTable(["claim", "policy", "amount", "state", "paid", "liveness ends"], rows, [3]));
      return claims.map((claim) => claim.id);
    }

    const claimId = parseId(args.claim, "--claim");
    const claim = await parapet.read("read the claim", () => client.claim(claimId));
    if (claim === undefined) throw new TaskError(`claim #${claimId} does not exist (${count} claims filed)`);
    const asset = await parapet.assetOf(claim.vault);
    const show = (value: bigint) => parapet.show(value, asset, args.raw);
    const now = claim.timestamp;
    const state = STATE_NAMES[claim.state];
    heading(`Claim #${claimId}: ${state}`);
    const rows: Array<[string, string]> = [
      ["policy", `#${claim.policyId} (${await parapet.productName(claim.productId)}, ${parapet.vaultName(claim.vault)} vault), held by ${claim.policyOwner}`],
      ["filed by", claim.filer],
      ["amount", show(claim.amount)],
      ["reserved by the vault", show(claim.reserved)],
      ["bond", show(claim.bond)],
      ["incident time", formatTime(claim.incidentTime, now)],
      ["liveness ends", formatTime(claim.expiration, now)],
    ];
    if (claim.disputedAt !== 0n) {
      rows.push(["disputed by", `${claim.disputer} at ${formatTime(claim.disputedAt, now)}`]);
      rows.push(["arbiter", `${claim.arbiterKind === "uma" ? "UMA's DVM" : "committee"} at ${claim.arbiter}, case #${claim.caseId}`]);
      const umaCase = claim.umaCase;
      if (umaCase !== undefined) {
        rows.push(["UMA assertion", `${umaCase.assertionId} on Optimistic Oracle V3 ${umaCase.optimisticOracle}`]);
        rows.push([
          "DVM status",
          `${DVM_STATUS_TEXT[umaCase.dvmStatus]}${umaCase.approved === undefined ? "" : umaCase.approved ? ": claim upheld" : ": claim rejected"}`,
        ]);
      }
      const committeeCase = claim.committeeCase;
      if (committeeCase !== undefined) {
        rows.push([
          "committee votes",
          `${committeeCase.approvals} approve / ${committeeCase.rejections} reject, quorum ${committeeCase.quorum}, ` +
            `voting until ${formatTime(committeeCase.deadline, now)}${committeeCase.resolved ? ", resolved" : ""}`,
        ]);
      }
      rows.push(["ruling", claim.ruling.toLowerCase()]);
    }
    if (claim.phase === "Settled") rows.push(["paid", show(claim.paid)]);
    rows.push(["next", nextStep(claim)]);
    keyValues(rows);
    return { claimId, state, paid: claim.paid };
  }),
);
