import { isDeepStrictEqual } from "node:util";
import { withDatabase } from "../../shared/testing/template.ts";
import { type BenchContext, baselineSpec, functionSpec, readyProbe } from "../lib/context.ts";
import type { LoadRequest } from "../lib/load.ts";
import { type RunningServer, startServer } from "../lib/process.ts";
import { PORTS, takePort } from "../lib/settings.ts";
import { type CapturedStatement, type SqlCapture, startSqlCapture } from "../lib/sql-capture.ts";
import { routeBenches } from "./routes.ts";

// Before anything is measured: proof that the baseline is a fair floor. One request of each benchmark
// goes to the function and to the baseline, both connected through a wire-protocol capture; the SQL
// each sent, its round trips, and the JSON each answered are compared.

interface Exchange {
  status: number;
  body: unknown;
  statements: CapturedStatement[];
  roundTrips: number;
}

export async function paritySection(ctx: BenchContext): Promise<void> {
  const benches = routeBenches(ctx).filter((b) => ctx.bundles.has(b.fn));
  if (benches.length === 0) return;
  const upstream = new URL(ctx.database.url);
  const capture = await startSqlCapture(Number(upstream.port || 5432), PORTS.sqlCapture);
  const viaCapture = withDatabase(
    `postgres://${upstream.username}@127.0.0.1:${capture.port}/x`,
    ctx.database.name,
  );
  const raw: Record<string, unknown> = {};
  const base = await startServer(baselineSpec(ctx, takePort(), viaCapture), readyProbe(ctx, "baseline"));
  try {
    for (const fn of [...new Set(benches.map((b) => b.fn))]) {
      const server = await startServer(functionSpec(ctx, fn, takePort(), viaCapture), readyProbe(ctx, fn));
      try {
        for (const bench of benches.filter((b) => b.fn === fn)) {
          const request = bench.requests()();
          await bench.prepare?.();
          const f = await exchange(capture, server, request);
          await bench.prepare?.();
          const b = await exchange(capture, base, request);
          const sameSql = isDeepStrictEqual(texts(f), texts(b));
          const sameJson =
            bench.key === "menu-list" || bench.key === "menu-item"
              ? isDeepStrictEqual(f.body, b.body)
              : isDeepStrictEqual(shape(f.body), shape(b.body));
          ctx.figures.push({
            section: "Baseline parity (one request each, through a wire-protocol capture)",
            what: bench.label,
            value: `${f.status}, ${f.statements.length} statements, ${f.roundTrips} round trips`,
            baseline: `${b.status}, ${b.statements.length} statements, ${b.roundTrips} round trips`,
            verdict: sameSql && sameJson && f.status === b.status ? "pass" : "short",
            note: `${sameSql ? "same SQL" : "SQL DIFFERS"}; ${sameJson ? "same JSON" : "JSON DIFFERS"}${
              bench.key === "cart-add" || bench.key === "checkout" ? " (shape: ids and dates differ)" : ""
            }`,
          });
          if (!sameSql) ctx.notes.push(`SQL differs for ${bench.label}:\n${diff(texts(f), texts(b))}`);
          if (!sameJson)
            ctx.notes.push(
              `JSON differs for ${bench.label}: function ${JSON.stringify(f.body).slice(0, 600)} / baseline ${JSON.stringify(b.body).slice(0, 600)}`,
            );
          raw[bench.key] = { function: f, baseline: b, sameSql, sameJson };
        }
      } finally {
        await server.stop();
      }
    }
  } finally {
    await base.stop();
    await capture.close();
  }
  ctx.raw.parity = raw;
}

async function exchange(capture: SqlCapture, server: RunningServer, request: LoadRequest): Promise<Exchange> {
  capture.reset();
  const response = await fetch(`${server.baseUrl}${request.path}`, {
    method: request.method,
    headers: { ...request.headers, ...(request.body ? { "content-type": "application/json" } : {}) },
    ...(request.body ? { body: request.body } : {}),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return {
    status: response.status,
    body,
    statements: capture.statements(),
    roundTrips: capture.roundTrips(),
  };
}

function texts(e: Exchange): string[] {
  return e.statements.map((s) => s.text);
}

/** The keys and value types of a JSON value, recursively: what two answers share when ids differ. */
export function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, shape(v)]),
    );
  return value === null ? "null" : typeof value;
}

function diff(a: string[], b: string[]): string {
  const lines: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    lines.push(`  #${i + 1} function: ${a[i] ?? "(none)"}`, `  #${i + 1} baseline: ${b[i] ?? "(none)"}`);
  }
  return lines.join("\n");
}
