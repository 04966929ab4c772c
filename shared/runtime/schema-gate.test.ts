import { Kysely, PGliteDialect, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { LATEST_MIGRATION } from "../../db/migrations/index.ts";
import { openPGlite } from "../db/pglite.ts";
import type { Database } from "../db/types.ts";
import { createLogger } from "../log.ts";
import { useTestDb } from "../testing/index.ts";
import { gateReadinessOnSchema } from "./schema-gate.ts";

const t = useTestDb();
const logger = createLogger("silent");
// The app behind the gate: its own /readyz and any other route answer 200 with a marker.
const app = async (request: Request) => Response.json({ from: "app", path: new URL(request.url).pathname });
const get = (fetch: ReturnType<typeof gateReadinessOnSchema>, path: string) =>
  fetch(new Request(`http://function${path}`));

describe("gateReadinessOnSchema", () => {
  it("lets /readyz through to the app once the newest migration is applied", async () => {
    expect(LATEST_MIGRATION).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}_/);
    const res = await get(gateReadinessOnSchema(app, t.db, logger, LATEST_MIGRATION), "/readyz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ from: "app", path: "/readyz" });
  });

  it("answers /readyz 503 while a migration is missing, and only /readyz", async () => {
    const missing = `9999-12-31T00-00_${crypto.randomUUID()}`;
    const gated = gateReadinessOnSchema(app, t.db, logger, missing);
    const res = await get(gated, "/readyz");
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("retry-after")).toBe("5");
    expect(((await res.json()) as { detail: string }).detail).toContain(missing);
    expect((await get(gated, "/healthz")).status).toBe(200);

    const now = new Date().toISOString();
    await sql`insert into kysely_migration (name, timestamp) values (${missing}, ${now})`.execute(t.db);
    try {
      expect((await get(gated, "/readyz")).status).toBe(200);
    } finally {
      await sql`delete from kysely_migration where name = ${missing}`.execute(t.db);
    }
    // Seen once, the schema is not asked about again.
    expect((await get(gated, "/readyz")).status).toBe(200);
  });

  it("answers 503 when the migration table does not exist yet", async () => {
    const empty = new Kysely<Database>({ dialect: new PGliteDialect({ pglite: await openPGlite() }) });
    try {
      expect((await get(gateReadinessOnSchema(app, empty, logger, LATEST_MIGRATION), "/readyz")).status).toBe(
        503,
      );
    } finally {
      await empty.destroy();
    }
  });
});
