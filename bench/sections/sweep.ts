import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { eventsAudience } from "../../shared/events/identity/sender-identity.ts";
import type { BenchContext } from "../lib/context.ts";
import type { DeliveryWatch } from "../lib/delivery-watch.ts";
import type { EventStack } from "../lib/event-stack.ts";
import { sleep } from "../lib/process.ts";
import { fmt } from "../lib/report.ts";
import { median } from "../lib/stats.ts";

// The outbox sweep draining a backlog: N pending tavola.order.placed rows (as a broker outage would
// leave them), then pings sent to the order function's /events as its PingSource sends them, back to
// back, until nothing is pending; and until the delivery function has applied every one.

const SOURCE = "/tavola/order";

interface PingReport {
  sweep?: { claimed?: number; sent?: number; failed?: number; abandoned?: number; released?: number };
}

export async function sweepBenchmark(
  ctx: BenchContext,
  stack: EventStack,
  watch: DeliveryWatch,
): Promise<void> {
  const n = ctx.settings.sweepEvents;
  const { db } = ctx.database;
  ctx.log(`sweep: draining ${n} pending events`);
  const customer = ctx.seeded.customers[0]!.id;
  const item = ctx.seeded.itemIds[0]!;
  // Rows an earlier section could not send (a stand-in sink that timed out under load) are swept too.
  const before = await sql<{ n: number }>`select count(*)::int as n from outbox
    where source = ${SOURCE} and status = 'pending'`.execute(db);
  const earlier = before.rows[0]?.n ?? 0;
  await sql`insert into outbox (id, source, type, subject, data, created_at)
    select gen_random_uuid(), ${SOURCE}::text, 'tavola.order.placed', (50000000 + g)::text,
      jsonb_build_object('order_id', 50000000 + g, 'user_id', ${customer}::int, 'total', '1.00',
        'items', jsonb_build_array(jsonb_build_object('menuitem_id', ${item}::int, 'quantity', 1, 'unit_price', '1.00'))),
      now() - interval '1 hour' + g * interval '1 millisecond'
    from generate_series(1, ${n}::int) g`.execute(db);
  await sql`analyze outbox`.execute(db);
  const seenBefore = watch.seen();
  const pingMs: number[] = [];
  let batch = 0;
  let failed = 0;
  const started = performance.now();
  const deadline = started + (ctx.settings.mode === "quick" ? 30_000 : 300_000);
  for (;;) {
    const t = performance.now();
    const response = await fetch(`${stack.order.baseUrl}/events`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "ce-specversion": "1.0",
        "ce-id": crypto.randomUUID(),
        "ce-source": "/apis/v1/namespaces/tavola/pingsources/outbox-sweep-order",
        "ce-type": "dev.knative.sources.ping",
        // As the PingSource sends it: with a sender token for the order function's audience.
        authorization: `Bearer ${await stack.issuer.sign(eventsAudience("order"), "system:serviceaccount:tavola:outbox-sweep-order")}`,
      },
      body: '{"task": "sweep-outbox"}',
    });
    const report = (await response.json()) as PingReport;
    pingMs.push(performance.now() - t);
    const claimed = report.sweep?.claimed ?? 0;
    batch = Math.max(batch, claimed);
    failed += (report.sweep?.failed ?? 0) + (report.sweep?.abandoned ?? 0);
    if (!response.ok || claimed === 0 || performance.now() > deadline) break;
  }
  const drainedMs = performance.now() - started;
  const pending = await sql<{ n: number }>`select count(*)::int as n from outbox
    where source = ${SOURCE} and status = 'pending'`.execute(db);
  const left = pending.rows[0]?.n ?? -1;
  const total = n + earlier;
  while (watch.seen() - seenBefore < total - left && performance.now() < deadline + 30_000) await sleep(20);
  const appliedMs = performance.now() - started;
  const applied = watch.seen() - seenBefore;
  const pings = pingMs.length - 1; // the last one found nothing
  const section = "Outbox sweep (a backlog of pending events, pings back to back)";
  ctx.figures.push(
    {
      section,
      what: `drain ${n} pending events`,
      value: `${Math.round(((total - left) * 1000) / drainedMs)} events/s`,
      spread: `${(drainedMs / 1000).toFixed(1)} s, ${pings} ping(s) sweeping ≤ ${batch} events each, ping p50 ${fmt.ms(median(pingMs))}`,
      note: `${left} still pending${failed ? `, ${failed} sends failed` : ""}${earlier ? `; ${earlier} rows left pending by earlier sections were swept too` : ""}`,
    },
    {
      section,
      what: "the same backlog at the PingSource's schedule (one ping a minute)",
      value: `${pings} min`,
      note: `one ping swept at most ${batch} events`,
    },
    {
      section,
      what: `all ${n} delivery rows committed`,
      value: `${(appliedMs / 1000).toFixed(1)} s`,
      note: `${applied} of ${total} applied by the delivery function through the broker`,
    },
  );
  ctx.raw.sweep = { events: n, earlier, drainedMs, appliedMs, pings, batch, pingMs, left, failed, applied };
}
