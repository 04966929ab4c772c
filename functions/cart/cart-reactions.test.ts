import { type Kysely, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { type Database, withTransaction } from "../../shared/db/index.ts";
import type { EventHandler, EventType, PendingEventIds, TavolaEvent } from "../../shared/events/index.ts";
import { createLogger } from "../../shared/log.ts";
import { createMenuItem, createUser, useTestDb } from "../../shared/testing/index.ts";
import { removeCartItemsForMenuItem } from "./remove-cart-items-for-menu-item.ts";
import { repriceCartItems } from "./reprice-cart-items.ts";

// The cart's reactions to the menu's events, called as the receiver will call them: inside a
// transaction, with the event already parsed through the catalogue.

const t = useTestDb();

function event<T extends EventType>(type: T, data: TavolaEvent<T>["data"], subject: number): TavolaEvent<T> {
  return {
    id: crypto.randomUUID(),
    source: "/tavola/menu",
    type,
    subject: String(subject),
    time: undefined,
    data,
  };
}

async function run<T extends EventType>(
  handler: EventHandler<T>,
  e: TavolaEvent<T>,
  db: Kysely<Database> = t.db,
) {
  const pending: PendingEventIds = [];
  await withTransaction(db, (trx) => handler({ trx, logger: createLogger("silent") }, e), { pending });
  return pending;
}

/** A cart line whose price was taken from the item's `menuVersion` (1: the item as created). */
async function addLine(userId: number, menuItemId: number, unitPrice: string, menuVersion = 1) {
  await t.db
    .insertInto("cart_items")
    .values({
      user_id: userId,
      menuitem_id: menuItemId,
      quantity: 2,
      unit_price: unitPrice,
      menu_version: menuVersion,
    })
    .execute();
}

/** Changes an item's price as the menu function does: the version rises with it. */
async function setPrice(menuItemId: number, price: string): Promise<number> {
  const row = await t.db
    .updateTable("menu_items")
    .set({ price, version: sql<number>`version + 1` })
    .where("id", "=", menuItemId)
    .returning("version")
    .executeTakeFirstOrThrow();
  return row.version;
}

// xmin changes whenever a row is written, even with identical values: equal xmins prove no write.
const versions = (menuItemId: number) =>
  sql<{ user_id: number; unit_price: string; xmin: string }>`
    select user_id, unit_price, xmin::text as xmin from cart_items where menuitem_id = ${menuItemId} order by id`
    .execute(t.db)
    .then((r) => r.rows);

describe("repriceCartItems (tavola.menu.item.changed)", () => {
  it("sets every line of the item to the menu price, touching no other item, emitting nothing", async () => {
    const item = await createMenuItem(t.db, { price: "5.00" });
    const other = await createMenuItem(t.db, { price: "5.00" });
    const [a, b] = [await createUser(t.db), await createUser(t.db)];
    await addLine(a.id, item.id, "5.00");
    await addLine(b.id, item.id, "5.00");
    await addLine(a.id, other.id, "5.00");
    const version = await setPrice(item.id, "6.25");
    const otherBefore = await versions(other.id);
    const pending = await run(
      repriceCartItems,
      event(
        "tavola.menu.item.changed",
        { menuitem_id: item.id, version, title: item.title, price: "6.25" },
        item.id,
      ),
    );
    expect((await versions(item.id)).map((l) => l.unit_price)).toEqual(["6.25", "6.25"]);
    expect(await versions(other.id)).toEqual(otherBefore);
    expect(pending).toEqual([]);
  });

  it("changes nothing when the lines already carry the price (a duplicate delivery)", async () => {
    const item = await createMenuItem(t.db, { price: "7.00" });
    await addLine((await createUser(t.db)).id, item.id, "7.00");
    const before = await versions(item.id);
    const e = event(
      "tavola.menu.item.changed",
      { menuitem_id: item.id, version: 1, title: item.title, price: "7.00" },
      item.id,
    );
    await run(repriceCartItems, e);
    await run(repriceCartItems, e);
    expect(await versions(item.id)).toEqual(before);
  });

  it("keeps the newest price when an older change arrives late", async () => {
    const item = await createMenuItem(t.db, { price: "8.00" });
    await addLine((await createUser(t.db)).id, item.id, "8.00");
    const v2 = await setPrice(item.id, "8.50");
    await setPrice(item.id, "9.00");
    const stale = event(
      "tavola.menu.item.changed",
      { menuitem_id: item.id, version: v2, title: item.title, price: "8.50" },
      item.id,
    );
    await run(repriceCartItems, stale);
    expect((await versions(item.id)).map((l) => l.unit_price)).toEqual(["9.00"]);
  });

  it("converges to the newest price for every arrival order of changes, replays included", async () => {
    const item = await createMenuItem(t.db, { price: "1.00" });
    const user = await createUser(t.db);
    await addLine(user.id, item.id, "1.00");
    const changes = [];
    for (const price of ["2.00", "3.00", "4.00"]) {
      const version = await setPrice(item.id, price);
      changes.push(
        event(
          "tavola.menu.item.changed",
          { menuitem_id: item.id, version, title: item.title, price },
          item.id,
        ),
      );
    }
    const [a, b, c] = changes as [(typeof changes)[0], (typeof changes)[0], (typeof changes)[0]];
    for (const order of [
      [a, b, c],
      [a, c, b],
      [b, a, c],
      [b, c, a],
      [c, a, b],
      [c, b, a],
      [c, c, a, a],
    ]) {
      await t.db
        .updateTable("cart_items")
        .set({ unit_price: "1.00", menu_version: 1 })
        .where("user_id", "=", user.id)
        .execute();
      for (const e of order) await run(repriceCartItems, e);
      const line = await t.db
        .selectFrom("cart_items")
        .select(["unit_price", "menu_version"])
        .where("user_id", "=", user.id)
        .executeTakeFirstOrThrow();
      expect(line).toEqual({ unit_price: "4.00", menu_version: 4 });
    }
  });

  it("leaves a line that holds a newer menu version than the event untouched (no write)", async () => {
    const item = await createMenuItem(t.db, { price: "3.00" });
    const v2 = await setPrice(item.id, "3.50");
    await setPrice(item.id, "4.00");
    await addLine((await createUser(t.db)).id, item.id, "4.00", 3);
    const before = await versions(item.id);
    await run(
      repriceCartItems,
      event(
        "tavola.menu.item.changed",
        { menuitem_id: item.id, version: v2, title: item.title, price: "3.50" },
        item.id,
      ),
    );
    expect(await versions(item.id)).toEqual(before);
  });

  it("does nothing for an item that no longer exists", async () => {
    const pending = await run(
      repriceCartItems,
      event(
        "tavola.menu.item.changed",
        { menuitem_id: 999999, version: 2, title: "gone", price: "1.00" },
        999999,
      ),
    );
    expect(pending).toEqual([]);
  });
});

describe("removeCartItemsForMenuItem (tavola.menu.item.deleted)", () => {
  it("removes the lines of a deleted item even without the foreign key's cascade", async () => {
    const item = await createMenuItem(t.db);
    const kept = await createMenuItem(t.db);
    const user = await createUser(t.db);
    await addLine(user.id, item.id, item.price);
    await addLine(user.id, kept.id, kept.price);
    // Inside one transaction that is rolled back, the cascade is dropped, the item deleted, and the
    // reaction alone must take its lines away.
    const seen = await t.db
      .transaction()
      .execute(async (trx) => {
        await sql`alter table cart_items drop constraint cart_items_menuitem_id_fkey`.execute(trx);
        await trx.deleteFrom("menu_items").where("id", "=", item.id).execute();
        const lines = () =>
          trx.selectFrom("cart_items").select("menuitem_id").where("user_id", "=", user.id).execute();
        const before = await lines();
        const outbox = () => trx.selectFrom("outbox").select("id").execute();
        const outboxBefore = (await outbox()).length;
        await removeCartItemsForMenuItem(
          { trx, logger: createLogger("silent") },
          event("tavola.menu.item.deleted", { menuitem_id: item.id, version: 2 }, item.id),
        );
        throw Object.assign(new Error("rollback"), {
          result: { before, after: await lines(), emitted: (await outbox()).length - outboxBefore },
        });
      })
      .catch((error: { result?: unknown }) => error.result);
    expect(seen).toEqual({
      before: [{ menuitem_id: item.id }, { menuitem_id: kept.id }],
      after: [{ menuitem_id: kept.id }],
      emitted: 0,
    });
    expect(
      (await t.db.selectFrom("menu_items").select("id").where("id", "=", item.id).execute()).length,
    ).toBe(1);
  });

  it("is idempotent after the deletion's cascade, and leaves the lines of an item still on the menu", async () => {
    const deleted = await createMenuItem(t.db);
    const onMenu = await createMenuItem(t.db);
    const user = await createUser(t.db);
    await addLine(user.id, deleted.id, deleted.price);
    await addLine(user.id, onMenu.id, onMenu.price);
    await t.db.deleteFrom("menu_items").where("id", "=", deleted.id).execute();
    await run(
      removeCartItemsForMenuItem,
      event("tavola.menu.item.deleted", { menuitem_id: deleted.id, version: 2 }, deleted.id),
    );
    await run(
      removeCartItemsForMenuItem,
      event("tavola.menu.item.deleted", { menuitem_id: deleted.id, version: 2 }, deleted.id),
    );
    const before = await versions(onMenu.id);
    await run(
      removeCartItemsForMenuItem,
      event("tavola.menu.item.deleted", { menuitem_id: onMenu.id, version: 2 }, onMenu.id),
    );
    expect(await versions(onMenu.id)).toEqual(before);
    expect(await versions(deleted.id)).toEqual([]);
  });
});
