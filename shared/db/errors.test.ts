import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "./errors.ts";

// Which failures are "the database is not there right now" (503 with Retry-After, safe to retry) rather
// than a wrong query: what the functions answer during a failover (docs/deploying.md).

const pgError = (code: string, message = "error") => Object.assign(new Error(message), { code });

describe("isDatabaseUnavailable", () => {
  it("counts what a failover produces: shutdown, lost connection, a standby's refusal to write", () => {
    expect(
      isDatabaseUnavailable(pgError("57P01", "terminating connection due to administrator command")),
    ).toBe(true);
    expect(isDatabaseUnavailable(pgError("08006", "connection failure"))).toBe(true);
    expect(isDatabaseUnavailable(pgError("08P01", "server conn crashed?"))).toBe(true);
    expect(isDatabaseUnavailable(pgError("25006", "cannot execute INSERT in a read-only transaction"))).toBe(
      true,
    );
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isDatabaseUnavailable(pgError("ECONNREFUSED"))).toBe(true);
  });

  it("does not count a query's own errors", () => {
    expect(isDatabaseUnavailable(pgError("23505", "duplicate key value"))).toBe(false);
    expect(isDatabaseUnavailable(pgError("42P01", "relation does not exist"))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});
