import type { Transaction } from "kysely";
import type { Database } from "./types.ts";

// Idempotency keys as a verb sees them: a claim written in the verb's own transaction, so that the key
// and what the verb did commit together or not at all (a crash can never leave one without the other).
// The HTTP edge makes the claim (shared/http/idempotent-replay.ts); a function's repository keeps the
// keys (IdempotencyKeyStore).

/** A request's claim on its idempotency key, for the verb that serves the request. */
export interface IdempotencyClaim<T> {
  /**
   * Claims the key; call it first in the transaction. Undefined: the key is this request's, go on.
   * Otherwise the result an earlier request with the same key recorded, to be answered again unchanged
   * (a concurrent one holding the key is waited for). The same key with another request throws.
   */
  claim(trx: Transaction<Database>): Promise<T | undefined>;
  /** Records the verb's result under the key, in the same transaction. */
  record(trx: Transaction<Database>, result: T): Promise<void>;
}

/** The first answer given under a key, replayed to every retry. */
export interface StoredResponse {
  status: number;
  body: unknown;
}

export type KeyClaim =
  | { claimed: true }
  | { claimed: false; requestHash: string; response: StoredResponse | null };

/** Where a function keeps its idempotency keys, each scoped to its owner (the caller). */
export interface IdempotencyKeyStore {
  /**
   * Claims the owner's key inside the transaction. When another transaction holds it (a concurrent
   * retry), PostgreSQL makes the claim wait until that one commits (the key is then taken: its hash and
   * stored answer are returned) or rolls back (the key is free again and this one claims it).
   */
  claim(trx: Transaction<Database>, owner: number, key: string, requestHash: string): Promise<KeyClaim>;
  store(trx: Transaction<Database>, owner: number, key: string, response: StoredResponse): Promise<void>;
}
