import { Hono } from "hono";
import type { Transaction } from "kysely";
import { describe, expect, it } from "vitest";
import type { IdempotencyKeyStore, KeyClaim, StoredResponse } from "../db/idempotency.ts";
import type { Database } from "../db/types.ts";
import { createLogger } from "../log.ts";
import type { AppEnv } from "./env.ts";
import { createErrorHandler } from "./error-handler.ts";
import { idempotentReplay } from "./idempotent-replay.ts";

// The middleware alone, over a key store in memory and a verb that counts its work. What it does with
// a real transaction and concurrent retries is proven by the checkout's own tests (functions/order).

const trx = {} as Transaction<Database>;

function memoryStore() {
  const rows = new Map<string, { requestHash: string; response: StoredResponse | null }>();
  const store: IdempotencyKeyStore = {
    claim: async (_trx, owner, key, requestHash): Promise<KeyClaim> => {
      const row = rows.get(`${owner}/${key}`);
      if (!row) {
        rows.set(`${owner}/${key}`, { requestHash, response: null });
        return { claimed: true };
      }
      return { claimed: false, ...row };
    },
    store: async (_trx, owner, key, response) => {
      rows.get(`${owner}/${key}`)!.response = response;
    },
  };
  return { rows, store };
}

function testApp() {
  const { rows, store } = memoryStore();
  let work = 0;
  const app = new Hono<AppEnv>();
  app.onError(createErrorHandler(createLogger("silent")));
  const keys = idempotentReplay<{ n: number }>({
    store,
    owner: (c) => Number(c.req.header("x-owner") ?? "1"),
    status: 201,
  });
  app.post("/things", keys.middleware, async (c) => {
    // A verb as the checkout is one: claim first, then work, then record, all in one transaction.
    const claim = keys.claimOf(c);
    const earlier = await claim?.claim(trx);
    if (earlier) return c.json(earlier, 201);
    work += 1;
    const result = { n: work };
    await claim?.record(trx, result);
    return c.json(result, 201);
  });
  return { app, rows, work: () => work };
}

/** POSTs the body's exact bytes (the key compares bytes, not JSON). */
async function post(app: Hono<AppEnv>, key: string | undefined, body: string, owner = "1") {
  const headers: Record<string, string> = { "content-type": "application/json", "x-owner": owner };
  if (key !== undefined) headers["idempotency-key"] = key;
  const res = await app.request("/things", { method: "POST", headers, body });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

describe("idempotentReplay", () => {
  it("replays the recorded result to the same key and body, marked, without the work again", async () => {
    const { app, rows, work } = testApp();
    const first = await post(app, "k", '{"a":1}');
    const again = await post(app, "k", '{"a":1}');
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(first.body);
    expect(work()).toBe(1);
    expect(rows.get("1/k")?.response).toEqual({ status: 201, body: { n: 1 } });
  });

  it("answers 422 for the same key with other bytes, and scopes keys to their owner", async () => {
    const { app, work } = testApp();
    await post(app, "k", '{"a":1}');
    const other = await post(app, "k", '{"a": 1}');
    expect(other.status).toBe(422);
    const someoneElse = await post(app, "k", '{"a":1}', "2");
    expect(someoneElse.status).toBe(201);
    expect(someoneElse.headers.get("idempotent-replayed")).toBeNull();
    expect(work()).toBe(2);
  });

  it("answers 409 while the key's first request has recorded nothing", async () => {
    const { app, rows, work } = testApp();
    rows.set("1/busy", { requestHash: "", response: null });
    const res = await post(app, "busy", "");
    expect(res.status).toBe(422);
    rows.set("1/busy", {
      requestHash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", // sha256 of no bytes
      response: null,
    });
    expect((await post(app, "busy", "")).status).toBe(409);
    expect(work()).toBe(0);
  });

  it("refuses a key that is not 1 to 255 printable characters, and lets a request without one through", async () => {
    const { app, rows, work } = testApp();
    for (const key of ["x".repeat(256), "tab\tkey", "é"])
      expect((await post(app, key, "{}")).status).toBe(400);
    expect(rows.size).toBe(0);
    const plain = await post(app, undefined, "{}");
    expect(plain.status).toBe(201);
    expect(plain.headers.get("idempotent-replayed")).toBeNull();
    expect(rows.size).toBe(0);
    expect(work()).toBe(1);
  });
});
