import { type Compilable, CompiledQuery, type Kysely } from "kysely";
import type { Database } from "./types.ts";

/** The plan PostgreSQL chooses for a query, as text (costs off), for plan tests and the bench. */
export async function explainQuery(db: Kysely<Database>, query: Compilable<unknown>): Promise<string> {
  const compiled = query.compile();
  const plan = await db.executeQuery<{ "QUERY PLAN": string }>(
    CompiledQuery.raw(`explain (costs off) ${compiled.sql}`, [...compiled.parameters]),
  );
  return plan.rows.map((row) => row["QUERY PLAN"]).join("\n");
}
