import type { Kysely } from "kysely";
import type { Database } from "../../shared/db/types.ts";
import { deleteIdempotencyKeys } from "./repository.ts";

/**
 * Deletes idempotency keys created before `olderThan` (keys are kept at least 24 hours: pass
 * `now - 24 h` or earlier). For the PingSource's tick; returns how many were deleted.
 */
export async function pruneIdempotencyKeys(db: Kysely<Database>, olderThan: Date): Promise<number> {
  return deleteIdempotencyKeys(db, olderThan);
}

/** The cut-off that keeps keys for 24 hours. */
export function idempotencyCutoff(now: Date): Date {
  return new Date(now.getTime() - 24 * 60 * 60 * 1000);
}
