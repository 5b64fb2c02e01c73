import { randomBytes } from "node:crypto";
import { ApiError, createRateLimiter, type VisitorHasher } from "@lantern/http";
import type { Context, MiddlewareHandler } from "hono";
import type { Redis } from "ioredis";
import type { SurveysConfig } from "./context.ts";
import { sha256Hex } from "./ids.ts";

/** The client's address: from the trusted proxy's header when one is configured, else the socket's. */
export function clientAddress(c: Context, ipHeader: string | undefined): string | null {
  if (ipHeader) {
    const forwarded = c.req.header(ipHeader)?.split(",")[0]?.trim();
    if (forwarded) return forwarded.slice(0, 64);
  }
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? null;
}

/** Per-address and per-visitor counters under one Redis prefix; keys are salted hashes, never the raw address. */
function limiterPair(options: { redis: Redis | null; config: SurveysConfig; hasher: VisitorHasher }, name: string) {
  const { redis, config } = options;
  const prefix = `${config.queuePrefix}:surveys:rl:${name}`;
  const perIp = createRateLimiter({ redis, limit: config.rateLimit.perIp, windowMs: config.rateLimit.windowMs, prefix: `${prefix}:ip` });
  const perVisitor = createRateLimiter({ redis, limit: config.rateLimit.perVisitor, windowMs: config.rateLimit.windowMs, prefix: `${prefix}:v` });
  // The daily visitor salt (a per-process one until that is loaded) keeps the limiter's Redis keys from
  // being turned back into addresses. DNT does not apply: nothing is kept beyond the window.
  const fallbackSalt = randomBytes(16).toString("hex");
  const key = (ip: string, userAgent: string) => (options.hasher.visitorHash(ip, userAgent) ?? sha256Hex(`${fallbackSalt}\n${ip}\n${userAgent}`)).slice(0, 40);
  return async (c: Context): Promise<boolean> => {
    const ip = clientAddress(c, config.ipHeader) ?? "unknown";
    const userAgent = (c.req.header("user-agent") ?? "").slice(0, 512);
    const [ipOk, visitorOk] = await Promise.all([perIp.hit(key(ip, "")), perVisitor.hit(key(ip, userAgent))]);
    return ipOk && visitorOk;
  };
}

export interface PublicLimits {
  /** For answers, views and skips: 429 over the limit. */
  writes: MiddlewareHandler;
  /** For hosted page loads: over the limit the page still shows, but no view is counted (floods do not skew the response rate). */
  countView(c: Context): Promise<boolean>;
}

/** Rate limits of the public endpoints, per client address and per visitor (address + user agent), kept in Redis. */
export function createPublicLimits(options: { redis: Redis | null; config: SurveysConfig; hasher: VisitorHasher }): PublicLimits {
  const writes = limiterPair(options, "w");
  const views = limiterPair(options, "pv");
  const windowS = String(Math.ceil(options.config.rateLimit.windowMs / 1000));
  return {
    async writes(c, next) {
      if (!(await writes(c))) {
        c.header("Retry-After", windowS);
        throw new ApiError(429, "rate_limited", "Too many requests; please try again in a minute.");
      }
      await next();
    },
    countView: views,
  };
}
