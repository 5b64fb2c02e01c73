import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sessions, users } from "@lantern/db/schema";
import { hashPassword, verifyPassword } from "../server/auth/passwords.ts";
import { ensureAdminUser } from "../server/bootstrap.ts";
import { BOOTSTRAP_KEY, as, harness, signIn, userAndSession, withKey, type Harness } from "./server-helpers.ts";

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(async () => {
  await h.close();
});

const json = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("passwords", () => {
  it("are stored as salted scrypt hashes and verified only with the right password", async () => {
    const a = await hashPassword("correct horse battery");
    const b = await hashPassword("correct horse battery");
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword("correct horse battery", a)).toBe(true);
    expect(await verifyPassword("correct horse batterY", a)).toBe(false);
    expect(await verifyPassword("anything", "not-a-hash")).toBe(false);
  });
});

describe("first admin", () => {
  it("is created once as admin@lantern.local with a random password that is returned only the first time", async () => {
    const first = await ensureAdminUser(h.t.db, {});
    expect(first.email).toBe("admin@lantern.local");
    expect(first.password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    const again = await ensureAdminUser(h.t.db, {});
    expect(again).toEqual({ email: "admin@lantern.local", password: null, created: false });
    const [row] = await h.t.db.select().from(users);
    expect(row!.passwordHash).not.toContain(first.password!);
    await signIn(h, "admin@lantern.local", first.password!);
  });

  it("comes from LANTERN_ADMIN_EMAIL / LANTERN_ADMIN_PASSWORD when both are set, and the password is not echoed", async () => {
    const result = await ensureAdminUser(h.t.db, { email: "Boss@Example.com", password: "a long enough secret" });
    expect(result).toEqual({ email: "boss@example.com", password: null, created: true });
    await signIn(h, "boss@example.com", "a long enough secret");
  });
});

describe("sessions", () => {
  it("signing in sets an HttpOnly SameSite=Lax cookie and stores only the sha256 of the session id", async () => {
    await userAndSession(h, "admin", "a@example.com");
    const res = await h.app.request("/api/session", json({ email: "A@Example.com ", password: "correct horse battery" }));
    expect(res.status).toBe(200);
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^lantern_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).not.toContain("Secure");
    const id = cookie.split(";")[0]!.split("=")[1]!;
    const rows = await h.t.db.select().from(sessions);
    expect(rows.map((r) => r.idHash)).toContain(createHash("sha256").update(id).digest("hex"));
    expect(rows.map((r) => r.idHash)).not.toContain(id);
  });

  it("the cookie is Secure when the public URL is https", async () => {
    const s = await harness({ publicUrl: "https://admin.example.com" });
    try {
      await userAndSession(s, "admin");
      const res = await s.app.request("/api/session", json({ email: "admin@example.com", password: "correct horse battery" }));
      expect(res.headers.get("set-cookie")).toContain("Secure");
    } finally {
      await s.close();
    }
  });

  it("GET /api/session says who is signed in and gives the CSRF token", async () => {
    const s = await userAndSession(h, "viewer", "v@example.com");
    const res = await as(h, s, "/api/session");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { user: { email: string; role: string }; csrfToken: string; expiresAt: number };
    expect(body.user).toMatchObject({ email: "v@example.com", role: "viewer" });
    expect(body.csrfToken).toBe(s.csrf);
    expect(body.expiresAt).toBe(h.now.value + 14 * 86_400_000);
  });

  it("a wrong password and an unknown email get the same 401", async () => {
    await userAndSession(h, "admin", "a@example.com");
    const wrong = await h.app.request("/api/session", json({ email: "a@example.com", password: "wrong password!" }));
    const unknown = await h.app.request("/api/session", json({ email: "nobody@example.com", password: "wrong password!" }));
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const a = (await wrong.json()) as { error: { code: string; message: string } };
    const b = (await unknown.json()) as { error: { code: string; message: string } };
    expect(a.error.message).toBe("Wrong email or password.");
    expect(b.error.message).toBe(a.error.message);
    expect(wrong.headers.get("set-cookie")).toBeNull();
  });

  it("sign-in is rate-limited per email: after 10 attempts even the right password gets 429", async () => {
    await userAndSession(h, "admin", "a@example.com");
    for (let i = 0; i < 9; i++) {
      expect((await h.app.request("/api/session", json({ email: "a@example.com", password: `guess ${i} guess` }))).status).toBe(401);
    }
    const limited = await h.app.request("/api/session", json({ email: "a@example.com", password: "correct horse battery" }));
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    // The counters live in Redis under hashed keys: no email there.
    const keys = await h.redis.keys(`${h.prefix}:admin:signin-*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(" ")).not.toContain("example.com");
  });

  it("sign-in is rate-limited per address across emails", async () => {
    const s = await harness({ signInLimits: { perIp: 3, perEmail: 100, windowMs: 60_000 } });
    try {
      for (let i = 0; i < 3; i++) expect((await s.app.request("/api/session", json({ email: `u${i}@example.com`, password: "whatever you like" }))).status).toBe(401);
      expect((await s.app.request("/api/session", json({ email: "u9@example.com", password: "whatever you like" }))).status).toBe(429);
    } finally {
      await s.close();
    }
  });

  it("signing out ends the session: the same cookie then gets 401", async () => {
    const s = await userAndSession(h, "admin");
    const out = await as(h, s, "/api/session", { method: "DELETE" });
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toMatch(/lantern_session=;.*Max-Age=0/);
    expect((await as(h, s, "/api/session")).status).toBe(401);
    expect(await h.t.db.select().from(sessions)).toEqual([]);
  });

  it("a viewer can sign out", async () => {
    const s = await userAndSession(h, "viewer");
    expect((await as(h, s, "/api/session", { method: "DELETE" })).status).toBe(204);
  });

  it("sessions slide: used within 14 days they live on, unused for 14 days they expire", async () => {
    const s = await userAndSession(h, "admin");
    h.now.value += 13 * 86_400_000;
    const used = await as(h, s, "/api/session");
    expect(used.status).toBe(200);
    expect(used.headers.get("set-cookie")).toContain("lantern_session=");
    h.now.value += 13 * 86_400_000;
    expect((await as(h, s, "/api/session")).status).toBe(200);
    h.now.value += 14 * 86_400_000 + 1;
    expect((await as(h, s, "/api/session")).status).toBe(401);
  });

  it("signed-out requests get 401 on the API", async () => {
    for (const path of ["/api/session", "/api/reports/overview", "/api/users", "/api/settings", "/api/links", "/api/surveys/x"]) {
      const res = await h.app.request(path);
      expect(res.status, path).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
    }
    expect((await h.app.request("/api/links", json({ url: "https://example.com" }))).status).toBe(401);
  });

  it("a disabled user cannot sign in and loses open sessions", async () => {
    const admin = await userAndSession(h, "admin");
    const viewer = await userAndSession(h, "viewer", "v@example.com");
    const [v] = await h.t.db.select().from(users).where(eq(users.email, "v@example.com"));
    expect((await as(h, admin, `/api/users/${v!.id}`, { method: "PATCH", body: { disabled: true } })).status).toBe(200);
    expect((await as(h, viewer, "/api/session")).status).toBe(401);
    expect((await h.app.request("/api/session", json({ email: "v@example.com", password: "correct horse battery" }))).status).toBe(401);
  });
});

describe("CSRF and roles", () => {
  it("a write with a session but without X-CSRF-Token is refused with 403", async () => {
    const s = await userAndSession(h, "admin");
    const res = await as(h, s, "/api/settings", { method: "PATCH", body: { privacy: { retentionDays: 30 } }, csrf: false });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain("X-CSRF-Token");
    const wrong = await as(h, s, "/api/settings", { method: "PATCH", body: { privacy: { retentionDays: 30 } }, csrf: false, headers: { "x-csrf-token": "nope" } });
    expect(wrong.status).toBe(403);
    const ok = await as(h, s, "/api/settings", { method: "PATCH", body: { privacy: { retentionDays: 30 } } });
    expect(ok.status).toBe(200);
  });

  it("a write from another site's Origin is refused even with the token", async () => {
    const s = await userAndSession(h, "admin");
    const res = await as(h, s, "/api/settings", { method: "PATCH", body: { privacy: { retentionDays: 30 } }, headers: { origin: "https://evil.example" } });
    expect(res.status).toBe(403);
    const same = await as(h, s, "/api/settings", { method: "PATCH", body: { privacy: { retentionDays: 30 } }, headers: { origin: "http://localhost:3000" } });
    expect(same.status).toBe(200);
    const signIn = await h.app.request("/api/session", { ...json({ email: "admin@example.com", password: "correct horse battery" }), headers: { "content-type": "application/json", origin: "https://evil.example" } });
    expect(signIn.status).toBe(403);
  });

  it("API-key writes need no CSRF token", async () => {
    const res = await withKey(h, BOOTSTRAP_KEY, "/api/settings", { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ privacy: { honorGpc: false } }) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { privacy: { honorGpc: boolean } }).privacy.honorGpc).toBe(false);
  });

  it("a viewer can read reports and settings but every write is 403", async () => {
    const s = await userAndSession(h, "viewer");
    expect((await as(h, s, "/api/reports/overview")).status).toBe(200);
    expect((await as(h, s, "/api/settings")).status).toBe(200);
    expect((await as(h, s, "/api/channels")).status).toBe(200);
    for (const [method, path, body] of [
      ["PATCH", "/api/settings", { privacy: { retentionDays: 30 } }],
      ["PATCH", "/api/channels/messaging", { label: "Chats" }],
      ["POST", "/api/reconcile", {}],
      ["POST", "/api/links", { url: "https://example.com" }],
      ["POST", "/api/surveys", { name: "x" }],
      ["POST", "/api/api-keys", { name: "x", scopes: ["admin"] }],
    ] as const) {
      const res = await as(h, s, path, { method, body });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    expect((await as(h, s, "/api/users")).status).toBe(403);
    expect((await as(h, s, "/api/api-keys")).status).toBe(403);
  });

  it("answers carry security headers and a CSP for the SPA", async () => {
    const res = await h.app.request("/healthz");
    expect(await res.json()).toEqual({ ok: true });
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });
});

describe("users", () => {
  it("an admin invites a viewer, changes the role, and cannot demote the last admin", async () => {
    const s = await userAndSession(h, "admin", "root@example.com");
    h.now.value += 1000;
    const created = await as(h, s, "/api/users", { method: "POST", body: { email: "New@Example.com", role: "viewer", password: "a fine password" } });
    expect(created.status).toBe(201);
    const { user } = (await created.json()) as { user: { id: string; email: string; role: string; disabledAt: null } };
    expect(user).toMatchObject({ email: "new@example.com", role: "viewer", disabledAt: null });
    expect((await as(h, s, "/api/users", { method: "POST", body: { email: "new@example.com", role: "viewer", password: "a fine password" } })).status).toBe(409);
    expect((await as(h, s, "/api/users", { method: "POST", body: { email: "short@example.com", role: "viewer", password: "short" } })).status).toBe(400);

    const list = (await (await as(h, s, "/api/users")).json()) as { users: { email: string; role: string }[] };
    expect(list.users.map((u) => u.email)).toEqual(["root@example.com", "new@example.com"]);
    expect(JSON.stringify(list)).not.toContain("scrypt");

    const [root] = await h.t.db.select().from(users).where(eq(users.email, "root@example.com"));
    const demoteSelf = await as(h, s, `/api/users/${root!.id}`, { method: "PATCH", body: { role: "viewer" } });
    expect(demoteSelf.status).toBe(409);
    const promote = await as(h, s, `/api/users/${user.id}`, { method: "PATCH", body: { role: "admin" } });
    expect(((await promote.json()) as { user: { role: string } }).user.role).toBe("admin");
    await signIn(h, "new@example.com", "a fine password");
  });
});

describe("API keys", () => {
  it("a key is shown once, works with its scopes, and stops working when revoked", async () => {
    const s = await userAndSession(h, "admin");
    const created = await as(h, s, "/api/api-keys", { method: "POST", body: { name: "dashboard", scopes: ["reports:read"] } });
    expect(created.status).toBe(201);
    const { key, apiKey } = (await created.json()) as { key: string; apiKey: { id: string; prefix: string; scopes: string[] } };
    expect(key.startsWith(apiKey.prefix)).toBe(true);
    const listed = (await (await as(h, s, "/api/api-keys")).json()) as { apiKeys: { id: string }[] };
    expect(JSON.stringify(listed)).not.toContain(key);
    expect(listed.apiKeys.map((k) => k.id)).toEqual([apiKey.id]);

    expect((await withKey(h, key, "/api/reports/overview")).status).toBe(200);
    expect((await withKey(h, key, "/api/users")).status).toBe(403);

    const other = (await (await as(h, s, "/api/api-keys", { method: "POST", body: { name: "temp", scopes: ["admin"] } })).json()) as { key: string; apiKey: { id: string } };
    const revoked = await as(h, s, `/api/api-keys/${other.apiKey.id}`, { method: "DELETE" });
    expect(((await revoked.json()) as { apiKey: { revokedAt: number } }).apiKey.revokedAt).toBe(h.now.value);
    expect((await withKey(h, other.key, "/api/reports/overview")).status).toBe(401);
    expect((await as(h, s, "/api/api-keys", { method: "POST", body: { name: "none", scopes: [] } })).status).toBe(400);
    expect((await as(h, s, "/api/api-keys", { method: "POST", body: { name: "bad", scopes: ["root"] } })).status).toBe(400);
  });
});

describe("settings and channels", () => {
  it("privacy settings start from the defaults and keep an admin's changes", async () => {
    const s = await userAndSession(h, "admin");
    expect(await (await as(h, s, "/api/settings")).json()).toEqual({ privacy: { honorDnt: true, honorGpc: true, retentionDays: 395 } });
    const res = await as(h, s, "/api/settings", { method: "PATCH", body: { privacy: { honorDnt: false, retentionDays: 90 } } });
    expect(await res.json()).toEqual({ privacy: { honorDnt: false, honorGpc: true, retentionDays: 90 } });
    expect(await (await as(h, s, "/api/settings")).json()).toEqual({ privacy: { honorDnt: false, honorGpc: true, retentionDays: 90 } });
    expect((await as(h, s, "/api/settings", { method: "PATCH", body: { privacy: { retentionDays: 1 } } })).status).toBe(400);
  });

  it("channel labels and the dark flag are editable; unknown channels are 404", async () => {
    const s = await userAndSession(h, "admin");
    const list = (await (await as(h, s, "/api/channels")).json()) as { channels: { key: string; label: string; dark: boolean }[] };
    expect(list.channels).toHaveLength(16);
    expect(list.channels.find((c) => c.key === "messaging")).toEqual({ key: "messaging", label: "Messaging apps", group: "dark", dark: true });
    const res = await as(h, s, "/api/channels/community", { method: "PATCH", body: { label: "Slack communities", dark: false } });
    expect(await res.json()).toEqual({ channel: { key: "community", label: "Slack communities", group: "dark", dark: false } });
    expect((await as(h, s, "/api/channels/nope", { method: "PATCH", body: { label: "x" } })).status).toBe(404);
  });
});
