import http from "node:http";
import { type ServerType, serve } from "@hono/node-server";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../testing/free-port.ts";
import { readBody } from "./body.ts";
import { HttpProblem } from "./http-problem.ts";

// readBody as the functions run it: served by @hono/node-server, which hands the Node request over as
// the env; the body is then read from it directly, never through a WHATWG Request and stream.

const PORT = await freePort();
let server: ServerType;

const app = new Hono();
app.post("/echo", async (c) => {
  // Proof of the direct path: touching the WHATWG body would throw.
  Object.defineProperty(c.req.raw, "body", {
    get() {
      throw new Error("the body was read through the WHATWG stream");
    },
  });
  return c.json(await readBody(c));
});
app.onError((error, c) =>
  error instanceof HttpProblem
    ? c.json({ status: error.status }, error.status as 400)
    : c.text(String(error), 500),
);

beforeAll(
  () =>
    new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: PORT, hostname: "127.0.0.1" }, () => resolve());
    }),
);
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** POSTs raw bytes, optionally chunked (no Content-Length), and answers the status and JSON body. */
function post(body: Buffer | Buffer[], contentType = "application/json") {
  return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    const chunked = Array.isArray(body);
    const request = http.request(
      {
        host: "127.0.0.1",
        port: PORT,
        path: "/echo",
        method: "POST",
        agent: false,
        headers: { "content-type": contentType, ...(chunked ? {} : { "content-length": body.length }) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (c: Buffer) => chunks.push(c));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) }),
        );
      },
    );
    request.on("error", reject);
    if (chunked) for (const chunk of body) request.write(chunk);
    request.end(chunked ? undefined : body);
  });
}

describe("readBody on @hono/node-server", () => {
  it("reads JSON, forms and an empty body from the Node request", async () => {
    expect(await post(Buffer.from('{"menuitem": 5, "quantity": 2}'))).toEqual({
      status: 200,
      body: { menuitem: 5, quantity: 2 },
    });
    const form = await post(Buffer.from("menuitem=5&quantity=2"), "application/x-www-form-urlencoded");
    expect(form.body).toEqual({ menuitem: "5", quantity: "2" });
    expect((await post(Buffer.alloc(0))).body).toEqual({});
  });

  it("answers 413 to a chunked body over 64 KiB, and still answers", async () => {
    const chunks = Array.from({ length: 20 }, () => Buffer.alloc(8 * 1024, "x"));
    expect(await post(chunks)).toEqual({ status: 413, body: { status: 413 } });
  });

  it("answers 400 to a body that is not UTF-8 or not JSON", async () => {
    expect((await post(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))).status).toBe(400);
    expect((await post(Buffer.from('{"broken"'))).status).toBe(400);
  });
});
