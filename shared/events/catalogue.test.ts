import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { catalogue, type EventType, producers } from "./catalogue.ts";
import { toTavolaEvent } from "./receive/apply.ts";

// No bound is left to the database: a number past its column would be a database error (a 5xx that
// Knative retries until the dead-letter sink); the catalogue refuses it first, as a 400.

const valid: { [T in EventType]: Record<string, unknown> } = {
  "tavola.order.placed": {
    order_id: 1,
    version: 1,
    user_id: 1,
    total: "1.00",
    items: [{ menuitem_id: 1, quantity: 1, unit_price: "1.00" }],
  },
  "tavola.order.assigned": { order_id: 1, version: 2, delivery_crew_id: 1 },
  "tavola.order.status.changed": {
    order_id: 1,
    version: 2,
    status: "assigned",
    previous: "placed",
    delivery_crew_id: 1,
  },
  "tavola.order.cancelled": { order_id: 1, version: 2, delivery_crew_id: null },
  "tavola.delivery.status.changed": {
    order_id: 1,
    version: 2,
    status: "delivered",
    at: "2026-12-03T07:00:00.000Z",
  },
  "tavola.menu.item.changed": { menuitem_id: 1, version: 2, title: "Soup", price: "1.00" },
  "tavola.menu.item.deleted": { menuitem_id: 1, version: 2 },
};

const INTEGER_FIELDS = ["order_id", "user_id", "menuitem_id", "delivery_crew_id", "version"];

function event(type: EventType, data: unknown) {
  return {
    attributes: { id: crypto.randomUUID(), source: `/tavola/${producers[type]}`, type, specversion: "1.0" },
    data,
  };
}

describe("the catalogue's bounds", () => {
  it("covers every event type with a valid example", () => {
    expect(Object.keys(valid).sort()).toEqual(Object.keys(catalogue).sort());
    for (const [type, data] of Object.entries(valid)) {
      expect(() => toTavolaEvent(event(type as EventType, data))).not.toThrow();
    }
  });

  for (const [type, data] of Object.entries(valid) as [EventType, Record<string, unknown>][]) {
    for (const field of INTEGER_FIELDS.filter((f) => f in data)) {
      it(`${type}: ${field} of 2147483647 is accepted, 2147483648, 0 and 1.5 are refused as invalid`, () => {
        expect(() => toTavolaEvent(event(type, { ...data, [field]: 2_147_483_647 }))).not.toThrow();
        for (const bad of [2_147_483_648, 0, 1.5]) {
          const thrown = (() => {
            try {
              toTavolaEvent(event(type, { ...data, [field]: bad }));
            } catch (error) {
              return error;
            }
          })();
          expect(thrown).toBeInstanceOf(AppError);
          expect((thrown as AppError).code).toBe("validation");
        }
      });
    }
  }

  it("refuses money past numeric(10,2), a quantity past 99 and a title past 255 characters", () => {
    const refused = [
      event("tavola.menu.item.changed", { ...valid["tavola.menu.item.changed"], price: "12345678901.00" }),
      event("tavola.menu.item.changed", { ...valid["tavola.menu.item.changed"], title: "x".repeat(256) }),
      event("tavola.order.placed", {
        ...valid["tavola.order.placed"],
        items: [{ menuitem_id: 1, quantity: 100, unit_price: "1.00" }],
      }),
    ];
    for (const raw of refused) expect(() => toTavolaEvent(raw)).toThrow(AppError);
  });
});
