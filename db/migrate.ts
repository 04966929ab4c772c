// `npm run migrate`: brings the database named by DATABASE_URL (or the embedded one) to the newest
// schema, then seeds it. In the cluster this runs as the migration Job before the functions serve.
import { parseConfig } from "../shared/config/parse.ts";
import { seedConfigSchema } from "../shared/config/schema.ts";
import { createDb } from "../shared/db/create-db.ts";
import { createLogger } from "../shared/log.ts";
import { migrateToLatest } from "./migrate-to-latest.ts";
import { seed } from "./seed.ts";

const config = parseConfig(seedConfigSchema, process.env);
const logger = createLogger(config.LOG_LEVEL, { job: "migrate" });
const db = createDb({
  databaseUrl: config.DATABASE_URL,
  dataDir: `${config.DATA_DIR}/pglite`,
  poolMax: config.DB_POOL_MAX,
  logger,
});
try {
  const result = await migrateToLatest(db);
  logger.info("migrated", { applied: result.results?.map((r) => r.migrationName) ?? [] });
  if (!process.argv.includes("--no-seed")) {
    const seeded = await seed(db, {
      adminUsername: config.ADMIN_USERNAME,
      adminPassword: config.ADMIN_PASSWORD,
    });
    logger.info("seeded", { menu: seeded.menuSeeded, adminCreated: seeded.adminPassword !== undefined });
    if (seeded.adminPassword && !config.ADMIN_PASSWORD) {
      process.stdout.write(`Admin user created: ${seeded.adminUsername} / ${seeded.adminPassword}\n`);
    }
  }
} finally {
  await db.destroy();
}
