import type { Hono } from "hono";
import type { Kysely } from "kysely";
import type { VerifyAccessToken } from "../auth/verifier.ts";
import type { BaseConfig } from "../config/schema.ts";
import type { Database } from "../db/types.ts";
import type { FunctionName } from "../events/catalogue.ts";
import type { EventingOptions } from "../events/edges/receiver.ts";
import type { VerifySender } from "../events/identity/sender-identity.ts";
import type { Publisher } from "../events/outbox/publisher.ts";
import type { EventHandlers, PingHook } from "../events/receive/handlers.ts";
import type { AppEnv } from "../http/env.ts";
import type { Logger } from "../log.ts";

/** What the runtime hands every function when it builds its app. */
export interface FunctionContext {
  /** The raw environment, for a function that reads more than the base config (auth does). */
  env: Record<string, string | undefined>;
  config: BaseConfig;
  db: Kysely<Database>;
  logger: Logger;
  verify: VerifyAccessToken;
  /** Checks who delivers to `/events` and `/events/dead-letter` (only the broker, see sender-identity.ts). */
  verifySender: VerifySender;
  publisher: Publisher;
  /** Knobs of the event machinery (the sweep's batches, retention); unset, production's defaults. */
  eventing?: EventingOptions | undefined;
}

/** One Tavola function: its name, the public path prefixes the gateway sends it, and its app. */
export interface FunctionDefinition {
  name: FunctionName;
  /** Public path prefixes (without trailing slash) routed to this function; never `/events`. */
  routes: readonly string[];
  /** The CloudEvent types this function consumes and its reaction to each, served on `POST /events`. */
  events?: EventHandlers;
  /** Housekeeping on every PingSource tick, after the outbox sweep (the order function prunes idempotency keys). */
  onPing?: PingHook;
  build(ctx: FunctionContext): Promise<Hono<AppEnv>>;
}
