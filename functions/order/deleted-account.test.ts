import { describe, expect, it } from "vitest";
import { call, useTestDb } from "../../shared/testing/index.ts";
import { orderTestbed } from "./test-support.ts";

// Issue 12, finding 6: a checkout with an Idempotency-Key by a user deleted meanwhile (their token still
// valid) was a 500 from the foreign key on idempotency_keys. The account is gone: 401.

const t = useTestDb();

describe("checkout by an account deleted while its token is valid", () => {
  it("is 401 with an Idempotency-Key, and writes nothing", async () => {
    const bed = await orderTestbed(t.db);
    const me = await bed.customer();
    await t.db.deleteFrom("users").where("id", "=", me.principal.id).execute();
    const res = await call(bed.app, "POST", "/api/orders", {
      token: me.token,
      headers: { "idempotency-key": "gone-1" },
      json: {},
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(res.body.detail).toBe("Your account no longer exists.");
    const keys = await t.db
      .selectFrom("idempotency_keys")
      .select("key")
      .where("user_id", "=", me.principal.id)
      .execute();
    const orders = await t.db
      .selectFrom("orders")
      .select("id")
      .where("user_id", "=", me.principal.id)
      .execute();
    const outbox = await t.db
      .selectFrom("outbox")
      .select("id")
      .where("type", "=", "tavola.order.placed")
      .execute();
    expect({ keys, orders }).toEqual({ keys: [], orders: [] });
    expect(outbox.length).toBe(0);
  });
});
