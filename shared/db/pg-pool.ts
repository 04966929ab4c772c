import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from "kysely";
import type pg from "pg";

/**
 * The pg pool as Kysely's PostgresDialect sees it, with one difference: each statement is sent with a
 * callback, not in pg's promise form. In the promise form (`client.query(text, values)`, which Kysely
 * uses) the rows of a result outlive their request: under load they stayed in V8's young generation and
 * were promoted, which lengthened every scavenge pause and set the function's tail latency (the figures:
 * bench/README.md, "Figures behind code choices").
 * Same statements, same results, same errors.
 */
export function callbackPool(pool: pg.Pool): PostgresPool {
  return {
    // The client class, for the control connection Kysely opens to cancel a query.
    Client: (pool as unknown as { Client: PostgresPool["Client"] }).Client,
    options: pool.options,
    connect: async () => callbackClient(await pool.connect()),
    end: () => pool.end(),
  };
}

function callbackClient(client: pg.PoolClient): PostgresPoolClient {
  function query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  function query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  function query<R>(
    sqlOrCursor: string | PostgresCursor<R>,
    parameters?: ReadonlyArray<unknown>,
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof sqlOrCursor !== "string")
      return (client as unknown as { query(c: PostgresCursor<R>): PostgresCursor<R> }).query(sqlOrCursor);
    return new Promise((resolve, reject) => {
      client.query(sqlOrCursor, parameters as unknown[], (error, result) =>
        error ? reject(error) : resolve(result as unknown as PostgresQueryResult<R>),
      );
    });
  }
  return {
    get processID() {
      return (client as unknown as { processID?: number }).processID;
    },
    query,
    release: (destroy?: boolean) => client.release(destroy),
  };
}
