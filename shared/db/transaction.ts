import type { Kysely, Transaction } from "kysely";
import type { Database } from "./types.ts";

export interface TransactionOptions {
  isolation?: "read committed" | "repeatable read" | "serializable";
  /** How many times a serialization failure or deadlock is retried before it is thrown (default 5). */
  retries?: number;
}

const RETRYABLE = new Set(["40001", "40P01"]);

/** True when PostgreSQL says the transaction lost a race and may simply be run again. */
export function isRetryableConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && RETRYABLE.has(code);
}

/**
 * Runs `fn` in one transaction, retrying it from the start on a serialization failure (40001) or a
 * deadlock (40P01), so that callers never see those as errors.
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
      return await builder.execute(fn);
    } catch (error) {
      if (attempt >= retries || !isRetryableConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** attempt));
    }
  }
}
