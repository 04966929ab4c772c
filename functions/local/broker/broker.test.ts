import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { binaryHeaders } from "../../../shared/events/receive/cloudevent.ts";
import { quietLogger } from "../../../shared/testing/event-fixtures.ts";
import { createLocalBroker, type LocalBroker } from "./broker.ts";
import { backoffMs } from "./delivery.ts";
import { type EventingManifests, loadEventingManifests } from "./manifests.ts";

const PING = "dev.knative.sources.ping";
let manifests: EventingManifests;
beforeAll(async () => {
  manifests = await loadEventingManifests();
});

interface Received {
  path: string;
  attributes: Record<string, string>;
  body: string;
}

/** A stand-in Knative Service that records what reaches it and answers from a script (then 204). */
function service(script: (number | "network" | Response)[] = []) {
  const received: Received[] = [];
  const fetch = async (request: Request) => {
    const attributes: Record<string, string> = {};
    request.headers.forEach((v, k) => {
      if (k.startsWith("ce-")) attributes[k.slice(3)] = v;
    });
    received.push({ path: new URL(request.url).pathname, attributes, body: await request.text() });
    // The PingSource schedule runs meanwhile (cart's reconciliation tick among them): a tick is
    // answered 204 and takes nothing from the script of answers to events.
    if (attributes.type === PING) return new Response(null, { status: 204 });
    const next = script.shift() ?? 204;
    if (next === "network") throw new TypeError("fetch failed");
    if (next instanceof Response) return next;
    return new Response(next >= 300 ? "nope" : null, { status: next });
  };
  const events = () => received.filter((r) => r.path === "/events" && r.attributes.type !== PING);
  const pings = () => received.filter((r) => r.attributes.type === PING);
  return { received, fetch, events, pings };
}

let running: LocalBroker | undefined;
afterEach(() => running?.stop());

function broker(services: Record<string, ReturnType<typeof service>>) {
  running = createLocalBroker({
    manifests,
    services: Object.fromEntries(Object.entries(services).map(([name, s]) => [name, s.fetch])),
    logger: quietLogger,
    timeScale: 0.001,
  });
  running.start();
  return running;
}

function publish(b: LocalBroker, type: string, source: string, id: string = crypto.randomUUID()) {
  return b.fetch(b.sinkUrl, {
    method: "POST",
    headers: binaryHeaders({ specversion: "1.0", id, source, type, subject: "3" }),
    body: JSON.stringify({ menuitem_id: 3 }),
  });
}

describe("the local broker", () => {
  it("delivers an event to exactly the Triggers whose filter matches, in binary mode with its id", async () => {
    const cart = service();
    const order = service();
    const delivery = service();
    const b = broker({ cart, order, delivery });
    const res = await publish(b, "tavola.menu.item.deleted", "/tavola/menu", "ev-1");
    expect(res.status).toBe(202);
    await b.settled();
    expect(cart.events()).toEqual([
      {
        path: "/events",
        attributes: {
          specversion: "1.0",
          id: "ev-1",
          source: "/tavola/menu",
          type: "tavola.menu.item.deleted",
          subject: "3",
        },
        body: '{"menuitem_id":3}',
      },
    ]);
    expect(order.received).toEqual([]);
    expect(delivery.received).toEqual([]);
  });

  it("routes nothing whose source is not the type's producer", async () => {
    const cart = service();
    const b = broker({ cart });
    await publish(b, "tavola.menu.item.deleted", "/tavola/order");
    await b.settled();
    expect(cart.received).toEqual([]);
  });

  it("retries a failing subscriber with backoff until it takes the event", async () => {
    const cart = service([503, "network", 500]);
    const b = broker({ cart });
    await publish(b, "tavola.menu.item.changed", "/tavola/menu");
    await b.settled();
    expect(cart.events()).toHaveLength(4);
    expect(new Set(cart.events().map((e) => e.attributes.id)).size).toBe(1);
    expect(cart.received.filter((r) => r.path === "/events/dead-letter")).toEqual([]);
  });

  it.each([404, 408, 409, 429, 500, 503, "network"] as const)(
    "retries %s 14 times, then hands the event to the designated dead-letter sink (menu), not the consumer",
    async (failure) => {
      const cart = service(Array(15).fill(failure));
      const menu = service();
      const b = broker({ cart, menu });
      await publish(b, "tavola.menu.item.changed", "/tavola/menu", "ev-dead");
      await b.settled();
      expect(cart.events()).toHaveLength(15);
      expect(cart.received.filter((r) => r.path === "/events/dead-letter")).toEqual([]);
      const [dead] = menu.received.filter((r) => r.path === "/events/dead-letter");
      expect(dead!.attributes).toMatchObject({
        id: "ev-dead",
        knativeerrordest: "http://cart.tavola.svc.cluster.local/events",
        ...(failure === "network" ? {} : { knativeerrorcode: String(failure) }),
      });
      if (failure === "network") expect(dead!.attributes).not.toHaveProperty("knativeerrorcode");
    },
  );

  it.each([400, 401, 403, 413, 415, 422])(
    "does not retry %s: straight to the dead-letter sink",
    async (status) => {
      const cart = service([status]);
      const menu = service();
      const b = broker({ cart, menu });
      await publish(b, "tavola.menu.item.changed", "/tavola/menu");
      await b.settled();
      const notPings = (s: ReturnType<typeof service>) =>
        s.received.filter((r) => r.attributes.type !== PING);
      expect(notPings(cart).map((r) => r.path)).toEqual(["/events"]);
      expect(notPings(menu).map((r) => r.path)).toEqual(["/events/dead-letter"]);
      expect(Buffer.from(notPings(menu)[0]!.attributes.knativeerrordata!, "base64").toString()).toBe("nope");
    },
  );

  it("treats a 2xx with a body that is not a CloudEvent as a failed delivery, as Knative's filter does", async () => {
    const cart = service(Array.from({ length: 15 }, () => Response.json({ status: "applied" })));
    const menu = service();
    const b = broker({ cart, menu });
    await publish(b, "tavola.menu.item.changed", "/tavola/menu");
    await b.settled();
    expect(cart.events()).toHaveLength(15);
    expect(menu.received.filter((r) => r.path === "/events/dead-letter").at(-1)).toMatchObject({
      path: "/events/dead-letter",
      attributes: { knativeerrorcode: "502" },
    });
  });

  it("publishes a subscriber's CloudEvent reply back into the broker", async () => {
    const replyHeaders = binaryHeaders({
      specversion: "1.0",
      id: "reply-1",
      source: "/tavola/delivery",
      type: "tavola.delivery.status.changed",
    });
    const cart = service([new Response('{"order_id":1}', { status: 200, headers: replyHeaders })]);
    const order = service();
    const b = broker({ cart, order });
    await publish(b, "tavola.menu.item.changed", "/tavola/menu");
    await b.settled();
    expect(cart.events()).toHaveLength(1);
    expect(order.events()).toMatchObject([{ attributes: { id: "reply-1" }, body: '{"order_id":1}' }]);
  });

  it("waits backoffDelay × retry between retries (PT10S linear: 10 s, 20 s, … 140 s)", () => {
    const spec = manifests.triggers[0]!.spec.delivery!;
    expect([1, 2, 3, 14].map((retry) => backoffMs(spec, retry))).toEqual([10_000, 20_000, 30_000, 140_000]);
    expect(backoffMs({ backoffPolicy: "exponential", backoffDelay: "PT0.5S" }, 3)).toBe(4000);
  });

  it("gives every Trigger a retry window past a 10-minute outage before anything is dead-lettered", () => {
    for (const trigger of manifests.triggers) {
      const spec = trigger.spec.delivery!;
      const waits = Array.from({ length: spec.retry ?? 0 }, (_, i) => backoffMs(spec, i + 1));
      const windowMs = waits.reduce((sum, ms) => sum + ms, 0);
      expect(windowMs, trigger.metadata.name).toBeGreaterThanOrEqual(10 * 60_000);
      expect(windowMs, trigger.metadata.name).toBe(1_050_000); // docs/event-guarantees.md states this figure
      expect(spec.deadLetterSink?.ref?.name, trigger.metadata.name).not.toBe(
        trigger.spec.subscriber.ref?.name,
      );
    }
  });

  it("answers a malformed event 400 at the ingress, and refuses connections while stopped", async () => {
    const b = broker({});
    const bad = await b.fetch(b.sinkUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(bad.status).toBe(400);
    b.stop();
    await expect(publish(b, "tavola.menu.item.changed", "/tavola/menu")).rejects.toThrow(/fetch failed/);
  });

  it("fires every PingSource at its function's /events", async () => {
    const menu = service();
    const order = service();
    const delivery = service();
    const b = broker({ menu, order, delivery });
    await b.firePings();
    for (const s of [menu, order, delivery]) {
      expect(s.pings()).toHaveLength(1);
      expect(s.pings()[0]!.attributes).toMatchObject({ type: PING, specversion: "1.0" });
      expect(JSON.parse(s.pings()[0]!.body)).toEqual({ task: "sweep-outbox" });
    }
  });

  it("runs the PingSource schedule on its own clock (time-scaled here: a minute is 60 ms)", async () => {
    const menu = service();
    broker({ menu });
    const deadline = Date.now() + 5_000;
    while (menu.pings().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(menu.pings().length).toBeGreaterThanOrEqual(2);
    const [first, second] = menu.pings().map((e) => new Date(e.attributes.time!).getTime());
    expect(second! - first!).toBe(60_000); // one broker minute apart, each on a minute boundary
    expect(first! % 60_000).toBe(0);
  });
});
