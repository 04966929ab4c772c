import type pg from "pg";
import { describe, expect, it } from "vitest";
import { callbackPool } from "./pg-pool.ts";

// The adapter between Kysely and pg (the suite's server run goes through it for every statement; here
// its contract alone, against a stand-in pool that records how it was called).

function standIn() {
  const calls: { sql: unknown; parameters: unknown; form: "callback" | "promise" }[] = [];
  const released: (boolean | undefined)[] = [];
  const failure = Object.assign(new Error("duplicate key"), { code: "23505" });
  const client = {
    processID: 4242,
    query(sql: unknown, parameters?: unknown, callback?: (error: Error | null, result?: unknown) => void) {
      if (typeof sql !== "string") return sql; // a cursor is handed back as is
      calls.push({ sql, parameters, form: callback ? "callback" : "promise" });
      const answer = sql.includes("fail")
        ? { error: failure }
        : { result: { rows: [{ n: 1 }], command: "SELECT" } };
      if (!callback) return answer.error ? Promise.reject(answer.error) : Promise.resolve(answer.result);
      queueMicrotask(() => (answer.error ? callback(answer.error) : callback(null, answer.result)));
      return undefined;
    },
    release: (destroy?: boolean) => released.push(destroy),
  };
  class Client {}
  const pool = {
    Client,
    options: { max: 3 },
    connect: async () => client,
    end: async () => {},
  } as unknown as pg.Pool;
  return { pool, calls, released, failure, Client };
}

describe("callbackPool", () => {
  it("sends each statement with a callback and answers pg's result", async () => {
    const { pool, calls } = standIn();
    const client = await callbackPool(pool).connect();
    await expect(client.query("select $1", [7])).resolves.toEqual({ rows: [{ n: 1 }], command: "SELECT" });
    expect(calls).toEqual([{ sql: "select $1", parameters: [7], form: "callback" }]);
  });

  it("rejects with pg's own error, code and all", async () => {
    const { pool, failure } = standIn();
    const client = await callbackPool(pool).connect();
    const error = await client.query("fail", []).catch((e: unknown) => e);
    expect(error).toBe(failure);
    expect((error as { code: string }).code).toBe("23505");
  });

  it("passes release, cursors, the backend's process id, options and the client class through", async () => {
    const { pool, released, Client } = standIn();
    const adapted = callbackPool(pool);
    const client = await adapted.connect();
    client.release();
    client.release(true);
    expect(released).toEqual([undefined, true]);
    const cursor = { read: async () => [], close: async () => {} };
    expect(client.query(cursor)).toBe(cursor);
    expect(client.processID).toBe(4242);
    expect(adapted.options).toEqual({ max: 3 });
    expect(adapted.Client).toBe(Client);
  });
});
