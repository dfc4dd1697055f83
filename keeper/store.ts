/**
 * The keeper's restart-safe state in an embedded SQLite database (Node 22's built-in `node:sqlite`, no native
 * package): the processed blocks (the cursor is the highest, with its hash for reorg detection), the work found in
 * events (claims, incidents, policies), every transaction the keeper signed (written before it is broadcast, so a
 * restart never signs an action twice), and the monitors' samples and alerts.
 *
 * Everything a block contributes is written in one SQL transaction with the block itself, so a `kill -9` leaves
 * either the whole block or none of it.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS blocks (number INTEGER PRIMARY KEY, hash TEXT NOT NULL, timestamp INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS claims (id TEXT PRIMARY KEY, policy_id TEXT NOT NULL, first_block INTEGER NOT NULL, done_block INTEGER);
CREATE TABLE IF NOT EXISTS incidents (id TEXT PRIMARY KEY, product_id TEXT NOT NULL, first_block INTEGER NOT NULL, done_block INTEGER);
CREATE TABLE IF NOT EXISTS policies (
  id TEXT PRIMARY KEY, product_id TEXT NOT NULL, vault TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
  first_block INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS payout_decisions (
  incident_id TEXT NOT NULL, policy_id TEXT NOT NULL, kind TEXT NOT NULL, reason TEXT NOT NULL, block INTEGER NOT NULL,
  PRIMARY KEY (incident_id, policy_id, kind));
CREATE TABLE IF NOT EXISTS actions (
  id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, kind TEXT NOT NULL, hash TEXT NOT NULL UNIQUE,
  nonce INTEGER NOT NULL, raw TEXT NOT NULL, status TEXT NOT NULL, block INTEGER, gas_used TEXT, sent_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS actions_by_key ON actions (key);
CREATE TABLE IF NOT EXISTS samples (monitor TEXT NOT NULL, block INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY (monitor, block));
CREATE TABLE IF NOT EXISTS alerts (
  monitor TEXT PRIMARY KEY, product_id TEXT NOT NULL, block INTEGER NOT NULL, action TEXT NOT NULL, status TEXT NOT NULL,
  evidence TEXT NOT NULL, incident_id TEXT);
`;

export type ActionStatus = "sent" | "mined" | "reverted" | "dropped";

export interface ActionRow {
  id: number;
  key: string;
  kind: string;
  hash: string;
  nonce: number;
  raw: string;
  status: ActionStatus;
  block: number | null;
}

export interface PolicyRow {
  id: bigint;
  productId: bigint;
  vault: string;
  start: bigint;
  end: bigint;
}

export interface AlertRow {
  monitor: string;
  productId: bigint;
  block: number;
  action: string;
  status: "pending" | "reported" | "alerted" | "superseded";
  evidence: string;
  incidentId: bigint | null;
}

export class StoreMismatch extends Error {}

type Row = Record<string, unknown>;

export class KeeperStore {
  readonly db: DatabaseSync;

  constructor(file: string) {
    if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new DatabaseSync(file);
    // WAL: a reader (an operator's sqlite3, the tests) never blocks the keeper; FULL sync: a committed block survives
    // a power cut, not only a kill -9.
    this.db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;");
    this.db.exec(SCHEMA);
  }

  close(): void {
    this.db.close();
  }

  /** Runs `body` in one SQL transaction: all of it is stored, or none. */
  atomically<T>(body: () => T): T {
    this.db.exec("BEGIN IMMEDIATE");
    try {
      const result = body();
      this.db.exec("COMMIT");
      return result;
    } catch (error) {
      this.db.exec("ROLLBACK");
      throw error;
    }
  }

  /**
   * Binds the database to one chain and deployment on first use, and refuses another later: a database reused
   * against a fresh chain would skip its blocks and trust transactions that never existed there.
   */
  bind(identity: Record<string, string>): void {
    for (const [key, value] of Object.entries(identity)) {
      const row = this.db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as Row | undefined;
      if (row === undefined) this.db.prepare("INSERT INTO meta (key, value) VALUES (?, ?)").run(key, value);
      else if (row.value !== value) {
        throw new StoreMismatch(`the keeper database belongs to ${key} ${String(row.value)}, not ${value}: use another --db file`);
      }
    }
  }

  // ------------------------------------------------------------------------------------------------ blocks

  /** The last processed block, if any. */
  cursor(): { number: number; hash: string; timestamp: number } | undefined {
    const row = this.db.prepare("SELECT number, hash, timestamp FROM blocks ORDER BY number DESC LIMIT 1").get() as Row | undefined;
    return row === undefined ? undefined : { number: Number(row.number), hash: String(row.hash), timestamp: Number(row.timestamp) };
  }

  blockHash(number: number): string | undefined {
    const row = this.db.prepare("SELECT hash FROM blocks WHERE number = ?").get(number) as Row | undefined;
    return row === undefined ? undefined : String(row.hash);
  }

  addBlock(number: number, hash: string, timestamp: number): void {
    this.db.prepare("INSERT INTO blocks (number, hash, timestamp) VALUES (?, ?, ?)").run(number, hash, timestamp);
  }

  /** Processed block numbers from `from` on (the tests check there is no gap). */
  blockNumbers(from = 0): number[] {
    return (this.db.prepare("SELECT number FROM blocks WHERE number >= ? ORDER BY number").all(from) as Row[]).map((row) => Number(row.number));
  }

  /**
   * Forgets everything learnt from blocks after `ancestor` (a reorganisation replaced them): their blocks, the work
   * their events created, their monitor samples and pending alerts; work they finished becomes open again, and
   * transactions mined in them are checked again.
   */
  rewindTo(ancestor: number): void {
    this.atomically(() => {
      for (const sql of [
        "DELETE FROM blocks WHERE number > ?",
        "DELETE FROM claims WHERE first_block > ?",
        "DELETE FROM incidents WHERE first_block > ?",
        "DELETE FROM policies WHERE first_block > ?",
        "DELETE FROM payout_decisions WHERE block > ?",
        "DELETE FROM samples WHERE block > ?",
        "DELETE FROM alerts WHERE block > ? AND status = 'pending'",
        "UPDATE claims SET done_block = NULL WHERE done_block > ?",
        "UPDATE incidents SET done_block = NULL WHERE done_block > ?",
        "UPDATE actions SET status = 'sent', block = NULL WHERE block > ?",
      ]) {
        this.db.prepare(sql).run(ancestor);
      }
    });
  }

  // ------------------------------------------------------------------------------------------------ work

  addClaim(id: bigint, policyId: bigint, block: number): void {
    this.db.prepare("INSERT OR IGNORE INTO claims (id, policy_id, first_block) VALUES (?, ?, ?)").run(String(id), String(policyId), block);
  }

  addIncident(id: bigint, productId: bigint, block: number): void {
    this.db.prepare("INSERT OR IGNORE INTO incidents (id, product_id, first_block) VALUES (?, ?, ?)").run(String(id), String(productId), block);
  }

  addPolicy(policy: PolicyRow, block: number): void {
    this.db
      .prepare("INSERT OR IGNORE INTO policies (id, product_id, vault, start, end, first_block) VALUES (?, ?, ?, ?, ?, ?)")
      .run(String(policy.id), String(policy.productId), policy.vault, Number(policy.start), Number(policy.end), block);
  }

  openClaims(): bigint[] {
    return (this.db.prepare("SELECT id FROM claims WHERE done_block IS NULL ORDER BY CAST(id AS INTEGER)").all() as Row[]).map((row) => BigInt(String(row.id)));
  }

  openIncidents(): bigint[] {
    return (this.db.prepare("SELECT id FROM incidents WHERE done_block IS NULL ORDER BY CAST(id AS INTEGER)").all() as Row[]).map((row) =>
      BigInt(String(row.id)),
    );
  }

  markClaimDone(id: bigint, block: number): void {
    this.db.prepare("UPDATE claims SET done_block = ? WHERE id = ?").run(block, String(id));
  }

  markIncidentDone(id: bigint, block: number): void {
    this.db.prepare("UPDATE incidents SET done_block = ? WHERE id = ?").run(block, String(id));
  }

  policiesOfProduct(productId: bigint): PolicyRow[] {
    return (this.db.prepare("SELECT * FROM policies WHERE product_id = ? ORDER BY CAST(id AS INTEGER)").all(String(productId)) as Row[]).map((row) => ({
      id: BigInt(String(row.id)),
      productId: BigInt(String(row.product_id)),
      vault: String(row.vault),
      start: BigInt(Number(row.start)),
      end: BigInt(Number(row.end)),
    }));
  }

  /** Records that a policy needs nothing more for an incident (`paid`, `ineligible`, `noTopUp`, ...). */
  decidePayout(incidentId: bigint, policyId: bigint, kind: string, reason: string, block: number): void {
    this.db
      .prepare("INSERT OR REPLACE INTO payout_decisions (incident_id, policy_id, kind, reason, block) VALUES (?, ?, ?, ?, ?)")
      .run(String(incidentId), String(policyId), kind, reason, block);
  }

  payoutDecided(incidentId: bigint, policyId: bigint, kind: string): boolean {
    return (
      this.db.prepare("SELECT 1 FROM payout_decisions WHERE incident_id = ? AND policy_id = ? AND kind = ?").get(String(incidentId), String(policyId), kind) !==
      undefined
    );
  }

  // ------------------------------------------------------------------------------------------------ actions

  /** Journals a signed transaction before it is broadcast. */
  recordSent(key: string, kind: string, hash: string, nonce: number, raw: string): void {
    this.db
      .prepare("INSERT INTO actions (key, kind, hash, nonce, raw, status, sent_at) VALUES (?, ?, ?, ?, ?, 'sent', ?)")
      .run(key, kind, hash, nonce, raw, new Date().toISOString());
  }

  recordOutcome(hash: string, status: ActionStatus, block: number | null, gasUsed?: bigint): void {
    this.db
      .prepare("UPDATE actions SET status = ?, block = ?, gas_used = ? WHERE hash = ?")
      .run(status, block, gasUsed === undefined ? null : String(gasUsed), hash);
  }

  unconfirmedActions(): ActionRow[] {
    return (this.db.prepare("SELECT * FROM actions WHERE status = 'sent' ORDER BY nonce").all() as Row[]).map(actionOf);
  }

  actionsFor(key: string): ActionRow[] {
    return (this.db.prepare("SELECT * FROM actions WHERE key = ? ORDER BY id").all(key) as Row[]).map(actionOf);
  }

  allActions(): ActionRow[] {
    return (this.db.prepare("SELECT * FROM actions ORDER BY id").all() as Row[]).map(actionOf);
  }

  // ------------------------------------------------------------------------------------------------ monitors

  addSample(monitor: string, block: number, value: bigint): void {
    this.db.prepare("INSERT OR REPLACE INTO samples (monitor, block, value) VALUES (?, ?, ?)").run(monitor, block, String(value));
  }

  /** The samples of `monitor` from block `from` on, oldest first. */
  samples(monitor: string, from: number): Array<{ block: number; value: bigint }> {
    return (this.db.prepare("SELECT block, value FROM samples WHERE monitor = ? AND block >= ? ORDER BY block").all(monitor, from) as Row[]).map(
      (row) => ({ block: Number(row.block), value: BigInt(String(row.value)) }),
    );
  }

  pruneSamples(monitor: string, before: number): void {
    this.db.prepare("DELETE FROM samples WHERE monitor = ? AND block < ?").run(monitor, before);
  }

  alert(monitor: string): AlertRow | undefined {
    const row = this.db.prepare("SELECT * FROM alerts WHERE monitor = ?").get(monitor) as Row | undefined;
    return row === undefined ? undefined : alertOf(row);
  }

  addAlert(alert: Omit<AlertRow, "incidentId">): void {
    this.db
      .prepare("INSERT INTO alerts (monitor, product_id, block, action, status, evidence) VALUES (?, ?, ?, ?, ?, ?)")
      .run(alert.monitor, String(alert.productId), alert.block, alert.action, alert.status, alert.evidence);
  }

  pendingAlerts(): AlertRow[] {
    return (this.db.prepare("SELECT * FROM alerts WHERE status = 'pending' ORDER BY block").all() as Row[]).map(alertOf);
  }

  allAlerts(): AlertRow[] {
    return (this.db.prepare("SELECT * FROM alerts ORDER BY block").all() as Row[]).map(alertOf);
  }

  settleAlert(monitor: string, status: AlertRow["status"], incidentId?: bigint): void {
    this.db.prepare("UPDATE alerts SET status = ?, incident_id = ? WHERE monitor = ?").run(status, incidentId === undefined ? null : String(incidentId), monitor);
  }
}

function actionOf(row: Row): ActionRow {
  return {
    id: Number(row.id),
    key: String(row.key),
    kind: String(row.kind),
    hash: String(row.hash),
    nonce: Number(row.nonce),
    raw: String(row.raw),
    status: row.status as ActionStatus,
    block: row.block === null ? null : Number(row.block),
  };
}

function alertOf(row: Row): AlertRow {
  return {
    monitor: String(row.monitor),
    productId: BigInt(String(row.product_id)),
    block: Number(row.block),
    action: String(row.action),
    status: row.status as AlertRow["status"],
    evidence: String(row.evidence),
    incidentId: typeof row.incident_id === "string" ? BigInt(row.incident_id) : null,
  };
}
