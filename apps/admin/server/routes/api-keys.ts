import { desc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { apiKeys, type ApiScope } from "@lantern/db/schema";
import { ALL_SCOPES, ApiError, createApiKey, jsonBody } from "@lantern/http";
import type { AdminDeps, AppEnv } from "../context.ts";
import { requireScope } from "../auth/middleware.ts";

const createBody = z.object({
  name: z.string().trim().min(1).max(80),
  scopes: z.array(z.enum(ALL_SCOPES as [ApiScope, ...ApiScope[]])).min(1, "pick at least one scope").max(ALL_SCOPES.length),
});

function present(row: typeof apiKeys.$inferSelect) {
  return { id: row.id, name: row.name, prefix: row.prefix, scopes: row.scopes, createdAt: row.createdAt, lastUsedAt: row.lastUsedAt, revokedAt: row.revokedAt };
}

/** API keys: create (the key is shown once), list, revoke. Admins only. */
export function apiKeyRoutes(deps: AdminDeps) {
  const now = deps.clock ?? Date.now;
  return new Hono<AppEnv>()
    .use("*", requireScope("admin"))
    .get("/", async (c) => {
      const rows = await deps.db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt));
      return c.json({ apiKeys: rows.map(present), scopes: ALL_SCOPES });
    })
    .post("/", async (c) => {
      const body = await jsonBody(c, createBody);
      const created = await createApiKey(deps.db, body.name, [...new Set(body.scopes)], now());
      const [row] = await deps.db.select().from(apiKeys).where(eq(apiKeys.id, created.id));
      return c.json({ apiKey: present(row!), key: created.key }, 201);
    })
    .delete("/:id", async (c) => {
      const id = c.req.param("id");
      const [row] = await deps.db.select().from(apiKeys).where(eq(apiKeys.id, id));
      if (!row) throw new ApiError(404, "not_found", `No API key ${id}.`);
      if (row.revokedAt === null) await deps.db.update(apiKeys).set({ revokedAt: now() }).where(eq(apiKeys.id, id));
      const [updated] = await deps.db.select().from(apiKeys).where(eq(apiKeys.id, id));
      return c.json({ apiKey: present(updated!) });
    });
}
