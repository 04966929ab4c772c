import http from "node:http";
import { type ServerType, serve } from "@hono/node-server";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../log.ts";
import { freePort } from "../testing/free-port.ts";
import type { AppEnv } from "./env.ts";
import { createErrorHandler } from "./error-handler.ts";
import { problem, problemResponse } from "./problem.ts";
import { requestId } from "./request-id.ts";

// X-Request-Id as the functions serve it: through @hono/node-server, where the header is set on Node's
// response rather than on a WHATWG Headers object. Every kind of answer must carry it exactly once.

const PORT = await freePort();
let server: ServerType;

const app = new Hono<AppEnv>();
app.use(requestId(createLogger("silent")));
app.get("/json", (c) => c.json({ id: c.get("requestId") }));
app.get("/own-headers", () => problemResponse(problem(409, "Taken."), { "retry-after": "3" }));
app.get("/text", (c) => c.text("plain", 202, { "x-other": "kept" }));
app.get("/boom", () => {
  throw new Error("internal detail");
});
app.onError(createErrorHandler(createLogger("silent")));
app.notFound((c) => c.json({ missing: true }, 404));

beforeAll(
  () =>
    new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: PORT, hostname: "127.0.0.1" }, () => resolve());
    }),
);
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; raw: string[]; body: string }>(
    (resolve, reject) => {
      const req = http.get({ host: "127.0.0.1", port: PORT, path, headers, agent: false }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, raw: res.rawHeaders, body }),
        );
      });
      req.on("error", reject);
    },
  );
}

const countOf = (raw: string[], name: string) =>
  raw.filter((value, i) => i % 2 === 0 && value.toLowerCase() === name).length;

describe("X-Request-Id on @hono/node-server", () => {
  it("echoes a sane id given by the caller, once, on every kind of answer", async () => {
    for (const [path, status] of [
      ["/json", 200],
      ["/own-headers", 409],
      ["/text", 202],
      ["/boom", 500],
      ["/nowhere", 404],
    ] as const) {
      const res = await get(path, { "x-request-id": `req-${status}` });
      expect(res.status).toBe(status);
      expect(res.headers["x-request-id"]).toBe(`req-${status}`);
      expect(countOf(res.raw, "x-request-id")).toBe(1);
    }
  });

  it("makes one when none or an unusable one is given, and the handler sees the same", async () => {
    const fresh = await get("/json");
    expect(fresh.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(fresh.body)).toEqual({ id: fresh.headers["x-request-id"] });
    const bad = await get("/json", { "x-request-id": "has spaces and; semicolons" });
    expect(bad.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("keeps the headers the handler's response carries", async () => {
    const own = await get("/own-headers");
    expect(own.headers["retry-after"]).toBe("3");
    expect(own.headers["content-type"]).toBe("application/problem+json");
    const text = await get("/text");
    expect(text.headers["x-other"]).toBe("kept");
    expect(text.body).toBe("plain");
    const boom = await get("/boom", { "x-request-id": "req-boom" });
    expect(boom.body).not.toContain("internal detail");
    expect(JSON.parse(boom.body)).toMatchObject({ status: 500, request_id: "req-boom" });
  });
});
