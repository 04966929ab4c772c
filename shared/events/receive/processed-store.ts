import { type Kysely, sql, type Transaction } from "kysely";
import type { Database } from "../../db/types.ts";

/**
 * Records that `consumer` applied the event `(source, id)`, in the transaction of its effect. Returns
 * false when it was recorded before: a duplicate. Two deliveries racing on one event serialise on the
 * primary key: the second waits for the first to commit, then finds the row (or, if the first rolled
 * back, inserts it and applies the event itself).
 */
export async function recordProcessed(
  trx: Transaction<Database>,
  event: { consumer: string; source: string; id: string; type: string },
): Promise<boolean> {
  const inserted = await trx
    .insertInto("processed_events")
    .values({ consumer: event.consumer, source: event.source, event_id: event.id, type: event.type })
    .onConflict((oc) => oc.columns(["consumer", "source", "event_id"]).doNothing())
    .returning("event_id")
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Forgets events a consumer applied more than `days` days ago (far past any redelivery); returns how many. */
export async function pruneProcessed(db: Kysely<Database>, consumer: string, days: number): Promise<number> {
  const result = await db
    .deleteFrom("processed_events")
    .where("consumer", "=", consumer)
    .where("processed_at", "<", sql<Date>`now() - make_interval(days => ${days})`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
