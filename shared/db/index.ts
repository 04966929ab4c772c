export { createDb, type DbOptions } from "./create-db.ts";
export { isDatabaseUnavailable, sqlState } from "./errors.ts";
export { isRetryableConflict, type TransactionOptions, withTransaction } from "./transaction.ts";
export type * from "./types.ts";
