import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OutboxRow } from "../../db/types.ts";
import { freePort } from "../../testing/free-port.ts";
import { createNodeFetch, createSinkSender } from "./sender.ts";

// The sender's default transport (node:http, not the global fetch) against a real HTTP server.

const PORT = await freePort();
const sink = `http://127.0.0.1:${PORT}/tavola/default`;
const received: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
let answer: { status: number; body?: string; delayMs?: number } = { status: 202 };
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    received.push({
      method: req.method ?? "",
      url: req.url ?? "",
      headers: req.headers,
      body: Buffer.concat(chunks).toString(),
    });
    setTimeout(() => {
      res.writeHead(answer.status, { "content-type": "text/plain" });
      res.end(answer.body);
    }, answer.delayMs ?? 0);
  });
});

beforeAll(() => new Promise<void>((resolve) => server.listen(PORT, "127.0.0.1", resolve)));
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

const row: OutboxRow = {
  id: "0b7c8a52-47e4-4a55-9a43-0c2f7c1b2e11",
  source: "/tavola/order",
  type: "tavola.order.cancelled",
  subject: "42",
  data: { order_id: 42 },
  status: "pending",
  attempts: 0,
  lease_until: null,
  last_error: null,
  created_at: new Date("2026-11-22T10:00:00.000Z"),
  sent_at: null,
};

describe("the sink sender over node:http", () => {
  it("POSTs a binary-mode CloudEvent whose id is the row id", async () => {
    answer = { status: 202 };
    received.length = 0;
    await createSinkSender({ sink, timeoutMs: 1_000 })(row);
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request).toMatchObject({ method: "POST", url: "/tavola/default", body: '{"order_id":42}' });
    expect(request!.headers).toMatchObject({
      "content-type": "application/json",
      "ce-specversion": "1.0",
      "ce-id": row.id,
      "ce-source": "/tavola/order",
      "ce-type": "tavola.order.cancelled",
      "ce-subject": "42",
      "ce-time": "2026-11-22T10:00:00.000Z",
      "content-length": "15",
    });
  });

  it("throws on an answer other than 2xx, with the status", async () => {
    answer = { status: 503, body: "busy" };
    await expect(createSinkSender({ sink, timeoutMs: 1_000 })(row)).rejects.toThrow(
      "the broker answered 503",
    );
  });

  it("gives up after the timeout with a TimeoutError", async () => {
    answer = { status: 202, delayMs: 500 };
    const error = await createSinkSender({ sink, timeoutMs: 50 })(row).catch((e: unknown) => e);
    expect((error as Error).name).toBe("TimeoutError");
  });

  it("fails like fetch when nobody listens", async () => {
    const send = createSinkSender({ sink: `http://127.0.0.1:${await freePort()}/`, timeoutMs: 1_000 }); // nobody listens there
    await expect(send(row)).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe("createNodeFetch", () => {
  it("answers a Response with the status and body, and a null body where the status demands one", async () => {
    const fetchLike = createNodeFetch();
    answer = { status: 200, body: "hello" };
    const ok = await fetchLike(sink, { method: "POST", body: "x", headers: [["x-test", "1"]] });
    expect([ok.status, ok.ok, await ok.text()]).toEqual([200, true, "hello"]);
    expect(received.at(-1)!.headers["x-test"]).toBe("1");
    answer = { status: 204 };
    const empty = await fetchLike(sink, { method: "POST", body: "" });
    expect([empty.status, empty.body]).toEqual([204, null]);
  });
});
