import { mkdirSync } from "node:fs";
import { Kysely, PGliteDialect, PostgresDialect } from "kysely";
import pg from "pg";
import type { Logger } from "../log.ts";
import { callbackPool } from "./pg-pool.ts";
import { openPGlite } from "./pglite.ts";
import type { Database } from "./types.ts";

export interface DbOptions {
  /** A postgres:// URL; when absent an embedded PGlite database under `dataDir` is used. */
  databaseUrl?: string | undefined;
  /** Where the embedded database lives (default `./.data/pglite`). `memory://` keeps it in memory. */
  dataDir?: string | undefined;
  /** Pool size for a server connection. */
  poolMax?: number | undefined;
  logger?: Logger | undefined;
}

// numeric and int8 stay strings (exact money, no silent overflow); pg already does this for numeric.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);

/**
 * Creates the one Kysely instance a process uses: PostgreSQL over `pg` when a URL is given, the
 * embedded PGlite otherwise. The caller owns it and must `destroy()` it on shutdown.
 */
export function createDb(options: DbOptions): Kysely<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolMax ?? 10,
      connectionTimeoutMillis: 3_000,
      idleTimeoutMillis: 10_000,
    });
    // An idle client whose server goes away emits 'error'; unhandled, it would crash the process.
    pool.on("error", (err) => options.logger?.warn("idle database client failed", { error: err.message }));
    // A checked-out client has no listener of the pool's; when its server goes away mid-transaction it
    // emits 'error' after the query has already failed, and unheard that would crash the process. The
    // pool drops such a client when it is released.
    pool.on("connect", (client) =>
      client.on("error", (err) => options.logger?.warn("database connection lost", { error: err.message })),
    );
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool: callbackPool(pool) }) });
  }
  const dataDir = options.dataDir ?? ".data/pglite";
  return new Kysely<Database>({
    dialect: new PGliteDialect({
      pglite: async () => {
        if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
        return openPGlite({ dataDir });
      },
    }),
  });
}
