import type { Kysely } from "kysely";
import { z } from "zod";
import type { Database, OrderRow } from "../../shared/db/types.ts";
import { ORDER_STATUSES } from "../../shared/names.ts";
import { itemsOfOrders } from "./repository.ts";

const money = z.string().regex(/^\d+\.\d{2}$/);

/** An order line as the API shows it (the shape of a cart line, so clients read both alike). */
export const orderItemSchema = z
  .object({
    menuitem: z.object({ id: z.number().int(), title: z.string() }),
    quantity: z.number().int(),
    unit_price: money,
    price: money,
  })
  .meta({ id: "OrderItem" });
export type OrderItemView = z.infer<typeof orderItemSchema>;

/** An order as the API shows it. `user` and `delivery_crew` are user ids, as in Little Lemon. */
export const orderSchema = z
  .object({
    id: z.number().int(),
    user: z.number().int(),
    delivery_crew: z.number().int().nullable(),
    status: z.enum(ORDER_STATUSES),
    total: money,
    date: z.iso.datetime(),
    items: z.array(orderItemSchema),
  })
  .meta({ id: "Order" });
export type OrderView = z.infer<typeof orderSchema>;

type ItemRow = Awaited<ReturnType<typeof itemsOfOrders>>[number];

export function toOrderView(order: OrderRow, items: readonly ItemRow[]): OrderView {
  return {
    id: order.id,
    user: order.user_id,
    delivery_crew: order.delivery_crew_id,
    status: order.status,
    total: order.total,
    date: order.created_at.toISOString(),
    items: items.map((item) => ({
      menuitem: { id: item.menuitem_id, title: item.title },
      quantity: item.quantity,
      unit_price: item.unit_price,
      price: item.price,
    })),
  };
}

/** Views of several orders with their lines, read in one query for all of them. */
export async function loadOrderViews(
  db: Kysely<Database>,
  orders: readonly OrderRow[],
): Promise<OrderView[]> {
  const items = await itemsOfOrders(
    db,
    orders.map((o) => o.id),
  );
  const byOrder = Map.groupBy(items, (item) => item.order_id);
  return orders.map((order) => toOrderView(order, byOrder.get(order.id) ?? []));
}
