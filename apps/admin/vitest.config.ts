import { defineConfig } from "vitest/config";

/**
 * Two projects: the server's tests run in Node (real libSQL files, real Redis, real HTTP servers);
 * the SPA's component tests run in jsdom. Server tests start servers, so files run one at a time.
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    projects: [
      {
        extends: true,
        test: { name: "server", environment: "node", include: ["test/server*.test.ts"] },
      },
      {
        extends: true,
        test: { name: "spa", environment: "jsdom", include: ["test/**/*.test.{ts,tsx}"], exclude: ["test/server*.test.ts", "test/e2e*.test.ts"] },
      },
    ],
  },
});
