import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../shared/db/types.ts";

/** An `Idempotency-Key` as the caller sent it, with the hash of the request body's bytes. */
export interface IdempotencyRequest {
  key: string;
  requestHash: string;
}

/** The first answer given for a key, replayed to every retry. */
export interface StoredResponse {
  status: number;
  body: unknown;
}

export type Claim =
  | { claimed: true }
  | { claimed: false; requestHash: string; response: StoredResponse | null };

/**
 * Claims the caller's key inside the checkout's transaction. When another transaction holds the same key
 * (a concurrent retry), PostgreSQL makes this insert wait until that one commits (the key is then taken:
 * its row and stored answer are returned) or rolls back (the key is free again and this one claims it).
 * The claim and the answer are committed together with the order, so a committed key always has one.
 */
export async function claimIdempotencyKey(
  trx: Transaction<Database>,
  userId: number,
  request: IdempotencyRequest,
): Promise<Claim> {
  const inserted = await trx
    .insertInto("idempotency_keys")
    .values({ user_id: userId, key: request.key, request_hash: request.requestHash, response_status: null })
    .onConflict((oc) => oc.columns(["user_id", "key"]).doNothing())
    .returning("key")
    .executeTakeFirst();
  if (inserted) return { claimed: true };
  const row = await trx
    .selectFrom("idempotency_keys")
    .select(["request_hash", "response_status", "response_body"])
    .where("user_id", "=", userId)
    .where("key", "=", request.key)
    .executeTakeFirstOrThrow();
  return {
    claimed: false,
    requestHash: row.request_hash,
    response: row.response_status === null ? null : { status: row.response_status, body: row.response_body },
  };
}

export async function storeIdempotentResponse(
  trx: Transaction<Database>,
  userId: number,
  key: string,
  response: StoredResponse,
): Promise<void> {
  await trx
    .updateTable("idempotency_keys")
    .set({ response_status: response.status, response_body: JSON.stringify(response.body) })
    .where("user_id", "=", userId)
    .where("key", "=", key)
    .execute();
}

/**
 * Deletes idempotency keys created before `olderThan` (keys are kept at least 24 hours: pass
 * `now - 24 h` or earlier). For the PingSource's sweep; returns how many were deleted.
 */
export async function pruneIdempotencyKeys(db: Kysely<Database>, olderThan: Date): Promise<number> {
  const result = await db
    .deleteFrom("idempotency_keys")
    .where("created_at", "<", olderThan)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The cut-off that keeps keys for 24 hours. */
export function idempotencyCutoff(now: Date): Date {
  return new Date(now.getTime() - 24 * 60 * 60 * 1000);
}
