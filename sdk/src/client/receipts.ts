/**
 * Reading a mined transaction's events: what an action really did (the ids it created, what it paid, what a vault's
 * circuit breaker queued), which may differ from what a simulation returned on a busy chain.
 *
 * @packageDocumentation
 */
import type { ContractTransactionReceipt, Interface, LogDescription } from "ethers";

import { ParapetError } from "../core/index.js";
import { INTERFACES } from "./contracts.js";

/** Events named `name` that the contract at `address` emitted in the receipt. */
export function eventsOf(receipt: ContractTransactionReceipt, iface: Interface, address: string, name: string): LogDescription[] {
  const events: LogDescription[] = [];
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== address.toLowerCase()) continue;
    let parsed: LogDescription | null = null;
    try {
      parsed = iface.parseLog(log);
    } catch {
      continue;
    }
    if (parsed?.name === name) events.push(parsed);
  }
  return events;
}

/** The first event named `name` of the contract at `address`; throws if the transaction emitted none. */
export function firstEvent(receipt: ContractTransactionReceipt, iface: Interface, address: string, name: string): LogDescription {
  const event = eventsOf(receipt, iface, address, name)[0];
  if (event === undefined) throw new ParapetError(`the transaction ${receipt.hash} emitted no ${name} event`);
  return event;
}

/** What part of a payout did not reach its receiver in the transaction that decided it. */
export type PayoutDelivery = {
  /** The vaults that booked a payout to the receiver in this transaction (`ClaimPaid`). */
  vaults: string[];
  /** Queued by a vault's circuit breaker for this receiver (`OutflowQueued`): paid later by `processOutflowQueue`. */
  queued: bigint;
  /** The queue entries holding it, per vault. */
  queueEntries: Array<{ vault: string; queueId: bigint; amount: bigint }>;
  /** Refused by the token and parked for the receiver (`PayoutParked`): `withdrawParkedPayout` releases it. */
  parked: bigint;
};

/**
 * How the payouts to `receiver` in a transaction were delivered: a claim or incident payout is booked in full, but a
 * vault pays at once only what its circuit breaker allows and queues the rest, and parks what the token refuses. The
 * payout a `ClaimSettled` / `IncidentPayoutClaimed` event reports is therefore not what reached the receiver; this is.
 */
export function payoutDelivery(receipt: ContractTransactionReceipt, receiver: string): PayoutDelivery {
  const vaults = new Set<string>();
  const queueEntries: PayoutDelivery["queueEntries"] = [];
  let parked = 0n;
  const to = receiver.toLowerCase();
  for (const log of receipt.logs) {
    let parsed: LogDescription | null = null;
    try {
      parsed = INTERFACES.vault.parseLog(log);
    } catch {
      continue;
    }
    if (parsed === null || (parsed.args.receiver as string | undefined)?.toLowerCase() !== to) continue;
    if (parsed.name === "ClaimPaid") vaults.add(log.address);
    else if (parsed.name === "OutflowQueued") {
      queueEntries.push({ vault: log.address, queueId: parsed.args.queueId as bigint, amount: parsed.args.amount as bigint });
    } else if (parsed.name === "PayoutParked") parked += parsed.args.amount as bigint;
  }
  const queued = queueEntries.reduce((sum, entry) => sum + entry.amount, 0n);
  return { vaults: [...vaults], queued, queueEntries, parked };
}
