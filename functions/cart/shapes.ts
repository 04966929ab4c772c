import type { CartLineRow } from "./repository.ts";

/** A cart line as the API shows it; money as exact two-place strings from SQL. */
export interface CartLine {
  menuitem: { id: number; title: string };
  quantity: number;
  unit_price: string;
  price: string;
}

/** The caller's whole cart: its lines, how many, and their exact total. */
export interface Cart {
  count: number;
  results: CartLine[];
  total: string;
}

export function toCartLine(row: CartLineRow): CartLine {
  return {
    menuitem: { id: row.menuitem_id, title: row.title },
    quantity: row.quantity,
    unit_price: row.unit_price,
    price: row.price,
  };
}
