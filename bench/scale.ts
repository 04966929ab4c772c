// `npm run bench -- --scale [--sizes=1000,100000,1000000] [--runs=30]`: issue 13's table. For each size
// it makes its own database on the server (tavola_sc_bench_<size>, dropped after), migrates it, builds
// that many orders with generate_series (shared/testing/scale-data.ts: 4 lines each, deliveries, users,
// a 10,000-item menu, a week of outbox rows and processed events), and measures each route in process
// (the function's Hono app over a real pool, concurrency 1, p50 of --runs after 5 warm-ups), /metrics'
// query, and a steady-state PingSource tick's prunes. Prints large/small ratios against the targets
// (<= 2x, <= 3x for search) and writes bench/results/scale.{json,md}. The 1,000,000 build takes a few
// minutes and loads the machine: run it once.

import { writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { migrateToLatest } from "../db/migrate-to-latest.ts";
import { pruneAuthRecords } from "../functions/auth/housekeeping.ts";
import { createApp as createDeliveryApp } from "../functions/delivery/app.ts";
import { createApp as createMenuApp } from "../functions/menu/app.ts";
import { createApp as createOrderApp } from "../functions/order/app.ts";
import { idempotencyCutoff, pruneIdempotencyKeys } from "../functions/order/idempotency-keys.ts";
import { orderPageQuery } from "../functions/order/repository.ts";
import type { Database } from "../shared/db/types.ts";
import { countUnsent, pruneSent } from "../shared/events/outbox/store.ts";
import { pruneProcessed } from "../shared/events/receive/processed-store.ts";
import { encodeCursor } from "../shared/http/pagination.ts";
import { createLogger } from "../shared/log.ts";
import { createTestKeys } from "../shared/testing/keys.ts";
import { seedScale } from "../shared/testing/scale-data.ts";
import { percentile } from "./lib/stats.ts";

const args = process.argv.slice(2);
const sizes = (args.find((a) => a.startsWith("--sizes="))?.slice(8) ?? "1000,100000,1000000")
  .split(",")
  .map(Number)
  .filter((n) => n > 0 && n <= 1_000_000);
const runs = Math.min(200, Number(args.find((a) => a.startsWith("--runs="))?.slice(7) ?? 30) || 30);
const adminUrl =
  process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const began = performance.now();
const log = (m: string) =>
  process.stdout.write(`[scale ${((performance.now() - began) / 1000).toFixed(1).padStart(6)}s] ${m}\n`);

type Probe = [name: string, target: number, run: () => Promise<void>];
const results: Record<string, Record<string, number>> = {};
let targets: Record<string, number> = {};

for (const size of sizes) {
  const name = `tavola_sc_bench_${size}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url.toString(), max: 4 }) }),
  });
  try {
    await migrateToLatest(db);
    log(
      `building ${size.toLocaleString("en")} orders (x4 lines, deliveries, users, menu, a week of events)…`,
    );
    const built = performance.now();
    const data = await seedScale(db, { orders: size });
    log(`built in ${((performance.now() - built) / 1000).toFixed(1)} s: ${JSON.stringify(data.rows)}`);
    results[size] = await measure(db, data);
  } finally {
    await db.destroy();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

async function measure(db: Kysely<Database>, data: Awaited<ReturnType<typeof seedScale>>) {
  const keys = await createTestKeys();
  const deps = { db, logger: createLogger("silent"), verify: keys.verify };
  const order = createOrderApp(deps);
  const delivery = createDeliveryApp(deps);
  const menu = createMenuApp(deps);
  const manager = await keys.tokenFor({ id: data.managerId, username: "m", groups: ["manager"] });
  const crew = await keys.tokenFor({ id: data.crewIds[0]!, username: "c", groups: ["delivery-crew"] });
  const count = (
    await db.selectFrom("orders").select(db.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()
  ).n;
  const page = { page: 1, perpage: 20, offset: 0, cursor: undefined };
  // The key of the order in the middle of the manager's list: the cursor of a middle page.
  const middle = await orderPageQuery(db, {}, [], { ...page, offset: Math.floor(Number(count) / 2) })
    .limit(1)
    .executeTakeFirstOrThrow();
  const cursor = encodeCursor({ direction: "next", key: middle._key });
  const get =
    (
      app: { request: (p: string, i: RequestInit) => Response | Promise<Response> },
      path: string,
      token?: string,
    ) =>
    async () => {
      const res = await app.request(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    };
  const probes: Probe[] = [
    ["GET /api/orders as manager, page 1", 2, get(order, "/api/orders", manager)],
    [
      "GET /api/orders as manager, a middle page (cursor)",
      2,
      get(order, `/api/orders?cursor=${cursor}`, manager),
    ],
    // Informational: ?page= is served by OFFSET up to 10,000 rows, so it grows until that cap, then stops.
    [
      "GET /api/orders as manager, ?page=500 (capped OFFSET, not a target)",
      0,
      get(order, "/api/orders?page=500", manager),
    ],
    ["GET /api/orders?status=delivered", 2, get(order, "/api/orders?status=delivered", manager)],
    ["GET /api/orders?ordering=-total", 2, get(order, "/api/orders?ordering=-total", manager)],
    ["GET /api/deliveries as manager", 2, get(delivery, "/api/deliveries", manager)],
    ["GET /api/deliveries as crew", 2, get(delivery, "/api/deliveries", crew)],
    [
      "PingSource tick, every function's prunes (steady state)",
      2,
      async () => {
        for (const fn of ["order", "delivery", "menu", "cart"]) {
          await pruneProcessed(db, fn, 7);
          await pruneSent(db, fn, 7);
        }
        await pruneAuthRecords(db);
        await pruneIdempotencyKeys(db, idempotencyCutoff(new Date()));
      },
    ],
    ["GET /metrics (outbox gauge)", 2, async () => void (await countUnsent(db, "order"))],
    ["GET /api/menu-items?search=… (no match)", 3, get(menu, "/api/menu-items?search=zqxjkv")],
  ];
  const figures: Record<string, number> = {};
  for (const [name, , run] of probes) {
    for (let i = 0; i < 5; i++) await run();
    // The first tick deleted the data set's day of expired rows at once; autovacuum then clears their
    // index entries, as it does after any tick. Steady state is a tick after that, deleting a tick's worth.
    if (name.startsWith("PingSource")) await sql`vacuum analyze`.execute(db);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await run();
      times.push(performance.now() - t0);
    }
    figures[name] = percentile(times, 50);
    log(`  ${name}: p50 ${figures[name]!.toFixed(2)} ms`);
  }
  targets = Object.fromEntries(probes.map(([n, t]) => [n, t]));
  return figures;
}

const small = sizes[0]!;
const large = sizes.at(-1)!;
const lines = [
  `# Scale: p50 at concurrency 1, small = ${small.toLocaleString("en")} orders, large = ${large.toLocaleString("en")}`,
  "",
  `| route | ${sizes.map((s) => s.toLocaleString("en")).join(" | ")} | large/small | target | verdict |`,
  `|---|${sizes.map(() => "---").join("|")}|---|---|---|`,
];
for (const route of Object.keys(results[small] ?? {})) {
  const ratio = results[large]![route]! / results[small]![route]!;
  const target = targets[route]!;
  const judged = target > 0 ? `<= ${target}x | ${ratio <= target ? "pass" : "short"}` : "– | n/a";
  lines.push(
    `| ${route} | ${sizes.map((s) => `${results[s]![route]!.toFixed(2)} ms`).join(" | ")} | ${ratio.toFixed(2)}x | ${judged} |`,
  );
}
const when = new Date().toISOString();
lines.push(
  "",
  `Measured ${when} on PostgreSQL (${adminUrl.replace(/\/\/[^@]*@/, "//")}), ${runs} runs per figure.`,
);
process.stdout.write(`${lines.join("\n")}\n`);
await writeFile(join(root, "bench/results/scale.md"), `${lines.join("\n")}\n`);
await writeFile(
  join(root, "bench/results/scale.json"),
  `${JSON.stringify({ when, runs, sizes, results, targets }, null, 2)}\n`,
);
