import { defineConfig } from "vitest/config";

// The integration and browser tests start servers, a worker process, Redis and Chromium: give them
// time on a loaded machine, and run files one after another.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
