import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { createTestDb, type TestDb } from "@lantern/db/testing";
import { createApp, type AdminApp, type AdminConfig } from "../server/app.ts";
import { insertUser } from "../server/users.ts";

export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
export const PUBLIC_URL = "http://localhost:3000";
export const BOOTSTRAP_KEY = "lt_test_bootstrap_key_0123456789";

export interface Harness {
  app: AdminApp;
  t: TestDb;
  redis: Redis;
  prefix: string;
  now: { value: number };
  close(): Promise<void>;
}

/** A fresh database file, a fresh queue prefix on the real Redis, and the app on them. */
export async function harness(config: Partial<AdminConfig> = {}, start = Date.UTC(2024, 5, 15, 12)): Promise<Harness> {
  const t = await createTestDb();
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: true });
  const prefix = `t-${randomUUID().slice(0, 8)}`;
  const now = { value: start };
  const app = createApp({
    db: t.db,
    redis,
    queuePrefix: prefix,
    clock: () => now.value,
    config: { publicUrl: PUBLIC_URL, apiKey: BOOTSTRAP_KEY, linksUrl: "http://127.0.0.1:1", surveysUrl: "http://127.0.0.1:1", distDir: null, ...config },
  });
  return {
    app,
    t,
    redis,
    prefix,
    now,
    async close() {
      await app.close();
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
      await t.cleanup();
    },
  };
}

export interface Signed {
  cookie: string;
  csrf: string;
}

export async function signIn(h: Harness, email: string, password: string): Promise<Signed> {
  const res = await h.app.request("/api/session", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
  const body = (await res.json()) as { csrfToken: string };
  return { cookie, csrf: body.csrfToken };
}

export async function userAndSession(h: Harness, role: "admin" | "viewer", email = `${role}@example.com`, password = "correct horse battery"): Promise<Signed> {
  await insertUser(h.t.db, { email, password, role }, h.now.value);
  return signIn(h, email, password);
}

/** Request with a session: cookie, and the CSRF token on writes. */
export function as(h: Harness, s: Signed, path: string, init: { method?: string; body?: unknown; csrf?: boolean; headers?: Record<string, string> } = {}) {
  const method = init.method ?? "GET";
  const headers: Record<string, string> = { cookie: s.cookie, ...(init.headers ?? {}) };
  if (method !== "GET" && init.csrf !== false) headers["x-csrf-token"] = s.csrf;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  return h.app.request(path, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
}

export function withKey(h: Harness, key: string, path: string, init: RequestInit = {}) {
  return h.app.request(path, { ...init, headers: { authorization: `Bearer ${key}`, ...((init.headers as Record<string, string>) ?? {}) } });
}
