import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kysely, PGliteDialect, PostgresDialect, sql } from "kysely";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { openPGlite } from "../shared/db/pglite.ts";
import { withDatabase } from "../shared/testing/template.ts";
import { migrateToLatest } from "./migrate-to-latest.ts";

/**
 * Migrates one template per test run: a PGlite dump (loading it is much cheaper per test file than
 * migrating a fresh instance; bench/README.md, "Figures behind code choices"), or a template database
 * on the server that each file copies.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `tavola_tpl_${process.pid}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const db = new Kysely<any>({
      dialect: new PostgresDialect({
        pool: new pg.Pool({ connectionString: withDatabase(url, name), max: 1 }),
      }),
    });
    await migrateToLatest(db);
    await db.destroy();
    project.provide("pgTemplate", name);
    project.provide("pgliteTemplate", "");
    return async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  }
  const pglite = await openPGlite();
  const db = new Kysely<any>({ dialect: new PGliteDialect({ pglite }) });
  await migrateToLatest(db);
  await sql`checkpoint`.execute(db);
  const dump = await pglite.dumpDataDir("none");
  await db.destroy();
  const dir = await mkdtemp(join(tmpdir(), "tavola-test-"));
  const file = join(dir, "template.tar");
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  project.provide("pgliteTemplate", file);
  project.provide("pgTemplate", "");
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
