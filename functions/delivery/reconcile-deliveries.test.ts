import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createEventMetrics } from "../../shared/events/index.ts";
import { createLogger } from "../../shared/log.ts";
import { createUser, useTestDb } from "../../shared/testing/index.ts";
import { reconcileCarts } from "../cart/reconcile-carts.ts";
import { fillCart } from "../order/test-support.ts";
import { reconcileDeliveries } from "./reconcile-deliveries.ts";

// Reconciliation repairs only the rows that disagree, through the event path's rules, and counts each
// repair; rows that agree are not written at all (their xmin, which changes on every write, stays).

const t = useTestDb();
const HOUR = 3_600_000;

function context() {
  return { db: t.db, logger: createLogger("silent"), metrics: createEventMetrics() };
}

async function order(status: "placed" | "assigned" | "cancelled", crew: number | null, version: number) {
  const user = await createUser(t.db);
  const row = await t.db
    .insertInto("orders")
    .values({
      user_id: user.id,
      delivery_crew_id: crew,
      status,
      total: "1.00",
      version,
      updated_at: new Date(Date.now() - HOUR),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

const xmin = (orderId: number) =>
  sql<{ xmin: string }>`select xmin::text as xmin from deliveries where order_id = ${orderId}`
    .execute(t.db)
    .then((r) => r.rows[0]?.xmin);

describe("reconcileDeliveries", () => {
  it("opens a missing record, aligns a stale one, leaves an agreeing one unwritten, and counts repairs", async () => {
    const crew = await createUser(t.db, { groups: ["delivery-crew"] });
    const missing = await order("assigned", crew.id, 2);
    const stale = await order("cancelled", crew.id, 3);
    const agreeing = await order("assigned", crew.id, 2);
    await t.db
      .insertInto("deliveries")
      .values([
        { order_id: stale, delivery_crew_id: crew.id, status: "assigned", order_version: 2 },
        { order_id: agreeing, delivery_crew_id: crew.id, status: "assigned", order_version: 2 },
      ])
      .execute();
    const before = await xmin(agreeing);
    const ctx = context();
    const report = await reconcileDeliveries(ctx);
    expect(report.deliveries_repaired).toBeGreaterThanOrEqual(2);
    const rows = await t.db
      .selectFrom("deliveries")
      .select(["order_id", "status", "delivery_crew_id", "order_version"])
      .where("order_id", "in", [missing, stale, agreeing])
      .orderBy("order_id")
      .execute();
    expect(rows).toEqual([
      { order_id: missing, status: "assigned", delivery_crew_id: crew.id, order_version: 2 },
      { order_id: stale, status: "cancelled", delivery_crew_id: crew.id, order_version: 3 },
      { order_id: agreeing, status: "assigned", delivery_crew_id: crew.id, order_version: 2 },
    ]);
    expect(await xmin(agreeing)).toBe(before);
    expect(ctx.metrics.value("tavola_reconciliation_repairs_total", { kind: "delivery_from_order" })).toBe(
      report.deliveries_repaired,
    );
    expect(ctx.metrics.render()).toMatch(
      /tavola_reconciliation_repairs_total\{kind="delivery_from_order"\} \d+/,
    );
    // A second tick finds nothing left to do.
    expect((await reconcileDeliveries(context())).deliveries_repaired).toBe(0);
  });

  it("leaves orders changed within the grace period to their events, and cancels an orphaned delivery", async () => {
    const fresh = await order("placed", null, 1);
    await t.db.updateTable("orders").set({ updated_at: new Date() }).where("id", "=", fresh).execute();
    const orphan = 2_000_000_000 - Math.floor(Math.random() * 1_000_000);
    await t.db
      .insertInto("deliveries")
      .values({
        order_id: orphan,
        status: "unassigned",
        order_version: 1,
        updated_at: new Date(Date.now() - HOUR),
      })
      .execute();
    const ctx = context();
    await reconcileDeliveries(ctx);
    expect(
      await t.db.selectFrom("deliveries").select("order_id").where("order_id", "=", fresh).execute(),
    ).toEqual([]);
    expect(
      await t.db
        .selectFrom("deliveries")
        .select(["status", "order_version"])
        .where("order_id", "=", orphan)
        .executeTakeFirstOrThrow(),
    ).toEqual({ status: "cancelled", order_version: 2 });
    expect(
      ctx.metrics.value("tavola_reconciliation_repairs_total", { kind: "delivery_of_deleted_order" }),
    ).toBe(1);
  });
});

describe("reconcileCarts", () => {
  it("reprices lines that hold an older menu version, and only those", async () => {
    const user = await createUser(t.db);
    const other = await createUser(t.db);
    const [item] = await fillCart(t.db, user.id, [{ price: "4.00", quantity: 1 }]);
    await t.db
      .insertInto("cart_items")
      .values({ user_id: other.id, menuitem_id: item!.id, quantity: 1, unit_price: "5.00", menu_version: 2 })
      .execute();
    await t.db.updateTable("cart_items").set({ menu_version: 1 }).where("user_id", "=", user.id).execute();
    // The change to 5.00 (version 2) committed, and its event never arrived.
    await t.db
      .updateTable("menu_items")
      .set({ price: "5.00", version: 2, updated_at: new Date(Date.now() - HOUR) })
      .where("id", "=", item!.id)
      .execute();
    const otherBefore = await sql<{
      xmin: string;
    }>`select xmin::text as xmin from cart_items where user_id = ${other.id}`.execute(t.db);
    const ctx = context();
    expect(await reconcileCarts(ctx)).toMatchObject({ cart_lines_repaired: 1 });
    const lines = await t.db
      .selectFrom("cart_items")
      .select(["user_id", "unit_price", "menu_version"])
      .where("menuitem_id", "=", item!.id)
      .orderBy("user_id")
      .execute();
    expect(lines).toEqual([
      { user_id: user.id, unit_price: "5.00", menu_version: 2 },
      { user_id: other.id, unit_price: "5.00", menu_version: 2 },
    ]);
    const otherAfter = await sql<{
      xmin: string;
    }>`select xmin::text as xmin from cart_items where user_id = ${other.id}`.execute(t.db);
    expect(otherAfter.rows).toEqual(otherBefore.rows);
    expect(ctx.metrics.value("tavola_reconciliation_repairs_total", { kind: "cart_line_repriced" })).toBe(1);
  });
});
