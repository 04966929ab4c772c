import { type Kysely, sql } from "kysely";
import type { Database } from "../../shared/db/types.ts";
import { AppError } from "../../shared/errors.ts";

/**
 * Failed logins counted per username in PostgreSQL (`login_failures`), so every instance of the auth
 * function sees the same count: after `maxFailures` failures within a window that starts at the first
 * failure, further attempts for that username are refused with 429 until the window ends. A successful
 * login clears the count. Unknown usernames are counted too, so the 429 tells nothing about existence.
 * Windows are measured with the database's clock, the one all instances share.
 */
export interface LoginThrottle {
  /** Throws `rate_limited` (with Retry-After seconds) while the username is locked out. */
  assertAllowed(username: string): Promise<void>;
  recordFailure(username: string): Promise<void>;
  clear(username: string): Promise<void>;
}

export interface LoginThrottleOptions {
  maxFailures: number;
  windowSeconds: number;
}

export function createLoginThrottle(db: Kysely<Database>, options: LoginThrottleOptions): LoginThrottle {
  const window = sql`make_interval(secs => ${options.windowSeconds})`;
  return {
    async assertAllowed(username) {
      const row = await db
        .selectFrom("login_failures")
        .select([
          "failures",
          sql<number>`ceil(extract(epoch from window_started_at + ${window} - now()))::int`.as("remaining"),
        ])
        .where("username", "=", keyOf(username))
        .where("window_started_at", ">", sql<Date>`now() - ${window}`)
        .executeTakeFirst();
      if (row && row.failures >= options.maxFailures) {
        const retryAfter = Math.max(1, row.remaining);
        throw new AppError(
          "rate_limited",
          `Too many failed logins for this username; retry in ${retryAfter} seconds.`,
          { retryAfter },
        );
      }
    },

    async recordFailure(username) {
      // One statement, so concurrent failures on any instance each count: a window that has ended
      // starts again at this failure.
      const expired = sql<boolean>`login_failures.window_started_at <= now() - ${window}`;
      await db
        .insertInto("login_failures")
        .values({
          username: keyOf(username),
          failures: 1,
          window_started_at: sql<Date>`now()`,
          last_failed_at: sql<Date>`now()`,
        })
        .onConflict((oc) =>
          oc.column("username").doUpdateSet({
            failures: sql<number>`case when ${expired} then 1 else login_failures.failures + 1 end`,
            window_started_at: sql<Date>`case when ${expired} then now() else login_failures.window_started_at end`,
            last_failed_at: sql<Date>`now()`,
          }),
        )
        .execute();
    },

    async clear(username) {
      await db.deleteFrom("login_failures").where("username", "=", keyOf(username)).execute();
    },
  };
}

// Usernames are unique regardless of case, so "Alice" and "alice" share one count. Lower-casing can
// lengthen a string ("İ" becomes two characters), so the key is cut to the column's 150 characters:
// at worst two absurdly long names share a count.
function keyOf(username: string): string {
  return Array.from(username.toLowerCase()).slice(0, 150).join("");
}
