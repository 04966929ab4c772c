import { type BenchContext, functionSpec, readyProbe } from "../lib/context.ts";
import { runLoad } from "../lib/load.ts";
import { ensurePgBouncer, startPgBouncer } from "../lib/pgbouncer.ts";
import { type RunningServer, startServer } from "../lib/process.ts";
import { fmt, verdict } from "../lib/report.ts";
import { PORTS, takePort } from "../lib/settings.ts";
import { median, pairedRatio } from "../lib/stats.ts";
import { routeBenches } from "./routes.ts";

// The same function bundle twice, one instance straight to PostgreSQL and one through PgBouncer in
// transaction mode, runs alternating. Kysely's pg dialect sends unnamed statements only, which is what
// transaction pooling needs (a named prepared statement would outlive the transaction's connection).

export async function pgbouncerSection(ctx: BenchContext): Promise<void> {
  const section = "PgBouncer (transaction mode) vs direct";
  const binary = ensurePgBouncer(ctx.log, ctx.installPgBouncer);
  if (!binary) {
    ctx.log(
      "pgbouncer is not installed: skipping (apt-get install -y pgbouncer, or run with --install-pgbouncer)",
    );
    ctx.notes.push("PgBouncer: not measured, the pgbouncer binary is not installed.");
    ctx.figures.push({
      section,
      what: "menu list",
      value: "not measured",
      verdict: "n/a",
      note: "pgbouncer missing",
    });
    return;
  }
  const keys = ctx.settings.mode === "quick" ? ["menu-list"] : ["menu-list", "checkout"];
  const benches = routeBenches(ctx).filter((b) => keys.includes(b.key) && ctx.bundles.has(b.fn));
  if (benches.length === 0) return;
  const bouncer = await startPgBouncer({
    binary,
    database: ctx.database.name,
    upstream: { host: "127.0.0.1", port: Number(new URL(ctx.database.url).port || 5432), user: "postgres" },
    port: PORTS.pgbouncer,
    poolSize: ctx.settings.poolSize * 2,
  });
  const raw: Record<string, unknown> = {};
  try {
    for (const bench of benches) {
      ctx.log(`pgbouncer: ${bench.label}`);
      const direct = await startServer(functionSpec(ctx, bench.fn, takePort()), readyProbe(ctx, bench.fn));
      const pooled = await startServer(
        functionSpec(ctx, bench.fn, takePort(), bouncer.url),
        readyProbe(ctx, bench.fn),
      );
      try {
        const run = async (server: RunningServer, seconds: number) => {
          await bench.prepare?.();
          return runLoad({
            baseUrl: server.baseUrl,
            connections: ctx.settings.connections,
            durationSeconds: seconds,
            next: bench.requests(),
          });
        };
        await run(direct, ctx.settings.warmupSeconds);
        await run(pooled, ctx.settings.warmupSeconds);
        const d: number[] = [];
        const b: number[] = [];
        let failed = 0;
        for (let i = 0; i < ctx.settings.pgbouncerRuns; i++) {
          const pair = i % 2 === 0 ? [direct, pooled] : [pooled, direct];
          for (const server of pair) {
            const result = await run(server, ctx.settings.durationSeconds);
            failed += result.non2xx + result.errors;
            (server === direct ? d : b).push(result.rps);
          }
        }
        const ratio = pairedRatio(b, d);
        ctx.figures.push({
          section,
          what: `${bench.label}: req/s through PgBouncer`,
          value: fmt.rps(median(b)),
          baseline: `${fmt.rps(median(d))} direct`,
          ratio: fmt.ratio(ratio.median),
          spread: `ratio ${fmt.ratio(ratio.min)}–${fmt.ratio(ratio.max)}, ${ctx.settings.pgbouncerRuns} runs`,
          target: "≥ 0.85×",
          verdict: verdict(ratio.median, { min: 0.85 }),
          ...(failed ? { note: `${failed} non-2xx/errors` } : {}),
        });
        raw[bench.key] = { direct: d, pgbouncer: b, ratio };
      } finally {
        await Promise.all([direct.stop(), pooled.stop()]);
      }
    }
  } finally {
    await bouncer.stop();
  }
  ctx.raw.pgbouncer = raw;
}
