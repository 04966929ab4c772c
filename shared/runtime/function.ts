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
import type { FunctionAppOptions } from "../http/create-app.ts";
import type { AppEnv } from "../http/env.ts";
import type { LiveSettings } from "../live/settings.ts";
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
  /**
   * Aborted when the process is told to stop (SIGTERM): what would hold the drain open (live streams,
   * the feed poller) ends at once. Unset in tests that build an app without a process around it.
   */
  stopping?: AbortSignal | undefined;
}

/**
 * What every function's app needs, whatever else it takes: the frame's options (database, logger,
 * publisher, throttle, CORS) and a token verifier. A function whose app needs more extends it.
 */
export interface AppDeps extends FunctionAppOptions {
  verify: VerifyAccessToken;
  /** How live streams behave (order and delivery serve them); the defaults when unset. */
  live?: LiveSettings | undefined;
  /** The runtime's stop signal (FunctionContext.stopping): live streams end when it aborts. */
  stopping?: AbortSignal | undefined;
}

/**
 * One Tavola function, as its `definition.ts` declares it: its name, the public path prefixes the
 * gateway sends it, its HTTP edge (`routes.ts`), its event edge (`events.ts`) and what its app needs.
 * `createApp` and `assembleFunction` (assemble.ts) build every function's app from this, one way.
 */
export interface FunctionDefinition<Deps extends AppDeps = AppDeps> {
  name: FunctionName;
  /** Public path prefixes (without trailing slash) routed to this function; never `/events`. */
  routes: readonly string[];
  /** The function's routes under their full paths (its `routes.ts`). */
  http(deps: Deps): Hono<AppEnv>;
  /** The CloudEvent types this function consumes and its reaction to each, served on `POST /events`. */
  events: EventHandlers;
  /** Housekeeping on every PingSource tick, after the outbox sweep (the order function prunes idempotency keys). */
  onPing?: PingHook | undefined;
  /** What the function's app needs, from what the runtime hands it. */
  deps(ctx: FunctionContext): Deps | Promise<Deps>;
}
