/**
 * Where a transaction's gas goes, from the node's `debug_traceTransaction` step log: gas per contract (its own opcodes,
 * calls it makes excluded), per opcode class (cold and warm storage reads, storage writes, calls, logs, the rest), and
 * the intrinsic cost (21,000 plus calldata). `GAS_TRACE=1 npm run bench:gas` prints it for each call with a target.
 */
import { table } from "./format.js";

interface Step {
  pc: number;
  op: string;
  gas: number;
  gasCost: number;
  depth: number;
  stack?: string[];
}

interface EthereumProvider {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

const CALLS = new Set(["CALL", "STATICCALL", "DELEGATECALL", "CALLCODE", "CREATE", "CREATE2"]);

/** The opcode's class for the summary: storage and calls apart, the rest as computation. */
function classOf(op: string, cost: number): string {
  if (op === "SLOAD") return cost >= 2_100 ? "SLOAD cold" : "SLOAD warm";
  if (op === "SSTORE") return cost >= 20_000 ? "SSTORE new slot" : cost >= 2_900 ? "SSTORE update" : "SSTORE warm";
  if (op === "TLOAD" || op === "TSTORE") return "transient";
  if (CALLS.has(op)) return "call overhead";
  if (op.startsWith("LOG")) return "events";
  if (op === "BALANCE" || op === "EXTCODESIZE" || op === "EXTCODEHASH") return "account reads";
  return "computation";
}

export interface GasTrace {
  gasUsed: bigint;
  /** 21,000, calldata and access list, less the storage refunds. */
  intrinsic: number;
  byContract: Map<string, number>;
  byClass: Map<string, { gas: number; count: number }>;
  /** Every storage access that cost more than a warm read: contract, opcode, slot, gas. */
  storage: [string, string, string, number][];
}

/** A slot as its head and tail: the fields of one struct sit at consecutive slots, which differ only at the end. */
function abbreviatedSlot(slot: string): string {
  return slot.length <= 20 ? slot : `${slot.slice(0, 10)}…${slot.slice(-6)}`;
}

/** Traces `hash` and attributes every unit of execution gas to the contract whose code ran and to an opcode class. */
export async function traceGas(provider: EthereumProvider, hash: string, to: string, names: Map<string, string>): Promise<GasTrace> {
  const receipt = (await provider.request({ method: "eth_getTransactionReceipt", params: [hash] })) as { gasUsed: string };
  const trace = (await provider.request({
    method: "debug_traceTransaction",
    params: [hash, { disableMemory: true, disableStorage: true }],
  })) as { gas: number; structLogs: Step[] };
  const steps = trace.structLogs;
  const byContract = new Map<string, number>();
  const byClass = new Map<string, { gas: number; count: number }>();
  const add = (contract: string, kind: string, gas: number) => {
    byContract.set(contract, (byContract.get(contract) ?? 0) + gas);
    const entry = byClass.get(kind) ?? { gas: 0, count: 0 };
    entry.gas += gas;
    entry.count += 1;
    byClass.set(kind, entry);
  };
  const storage: [string, string, string, number][] = [];
  const label = (address: string) => names.get(address.toLowerCase()) ?? address.slice(0, 10);
  const frames: string[] = [label(to)];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const contract = frames[step.depth - 1] ?? "?";
    const next = steps[i + 1];
    if (CALLS.has(step.op) && next !== undefined && next.depth > step.depth) {
      // The call's own cost: the gas spent across it, less what the callee consumed (its first step's gas minus the
      // gas left at its last step).
      let j = i + 1;
      while (j < steps.length && steps[j]!.depth > step.depth) j++;
      const after = steps[j];
      let last = j - 1;
      while (steps[last]!.depth !== step.depth + 1) last--;
      const calleeUsed = next.gas - steps[last]!.gas + steps[last]!.gasCost;
      const inclusive = after === undefined ? step.gasCost : step.gas - after.gas;
      add(contract, classOf(step.op, 0), inclusive - calleeUsed);
      const stack = step.stack ?? [];
      const target = step.op.startsWith("CREATE") ? "created" : `0x${BigInt(stack[stack.length - 2] ?? "0").toString(16).padStart(40, "0")}`;
      frames[step.depth] = step.op === "DELEGATECALL" ? `${label(target)} (in ${contract})` : label(target);
      continue;
    }
    const cost = next !== undefined && next.depth === step.depth ? step.gas - next.gas : step.gasCost;
    add(contract, classOf(step.op, cost), cost);
    if ((step.op === "SLOAD" || step.op === "SSTORE") && cost > 100) {
      const stack = step.stack ?? [];
      storage.push([contract, step.op, abbreviatedSlot(stack[stack.length - 1] ?? "?"), cost]);
    }
  }
  const gasUsed = BigInt(receipt.gasUsed);
  const execution = [...byContract.values()].reduce((sum, gas) => sum + gas, 0);
  return { gasUsed, intrinsic: Number(gasUsed) - execution, byContract, byClass, storage };
}

/** The trace as two small tables. */
export function formatTrace(title: string, trace: GasTrace): string {
  const byContract = [...trace.byContract.entries()].sort((a, b) => b[1] - a[1]).map(([name, gas]) => [name, gas.toLocaleString("en-US")]);
  const byClass = [...trace.byClass.entries()]
    .sort((a, b) => b[1].gas - a[1].gas)
    .map(([kind, { gas, count }]) => [kind, count.toLocaleString("en-US"), gas.toLocaleString("en-US")]);
  return [
    `\n${title}: ${trace.gasUsed.toLocaleString("en-US")} gas (intrinsic and refunds ${trace.intrinsic.toLocaleString("en-US")})`,
    table(["code that ran", "gas"], byContract),
    table(["opcode class", "count", "gas"], byClass),
    ...(process.env.GAS_TRACE === "storage" ? [table(["contract", "op", "slot", "gas"], trace.storage.map(([contract, op, slot, gas]) => [contract, op, slot, String(gas)]))] : []),
  ].join("\n");
}
