// Solidity twin: none of its own. It plans a split purchase, one `CoverManager.buyCover` per leg (atomically through
// `multicall`), each leg priced by contracts/libraries/PremiumMath.sol through `premiumUp`, so that every leg's premium
// is exactly what its vault charges as long as the vault's state is the one given.

import { InsufficientCapacity } from "./contractErrors.js";
import { InvalidArgument, ParapetError } from "./errors.js";
import { requireUint } from "./mathLib.js";
import { premiumUp, WAD, wadMulDown, type RateCurve } from "./premiumMath.js";

/** A vault able to sell the cover, as it stands now for the product. */
export type RouteVault = {
  /** The vault's address; each vault may appear once. */
  vault: string;
  /** The vault's curve for the product (`vault.rateCurveOf(productId)`). */
  curve: RateCurve;
  /** Its capacity for the product (`vault.capacityOf(productId)`). */
  capacity: bigint;
  /** Cover already sold against that capacity (`vault.exposureOf(productId)`). */
  exposure: bigint;
  /**
   * The product's rate floor (`minRateWad`). A vault whose base rate is below it cannot sell (the chain reverts
   * `RateBelowProductFloor`), so the router leaves it out.
   */
  minRateWad?: bigint;
};

/** What to buy. */
export type RouteRequest = {
  /** Cover wanted, in the asset's smallest unit; positive, and a multiple of `step`. */
  amount: bigint;
  /** Cover duration in seconds. */
  period: bigint;
  /** The vaults that may take a part. */
  vaults: readonly RouteVault[];
  /**
   * Granularity of the legs, in the asset's smallest unit (default `1n`). Every leg is a whole multiple of `step`, e.g.
   * `10n ** 6n` for legs in whole units of a 6-decimal asset; `amount` must then be a multiple of it too, and a vault's
   * free capacity counts in whole steps only. The split is the cheapest of all splits in multiples of `step`.
   */
  step?: bigint;
  /** The product's `maxCoverPerPolicy`: each leg is one policy and may not exceed it. No limit when omitted. */
  maxCoverPerPolicy?: bigint;
  /**
   * The smallest leg the split may contain (rounded up to a multiple of `step`, and never above `amount`): no policy
   * smaller than this is created, since each costs its buyer the gas of a purchase. Vaults that cannot take that much
   * are left out. Default `step` (no minimum beyond the grid); `ParapetClient` passes {@link defaultMinLeg}: one whole
   * asset unit and 5% of the order.
   */
  minLeg?: bigint;
};

/** No route exists whose every leg reaches the minimum (the vaults' free capacity is too fragmented). */
export class NoRouteWithoutDust extends ParapetError {
  readonly amount: bigint;
  readonly minLeg: bigint;

  constructor(amount: bigint, minLeg: bigint) {
    super(`no split of ${amount} across the vaults has every leg at or above ${minLeg}`, "NoRouteWithoutDust");
    this.amount = amount;
    this.minLeg = minLeg;
  }
}

/** Share of an order, in basis points, below which the client's router opens no leg (5%). */
export const DEFAULT_MIN_LEG_BPS = 500n;

/**
 * The client's minimum leg for an order: the larger of one whole asset unit and `shareBps` (default 5%) of the order,
 * rounded up, and never more than the order itself (a one-leg route is always allowed).
 */
export function defaultMinLeg(amount: bigint, decimals: number, shareBps: bigint = DEFAULT_MIN_LEG_BPS): bigint {
  const unit = 10n ** BigInt(decimals);
  const share = (amount * shareBps + 9_999n) / 10_000n;
  const minimum = share > unit ? share : unit;
  return minimum < amount ? minimum : amount;
}

/** One purchase of the split. */
export type RouteLeg = {
  /** Vault to buy from. */
  vault: string;
  /** Cover bought from it. */
  amount: bigint;
  /** Its premium, exactly `premiumUp(curve, capacity, exposure, amount, period)`: what the vault charges. */
  premium: bigint;
};

/** The cheapest split found. */
export type Route = {
  /** One leg per vault used, in the order the vaults were given; their amounts add up to the request's. */
  legs: RouteLeg[];
  /** Sum of the legs' premiums (protocol fee and commission come on top, per leg). */
  totalPremium: bigint;
};

/**
 * Splits a cover purchase across vaults at the lowest total premium.
 *
 * A vault's premium is the integral of its rate curve over the capacity the purchase consumes, and the rate never
 * falls as utilisation rises, so each vault's cost is convex in the amount it takes: every further step of cover
 * costs at least as much as the one before. The cheapest split therefore equalises marginal costs ("water-filling"):
 * the router finds, by binary search, the lowest cost level at which the vaults can take the whole amount, gives each
 * vault every step of cover priced below that level, and shares the steps priced exactly at it (ties, e.g. two flat
 * curves), filling vaults already used first, then the roomiest, so that the split has as few legs as it can. The
 * search is exact: levels are rationals over a common denominator of every vault's marginal costs.
 *
 * So, before `premiumUp` rounds each leg up, the split is optimal among all splits in multiples of `step`. Each
 * leg's premium lies less than 2 units above its exact integral, so the total exceeds the best possible by less than
 * 2 units per leg.
 *
 * @param request - The amount, period, candidate vaults and options.
 * @returns The legs and their total premium. A single vault that can take the whole amount gets it in one leg.
 * @throws {@link InsufficientCapacity} with the amount asked for and the vaults' total free capacity (in whole
 * steps, and within `maxCoverPerPolicy` per vault), if the vaults cannot take it all.
 * @throws {@link InvalidArgument} for a zero amount or step, an amount that is not a multiple of the step, a vault
 * listed twice, or a curve the chain would refuse (`baseRateWad > maxRateWad` or `kinkWad > 1e18`).
 * @throws {@link ValueOutOfRange} if a number does not fit its Solidity type.
 */
export function routeCover(request: RouteRequest): Route {
  const { amount, period } = request;
  const step = request.step ?? 1n;
  requireUint(amount, 256, "amount");
  requireUint(period, 256, "period");
  requireUint(step, 256, "step");
  if (amount === 0n) throw new InvalidArgument("amount", "must be positive");
  if (step === 0n) throw new InvalidArgument("step", "must be positive");
  if (amount % step !== 0n) throw new InvalidArgument("amount", `must be a multiple of the step, ${step}`);
  if (request.maxCoverPerPolicy !== undefined) requireUint(request.maxCoverPerPolicy, 256, "maxCoverPerPolicy");

  if (request.minLeg !== undefined) requireUint(request.minLeg, 256, "minLeg");
  // The minimum leg in whole steps: at least one, at most the whole order.
  const count = amount / step;
  let minSteps = request.minLeg === undefined ? 1n : (request.minLeg + step - 1n) / step;
  if (minSteps < 1n) minSteps = 1n;
  if (minSteps > count) minSteps = count;

  const candidates = eligibleVaults(request.vaults, request.maxCoverPerPolicy, step).filter((c) => c.steps >= minSteps);
  const totalAvailable = candidates.reduce((sum, candidate) => sum + candidate.steps * step, 0n);
  if (amount > totalAvailable) throw new InsufficientCapacity(amount, totalAvailable);

  const allocation = allocateWithoutDust(candidates, count, minSteps, step);
  const legs: RouteLeg[] = [];
  candidates.forEach((candidate, i) => {
    const legAmount = allocation[i]! * step;
    if (legAmount === 0n) return;
    const { vault, curve, capacity, exposure } = candidate.source;
    legs.push({ vault, amount: legAmount, premium: premiumUp(curve, capacity, exposure, legAmount, period) });
  });
  return { legs, totalPremium: legs.reduce((sum, leg) => sum + leg.premium, 0n) };
}

/**
 * The water-filling split with no leg below `minSteps`: while a leg is below it, its vault leaves the split and the
 * others take its share; when they cannot hold it, that vault is pinned at the least it must take (at least the
 * minimum) and the others share the rest. Each round removes a vault from the free set, so it ends.
 */
function allocateWithoutDust(candidates: Candidate[], count: bigint, minSteps: bigint, step: bigint): bigint[] {
  const pinned = new Map<number, bigint>();
  let free = candidates.map((_, i) => i);
  const sum = (values: Iterable<bigint>) => [...values].reduce((total, value) => total + value, 0n);
  for (;;) {
    const allocation = candidates.map((_, i) => pinned.get(i) ?? 0n);
    const rest = count - sum(pinned.values());
    if (rest > 0n && rest < minSteps) {
      // Too little left for a leg of its own: it joins a pinned leg with room, or no dust-free split exists.
      const host = [...pinned.keys()].find((i) => candidates[i]!.steps - allocation[i]! >= rest);
      if (host === undefined) throw new NoRouteWithoutDust(count * step, minSteps * step);
      allocation[host] = allocation[host]! + rest;
      return allocation;
    }
    if (rest > 0n) {
      const pool = free.map((i) => candidates[i]!);
      const filled = pool.length === 1 ? [rest] : waterFill(pool, rest, step);
      free.forEach((i, k) => (allocation[i] = filled[k]!));
    }
    let smallest = -1;
    for (const i of free) {
      const legSteps = allocation[i]!;
      if (legSteps > 0n && legSteps < minSteps && (smallest === -1 || legSteps < allocation[smallest]!)) smallest = i;
    }
    if (smallest === -1) return allocation;
    free = free.filter((i) => i !== smallest);
    const othersHold = sum(free.map((i) => candidates[i]!.steps));
    if (othersHold < rest) {
      const needed = rest - othersHold;
      pinned.set(smallest, needed > minSteps ? needed : minSteps);
    }
  }
}

/** A vault that can take part, with what the marginal-cost arithmetic needs. */
type Candidate = {
  source: RouteVault;
  /** Whole steps of free capacity (capped by `maxCoverPerPolicy`); positive. */
  steps: bigint;
  /** The kink in units of the asset, floored as `PremiumMath` places it. */
  kink: bigint;
  /** `capacity - kink`: the width over which the rate rises. */
  width: bigint;
  /** `maxRateWad - baseRateWad`. */
  spread: bigint;
};

function eligibleVaults(
  vaults: readonly RouteVault[],
  maxCoverPerPolicy: bigint | undefined,
  step: bigint
): Candidate[] {
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  vaults.forEach((source, i) => {
    const { curve, capacity, exposure, minRateWad } = source;
    const key = source.vault.toLowerCase();
    if (seen.has(key)) throw new InvalidArgument(`vaults[${i}].vault`, `${source.vault} is listed twice`);
    seen.add(key);
    requireUint(curve.baseRateWad, 64, `vaults[${i}].curve.baseRateWad`);
    requireUint(curve.kinkWad, 64, `vaults[${i}].curve.kinkWad`);
    requireUint(curve.maxRateWad, 64, `vaults[${i}].curve.maxRateWad`);
    requireUint(capacity, 256, `vaults[${i}].capacity`);
    requireUint(exposure, 256, `vaults[${i}].exposure`);
    if (minRateWad !== undefined) requireUint(minRateWad, 256, `vaults[${i}].minRateWad`);
    if (curve.baseRateWad > curve.maxRateWad || curve.kinkWad > WAD) {
      throw new InvalidArgument(`vaults[${i}].curve`, "needs baseRateWad <= maxRateWad and kinkWad <= 1e18");
    }
    if (minRateWad !== undefined && curve.baseRateWad < minRateWad) return;
    let available = capacity > exposure ? capacity - exposure : 0n;
    if (maxCoverPerPolicy !== undefined && available > maxCoverPerPolicy) available = maxCoverPerPolicy;
    const steps = available / step;
    if (steps === 0n) return;
    const kink = wadMulDown(capacity, curve.kinkWad);
    candidates.push({ source, steps, kink, width: capacity - kink, spread: curve.maxRateWad - curve.baseRateWad });
  });
  return candidates;
}

/**
 * The exact water-filling split of `count` steps of `step` units. Step k of a vault covers `[E + (k-1) step,
 * E + k step]` and costs the curve's integral over it: `base * step` below the kink, more above it, non-decreasing in
 * k. With `scale` a common multiple of every `2 width`, each step's cost times `scale` is an integer, so the binary
 * search over integer levels finds the exact lowest level `L` at which the vaults hold `count` steps costing at most
 * `L / scale`.
 */
function waterFill(candidates: Candidate[], count: bigint, step: bigint): bigint[] {
  let scale = 1n;
  for (const candidate of candidates) {
    if (candidate.spread !== 0n && candidate.width !== 0n) scale = lcm(scale, 2n * candidate.width);
  }
  const stepsAt = (level: bigint) => candidates.map((candidate) => stepsAtOrBelow(candidate, level, scale, step));
  const total = (steps: bigint[]) => steps.reduce((sum, value) => sum + value, 0n);

  // Invariant: the vaults hold fewer than `count` steps costing at most `low`, and at least `count` at most `high`.
  // A step costs at most its curve's max rate over it, so the highest max rate times `step` bounds them all.
  let low = -1n;
  let high = 0n;
  for (const { source } of candidates) if (source.curve.maxRateWad > high) high = source.curve.maxRateWad;
  high *= step * scale;
  while (high - low > 1n) {
    const middle = (low + high) / 2n;
    if (total(stepsAt(middle)) >= count) high = middle;
    else low = middle;
  }

  const allocation = stepsAt(high - 1n);
  const atLevel = stepsAt(high).map((steps, i) => steps - allocation[i]!);
  let remaining = count - total(allocation);
  // Steps costing exactly the level cost the same anywhere: fill vaults already used, then the roomiest, to keep the
  // number of legs (each a purchase, and up to 2 units of rounding) low.
  const order = candidates
    .map((_, i) => i)
    .sort((a, b) => {
      const usedA = allocation[a]! > 0n ? 0 : 1;
      const usedB = allocation[b]! > 0n ? 0 : 1;
      if (usedA !== usedB) return usedA - usedB;
      if (atLevel[a] !== atLevel[b]) return atLevel[a]! > atLevel[b]! ? -1 : 1;
      return a - b;
    });
  for (const i of order) {
    if (remaining === 0n) break;
    const take = atLevel[i]! < remaining ? atLevel[i]! : remaining;
    allocation[i] = allocation[i]! + take;
    remaining -= take;
  }
  return allocation;
}

/**
 * How many of `candidate`'s steps cost at most `level / scale` (steps get dearer, so they are the first ones).
 *
 * Step k spans `[x - step, x]` with `x = E + k step`. Below the kink K it costs `base * step`; wholly above it,
 * `base * step + spread * (step^2 + 2 step (x - step - K)) / (2 width)`, linear in k, so the last affordable one has a
 * closed form; at most one step straddles K and is priced on its own.
 */
function stepsAtOrBelow(candidate: Candidate, level: bigint, scale: bigint, step: bigint): bigint {
  const { source, kink, width, spread, steps } = candidate;
  const base = source.curve.baseRateWad;
  // `level / scale - base * step`, times `2 width * scale`: what the slope part of a step may cost, scaled.
  const slack = level - base * step * scale;
  if (slack < 0n) return 0n;
  if (spread === 0n || width === 0n) return steps;
  const exposure = source.exposure;
  const belowKink = kink > exposure ? (kink - exposure) / step : 0n;
  if (belowKink >= steps) return steps;
  let firstAbove = belowKink + 1n;
  if (exposure + belowKink * step < kink) {
    // Step belowKink + 1 straddles the kink: only its part above K, (x - K)^2 spread / (2 width), rises.
    const over = exposure + firstAbove * step - kink;
    if (spread * over * over * scale > slack * 2n * width) return belowKink;
    firstAbove += 1n;
  }
  if (firstAbove > steps) return steps;
  // Step k >= firstAbove is affordable iff spread (step^2 + 2 step (E + (k-1) step - K)) scale <= 2 width slack, i.e.
  // 2 step^2 (k - 1) <= 2 width slack / (spread scale) - step^2 - 2 step (E - K).
  const budget = (2n * width * slack) / (spread * scale) - step * step - 2n * step * (exposure - kink);
  const last = floorDiv(budget, 2n * step * step) + 1n;
  return last < firstAbove - 1n ? firstAbove - 1n : last > steps ? steps : last;
}

function floorDiv(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  return quotient * denominator > numerator ? quotient - 1n : quotient;
}

function lcm(a: bigint, b: bigint): bigint {
  let [x, y] = [a, b];
  while (y !== 0n) [x, y] = [y, x % y];
  return (a / x) * b;
}
