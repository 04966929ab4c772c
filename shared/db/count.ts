import { CompiledQuery, type Kysely, type SelectQueryBuilder, sql } from "kysely";
import type { PageCount } from "./page.ts";
import type { Database } from "./types.ts";

/**
 * How many matching rows a list counts exactly. Counting reads each row once (from an index where one
 * covers the filter), so an exact count grows with the table; past this cap the count is the planner's
 * estimate, marked `count_exact: false`. 1,000 rather than 10,000: at 10,000 the count alone was what
 * made the manager's order lists grow with the table (README.md, "Benchmarks"; `bench --scale`).
 */
export const EXACT_COUNT_CAP = 1_000;

/**
 * Counts the rows `matching` selects: reads at most EXACT_COUNT_CAP + 1 of them; when there are more,
 * answers the planner's estimate of the whole (from the table's statistics, no rows read), never less
 * than the cap + 1. `matching` is the list's filtered query with no ordering, limit or selection.
 */
export async function countCapped(
  db: Kysely<Database>,
  // biome-ignore lint/suspicious/noExplicitAny: any table's filtered query; only its rows are counted.
  matching: SelectQueryBuilder<Database, any, object>,
): Promise<PageCount> {
  const rows = matching.select(sql<number>`1`.as("one"));
  const capped = await db
    .selectFrom(rows.limit(EXACT_COUNT_CAP + 1).as("capped"))
    .select(sql<number>`count(*)::int`.as("n"))
    .executeTakeFirstOrThrow();
  if (capped.n <= EXACT_COUNT_CAP) return { count: capped.n, exact: true };
  return { count: Math.max(EXACT_COUNT_CAP + 1, await estimateRows(db, rows.compile())), exact: false };
}

/** The planner's estimate of a query's row count: EXPLAIN without running it. */
async function estimateRows(db: Kysely<Database>, query: CompiledQuery): Promise<number> {
  const result = await db.executeQuery<{ "QUERY PLAN": unknown }>(
    CompiledQuery.raw(`explain (format json) ${query.sql}`, [...query.parameters]),
  );
  const raw = result.rows[0]?.["QUERY PLAN"];
  const plan = (typeof raw === "string" ? JSON.parse(raw) : raw) as [{ Plan: { "Plan Rows": number } }];
  return Math.round(plan[0].Plan["Plan Rows"]);
}
