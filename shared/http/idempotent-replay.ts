import { createHash } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import type { IdempotencyClaim, IdempotencyKeyStore } from "../db/idempotency.ts";
import { AppError } from "../errors.ts";
import { readCappedBytes } from "./body.ts";
import type { AppEnv } from "./env.ts";

/** Idempotency keys are opaque printable text of at most 255 characters (the column's width). */
const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,255}$/;

export interface IdempotentReplayOptions {
  /** Where the keys are kept. */
  store: IdempotencyKeyStore;
  /** Whose key it is: keys are scoped to the caller. */
  owner: (c: Context<AppEnv>) => number;
  /** The status the route answers a success with, stored with the result and replayed with it. */
  status: number;
}

/**
 * `Idempotency-Key` for one route: a retry with the same key and the same body (compared byte for byte,
 * as sent) is answered the first answer, marked `Idempotent-Replayed: true`, without doing the work
 * again; the same key with another body is 422. The key is claimed and the answer stored in the verb's
 * own transaction (`claimOf(c)` is what the route hands its verb), so a failed first attempt stores
 * nothing and a concurrent retry waits for the first and then replays it. Without the header the route
 * runs as it would without this middleware.
 */
export function idempotentReplay<T>(options: IdempotentReplayOptions) {
  const claims = new WeakMap<Context, { claim: IdempotencyClaim<T>; replayed: boolean }>();

  const middleware: MiddlewareHandler<AppEnv> = async function idempotentReplay(c, next) {
    const key = c.req.header("idempotency-key");
    if (key === undefined) return next();
    if (!IDEMPOTENCY_KEY.test(key)) {
      throw new AppError("bad_request", "The Idempotency-Key header must be 1 to 255 printable characters.");
    }
    // A copy, so the route still reads the body; at most 64 KiB, as every body.
    const requestHash = hashBytes(await readCappedBytes(c.req.raw.clone()));
    const owner = options.owner(c);
    const entry = {
      replayed: false,
      claim: {
        claim: async (trx) => {
          const found = await options.store.claim(trx, owner, key, requestHash);
          if (found.claimed) return undefined;
          if (found.requestHash !== requestHash) {
            throw new AppError(
              "idempotency_mismatch",
              "This Idempotency-Key was already used with a different request body; use a new key.",
            );
          }
          if (found.response === null) {
            throw new AppError(
              "conflict",
              "A request with this Idempotency-Key is still being processed; retry shortly.",
            );
          }
          entry.replayed = true;
          // What this key stored is what the route answered: its result, as it was then.
          return found.response.body as T;
        },
        record: (trx, result) =>
          options.store.store(trx, owner, key, { status: options.status, body: result }),
      } satisfies IdempotencyClaim<T>,
    };
    claims.set(c, entry);
    await next();
    if (entry.replayed && c.res.status === options.status) c.res.headers.set("idempotent-replayed", "true");
  };

  return {
    middleware,
    /** The request's claim on its key, for the verb; undefined when the request sent none. */
    claimOf: (c: Context): IdempotencyClaim<T> | undefined => claims.get(c)?.claim,
  };
}

function hashBytes(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
