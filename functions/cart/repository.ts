import { type Kysely, sql, type Transaction } from "kysely";
import { shapedQuery } from "../../shared/db/query-shapes.ts";
import type { ReconcileWindow } from "../../shared/db/reconcile-window.ts";
import type { Database } from "../../shared/db/types.ts";

type Db = Kysely<Database> | Transaction<Database>;

/** The most of one item a cart line may hold (the table's check constraint says the same). */
export const MAX_QUANTITY = 99;

/** A cart line with its item's title and the line's price (unit price × quantity, in SQL numeric). */
export interface CartLineRow {
  menuitem_id: number;
  title: string;
  quantity: number;
  unit_price: string;
  price: string;
}

const cartLinesQuery = shapedQuery((db, _shape: null, values: { userId: number }) =>
  db
    .selectFrom("cart_items")
    .innerJoin("menu_items", "menu_items.id", "cart_items.menuitem_id")
    .select([
      "cart_items.menuitem_id",
      "menu_items.title",
      "cart_items.quantity",
      "cart_items.unit_price",
      sql<string>`cart_items.unit_price * cart_items.quantity`.as("price"),
      sql<string>`sum(cart_items.unit_price * cart_items.quantity) over ()`.as("total"),
    ])
    .where("cart_items.user_id", "=", values.userId)
    .orderBy("cart_items.id"),
);

/** The caller's lines in the order they were added, each with the cart's total, in one statement. */
export async function listCartLines(db: Db, userId: number): Promise<(CartLineRow & { total: string })[]> {
  return cartLinesQuery(db, null, { userId });
}

const addLineQuery = shapedQuery(
  (db, _shape: null, line: { userId: number; menuItemId: number; quantity: number }) =>
    db
      .with("line", (qc) =>
        qc
          .insertInto("cart_items")
          .columns(["user_id", "menuitem_id", "quantity", "unit_price", "menu_version"])
          .expression((eb) =>
            eb
              .selectFrom("menu_items")
              .select([
                eb.cast<number>(eb.val(line.userId), "integer").as("user_id"),
                "menu_items.id",
                eb.cast<number>(eb.val(line.quantity), "integer").as("quantity"),
                "menu_items.price",
                "menu_items.version",
              ])
              .where("menu_items.id", "=", line.menuItemId),
          )
          .onConflict((oc) =>
            oc
              .columns(["user_id", "menuitem_id"])
              .doUpdateSet((eb) => ({
                quantity: eb("cart_items.quantity", "+", eb.ref("excluded.quantity")),
                unit_price: eb.ref("excluded.unit_price"),
                menu_version: eb.ref("excluded.menu_version"),
              }))
              .where((eb) =>
                eb(eb("cart_items.quantity", "+", eb.ref("excluded.quantity")), "<=", MAX_QUANTITY),
              ),
          )
          .returning(["menuitem_id", "quantity", "unit_price"]),
      )
      .selectFrom("line")
      .innerJoin("menu_items", "menu_items.id", "line.menuitem_id")
      .select([
        "line.menuitem_id",
        "menu_items.title",
        "line.quantity",
        "line.unit_price",
        sql<string>`line.unit_price * line.quantity`.as("price"),
      ]),
);

/**
 * Adds `quantity` of an item to the caller's cart at the item's current menu price, in one statement:
 * a new line, or the existing line's quantity raised (and its unit price refreshed). Concurrent adds
 * queue on the line's unique key, so none is lost and none fails. Undefined when nothing was written:
 * the item does not exist, or the sum would pass MAX_QUANTITY.
 */
export async function addToCartLine(
  db: Db,
  line: { userId: number; menuItemId: number; quantity: number },
): Promise<CartLineRow | undefined> {
  const { userId, menuItemId, quantity } = line;
  return (await addLineQuery(db, null, { userId, menuItemId, quantity }))[0];
}

export async function menuItemExists(db: Db, id: number): Promise<boolean> {
  return (
    (await db.selectFrom("menu_items").select("id").where("id", "=", id).executeTakeFirst()) !== undefined
  );
}

export async function findQuantity(db: Db, userId: number, menuItemId: number): Promise<number | undefined> {
  const row = await db
    .selectFrom("cart_items")
    .select("quantity")
    .where("user_id", "=", userId)
    .where("menuitem_id", "=", menuItemId)
    .executeTakeFirst();
  return row?.quantity;
}

/** Sets a line's quantity; false when the caller has no such line. */
export async function setQuantity(
  db: Db,
  userId: number,
  menuItemId: number,
  quantity: number,
): Promise<boolean> {
  const row = await db
    .updateTable("cart_items")
    .set({ quantity })
    .where("user_id", "=", userId)
    .where("menuitem_id", "=", menuItemId)
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}

/** Removes one line; false when the caller has no such line. */
export async function deleteLine(db: Db, userId: number, menuItemId: number): Promise<boolean> {
  const row = await db
    .deleteFrom("cart_items")
    .where("user_id", "=", userId)
    .where("menuitem_id", "=", menuItemId)
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}

/** Removes every line of the caller's cart; answers how many there were. */
export async function deleteCart(db: Db, userId: number): Promise<number> {
  const result = await db.deleteFrom("cart_items").where("user_id", "=", userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Brings every line of an item that holds a version older than `version` to the item's current menu
 * price and version (the menu row is at least as new as any event about it); lines that already hold
 * that version or a newer one are not touched. Answers how many lines changed.
 */
export async function repriceLines(
  trx: Transaction<Database>,
  menuItemId: number,
  version: number,
): Promise<number> {
  const result = await trx
    .updateTable("cart_items")
    .from("menu_items")
    .set((eb) => ({ unit_price: eb.ref("menu_items.price"), menu_version: eb.ref("menu_items.version") }))
    .whereRef("menu_items.id", "=", "cart_items.menuitem_id")
    .where("cart_items.menuitem_id", "=", menuItemId)
    .where("cart_items.menu_version", "<", version)
    .whereRef("cart_items.menu_version", "<", "menu_items.version")
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Removes every line of an item that is no longer on the menu; answers how many there were. */
export async function deleteLinesOfRemovedItem(
  trx: Transaction<Database>,
  menuItemId: number,
): Promise<number> {
  const result = await trx
    .deleteFrom("cart_items")
    .where("cart_items.menuitem_id", "=", menuItemId)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom("menu_items").select("menu_items.id").where("menu_items.id", "=", menuItemId))),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Menu items changed in the window that some cart line holds at an older version. */
export async function itemsAhead(db: Db, window: ReconcileWindow) {
  return db
    .selectFrom("menu_items as m")
    .select(["m.id", "m.version"])
    .where("m.updated_at", ">=", window.since)
    .where("m.updated_at", "<", window.until)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom("cart_items as c")
          .select("c.id")
          .whereRef("c.menuitem_id", "=", "m.id")
          .whereRef("c.menu_version", "<", "m.version"),
      ),
    )
    .orderBy("m.updated_at")
    .limit(window.limit)
    .execute();
}
