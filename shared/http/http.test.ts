import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { call, createUser, useTestDb } from "../testing/index.ts";
import { readBody } from "./body.ts";
import { createFunctionApp } from "./create-app.ts";
import { text } from "./fields.ts";
import { validate } from "./validate.ts";

const t = useTestDb();

function recordingLogger(
  lines: { level: string; message: string; fields?: Record<string, unknown> }[],
): Logger {
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    lines.push({ level, message, ...(fields ? { fields } : {}) });
  const logger: Logger = {
    debug: log("debug"),
    info: log("info"),
    warn: log("warn"),
    error: log("error"),
    child: () => logger,
  };
  return logger;
}

/** A small app exercising the shared edge: a route that writes a user from a validated body. */
function testApp(lines: { level: string; message: string; fields?: Record<string, unknown> }[] = []) {
  const app = createFunctionApp({ db: t.db, logger: recordingLogger(lines) });
  const schema = z.object({ username: text(150) });
  app.post("/api/things", async (c) => {
    const input = validate(schema, await readBody(c));
    const user = await createUser(t.db, { username: input.username });
    return c.json({ id: user.id, username: user.username }, 201);
  });
  app.get("/api/boom", () => {
    throw new Error("secret internal detail at /srv/app.ts:12 select * from users");
  });
  app.get("/api/conflict", () => {
    throw new AppError("conflict", "That cannot be done now.");
  });
  return app;
}

async function userCount(username: string) {
  const rows = await t.db.selectFrom("users").select("id").where("username", "=", username).execute();
  return rows.length;
}

describe("shared HTTP edge", () => {
  it("accepts JSON and form-encoded bodies alike, with or without a trailing slash", async () => {
    const app = testApp();
    const json = await call(app, "POST", "/api/things", { json: { username: "json_user_a" } });
    expect(json.status).toBe(201);
    const form = await call(app, "POST", "/api/things/", { form: { username: "form_user_a" } });
    expect(form.status).toBe(201);
    expect(form.body.username).toBe("form_user_a");
  });

  it("answers malformed JSON with a 400 problem and writes nothing", async () => {
    const app = testApp();
    const res = await app.request("/api/things", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"username": "broken_json_user"',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const body = await res.json();
    expect(body).toMatchObject({
      status: 400,
      title: "Bad Request",
      detail: "The request body is not valid JSON.",
    });
    expect(await userCount("broken_json_user")).toBe(0);
  });

  it("refuses a body over 64 KiB with 413, by Content-Length", async () => {
    const app = testApp();
    const username = `big_${"x".repeat(70 * 1024)}`;
    const res = await call(app, "POST", "/api/things", { json: { username } });
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.body.detail).toMatch(/64 KiB/);
  });

  it("refuses a chunked body over 64 KiB with 413 even with no Content-Length", async () => {
    const app = testApp();
    const chunk = new TextEncoder().encode("x".repeat(8 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 20) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await app.request("/api/things", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(res.headers.get("content-length")).toBeNull();
    expect(res.status).toBe(413);
    expect(((await res.json()) as { status: number }).status).toBe(413);
  });

  it("turns a NUL byte or an over-long string into a 400 field error, not a database error", async () => {
    const app = testApp();
    const nul = await call(app, "POST", "/api/things", { json: { username: "nul\u0000user" } });
    expect(nul.status).toBe(400);
    expect(nul.body.errors).toEqual([{ path: "username", message: "must not contain control characters" }]);
    const long = await call(app, "POST", "/api/things", { json: { username: "l".repeat(151) } });
    expect(long.status).toBe(400);
    expect(long.body.errors[0].path).toBe("username");
    // A NUL cannot even be a query parameter in PostgreSQL: look for what would have been written.
    const rows = await t.db.selectFrom("users").select("id").where("username", "like", "nul%").execute();
    expect(rows).toHaveLength(0);
  });

  it("hides internals of an unexpected error behind a 500 that carries the request id, which is logged", async () => {
    const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
    const app = testApp(lines);
    const res = await call(app, "GET", "/api/boom", { headers: { "x-request-id": "req-abc-123" } });
    expect(res.status).toBe(500);
    expect(res.headers.get("x-request-id")).toBe("req-abc-123");
    expect(res.body.request_id).toBe("req-abc-123");
    const raw = JSON.stringify(res.body);
    expect(raw).not.toMatch(/secret|select|\/srv|stack/);
    const logged = lines.find((l) => l.level === "error");
    expect(logged?.fields?.requestId).toBe("req-abc-123");
    expect(String(logged?.fields?.error)).toMatch(/secret internal detail/);
  });

  it("maps verb errors by code and gives every response a request id", async () => {
    const app = testApp();
    const res = await call(app, "GET", "/api/conflict");
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      type: "about:blank#conflict",
      title: "Conflict",
      status: 409,
      detail: "That cannot be done now.",
    });
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers an unknown path with a 404 problem", async () => {
    const res = await call(testApp(), "GET", "/api/nowhere");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });

  it("throttles per client with 429 and Retry-After", async () => {
    const app = createFunctionApp({
      db: t.db,
      logger: recordingLogger([]),
      throttle: { limit: 3, windowSeconds: 60, trustProxy: true },
    });
    app.get("/api/ping", (c) => c.json({ ok: true }));
    const from = (ip: string) => call(app, "GET", "/api/ping", { headers: { "x-forwarded-for": ip } });
    for (let i = 0; i < 3; i++) expect((await from("10.0.0.1")).status).toBe(200);
    const limited = await from("10.0.0.1");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limited.headers.get("content-type")).toBe("application/problem+json");
    expect((await from("10.0.0.2")).status).toBe(200);
  });

  it("serves /healthz without I/O and /readyz from the database", async () => {
    const app = testApp();
    expect((await call(app, "GET", "/healthz")).body).toEqual({ status: "ok" });
    expect((await call(app, "GET", "/readyz")).body).toEqual({ status: "ready" });
  });
});
