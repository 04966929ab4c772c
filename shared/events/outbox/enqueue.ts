import type { Transaction } from "kysely";
import { noteWrittenEvent } from "../../db/transaction.ts";
import type { Database } from "../../db/types.ts";
import { catalogue, type EventData, type EventType, type FunctionName, sourceOf } from "../catalogue.ts";

/**
 * The ids of the events a request (or an event delivery) wrote; its edge hands them to the publisher
 * after the commit and before answering.
 */
export type PendingEvents = string[];

export interface NewEvent<T extends EventType> {
  source: FunctionName;
  type: T;
  /** The id of the order or menu item the event is about. */
  subject: string | number;
  data: EventData<T>;
}

/**
 * Writes an event to the outbox in the caller's transaction, so it exists if and only if the change it
 * describes commits. The row id is the CloudEvent id on every delivery attempt. Returns that id. A
 * transaction opened by `withTransaction(db, fn, { pending })` hands the id to `pending` after its
 * commit by itself; `pending` here is only for a transaction opened otherwise.
 */
export async function enqueueEvent<T extends EventType>(
  trx: Transaction<Database>,
  event: NewEvent<T>,
  pending?: PendingEvents,
): Promise<string> {
  const data = catalogue[event.type].parse(event.data);
  const id = crypto.randomUUID();
  await trx
    .insertInto("outbox")
    .values({
      id,
      source: sourceOf(event.source),
      type: event.type,
      subject: String(event.subject),
      data: JSON.stringify(data),
      last_error: null,
      lease_until: null,
      sent_at: null,
    })
    .execute();
  noteWrittenEvent(trx, id);
  pending?.push(id);
  return id;
}
