import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { call, useTestDb } from "../../shared/testing/index.ts";
import { idempotencyCutoff, pruneIdempotencyKeys } from "./prune-idempotency-keys.ts";
import { orderTestbed, snapshot } from "./test-support.ts";

const t = useTestDb();

const withKey = (token: string, key: string, json?: unknown) => ({
  token,
  headers: { "idempotency-key": key },
  ...(json === undefined ? {} : { json }),
});

describe("Idempotency-Key on POST /api/orders", () => {
  it("replays the first answer to a retry with the same key and body, marked as replayed", async () => {
    const bed = await orderTestbed(t.db);
    const me = await bed.customer();
    await bed.fillCart(me.principal.id, [{ price: "4.20", quantity: 1 }]);
    const first = await call(bed.app, "POST", "/api/orders", withKey(me.token, "k-1", { note: "x" }));
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    // The cart is empty now: only a replay can answer 201.
    const again = await call(bed.app, "POST", "/api/cart/orders", withKey(me.token, "k-1", { note: "x" }));
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(first.body);
    const orders = await t.db
      .selectFrom("orders")
      .select("id")
      .where("user_id", "=", me.principal.id)
      .execute();
    expect(orders).toEqual([{ id: first.body.id }]);
  });

  it("replays the first answer even after the order has moved on", async () => {
    const bed = await orderTestbed(t.db);
    const me = await bed.customer();
    await bed.fillCart(me.principal.id, [{ price: "1.00", quantity: 1 }]);
    const first = await call(bed.app, "POST", "/api/orders", withKey(me.token, "k-moved"));
    await call(bed.app, "POST", `/api/orders/${first.body.id}/cancel`, { token: me.token });
    const again = await call(bed.app, "POST", "/api/orders", withKey(me.token, "k-moved"));
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.body.status).toBe("placed");
  });

  it("answers 422 for the same key with another body and places nothing", async () => {
    const bed = await orderTestbed(t.db);
    const me = await bed.customer();
    await bed.fillCart(me.principal.id, [{ price: "2.00", quantity: 1 }]);
    await call(bed.app, "POST", "/api/orders", withKey(me.token, "k-2", { a: 1 }));
    await bed.fillCart(me.principal.id, [{ price: "3.00", quantity: 1 }]);
    const before = await snapshot(t.db, me.principal.id);
    // Byte for byte: the same JSON with a space is another body.
    const res = await bed.app.request("/api/orders", {
      method: "POST",
      headers: {
        authorization: `Bearer ${me.token}`,
        "idempotency-key": "k-2",
        "content-type": "application/json",
      },
      body: '{"a": 1}',
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/different request body/);
    expect(await snapshot(t.db, me.principal.id)).toEqual(before);
  });

  it("never replays one user's order to another user with the same key", async () => {
    const bed = await orderTestbed(t.db);
    const alice = await bed.customer();
    const bob = await bed.customer();
    await bed.fillCart(alice.principal.id, [{ price: "9.00", quantity: 1 }]);
    await bed.fillCart(bob.principal.id, [{ price: "1.50", quantity: 2 }]);
    const a = await call(bed.app, "POST", "/api/orders", withKey(alice.token, "shared-key"));
    const b = await call(bed.app, "POST", "/api/orders", withKey(bob.token, "shared-key"));
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.headers.get("idempotent-replayed")).toBeNull();
    expect(b.body).toMatchObject({ user: bob.principal.id, total: "3.00" });
    expect(b.body.id).not.toBe(a.body.id);
    // And Bob's key with an empty cart does not find Alice's answer either.
    const bobAgain = await call(bed.app, "POST", "/api/orders", withKey(bob.token, "other-key"));
    expect(bobAgain.status).toBe(400);
  });

  it("does not store a failed first attempt: the same key works once the cart is filled", async () => {
    const bed = await orderTestbed(t.db);
    const me = await bed.customer();
    const empty = await call(bed.app, "POST", "/api/orders", withKey(me.token, "k-3"));
    expect(empty.status).toBe(400);
    const keys = await t.db
      .selectFrom("idempotency_keys")
      .select("key")
      .where("user_id", "=", me.principal.id)
      .execute();
    expect(keys).toEqual([]);
    await bed.fillCart(me.principal.id, [{ price: "6.00", quantity: 1 }]);
    const placed = await call(bed.app, "POST", "/api/orders", withKey(me.token, "k-3"));
    expect(placed.status).toBe(201);
    expect(placed.headers.get("idempotent-replayed")).toBeNull();
  });

  it("answers 400 for a key that is too long or not printable, writing nothing", async () => {
    const bed = await orderTestbed(t.db);
    const me = await bed.customer();
    await bed.fillCart(me.principal.id, [{ price: "6.00", quantity: 1 }]);
    const before = await snapshot(t.db, me.principal.id);
    for (const key of ["x".repeat(256), "tab\tkey", "é-key"]) {
      const res = await call(bed.app, "POST", "/api/orders", withKey(me.token, key));
      expect(res.status).toBe(400);
    }
    expect(await snapshot(t.db, me.principal.id)).toEqual(before);
    const longest = await call(bed.app, "POST", "/api/orders", withKey(me.token, "y".repeat(255)));
    expect(longest.status).toBe(201);
  });
});

describe("pruneIdempotencyKeys", () => {
  it("deletes keys older than the cut-off and keeps the last 24 hours", async () => {
    const bed = await orderTestbed(t.db);
    const me = await bed.customer();
    const now = new Date();
    const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
    await t.db
      .insertInto("idempotency_keys")
      .values([
        {
          user_id: me.principal.id,
          key: "old",
          request_hash: "h",
          response_status: 201,
          response_body: "{}",
          created_at: hoursAgo(25),
        },
        {
          user_id: me.principal.id,
          key: "recent",
          request_hash: "h",
          response_status: 201,
          response_body: "{}",
          created_at: hoursAgo(23),
        },
      ])
      .execute();
    expect(idempotencyCutoff(now)).toEqual(hoursAgo(24));
    const deleted = await pruneIdempotencyKeys(t.db, idempotencyCutoff(now));
    expect(deleted).toBeGreaterThanOrEqual(1);
    const left = await t.db
      .selectFrom("idempotency_keys")
      .select("key")
      .where("user_id", "=", me.principal.id)
      .orderBy("key")
      .execute();
    expect(left).toEqual([{ key: "recent" }]);
    const older = await t.db
      .selectFrom("idempotency_keys")
      .select(sql<number>`count(*)::int`.as("n"))
      .where("created_at", "<", idempotencyCutoff(now))
      .executeTakeFirstOrThrow();
    expect(older.n).toBe(0);
  });
});
