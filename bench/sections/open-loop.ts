import { type BenchContext, baselineSpec, functionSpec, readyProbe } from "../lib/context.ts";
import { runOpenLoop } from "../lib/open-loop.ts";
import { type RunningServer, startServer } from "../lib/process.ts";
import { fmt, verdict } from "../lib/report.ts";
import { takePort } from "../lib/settings.ts";
import { median, summarizeLatencies } from "../lib/stats.ts";

// Tail latency below saturation: the menu list at a steady rate (open loop, latency from each
// request's scheduled send time), the menu function against the baseline, runs alternating.

export async function openLoopSection(ctx: BenchContext): Promise<void> {
  if (!ctx.bundles.has("menu")) {
    ctx.notes.push("Open-loop menu list: not measured, the menu function does not exist yet.");
    return;
  }
  const { settings, seeded } = ctx;
  ctx.log(`open loop: menu list at ${settings.openLoopRate} req/s`);
  const fn = await startServer(functionSpec(ctx, "menu", takePort()), readyProbe(ctx, "menu"));
  const base = await startServer(baselineSpec(ctx, takePort()), readyProbe(ctx, "baseline"));
  const runs: Record<"fn" | "base", ReturnType<typeof summarizeLatencies>[]> = { fn: [], base: [] };
  const lag: number[] = [];
  let failures = 0;
  try {
    const path = `/api/menu-items?category=${seeded.category.id}&ordering=price&perpage=20`;
    const once = async (server: RunningServer, warmupMs: number) => {
      const result = await runOpenLoop({
        url: `${server.baseUrl}${path}`,
        ratePerSecond: settings.openLoopRate,
        durationMs: settings.openLoopSeconds * 1000,
        warmupMs,
      });
      lag.push(result.sendLagP99);
      failures += result.errors + result.non2xx;
      return summarizeLatencies(result.latencies);
    };
    for (let i = 0; i < settings.openLoopRuns; i++) {
      const warmup = i === 0 ? 1_000 : 250;
      if (i % 2 === 0) {
        runs.fn.push(await once(fn, warmup));
        runs.base.push(await once(base, warmup));
      } else {
        runs.base.push(await once(base, warmup));
        runs.fn.push(await once(fn, warmup));
      }
    }
  } finally {
    await Promise.all([fn.stop(), base.stop()]);
  }
  const p = (side: "fn" | "base", key: "p50" | "p99") => median(runs[side].map((r) => r[key]));
  const ratio = p("fn", "p99") / p("base", "p99");
  const section = `Tail latency at a steady ${settings.openLoopRate} req/s (open loop)`;
  ctx.figures.push(
    {
      section,
      what: "menu list p99",
      value: fmt.ms(p("fn", "p99")),
      baseline: fmt.ms(p("base", "p99")),
      ratio: fmt.ratio(ratio),
      spread: `fn ${runs.fn.map((r) => fmt.ms(r.p99)).join(", ")}; base ${runs.base.map((r) => fmt.ms(r.p99)).join(", ")}`,
      target: "≤ 1.5×",
      verdict: verdict(ratio, { max: 1.5 }),
      note: `${settings.openLoopRuns} run(s) × ${settings.openLoopSeconds} s each side; driver send lag p99 ≤ ${fmt.ms(Math.max(...lag))}${failures ? `; ${failures} failed` : ""}`,
    },
    {
      section,
      what: "menu list p50",
      value: fmt.ms(p("fn", "p50")),
      baseline: fmt.ms(p("base", "p50")),
      ratio: fmt.ratio(p("fn", "p50") / p("base", "p50")),
    },
  );
  ctx.raw.openLoop = { rate: settings.openLoopRate, runs, sendLagP99: lag, failures };
}
