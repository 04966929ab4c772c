import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../db/types.ts";
import type { Logger } from "../../log.ts";
import type { EventType, TavolaEvent } from "../catalogue.ts";
import type { EventMetrics } from "../metrics.ts";

/**
 * What a consumer's handler gets besides the event: the transaction its effect and dedupe share. Events
 * it enqueues (`enqueueEvent(trx, …)`) are published after that transaction commits, by itself.
 */
export interface HandlerContext {
  /** The transaction in which the receiver also records the event as processed. */
  trx: Transaction<Database>;
  logger: Logger;
}

/**
 * A consumer's reaction to one event type. It runs inside the receiver's transaction; when it finds the
 * state already as the event describes it changes nothing and enqueues nothing (no loops). It throws
 * `AppError` for an event that can never apply (the event edge answers 400, never retried), and lets
 * database failures through (answered 5xx, retried by the broker).
 */
export type EventHandler<T extends EventType> = (ctx: HandlerContext, event: TavolaEvent<T>) => Promise<void>;

/** A function's handlers, by the event types it consumes. */
export type EventHandlers = { [T in EventType]?: EventHandler<T> };

/** What a function's ping hook gets. */
export interface PingContext {
  db: Kysely<Database>;
  logger: Logger;
  /** The function's counters (`GET /metrics`): reconciliation counts its repairs here. */
  metrics: EventMetrics;
}

/**
 * Housekeeping a function runs on every PingSource tick (`dev.knative.sources.ping` on `/events`), after
 * the outbox sweep and the pruning of its processed events: the order function prunes its old
 * idempotency keys here. It touches only the function's own tables and returns counts of what it did
 * (rows pruned, say), which the answer to the ping includes. A failure is answered 5xx, so the next tick tries again.
 */
export type PingHook = (ctx: PingContext) => Promise<Record<string, number>>;
