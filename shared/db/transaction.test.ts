import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createUser, useTestDb } from "../testing/index.ts";
import { withTransaction } from "./transaction.ts";

const t = useTestDb();

describe("withTransaction", () => {
  it("commits what the callback wrote", async () => {
    const user = await withTransaction(t.db, (trx) => createUser(trx));
    const row = await t.db
      .selectFrom("users")
      .select("username")
      .where("id", "=", user.id)
      .executeTakeFirst();
    expect(row?.username).toBe(user.username);
  });

  it("rolls everything back when the callback throws", async () => {
    const before = await t.db
      .selectFrom("users")
      .select(sql<number>`count(*)::int`.as("n"))
      .executeTakeFirstOrThrow();
    await expect(
      withTransaction(t.db, async (trx) => {
        await createUser(trx);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    const after = await t.db
      .selectFrom("users")
      .select(sql<number>`count(*)::int`.as("n"))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it("retries a serialization failure and then succeeds", async () => {
    let calls = 0;
    const result = await withTransaction(t.db, async () => {
      calls += 1;
      if (calls < 3) throw Object.assign(new Error("could not serialize access"), { code: "40001" });
      return "done";
    });
    expect(result).toBe("done");
    expect(calls).toBe(3);
  });

  it("does not retry other errors", async () => {
    let calls = 0;
    await expect(
      withTransaction(t.db, async () => {
        calls += 1;
        throw Object.assign(new Error("unique"), { code: "23505" });
      }),
    ).rejects.toThrow("unique");
    expect(calls).toBe(1);
  });

  it("keeps money exact: numeric comes back as a two-place string", async () => {
    const r = await sql<{
      v: string;
    }>`select (0.1::numeric(10,2) + 0.2::numeric(10,2))::numeric(10,2) as v`.execute(t.db);
    expect(r.rows[0]?.v).toBe("0.30");
  });
});
