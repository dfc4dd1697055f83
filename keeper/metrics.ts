/**
 * `/metrics` in the Prometheus text format and `/health`, on a small `node:http` server. The keeper updates the
 * values; the server only renders them.
 */
import { createServer, type Server } from "node:http";

export interface HealthLimits {
  maxBlocksBehind: number;
  maxStaleSeconds: number;
}

type Labels = Record<string, string>;

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return "";
  return `{${entries.map(([key, value]) => `${key}="${value.replace(/["\\\n]/g, "_")}"`).join(",")}}`;
}

/** The keeper's metrics: gauges and counters with labels, rendered on demand. */
export class KeeperMetrics {
  readonly #gauges = new Map<string, { help: string; values: Map<string, number> }>();
  readonly #counters = new Map<string, { help: string; values: Map<string, number> }>();
  /** Unix seconds of the last completed pass over the head. */
  lastPassAt = 0;
  blocksBehind = Number.POSITIVE_INFINITY;

  gauge(name: string, help: string, value: number, labels: Labels = {}): void {
    const entry = this.#gauges.get(name) ?? { help, values: new Map<string, number>() };
    entry.values.set(labelText(labels), value);
    this.#gauges.set(name, entry);
  }

  increment(name: string, help: string, labels: Labels = {}, by = 1): void {
    const entry = this.#counters.get(name) ?? { help, values: new Map<string, number>() };
    const key = labelText(labels);
    entry.values.set(key, (entry.values.get(key) ?? 0) + by);
    this.#counters.set(name, entry);
  }

  render(): string {
    const lines: string[] = [];
    for (const [type, metrics] of [["gauge", this.#gauges], ["counter", this.#counters]] as const) {
      for (const [name, { help, values }] of metrics) {
        lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
        for (const [labels, value] of values) lines.push(`${name}${labels} ${value}`);
      }
    }
    return `${lines.join("\n")}\n`;
  }

  health(limits: HealthLimits, now = Date.now() / 1000): { ok: boolean; blocksBehind: number; secondsSinceLastPass: number } {
    const secondsSinceLastPass = this.lastPassAt === 0 ? Number.POSITIVE_INFINITY : now - this.lastPassAt;
    const ok = this.blocksBehind <= limits.maxBlocksBehind && secondsSinceLastPass <= limits.maxStaleSeconds;
    return { ok, blocksBehind: this.blocksBehind, secondsSinceLastPass };
  }
}

/** Serves `/metrics` and `/health` on `port` (0: any free port); resolves with the server and the port it got. */
export async function serveMetrics(
  metrics: KeeperMetrics,
  limits: HealthLimits,
  port: number,
  hostname = "127.0.0.1",
): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => {
    if (request.url === "/metrics") {
      response.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(metrics.render());
    } else if (request.url === "/health") {
      const health = metrics.health(limits);
      response
        .writeHead(health.ok ? 200 : 503, { "content-type": "application/json" })
        .end(JSON.stringify({ ...health, secondsSinceLastPass: Number.isFinite(health.secondsSinceLastPass) ? health.secondsSinceLastPass : null }));
    } else {
      response.writeHead(404).end("not found: /metrics, /health\n");
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, resolve);
  });
  const address = server.address();
  return { server, port: typeof address === "object" && address !== null ? address.port : port };
}
