import type { Redis } from "ioredis";

export interface RateLimiter {
  /** True when the key may go on; counts the hit. */
  hit(key: string): Promise<boolean>;
}

/**
 * Fixed-window counter kept in Redis so limits hold across instances. If Redis is away the
 * limiter falls back to an in-process window rather than refusing everyone.
 */
export function createRateLimiter(options: { redis?: Redis | null; limit: number; windowMs: number; prefix: string }): RateLimiter {
  const local = new Map<string, { count: number; resetAt: number }>();
  const localHit = (key: string) => {
    const now = Date.now();
    const entry = local.get(key);
    if (!entry || entry.resetAt <= now) {
      if (local.size > 50_000) local.clear();
      local.set(key, { count: 1, resetAt: now + options.windowMs });
      return true;
    }
    entry.count += 1;
    return entry.count <= options.limit;
  };
  return {
    async hit(key) {
      const redis = options.redis;
      // Only a connection that is known to be down goes straight to the local window; one that is
      // still connecting gets a bounded chance, so a limiter created at start-up still shares its counts.
      if (!redis || redis.status === "end" || redis.status === "close" || redis.status === "reconnecting") return localHit(key);
      const window = Math.floor(Date.now() / options.windowMs);
      const redisKey = `${options.prefix}:${window}:${key}`;
      try {
        const results = await Promise.race([
          redis.multi().incr(redisKey).pexpire(redisKey, options.windowMs).exec(),
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error("rate limiter: Redis too slow")), 250).unref()),
        ]);
        const count = Number(results?.[0]?.[1] ?? 0);
        return count <= options.limit;
      } catch {
        return localHit(key);
      }
    },
  };
}
