import type { DeliveryRecord } from "./delivery-record.ts";
import type { DeliveryView } from "./schemas.ts";

// Records as the API shows them.

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
