import { readFile } from "node:fs/promises";
import { Kysely, PGliteDialect, PostgresDialect } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { callbackPool } from "../db/pg-pool.ts";
import { openPGlite } from "../db/pglite.ts";
import type { Database } from "../db/types.ts";
import { withDatabase } from "./template.ts";

export interface TestDb {
  db: Kysely<Database>;
  /** A URL for a second, independent connection pool (server runs only; undefined on PGlite). */
  url: string | undefined;
  close(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: a copy of the run's template, on PGlite or on the
 * server named by DATABASE_URL. Nothing is shared with other files.
 */
export async function createTestDb(): Promise<TestDb> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const template = inject("pgTemplate");
    const name = `tavola_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await createFromTemplate(admin, name, template);
    } finally {
      await admin.end();
    }
    const url = withDatabase(serverUrl, name);
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    // pool.end() resolves before its clients' sockets close; the forced drop below may then terminate a
    // closing client (57P01), which pg reports on the pool. Unhandled, that fails the run after every
    // test passed, the more likely the more connections a file used.
    pool.on("error", (error) => {
      if ((error as { code?: string }).code !== "57P01") throw error;
    });
    // The same adapter the functions use (createDb), so the server run exercises it everywhere.
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: callbackPool(pool) }) });
    return {
      db,
      url,
      close: async () => {
        await db.destroy();
        const drop = new pg.Client({ connectionString: serverUrl });
        await drop.connect();
        await drop.query(`drop database if exists ${name} with (force)`);
        await drop.end();
      },
    };
  }
  const tar = await readFile(inject("pgliteTemplate"));
  const pglite = await openPGlite({ loadDataDir: new Blob([tar]) });
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  return { db, url: undefined, close: () => db.destroy() };
}

// Copying a template fails while another session is connected to it; several files start at once.
async function createFromTemplate(admin: pg.Client, name: string, template: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`create database ${name} template ${template}`);
      return;
    } catch (error) {
      if (attempt >= 20 || (error as { code?: string }).code !== "55006") throw error;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
    }
  }
}

/**
 * Registers beforeAll/afterAll hooks that give the file its own database; read `.db` inside tests.
 */
export function useTestDb(): { readonly db: Kysely<Database>; readonly url: string | undefined } {
  let current: TestDb | undefined;
  beforeAll(async () => {
    current = await createTestDb();
  }, 60_000);
  afterAll(async () => {
    await current?.close();
  });
  return {
    get db() {
      if (!current) throw new Error("useTestDb: the database is created in beforeAll; use it inside tests");
      return current.db;
    },
    get url() {
      return current?.url;
    },
  };
}
