import type { OrderRow } from "../../shared/db/types.ts";
import type { itemsOfOrders } from "./repository.ts";
import type { OrderView } from "./schemas.ts";

// Rows as the API shows them.

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
