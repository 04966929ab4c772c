import type { Kysely } from "kysely";
import type { Database, OrderRow } from "../../shared/db/types.ts";
import { itemsOfOrders } from "./repository.ts";

/** An order line as the API shows it (the shape of a cart line, so clients read both alike). */
export interface OrderItemView {
  menuitem: { id: number; title: string };
  quantity: number;
  unit_price: string;
  price: string;
}

/** An order as the API shows it. `user` and `delivery_crew` are user ids, as in Little Lemon. */
export interface OrderView {
  id: number;
  user: number;
  delivery_crew: number | null;
  status: OrderRow["status"];
  total: string;
  date: string;
  items: OrderItemView[];
}

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
