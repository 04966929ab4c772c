import { z } from "zod";
import { CREW_STATUSES, type FunctionName, ORDER_STATUSES } from "../names.ts";

export type { FunctionName };

/** The bounds of an `integer` column: an id or version past them is a 400, never a database error. */
const INT_MAX = 2_147_483_647;
const id = z.number().int().positive().max(INT_MAX);
/** The row's version after the change the event describes (see docs/event-guarantees.md). */
const version = z.number().int().positive().max(INT_MAX);
/** numeric(10,2) for prices, numeric(12,2) for an order's total: at most 10 digits before the point. */
const money = z.string().regex(/^\d{1,10}\.\d{2}$/);
const crew = id.nullable();
const orderStatus = z.enum(ORDER_STATUSES);

/**
 * Every CloudEvent type Tavola emits, with the schema of its `data`. Producers emit through it
 * (type-checked by `enqueueEvent`), consumers parse through it. docs/events.md is generated
 * from it; knative/ holds the Triggers that route each type.
 */
export const catalogue = {
  "tavola.order.placed": z.object({
    order_id: id,
    version,
    user_id: id,
    total: money,
    items: z
      .array(z.object({ menuitem_id: id, quantity: z.number().int().min(1).max(99), unit_price: money }))
      .max(1000),
  }),
  "tavola.order.assigned": z.object({ order_id: id, version, delivery_crew_id: id }),
  "tavola.order.status.changed": z.object({
    order_id: id,
    version,
    status: orderStatus,
    previous: orderStatus,
    delivery_crew_id: crew,
  }),
  "tavola.order.cancelled": z.object({ order_id: id, version, delivery_crew_id: crew }),
  "tavola.delivery.status.changed": z.object({
    order_id: id,
    version,
    status: z.enum(CREW_STATUSES),
    at: z.iso.datetime({ offset: true }),
  }),
  "tavola.menu.item.changed": z.object({
    menuitem_id: id,
    version,
    title: z.string().max(255),
    price: money,
  }),
  "tavola.menu.item.deleted": z.object({ menuitem_id: id, version }),
} as const;

export type EventType = keyof typeof catalogue;
export type EventData<T extends EventType> = z.infer<(typeof catalogue)[T]>;

/** Every event type, in the catalogue's order. */
export const EVENT_TYPES = Object.keys(catalogue) as EventType[];

/** A function's CloudEvents `source` is `/tavola/<name>`. */
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

/**
 * The one function that produces each type (docs/events.md, "producer"). A consumer refuses an event
 * whose `source` is not its producer's (`sourceOf`), whoever delivered it.
 */
export const producers: Record<EventType, FunctionName> = {
  "tavola.order.placed": "order",
  "tavola.order.assigned": "order",
  "tavola.order.status.changed": "order",
  "tavola.order.cancelled": "order",
  "tavola.delivery.status.changed": "delivery",
  "tavola.menu.item.changed": "menu",
  "tavola.menu.item.deleted": "menu",
};
