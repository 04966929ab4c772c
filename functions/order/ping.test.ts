import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { assembleTest, pingTick, postEvent } from "../../shared/testing/event-fixtures.ts";
import { createUser, useTestDb } from "../../shared/testing/index.ts";
import { orderFunction } from "./definition.ts";

const t = useTestDb();

const ping = pingTick("order");

describe("the order function on a PingSource tick", () => {
  it("prunes idempotency keys older than 24 hours and keeps the younger ones", async () => {
    const user = await createUser(t.db);
    const key = (k: string, hoursAgo: number) => ({
      user_id: user.id,
      key: k,
      request_hash: "h",
      response_status: 201,
      response_body: JSON.stringify({ id: 1 }),
      created_at: sql<Date>`now() - make_interval(hours => ${hoursAgo})`,
    });
    await t.db
      .insertInto("idempotency_keys")
      .values([key("old-1", 25), key("old-2", 48), key("young", 23)])
      .execute();
    const app = await assembleTest(orderFunction, t.db);
    const res = await postEvent(app, ping);
    expect(res.status).toBe(200);
    expect(res.body.pruned).toMatchObject({ idempotency_keys: 2 });
    const left = await t.db
      .selectFrom("idempotency_keys")
      .select("key")
      .where("user_id", "=", user.id)
      .execute();
    expect(left.map((r) => r.key)).toEqual(["young"]);
  });
});
