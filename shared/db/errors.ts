/**
 * True when an error means the database cannot be reached right now (refused, reset, timed out, shut
 * down), as opposed to a query that is wrong. Such failures are answered 503 and may pass.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e.code === "string" ? e.code : "";
  if (
    [
      "ECONNREFUSED",
      "ECONNRESET",
      "ETIMEDOUT",
      "EPIPE",
      "ENOTFOUND",
      "EHOSTUNREACH",
      "57P01",
      "57P02",
      "57P03",
      // read_only_sql_transaction: the server reached is a standby, i.e. a failover is under way and the
      // pooler has not reached the new primary yet. Nothing was written; the request may be sent again.
      "25006",
    ].includes(code)
  )
    return true;
  // SQLSTATE class 08: connection exception.
  if (code.startsWith("08")) return true;
  const message = typeof e.message === "string" ? e.message : "";
  return /timeout exceeded when trying to connect|Connection terminated|connection .*closed|PGlite (instance )?is (already )?closed|Client has encountered a connection error/i.test(
    message,
  );
}

/** The SQLSTATE of a PostgreSQL error, if it is one. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
