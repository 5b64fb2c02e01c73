import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createRateLimiter } from "../src/index.ts";

const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
afterAll(async () => {
  await redis.quit();
});

describe("rate limiter", () => {
  it("lets `limit` hits through per window and refuses the next, across limiter instances sharing Redis", async () => {
    const prefix = `t-${randomUUID().slice(0, 8)}:rl`;
    const a = createRateLimiter({ redis, limit: 3, windowMs: 60_000, prefix });
    const b = createRateLimiter({ redis, limit: 3, windowMs: 60_000, prefix });
    expect([await a.hit("ip1"), await b.hit("ip1"), await a.hit("ip1")]).toEqual([true, true, true]);
    expect(await b.hit("ip1")).toBe(false);
    expect(await a.hit("ip2")).toBe(true);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  });

  it("falls back to an in-process window when Redis is not there", async () => {
    const limiter = createRateLimiter({ redis: null, limit: 2, windowMs: 60_000, prefix: "x" });
    expect([await limiter.hit("k"), await limiter.hit("k"), await limiter.hit("k")]).toEqual([true, true, false]);
  });
});
