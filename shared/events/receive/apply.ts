import type { Kysely, Transaction } from "kysely";
import { withTransaction } from "../../db/transaction.ts";
import type { Database } from "../../db/types.ts";
import { AppError } from "../../errors.ts";
import type { Logger } from "../../log.ts";
import { catalogue, isEventType, type TavolaEvent } from "../catalogue.ts";
import { assertProducer } from "../identity/sender-identity.ts";
import type { PendingEventIds } from "../outbox/enqueue.ts";
import type { RawCloudEvent } from "./cloudevent.ts";
import type { EventHandler, EventHandlers } from "./handlers.ts";
import { recordProcessed } from "./processed-store.ts";

/**
 * Checks a received CloudEvent against the catalogue: a known type and data that its schema accepts.
 * Throws `AppError` (an event that can never apply) otherwise; touches nothing.
 */
export function toTavolaEvent(raw: RawCloudEvent): TavolaEvent {
  const { id, source, type, subject, time } = raw.attributes;
  if (!id || !source || !type) throw new AppError("bad_request", "The event has no id, source or type.");
  if (!isEventType(type)) {
    throw new AppError("bad_request", `The event type "${type.slice(0, 100)}" is not in Tavola's catalogue.`);
  }
  assertProducer(type, source);
  const parsed = catalogue[type].safeParse(raw.data);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => ({
      path: ["data", ...issue.path.map(String)].join("."),
      message: issue.message,
    }));
    throw new AppError("validation", `The data of this ${type} event does not match its schema.`, { errors });
  }
  return { id, source, type, subject, time, data: parsed.data } as TavolaEvent;
}

export interface ConsumerDeps {
  db: Kysely<Database>;
  /** The consuming function's name, recorded with every event it applies. */
  consumer: string;
  handlers: EventHandlers;
  logger: Logger;
}

export type ApplyOutcome = "applied" | "duplicate";

/**
 * Applies one event exactly once for this consumer: in one transaction it records the event as
 * processed and runs the handler, so either both happen or neither. A duplicate commits nothing of the
 * handler's. `alongside` runs in the same transaction either way (a replay marks its dead letter there).
 * Events the handler enqueues are pushed to `pending` only after the commit (by `withTransaction`).
 */
export async function applyEvent(
  deps: ConsumerDeps,
  event: TavolaEvent,
  options: { pending: PendingEventIds; alongside?: (trx: Transaction<Database>) => Promise<void> },
): Promise<ApplyOutcome> {
  const handler = deps.handlers[event.type] as EventHandler<typeof event.type> | undefined;
  if (!handler) {
    throw new AppError("bad_request", `The ${deps.consumer} function does not consume ${event.type} events.`);
  }
  const logger = deps.logger.child({ eventId: event.id, eventType: event.type, eventSource: event.source });
  const outcome = await withTransaction(
    deps.db,
    async (trx): Promise<ApplyOutcome> => {
      const { id, source, type } = event;
      const first = await recordProcessed(trx, { consumer: deps.consumer, id, source, type });
      if (first) await handler({ trx, logger }, event);
      await options.alongside?.(trx);
      return first ? "applied" : "duplicate";
    },
    { pending: options.pending },
  );
  logger.info(outcome === "applied" ? "event applied" : "duplicate event ignored");
  return outcome;
}
