import { z } from "zod";
import { AppError } from "../../errors.ts";
import type { PendingEvents } from "../outbox/enqueue.ts";
import { type ApplyOutcome, applyEvent, type ConsumerDeps, toTavolaEvent } from "../receive/apply.ts";
import { type DeadLetterRow, findDeadLetter, markReplayed } from "./store.ts";

/** A dead letter as the manager routes show it. */
export interface DeadLetterView {
  id: number;
  consumer: string;
  event_id: string;
  source: string;
  type: string;
  subject: string | null;
  /** Knative's reason: the last HTTP status the subscriber answered (`knativeerrorcode`). */
  error_code: string | null;
  /** Where delivery failed (`knativeerrordest`). */
  error_dest: string | null;
  attributes: Record<string, string>;
  /** The data when it was JSON, else null (see `body_base64`). */
  data: unknown;
  /** The body exactly as received, base64-encoded. */
  body_base64: string | null;
  content_type: string | null;
  received_at: string;
  replayed_at: string | null;
}

const storedAttributes = z.record(z.string(), z.string());

export function toDeadLetterView(row: DeadLetterRow): DeadLetterView {
  const attributes = storedAttributes.safeParse(row.attributes);
  return {
    id: row.id,
    consumer: row.consumer,
    event_id: row.event_id,
    source: row.source,
    type: row.type,
    subject: row.subject,
    error_code: row.error_code,
    error_dest: row.error_dest,
    attributes: attributes.success ? attributes.data : {},
    data: row.data,
    body_base64: row.body ? Buffer.from(row.body).toString("base64") : null,
    content_type: row.content_type,
    received_at: row.received_at.toISOString(),
    replayed_at: row.replayed_at ? row.replayed_at.toISOString() : null,
  };
}

/**
 * Re-delivers a stored dead letter to this function's own receiver logic: the original id and source,
 * so the dedupe makes a replay of an event that was applied meanwhile harmless. The dead letter is
 * marked replayed in the transaction that applies it. An event that can never apply (unknown type, bad
 * data, not consumed here, or the handler refuses it) is a `bad_request`/`validation` AppError.
 */
export async function replayDeadLetter(
  deps: ConsumerDeps,
  input: { id: number; pending: PendingEvents },
): Promise<{ outcome: ApplyOutcome; dead_letter: DeadLetterView }> {
  const row = await findDeadLetter(deps.db, deps.consumer, input.id);
  if (!row) throw new AppError("not_found", `There is no dead letter ${input.id} for ${deps.consumer}.`);
  const attributes = storedAttributes.safeParse(row.attributes);
  if (!attributes.success) {
    throw new AppError("bad_request", "This dead letter's attributes are unreadable; it cannot be replayed.");
  }
  if (row.data === null && row.body && row.body.byteLength > 0) {
    throw new AppError(
      "bad_request",
      "This dead letter's data is not JSON; it is kept for inspection but cannot be replayed.",
    );
  }
  const event = toTavolaEvent({ attributes: attributes.data, data: row.data ?? undefined });
  let replayed: DeadLetterRow = row;
  const outcome = await applyEvent(deps, event, {
    pending: input.pending,
    alongside: async (trx) => {
      replayed = await markReplayed(trx, row.id);
    },
  });
  return { outcome, dead_letter: toDeadLetterView(replayed) };
}
