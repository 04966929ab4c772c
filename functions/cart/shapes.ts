import { z } from "zod";
import type { CartLineRow } from "./repository.ts";

const money = z.string().regex(/^\d+\.\d{2}$/);

/** A cart line as the API shows it; money as exact two-place strings from SQL. */
export const cartLineSchema = z
  .object({
    menuitem: z.object({ id: z.number().int(), title: z.string() }),
    quantity: z.number().int(),
    unit_price: money,
    price: money,
  })
  .meta({ id: "CartLine" });
export type CartLine = z.infer<typeof cartLineSchema>;

/** The caller's whole cart: its lines, how many, and their exact total. */
export const cartSchema = z
  .object({ count: z.number().int(), results: z.array(cartLineSchema), total: money })
  .meta({ id: "Cart" });
export type Cart = z.infer<typeof cartSchema>;

export function toCartLine(row: CartLineRow): CartLine {
  return {
    menuitem: { id: row.menuitem_id, title: row.title },
    quantity: row.quantity,
    unit_price: row.unit_price,
    price: row.price,
  };
}
