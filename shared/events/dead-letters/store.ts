import { type Kysely, type Selectable, sql, type Transaction } from "kysely";
import { countCapped } from "../../db/count.ts";
import { afterCursor, readOrder, type SortPart, sortKeyColumn, toSlice } from "../../db/keyset.ts";
import type { Database, DeadLettersTable } from "../../db/types.ts";
import type { PageCount, PageRequest, PageSlice } from "../../http/pagination.ts";

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

/** Newest first, as (consumer, received_at, id) holds them backwards. */
const DEAD_LETTER_SORT_KEY: SortPart[] = [
  { expr: sql.ref("received_at"), direction: "desc" },
  { expr: sql.ref("id"), direction: "desc" },
];

/** One page of a consumer's dead letters, newest first (keyset); `replayed` filters on whether they were. */
export async function listDeadLetters(
  db: Kysely<Database>,
  consumer: string,
  filter: { replayed?: boolean | undefined },
  page: PageRequest,
): Promise<{ count: PageCount; slice: PageSlice<DeadLetterRow> }> {
  let matching = db.selectFrom("dead_letters").where("consumer", "=", consumer);
  if (filter.replayed !== undefined) {
    matching = matching.where("replayed_at", filter.replayed ? "is not" : "is", null);
  }
  let query = matching.selectAll().select(sortKeyColumn(DEAD_LETTER_SORT_KEY).as("_key"));
  if (page.cursor) query = query.where(afterCursor(DEAD_LETTER_SORT_KEY, page.cursor, page));
  for (const part of readOrder(DEAD_LETTER_SORT_KEY, page)) query = query.orderBy(part.expr, part.direction);
  const [count, rows] = await Promise.all([
    countCapped(db, matching),
    query
      .limit(page.perpage + 1)
      .offset(page.offset)
      .execute(),
  ]);
  const slice = toSlice(rows, page);
  return { count, slice: { ...slice, results: slice.results.map(({ _key, ...row }) => row) } };
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
