import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type E2eStack,
  type HttpClient,
  httpClient,
  startE2eStack,
} from "../../functions/local/e2e-support.ts";
import { createDb } from "../../shared/db/create-db.ts";
import { quietLogger } from "../../shared/testing/event-fixtures.ts";
import { migrateToLatest } from "../migrate-to-latest.ts";
import { checkoutClient, type PlacedOrder, unavailability } from "./checkout-client.ts";
import { type PgBouncer, startPgBouncer } from "./pgbouncer.ts";
import {
  losePrimary,
  makeSynchronous,
  promote,
  query,
  removeServer,
  type Server,
  startPrimary,
  startStandby,
} from "./postgres-pair.ts";
import { freePorts, sleep } from "./processes.ts";

// `npm run test:ha` (not part of `npm test`: it runs PostgreSQL servers of its own). The five functions,
// through PgBouncer in transaction mode, in front of a primary with a synchronous standby; clients keep
// ordering with Idempotency-Keys while the primary is lost and the standby promoted. No order a client
// was told about is lost, none is doubled, and the unavailability is printed (docs/deploying.md, "What a
// failover looks like").

const CLIENTS = 5;
/** Orders each client places before the failover, and again after it. */
const ORDERS_EACH_SIDE = 3;

let primary: Server;
let standby: Server;
let bouncer: PgBouncer;
let e2e: E2eStack;
let api: HttpClient;
let db: ReturnType<typeof createDb>;

beforeAll(async () => {
  const [primaryPort, standbyPort, bouncerPort] = await freePorts(3);
  primary = await startPrimary(primaryPort!);
  await query(primary.url("postgres"), "create database tavola");
  const direct = createDb({ databaseUrl: primary.url("tavola"), poolMax: 2 });
  await migrateToLatest(direct);
  await direct.destroy();
  standby = await startStandby(primary, standbyPort!);
  await makeSynchronous(primary);
  bouncer = await startPgBouncer({ port: bouncerPort!, upstreamPort: primary.port, database: "tavola" });
  db = createDb({ databaseUrl: bouncer.url("tavola"), poolMax: 10, logger: quietLogger });
  e2e = await startE2eStack(db);
  api = httpClient(e2e.baseUrl);
}, 120_000);

afterAll(async () => {
  await e2e?.close();
  await db?.destroy();
  await bouncer?.stop();
  for (const server of [primary, standby]) if (server) await removeServer(server);
}, 60_000);

/** Waits (bounded) until `done()`; the bound is generous, for a loaded machine. */
async function waitUntil(done: () => boolean, what: string, limitMs = 120_000) {
  const start = Date.now();
  while (!done()) {
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe("a failover of the primary, seen through PgBouncer", () => {
  it("loses no order and doubles none; clients retry with their Idempotency-Key", async () => {
    const items = await api.request("GET", "/api/menu-items?search=Bruschetta");
    const menuItemId = Number(items.body.results[0].id);
    const users: { id: number; client: ReturnType<typeof checkoutClient> }[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const user = await api.register("ha");
      users.push({ ...user, client: checkoutClient(api, await api.logIn(user), menuItemId) });
    }

    let running = true;
    let failure: unknown;
    const loops = users.map(async ({ client }) => {
      try {
        while (running) await client.order();
      } catch (error) {
        // A client that got an answer it may not retry: stop waiting for it and fail with its error.
        failure ??= error;
        running = false;
      }
    });
    const until = (done: () => boolean, what: string) =>
      waitUntil(() => {
        if (failure) throw failure;
        return done();
      }, what);
    await until(() => users.every((u) => u.client.placed.length >= ORDERS_EACH_SIDE), "orders before");

    const before = users.map((u) => u.client.placed.length);
    const lostAt = performance.now();
    await losePrimary(primary);
    await promote(standby);
    await bouncer.repoint(standby.port);
    const promotedMs = performance.now() - lostAt;

    await until(
      () => users.every((u, i) => u.client.placed.length >= before[i]! + ORDERS_EACH_SIDE),
      "orders after the failover",
    );
    running = false;
    await Promise.all(loops);
    if (failure) throw failure;
    await e2e.stack.broker.settled();

    // What the promoted server holds, user by user, against what each client was told.
    for (const user of users) {
      const placed: PlacedOrder[] = user.client.placed;
      const orders = await query<{ id: number }>(
        standby.url("tavola"),
        `select id from orders where user_id = ${Number(user.id)} order by id`,
      );
      const keys = await query<{ key: string; response_status: number; order_id: string }>(
        standby.url("tavola"),
        `select key, response_status, response_body->>'id' as order_id from idempotency_keys where user_id = ${Number(user.id)}`,
      );
      // Not lost: every order a client was given exists. Not doubled: there is no other.
      expect(orders.map((o) => Number(o.id)).sort((a, b) => a - b)).toEqual(
        placed.map((p) => p.orderId).sort((a, b) => a - b),
      );
      expect(new Set(placed.map((p) => p.orderId)).size).toBe(placed.length);
      // Each key was answered once, with the order the client holds.
      expect(keys.map((k) => [k.key, k.response_status, Number(k.order_id)]).sort()).toEqual(
        placed.map((p) => [p.key, 201, p.orderId]).sort(),
      );
    }

    const attempts = users.flatMap((u) => u.client.attempts);
    const outage = unavailability(attempts);
    const replays = users.flatMap((u) => u.client.placed).filter((p) => p.replayed).length;
    const total = users.reduce((n, u) => n + u.client.placed.length, 0);
    const statuses: Record<string, number> = {};
    for (const a of attempts)
      if (a.status >= 300 || a.status === 0) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
    console.log(
      `failover: ${CLIENTS} clients, ${total} orders, ${attempts.length} requests, ${outage.failedAttempts} failed ` +
        `and retried (by status ${JSON.stringify(statuses)}; ${replays} checkouts answered by replay); primary lost to standby promoted and ` +
        `PgBouncer repointed: ${promotedMs.toFixed(0)} ms; unavailable (longest gap between successes ` +
        `spanning failures): ${(outage.ms / 1000).toFixed(2)} s`,
    );
  }, 300_000);
});
