export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

/** A structured logger: one JSON object per line on stdout (stderr for errors). */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Creates a logger that drops lines below `level`. */
export function createLogger(level: LogLevel = "info", base: Record<string, unknown> = {}): Logger {
  const write = (
    lineLevel: Exclude<LogLevel, "silent">,
    message: string,
    fields?: Record<string, unknown>,
  ) => {
    if (RANK[lineLevel] < RANK[level]) return;
    const line = JSON.stringify({
      time: new Date().toISOString(),
      level: lineLevel,
      message,
      ...base,
      ...fields,
    });
    (lineLevel === "error" ? process.stderr : process.stdout).write(`${line}\n`);
  };
  return {
    debug: (m, f) => write("debug", m, f),
    info: (m, f) => write("info", m, f),
    warn: (m, f) => write("warn", m, f),
    error: (m, f) => write("error", m, f),
    child: (fields) => createLogger(level, { ...base, ...fields }),
  };
}
