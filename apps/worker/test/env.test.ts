import { describe, expect, it } from "vitest";
import { loadEnv, ownHosts } from "../src/env.ts";

describe("worker configuration", () => {
  it("has defaults for everything, and an empty variable counts as unset", () => {
    const env = loadEnv({ WORKER_PORT: "", REDIS_URL: "" });
    expect(env).toMatchObject({
      DATABASE_URL: "file:.lantern/lantern.db",
      REDIS_URL: "redis://127.0.0.1:6379",
      LANTERN_QUEUE_PREFIX: "lantern",
      WORKER_PORT: 3003,
      WORKER_CONCURRENCY: 2,
      WORKER_LOCK_MS: 30_000,
      PRUNE_EVERY_MS: 86_400_000,
      LANTERN_LOG_LEVEL: "info",
    });
    expect(ownHosts(env)).toEqual(["localhost"]);
  });

  it("accepts port 0 (any free port) and takes its own hosts from LINKS_PUBLIC_URL", () => {
    const env = loadEnv({ WORKER_PORT: "0", LINKS_PUBLIC_URL: "https://Go.Example.com/" });
    expect(env.WORKER_PORT).toBe(0);
    expect(ownHosts(env)).toEqual(["go.example.com"]);
  });

  it("PRUNE_EVERY_MS 0 switches pruning off; a negative interval is refused", () => {
    expect(loadEnv({ PRUNE_EVERY_MS: "0" }).PRUNE_EVERY_MS).toBe(0);
    expect(() => loadEnv({ PRUNE_EVERY_MS: "-1" })).toThrow(/PRUNE_EVERY_MS/);
  });

  it("refuses a bad value with a message naming the variable", () => {
    expect(() => loadEnv({ WORKER_PORT: "70000" })).toThrow(/WORKER_PORT/);
    expect(() => loadEnv({ LANTERN_QUEUE_PREFIX: "a:b" })).toThrow(/LANTERN_QUEUE_PREFIX/);
  });
});
