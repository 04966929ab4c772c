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

describe("local gateway readiness", () => {
  const ready = () => Response.json({ status: "ready" });
  const down = () => new Response(null, { status: 503 });

  it("is ready when every function is, and 503 with Retry-After when one is not", async () => {
    const routes = [
      { prefix: "/api/a", target: "a" },
      { prefix: "/api/b", target: "b" },
    ];
    const up = await createGateway(routes, { a: ready, b: ready })(new Request("http://localhost/readyz"));
    expect(up.status).toBe(200);
    const half = await createGateway(routes, { a: ready, b: down })(new Request("http://localhost/readyz"));
    expect(half.status).toBe(503);
    expect(half.headers.get("retry-after")).toBe("5");
    expect(((await half.json()) as { detail: string }).detail).toBe("1 of 2 functions are not ready.");
  });
});
