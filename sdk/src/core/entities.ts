// Solidity twin: the structs and enums of contracts/interfaces (IProductRegistry `Product`, ICoverManager `Policy`,
// IClaimAdjudicator `Claim`, `Incident`, `IncidentReserve`, IPriceFeedTrigger `TriggerBlock`), and the time and payout
// checks of contracts/ClaimAdjudicator.sol (`_checkClaimable`, `claimIncidentPayout`), contracts/libraries/CoverWindow.sol
// (`checkCovered`) and contracts/libraries/CaseRules.sol (`outcome`).
//
// Plain data: every integer is a bigint (as typechain returns them, whatever its Solidity width), timestamps are Unix
// seconds, addresses are strings, and enums are their names.

import { InvalidArgument } from "./errors.js";
import { mulDivDown } from "./mathLib.js";
import { WAD, YEAR, type RateCurve } from "./premiumMath.js";

/** `ProductKind` by ordinal: how a product's claims are decided. */
export const PRODUCT_KINDS = ["Discretionary", "Parametric"] as const;
/** `Discretionary`: claims go through the optimistic adjudicator. `Parametric`: a trigger confirms incidents. */
export type ProductKind = (typeof PRODUCT_KINDS)[number];

/** `AssertionState` by ordinal: where a claim or an incident report stands. */
export const ASSERTION_STATES = ["None", "Pending", "Disputed", "Approved", "Rejected", "Drawn"] as const;
/** `Pending → (dispute) Disputed → Approved | Rejected | Drawn`; `Pending → (liveness over) Approved`. */
export type AssertionState = (typeof ASSERTION_STATES)[number];

/** `Ruling` by ordinal: the arbiter's answer on a disputed assertion (`None` until it rules). */
export const RULINGS = ["None", "Approve", "Reject"] as const;
/** The arbiter's answer on a disputed assertion. */
export type Ruling = (typeof RULINGS)[number];

/** `ReservePhase` by ordinal: an incident reserve is open for payouts, kept for top-ups, or released. */
export const RESERVE_PHASES = ["Open", "TopUp", "Released"] as const;
/** Where an incident's reserve in one vault stands. */
export type ReservePhase = (typeof RESERVE_PHASES)[number];

/** `TriggerBlock` by ordinal: why a parametric trigger's feed reading does not fire it, or `None` when it does. */
export const TRIGGER_BLOCKS = [
  "None",
  "AlreadyFired",
  "SequencerDown",
  "SequencerGracePeriod",
  "NonPositiveAnswer",
  "StaleAnswer",
  "AboveThreshold",
  "ReadingNotAfterCreation",
  "UnknownRound",
] as const;
/** Why a trigger does not fire (`PriceFeedTrigger.status()`, and the `TriggerBlocked` error's `reason`). */
export type TriggerBlock = (typeof TRIGGER_BLOCKS)[number];

/**
 * The name of a Solidity enum value, from its ordinal: e.g. `enumName(ASSERTION_STATES, claim.state)` on a struct
 * read from chain, or `enumName(TRIGGER_BLOCKS, error.reason)` on a decoded `TriggerBlocked` error.
 *
 * @param names - The enum's names by ordinal, e.g. {@link ASSERTION_STATES}.
 * @param ordinal - The value as the chain returns it.
 * @returns The name.
 * @throws {@link InvalidArgument} if the ordinal is not one of the enum's.
 */
export function enumName<const Names extends readonly string[]>(names: Names, ordinal: number | bigint): Names[number] {
  const name = names[Number(ordinal)];
  if (name === undefined) throw new InvalidArgument("ordinal", `${ordinal} is not one of ${names.join(", ")}`);
  return name;
}

/** A covered risk and its terms (`ProductRegistry.getProduct`). */
export type Product = {
  /** Product id, from 1. */
  id: bigint;
  kind: ProductKind;
  /** Whether it is open for sale. */
  active: boolean;
  /** Shortest cover period, in seconds. */
  minPeriod: bigint;
  /** Longest cover period, in seconds. */
  maxPeriod: bigint;
  /** Seconds after a policy's start before incidents count. */
  coverageLag: bigint;
  /** Seconds after a policy's end during which claims may still be filed (and its capital stays locked). */
  claimGracePeriod: bigint;
  /** Lowest base rate a vault may sell it at, WAD per year. */
  minRateWad: bigint;
  /** Incidents being decided: while above zero, no cover is sold. */
  openIncidents: bigint;
  /** Largest amount of a single policy. */
  maxCoverPerPolicy: bigint;
  /** A parametric product's trigger contract, else the zero address. */
  trigger: string;
  metadataURI: string;
};

/** A vault's share accounting (`UnderwriterVault` views). */
export type VaultState = {
  /** The vault's address. */
  address: string;
  /** Its asset (ERC-20) address. */
  asset: string;
  /** Assets minus unearned premium: the price entries (deposit, mint) pay. */
  navAsk: bigint;
  /** `navAsk` minus the pending reserve: the price exits (redeem, withdraw) get, and the base of capacity. */
  navBid: bigint;
  /** Shares in circulation (of the current share epoch). */
  totalSupply: bigint;
  /** Premium received but not yet earned. */
  unearnedPremium: bigint;
  /** Assets reserved for claims and incidents being decided. */
  pendingReserve: bigint;
};

/**
 * A vault's standing for one product it backs. Has every field `routeCover`'s `RouteVault` needs (`vault`, `curve`,
 * `capacity`, `exposure`), so a list of these can go straight to `routeCover`.
 */
export type VaultProductState = {
  /** The vault's address. */
  vault: string;
  productId: bigint;
  /** `capacityOf(productId)`: `capacityWad × navBid`. */
  capacity: bigint;
  /** `exposureOf(productId)`: cover sold that still locks capital. */
  exposure: bigint;
  /** `rateCurveOf(productId)`. */
  curve: RateCurve;
  /** Share of `navBid` the product may use, WAD. */
  capacityWad: bigint;
};

/** A cover policy (`CoverManager.getPolicy`); the right to its payouts goes with the ERC-721 token `id`. */
export type Policy = {
  /** Policy id, which is also its NFT's token id, from 1. */
  id: bigint;
  productId: bigint;
  /** The vault that underwrote it. */
  vault: string;
  /** Cover bought. */
  amount: bigint;
  /** Paid out so far, by claims and incidents. */
  claimed: bigint;
  /** When it was bought. */
  start: bigint;
  /** When its cover ends. */
  end: bigint;
};

/** A claim on one policy of a discretionary product (`ClaimAdjudicator.getClaim`). */
export type Claim = {
  id: bigint;
  policyId: bigint;
  vault: string;
  /** When the claimed incident happened. */
  incidentTime: bigint;
  /** End of the liveness: disputes are accepted strictly before it, an undisputed claim settles from it on. */
  expiration: bigint;
  /** When it was disputed, or 0. */
  disputedAt: bigint;
  /**
   * Fixed when it was disputed: when an unruled dispute settles as a draw ({@link NEVER_DRAWS} before an arbiter that
   * always rules, such as UMA's DVM); 0 before a dispute.
   */
  drawAt: bigint;
  state: AssertionState;
  ruling: Ruling;
  filer: string;
  /** The zero address unless disputed. */
  disputer: string;
  /** The arbiter the dispute went to, or the zero address. */
  arbiter: string;
  /** Amount claimed. */
  amount: bigint;
  /** What the vault reserved for it. */
  reserved: bigint;
  /** The filer's bond, in the vault's asset. */
  bond: bigint;
  /** Paid out on settlement. */
  paid: bigint;
  /** The arbiter's case id, once disputed. */
  caseId: bigint;
};

/** A report that a whole product suffered a covered incident (`ClaimAdjudicator.getIncident`). */
export type Incident = {
  id: bigint;
  productId: bigint;
  incidentTime: bigint;
  expiration: bigint;
  disputedAt: bigint;
  /** As for claims: when an unruled dispute draws, fixed at the dispute ({@link NEVER_DRAWS} before UMA's DVM). */
  drawAt: bigint;
  /** When it was confirmed (settled approved, or fired by a trigger), or 0. Payouts may be claimed from then on. */
  confirmedAt: bigint;
  state: AssertionState;
  ruling: Ruling;
  /** Share of each eligible policy's remaining cover it pays, WAD. */
  payoutWad: bigint;
  reporter: string;
  disputer: string;
  arbiter: string;
  bond: bigint;
  caseId: bigint;
};

/** One backing vault's reserve for an incident, taken at the report (`ClaimAdjudicator.incidentReserve`). */
export type IncidentReserve = {
  /** `payoutWad` times the vault's exposure at the report: an upper bound of what its policies can claim. */
  needed: bigint;
  /** What the vault set aside at the report (at most its `navBid` then). */
  reserved: bigint;
  /** What is still set aside. */
  reserveLeft: bigint;
  /** The full entitlements of the policies paid so far. */
  entitled: bigint;
  /** What those policies received (less than `entitled` only while the vault was short). */
  paid: bigint;
  /** Once the claim window closed: the share of each shortfall the leftovers make good, WAD. */
  topUpWad: bigint;
  phase: ReservePhase;
};

/** When a claim or incident report may be disputed and settled: see {@link claimDeadlines}. */
export type AssertionDeadlines = {
  /** The last second a dispute is accepted (`expiration - 1`), or `undefined` unless the assertion is `Pending`. */
  disputeUntil: bigint | undefined;
  /**
   * The first second `settleClaim` / `settleIncident` succeeds: `expiration` while `Pending`; for a `Disputed` one,
   * `disputedAt` once the arbiter ruled (settleable at once) or else the draw time; `undefined` once settled.
   */
  settleFrom: bigint | undefined;
  /**
   * For a `Disputed` assertion the arbiter has not ruled on: when it settles as a draw. Otherwise `undefined`, and
   * also before an arbiter that always rules (UMA's DVM), where only the ruling settles it.
   */
  drawAt: bigint | undefined;
};

/** The `drawAt` of a dispute before an arbiter that always rules: `type(uint40).max`, a draw never comes. */
export const NEVER_DRAWS = 2n ** 40n - 1n;

/**
 * When a claim (or an incident report: same rules) can be disputed and settled, as `ClaimAdjudicator` decides:
 * disputes need `now < expiration`; an undisputed assertion settles approved at `now >= expiration`; a disputed one
 * settles per the ruling once there is one, else as a draw at `now >= drawAt` (fixed when the dispute opened; never,
 * before an arbiter that always rules).
 *
 * @param assertion - The claim or incident.
 * @returns The deadlines; `undefined` fields do not apply in the assertion's state.
 */
export function claimDeadlines(
  assertion: Pick<Claim | Incident, "state" | "ruling" | "expiration" | "disputedAt" | "drawAt">
): AssertionDeadlines {
  const { state, ruling, expiration, disputedAt, drawAt } = assertion;
  if (state === "Pending") return { disputeUntil: expiration - 1n, settleFrom: expiration, drawAt: undefined };
  if (state !== "Disputed") return { disputeUntil: undefined, settleFrom: undefined, drawAt: undefined };
  if (ruling !== "None") return { disputeUntil: undefined, settleFrom: disputedAt, drawAt: undefined };
  if (drawAt >= NEVER_DRAWS) return { disputeUntil: undefined, settleFrom: undefined, drawAt: undefined };
  return { disputeUntil: undefined, settleFrom: drawAt, drawAt };
}

/** What a policy covers and when claims on it may be filed: see {@link policyClaimWindow}. All bounds inclusive. */
export type PolicyClaimWindow = {
  /** The earliest incident time covered: `start + coverageLag + 1` (strictly after the waiting period). */
  coveredFrom: bigint;
  /** The latest incident time covered: `end`. */
  coveredUntil: bigint;
  /** The first second a claim may be filed: `start + 1` (never in the block the policy was bought). */
  fileFrom: bigint;
  /** The last second a claim may be filed: `end + claimGracePeriod`; the policy's capital stays locked until then. */
  fileUntil: bigint;
};

/**
 * The incident times a policy covers and the time window for filing claims on it, as `ClaimAdjudicator` checks them.
 * A claim also needs an incident time strictly in the past and an amount within {@link remainingCover}.
 *
 * @param policy - The policy.
 * @param product - Its product's terms.
 * @returns The window, bounds inclusive.
 */
export function policyClaimWindow(
  policy: Pick<Policy, "start" | "end">,
  product: Pick<Product, "coverageLag" | "claimGracePeriod">
): PolicyClaimWindow {
  return {
    coveredFrom: policy.start + product.coverageLag + 1n,
    coveredUntil: policy.end,
    fileFrom: policy.start + 1n,
    fileUntil: policy.end + product.claimGracePeriod,
  };
}

/**
 * Cover left on a policy: what a claim may ask for at most, and what incident payouts are a share of.
 *
 * @param policy - The policy.
 * @returns `amount - claimed`.
 */
export function remainingCover(policy: Pick<Policy, "amount" | "claimed">): bigint {
  return policy.amount - policy.claimed;
}

/**
 * Whether an incident on `product` at `incidentTime` entitles the policy to a payout: the policy is on that product,
 * the time lies in `(start + coverageLag, end]`, and some cover remains. (The payout itself also needs the incident
 * confirmed, its payout window open, and the policy not paid for it yet.)
 *
 * @param policy - The policy.
 * @param product - The incident's product (its `id` and `coverageLag`).
 * @param incidentTime - When the incident happened.
 * @returns Whether the policy is eligible.
 */
export function isEligibleForIncident(
  policy: Pick<Policy, "productId" | "start" | "end" | "amount" | "claimed">,
  product: Pick<Product, "id" | "coverageLag">,
  incidentTime: bigint
): boolean {
  return (
    policy.productId === product.id &&
    incidentTime > policy.start + product.coverageLag &&
    incidentTime <= policy.end &&
    remainingCover(policy) > 0n
  );
}

/**
 * What `claimIncidentPayout` pays an eligible policy, decided at payment (Solidity twin: `IncidentLogic._book`):
 * `payoutWad` of its remaining cover in full while the vault can pay what its eligible policies may still claim (its
 * reserve for the incident plus its free `navBid`), else that pro-rata share.
 *
 * @param policy - The policy, eligible for the incident (see {@link isEligibleForIncident}).
 * @param incident - The confirmed incident (its `payoutWad`).
 * @param reserve - The reserve of the policy's vault for the incident.
 * @param navBid - The vault's `navBid` at payment.
 * @returns The payout; 0 means the chain would revert `NothingToPay`.
 */
export function incidentPayout(
  policy: Pick<Policy, "amount" | "claimed">,
  incident: Pick<Incident, "payoutWad">,
  reserve: Pick<IncidentReserve, "needed" | "entitled" | "reserveLeft">,
  navBid: bigint
): bigint {
  const entitled = mulDivDown(remainingCover(policy), incident.payoutWad, WAD);
  const unclaimed = reserve.needed > reserve.entitled ? reserve.needed - reserve.entitled : 0n;
  const stillNeeded = unclaimed > entitled ? unclaimed : entitled;
  const payable = reserve.reserveLeft + navBid;
  return payable >= stillNeeded ? entitled : mulDivDown(entitled, payable, stillNeeded);
}

/**
 * The simple (not compounded) annual return between two share prices, e.g. two readings of `sharePriceWad`: how fast
 * streamed premiums (net of losses) grew a share.
 *
 * @param startPriceWad - The earlier share price, positive.
 * @param endPriceWad - The later share price.
 * @param elapsedSeconds - Seconds between the two readings, positive.
 * @returns `(end - start) / start × YEAR / elapsed` in WAD (`5e16` is 5% a year), negative after a loss, rounded
 * toward zero.
 * @throws {@link InvalidArgument} if `startPriceWad` or `elapsedSeconds` is not positive.
 */
export function annualizedReturnWad(startPriceWad: bigint, endPriceWad: bigint, elapsedSeconds: bigint): bigint {
  if (startPriceWad <= 0n) throw new InvalidArgument("startPriceWad", "must be positive");
  if (elapsedSeconds <= 0n) throw new InvalidArgument("elapsedSeconds", "must be positive");
  return ((endPriceWad - startPriceWad) * YEAR * WAD) / (startPriceWad * elapsedSeconds);
}
