import { readFile } from "node:fs/promises";
import { Kysely, PGliteDialect, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { cartFunction } from "../../../functions/cart/definition.ts";
import { createDb } from "../../db/create-db.ts";
import { openPGlite } from "../../db/pglite.ts";
import type { Database } from "../../db/types.ts";
import {
  assembleTest,
  changeMenuPrice,
  postEvent,
  probeConsumer,
  withProbes,
} from "../../testing/event-fixtures.ts";
import { freePort } from "../../testing/free-port.ts";
import { createMenuItem, createUser, useTestDb } from "../../testing/index.ts";
import { testSenderAuthorization } from "../../testing/sender.ts";
import type { Publisher } from "../outbox/publisher.ts";
import { OUTCOME_HEADER } from "./receiver.ts";

const t = useTestDb();

/** A user with one cart line of a fresh menu item at 9.50. */
async function cartLine() {
  const user = await createUser(t.db);
  const item = await createMenuItem(t.db, { price: "9.50" });
  await t.db
    .insertInto("cart_items")
    .values({ user_id: user.id, menuitem_id: item.id, quantity: 2, unit_price: "9.50" })
    .execute();
  return { user, item };
}

/** What an event could have touched: the cart lines and the consumer's processed events. */
async function state(userId: number) {
  const cart = await t.db
    .selectFrom("cart_items")
    .select(["menuitem_id", "quantity", "unit_price"])
    .where("user_id", "=", userId)
    .orderBy("menuitem_id")
    .execute();
  const processed = await t.db
    .selectFrom("processed_events")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("consumer", "=", "cart")
    .executeTakeFirstOrThrow();
  return { cart, processed: processed.n };
}

/** The real cart, with the probes (tavola.order.cancelled writes, then refuses). */
const cart = () => withProbes(cartFunction);

/** Changes the item's price in the menu and answers the event the menu sends for it. */
async function changed(menuitem_id: number, price: string) {
  return {
    source: "/tavola/menu",
    type: "tavola.menu.item.changed",
    subject: String(menuitem_id),
    data: await changeMenuPrice(t.db, menuitem_id, price),
  };
}

describe("POST /events", () => {
  it.each(["binary", "structured"] as const)(
    "applies an event sent in %s mode and records it",
    async (mode) => {
      const { user, item } = await cartLine();
      const app = await assembleTest(cart(), t.db);
      const event = { id: crypto.randomUUID(), ...(await changed(item.id, "11.25")) };
      const res = await postEvent(app, event, { mode });
      expect(res.status).toBe(204);
      expect(res.body).toBeUndefined(); // Knative takes any other 2xx body for a malformed reply
      expect(res.headers.get(OUTCOME_HEADER)).toBe("applied");
      expect((await state(user.id)).cart).toEqual([
        { menuitem_id: item.id, quantity: 2, unit_price: "11.25" },
      ]);
      const recorded = await t.db
        .selectFrom("processed_events")
        .selectAll()
        .where("event_id", "=", event.id)
        .executeTakeFirst();
      expect(recorded).toMatchObject({
        consumer: "cart",
        source: "/tavola/menu",
        type: "tavola.menu.item.changed",
      });
    },
  );

  type Raw = { headers: Record<string, string>; body: string };
  const unset = (name: string) => (r: Raw) => {
    delete r.headers[name];
  };
  const header = (name: string, value: string) => (r: Raw) => {
    r.headers[name] = value;
  };
  const body = (text: string) => (r: Raw) => {
    r.body = text;
  };
  it.each([
    ["not a CloudEvent", unset("ce-specversion"), /not a CloudEvent/],
    ["unparseable data", body("{nope"), /not valid JSON/],
    ["no id", header("ce-id", ""), /no "id"/],
    ["an invalid attribute name", header("ce-bad_name", "x"), /not a valid CloudEvent attribute/],
    ["another spec version", header("ce-specversion", "0.3"), /0\.3 is not supported/],
    ["an unknown type", header("ce-type", "tavola.menu.item.eaten"), /not in Tavola's catalogue/],
    ["data that breaks the schema", body('{"menuitem_id":"x","price":5.5}'), /does not match/],
    [
      "an id past its column's bounds",
      body('{"menuitem_id":2147483648,"version":2,"title":"Soup","price":"1.00"}'),
      /does not match/,
    ],
    [
      "a version past its column's bounds",
      body('{"menuitem_id":1,"version":2147483648,"title":"Soup","price":"1.00"}'),
      /does not match/,
    ],
    [
      "a price past numeric(10,2)",
      body('{"menuitem_id":1,"version":2,"title":"Soup","price":"123456789012.00"}'),
      /does not match/,
    ],
    ["an event without a version", body('{"menuitem_id":1,"title":"Soup","price":"1.00"}'), /does not match/],
    [
      "a valid event of a type this function does not consume",
      (r: Raw) => {
        header("ce-type", "tavola.order.assigned")(r);
        header("ce-source", "/tavola/order")(r);
        body('{"order_id":1,"version":2,"delivery_crew_id":2}')(r);
      },
      /does not consume/,
    ],
  ])("answers 400 to %s and leaves no trace", async (_label, spoil, detail) => {
    const { user, item } = await cartLine();
    const app = await assembleTest(cart(), t.db);
    const before = await state(user.id);
    const raw: Raw = {
      headers: {
        "ce-specversion": "1.0",
        "ce-id": crypto.randomUUID(),
        "ce-source": "/tavola/menu",
        "ce-type": "tavola.menu.item.changed",
        "content-type": "application/json",
        authorization: await testSenderAuthorization(),
      },
      body: JSON.stringify({ menuitem_id: item.id, version: 2, title: "Soup", price: "1.00" }),
    };
    spoil(raw);
    const res = await app.request("/events", { method: "POST", ...raw });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toMatch(detail);
    expect(await state(user.id)).toEqual(before);
  });

  it("answers 400 when the handler refuses the event, and rolls back what it wrote", async () => {
    const { user } = await cartLine();
    const app = await assembleTest(cart(), t.db);
    const before = await state(user.id);
    // The probe deletes the lines of "user order_id" and then throws a conflict.
    const res = await postEvent(app, {
      source: "/tavola/order",
      type: "tavola.order.cancelled",
      data: { order_id: user.id, version: 2, delivery_crew_id: null },
    });
    expect(res.status).toBe(400); // never the API's 409, which Knative would retry
    expect(await state(user.id)).toEqual(before);
  });

  it("answers 503 when the database is down and records nothing", async () => {
    const { user, item } = await cartLine();
    const before = await state(user.id);
    const down = await unreachableDb();
    const app = await assembleTest(cart(), down);
    const res = await postEvent(app, await changed(item.id, "1.00"));
    expect(res.status).toBe(503);
    expect(res.body.detail).not.toMatch(/ECONNREFUSED|PGlite|select/i);
    expect(await state(user.id)).toEqual(before);
    await down.destroy().catch(() => {});
  });

  it("answers 5xx and leaves no half-applied effect when the connection dies mid-transaction", async () => {
    const { user, item } = await cartLine();
    const before = await state(user.id);
    const own = ownPool();
    const consumer = cart();
    const reprice = consumer.events!["tavola.menu.item.changed"]!;
    consumer.events = {
      ...consumer.events,
      "tavola.menu.item.changed": async (ctx, event) => {
        await reprice(ctx, event); // the effect is written…
        await dropConnection(ctx.trx); // …and then the database goes away before the commit
      },
    };
    const app = await assembleTest(consumer, own);
    const res = await postEvent(app, await changed(item.id, "1.00"));
    expect(res.status).toBe(503);
    expect(await state(user.id)).toEqual(before);
    if (own !== t.db) await own.destroy().catch(() => {});
  });

  it("publishes events a handler enqueued only after its transaction committed", async () => {
    const seen: { ids: string[]; committed: number }[] = [];
    const publisher: Publisher = {
      publish: async (ids) => {
        const rows = await t.db.selectFrom("outbox").select("id").where("id", "in", ids).execute();
        seen.push({ ids: [...ids], committed: rows.length });
      },
    };
    const app = await assembleTest(probeConsumer("order"), t.db, { publisher });
    const res = await postEvent(app, {
      source: "/tavola/delivery",
      type: "tavola.delivery.status.changed",
      data: { order_id: 42, version: 2, status: "delivered", at: new Date().toISOString() },
    });
    expect(res.status).toBe(204);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.ids).toHaveLength(1);
    expect(seen[0]!.committed).toBe(1);
  });
});

/** A database nobody can reach: a server port with nothing behind it, or a PGlite already closed. */
async function unreachableDb(): Promise<Kysely<Database>> {
  if (t.url) {
    const pool = new pg.Pool({
      connectionString: `postgres://postgres@127.0.0.1:${await freePort()}/none`,
      connectionTimeoutMillis: 1_000,
    });
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  const pglite = await openPGlite({ loadDataDir: new Blob([await readFile(inject("pgliteTemplate"))]) });
  await pglite.close();
  return new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
}

// On the server the consumer gets a pool of its own (made as main.ts makes it), so the connection the
// test kills is not t.db's.
function ownPool(): Kysely<Database> {
  return t.url ? createDb({ databaseUrl: t.url, poolMax: 2 }) : t.db;
}

/**
 * Loses the database connection in the middle of a transaction. On the server the backend really is
 * terminated; PGlite runs in process and cannot lose its connection, so there the driver's own error
 * for a closed instance is raised at the same point.
 */
async function dropConnection(trx: Kysely<Database>): Promise<void> {
  if (t.url) {
    await sql`select pg_terminate_backend(pg_backend_pid())`.execute(trx);
    return;
  }
  throw new Error("PGlite instance is already closed.");
}
