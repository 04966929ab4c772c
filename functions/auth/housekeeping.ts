import { type Kysely, sql } from "kysely";
import type { Database } from "../../shared/db/types.ts";

/** How long records nobody can use any more are kept before the PingSource's tick deletes them. */
export const AUTH_RETENTION_DAYS = 7;

/**
 * Deletes the auth function's dead rows: failed-login counters untouched for a week (every window has
 * long closed) and refresh tokens expired for a week (they can never be used, and reuse of an expired
 * token is refused as unknown). Without this both tables would only grow.
 */
export async function pruneAuthRecords(db: Kysely<Database>): Promise<Record<string, number>> {
  const cutoff = sql<Date>`now() - make_interval(days => ${AUTH_RETENTION_DAYS})`;
  const failures = await db
    .deleteFrom("login_failures")
    .where("last_failed_at", "<", cutoff)
    .executeTakeFirst();
  const tokens = await db.deleteFrom("refresh_tokens").where("expires_at", "<", cutoff).executeTakeFirst();
  return {
    login_failures: Number(failures.numDeletedRows),
    refresh_tokens: Number(tokens.numDeletedRows),
  };
}
