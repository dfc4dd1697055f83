/**
 * Structured logs: one JSON object per line on stdout (`ts`, `level`, `msg`, then the fields), so that an operator's
 * log pipeline (Loki, CloudWatch, `jq`) can filter by action, block or transaction. Bigints are written as strings.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

function replacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

/** A JSON-lines logger writing at `level` and above to `write` (stdout by default). */
export function jsonLogger(level: LogLevel = "info", write: (line: string) => void = (line) => process.stdout.write(line)): Logger {
  const emit = (at: LogLevel, msg: string, fields: LogFields = {}) => {
    if (ORDER[at] < ORDER[level]) return;
    write(`${JSON.stringify({ ts: new Date().toISOString(), level: at, msg, ...fields }, replacer)}\n`);
  };
  return {
    debug: (msg, fields) => emit("debug", msg, fields),
    info: (msg, fields) => emit("info", msg, fields),
    warn: (msg, fields) => emit("warn", msg, fields),
    error: (msg, fields) => emit("error", msg, fields),
  };
}

/** A short description of any thrown value: the SDK's typed error name and message, or the message. */
export function describeError(error: unknown): { error: string; message: string } {
  if (error instanceof Error) {
    const name = error.constructor.name !== "Error" ? error.constructor.name : error.name;
    return { error: name, message: error.message.split("\n")[0]!.slice(0, 300) };
  }
  return { error: "unknown", message: String(error).slice(0, 300) };
}
