import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { isBuiltin } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Kysely, PGliteDialect, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPGlite } from "../shared/db/pglite.ts";
import type { Database } from "../shared/db/types.ts";
import { freePort } from "../shared/testing/free-port.ts";
import { withDatabase } from "../shared/testing/template.ts";
import { type BundleReport, bundle, discoverFunctions, MIGRATE, migrateEntry } from "./build.ts";
import { ensureStopped, startBundle, waitForOutput } from "./bundle-process.ts";
import { FUNCTIONS } from "./registry.ts";

// Builds what `npm run build` builds (into a temporary dist/) and runs each bundle as the image runs it.
// Besides every functions/<name>/main.ts there is always one test-only function, "probe", made of the
// shared runtime alone, so the pipeline is proven even before any function exists.

const root = resolve(import.meta.dirname, "..");
const functions = await discoverFunctions(root);

// Imported only on demand, never in the cluster: PGlite when DATABASE_URL is unset, pg-native if asked for.
const LAZY = ["@electric-sql/pglite", "@electric-sql/pglite/contrib/pg_trgm", "pg-native"];

let work: string;
let dist: string;
let reports: BundleReport[];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "tavola-bundles-"));
  dist = join(work, "dist");
  await mkdir(join(work, "probe"));
  // Only the lazily imported PGlite of local runs may resolve outside the bundle (never in the cluster).
  await symlink(join(root, "node_modules"), join(work, "node_modules"));
  await writeFile(join(work, "probe", "main.ts"), probeMain());
  const probe = { name: "probe", entry: join(work, "probe", "main.ts") };
  reports = await bundle([...functions, probe, migrateEntry(root)], dist);
}, 120_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe("npm run build", () => {
  it("finds a main.ts for every function in the registry", () => {
    const found = functions.map((f) => f.name);
    for (const fn of FUNCTIONS) expect(found).toContain(fn.name);
    expect(found).not.toContain("local");
  });

  it("bundles each program to one file that imports nothing but Node's built-ins", () => {
    expect(reports.length).toBeGreaterThanOrEqual(2);
    for (const report of reports) {
      expect(report.bytes, report.name).toBeGreaterThan(10_000);
      expect(report.bytes, `${report.name} is ${report.bytes} bytes`).toBeLessThan(1_000_000);
      const foreign = report.external.filter((p) => !isBuiltin(p) && !LAZY.includes(p));
      expect(foreign, report.name).toEqual([]);
    }
  });

  it("keeps PGlite out of the bundles (lazily imported, local runs only)", async () => {
    for (const report of reports) {
      const text = await readFile(report.file, "utf8");
      expect(text, report.name).not.toContain("pglite.wasm");
      expect(text, report.name).toContain('import("@electric-sql/pglite")');
    }
  });
});

describe("each function bundle, as the image runs it", () => {
  it.each([...functions.map((f) => f.name), "probe"])(
    "%s starts on PORT, answers /healthz, and exits 0 on SIGTERM",
    async (name) => {
      const listen = await freePort();
      const running = startBundle(dist, {
        FUNCTION: name,
        PORT: String(listen),
        DATA_DIR: join(work, `data-${name}`),
        LOG_LEVEL: "info",
      });
      try {
        await waitForOutput(running, (out) => out.includes('"listening"'));
        const health = await fetch(`http://127.0.0.1:${listen}/healthz`);
        expect(health.status).toBe(200);
        expect(await health.json()).toEqual({ status: "ok" });
        running.child.kill("SIGTERM");
        expect(await running.exited).toBe(0);
        expect(running.output()).toContain('"shutting down"');
      } finally {
        await ensureStopped(running);
      }
    },
  );

  it("refuses an unknown FUNCTION with exit code 64, naming the choices", async () => {
    const running = startBundle(dist, { FUNCTION: "events" });
    expect(await running.exited).toBe(64);
    expect(running.output()).toContain("FUNCTION must be one of");
    expect(running.output()).toContain(MIGRATE);
  });

  it("fails fast on a bad environment, listing every bad variable and no minified source", async () => {
    const running = startBundle(dist, { FUNCTION: "probe", PORT: "eighty", DB_POOL_MAX: "0" });
    expect(await running.exited).toBe(1);
    expect(running.output()).toContain("Invalid configuration");
    expect(running.output()).toContain("PORT:");
    expect(running.output()).toContain("DB_POOL_MAX:");
    expect(running.output().length).toBeLessThan(4_000);
  });
});

describe("the migration bundle (the migration Job)", () => {
  it("migrates and seeds an empty database, after which a function is ready", async () => {
    const target = await emptyDatabase();
    try {
      const migrate = startBundle(dist, {
        FUNCTION: MIGRATE,
        ...target.env,
        ADMIN_USERNAME: "root-admin",
        ADMIN_PASSWORD: "a-long-test-password",
      });
      expect(await migrate.exited, migrate.output()).toBe(0);
      expect(migrate.output()).toContain("2026-11-22T00-00_initial");
      expect(migrate.output()).not.toContain("a-long-test-password");

      const listen = await freePort();
      const probe = startBundle(dist, { FUNCTION: "probe", PORT: String(listen), ...target.env });
      try {
        await waitForOutput(probe, (out) => out.includes('"listening"'));
        expect((await fetch(`http://127.0.0.1:${listen}/readyz`)).status).toBe(200);
        probe.child.kill("SIGTERM");
        expect(await probe.exited).toBe(0);
      } finally {
        await ensureStopped(probe);
      }
      expect(await target.admins()).toEqual(["root-admin"]);
    } finally {
      await target.drop();
    }
  }, 60_000);
});

/** A database with nothing in it: a new one on the server, or a new PGlite directory. */
async function emptyDatabase() {
  const server = process.env.DATABASE_URL;
  const name = `tavola_bundle_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const dataDir = join(work, name);
  if (server) await adminQuery(server, `create database ${name}`);
  const open = () =>
    server
      ? new Kysely<Database>({
          dialect: new PostgresDialect({
            pool: new pg.Pool({ connectionString: withDatabase(server, name), max: 1 }),
          }),
        })
      : new Kysely<Database>({
          dialect: new PGliteDialect({
            pglite: () => openPGlite({ dataDir: join(dataDir, "pglite") }),
          }),
        });
  return {
    env: (server ? { DATABASE_URL: withDatabase(server, name) } : { DATA_DIR: dataDir }) as Record<
      string,
      string
    >,
    async admins(): Promise<string[]> {
      const db = open();
      try {
        const rows = await sql<{ username: string }>`select username from users where is_admin`.execute(db);
        return rows.rows.map((r) => r.username);
      } finally {
        await db.destroy();
      }
    },
    drop: async () => {
      if (server) await adminQuery(server, `drop database if exists ${name} with (force)`);
    },
  };
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

function probeMain(): string {
  const shared = (path: string) => JSON.stringify(join(root, "shared", path));
  return `import { LATEST_MIGRATION } from ${JSON.stringify(join(root, "db", "migrations", "index.ts"))};
import { Hono } from "hono";
import { runFunction } from ${shared("runtime/run-function.ts")};
await runFunction(
  { name: "probe", routes: [], http: () => new Hono(), events: {}, deps: ({ db, logger, verify }) => ({ db, logger, verify }) },
  LATEST_MIGRATION,
);
`;
}
