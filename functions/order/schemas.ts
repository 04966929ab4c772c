import { z } from "zod";
import { fields, pageQuery } from "../../shared/http/index.ts";
import { ORDER_STATUSES } from "../../shared/names.ts";

// The order's API shapes: what its routes accept and what they answer.

export const ORDERING = { date: "created_at", total: "total" } as const;

export const listQuery = z.object({ status: z.enum(ORDER_STATUSES).optional() });
const ordering = z.string().optional().meta({ description: "date or total; a leading - sorts descending" });
/** The list's query string as documented: the status filter, ordering and page. */
export const listQueryDoc = listQuery.extend(pageQuery.shape).extend({ ordering });

/** A status by name, or as Little Lemon sends it: 0/false = out for delivery, 1/true = delivered. */
const statusField = z.union(
  [
    z.enum(ORDER_STATUSES),
    fields.boolean.transform((delivered) => (delivered ? "delivered" : "out_for_delivery")),
    z.union([z.literal(0), z.literal(1)]).transform((n) => (n === 1 ? "delivered" : "out_for_delivery")),
  ],
  { error: `must be one of ${ORDER_STATUSES.join(", ")}, or 0/1` },
);

/** PATCH/PUT: a manager sets `delivery_crew` and `status`, the assigned crew `status` only. */
export const updateBody = z.object({ delivery_crew: fields.id.optional(), status: statusField.optional() });

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
