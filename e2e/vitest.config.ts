import { defineConfig } from "vitest/config";

// Each file starts the four services as child processes (and one of them Chromium): one file at a time,
// with deadlines generous enough for a loaded 2-core machine (tsx compiles every service on start).
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    teardownTimeout: 60_000,
    fileParallelism: false,
  },
});
