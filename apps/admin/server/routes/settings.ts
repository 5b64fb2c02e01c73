import { DEFAULT_RETENTION_DAYS, MAX_RETENTION_DAYS, MIN_RETENTION_DAYS, PRIVACY_SETTINGS_KEY } from "@lantern/core";
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import type { Db } from "@lantern/db";
import { settings } from "@lantern/db/schema";
import { jsonBody } from "@lantern/http";
import type { AdminDeps, AppEnv } from "../context.ts";
import { requireScope } from "../auth/middleware.ts";

/** Shared with the worker, which prunes raw events by `retentionDays` (apps/worker/src/prune). */
export const PRIVACY_KEY = PRIVACY_SETTINGS_KEY;
export { DEFAULT_RETENTION_DAYS };

export const privacySettings = z.object({
  honorDnt: z.boolean(),
  honorGpc: z.boolean(),
  retentionDays: z.number().int().min(MIN_RETENTION_DAYS).max(MAX_RETENTION_DAYS),
});
export type PrivacySettings = z.infer<typeof privacySettings>;

const patchBody = z.object({ privacy: privacySettings.partial().strict() }).strict();

/** The privacy settings as stored, over the defaults (a stored value that no longer parses falls back field by field). */
export async function readPrivacy(db: Db, honorDntDefault: boolean): Promise<PrivacySettings> {
  const defaults: PrivacySettings = { honorDnt: honorDntDefault, honorGpc: honorDntDefault, retentionDays: DEFAULT_RETENTION_DAYS };
  const [row] = await db.select().from(settings).where(eq(settings.key, PRIVACY_KEY));
  const stored = privacySettings.partial().safeParse(row?.value ?? {});
  return { ...defaults, ...(stored.success ? stored.data : {}) };
}

export function settingsRoutes(deps: AdminDeps) {
  const now = deps.clock ?? Date.now;
  const honorDefault = deps.config.honorDntDefault ?? true;
  return new Hono<AppEnv>()
    .get("/", async (c) => c.json({ privacy: await readPrivacy(deps.db, honorDefault) }))
    .patch("/", requireScope("admin"), async (c) => {
      const body = await jsonBody(c, patchBody);
      const privacy = { ...(await readPrivacy(deps.db, honorDefault)), ...body.privacy };
      await deps.db
        .insert(settings)
        .values({ key: PRIVACY_KEY, value: privacy, updatedAt: now() })
        .onConflictDoUpdate({ target: settings.key, set: { value: privacy, updatedAt: now() } });
      return c.json({ privacy });
    });
}
