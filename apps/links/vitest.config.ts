import { defineConfig } from "vitest/config";

// The integration tests start the service, the worker and private redis-servers: one file at a time.
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
