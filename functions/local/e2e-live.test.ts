import { describe, expect, it } from "vitest";
import { comparePositions, parseCursor } from "../../shared/live/position.ts";
import { useTestDb } from "../../shared/testing/index.ts";
import { sseReader } from "../../shared/testing/sse.ts";
import { useE2eStack } from "./e2e-support.ts";

// Issue 17's live updates end to end: the five functions behind `npm start`'s gateway and broker, the
// streams read over real HTTP with fetch() and a bearer header, as the web app reads them.

const t = useTestDb();
const e2e = useE2eStack(t);

async function stream(path: string, token: string, lastEventId?: string) {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (lastEventId) headers["last-event-id"] = lastEventId;
  return sseReader(await fetch(`${e2e.baseUrl}${path}`, { headers }));
}

describe("live updates through the gateway", () => {
  it("a checkout, assignment, pickup and delivery show up on the customer's stream in order", async () => {
    const customer = await e2e.api.register("customer");
    const customerToken = await e2e.api.logIn(customer);
    const crewUser = await e2e.api.register("crew");
    const added = await e2e.api.request("POST", "/api/groups/delivery-crew/users", {
      token: e2e.manager,
      json: { username: crewUser.username },
    });
    expect(added.status).toBe(201);
    const crewToken = await e2e.api.logIn(crewUser);

    const orders = await stream("/api/orders/stream", customerToken);
    const board = await stream("/api/orders/stream", e2e.manager);
    const deliveries = await stream("/api/deliveries/stream", crewToken);
    const opening = { retry: 2000, id: expect.stringMatching(/^\d+-\d+$/) };
    for (const s of [orders, board, deliveries]) expect(await s.next()).toEqual(opening);

    const menu = await e2e.api.request("GET", "/api/menu-items?search=Bruschetta");
    const item = menu.body.results[0];
    expect(
      (
        await e2e.api.request("POST", "/api/cart/menu-items", {
          token: customerToken,
          json: { menuitem: item.id, quantity: 2 },
        })
      ).status,
    ).toBe(201);
    const placed = await e2e.api.request("POST", "/api/orders", { token: customerToken });
    expect(placed.status).toBe(201);
    const orderId = placed.body.id as number;
    const statuses: string[] = [];
    const seen = async (status: string) => {
      const frames = await orders.untilEvent("order", (o) => o.id === orderId && o.status === status);
      for (const f of frames) statuses.push(JSON.parse(f.data!).status);
      return frames;
    };
    const placedFrames = await seen("placed");
    expect(JSON.parse(placedFrames.at(-1)!.data!)).toEqual(placed.body);
    await e2e.settled();

    const assign = await e2e.api.request("PATCH", `/api/orders/${orderId}`, {
      token: e2e.manager,
      json: { delivery_crew: crewUser.id },
    });
    expect(assign.status).toBe(200);
    await seen("assigned");
    await e2e.settled();
    const open = await deliveries.untilEvent(
      "delivery",
      (d) => d.order_id === orderId && d.status === "assigned",
    );
    expect(JSON.parse(open.at(-1)!.data!)).toMatchObject({ order_id: orderId, delivery_crew: crewUser.id });

    expect(
      (await e2e.api.request("POST", `/api/deliveries/${orderId}/pickup`, { token: crewToken })).status,
    ).toBe(200);
    await e2e.settled(); // tavola.delivery.status.changed → the order is out for delivery
    await seen("out_for_delivery");
    expect(
      (await e2e.api.request("POST", `/api/deliveries/${orderId}/deliver`, { token: crewToken })).status,
    ).toBe(200);
    await e2e.settled();
    const last = await seen("delivered");
    const final = await e2e.api.request("GET", `/api/orders/${orderId}`, { token: customerToken });
    expect(JSON.parse(last.at(-1)!.data!)).toEqual(final.body);

    // In order, each status once it was reached (a change that left the status as it was may repeat it).
    expect(statuses.filter((s, i) => s !== statuses[i - 1])).toEqual([
      "placed",
      "assigned",
      "out_for_delivery",
      "delivered",
    ]);
    const boardFrames = await board.untilEvent("order", (o) => o.id === orderId && o.status === "delivered");
    expect(boardFrames.length).toBeGreaterThan(0);
    await deliveries.untilEvent("delivery", (d) => d.order_id === orderId && d.status === "delivered");

    // The customer comes back after a cut with the id of the placed frame: the rest again, nothing before.
    await orders.cancel();
    const resumed = await stream("/api/orders/stream", customerToken, placedFrames.at(-1)!.id);
    // It opens at the cursor it was given.
    expect(await resumed.next()).toEqual({ retry: 2000, id: placedFrames.at(-1)!.id });
    const again = await resumed.untilEvent("order", (o) => o.id === orderId && o.status === "delivered");
    const after = parseCursor(placedFrames.at(-1)!.id)!;
    for (const f of again) expect(comparePositions(parseCursor(f.id)!, after)).toBe(1);
    expect(again.some((f) => JSON.parse(f.data!).status === "placed")).toBe(false);
    for (const s of [resumed, board, deliveries]) await s.cancel();
  });

  it("answers a stream without a token 401, through the gateway", async () => {
    const res = await fetch(`${e2e.baseUrl}/api/orders/stream`);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const deliveries = await fetch(`${e2e.baseUrl}/api/deliveries/stream`);
    expect(deliveries.status).toBe(401);
  });
});
