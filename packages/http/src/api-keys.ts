import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import type { Db } from "@lantern/db";
import { apiKeys, type ApiScope } from "@lantern/db/schema";
import { ApiError } from "./errors.ts";

export const ALL_SCOPES: ApiScope[] = ["links:read", "links:write", "surveys:read", "surveys:write", "conversions:write", "reports:read", "admin"];

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** Creates a key (`lt_` + 32 random bytes, base64url), stores its hash, and returns the key once. */
export async function createApiKey(db: Db, name: string, scopes: ApiScope[] = ALL_SCOPES, now = Date.now()) {
  const key = `lt_${randomBytes(32).toString("base64url")}`;
  const id = randomBytes(9).toString("base64url");
  await db.insert(apiKeys).values({ id, name, prefix: key.slice(0, 10), hash: hashApiKey(key), scopes, createdAt: now });
  return { id, key, name, scopes, prefix: key.slice(0, 10) };
}

export interface Caller {
  keyId: string;
  scopes: ApiScope[];
}

export interface ApiKeyAuthOptions {
  db: Db;
  /** LANTERN_API_KEY: accepted as an admin key so deployments can bootstrap. */
  bootstrapKey?: string;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * `Authorization: Bearer <key>`. Looked-up keys are cached for 30 s so that a busy API does not read the
 * keys table per request; a revoked key stops working within that time.
 */
export function apiKeyAuth(options: ApiKeyAuthOptions): MiddlewareHandler<{ Variables: { caller: Caller } }> {
  const cache = new Map<string, { caller: Caller | null; until: number }>();
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new ApiError(401, "unauthorized", "Send an API key: Authorization: Bearer <key>.");
    const key = match[1]!;
    let caller: Caller | null = null;
    if (options.bootstrapKey && safeEqual(key, options.bootstrapKey)) {
      caller = { keyId: "bootstrap", scopes: ["admin"] };
    } else {
      const hash = hashApiKey(key);
      const hit = cache.get(hash);
      if (hit && hit.until > Date.now()) caller = hit.caller;
      else {
        const [row] = await options.db.select().from(apiKeys).where(and(eq(apiKeys.hash, hash), isNull(apiKeys.revokedAt)));
        caller = row ? { keyId: row.id, scopes: row.scopes } : null;
        cache.set(hash, { caller, until: Date.now() + 30_000 });
      }
    }
    if (!caller) throw new ApiError(401, "unauthorized", "This API key is unknown or revoked.");
    c.set("caller", caller);
    await next();
  };
}

/** Checks a scope; `admin` holds every scope. */
export function requireScope(scope: ApiScope): MiddlewareHandler<{ Variables: { caller: Caller } }> {
  return async (c, next) => {
    const caller = c.get("caller");
    if (!caller || !(caller.scopes.includes("admin") || caller.scopes.includes(scope))) {
      throw new ApiError(403, "forbidden", `This API key lacks the "${scope}" scope.`);
    }
    await next();
  };
}
