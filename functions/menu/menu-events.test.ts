import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { call, createCategory, createMenuItem, useTestDb } from "../../shared/testing/index.ts";
import { snapshot, useMenuTestbed } from "./test-support.ts";

// Every change to an item's title or price, and every deletion, writes its event to the outbox in the
// change's own transaction: the row exists exactly when the change committed, and is what gets published.

const t = useTestDb();
const h = useMenuTestbed(t);

const eventsAbout = (itemId: number) =>
  t.db.selectFrom("outbox").selectAll().where("subject", "=", String(itemId)).orderBy("created_at").execute();

/** The item has exactly one outbox event, matching `expected`, and it was published. */
async function expectOnePublishedEvent(itemId: number, expected: Record<string, unknown>) {
  const events = await eventsAbout(itemId);
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject(expected);
  expect(h.published).toContain(events[0]!.id);
}

describe("menu item events", () => {
  it("a price change writes tavola.menu.item.changed with the new title and price, and publishes it", async () => {
    const item = await createMenuItem(t.db, { title: "Soup", price: "4.00" });
    const res = await call(h.app(), "PATCH", `/api/menu-items/${item.id}`, {
      token: await h.manager(),
      json: { price: "4.5" },
    });
    expect(res.status).toBe(200);
    await expectOnePublishedEvent(item.id, {
      source: "/tavola/menu",
      type: "tavola.menu.item.changed",
      subject: String(item.id),
      data: { menuitem_id: item.id, title: "Soup", price: "4.50" },
      status: "pending",
    });
  });

  it("a title change by PUT writes one changed event", async () => {
    const item = await createMenuItem(t.db, { title: "Old", price: "2.00" });
    const res = await call(h.app(), "PUT", `/api/menu-items/${item.id}`, {
      token: await h.manager(),
      json: { title: "New", price: "2.00", category_id: item.category_id },
    });
    expect(res.status).toBe(200);
    const events = await eventsAbout(item.id);
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ["tavola.menu.item.changed", { menuitem_id: item.id, version: 2, title: "New", price: "2.00" }],
    ]);
  });

  it("writes nothing when neither title nor price changed (featured, category, description, same values)", async () => {
    const item = await createMenuItem(t.db, { title: "Same", price: "3.50" });
    const other = await createCategory(t.db);
    const token = await h.manager();
    for (const json of [
      { featured: true },
      { category_id: other.id },
      { description: "now with herbs" },
      { title: "Same", price: "3.5" },
      {},
    ]) {
      const res = await call(h.app(), "PATCH", `/api/menu-items/${item.id}`, { token, json });
      expect(res.status, JSON.stringify(json)).toBe(200);
    }
    expect(await eventsAbout(item.id)).toEqual([]);
  });

  it("a deletion writes tavola.menu.item.deleted and publishes it", async () => {
    const item = await createMenuItem(t.db);
    const res = await call(h.app(), "DELETE", `/api/menu-items/${item.id}`, { token: await h.manager() });
    expect(res.status).toBe(204);
    await expectOnePublishedEvent(item.id, {
      source: "/tavola/menu",
      type: "tavola.menu.item.deleted",
      data: { menuitem_id: item.id },
    });
  });

  it("a refused write leaves no event behind", async () => {
    const item = await createMenuItem(t.db);
    const token = await h.manager();
    const before = await snapshot(t, "outbox");
    const refused = [
      await call(h.app(), "PATCH", `/api/menu-items/${item.id}`, {
        token,
        json: { price: "9.99", category_id: 999999 },
      }),
      await call(h.app(), "PATCH", "/api/menu-items/999999", { token, json: { price: "9.99" } }),
      await call(h.app(), "DELETE", "/api/menu-items/999999", { token }),
      await call(h.app(), "PATCH", `/api/menu-items/${item.id}`, {
        token: await h.customer(),
        json: { price: "1" },
      }),
    ];
    expect(refused.map((r) => r.status)).toEqual([400, 404, 404, 403]);
    expect(await snapshot(t, "outbox")).toEqual(before);
    expect(
      await t.db.selectFrom("menu_items").select("price").where("id", "=", item.id).executeTakeFirst(),
    ).toEqual({
      price: item.price,
    });
  });

  it("when the outbox write fails, the change is rolled back with it and nothing is published", async () => {
    const item = await createMenuItem(t.db, { title: "Atomic", price: "6.00" });
    const publishedBefore = h.published.length;
    // A trigger that refuses this item's events stands in for any failure after the change was written.
    await sql`create function refuse_event() returns trigger language plpgsql as $$
      begin raise exception 'outbox refused'; end $$`.execute(t.db);
    await sql
      .raw(`create trigger refuse_event before insert on outbox for each row
      when (new.subject = '${item.id}') execute function refuse_event()`)
      .execute(t.db);
    try {
      const token = await h.manager();
      const patch = await call(h.app(), "PATCH", `/api/menu-items/${item.id}`, {
        token,
        json: { price: "7.00" },
      });
      expect(patch.status).toBe(500);
      expect(JSON.stringify(patch.body)).not.toMatch(/outbox|refused|trigger/);
      const del = await call(h.app(), "DELETE", `/api/menu-items/${item.id}`, { token });
      expect(del.status).toBe(500);
    } finally {
      await sql`drop trigger refuse_event on outbox`.execute(t.db);
      await sql`drop function refuse_event()`.execute(t.db);
    }
    expect(
      await t.db
        .selectFrom("menu_items")
        .select(["title", "price"])
        .where("id", "=", item.id)
        .executeTakeFirst(),
    ).toEqual({ title: "Atomic", price: "6.00" });
    expect(await eventsAbout(item.id)).toEqual([]);
    expect(h.published.length).toBe(publishedBefore);
  });
});
