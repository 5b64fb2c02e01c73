import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { apiKeys } from "@lantern/db/schema";
import { createTestDb, type TestDb } from "@lantern/db/testing";
import { apiKeyAuth, createApiKey, hashApiKey, onError, requireScope } from "../src/index.ts";

let t: TestDb | undefined;
afterEach(async () => t?.cleanup());

function app(db: TestDb["db"]) {
  const a = new Hono();
  a.onError(onError());
  a.use("/api/*", apiKeyAuth({ db, bootstrapKey: "lt_bootstrap_key_for_tests" }));
  a.get("/api/read", requireScope("links:read"), (c) => c.text("ok"));
  a.post("/api/write", requireScope("links:write"), (c) => c.text("ok"));
  return a;
}

describe("API keys", () => {
  it("are stored only as a hash and work as a Bearer token", async () => {
    t = await createTestDb();
    const { key } = await createApiKey(t.db, "ci", ["links:read"]);
    const [row] = await t.db.select().from(apiKeys);
    expect(row?.hash).toBe(hashApiKey(key));
    expect(JSON.stringify(row)).not.toContain(key);
    const res = await app(t.db).request("/api/read", { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
  });

  it("a missing or unknown key is a 401, a key without the scope a 403", async () => {
    t = await createTestDb();
    const { key } = await createApiKey(t.db, "reader", ["links:read"]);
    const a = app(t.db);
    expect((await a.request("/api/read")).status).toBe(401);
    expect((await a.request("/api/read", { headers: { authorization: "Bearer lt_nope" } })).status).toBe(401);
    const res = await a.request("/api/write", { method: "POST", headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string; code: string } }).error.message).toContain("links:write");
  });

  it("a revoked key stops working", async () => {
    t = await createTestDb();
    const { key, id } = await createApiKey(t.db, "old", ["admin"]);
    await t.db.update(apiKeys).set({ revokedAt: Date.now() }).where(eq(apiKeys.id, id));
    expect((await app(t.db).request("/api/read", { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
  });

  it("LANTERN_API_KEY is accepted as an admin key", async () => {
    t = await createTestDb();
    const res = await app(t.db).request("/api/write", { method: "POST", headers: { authorization: "Bearer lt_bootstrap_key_for_tests" } });
    expect(res.status).toBe(200);
  });
});
