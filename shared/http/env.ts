import type { Kysely } from "kysely";
import type { Principal } from "../auth/principal.ts";
import type { VerifyAccessToken } from "../auth/verifier.ts";
import type { Database } from "../db/types.ts";
import type { PendingEventIds } from "../events/outbox/enqueue.ts";
import type { Logger } from "../log.ts";

/** The Hono environment every Tavola function shares. */
export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    principal: Principal;
    /** A bearer token the throttle already verified, so `requireAuth` need not verify it again. */
    verifiedToken: { token: string; verify: VerifyAccessToken; principal: Principal };
    /** Ids of the outbox rows this request wrote; published after the handler, before the answer. */
    pendingEventIds: PendingEventIds;
  };
}

/** What every function's `createApp` needs, whatever else it takes. */
export interface BaseDeps {
  db: Kysely<Database>;
  logger: Logger;
}
