import { performance } from "node:perf_hooks";
import type { BenchContext } from "../lib/context.ts";
import { fillCarts } from "../lib/database.ts";
import { watchDeliveries } from "../lib/delivery-watch.ts";
import { startEventStack } from "../lib/event-stack.ts";
import { sleep } from "../lib/process.ts";
import { fmt, verdict } from "../lib/report.ts";
import { summarizeLatencies } from "../lib/stats.ts";
import { sweepBenchmark } from "./sweep.ts";

// Section 3: from POST /api/orders returning to the delivery row being visible (committed by the
// delivery function after the broker delivered tavola.order.placed), one order at a time on an
// otherwise idle stack; then the outbox sweep draining a backlog through the same stack.

export async function eventsSection(ctx: BenchContext): Promise<void> {
  if (!ctx.bundles.has("order") || !ctx.bundles.has("delivery")) {
    ctx.notes.push("Event latency: not measured, the order or delivery function does not exist yet.");
    return;
  }
  ctx.log(`events: ${ctx.settings.eventOrders} orders through the local broker`);
  const stack = await startEventStack(ctx);
  const watch = await watchDeliveries(ctx.database.url);
  try {
    await fillCarts(ctx.database.db, 3);
    const latencies: number[] = [];
    let beforeAnswer = 0;
    let failures = 0;
    const warmup = 10;
    for (let i = 0; i < ctx.settings.eventOrders + warmup; i++) {
      const response = await fetch(`${stack.order.baseUrl}/api/orders`, {
        method: "POST",
        headers: { authorization: `Bearer ${ctx.customerTokens[i]}` },
      });
      const body = (await response.json()) as { id?: number };
      const answered = performance.now();
      if (response.status !== 201 || typeof body.id !== "number") {
        failures++;
        continue;
      }
      const visible = await watch.visible(body.id).catch(() => Number.NaN);
      if (Number.isNaN(visible)) failures++;
      else if (i >= warmup) {
        if (visible < answered) beforeAnswer++;
        latencies.push(Math.max(0, visible - answered));
      }
      await sleep(5); // one order at a time, on an idle stack
    }
    const summary = summarizeLatencies(latencies);
    ctx.figures.push(
      {
        section: "Event latency (POST /api/orders answered → delivery row committed)",
        what: "p99",
        value: fmt.ms(summary.p99),
        target: "< 50 ms",
        verdict: verdict(summary.p99, { max: 50 }),
        note: `${summary.count} orders one at a time through the local broker${beforeAnswer ? `; ${beforeAnswer} were visible before the answer (counted as 0)` : ""}${failures ? `; ${failures} failed` : ""}`,
      },
      {
        section: "Event latency (POST /api/orders answered → delivery row committed)",
        what: "p50 / max",
        value: `${fmt.ms(summary.p50)} / ${fmt.ms(summary.max)}`,
      },
    );
    ctx.raw.events = { summary, beforeAnswer, failures, latencies };
    await sweepBenchmark(ctx, stack, watch);
  } finally {
    await watch.close();
    await stack.stop();
  }
}
