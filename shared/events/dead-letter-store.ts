import { type Kysely, type Selectable, sql, type Transaction } from "kysely";
import type { Database, DeadLettersTable } from "../db/types.ts";

export type DeadLetterRow = Selectable<DeadLettersTable>;

export interface NewDeadLetter {
  consumer: string;
  /** The CloudEvent id (or the digest the sink made up for a letter without one). */
  eventId: string;
  attributes: Record<string, string>;
  /** The data when it was JSON; undefined otherwise. */
  data: unknown;
  /** The body exactly as received. */
  body: Uint8Array;
  contentType: string | null;
}

/**
 * Stores an event the broker gave up on, or refreshes it when the same event arrives again (the unique
 * key is `(consumer, source, event_id)`); a refreshed one needs attention again, so `replayed_at` is
 * cleared. Returns the row's id.
 */
export async function upsertDeadLetter(db: Kysely<Database>, letter: NewDeadLetter): Promise<number> {
  const a = letter.attributes;
  const row = await db
    .insertInto("dead_letters")
    .values({
      consumer: letter.consumer,
      event_id: letter.eventId,
      source: a.source ?? "",
      type: a.type ?? "",
      subject: a.subject ?? null,
      attributes: JSON.stringify(a),
      data: letter.data === undefined ? null : JSON.stringify(letter.data),
      body: Buffer.from(letter.body),
      content_type: letter.contentType,
      error_code: a.knativeerrorcode ?? null,
      error_dest: a.knativeerrordest ?? null,
      replayed_at: null,
    })
    .onConflict((oc) =>
      oc.columns(["consumer", "source", "event_id"]).doUpdateSet((eb) => ({
        type: eb.ref("excluded.type"),
        subject: eb.ref("excluded.subject"),
        attributes: eb.ref("excluded.attributes"),
        data: eb.ref("excluded.data"),
        body: eb.ref("excluded.body"),
        content_type: eb.ref("excluded.content_type"),
        error_code: eb.ref("excluded.error_code"),
        error_dest: eb.ref("excluded.error_dest"),
        received_at: sql`now()`,
        replayed_at: null,
      })),
    )
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** One page of a consumer's dead letters, newest first; `replayed` filters on whether they were. */
export async function listDeadLetters(
  db: Kysely<Database>,
  consumer: string,
  filter: { replayed?: boolean | undefined; limit: number; offset: number },
): Promise<{ count: number; rows: DeadLetterRow[] }> {
  let query = db.selectFrom("dead_letters").where("consumer", "=", consumer);
  if (filter.replayed !== undefined) {
    query = query.where("replayed_at", filter.replayed ? "is not" : "is", null);
  }
  const [total, rows] = await Promise.all([
    query.select(sql<number>`count(*)::int`.as("count")).executeTakeFirstOrThrow(),
    query
      .selectAll()
      .orderBy("received_at", "desc")
      .orderBy("id", "desc")
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
  ]);
  return { count: total.count, rows };
}

/** A consumer's dead letter by id; undefined when it has none of that id. */
export async function findDeadLetter(
  db: Kysely<Database>,
  consumer: string,
  id: number,
): Promise<DeadLetterRow | undefined> {
  return db
    .selectFrom("dead_letters")
    .selectAll()
    .where("consumer", "=", consumer)
    .where("id", "=", id)
    .executeTakeFirst();
}

/** Marks a dead letter replayed, in the transaction that applied it. */
export async function markReplayed(trx: Transaction<Database>, id: number): Promise<DeadLetterRow> {
  return trx
    .updateTable("dead_letters")
    .set({ replayed_at: sql`now()` })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
