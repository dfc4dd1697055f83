/**
 * The demo's refusals in words: each error the story provokes, read from the SDK's typed error (never raw revert
 * data), with amounts in asset units and times as dates, followed by the decoded error itself in brackets.
 */
import {
  ContractError,
  CoverUnavailable,
  enumName,
  NEVER_DRAWS,
  toParapetError,
  TRIGGER_BLOCKS,
} from "../../sdk/src/index.js";
import { formatAmount } from "../lib/format.js";
import { decodeRevert } from "../tasks/lib/parapet.js";

const date = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString().replace("T", " ").replace(/:\d\d\.\d{3}Z$/, " UTC");
/** Vault shares have 12 decimals: the asset's 6 and the virtual offset's 6. */
const shares = (raw: bigint) => formatAmount(raw, 12);

type Fields = Record<string, unknown>;
type Words = (fields: Fields, show: (amount: bigint) => string) => string;

/** What each error means to the person who met it. */
const WORDS: Record<string, Words> = {
  RedeemRequestNotClaimable: (f) =>
    `The request of ${shares(f.shares as bigint)} shares is still in its cooldown: it becomes redeemable on ` +
    `${date(f.claimableAt as bigint)}, and until then it keeps earning premiums and bearing losses.`,
  OutflowLimitReached: (f, show) =>
    `The circuit breaker lets ${show(f.available as bigint)} leave the vault in this window, and the exit asks ` +
    `${show(f.assets as bigint)}. An exit is paid in full or not at all: redeem what maxRedeem allows now, the rest in ` +
    "the next window.",
  WithdrawalExceedsUnlockedCapital: (f, show) =>
    `Only ${show(f.unlockedAssets as bigint)} of the vault is not locked behind live cover, and the exit asks ${show(f.assets as bigint)}.`,
  InsufficientCapacity: (f, show) =>
    `The vault can sell ${show(f.available as bigint)} more cover on this product, and the order asks ` +
    `${show(f.requested as bigint)}: buy less, or leave the vault out and let the SDK's router split the order.`,
  LivenessNotExpired: (f) =>
    `The claim can still be disputed until ${date(f.expiration as bigint)}; it settles only after its liveness.`,
  AwaitingRuling: (f) =>
    (f.drawAt as bigint) >= NEVER_DRAWS
      ? "The claim is disputed and awaits UMA's DVM vote; it never ends in a draw."
      : `The claim is disputed and awaits the committee; without a ruling it is a draw on ${date(f.drawAt as bigint)}.`,
  CaseAlreadyDecided: (f) => `Case #${f.caseId as bigint} already has its quorum: no further votes are taken.`,
  VotingClosed: (f) => `Voting on case #${f.caseId as bigint} closed on ${date(f.deadline as bigint)}.`,
  TriggerBlocked: (f) => `The trigger cannot fire: ${enumName(TRIGGER_BLOCKS, f.reason as number)}.`,
};

const COVER_WORDS: Record<string, (details: Fields, show: (amount: bigint) => string) => string> = {
  IncidentPending: () => "An incident on this product is being decided: no cover is sold until it settles.",
  TriggerNotArmed: () =>
    "The product's parametric trigger fired and disarmed itself (it is one-shot): no cover is sold until the risk " +
    "manager arms a fresh trigger.",
  TriggerFired: () => "The product's parametric trigger already fired: new cover could never pay.",
  PeriodOutOfRange: (d) => `The period must lie between ${Number(d.minPeriod) / 86_400} and ${Number(d.maxPeriod) / 86_400} days.`,
  AmountAboveMaxCoverPerPolicy: (d, show) => `One policy may cover at most ${show(d.maxCoverPerPolicy as bigint)}.`,
  ProductInactive: () => "The product is closed for sale.",
};

/** `error` (anything an SDK call threw) in words, then the decoded error in brackets; amounts in `token` units. */
export function explain(error: unknown, token: { symbol: string; decimals: number }): string {
  const show = (amount: bigint) => `${formatAmount(amount, token.decimals)} ${token.symbol}`;
  if (error instanceof CoverUnavailable) {
    const words = COVER_WORDS[error.reason];
    return `${words === undefined ? error.message : words(error.details, show)} [CoverUnavailable: ${error.reason}]`;
  }
  const typed = toParapetError(error);
  if (typed instanceof ContractError) {
    const fields = Object.fromEntries(typed.params.map((param, index) => [param.name, typed.args[index]]));
    const words = WORDS[typed.errorName];
    const decoded = decodeRevert(typed, token) ?? typed.errorName;
    return words === undefined ? `The contract refused with ${decoded}.` : `${words(fields, show)} [${decoded}]`;
  }
  return error instanceof Error ? error.message : String(error);
}
