import { timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { ApiError, apiKeyAuth } from "@lantern/http";
import type { ApiScope } from "@lantern/db/schema";
import type { AdminDeps, AppEnv, Auth } from "../context.ts";
import { SESSION_COOKIE, SESSION_TTL_MS, findSession } from "./sessions.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
export const isSafeMethod = (method: string) => SAFE_METHODS.has(method.toUpperCase());

export function cookieOptions(publicUrl: string) {
  return {
    httpOnly: true,
    sameSite: "Lax" as const,
    secure: publicUrl.startsWith("https:"),
    path: "/",
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  };
}

/** Origins a browser may send state-changing requests from: the public URL and the address it was reached at. */
export function originAllowed(c: Context, publicUrl: string): boolean {
  const origin = c.req.header("origin");
  if (!origin) return true;
  return origin === new URL(publicUrl).origin || origin === new URL(c.req.url).origin;
}

export function assertOrigin(c: Context, publicUrl: string): void {
  if (!originAllowed(c, publicUrl)) throw new ApiError(403, "forbidden", "Requests from another site are refused (Origin does not match).");
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Who is calling: an API key (Authorization: Bearer) or a session cookie. API keys come first so
 * that scripts never depend on cookies. Anything else is 401.
 */
export function authenticate(deps: AdminDeps): MiddlewareHandler<AppEnv> {
  const keyAuth = apiKeyAuth({ db: deps.db, bootstrapKey: deps.config.apiKey });
  const now = deps.clock ?? Date.now;
  return async (c, next) => {
    if (c.req.header("authorization")) {
      return keyAuth(c as never, async () => {
        c.set("auth", { kind: "api_key", caller: c.get("caller") });
        await next();
      });
    }
    const id = getCookie(c, SESSION_COOKIE);
    const session = id ? await findSession(deps.db, id, now()) : null;
    if (!session || !id) throw new ApiError(401, "unauthorized", "Sign in first (or send an API key: Authorization: Bearer <key>).");
    if (session.renewed) setCookie(c, SESSION_COOKIE, id, cookieOptions(deps.config.publicUrl));
    c.set("auth", { kind: "session", session });
    await next();
  };
}

/**
 * Writes made with a session: the Origin must be ours and X-CSRF-Token must equal the session's
 * token (a cross-site form or fetch cannot read it). Viewers are read-only, except for signing out.
 * API-key requests are exempt: a browser never attaches a bearer key by itself.
 */
export function guardWrites(deps: AdminDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = c.get("auth");
    if (auth.kind === "session" && !isSafeMethod(c.req.method)) {
      assertOrigin(c, deps.config.publicUrl);
      const token = c.req.header("x-csrf-token");
      if (!token || !sameToken(token, auth.session.csrfToken)) {
        throw new ApiError(403, "forbidden", "Missing or wrong X-CSRF-Token header (get it from GET /api/session).");
      }
      const signingOut = c.req.method === "DELETE" && c.req.path === "/api/session";
      if (auth.session.user.role !== "admin" && !signingOut) {
        throw new ApiError(403, "forbidden", "Viewers can only read. Ask an admin for write access.");
      }
    }
    await next();
  };
}

function hasScope(auth: Auth, scope: ApiScope): boolean {
  if (auth.kind === "session") return scope === "admin" ? auth.session.user.role === "admin" : true;
  return auth.caller.scopes.includes("admin") || auth.caller.scopes.includes(scope);
}

/**
 * Route-level permission. For sessions, `admin` means the admin role and every other scope is
 * granted to any signed-in user (writes are already limited to admins by guardWrites).
 */
export function requireScope(scope: ApiScope): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = c.get("auth");
    if (!hasScope(auth, scope)) {
      throw new ApiError(
        403,
        "forbidden",
        auth.kind === "session" ? "Only admins can do this." : `This API key lacks the "${scope}" scope.`,
      );
    }
    await next();
  };
}
