import { describe, expect, it } from "vitest";
import { withTransaction } from "../../db/transaction.ts";
import { useTestDb } from "../../testing/index.ts";
import { enqueueEvent } from "./enqueue.ts";

// withTransaction hands the ids of the outbox events a transaction wrote to `pending` after its commit,
// so no verb collects them by hand: only the committed attempt's ids, none of a rolled-back one.

const t = useTestDb();

const cancelled = (orderId: number) =>
  ({
    source: "order",
    type: "tavola.order.cancelled",
    subject: orderId,
    data: { order_id: orderId, version: 2, delivery_crew_id: null },
  }) as const;

async function outboxIds(ids: string[]) {
  if (ids.length === 0) return [];
  const rows = await t.db.selectFrom("outbox").select("id").where("id", "in", ids).execute();
  return rows.map((r) => r.id).sort();
}

describe("withTransaction collects the events a transaction wrote", () => {
  it("hands every id to pending after the commit, in the order written", async () => {
    const pending: string[] = [];
    const ids = await withTransaction(
      t.db,
      async (trx) => {
        const a = await enqueueEvent(trx, cancelled(1));
        const b = await enqueueEvent(trx, cancelled(2));
        expect(pending).toEqual([]); // nothing before the commit
        return [a, b];
      },
      { pending },
    );
    expect(pending).toEqual(ids);
    expect(await outboxIds(pending)).toEqual([...ids].sort());
  });

  it("hands nothing over for a rolled-back transaction, and the rows are gone", async () => {
    const pending: string[] = [];
    let written: string[] = [];
    await expect(
      withTransaction(
        t.db,
        async (trx) => {
          written = [await enqueueEvent(trx, cancelled(3))];
          throw new Error("refused");
        },
        { pending },
      ),
    ).rejects.toThrow("refused");
    expect(pending).toEqual([]);
    expect(await outboxIds(written)).toEqual([]);
  });

  it("hands over only the ids of the attempt that committed when a conflict retried it", async () => {
    const pending: string[] = [];
    const attempts: string[][] = [];
    await withTransaction(
      t.db,
      async (trx) => {
        const id = await enqueueEvent(trx, cancelled(4));
        attempts.push([id]);
        if (attempts.length === 1) throw Object.assign(new Error("serialization"), { code: "40001" });
      },
      { pending },
    );
    expect(attempts).toHaveLength(2);
    expect(pending).toEqual(attempts[1]);
    expect(await outboxIds(attempts.flat())).toEqual(attempts[1]);
  });
});
