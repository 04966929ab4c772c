import { type Kysely, sql } from "kysely";
import { normalizeUsername } from "../../shared/auth/username.ts";
import type { Database } from "../../shared/db/types.ts";
import { AppError } from "../../shared/errors.ts";

/**
 * Failed logins counted in PostgreSQL (`login_failures`), so every instance of the auth function sees
 * the same counts, on two scales (docs/security.md, "Failed logins", says why):
 *
 * - per username *and client* (its address): `maxFailures` within a window that starts at the first
 *   failure, then that client is refused for that username until the window ends. A stranger's guesses
 *   lock out the stranger, not the owner logging in from elsewhere.
 * - per username over every client (the row whose `client` is "*"): `maxFailuresPerUsername`, far
 *   higher, then every client is refused. It stops a guess spread over many addresses; aiming it at an
 *   owner takes that many guesses from at least `maxFailuresPerUsername / maxFailures` addresses.
 *
 * A successful login clears its client's count, not the total, which only its window ends: an owner's
 * success must not hand a distributed guess a fresh allowance. Unknown usernames are counted too, so a
 * 429 tells nothing about existence. Windows are measured with the database's clock, the one all
 * instances share.
 */
export interface LoginThrottle {
  /** Throws `rate_limited` (with Retry-After seconds) while the username is locked for this client. */
  assertAllowed(username: string, client: string): Promise<void>;
  recordFailure(username: string, client: string): Promise<void>;
  clear(username: string, client: string): Promise<void>;
}

export interface LoginThrottleOptions {
  /** Failures per username and client within the window. */
  maxFailures: number;
  /** Failures per username over every client within the window. */
  maxFailuresPerUsername: number;
  windowSeconds: number;
}

/** The `client` of the row that counts a username's failures from every client. */
export const ALL_CLIENTS = "*";

export function createLoginThrottle(db: Kysely<Database>, options: LoginThrottleOptions): LoginThrottle {
  const window = sql`make_interval(secs => ${options.windowSeconds})`;
  return {
    async assertAllowed(username, client) {
      const rows = await db
        .selectFrom("login_failures")
        .select([
          "client",
          "failures",
          sql<number>`ceil(extract(epoch from window_started_at + ${window} - now()))::int`.as("remaining"),
        ])
        .where("username", "=", keyOf(username))
        .where("client", "in", [clientOf(client), ALL_CLIENTS])
        .where("window_started_at", ">", sql<Date>`now() - ${window}`)
        .execute();
      const blocking = rows.filter(
        (row) =>
          row.failures >= (row.client === ALL_CLIENTS ? options.maxFailuresPerUsername : options.maxFailures),
      );
      if (blocking.length > 0) {
        const retryAfter = Math.max(1, ...blocking.map((row) => row.remaining));
        throw new AppError(
          "rate_limited",
          `Too many failed logins for this username; retry in ${retryAfter} seconds.`,
          { retryAfter },
        );
      }
    },

    async recordFailure(username, client) {
      // One statement for both counts, so concurrent failures on any instance each count: a window that
      // has ended starts again at this failure.
      const expired = sql<boolean>`login_failures.window_started_at <= now() - ${window}`;
      const row = (c: string) => ({
        username: keyOf(username),
        client: c,
        failures: 1,
        window_started_at: sql<Date>`now()`,
        last_failed_at: sql<Date>`now()`,
      });
      await db
        .insertInto("login_failures")
        .values([row(clientOf(client)), row(ALL_CLIENTS)])
        .onConflict((oc) =>
          oc.columns(["username", "client"]).doUpdateSet({
            failures: sql<number>`case when ${expired} then 1 else login_failures.failures + 1 end`,
            window_started_at: sql<Date>`case when ${expired} then now() else login_failures.window_started_at end`,
            last_failed_at: sql<Date>`now()`,
          }),
        )
        .execute();
    },

    async clear(username, client) {
      await db
        .deleteFrom("login_failures")
        .where("username", "=", keyOf(username))
        .where("client", "=", clientOf(client))
        .execute();
    },
  };
}

// Usernames are unique regardless of case and compatibility form, so "Alice", "alice" and "ａｌｉｃｅ"
// share one count. Lower-casing can
// lengthen a string ("İ" becomes two characters), so the key is cut to the column's 150 characters:
// at worst two absurdly long names share a count.
function keyOf(username: string): string {
  return Array.from(normalizeUsername(username).toLowerCase()).slice(0, 150).join("");
}

// An address as `clientAddress` gives it fits; anything longer is cut to the column's 64 characters.
function clientOf(client: string): string {
  return client === ALL_CLIENTS ? "?" : client.slice(0, 64);
}
