import { sql } from "kysely";
import { type BenchContext, baselineSpec, functionSpec, readyProbe } from "../lib/context.ts";
import { type LoadResult, runLoad } from "../lib/load.ts";
import { type RunningServer, sleep, startServer } from "../lib/process.ts";
import { fmt, verdict } from "../lib/report.ts";
import { takePort } from "../lib/settings.ts";
import { median, pairedRatio, spread } from "../lib/stats.ts";
import { type RouteBench, routeBenches } from "./routes.ts";

// Section 1 (throughput and latency at saturation) and section 4 (memory): each function alone beside
// a fresh baseline process, runs alternating between the two so that both see the same machine.

interface Side {
  runs: LoadResult[];
  /** Server CPU (user + system) per answered request in each run, microseconds. */
  cpuPerRequest: number[];
}

interface MemoryFigures {
  idleRss: number;
  afterRss: number;
  peak: number;
}

export async function throughputSection(ctx: BenchContext): Promise<void> {
  const benches = routeBenches(ctx).filter(
    (b) => ctx.bundles.has(b.fn) && (!ctx.routes || ctx.routes.includes(b.key)),
  );
  const missing = routeBenches(ctx).filter((b) => !ctx.bundles.has(b.fn));
  for (const b of missing)
    ctx.notes.push(`${b.label}: not measured, the ${b.fn} function does not exist yet.`);
  const groups = [...new Set(benches.map((b) => b.fn))];
  const raw: Record<string, unknown> = {};
  for (const fn of groups) {
    const fnServer = await startServer(functionSpec(ctx, fn, takePort()), readyProbe(ctx, fn));
    const baseServer = await startServer(baselineSpec(ctx, takePort()), readyProbe(ctx, "baseline"));
    try {
      await sleep(1_000);
      const idle = await Promise.all([fnServer.memory(), baseServer.memory()]);
      for (const bench of benches.filter((b) => b.fn === fn)) {
        raw[bench.key] = await compare(ctx, bench, fnServer, baseServer);
      }
      const after = await Promise.all([fnServer.memory(), baseServer.memory()]);
      const fnMemory = { idleRss: idle[0].rss, afterRss: after[0].rss, peak: after[0].peak };
      const baseMemory = { idleRss: idle[1].rss, afterRss: after[1].rss, peak: after[1].peak };
      raw[`memory-${fn}`] = { function: fnMemory, baseline: baseMemory };
      memoryFigures(ctx, fn, fnMemory, baseMemory);
    } finally {
      await Promise.all([fnServer.stop(), baseServer.stop()]);
    }
  }
  ctx.raw.throughput = raw;
}

async function compare(ctx: BenchContext, bench: RouteBench, fn: RunningServer, base: RunningServer) {
  const { settings } = ctx;
  ctx.log(`throughput: ${bench.label}`);
  const run = async (server: RunningServer, seconds: number, side?: Side) => {
    await bench.prepare?.();
    const cpuBefore = await server.cpuMs();
    const result = await runLoad({
      baseUrl: server.baseUrl,
      connections: settings.connections,
      durationSeconds: seconds,
      next: bench.requests(),
    });
    side?.runs.push(result);
    side?.cpuPerRequest.push((((await server.cpuMs()) - cpuBefore) * 1000) / result.requests);
  };
  await run(fn, settings.warmupSeconds);
  await run(base, settings.warmupSeconds);
  const sides: { fn: Side; base: Side } = {
    fn: { runs: [], cpuPerRequest: [] },
    base: { runs: [], cpuPerRequest: [] },
  };
  for (let i = 0; i < settings.runs; i++) {
    // Alternate which side goes first, so that a trend in the machine's load favours neither.
    const order = i % 2 === 0 ? (["fn", "base"] as const) : (["base", "fn"] as const);
    for (const side of order) await run(side === "fn" ? fn : base, settings.durationSeconds, sides[side]);
  }
  const rps = (s: Side) => s.runs.map((r) => r.rps);
  const ratio = pairedRatio(rps(sides.fn), rps(sides.base));
  const fnRps = spread(rps(sides.fn));
  const baseRps = spread(rps(sides.base));
  const p = (s: Side, key: "p50" | "p99") => median(s.runs.map((r) => r.latency[key]));
  const non2xx = [...sides.fn.runs, ...sides.base.runs].reduce((n, r) => n + r.non2xx + r.errors, 0);
  const section = "Throughput at saturation (closed loop, autocannon)";
  const unsent = bench.key === "checkout" ? await unsentEvents(ctx) : "";
  const problems = [non2xx > 0 ? `${non2xx} non-2xx/errors: ${statusesOf(sides)}` : "", unsent].filter(
    Boolean,
  );
  const note = problems.length > 0 ? problems.join("; ") : undefined;
  ctx.figures.push(
    {
      section,
      what: `${bench.label}: req/s`,
      value: fmt.rps(fnRps.median),
      baseline: fmt.rps(baseRps.median),
      ratio: fmt.ratio(ratio.median),
      spread: `ratio ${fmt.ratio(ratio.min)}–${fmt.ratio(ratio.max)}; fn ${fmt.pct(fnRps.relative)}, base ${fmt.pct(baseRps.relative)}`,
      target: `≥ ${bench.minRatio}×`,
      verdict: verdict(ratio.median, { min: bench.minRatio }),
      ...(note ? { note } : {}),
    },
    {
      section,
      what: `${bench.label}: p50 / p99`,
      value: `${fmt.ms(p(sides.fn, "p50"))} / ${fmt.ms(p(sides.fn, "p99"))}`,
      baseline: `${fmt.ms(p(sides.base, "p50"))} / ${fmt.ms(p(sides.base, "p99"))}`,
      ratio: `${fmt.ratio(p(sides.fn, "p50") / p(sides.base, "p50"))} / ${fmt.ratio(p(sides.fn, "p99") / p(sides.base, "p99"))}`,
      spread: `${settings.runs} runs × ${settings.durationSeconds} s, ${settings.connections} connections`,
    },
    {
      section,
      what: `${bench.label}: server CPU per request`,
      value: `${Math.round(median(sides.fn.cpuPerRequest))} µs`,
      baseline: `${Math.round(median(sides.base.cpuPerRequest))} µs`,
      ratio: fmt.ratio(median(sides.fn.cpuPerRequest) / median(sides.base.cpuPerRequest)),
      note: "user + system time of the server process over the run ÷ requests answered (10 ms ticks)",
    },
  );
  return {
    describe: bench.describe,
    function: sides.fn.runs,
    baseline: sides.base.runs,
    cpuPerRequest: { function: sides.fn.cpuPerRequest, baseline: sides.base.cpuPerRequest },
    ratio,
  };
}

/**
 * Events the checkout runs (both sides) could not publish to the stand-in ingress, by error: each stays
 * pending for the sweep, and a publish that fails often is worth knowing about.
 */
async function unsentEvents(ctx: BenchContext): Promise<string> {
  const rows = await sql<{ error: string | null; n: number }>`select last_error as error, count(*)::int as n
    from outbox where source = '/tavola/order' and status = 'pending' group by last_error`.execute(
    ctx.database.db,
  );
  if (rows.rows.length === 0) return "";
  return `events left unpublished: ${rows.rows.map((r) => `${r.n} (${r.error ?? "not tried"})`).join(", ")}`;
}

function statusesOf(sides: { fn: Side; base: Side }): string {
  const sum = (s: Side) => {
    const total: Record<string, number> = {};
    for (const r of s.runs)
      for (const [code, n] of Object.entries(r.statuses)) total[code] = (total[code] ?? 0) + n;
    return Object.entries(total)
      .filter(([code]) => !code.startsWith("2"))
      .map(([code, n]) => `${code}×${n}`)
      .join(" ");
  };
  return `fn ${sum(sides.fn) || "none"}; base ${sum(sides.base) || "none"}`;
}

function memoryFigures(ctx: BenchContext, fn: string, f: MemoryFigures, b: MemoryFigures): void {
  const figure = (what: string, value: number, base: number, max?: number) => ({
    section: "Memory (resident set)",
    what: `${fn}: ${what}`,
    value: fmt.mib(value),
    baseline: fmt.mib(base),
    ratio: fmt.ratio(value / base),
    ...(max === undefined ? {} : { target: `≤ ${max}×`, verdict: verdict(value / base, { max }) }),
  });
  ctx.figures.push(
    figure("idle after start", f.idleRss, b.idleRss, 1.5),
    figure("peak under load (VmHWM)", f.peak, b.peak, 1.75),
    figure("after the throughput runs", f.afterRss, b.afterRss),
  );
}
