import { defineConfig } from "vitest/config";

// `npm run test:ha`: the failover test, with PostgreSQL servers and PgBouncer of its own (Debian's
// postgresql-15 and pgbouncer packages). Kept out of `npm test`, which needs neither.
export default defineConfig({
  test: {
    include: ["db/ha/**/*.test.ts"],
    pool: "forks",
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
