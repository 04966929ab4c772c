import { type Kysely, sql } from "kysely";
import type { Database, OutboxRow } from "../../db/types.ts";

// The outbox's queries. A sender claims rows by setting `lease_until`; while the lease runs nobody else
// sends them, and when the sender dies mid-way the lease simply runs out and the sweep takes them again.

const claimable = sql<boolean>`(lease_until is null or lease_until <= now())`;

/** Claims those of the given rows that are still pending and not held by another sender. */
export async function claimByIds(
  db: Kysely<Database>,
  ids: readonly string[],
  leaseSeconds: number,
): Promise<OutboxRow[]> {
  if (ids.length === 0) return [];
  // A concurrent UPDATE of the same row waits for the other and re-checks the WHERE clause, so exactly
  // one of two racing claimers gets each row.
  return db
    .updateTable("outbox")
    .set({ lease_until: sql`now() + make_interval(secs => ${leaseSeconds})` })
    .where("id", "in", ids)
    .where("status", "=", "pending")
    .where(claimable)
    .returningAll()
    .execute();
}

/**
 * Claims up to `limit` pending rows of one source, oldest first, skipping rows another transaction is
 * claiming right now (`FOR UPDATE SKIP LOCKED`) or another sender holds (`lease_until`).
 */
export async function claimPending(
  db: Kysely<Database>,
  source: string,
  limit: number,
  leaseSeconds: number,
): Promise<OutboxRow[]> {
  const rows = await db
    .with("next", (q) =>
      q
        .selectFrom("outbox")
        .select("id")
        .where("source", "=", source)
        .where("status", "=", "pending")
        .where(claimable)
        .orderBy("created_at")
        .orderBy("id")
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .updateTable("outbox")
    .set({ lease_until: sql`now() + make_interval(secs => ${leaseSeconds})` })
    .where("id", "in", (q) => q.selectFrom("next").select("id"))
    .returningAll()
    .execute();
  // RETURNING keeps no order; send oldest first.
  return rows.sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || a.id.localeCompare(b.id));
}

/** Records a successful send. */
export async function markSent(db: Kysely<Database>, id: string): Promise<void> {
  await db
    .updateTable("outbox")
    .set({
      status: "sent",
      sent_at: sql`now()`,
      attempts: sql`attempts + 1`,
      lease_until: null,
      last_error: null,
    })
    .where("id", "=", id)
    .where("status", "=", "pending")
    .execute();
}

/**
 * Records a failed send: one more attempt, the error, and either abandonment (when that was the last
 * allowed attempt) or a wait of `retryInSeconds` before anyone tries again. Returns the new state.
 */
export async function markFailed(
  db: Kysely<Database>,
  id: string,
  error: string,
  options: { maxAttempts: number; retryInSeconds: number },
): Promise<{ status: string; attempts: number } | undefined> {
  return db
    .updateTable("outbox")
    .set({
      attempts: sql`attempts + 1`,
      last_error: error.slice(0, 500),
      status: sql`case when attempts + 1 >= ${options.maxAttempts} then 'abandoned' else 'pending' end`,
      lease_until:
        options.retryInSeconds > 0 ? sql`now() + make_interval(secs => ${options.retryInSeconds})` : null,
    })
    .where("id", "=", id)
    .where("status", "=", "pending")
    .returning(["status", "attempts"])
    .executeTakeFirst();
}

/** Gives claimed rows back without counting an attempt (the sweep stopped before trying them). */
export async function releaseLeases(db: Kysely<Database>, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable("outbox")
    .set({ lease_until: null })
    .where("id", "in", ids)
    .where("status", "=", "pending")
    .execute();
}

/** Deletes rows of a source that were sent more than `days` days ago; returns how many. */
export async function pruneSent(db: Kysely<Database>, source: string, days: number): Promise<number> {
  const result = await db
    .deleteFrom("outbox")
    .where("source", "=", source)
    .where("status", "=", "sent")
    .where("sent_at", "<", sql<Date>`now() - make_interval(days => ${days})`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Pending and abandoned rows of a source, for the metrics page. Each is counted through its partial
 * index (outbox_pending_idx, outbox_abandoned_idx), which holds only those rows: the week of sent rows
 * is never read. Sent rows are counted in memory instead (tavola_outbox_swept_total).
 */
export async function countUnsent(
  db: Kysely<Database>,
  source: string,
): Promise<{ pending: number; abandoned: number }> {
  const count = (status: "pending" | "abandoned") =>
    db
      .selectFrom("outbox")
      .select(sql<number>`count(*)::int`.as("n"))
      .where("source", "=", source)
      .where("status", "=", status)
      .executeTakeFirstOrThrow();
  const [pending, abandoned] = await Promise.all([count("pending"), count("abandoned")]);
  return { pending: pending.n, abandoned: abandoned.n };
}
