import type { CartLineRow } from "./repository.ts";
import type { CartLine } from "./schemas.ts";

// Rows as the API shows them.

export function toCartLine(row: CartLineRow): CartLine {
  return {
    menuitem: { id: row.menuitem_id, title: row.title },
    quantity: row.quantity,
    unit_price: row.unit_price,
    price: row.price,
  };
}
