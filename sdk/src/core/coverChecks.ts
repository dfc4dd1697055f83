// Solidity twin: the sale checks of contracts/CoverManager.sol (`_saleTerms`), including a parametric product whose
// trigger fired and was disarmed, plus the one a buyer needs that the contract cannot make: an armed trigger that
// already fired makes the product's new cover worthless.

import { ParapetError } from "./errors.js";

/** `ProductKind.Parametric` as the contracts number it. */
const PARAMETRIC = 1;

/** Why cover cannot be bought. */
export type CoverUnavailableReason =
  /** The product is closed for sale (`ProductNotActive` on chain). */
  | "ProductInactive"
  /** An incident on the product is being decided; sales stop until it settles (`IncidentPending`). */
  | "IncidentPending"
  /** The period lies outside the product's `[minPeriod, maxPeriod]` (`InvalidCoverPeriod`). */
  | "PeriodOutOfRange"
  /** One policy may not exceed the product's `maxCoverPerPolicy` (`InvalidCoverAmount`). */
  | "AmountAboveMaxCoverPerPolicy"
  /** The product's parametric trigger already fired: it is one-shot, so new cover could never pay. */
  | "TriggerFired"
  /** A parametric product with no armed trigger (it fired and was disarmed): no sales until a new one is armed. */
  | "TriggerNotArmed";

/** The product terms the checks read (a `Product`, or the Lens's `SaleTerms`). */
export type CoverTerms = {
  /** `ProductKind` by ordinal: 0 discretionary, 1 parametric. */
  kind: bigint | number;
  /** The registered trigger; the zero address when none is armed. */
  trigger: string;
  active: boolean;
  openIncidents: bigint;
  minPeriod: bigint;
  maxPeriod: bigint;
  maxCoverPerPolicy: bigint;
};

/** Cover that `buyCover` would refuse (or sell worthless): the reason, and the values that decided it. */
export class CoverUnavailable extends ParapetError {
  readonly reason: CoverUnavailableReason;
  readonly productId: bigint;
  /** The offending values: `{ period, minPeriod, maxPeriod }`, `{ amount, maxCoverPerPolicy }`, `{ openIncidents }`, ... */
  readonly details: Readonly<Record<string, bigint | string>>;

  constructor(reason: CoverUnavailableReason, productId: bigint, details: Record<string, bigint | string>, message: string) {
    super(`no cover on product ${productId}: ${message}`, "CoverUnavailable");
    this.reason = reason;
    this.productId = productId;
    this.details = details;
  }
}

/**
 * Throws {@link CoverUnavailable} unless `buyCover` would sell this cover on the product's terms. `perPolicy` is the
 * amount of the largest single policy (the whole amount from one vault; each leg of a split is its own policy).
 */
export function checkCoverTerms(
  productId: bigint,
  terms: CoverTerms,
  order: { period: bigint; perPolicy?: bigint },
  triggerFired = false,
): void {
  if (!terms.active) throw new CoverUnavailable("ProductInactive", productId, {}, "the product is closed for sale");
  if (terms.openIncidents !== 0n) {
    throw new CoverUnavailable(
      "IncidentPending",
      productId,
      { openIncidents: terms.openIncidents },
      `${terms.openIncidents} incident(s) on the product are being decided; sales resume when they settle`,
    );
  }
  const { period } = order;
  if (period < terms.minPeriod || period > terms.maxPeriod) {
    throw new CoverUnavailable(
      "PeriodOutOfRange",
      productId,
      { period, minPeriod: terms.minPeriod, maxPeriod: terms.maxPeriod },
      `a period of ${period} s is outside the product's ${terms.minPeriod} s to ${terms.maxPeriod} s`,
    );
  }
  if (order.perPolicy !== undefined && order.perPolicy > terms.maxCoverPerPolicy) {
    throw new CoverUnavailable(
      "AmountAboveMaxCoverPerPolicy",
      productId,
      { amount: order.perPolicy, maxCoverPerPolicy: terms.maxCoverPerPolicy },
      `${order.perPolicy} in one policy is above the product's cap of ${terms.maxCoverPerPolicy} per policy`,
    );
  }
  if (Number(terms.kind) === PARAMETRIC && /^0x0{40}$/.test(terms.trigger)) {
    throw new CoverUnavailable("TriggerNotArmed", productId, {}, "its trigger fired and no new one is armed yet");
  }
  if (triggerFired) {
    throw new CoverUnavailable("TriggerFired", productId, {}, "its parametric trigger already fired (one-shot): new cover could not pay");
  }
}
