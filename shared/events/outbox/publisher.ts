import type { Kysely } from "kysely";
import type { Database } from "../../db/types.ts";
import type { Logger } from "../../log.ts";
import {
  createSinkSender,
  defaultRetryPolicy,
  type FetchLike,
  type RetryPolicy,
  type SendEvent,
  sendClaimed,
} from "./sender.ts";
import { claimByIds } from "./store.ts";

/**
 * Sends outbox rows to the broker. `publish` is called after the commit and before the HTTP answer with
 * the ids that request wrote; it never throws: what it cannot send stays pending for the sweep.
 */
export interface Publisher {
  publish(ids: readonly string[]): Promise<void>;
  /**
   * How the sweep sends the rows it claims, and the retry policy it applies. Absent when there is no
   * broker (no K_SINK): the sweep then leaves every row pending.
   */
  readonly send?: SendEvent;
  readonly policy?: RetryPolicy;
}

/** The publisher of a function with no broker configured (no K_SINK): everything waits for the sweep. */
export const holdingPublisher: Publisher = {
  publish: async () => {},
};

export interface HttpPublisherOptions {
  db: Kysely<Database>;
  /** The broker's ingress URL (K_SINK). */
  sink: string;
  logger: Logger;
  /** How long one POST may take before it counts as failed (default 1 s: the client is waiting). */
  timeoutMs?: number;
  /** Defaults to the global fetch; the local stack passes its in-process broker. */
  fetch?: FetchLike;
  policy?: RetryPolicy;
  /** How long a claimed row is held by this sender (default 30 s, far above `timeoutMs`). */
  leaseSeconds?: number;
}

/**
 * The publisher for a function with a broker: claims the request's rows that are still pending (a
 * sweep may have taken one meanwhile), POSTs each to K_SINK at once as a binary-mode CloudEvent, marks
 * it sent on 2xx and otherwise records the attempt and the error, leaving the row to the sweep.
 */
export function createHttpPublisher(options: HttpPublisherOptions): Publisher {
  const send = createSinkSender({
    sink: options.sink,
    timeoutMs: options.timeoutMs ?? 1_000,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const policy = options.policy ?? defaultRetryPolicy;
  const leaseSeconds = options.leaseSeconds ?? 30;
  const { db, logger } = options;
  return {
    send,
    policy,
    async publish(ids) {
      try {
        const rows = await claimByIds(db, ids, leaseSeconds);
        const outcomes = await Promise.allSettled(
          rows.map((row) => sendClaimed({ db, send, logger, policy }, row)),
        );
        for (const outcome of outcomes) {
          if (outcome.status === "rejected") throw outcome.reason;
        }
      } catch (error) {
        // The change is committed and its event is in the outbox: the sweep sends it later.
        logger.warn("publishing after commit failed; the sweep will send the events", {
          events: ids.length,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    },
  };
}
