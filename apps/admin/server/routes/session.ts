import { createHash } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { Hono } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { users } from "@lantern/db/schema";
import { ApiError, createRateLimiter, jsonBody } from "@lantern/http";
import type { AdminDeps, AppEnv, Auth } from "../context.ts";
import { clientIp } from "../auth/client-ip.ts";
import { assertOrigin, authenticate, cookieOptions, guardWrites } from "../auth/middleware.ts";
import { dummyHash, verifyPassword } from "../auth/passwords.ts";
import { SESSION_COOKIE, createSession, deleteSession } from "../auth/sessions.ts";
import { normaliseEmail } from "../users.ts";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

const signIn = z.object({ email: z.string().trim().min(3).max(254), password: z.string().min(1).max(200) });

function describe(auth: Auth) {
  if (auth.kind === "api_key") return { user: null, apiKey: { id: auth.caller.keyId, scopes: auth.caller.scopes }, csrfToken: null, expiresAt: null };
  const { user, csrfToken, expiresAt } = auth.session;
  return { user, csrfToken, expiresAt };
}

/** Sign in (POST), who am I (GET), sign out (DELETE). */
export function sessionRoutes(deps: AdminDeps) {
  const now = deps.clock ?? Date.now;
  const limits = deps.config.signInLimits ?? { perIp: 30, perEmail: 10, windowMs: 15 * 60_000 };
  const byIp = createRateLimiter({ redis: deps.redis, limit: limits.perIp, windowMs: limits.windowMs, prefix: `${deps.queuePrefix}:admin:signin-ip` });
  const byEmail = createRateLimiter({ redis: deps.redis, limit: limits.perEmail, windowMs: limits.windowMs, prefix: `${deps.queuePrefix}:admin:signin-email` });
  const auth = authenticate(deps);

  return new Hono<AppEnv>()
    .post("/", async (c) => {
      assertOrigin(c, deps.config.publicUrl);
      const body = await jsonBody(c, signIn);
      const email = normaliseEmail(body.email);
      // Both limits count every attempt; checked before the password so a guess past the limit learns nothing.
      // Keys are hashes: neither the address nor the email lands in Redis.
      const [ipOk, emailOk] = await Promise.all([byIp.hit(sha256(clientIp(c, deps.config.trustProxy ?? false))), byEmail.hit(sha256(email))]);
      if (!ipOk || !emailOk) throw new ApiError(429, "rate_limited", "Too many sign-in attempts. Wait 15 minutes and try again.");
      const [user] = await deps.db.select().from(users).where(and(eq(users.email, email), isNull(users.disabledAt)));
      const ok = await verifyPassword(body.password, user?.passwordHash ?? (await dummyHash()));
      if (!user || !ok) throw new ApiError(401, "unauthorized", "Wrong email or password.");
      const created = await createSession(deps.db, user.id, now());
      setCookie(c, SESSION_COOKIE, created.id, cookieOptions(deps.config.publicUrl));
      return c.json({ user: { id: user.id, email: user.email, role: user.role }, csrfToken: created.csrfToken, expiresAt: created.expiresAt });
    })
    .get("/", auth, (c) => c.json(describe(c.get("auth"))))
    .delete("/", auth, guardWrites(deps), async (c) => {
      const a = c.get("auth");
      if (a.kind === "session") await deleteSession(deps.db, a.session.idHash);
      deleteCookie(c, SESSION_COOKIE, { path: "/", secure: deps.config.publicUrl.startsWith("https:") });
      return c.body(null, 204);
    });
}
