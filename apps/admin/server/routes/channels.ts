import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { channels } from "@lantern/db/schema";
import { ApiError, jsonBody } from "@lantern/http";
import type { AdminDeps, AppEnv } from "../context.ts";
import { requireScope } from "../auth/middleware.ts";
import { loadChannels } from "../reports/taxonomy.ts";

const patchBody = z
  .object({ label: z.string().trim().min(1).max(60).optional(), dark: z.boolean().optional() })
  .strict()
  .refine((b) => b.label !== undefined || b.dark !== undefined, "send label or dark");

/** The channel taxonomy: labels and the dark flag are editable; keys are what the classifiers emit. */
export function channelRoutes(deps: AdminDeps) {
  return new Hono<AppEnv>()
    .get("/", async (c) => c.json({ channels: await loadChannels(deps.db) }))
    .patch("/:key", requireScope("admin"), async (c) => {
      const body = await jsonBody(c, patchBody);
      const key = c.req.param("key");
      const current = (await loadChannels(deps.db)).find((ch) => ch.key === key);
      if (!current) throw new ApiError(404, "not_found", `No channel "${key}".`);
      const next = { ...current, ...body };
      await deps.db
        .insert(channels)
        .values(next)
        .onConflictDoUpdate({ target: channels.key, set: { label: next.label, dark: next.dark } });
      const [row] = await deps.db.select().from(channels).where(eq(channels.key, key));
      return c.json({ channel: { key: row!.key, label: row!.label, group: row!.group, dark: row!.dark } });
    });
}
