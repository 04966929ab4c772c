import { z } from "zod";
import { DELIVERY_STATUSES } from "../../shared/names.ts";
import type { DeliveryRecord } from "./delivery-record.ts";

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

export function toDeliveryView(record: DeliveryRecord): DeliveryView {
  return {
    order_id: record.orderId,
    delivery_crew: record.deliveryCrewId,
    status: record.status,
    assigned_at: record.assignedAt?.toISOString() ?? null,
    picked_up_at: record.pickedUpAt?.toISOString() ?? null,
    delivered_at: record.deliveredAt?.toISOString() ?? null,
  };
}
