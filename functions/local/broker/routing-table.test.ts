import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { Broker, Trigger } from "@kubernetes-models/knative/eventing.knative.dev/v1";
import { PingSource, SinkBinding } from "@kubernetes-models/knative/sources.knative.dev/v1";
import { beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import {
  catalogue,
  type EventType,
  type FunctionName,
  isEventType,
} from "../../../shared/events/catalogue.ts";
import { FUNCTION_NAMES } from "../../../shared/names.ts";
import type { FunctionDefinition } from "../../../shared/runtime/function.ts";
import { FUNCTIONS } from "../../registry.ts";
import { EVENTING_DIR, type EventingManifests, loadEventingManifests } from "./manifests.ts";

// The table of docs/events.md, written out: who consumes each type, and who produces it.
const SPEC_TABLE: { type: EventType; producer: FunctionName; consumers: FunctionName[] }[] = [
  { type: "tavola.order.placed", producer: "order", consumers: ["delivery"] },
  { type: "tavola.order.assigned", producer: "order", consumers: ["delivery"] },
  { type: "tavola.order.status.changed", producer: "order", consumers: ["delivery"] },
  { type: "tavola.order.cancelled", producer: "order", consumers: ["delivery"] },
  { type: "tavola.delivery.status.changed", producer: "delivery", consumers: ["order"] },
  { type: "tavola.menu.item.changed", producer: "menu", consumers: ["cart"] },
  { type: "tavola.menu.item.deleted", producer: "menu", consumers: ["cart"] },
];

let manifests: EventingManifests;
beforeAll(async () => {
  manifests = await loadEventingManifests();
});

/** Where a function's handlers and the Triggers that target it disagree, in words. */
function handlerMismatches(functions: readonly FunctionDefinition[]): string[] {
  return functions.flatMap((fn) => {
    const routed = manifests.triggers
      .filter((t) => t.spec.subscriber.ref?.name === fn.name)
      .map((t) => t.spec.filter?.attributes?.type ?? "");
    const handled = Object.keys(fn.events ?? {});
    return [
      ...routed
        .filter((type) => !handled.includes(type))
        .map((type) => `${fn.name} has a Trigger for ${type} but no handler`),
      ...handled
        .filter((type) => !routed.includes(type))
        .map((type) => `${fn.name} handles ${type} but no Trigger routes it there`),
    ];
  });
}

/** `consumer ← type from producer` for each Trigger. */
function routes(): string[] {
  return manifests.triggers
    .map(
      (t) =>
        `${t.spec.subscriber.ref?.name} ← ${t.spec.filter?.attributes?.type} from ${t.spec.filter?.attributes?.source}`,
    )
    .sort();
}

describe("knative/ is the routing table of the spec", () => {
  it("has a Trigger for every consumer of every type in the spec's table, and no other", () => {
    const expected = SPEC_TABLE.flatMap((row) =>
      row.consumers.map((consumer) => `${consumer} ← ${row.type} from /tavola/${row.producer}`),
    ).sort();
    expect(routes()).toEqual(expected);
  });

  it("covers every type of the catalogue in the spec's table", () => {
    expect(SPEC_TABLE.map((r) => r.type).sort()).toEqual(Object.keys(catalogue).sort());
  });

  it("names a catalogue type and a Tavola function in every Trigger, delivering to /events, dead-lettering to menu", () => {
    for (const trigger of manifests.triggers) {
      const { subscriber, delivery, filter } = trigger.spec;
      expect(isEventType(filter?.attributes?.type ?? ""), trigger.metadata.name).toBe(true);
      expect(FUNCTION_NAMES).toContain(subscriber.ref?.name);
      expect(subscriber).toMatchObject({
        ref: { apiVersion: "serving.knative.dev/v1", kind: "Service" },
        uri: "/events",
      });
      // menu consumes no events: the sink is never the consumer whose failure it receives.
      expect(subscriber.ref?.name).not.toBe("menu");
      expect(delivery).toMatchObject({
        retry: 14,
        backoffPolicy: "linear",
        backoffDelay: "PT10S",
        deadLetterSink: { ref: { kind: "Service", name: "menu" }, uri: "/events/dead-letter" },
      });
    }
  });

  it("names only types a function handles, for every function already in FUNCTIONS, and routes every handler", () => {
    // Functions land in FUNCTIONS one by one; each is held to the table as soon as it is there.
    expect(handlerMismatches(FUNCTIONS)).toEqual([]);
  });

  it("catches a function whose handlers and Triggers disagree (the check above can fail)", () => {
    const reprice = async () => {};
    const cart = (events: FunctionDefinition["events"]): FunctionDefinition => ({
      name: "cart",
      routes: [],
      events,
      http: () => {
        throw new Error("not built");
      },
      deps: () => {
        throw new Error("not built");
      },
    });
    const both = { "tavola.menu.item.changed": reprice, "tavola.menu.item.deleted": reprice };
    expect(handlerMismatches([cart(both)])).toEqual([]);
    expect(handlerMismatches([cart({ "tavola.menu.item.changed": reprice })])).toEqual([
      "cart has a Trigger for tavola.menu.item.deleted but no handler",
    ]);
    expect(handlerMismatches([cart({ ...both, "tavola.order.placed": reprice })])).toEqual([
      "cart handles tavola.order.placed but no Trigger routes it there",
    ]);
  });

  it("ticks every function that writes an outbox or keeps house with a PingSource every minute", () => {
    const producers = SPEC_TABLE.map((r) => r.producer);
    const housekeepers = FUNCTIONS.filter((f) => f.onPing).map((f) => f.name);
    const expected = [...new Set([...producers, ...housekeepers])].sort();
    expect(manifests.pingSources.map((p) => p.spec.sink.ref?.name).sort()).toEqual(expected);
    for (const source of manifests.pingSources) {
      expect(source.spec).toMatchObject({
        schedule: "* * * * *",
        sink: { ref: { kind: "Service" }, uri: "/events" },
      });
    }
  });

  it("gives the Broker the Triggers' delivery spec: long retries, the designated dead-letter sink", () => {
    expect(manifests.broker.metadata).toMatchObject({ name: "default", namespace: "tavola" });
    expect(manifests.broker.spec.delivery).toMatchObject({
      retry: 14,
      backoffPolicy: "linear",
      backoffDelay: "PT10S",
      deadLetterSink: { ref: { name: "menu" }, uri: "/events/dead-letter" },
    });
  });

  it("lists every manifest in kustomization.yaml, each valid against the Knative API schemas", async () => {
    const files = (await readdir(EVENTING_DIR)).filter(
      (f) => f.endsWith(".yaml") && f !== "kustomization.yaml",
    );
    const listed = parseAllDocuments(await readFile(join(EVENTING_DIR, "kustomization.yaml"), "utf8"));
    const resources = (Array.isArray(listed) ? listed[0] : listed)?.toJS().resources as string[];
    expect([...resources].sort()).toEqual(files.sort());
    const models = { Broker, Trigger, PingSource, SinkBinding } as const;
    for (const file of files) {
      const docs = parseAllDocuments(await readFile(join(EVENTING_DIR, file), "utf8"));
      for (const doc of Array.isArray(docs) ? docs : [docs]) {
        const value = doc.toJS();
        if (!value) continue;
        const Model = models[value.kind as keyof typeof models];
        expect(Model, `${file}: ${value.kind}`).toBeDefined();
        expect(value.metadata.namespace, `${file}: ${value.metadata.name}`).toBe("tavola");
        expect(() => new Model(value).validate(), `${file}: ${value.metadata.name}`).not.toThrow();
      }
    }
  });
});
