import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2eStack, startE2eStack } from "../functions/local/e2e-support.ts";
import { uniqueName } from "../shared/testing/fixtures.ts";
import { useTestDb } from "../shared/testing/index.ts";
import { createTavolaClient } from "./index.ts";

// The typed client against the local stack (the five functions behind the gateway, the local broker):
// one order's whole life, each step typed from the document. `broker.settled()` waits for the events
// between order and delivery.

const t = useTestDb();
let e2e: E2eStack;
beforeAll(async () => {
  e2e = await startE2eStack(t.db);
}, 60_000);
afterAll(() => e2e?.close());

/** A client that logs in once and sends its token with every request. */
async function loggedIn(username: string, password: string) {
  let token: string | undefined;
  const api = createTavolaClient({ baseUrl: e2e.baseUrl, token: () => token });
  const { data, response } = await api.POST("/api/token", { body: { username, password } });
  expect(response.status).toBe(200);
  token = data!.access;
  return api;
}

async function registered(prefix: string) {
  const anonymous = createTavolaClient({ baseUrl: e2e.baseUrl });
  const username = uniqueName(prefix);
  const password = `pw-${crypto.randomUUID()}`;
  const { data, response } = await anonymous.POST("/api/users", { body: { username, password } });
  expect(response.status).toBe(201);
  return { id: data!.id, username, password };
}

describe("the typed client", () => {
  it("carries one order from the cart to delivered", async () => {
    const settled = () => e2e.stack.broker.settled();
    const manager = await loggedIn(e2e.admin.username, e2e.admin.password);
    const customerUser = await registered("client-customer");
    const crewUser = await registered("client-crew");
    const added = await manager.POST("/api/groups/{group}/users", {
      params: { path: { group: "delivery-crew" } },
      body: { username: crewUser.username },
    });
    expect(added.response.status).toBe(201);

    const customer = await loggedIn(customerUser.username, customerUser.password);
    const menu = await customer.GET("/api/menu-items", { params: { query: { search: "Bruschetta" } } });
    const item = menu.data!.results[0]!;
    const line = await customer.POST("/api/cart/menu-items", { body: { menuitem: item.id, quantity: 2 } });
    expect(line.data).toMatchObject({ menuitem: { id: item.id }, quantity: 2 });
    const placed = await customer.POST("/api/orders", {});
    expect(placed.response.status).toBe(201);
    const order = placed.data!;
    expect(order).toMatchObject({ status: "placed", delivery_crew: null, user: customerUser.id });
    await settled();

    const assigned = await manager.PATCH("/api/orders/{id}", {
      params: { path: { id: order.id } },
      body: { delivery_crew: crewUser.id },
    });
    expect(assigned.data?.status).toBe("assigned");
    await settled();

    const crew = await loggedIn(crewUser.username, crewUser.password);
    const pickup = await crew.POST("/api/deliveries/{orderId}/pickup", {
      params: { path: { orderId: order.id } },
    });
    expect(pickup.data?.status).toBe("out_for_delivery");
    await settled();
    const delivered = await crew.POST("/api/deliveries/{orderId}/deliver", {
      params: { path: { orderId: order.id } },
    });
    expect(delivered.data?.status).toBe("delivered");
    await settled();

    const seen = await customer.GET("/api/orders/{id}", { params: { path: { id: order.id } } });
    expect(seen.data).toMatchObject({ id: order.id, status: "delivered", delivery_crew: crewUser.id });
    const row = await t.db
      .selectFrom("orders")
      .select("status")
      .where("id", "=", order.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("delivered");
    const cart = await customer.GET("/api/cart/menu-items");
    expect(cart.data).toMatchObject({ count: 0, total: "0.00" });
  });

  it("answers a problem document, typed, when a call is refused", async () => {
    const anonymous = createTavolaClient({ baseUrl: e2e.baseUrl });
    const { error, response } = await anonymous.GET("/api/orders");
    expect(response.status).toBe(401);
    expect(error).toMatchObject({ status: 401, title: "Unauthorized" });
  });

  it("is typed from the document: a path, method or field it does not have does not compile", () => {
    const api = createTavolaClient({ baseUrl: e2e.baseUrl });
    // Never called: what matters is that tsc (npm run typecheck) refuses each line.
    const wrong = () => [
      // @ts-expect-error no such path
      api.GET("/api/nowhere"),
      // @ts-expect-error the menu is not deleted as a whole
      api.DELETE("/api/menu-items"),
      // @ts-expect-error menuitem must be an id
      api.POST("/api/cart/menu-items", { body: { menuitem: { id: 1 } } }),
    ];
    expect(typeof wrong).toBe("function");
  });
});
