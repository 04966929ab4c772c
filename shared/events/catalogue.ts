import { z } from "zod";

const id = z.number().int().positive();
const money = z.string().regex(/^\d+\.\d{2}$/);
const orderStatus = z.enum(["placed", "assigned", "out_for_delivery", "delivered", "cancelled"]);

/**
 * Every CloudEvent type Tavola emits, with the schema of its `data`. Producers emit through it
 * (type-checked by `enqueueEvent`), consumers parse through it. docs/events.md is generated
 * from it; knative/ holds the Triggers that route each type.
 */
export const catalogue = {
  "tavola.order.placed": z.object({
    order_id: id,
    user_id: id,
    total: money,
    items: z.array(z.object({ menuitem_id: id, quantity: z.number().int().min(1), unit_price: money })),
  }),
  "tavola.order.assigned": z.object({ order_id: id, delivery_crew_id: id }),
  "tavola.order.status.changed": z.object({ order_id: id, status: orderStatus, previous: orderStatus }),
  "tavola.order.cancelled": z.object({ order_id: id }),
  "tavola.delivery.status.changed": z.object({
    order_id: id,
    status: z.enum(["out_for_delivery", "delivered"]),
    at: z.iso.datetime({ offset: true }),
  }),
  "tavola.menu.item.changed": z.object({ menuitem_id: id, title: z.string(), price: money }),
  "tavola.menu.item.deleted": z.object({ menuitem_id: id }),
} as const;

export type EventType = keyof typeof catalogue;
export type EventData<T extends EventType> = z.infer<(typeof catalogue)[T]>;

/** The functions that produce or consume events; `source` is `/tavola/<name>`. */
export type FunctionName = "auth" | "menu" | "cart" | "order" | "delivery";

export function sourceOf(fn: FunctionName): string {
  return `/tavola/${fn}`;
}

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(catalogue, type);
}

/** A parsed, validated event as a consumer's handler receives it. */
export interface TavolaEvent<T extends EventType = EventType> {
  id: string;
  source: string;
  type: T;
  subject: string | undefined;
  time: string | undefined;
  data: EventData<T>;
}
