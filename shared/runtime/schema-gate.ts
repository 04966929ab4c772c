import { type Kysely, sql } from "kysely";
import type { Database } from "../db/types.ts";
import { problem, problemResponse } from "../http/problem.ts";
import type { Logger } from "../log.ts";

type Fetch = (request: Request, env?: unknown) => Response | Promise<Response>;

/**
 * Holds `GET /readyz` at 503 until the database has the newest migration this build knows, then lets
 * the app's own readiness check answer. In the cluster the migration is a Job applied with everything
 * else; Knative sends a revision no traffic until it is ready, so a new revision waits for its schema
 * while the previous one keeps serving. Once seen, the schema is not checked again.
 */
export function gateReadinessOnSchema(
  fetch: Fetch,
  db: Kysely<Database>,
  logger: Logger,
  migration: string,
): Fetch {
  let migrated = false;
  let warned = false;
  return async function schemaGate(request, env) {
    if (!migrated && new URL(request.url).pathname === "/readyz") {
      migrated = await hasMigration(db, migration);
      if (!migrated) {
        // Knative probes a starting pod many times a second: say it once.
        if (!warned) logger.warn("not ready: waiting for the migration Job", { migration });
        warned = true;
        const detail = `The database schema lacks migration ${migration}.`;
        return problemResponse(problem(503, detail), { "retry-after": "5" });
      }
    }
    return fetch(request, env);
  };
}

async function hasMigration(db: Kysely<Database>, name: string): Promise<boolean> {
  try {
    const found = await sql<{ name: string }>`select name from kysely_migration where name = ${name}`.execute(
      db,
    );
    return found.rows.length > 0;
  } catch {
    // No migration table yet, or the database is unreachable: not ready either way.
    return false;
  }
}
