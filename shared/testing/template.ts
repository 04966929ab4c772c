// What the test run's global setup (db/test-template.ts) hands each test file: the migrated template
// it copies its own database from (shared/testing/test-db.ts).

declare module "vitest" {
  export interface ProvidedContext {
    /** A file holding a migrated PGlite data directory, when testing on PGlite. */
    pgliteTemplate: string;
    /** The migrated template database on the server, when DATABASE_URL is set. */
    pgTemplate: string;
  }
}

/** The same server URL pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
