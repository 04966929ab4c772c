// Live streams' cost per pod and per connected client (docs/live-updates.md, "What it costs"). Two order
// "pods" (two apps) share one PostgreSQL database: N clients hold streams open on pod A, while pod B's
// side changes orders at a fixed rate. Every statement pod A sends is counted (a Kysely plugin on its
// database handle), over a fixed window once every client is connected, so the figure is the steady
// state: queries per second on the streaming pod, frames delivered, and the heap each client adds.
//
//   npx node --expose-gc bench/live-streams.ts [--quick]      (npm run bench:live)
//
// Needs a PostgreSQL server: BENCH_DATABASE_URL, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres.
// It creates the database tavola_live_<pid>, migrates it, and drops it at the end.
import {
  type Kysely,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  sql,
} from "kysely";
import pg from "pg";
import { migrateToLatest } from "../db/migrate-to-latest.ts";
import { orderFunction } from "../functions/order/definition.ts";
import { createOrderFeedPoller } from "../functions/order/live.ts";
import { createDb } from "../shared/db/create-db.ts";
import type { Database } from "../shared/db/types.ts";
import { DEFAULT_LIVE_SETTINGS } from "../shared/live/settings.ts";
import { createLogger } from "../shared/log.ts";
import { createApp } from "../shared/runtime/assemble.ts";
import { createTestKeys, createUser } from "../shared/testing/index.ts";
import { withDatabase } from "../shared/testing/template.ts";

const quick = process.argv.includes("--quick");
const WINDOW_MS = quick ? 5_000 : 20_000;
const CLIENTS = quick ? [0, 1, 100] : [0, 1, 10, 100, 1000];
const CHANGES_PER_SECOND = [0, 10];

class CountingPlugin implements KyselyPlugin {
  count = 0;
  transformQuery(args: PluginTransformQueryArgs) {
    this.count++;
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs) {
    return args.result;
  }
}

const serverUrl =
  process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const name = `tavola_live_${process.pid}`;

async function admin(statement: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

const heap = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
};

async function measure(db: Kysely<Database>, clients: number, changesPerSecond: number) {
  const keys = await createTestKeys();
  const logger = createLogger("silent");
  const counter = new CountingPlugin();
  const podDb = db.withPlugin(counter);
  const deps = {
    db: podDb,
    logger,
    verify: keys.verify,
    live: { ...DEFAULT_LIVE_SETTINGS, maxStreamMs: 3_600_000 },
  };
  const poller = createOrderFeedPoller(deps);
  const pod = createApp(orderFunction, { ...deps, feedPoller: poller });

  // Managers: every change goes to every client, the most fan-out there can be.
  const manager = await createUser(db, { groups: ["manager"] });
  const token = await keys.tokenFor(manager);
  const customer = await createUser(db);
  const orders = await db
    .insertInto("orders")
    .values(
      Array.from({ length: 20 }, () => ({
        user_id: customer.id,
        delivery_crew_id: null,
        status: "placed" as const,
        total: "1.00",
      })),
    )
    .returning("id")
    .execute();

  const before = heap();
  let frames = 0;
  const readers = [];
  for (let i = 0; i < clients; i++) {
    const res = await pod.request("/api/orders/stream", { headers: { authorization: `Bearer ${token}` } });
    const reader = res.body!.getReader();
    readers.push(reader);
    void (async () => {
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (done) return;
        frames += decoder.decode(value).split("\nevent: order\n").length - 1;
      }
    })();
  }
  const connected = heap();

  counter.count = 0;
  frames = 0;
  const polls = poller.state().polls;
  const started = performance.now();
  let changes = 0;
  const writer =
    changesPerSecond > 0
      ? setInterval(() => {
          const id = orders[changes++ % orders.length]!.id;
          void db.updateTable("orders").set({ updated_at: sql`now()` }).where("id", "=", id).execute();
        }, 1000 / changesPerSecond)
      : undefined;
  await new Promise((r) => setTimeout(r, WINDOW_MS));
  if (writer) clearInterval(writer);
  const seconds = (performance.now() - started) / 1000;
  const queries = counter.count;
  const pollsDone = poller.state().polls - polls;
  for (const reader of readers) await reader.cancel();
  await poller.settled();
  return {
    clients,
    changesPerSecond,
    queriesPerSecond: queries / seconds,
    pollsPerSecond: pollsDone / seconds,
    framesPerSecond: frames / seconds,
    heapPerClientKiB: clients > 0 ? (connected - before) / clients / 1024 : 0,
    stoppedAfterLastClient: !poller.state().active,
  };
}

async function main() {
  try {
    await admin(`create database ${name}`);
  } catch (error) {
    console.log(`No PostgreSQL server at ${serverUrl} (${String(error)}); nothing measured.`);
    return;
  }
  const db = createDb({ databaseUrl: withDatabase(serverUrl, name), poolMax: 5 });
  try {
    await migrateToLatest(db);
    const rows = [];
    for (const changesPerSecond of CHANGES_PER_SECOND)
      for (const clients of CLIENTS) rows.push(await measure(db, clients, changesPerSecond));
    console.log(`window ${WINDOW_MS / 1000} s per row, poll interval ${DEFAULT_LIVE_SETTINGS.pollMs} ms`);
    console.log(
      "| clients | changes/s | queries/s (pod) | polls/s | frames/s (all clients) | heap/client KiB | poller stopped after |",
    );
    console.log("|---:|---:|---:|---:|---:|---:|:---:|");
    for (const r of rows)
      console.log(
        `| ${r.clients} | ${r.changesPerSecond} | ${r.queriesPerSecond.toFixed(2)} | ${r.pollsPerSecond.toFixed(2)} | ${r.framesPerSecond.toFixed(1)} | ${r.heapPerClientKiB.toFixed(1)} | ${r.stoppedAfterLastClient ? "yes" : "no"} |`,
      );
  } finally {
    await db.destroy();
    await admin(`drop database if exists ${name} with (force)`);
  }
}

await main();
