// `npm start`: the whole system in one process on the embedded default (or DATABASE_URL): migrations and
// seed, every function's app behind one gateway on PORT (8080), and the local broker that routes their
// events as the Triggers in knative/ say and fires the PingSources' outbox sweeps.

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { migrateToLatest } from "../../db/migrate-to-latest.ts";
import { seed } from "../../db/seed.ts";
import { createVerifier } from "../../shared/auth/verifier.ts";
import { parseConfig } from "../../shared/config/parse.ts";
import { localConfigSchema } from "../../shared/config/schema.ts";
import { createDb } from "../../shared/db/create-db.ts";
import { createLogger } from "../../shared/log.ts";
import { loadOrCreateLocalKeys } from "../../shared/runtime/local-keys.ts";
import { serveUntilSignalled } from "../../shared/runtime/serve.ts";
import { FUNCTIONS } from "../registry.ts";
import { rememberLocalAdmin } from "./admin-credentials.ts";
import { createLocalStack } from "./stack.ts";
import { ensureWebBuilt } from "./web-build.ts";
import { createWebSite } from "./web-site.ts";

// A browser front end on another origin may call the local API (tokens travel in a header, no cookies).
const env = { CORS_ALLOWED_ORIGINS: "*", ...process.env };
const config = parseConfig(localConfigSchema, env);
const logger = createLogger(config.LOG_LEVEL, { function: "local" });
const db = createDb({
  databaseUrl: config.DATABASE_URL,
  dataDir: `${config.DATA_DIR}/pglite`,
  poolMax: config.DB_POOL_MAX,
  logger,
});
await migrateToLatest(db);
const seeded = await seed(db, { adminUsername: config.ADMIN_USERNAME, adminPassword: config.ADMIN_PASSWORD });
const admin = await rememberLocalAdmin(config, seeded);
const keys = await loadOrCreateLocalKeys(config.DATA_DIR);
const verify = createVerifier({
  publicKey: keys.publicKey,
  issuer: config.TOKEN_ISSUER,
  audience: config.TOKEN_AUDIENCE,
});

// The web app beside the API: built first when web/dist is missing or older than web/src.
const root = fileURLToPath(new URL("../..", import.meta.url));
await ensureWebBuilt(root, (line) => process.stdout.write(`${line}\n`));
const site = createWebSite(join(root, "web/dist"));

// Aborted on SIGTERM/SIGINT: open live streams end at once instead of holding the drain.
const stopping = new AbortController();
const stack = await createLocalStack({
  functions: FUNCTIONS,
  env,
  config,
  db,
  logger,
  verify,
  site,
  stopping: stopping.signal,
});
await serveUntilSignalled({
  fetch: stack.fetch,
  port: config.PORT,
  hostname: config.HOST,
  logger,
  onSignal: () => stopping.abort(),
  onShutdown: async () => {
    await stack.close();
    await db.destroy();
  },
});

const where = config.DATABASE_URL
  ? "PostgreSQL at DATABASE_URL"
  : `embedded PGlite in ${config.DATA_DIR}/pglite`;
const base = `http://${config.HOST === "127.0.0.1" ? "localhost" : config.HOST}:${config.PORT}`;
process.stdout.write(
  [
    "",
    `Tavola is running on ${base} (${where})`,
    admin,
    `Web app:  ${base}/ (customers, managers and delivery crew; see docs/web.md)`,
    `API docs: ${base}/docs (OpenAPI document: ${base}/openapi.json; the contract in words: docs/api.md)`,
    `Log in:   curl -s -X POST ${base}/api/token -H 'content-type: application/json' \\`,
    `            -d '{"username":"<username>","password":"<password>"}'`,
    "",
  ].join("\n"),
);
