import { defineConfig } from "vitest/config";

// `npm run test:browser`: the web app in Debian's Chromium against `npm start` (see web/e2e/stack.ts).
export default defineConfig({
  test: {
    include: ["web/e2e/**/*.test.ts"],
    globalSetup: ["web/e2e/global-setup.ts"],
    // One browser at a time: the machine is shared, and each file drives several browser contexts.
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 240_000,
  },
});
