import { describe, expect, it } from "vitest";
import { triggerMatches } from "./filter.ts";
import type { TriggerObject } from "./manifests.ts";

function trigger(spec: Partial<TriggerObject["spec"]>): TriggerObject {
  return {
    apiVersion: "eventing.knative.dev/v1",
    kind: "Trigger",
    metadata: { name: "t" },
    spec: { broker: "default", subscriber: { uri: "http://x/" }, ...spec },
  };
}

const event = { type: "tavola.menu.item.changed", source: "/tavola/menu", id: "1" };

describe("triggerMatches", () => {
  it("lets everything through without a filter", () => {
    expect(triggerMatches(trigger({}), event)).toBe(true);
  });

  it("demands every attribute of an exact filter, an empty value matching any", () => {
    const exact = (attributes: Record<string, string>) =>
      triggerMatches(trigger({ filter: { attributes } }), event);
    expect(exact({ type: "tavola.menu.item.changed", source: "/tavola/menu" })).toBe(true);
    expect(exact({ type: "tavola.menu.item.changed", source: "/tavola/order" })).toBe(false);
    expect(exact({ type: "tavola.menu.item.changed", subject: "" })).toBe(true);
    expect(exact({ subject: "3" })).toBe(false);
  });

  it("uses the filters dialect instead of filter when both are given", () => {
    const both = trigger({
      filter: { attributes: { type: "something.else" } },
      filters: [{ prefix: { type: "tavola.menu." } }, { suffix: { source: "/menu" } }],
    });
    expect(triggerMatches(both, event)).toBe(true);
    expect(
      triggerMatches(trigger({ filters: [{ exact: { type: "tavola.menu.item.deleted" } }] }), event),
    ).toBe(false);
    expect(
      triggerMatches(
        trigger({
          filters: [
            { any: [{ exact: { type: "a" } }, { prefix: { type: "tavola." } }] },
            { not: { exact: { source: "/tavola/order" } } },
            { all: [{ prefix: { id: "" } }] },
          ],
        }),
        event,
      ),
    ).toBe(true);
    expect(triggerMatches(trigger({ filters: [{ prefix: { subject: "" } }] }), event)).toBe(false);
  });
});
