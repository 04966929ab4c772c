import { type RawBuilder, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { explainQuery } from "../db/explain.ts";
import { useTestDb } from "../testing/index.ts";
import { seedScale } from "../testing/scale-data.ts";

// The ticks' prunes and /metrics' gauge find their rows through indexes on 20,000 rows per function:
// the statements as pruneProcessed, pruneSent, pruneAuthRecords and countUnsent send them.

const t = useTestDb();
const cutoff = sql`now() - make_interval(days => ${7})`;

describe("housekeeping and /metrics plans on 20,000 events per function", () => {
  it("reach old and unsent rows through indexes, never a scan of the table", async () => {
    await seedScale(t.db, { orders: 2_000, users: 20_000, menuItems: 100, events: 20_000 });
    const plan = (query: RawBuilder<unknown>) => explainQuery(t.db, { compile: () => query.compile(t.db) });

    expect(
      await plan(sql`delete from processed_events where consumer = ${"order"} and processed_at < ${cutoff}`),
    ).toMatch(/processed_events_consumer_processed_idx/);
    expect(
      await plan(
        sql`delete from outbox where source = ${"order"} and status = 'sent' and sent_at < ${cutoff}`,
      ),
    ).toMatch(/outbox_sent_idx/);
    expect(await plan(sql`delete from refresh_tokens where expires_at < ${cutoff}`)).toMatch(
      /refresh_tokens_expires_idx/,
    );
    expect(
      await plan(sql`select count(*)::int from outbox where source = ${"order"} and status = ${"pending"}`),
    ).toMatch(/outbox_pending_idx/);
    expect(
      await plan(sql`select count(*)::int from outbox where source = ${"order"} and status = ${"abandoned"}`),
    ).toMatch(/outbox_abandoned_idx/);
  }, 180_000);
});
