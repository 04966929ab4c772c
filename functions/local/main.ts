// `npm start`: the whole system in one process on the embedded default (or DATABASE_URL): migrations and
// seed, every function's app behind one gateway on PORT (8080).

import { seed } from "../../db/seed.ts";
import { createVerifier } from "../../shared/auth/verifier.ts";
import { parseConfig } from "../../shared/config/parse.ts";
import { seedConfigSchema } from "../../shared/config/schema.ts";
import { createDb } from "../../shared/db/create-db.ts";
import { migrateToLatest } from "../../shared/db/migrate.ts";
import { holdingPublisher } from "../../shared/events/publisher.ts";
import { createLogger } from "../../shared/log.ts";
import { assembleFunction } from "../../shared/runtime/assemble.ts";
import { loadOrCreateLocalKeys } from "../../shared/runtime/local-keys.ts";
import { serveUntilSignalled } from "../../shared/runtime/serve.ts";
import { FUNCTIONS, gatewayRoutes } from "../registry.ts";
import { createGateway } from "./gateway.ts";

const env = process.env;
const config = parseConfig(seedConfigSchema, env);
const logger = createLogger(config.LOG_LEVEL, { function: "local" });
const db = createDb({
  databaseUrl: config.DATABASE_URL,
  dataDir: `${config.DATA_DIR}/pglite`,
  poolMax: config.DB_POOL_MAX,
  logger,
});
await migrateToLatest(db);
const seeded = await seed(db, { adminUsername: config.ADMIN_USERNAME, adminPassword: config.ADMIN_PASSWORD });
const keys = await loadOrCreateLocalKeys(config.DATA_DIR);
const verify = createVerifier({
  publicKey: keys.publicKey,
  issuer: config.TOKEN_ISSUER,
  audience: config.TOKEN_AUDIENCE,
});
const publisher = holdingPublisher;

const apps = Object.fromEntries(
  await Promise.all(
    FUNCTIONS.map(async (fn) => [
      fn.name,
      (
        await assembleFunction(fn, {
          env,
          config,
          db,
          logger: logger.child({ function: fn.name }),
          verify,
          publisher,
        })
      ).fetch,
    ]),
  ),
);
const gateway = createGateway(gatewayRoutes(), apps);
await serveUntilSignalled({ fetch: gateway, port: config.PORT, logger, onShutdown: () => db.destroy() });

const where = config.DATABASE_URL
  ? "PostgreSQL at DATABASE_URL"
  : `embedded PGlite in ${config.DATA_DIR}/pglite`;
process.stdout.write(
  [
    "",
    `Tavola is running on http://localhost:${config.PORT} (${where})`,
    seeded.adminPassword
      ? `Admin user: ${seeded.adminUsername} / ${seeded.adminPassword}  (created now; keep it, it is not shown again)`
      : `Admin user: ${seeded.adminUsername} (exists already; password as set when it was created)`,
    "",
  ].join("\n"),
);
