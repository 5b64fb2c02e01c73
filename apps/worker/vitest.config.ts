import { defineConfig } from "vitest/config";

/** Integration tests: real Redis, temporary libSQL files, child worker processes. One file at a time. */
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
