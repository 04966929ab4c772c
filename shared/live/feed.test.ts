import { type Kysely, sql } from "kysely";
import pg from "pg";
import { describe, expect, it } from "vitest";
import type { Database } from "../db/types.ts";
import { createUser, useTestDb } from "../testing/index.ts";
import { pruneFeed, readFeed, startPosition } from "./feed.ts";
import { comparePositions, formatCursor, type Position, parseCursor } from "./position.ts";

const t = useTestDb();

async function placeOrder(db: Kysely<Database>, userId: number) {
  return db
    .insertInto("orders")
    .values({ user_id: userId, delivery_crew_id: null, status: "placed", total: "1.00" })
    .returning("id")
    .executeTakeFirstOrThrow();
}

async function now(): Promise<Position> {
  return (await startPosition(t.db, "order", undefined, false)).position;
}

async function readAll(after: Position) {
  return readFeed(t.db, "order", after, 500);
}

describe("the change feed", () => {
  it("holds a row per insert, update and delete of an order, with whom it concerned, in order", async () => {
    const customer = await createUser(t.db);
    const [crewA, crewB] = [await createUser(t.db), await createUser(t.db)];
    const from = await now();
    const { id } = await placeOrder(t.db, customer.id);
    await t.db.updateTable("orders").set({ delivery_crew_id: crewA.id }).where("id", "=", id).execute();
    await t.db.updateTable("orders").set({ delivery_crew_id: crewB.id }).where("id", "=", id).execute();
    await t.db.deleteFrom("orders").where("id", "=", id).execute();
    const read = await readAll(from);
    expect(read.rows.map((r) => [r.entityId, r.userId, r.crewId, r.previousCrewId, r.deleted])).toEqual([
      [id, customer.id, null, null, false],
      [id, customer.id, crewA.id, null, false],
      [id, customer.id, crewB.id, crewA.id, false],
      [id, customer.id, crewB.id, null, true],
    ]);
    // Positions rise, and the next read starts after everything read.
    const cursors = read.rows.map((r) => r.position);
    const sorted = [...cursors].sort((a, b) => comparePositions(a, b));
    expect(cursors.map(formatCursor)).toEqual(sorted.map(formatCursor));
    expect(new Set(cursors.map(formatCursor)).size).toBe(4);
    expect((await readAll(read.next)).rows).toEqual([]);
  });

  it("records a delivery's changes under its order id, and a rolled-back change not at all", async () => {
    const crew = await createUser(t.db);
    const from = await now();
    await t.db
      .insertInto("deliveries")
      .values({ order_id: 900_001, delivery_crew_id: crew.id, status: "assigned" })
      .execute();
    await expect(
      t.db.transaction().execute(async (trx) => {
        await trx
          .updateTable("deliveries")
          .set({ status: "delivered" })
          .where("order_id", "=", 900_001)
          .execute();
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    const read = await readFeed(t.db, "delivery", from, 500);
    expect(read.rows.map((r) => [r.entityId, r.crewId, r.deleted])).toEqual([[900_001, crew.id, false]]);
    expect((await readFeed(t.db, "order", from, 500)).rows).toEqual([]);
  });

  it("reads in batches: a full batch ends at its last row, the rest follows", async () => {
    const customer = await createUser(t.db);
    const from = await now();
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await placeOrder(t.db, customer.id)).id);
    const first = await readFeed(t.db, "order", from, 3);
    expect(first.rows.map((r) => r.entityId)).toEqual(ids.slice(0, 3));
    expect(first.next).toEqual(first.rows[2]!.position);
    const second = await readFeed(t.db, "order", first.next, 3);
    expect(second.rows.map((r) => r.entityId)).toEqual(ids.slice(3));
  });

  it("starts a stream at a cursor it still holds, and resets one it cannot honour", async () => {
    const customer = await createUser(t.db);
    const from = await now();
    await placeOrder(t.db, customer.id);
    const [row] = (await readAll(from)).rows;
    expect(await startPosition(t.db, "order", row!.position, true)).toEqual({
      position: row!.position,
      reset: false,
    });
    // Not a cursor at all, or one of transactions this database has not issued yet (another database's).
    const garbage = await startPosition(t.db, "order", parseCursor("nonsense"), true);
    expect(garbage.reset).toBe(true);
    const foreign = await startPosition(t.db, "order", { tx: 10n ** 15n, seq: 1n }, true);
    expect(foreign.reset).toBe(true);
    expect(foreign.position.tx).toBeLessThan(10n ** 15n);
  });

  it("prunes old changes of one entity, and a cursor from before the prune is reset", async () => {
    const customer = await createUser(t.db);
    const crew = await createUser(t.db);
    const from = await now();
    const old = await placeOrder(t.db, customer.id);
    await t.db
      .insertInto("deliveries")
      .values({ order_id: old.id, delivery_crew_id: crew.id, status: "assigned" })
      .execute();
    await sql`update change_feed set created_at = now() - interval '25 hours' where entity_id = ${old.id}`.execute(
      t.db,
    );
    const young = await placeOrder(t.db, customer.id);
    const before = (await readAll(from)).rows;
    expect(before.map((r) => r.entityId)).toEqual([old.id, young.id]);

    expect(await pruneFeed(t.db, "order", new Date(Date.now() - 24 * 3_600_000))).toBe(1);
    expect((await readAll(from)).rows.map((r) => r.entityId)).toEqual([young.id]);
    // The delivery's old row is the delivery function's to prune.
    expect((await readFeed(t.db, "delivery", from, 10)).rows).toHaveLength(1);
    expect((await startPosition(t.db, "order", from, true)).reset).toBe(true);
    expect(await startPosition(t.db, "order", before[0]!.position, true)).toMatchObject({ reset: false });
    expect((await startPosition(t.db, "delivery", from, true)).reset).toBe(false);

    // Nothing older left: the next prune deletes nothing and keeps the mark where it was.
    const mark = await t.db.selectFrom("change_feed_pruned").selectAll().execute();
    expect(await pruneFeed(t.db, "order", new Date(Date.now() - 24 * 3_600_000))).toBe(0);
    expect(await t.db.selectFrom("change_feed_pruned").selectAll().execute()).toEqual(mark);
  });

  // Two transactions really running at once need a server; PGlite has one connection, so there a
  // transaction cannot begin while another is open. CI runs both.
  it.runIf(process.env.DATABASE_URL !== undefined)(
    "never reads past a change whose transaction commits after a younger one's",
    async () => {
      const customer = await createUser(t.db);
      const first = await placeOrder(t.db, customer.id);
      const second = await placeOrder(t.db, customer.id);
      const [older, younger] = [await session(), await session()];
      try {
        // Case 1: the older transaction takes its id first, the younger then changes `first` (so it
        // gets the lower seq), the older changes `second` (the higher seq) and commits first. A reader
        // ordering by seq alone would hand out second's seq as the cursor and never see first's row.
        let from = await now();
        await older.query("begin");
        await older.query("select pg_current_xact_id()");
        await younger.query("begin");
        await younger.query("update orders set status = 'assigned' where id = $1", [first.id]);
        await older.query("update orders set status = 'assigned' where id = $1", [second.id]);
        await older.query("commit");
        const during = await readAll(from);
        expect(during.rows.map((r) => r.entityId)).toEqual([second.id]);
        await younger.query("commit");
        const after = await readAll(during.next);
        expect(after.rows.map((r) => r.entityId)).toEqual([first.id]);
        const bySeq = await t.db
          .selectFrom("change_feed")
          .select("entity_id")
          .where("entity", "=", "order")
          .orderBy("seq")
          .execute();
        expect(bySeq.slice(-2).map((r) => r.entity_id)).toEqual([first.id, second.id]);
        expect((await readAll(after.next)).rows).toEqual([]);

        // Case 2: a younger transaction commits while an older writer is still open: its row waits
        // until the older one ends, then both come, the older's first.
        from = after.next;
        await older.query("begin");
        await older.query("update orders set status = 'cancelled' where id = $1", [first.id]);
        await younger.query("update orders set status = 'cancelled' where id = $1", [second.id]);
        const held = await readAll(from);
        expect(held.rows).toEqual([]);
        await older.query("commit");
        const released = await readAll(held.next);
        expect(released.rows.map((r) => r.entityId)).toEqual([first.id, second.id]);
      } finally {
        await older.end();
        await younger.end();
      }
    },
  );
});

/** A connection of its own to the test's server database, to hold a transaction open. */
async function session(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: t.url! });
  await client.connect();
  return client;
}
