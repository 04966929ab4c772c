import { z } from "zod";
import { DELIVERY_STATUSES } from "../../shared/names.ts";

// The delivery's API shapes: what its routes answer (they accept no body; the list takes a page).

const time = z.iso.datetime().nullable();

/** A delivery as the API shows it; times are ISO strings or null. */
export const deliverySchema = z
  .object({
    order_id: z.number().int(),
    delivery_crew: z.number().int().nullable(),
    status: z.enum(DELIVERY_STATUSES),
    assigned_at: time,
    picked_up_at: time,
    delivered_at: time,
  })
  .meta({ id: "Delivery" });
export type DeliveryView = z.infer<typeof deliverySchema>;
