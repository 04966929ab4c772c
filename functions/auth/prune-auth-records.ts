import type { Kysely } from "kysely";
import type { Database } from "../../shared/db/types.ts";
import { deleteExpiredRefreshTokens, deleteStaleLoginFailures } from "./repository.ts";

/** How long records nobody can use any more are kept before the PingSource's tick deletes them. */
export const AUTH_RETENTION_DAYS = 7;

/**
 * Deletes the auth function's dead rows: failed-login counters untouched for a week (every window has
 * long closed) and refresh tokens expired for a week (they can never be used, and reuse of an expired
 * token is refused as unknown). Without this both tables would only grow.
 */
export async function pruneAuthRecords(db: Kysely<Database>): Promise<Record<string, number>> {
  return {
    login_failures: await deleteStaleLoginFailures(db, AUTH_RETENTION_DAYS),
    refresh_tokens: await deleteExpiredRefreshTokens(db, AUTH_RETENTION_DAYS),
  };
}
