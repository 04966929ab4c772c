import { describe, expect, it } from "vitest";
import { createGateway } from "./gateway.ts";

const answer = (name: string) => (request: Request) =>
  Response.json({ name, path: new URL(request.url).pathname });

describe("local gateway", () => {
  const gateway = createGateway(
    [
      { prefix: "/api/cart/menu-items", target: "cart" },
      { prefix: "/api/cart/orders", target: "order" },
      { prefix: "/api/orders", target: "order" },
      { prefix: "/api/menu-items", target: "menu" },
    ],
    { cart: answer("cart"), order: answer("order"), menu: answer("menu") },
  );
  const get = async (path: string) => {
    const res = await gateway(new Request(`http://localhost${path}`));
    return { status: res.status, body: (await res.json()) as { name?: string; path?: string } };
  };

  it("routes each path to the function that owns its prefix", async () => {
    expect((await get("/api/cart/menu-items")).body.name).toBe("cart");
    expect((await get("/api/cart/orders/")).body.name).toBe("order");
    expect((await get("/api/orders/7")).body.name).toBe("order");
    expect((await get("/api/menu-items?category=1")).body).toEqual({ name: "menu", path: "/api/menu-items" });
  });

  it("does not match a prefix inside a longer word", async () => {
    expect((await get("/api/menu-itemsx")).status).toBe(404);
  });

  it("never routes /events", async () => {
    expect((await get("/events")).status).toBe(404);
    expect((await get("/events/dead-letter")).status).toBe(404);
  });

  it("refuses a table that would expose /events or names a missing function", () => {
    expect(() => createGateway([{ prefix: "/events", target: "menu" }], { menu: answer("menu") })).toThrow(
      /never/,
    );
    expect(() => createGateway([{ prefix: "/api/x", target: "ghost" }], {})).toThrow(/ghost/);
  });
});
