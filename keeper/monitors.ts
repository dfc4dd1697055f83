/**
 * Exploit detection on covered protocols: monitors over the covered protocol's own on-chain state, evaluated on
 * every block the follower processes.
 *
 * - `balanceDrop`: the summed token balance of listed contracts falls more than X% below its peak over N blocks;
 * - `pausedEvent`: a `Paused`-style event from a listed contract;
 * - `priceBand`: a Chainlink-style feed's answer leaves a band.
 *
 * A monitor fires once (its alert is latched in the database) with the evidence: blocks, transactions, balances
 * before and after. The actions module then reports a bonded incident with that evidence, or only alerts.
 */
import { Contract, id as topicOf, type Block, type Provider } from "ethers";

import type { BalanceDropMonitor, EventMonitor, MonitorConfig, PriceBandMonitor } from "./config.js";
import type { KeeperStore } from "./store.js";

const ERC20 = ["function balanceOf(address) view returns (uint256)", "event Transfer(address indexed from, address indexed to, uint256 value)"];
const FEED = ["function latestRoundData() view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)"];
/** Transactions listed in one piece of evidence, at most (the evidence goes on chain). */
const MAX_EVIDENCE_TRANSACTIONS = 20;

/** What a monitor saw at one block: a sample to keep, and, when it fires, the evidence. */
export interface MonitorReading {
  monitor: MonitorConfig;
  sample?: bigint;
  evidence?: Evidence;
}

/** The evidence of a fired monitor, published inline with the report (`data:application/json,…`). */
export interface Evidence {
  monitor: string;
  kind: MonitorConfig["kind"];
  productId: string;
  /** Unix seconds: the first block that shows the incident. The report's `incidentTime`. */
  incidentTime: number;
  /** The block the incident was first visible in, and the block it was detected at. */
  incidentBlock: number;
  detectedBlock: number;
  transactions: string[];
  details: Record<string, unknown>;
}

export function evidenceURI(evidence: Evidence): string {
  return `data:application/json,${encodeURIComponent(JSON.stringify(evidence))}`;
}

export class Monitors {
  readonly #provider: Provider;
  readonly #store: KeeperStore;
  readonly #monitors: MonitorConfig[];

  constructor(provider: Provider, store: KeeperStore, monitors: MonitorConfig[]) {
    this.#provider = provider;
    this.#store = store;
    this.#monitors = monitors;
  }

  /** Reads every monitor at `block` (no writes: the caller stores the readings with the block, atomically). */
  async read(block: Block): Promise<MonitorReading[]> {
    const readings: MonitorReading[] = [];
    for (const monitor of this.#monitors) {
      // A fired monitor stays fired: one alert per monitor, whatever happens next.
      if (this.#store.alert(monitor.id) !== undefined) continue;
      switch (monitor.kind) {
        case "balanceDrop":
          readings.push(await this.#balanceDrop(monitor, block));
          break;
        case "pausedEvent":
          readings.push(await this.#pausedEvent(monitor, block));
          break;
        case "priceBand":
          readings.push(await this.#priceBand(monitor, block));
          break;
      }
    }
    return readings;
  }

  /** Stores the readings of `block` (inside the block's SQL transaction). */
  apply(readings: MonitorReading[], block: Block): void {
    for (const { monitor, sample, evidence } of readings) {
      if (sample !== undefined) {
        this.#store.addSample(monitor.id, block.number, sample);
        if (monitor.kind === "balanceDrop") this.#store.pruneSamples(monitor.id, block.number - monitor.windowBlocks);
      }
      if (evidence !== undefined) {
        this.#store.addAlert({
          monitor: monitor.id,
          productId: monitor.productId,
          block: block.number,
          action: monitor.action,
          status: monitor.action === "report" ? "pending" : "alerted",
          evidence: JSON.stringify(evidence),
        });
      }
    }
  }

  async #balances(monitor: BalanceDropMonitor, blockTag: number): Promise<bigint[]> {
    const token = new Contract(monitor.token, ERC20, this.#provider);
    return Promise.all(monitor.contracts.map((account) => token.getFunction("balanceOf").staticCall(account, { blockTag }) as Promise<bigint>));
  }

  async #balanceDrop(monitor: BalanceDropMonitor, block: Block): Promise<MonitorReading> {
    const balances = await this.#balances(monitor, block.number);
    const total = balances.reduce((sum, value) => sum + value, 0n);
    const window = [...this.#store.samples(monitor.id, block.number - monitor.windowBlocks), { block: block.number, value: total }];
    let peak = window[0]!;
    for (const sample of window) if (sample.value > peak.value) peak = sample;
    // Fires when total < peak × (1 − drop): integer math, no rounding in the keeper's favour.
    if (peak.value === 0n || total * 10_000n >= peak.value * (10_000n - monitor.dropBps)) return { monitor, sample: total };

    // The incident starts at the first block after the peak whose balance is below it.
    const first = window.find((sample) => sample.block > peak.block && sample.value < peak.value) ?? { block: block.number };
    const firstBlock = first.block === block.number ? block : await this.#provider.getBlock(first.block);
    const before = await this.#balances(monitor, peak.block);
    const token = new Contract(monitor.token, ERC20, this.#provider);
    const transfers = await this.#provider.getLogs({
      address: monitor.token,
      fromBlock: peak.block + 1,
      toBlock: block.number,
      topics: [token.interface.getEvent("Transfer")!.topicHash, monitor.contracts.map((account) => `0x${account.slice(2).toLowerCase().padStart(64, "0")}`)],
    });
    return {
      monitor,
      sample: total,
      evidence: {
        monitor: monitor.id,
        kind: monitor.kind,
        productId: monitor.productId.toString(),
        incidentTime: firstBlock?.timestamp ?? block.timestamp,
        incidentBlock: first.block,
        detectedBlock: block.number,
        transactions: [...new Set(transfers.map((log) => log.transactionHash))].slice(0, MAX_EVIDENCE_TRANSACTIONS),
        details: {
          token: monitor.token,
          contracts: monitor.contracts,
          peakBlock: peak.block,
          balancesBefore: before.map(String),
          balancesAfter: balances.map(String),
          totalBefore: peak.value.toString(),
          totalAfter: total.toString(),
          dropBps: (((peak.value - total) * 10_000n) / peak.value).toString(),
          thresholdBps: monitor.dropBps.toString(),
          windowBlocks: monitor.windowBlocks,
        },
      },
    };
  }

  async #pausedEvent(monitor: EventMonitor, block: Block): Promise<MonitorReading> {
    const logs = await this.#provider.getLogs({ blockHash: block.hash!, address: monitor.contracts, topics: [topicOf(monitor.event)] });
    if (logs.length === 0) return { monitor };
    return {
      monitor,
      evidence: {
        monitor: monitor.id,
        kind: monitor.kind,
        productId: monitor.productId.toString(),
        incidentTime: block.timestamp,
        incidentBlock: block.number,
        detectedBlock: block.number,
        transactions: [...new Set(logs.map((log) => log.transactionHash))].slice(0, MAX_EVIDENCE_TRANSACTIONS),
        details: { event: monitor.event, contracts: [...new Set(logs.map((log) => log.address))] },
      },
    };
  }

  async #priceBand(monitor: PriceBandMonitor, block: Block): Promise<MonitorReading> {
    const feed = new Contract(monitor.feed, FEED, this.#provider);
    const [roundId, answer, , updatedAt] = (await feed.getFunction("latestRoundData").staticCall({ blockTag: block.number })) as [bigint, bigint, bigint, bigint];
    if (answer >= monitor.min && answer <= monitor.max) return { monitor, sample: answer };
    return {
      monitor,
      sample: answer,
      evidence: {
        monitor: monitor.id,
        kind: monitor.kind,
        productId: monitor.productId.toString(),
        // The feed's own timestamp, when it is older than the block: the price left the band then.
        incidentTime: Math.min(Number(updatedAt), block.timestamp),
        incidentBlock: block.number,
        detectedBlock: block.number,
        transactions: [],
        details: {
          feed: monitor.feed,
          roundId: roundId.toString(),
          answer: answer.toString(),
          decimals: monitor.decimals,
          band: [monitor.min.toString(), monitor.max.toString()],
        },
      },
    };
  }
}
