import { describe, expect, it } from "vitest";
import { withTransaction } from "../../shared/db/index.ts";
import { call, useTestDb } from "../../shared/testing/index.ts";
import { orderTestbed } from "./test-support.ts";

// On PostgreSQL these requests really run at once (the test pool has 10 connections); on PGlite they
// are serialised by its single connection. Either way, exactly one order may come out.

const t = useTestDb();
const CONCURRENT = 20;

async function ordersOf(userId: number) {
  return t.db.selectFrom("orders").select(["id", "total"]).where("user_id", "=", userId).execute();
}

async function placedEventsOf(orderIds: number[]) {
  return t.db
    .selectFrom("outbox")
    .select("subject")
    .where("type", "=", "tavola.order.placed")
    .where("subject", "in", orderIds.map(String))
    .execute();
}

describe("concurrent checkouts of one cart", () => {
  it("with the same key: one order, every other request gets the same answer replayed", async () => {
    const bed = await orderTestbed(t.db);
    const me = await bed.customer();
    await bed.fillCart(me.principal.id, [
      { price: "3.10", quantity: 2 },
      { price: "1.25", quantity: 4 },
    ]);
    const responses = await Promise.all(
      Array.from({ length: CONCURRENT }, () =>
        call(bed.app, "POST", "/api/orders", { token: me.token, headers: { "idempotency-key": "same" } }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(CONCURRENT).fill(201));
    const ids = new Set(responses.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(responses.filter((r) => r.headers.get("idempotent-replayed") === "true")).toHaveLength(
      CONCURRENT - 1,
    );
    const orders = await ordersOf(me.principal.id);
    expect(orders).toEqual([{ id: [...ids][0], total: "11.20" }]);
    expect(await placedEventsOf([orders[0]!.id])).toHaveLength(1);
    const cart = await t.db
      .selectFrom("cart_items")
      .select("id")
      .where("user_id", "=", me.principal.id)
      .execute();
    expect(cart).toEqual([]);
  });

  it("with different keys (or none): one order, every other request finds the cart empty", async () => {
    const bed = await orderTestbed(t.db);
    for (const keyed of [true, false]) {
      const me = await bed.customer();
      await bed.fillCart(me.principal.id, [{ price: "8.00", quantity: 3 }]);
      const responses = await Promise.all(
        Array.from({ length: CONCURRENT }, (_, i) =>
          call(bed.app, "POST", "/api/orders", {
            token: me.token,
            ...(keyed ? { headers: { "idempotency-key": `key-${i}` } } : {}),
          }),
        ),
      );
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).toEqual([201, ...Array(CONCURRENT - 1).fill(400)].sort());
      const orders = await ordersOf(me.principal.id);
      expect(orders).toEqual([{ id: responses.find((r) => r.status === 201)!.body.id, total: "24.00" }]);
      expect(await placedEventsOf([orders[0]!.id])).toHaveLength(1);
      // Only the winner's key is kept; the failed attempts stored nothing.
      const keys = await t.db
        .selectFrom("idempotency_keys")
        .select("key")
        .where("user_id", "=", me.principal.id)
        .execute();
      expect(keys).toHaveLength(keyed ? 1 : 0);
    }
  });
});

describe("a price change racing a checkout", () => {
  it("waits for an in-flight price change and charges the new price on every line", async () => {
    const bed = await orderTestbed(t.db);
    const me = await bed.customer();
    const [soup, bread] = await bed.fillCart(me.principal.id, [
      { price: "5.00", quantity: 2 },
      { price: "2.00", quantity: 1 },
    ]);
    // A menu change of both prices, held open after its update: the checkout must wait for it (the menu
    // rows are locked `for share`) and then read the committed new prices, never the old ones.
    let updated!: () => void;
    const didUpdate = new Promise<void>((resolve) => {
      updated = resolve;
    });
    const change = withTransaction(t.db, async (trx) => {
      await trx.updateTable("menu_items").set({ price: "6.00" }).where("id", "=", soup!.id).execute();
      await trx.updateTable("menu_items").set({ price: "2.50" }).where("id", "=", bread!.id).execute();
      updated();
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    await didUpdate;
    const [res] = await Promise.all([call(bed.app, "POST", "/api/orders", { token: me.token }), change]);
    expect(res.status).toBe(201);
    expect(res.body.items.map((i: { unit_price: string; price: string }) => [i.unit_price, i.price])).toEqual(
      [
        ["6.00", "12.00"],
        ["2.50", "2.50"],
      ],
    );
    expect(res.body.total).toBe("14.50");
  });

  it("gives each order one consistent set of prices while prices keep changing", async () => {
    const bed = await orderTestbed(t.db);
    const customers = await Promise.all(Array.from({ length: 6 }, () => bed.customer()));
    const [first] = await bed.fillCart(customers[0]!.principal.id, [{ price: "1.00", quantity: 1 }]);
    const [second] = await bed.fillCart(customers[0]!.principal.id, [{ price: "10.00", quantity: 1 }]);
    for (const c of customers.slice(1)) {
      await t.db
        .insertInto("cart_items")
        .values([
          { user_id: c.principal.id, menuitem_id: first!.id, quantity: 1, unit_price: "1.00" },
          { user_id: c.principal.id, menuitem_id: second!.id, quantity: 1, unit_price: "10.00" },
        ])
        .execute();
    }
    // Change g sets both prices in one transaction, the second always ten times the first.
    const changes = Array.from({ length: 6 }, (_, g) =>
      withTransaction(t.db, async (trx) => {
        await trx
          .updateTable("menu_items")
          .set({ price: `${g + 2}.00` })
          .where("id", "=", first!.id)
          .execute();
        await trx
          .updateTable("menu_items")
          .set({ price: `${(g + 2) * 10}.00` })
          .where("id", "=", second!.id)
          .execute();
      }),
    );
    const checkouts = customers.map((c) => call(bed.app, "POST", "/api/orders", { token: c.token }));
    const [responses] = await Promise.all([Promise.all(checkouts), Promise.all(changes)]);
    for (const res of responses) {
      expect(res.status).toBe(201);
      const [a, b] = res.body.items as { unit_price: string; price: string }[];
      // Both lines come from the same moment of the menu: b is always ten times a.
      expect(Number.parseInt(b!.unit_price, 10)).toBe(Number.parseInt(a!.unit_price, 10) * 10);
      expect(a!.price).toBe(a!.unit_price);
      expect(res.body.total).toBe(`${Number.parseInt(a!.unit_price, 10) * 11}.00`);
    }
  });
});
