import { defineConfig } from "vitest/config";

// The event-buffer tests start their own redis-server processes and kill them: one file at a time.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
