import type { Hono } from "hono";
import { type Kysely, sql } from "kysely";
import type { Database } from "../db/types.ts";
import type { AppEnv } from "./env.ts";
import { problem, problemResponse } from "./problem.ts";

/**
 * `GET /healthz`: the process is up (no I/O, for liveness). `GET /readyz`: the database answers within
 * two seconds (for readiness); 503 otherwise.
 */
export function mountHealth(app: Hono<AppEnv>, db: Kysely<Database>): void {
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    try {
      await withTimeout(sql`select 1`.execute(db), 2_000);
      return c.json({ status: "ready" });
    } catch {
      return problemResponse(problem(503, "The database is not reachable."), { "retry-after": "5" });
    }
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timed out")), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
