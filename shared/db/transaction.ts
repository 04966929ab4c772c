import type { Kysely, Transaction } from "kysely";
import type { Database } from "./types.ts";

export interface TransactionOptions {
  isolation?: "read committed" | "repeatable read" | "serializable";
  /** How many times a serialization failure or deadlock is retried before it is thrown (default 5). */
  retries?: number;
  /**
   * Where the ids of the outbox events the transaction wrote go once it has committed: the request's
   * (or the event delivery's) list, which its edge hands to the publisher before answering. Without
   * it they stay in the outbox for the PingSource's sweep.
   */
  pending?: string[];
}

// The outbox ids written by each open transaction, keyed by the transaction object itself (so nothing
// outlives it): `enqueueEvent` notes each id here, and `withTransaction` hands them over after commit.
const written = new WeakMap<Transaction<Database>, string[]>();

/**
 * Notes that `trx` wrote the outbox event `id`; `withTransaction` hands it to its `pending` after the
 * commit (and forgets it on a rollback or a retried attempt). Called by `enqueueEvent`.
 */
export function noteWrittenEvent(trx: Transaction<Database>, id: string): void {
  written.get(trx)?.push(id);
}

const RETRYABLE = new Set(["40001", "40P01"]);

/** True when PostgreSQL says the transaction lost a race and may simply be run again. */
export function isRetryableConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && RETRYABLE.has(code);
}

/**
 * Runs `fn` in one transaction, retrying it from the start on a serialization failure (40001) or a
 * deadlock (40P01), so that callers never see those as errors. The ids of the outbox events the
 * committed attempt wrote are pushed to `options.pending` after the commit, never before and never
 * for a rolled-back attempt, so no verb collects them by hand.
 */
export async function withTransaction<T>(
  db: Kysely<Database>,
  fn: (trx: Transaction<Database>) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const retries = options.retries ?? 5;
  for (let attempt = 0; ; attempt++) {
    try {
      const builder = options.isolation
        ? db.transaction().setIsolationLevel(options.isolation)
        : db.transaction();
      const ids: string[] = [];
      const result = await builder.execute((trx) => {
        written.set(trx, ids);
        return fn(trx);
      });
      options.pending?.push(...ids);
      return result;
    } catch (error) {
      if (attempt >= retries || !isRetryableConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** attempt));
    }
  }
}
