import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import type { Logger } from "../../log.ts";
import { quietLogger } from "../../testing/event-fixtures.ts";
import { uniqueName, useTestDb } from "../../testing/index.ts";
import { createEventMetrics } from "../metrics.ts";
import type { RetryPolicy, SendEvent } from "./sender.ts";
import { sweepOutbox } from "./sweep.ts";

const t = useTestDb();
const noWait: RetryPolicy = { maxAttempts: 10, retryDelaySeconds: () => 0 };

/** `n` pending rows of a source of their own, each written in its own transaction (so oldest first is defined). */
async function pendingRows(n: number, source = `/tavola/${uniqueName("sweep")}`) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = crypto.randomUUID();
    await t.db
      .insertInto("outbox")
      .values({
        id,
        source,
        type: "tavola.menu.item.deleted",
        subject: String(i + 1),
        data: JSON.stringify({ menuitem_id: i + 1 }),
        created_at: new Date(Date.now() - (n - i) * 1000),
        last_error: null,
        lease_until: null,
        sent_at: null,
      })
      .execute();
    ids.push(id);
  }
  return { source, ids };
}

/** A sink that records the ids it took and fails those `reject` names. */
function sink(reject: (id: string) => boolean = () => false, delayMs = 0) {
  const sent: string[] = [];
  const send: SendEvent = async (row) => {
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    if (reject(row.id)) throw new Error("the broker answered 400");
    sent.push(row.id);
  };
  return { sent, send };
}

async function statuses(ids: string[]) {
  const rows = await t.db
    .selectFrom("outbox")
    .select(["id", "status", "attempts"])
    .where("id", "in", ids)
    .execute();
  return Object.fromEntries(rows.map((r) => [r.id, `${r.status}/${r.attempts}`]));
}

describe("sweepOutbox", () => {
  it("sends the pending rows of its own source, oldest first, and marks them sent", async () => {
    const mine = await pendingRows(3);
    const other = await pendingRows(1);
    const { sent, send } = sink();
    const report = await sweepOutbox(
      { db: t.db, send, policy: noWait, logger: quietLogger },
      { source: mine.source },
    );
    expect(report).toEqual({ claimed: 3, sent: 3, failed: 0, abandoned: 0, released: 0 });
    expect(sent).toEqual(mine.ids);
    expect(Object.values(await statuses(mine.ids))).toEqual(["sent/1", "sent/1", "sent/1"]);
    expect(await statuses(other.ids)).toEqual({ [other.ids[0]!]: "pending/0" });
  });

  it("claims at most a batch per sweep", async () => {
    const rows = await pendingRows(5);
    const { sent, send } = sink();
    const deps = { db: t.db, send, policy: noWait, logger: quietLogger };
    expect((await sweepOutbox(deps, { source: rows.source, batchSize: 2 })).claimed).toBe(2);
    expect(sent).toEqual(rows.ids.slice(0, 2));
  });

  it("with a budget, claims batch after batch until the backlog is gone", async () => {
    const rows = await pendingRows(5);
    const { sent, send } = sink();
    const report = await sweepOutbox(
      { db: t.db, send, policy: noWait, logger: quietLogger },
      { source: rows.source, batchSize: 2, budgetMs: 60_000 },
    );
    expect(report).toEqual({ claimed: 5, sent: 5, failed: 0, abandoned: 0, released: 0 });
    expect(sent).toEqual(rows.ids);
  });

  it("claims no further batch once the budget is spent", async () => {
    const rows = await pendingRows(5);
    const { sent, send } = sink();
    let clock = 0;
    const now = () => (clock += 1_000); // each look at the clock finds a second gone
    const report = await sweepOutbox(
      { db: t.db, send, policy: noWait, logger: quietLogger },
      { source: rows.source, batchSize: 2, budgetMs: 1_500, now },
    );
    expect(report.claimed).toBe(4);
    expect(sent).toEqual(rows.ids.slice(0, 4));
    expect(await statuses([rows.ids[4]!])).toEqual({ [rows.ids[4]!]: "pending/0" });
  });

  it("stops at a batch with a failure, so a failed row is not tried again within the same sweep", async () => {
    const rows = await pendingRows(5);
    const failing = rows.ids[0]!;
    const { sent, send } = sink((id) => id === failing);
    const report = await sweepOutbox(
      { db: t.db, send, policy: noWait, logger: quietLogger },
      { source: rows.source, batchSize: 2, budgetMs: 60_000 },
    );
    expect(report).toEqual({ claimed: 2, sent: 1, failed: 1, abandoned: 0, released: 0 });
    expect(sent).toEqual([rows.ids[1]]);
    expect((await statuses([failing]))[failing]).toBe("pending/1");
  });

  it("skips rows another sender holds until their lease runs out", async () => {
    const rows = await pendingRows(2);
    await t.db
      .updateTable("outbox")
      .set({ lease_until: sql`now() + interval '1 minute'` })
      .where("id", "=", rows.ids[0]!)
      .execute();
    await t.db
      .updateTable("outbox")
      .set({ lease_until: sql`now() - interval '1 second'` })
      .where("id", "=", rows.ids[1]!)
      .execute();
    const { sent, send } = sink();
    await sweepOutbox({ db: t.db, send, policy: noWait, logger: quietLogger }, { source: rows.source });
    expect(sent).toEqual([rows.ids[1]]);
  });

  it("abandons a row after its last attempt, with a log line and a counter, while the rest keep flowing", async () => {
    const rows = await pendingRows(3);
    const poisoned = rows.ids[0]!;
    const { sent, send } = sink((id) => id === poisoned);
    const lines: string[] = [];
    const logger: Logger = { ...quietLogger, error: (message) => void lines.push(message) };
    const metrics = createEventMetrics();
    const policy: RetryPolicy = { maxAttempts: 3, retryDelaySeconds: () => 0 };
    const reports = [];
    for (let i = 0; i < 3; i++)
      reports.push(await sweepOutbox({ db: t.db, send, policy, logger, metrics }, { source: rows.source }));
    expect(reports.map((r) => [r.failed, r.abandoned])).toEqual([
      [1, 0],
      [1, 0],
      [0, 1],
    ]);
    expect(sent).toEqual(rows.ids.slice(1));
    expect(await statuses(rows.ids)).toEqual({
      [poisoned]: "abandoned/3",
      [rows.ids[1]!]: "sent/1",
      [rows.ids[2]!]: "sent/1",
    });
    expect(lines).toEqual(["outbox event abandoned"]);
    expect(metrics.value("tavola_outbox_abandoned_total", { source: rows.source })).toBe(1);
    expect(metrics.render()).toContain(`tavola_outbox_abandoned_total{source="${rows.source}"} 1`);
    // An abandoned row is never tried again.
    expect(
      (await sweepOutbox({ db: t.db, send, policy, logger, metrics }, { source: rows.source })).claimed,
    ).toBe(0);
  });

  it("waits the policy's delay before trying a failed row again", async () => {
    const rows = await pendingRows(1);
    const policy: RetryPolicy = { maxAttempts: 10, retryDelaySeconds: () => 30 };
    const failing = sink(() => true);
    await sweepOutbox({ db: t.db, send: failing.send, policy, logger: quietLogger }, { source: rows.source });
    const { sent, send } = sink();
    expect(
      (await sweepOutbox({ db: t.db, send, policy, logger: quietLogger }, { source: rows.source })).claimed,
    ).toBe(0);
    expect(sent).toEqual([]);
  });

  it("stops after failures in a row and gives the rest back without spending their attempts", async () => {
    const rows = await pendingRows(5);
    const { send } = sink(() => true);
    const report = await sweepOutbox(
      { db: t.db, send, policy: noWait, logger: quietLogger },
      { source: rows.source, stopAfterFailures: 2 },
    );
    expect(report).toMatchObject({ claimed: 5, failed: 2, released: 3 });
    const after = await t.db
      .selectFrom("outbox")
      .select(["attempts", "lease_until"])
      .where("id", "in", rows.ids.slice(2))
      .execute();
    expect(after).toEqual([
      { attempts: 0, lease_until: null },
      { attempts: 0, lease_until: null },
      { attempts: 0, lease_until: null },
    ]);
  });

  it("sends each row once when two sweeps run at once", async () => {
    const rows = await pendingRows(30);
    const { sent, send } = sink(() => false, 2);
    const deps = { db: t.db, send, policy: noWait, logger: quietLogger };
    const [a, b] = await Promise.all([
      sweepOutbox(deps, { source: rows.source, batchSize: 20 }),
      sweepOutbox(deps, { source: rows.source, batchSize: 20 }),
    ]);
    expect(a!.claimed + b!.claimed).toBe(30);
    expect(sent).toHaveLength(30);
    expect(new Set(sent).size).toBe(30);
    expect(Object.values(await statuses(rows.ids)).every((s) => s === "sent/1")).toBe(true);
  });
});
