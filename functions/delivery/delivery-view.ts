import type { DeliveryStatus } from "../../shared/db/types.ts";
import type { DeliveryRecord } from "./delivery-record.ts";

/** A delivery as the API shows it; times are ISO strings or null. */
export interface DeliveryView {
  order_id: number;
  delivery_crew: number | null;
  status: DeliveryStatus;
  assigned_at: string | null;
  picked_up_at: string | null;
  delivered_at: string | null;
}

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
