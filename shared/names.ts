// Every name Tavola writes out in more than one place is listed here once; types, zod enums and loops
// are built from these lists, so adding a name is one edit. Event types are the keys of the event
// catalogue (shared/events/catalogue.ts), which is their one list.

/** The five functions, in the order of docs/api.md; each is a Knative Service and a CloudEvents `source`. */
export const FUNCTION_NAMES = ["auth", "menu", "cart", "order", "delivery"] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** Every order status, in lifecycle order. */
export const ORDER_STATUSES = ["placed", "assigned", "out_for_delivery", "delivered", "cancelled"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** A delivery's statuses: an order's, plus `unassigned` before a crew member is set. */
export const DELIVERY_STATUSES = ["unassigned", ...ORDER_STATUSES] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** The statuses the delivery function reports to the order (`tavola.delivery.status.changed`). */
export const CREW_STATUSES = ["out_for_delivery", "delivered"] as const satisfies readonly OrderStatus[];
export type CrewStatus = (typeof CREW_STATUSES)[number];

/** The groups a user can join. */
export const GROUP_NAMES = ["manager", "delivery-crew"] as const;
export type GroupName = (typeof GROUP_NAMES)[number];
