import type { Context, Hono } from "hono";
import type { Kysely } from "kysely";
import type { Database } from "../../db/types.ts";
import { AppError } from "../../errors.ts";
import { readCappedBytes, readCappedText } from "../../http/body.ts";
import type { AppEnv } from "../../http/env.ts";
import { problem, problemResponse } from "../../http/problem.ts";
import type { Logger } from "../../log.ts";
import { type FunctionName, sourceOf } from "../catalogue.ts";
import { consumerOf, readDeadLetter } from "../dead-letters/intake.ts";
import { upsertDeadLetter } from "../dead-letters/store.ts";
import type { EventMetrics } from "../metrics.ts";
import type { Publisher } from "../outbox/publisher.ts";
import { pruneSent } from "../outbox/store.ts";
import { type SweepOptions, sweepOutbox } from "../outbox/sweep.ts";
import { applyEvent, type ConsumerDeps, toTavolaEvent } from "../receive/apply.ts";
import { readCloudEvent } from "../receive/cloudevent.ts";
import type { PingHook } from "../receive/handlers.ts";
import { pruneProcessed } from "../receive/processed-store.ts";

/** The type Knative's PingSource sends; on `/events` it means "sweep the outbox now". */
export const PING_TYPE = "dev.knative.sources.ping";

/**
 * How long one ping may keep sweeping batch after batch (see `SweepOptions.budgetMs`): a backlog left by
 * a broker outage drains at about this many seconds of sending per minute instead of one batch per
 * minute, while a ping still answers long before any timeout of the PingSource or of Knative.
 */
export const PING_SWEEP_BUDGET_MS = 10_000;

// A Trigger's subscriber must answer 2xx with an empty body (or a CloudEvent, taken as a reply): Knative's
// broker filter turns any other body into a 502 and retries an event that was in fact applied. So the
// outcome travels in a header.
/** `applied` or `duplicate`, on the empty 204 that acknowledges an event. */
export const OUTCOME_HEADER = "tavola-event-outcome";
/** The id of the stored row, on the empty 204 that acknowledges a dead letter. */
export const DEAD_LETTER_HEADER = "tavola-dead-letter-id";

/**
 * Knobs of a function's event machinery (the sweep's batches and leases, how long records are kept);
 * the defaults are what production runs. There is no switch to turn a mechanism off: a test that must
 * see the machinery fail composes that failure itself (see the negative controls in the event tests).
 */
export interface EventingOptions extends Omit<SweepOptions, "source"> {
  /** Days a processed event and a sent outbox row are kept (default 7). */
  retentionDays?: number;
}

export interface ReceiverOptions {
  name: FunctionName;
  onPing?: PingHook | undefined;
  db: Kysely<Database>;
  logger: Logger;
  publisher: Publisher;
  metrics: EventMetrics;
  options?: EventingOptions | undefined;
}

/**
 * Mounts `POST /events` (the function's CloudEvents edge, with Knative's status mapping; a ping sweeps
 * the outbox and answers a JSON report, which the PingSource ignores) and `POST /events/dead-letter`
 * (the sink Triggers hand what they gave up on; in the cluster one designated function, menu, takes the
 * letters of every Trigger and files each under the consumer it failed to reach).
 */
export function mountReceiver(app: Hono<AppEnv>, receiver: ReceiverOptions, consumer: ConsumerDeps): void {
  const { name, db, metrics } = receiver;

  app.post("/events", async (c) => {
    const raw = readCloudEvent(c.req.raw.headers, await readCappedText(c.req.raw));
    const type = raw.attributes.type ?? "";
    if (type === PING_TYPE) return c.json(await onPing(receiver));
    try {
      const outcome = await applyEvent(consumer, toTavolaEvent(raw), { pending: c.get("pendingEventIds") });
      metrics.increment("tavola_events_received_total", { type, outcome });
      return c.body(null, 204, { [OUTCOME_HEADER]: outcome });
    } catch (error) {
      if (!(error instanceof AppError)) throw error; // database away → 503, anything else → 500: retried
      metrics.increment("tavola_events_received_total", { type: type.slice(0, 100), outcome: "rejected" });
      return rejected(c, error);
    }
  });

  app.post("/events/dead-letter", async (c) => {
    // Whatever the body is (not JSON, not UTF-8, empty), it is kept: only a body past the limit is
    // refused (413), and only a database failure is answered 5xx (retried by the broker).
    const letter = readDeadLetter(c.req.raw.headers, await readCappedBytes(c.req.raw));
    const consumer = consumerOf(letter, name);
    const id = await upsertDeadLetter(db, { consumer, ...letter });
    metrics.increment("tavola_dead_letters_received_total", { consumer });
    c.get("logger").error("event dead-lettered", {
      deadLetterId: id,
      consumer,
      eventId: letter.eventId,
      eventType: letter.attributes.type,
      errorCode: letter.attributes.knativeerrorcode,
      errorDest: letter.attributes.knativeerrordest,
      bytes: letter.body.byteLength,
    });
    return c.body(null, 204, { [DEAD_LETTER_HEADER]: String(id) });
  });
}

// Knative retries 404, 408, 409, 429 and 5xx: an event that can never apply must be answered with
// another 4xx (400) or it would be retried until the dead-letter sink, and not be seen as malformed.
function rejected(c: Context<AppEnv>, error: AppError): Response {
  const status = error.code === "unavailable" ? 503 : error.code === "rate_limited" ? 429 : 400;
  c.get("logger").warn("event rejected", { status, reason: error.message });
  const headers: Record<string, string> = {};
  if (error.retryAfter !== undefined) headers["retry-after"] = String(error.retryAfter);
  return problemResponse(
    problem(status, error.message, error.errors ? { errors: error.errors } : {}),
    headers,
  );
}

async function onPing(receiver: ReceiverOptions) {
  const { db, logger, publisher, options = {} } = receiver;
  const source = sourceOf(receiver.name);
  const sweep =
    publisher.send && publisher.policy
      ? await sweepOutbox(
          { db, send: publisher.send, policy: publisher.policy, logger, metrics: receiver.metrics },
          { budgetMs: PING_SWEEP_BUDGET_MS, ...options, source },
        )
      : { skipped: "no broker is configured (K_SINK); events wait in the outbox" };
  const days = options.retentionDays ?? 7;
  const pruned = {
    processed_events: await pruneProcessed(db, receiver.name, days),
    outbox: await pruneSent(db, source, days),
  };
  const hook = receiver.onPing ? await receiver.onPing({ db, logger, metrics: receiver.metrics }) : {};
  return { sweep, pruned: { ...pruned, ...hook } };
}
