import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "functions/**/*.test.ts",
      "shared/**/*.test.ts",
      "db/**/*.test.ts",
      "knative/**/*.test.ts",
      "container/**/*.test.ts",
      "bench/**/*.test.ts",
      "client/**/*.test.ts",
      // The web app's pure modules (no browser); the browser tests are web/e2e, run by `npm run test:browser`.
      "web/src/**/*.test.ts",
      "web/server/**/*.test.ts",
    ],
    // The failover test runs servers of its own: `npm run test:ha` (db/ha/vitest.config.ts).
    exclude: [...configDefaults.exclude, "db/ha/**"],
    globalSetup: ["db/test-template.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
