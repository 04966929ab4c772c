import { describe, expect, it } from "vitest";
import { z } from "zod";
import { requireAuth } from "../auth/middleware.ts";
import { createLogger, type Logger } from "../log.ts";
import { createTestKeys } from "../testing/keys.ts";
import { createFunctionApp } from "./create-app.ts";
import { body } from "./validation.ts";

/** A logger that keeps its lines, to read what a request logged. */
function recordingLogger(lines: Record<string, unknown>[], base: Record<string, unknown> = {}): Logger {
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    void lines.push({ level, message, ...base, ...fields });
  return {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    child: (fields) => recordingLogger(lines, { ...base, ...fields }),
  };
}

async function sampleApp(options: { corsOrigins?: string[]; lines?: Record<string, unknown>[] } = {}) {
  const keys = await createTestKeys();
  const logger = options.lines ? recordingLogger(options.lines) : createLogger("silent");
  const app = createFunctionApp({ db: undefined as never, logger, corsOrigins: options.corsOrigins });
  app.get("/api/things", (c) => c.json([]));
  app.post("/api/things", requireAuth(keys.verify), body(z.object({ password: z.string() })), (c) =>
    c.json({ ok: true }, 201),
  );
  app.delete("/api/things/:id", (c) => c.body(null, 204));
  return { app, keys };
}

describe("HTTP manners of every function", () => {
  it("answers a known path with another method 405 and Allow, an unknown path 404", async () => {
    const { app } = await sampleApp();
    const put = await app.request("/api/things", { method: "PUT" });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, HEAD, POST, OPTIONS");
    expect(put.headers.get("content-type")).toBe("application/problem+json");
    expect(((await put.json()) as { detail: string }).detail).toBe(
      "PUT is not allowed on /api/things; use GET, HEAD, POST, OPTIONS.",
    );
    const get = await app.request("/api/things/7/", { method: "GET" });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("DELETE, OPTIONS");
    expect((await app.request("/api/nothing", { method: "PUT" })).status).toBe(404);
  });

  it("answers OPTIONS on a known path with 204 and Allow", async () => {
    const { app } = await sampleApp();
    const options = await app.request("/api/things", { method: "OPTIONS" });
    expect(options.status).toBe(204);
    expect(options.headers.get("allow")).toBe("GET, HEAD, POST, OPTIONS");
    expect((await app.request("/api/nothing", { method: "OPTIONS" })).status).toBe(404);
  });

  it("answers a CORS preflight from an allowed origin, and sends no CORS headers to another", async () => {
    const { app } = await sampleApp({ corsOrigins: ["https://front.example"] });
    const preflight = await app.request("/api/things", {
      method: "OPTIONS",
      headers: {
        origin: "https://front.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://front.example");
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
    expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
    // A live stream resumed from a browser page sends Last-Event-ID with fetch().
    expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("last-event-id");
    expect(preflight.headers.get("access-control-allow-credentials")).toBeNull();
    const simple = await app.request("/api/things", { headers: { origin: "https://front.example" } });
    expect(simple.headers.get("access-control-allow-origin")).toBe("https://front.example");
    expect(simple.headers.get("access-control-expose-headers")).toContain("X-Request-Id");
    const other = await app.request("/api/things", { headers: { origin: "https://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("allows any origin with *, and sends no CORS headers when no origin is configured", async () => {
    const any = (await sampleApp({ corsOrigins: ["*"] })).app;
    const res = await any.request("/api/things", { headers: { origin: "http://localhost:5173" } });
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const none = (await sampleApp()).app;
    const plain = await none.request("/api/things", { headers: { origin: "http://localhost:5173" } });
    expect(plain.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("logs one info line per request: method, route, status, duration, request id, user id; never a secret", async () => {
    const lines: Record<string, unknown>[] = [];
    const { app, keys } = await sampleApp({ lines });
    const token = await keys.tokenFor({ id: 42, username: "ada" });
    const res = await app.request("/api/things", {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        "x-request-id": "req-1",
      },
      body: JSON.stringify({ password: "hunter2-secret" }),
    });
    expect(res.status).toBe(201);
    await app.request("/api/things/9");
    const requests = lines.filter((l) => l.message === "request");
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({
      level: "info",
      method: "POST",
      route: "/api/things",
      status: 201,
      requestId: "req-1",
      userId: 42,
    });
    expect(typeof requests[0]!.durationMs).toBe("number");
    expect(requests[1]).toMatchObject({ method: "GET", route: null, status: 405, userId: null });
    const text = JSON.stringify(lines);
    expect(text).not.toContain("hunter2-secret");
    expect(text).not.toContain(token);
  });
});
