/**
 * A throw-away PostgreSQL server for the indexer's production-engine test: `initdb` in a temporary folder (as the
 * `postgres` user when run as root, which PostgreSQL refuses), listening on a free loopback port, trust auth.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export interface Postgres {
  url: string;
  stop(): Promise<void>;
}

/** The server binaries: `pg_config --bindir`, else Debian's versioned folder. */
function binDir(): string {
  try {
    return execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim();
  } catch {
    const root = "/usr/lib/postgresql";
    const version = existsSync(root) ? readdirSync(root).sort().pop() : undefined;
    if (version === undefined) throw new Error("PostgreSQL is not installed (apt-get install postgresql; .ci/run does)");
    return path.join(root, version, "bin");
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startPostgres(): Promise<Postgres> {
  const bin = binDir();
  const dir = mkdtempSync(path.join(tmpdir(), "parapet-postgres-"));
  chmodSync(dir, 0o755);
  const asRoot = process.getuid?.() === 0;
  const run = (command: string, args: string[]) => (asRoot ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args]) as [string, string[]];
  if (asRoot) {
    const postgres = execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim();
    chownSync(dir, Number(postgres), Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim()));
  }
  const data = path.join(dir, "data");
  const [initdb, initArgs] = run(path.join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth", "trust", "--no-sync", "-E", "UTF8"]);
  execFileSync(initdb, initArgs, { stdio: "pipe" });
  const port = await freePort();
  const [server, serverArgs] = run(path.join(bin, "postgres"), ["-D", data, "-p", String(port), "-k", dir, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"]);
  const child: ChildProcess = spawn(server, serverArgs, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const collect = (chunk: Buffer) => {
    if (output.length < 20_000) output += chunk.toString();
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 30_000;
  while (!output.includes("ready to accept connections")) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`PostgreSQL did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      process.removeListener("exit", killOnExit);
      if (child.exitCode === null) {
        // pg_ctl rather than a signal: as root the child is runuser, which need not pass a signal on.
        const [pgCtl, stopArgs] = run(path.join(bin, "pg_ctl"), ["stop", "-D", data, "-m", "immediate"]);
        execFileSync(pgCtl, stopArgs, { stdio: "pipe" });
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
