import { z } from "zod";
import { fields } from "../../shared/http/index.ts";
import { MAX_QUANTITY } from "./repository.ts";

// The cart's API shapes: what its routes accept and what they answer.

// Unknown keys are dropped: `unit_price`, `price`, `user` or `total` in a body have no effect.
/** POST: `{menuitem, quantity}` (Little Lemon) or `{menuitem_id, quantity}`; quantity defaults to 1. */
export const addBody = z
  .object({
    menuitem: fields.id.optional(),
    menuitem_id: fields.id.optional(),
    quantity: fields.integer(1, MAX_QUANTITY).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.menuitem === undefined && v.menuitem_id === undefined) {
      ctx.addIssue({ code: "custom", path: ["menuitem"], message: "is required" });
    }
  });

/** PATCH: `{quantity}` from 0 (remove the line) to 99. */
export const changeBody = z.object({ quantity: fields.integer(0, MAX_QUANTITY) });

export interface AddToCartInput {
  menuItemId: number;
  /** The field the client named the item with, for error paths. */
  field: "menuitem" | "menuitem_id";
  quantity: number;
}

/** A validated POST body as the verb takes it. */
export function toAddToCart(v: z.output<typeof addBody>): AddToCartInput {
  return {
    menuItemId: (v.menuitem ?? v.menuitem_id)!,
    field: v.menuitem !== undefined ? "menuitem" : "menuitem_id",
    quantity: v.quantity ?? 1,
  };
}

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
