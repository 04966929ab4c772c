import type { Kysely } from "kysely";
import { parseConfig } from "../config/parse.ts";
import { type BaseConfig, baseConfigSchema } from "../config/schema.ts";
import { createDb } from "../db/create-db.ts";
import type { Database } from "../db/types.ts";
import { createHttpPublisher, holdingPublisher, type Publisher } from "../events/outbox/publisher.ts";
import { createNodeFetch } from "../events/outbox/sender.ts";
import { createLogger, type Logger } from "../log.ts";
import { assembleFunction } from "./assemble.ts";
import type { FunctionDefinition } from "./function.ts";
import { gateReadinessOnSchema } from "./schema-gate.ts";
import { senderVerifierFromConfig, withSinkToken } from "./sender-verifier.ts";
import { serveUntilSignalled } from "./serve.ts";
import { verifierFromConfig } from "./verifier.ts";

/**
 * Starts one function alone, as Knative runs it: config from the environment (fails fast listing every
 * bad variable), one database pool, the app on PORT (not ready until the schema is migrated), a clean
 * stop on SIGTERM (the function's live streams end at once: `stopping` in its context). `migration` is
 * the newest migration the build carries (db/migrations), passed in by main.ts so that shared/ never
 * imports db/.
 */
export async function runFunction(
  definition: FunctionDefinition,
  migration: string,
  env = process.env,
): Promise<void> {
  const config = parseConfig(baseConfigSchema, env);
  const logger = createLogger(config.LOG_LEVEL, { function: definition.name });
  const db = createDb({
    databaseUrl: config.DATABASE_URL,
    dataDir: `${config.DATA_DIR}/pglite`,
    poolMax: config.DB_POOL_MAX,
    logger,
  });
  const verify = await verifierFromConfig(config);
  const publisher = publisherFromConfig(config, { db, logger });
  const verifySender = senderVerifierFromConfig(config, definition.name, logger);
  // Aborted on SIGTERM; handed down so nothing needs a process-wide flag.
  const stopping = new AbortController();
  const app = await assembleFunction(definition, {
    env,
    config,
    db,
    logger,
    verify,
    verifySender,
    publisher,
    stopping: stopping.signal,
  });
  const fetch = gateReadinessOnSchema(app.fetch, db, logger, migration);
  await serveUntilSignalled({
    fetch,
    port: config.PORT,
    hostname: config.HOST,
    logger,
    onSignal: () => stopping.abort(),
    onShutdown: () => db.destroy(),
  });
}

/**
 * A function's publisher: to the broker's ingress when K_SINK is set (Knative's SinkBinding sets it),
 * otherwise one that leaves every event in the outbox for a sweep.
 */
export function publisherFromConfig(
  config: Pick<BaseConfig, "K_SINK" | "K_SINK_TOKEN_FILE">,
  deps: { db: Kysely<Database>; logger: Logger },
): Publisher {
  if (!config.K_SINK) return holdingPublisher;
  const fetch = config.K_SINK_TOKEN_FILE
    ? withSinkToken(createNodeFetch(), config.K_SINK_TOKEN_FILE)
    : undefined;
  return createHttpPublisher({ ...deps, sink: config.K_SINK, ...(fetch ? { fetch } : {}) });
}
