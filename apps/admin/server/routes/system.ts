import { Hono } from "hono";
import { ApiError } from "@lantern/http";
import { PRUNED_SETTINGS_KEY } from "@lantern/core";
import { reconcileState, settings } from "@lantern/db/schema";
import { eq } from "drizzle-orm";
import type { AdminDeps, AppEnv } from "../context.ts";
import { requireScope } from "../auth/middleware.ts";
import { isQueueKey, QUEUE_KEYS, QUEUE_NAMES, withTimeout, type AdminQueues } from "../queues.ts";
import { readPrivacy } from "./settings.ts";
const COUNT_TYPES = ["waiting", "active", "delayed", "prioritized", "waiting-children", "completed", "failed"] as const;

/**
 * Retention as enforced: the setting, and how far back the worker's daily prune has deleted raw events
 * (null before its first run).
 */
async function retentionStatus(deps: AdminDeps) {
  const { retentionDays } = await readPrivacy(deps.db, deps.config.honorDntDefault ?? true);
  const [row] = await deps.db.select().from(settings).where(eq(settings.key, PRUNED_SETTINGS_KEY));
  const before = (row?.value as { before?: unknown } | undefined)?.before;
  return { retentionDays, prunedBefore: typeof before === "number" ? before : null, lastPrunedAt: row ? row.updatedAt : null };
}

/** Queue health, failed jobs with retry, the last reconcile run and retention. */
export function systemRoutes(deps: AdminDeps, queues: AdminQueues) {
  return new Hono<AppEnv>()
    .use("*", requireScope("admin"))
    .get("/", async (c) => {
      // The reconciler keeps two rows: "attribution" (conversions and answers) and "links" (link activity).
      const states = await deps.db.select().from(reconcileState);
      const state = states.find((s) => s.id === "attribution") ?? states.find((s) => s.id !== "links") ?? null;
      const links = states.find((s) => s.id === "links") ?? null;
      const lastReconcile = state
        ? {
            lastRunAt: state.lastRunAt,
            lastRunMs: state.lastRunMs,
            lastRunConversions: state.lastRunConversions,
            watermark: state.watermark,
            linksWatermark: links?.watermark ?? null,
            rulesetVersion: state.rulesetVersion,
          }
        : null;
      const retention = await retentionStatus(deps);
      try {
        const perQueue = await Promise.all(
          QUEUE_KEYS.map(async (queue) => {
            const q = queues.get(queue);
            const [counts, failed] = await withTimeout(Promise.all([q.getJobCounts(...COUNT_TYPES), q.getFailed(0, 49)]));
            return { queue, name: QUEUE_NAMES[queue], counts, failed: failed.filter(Boolean).map((j) => ({ queue, id: j.id ?? "", name: j.name, failedReason: j.failedReason ?? null, attemptsMade: j.attemptsMade, timestamp: j.timestamp, finishedOn: j.finishedOn ?? null })) };
          }),
        );
        // The last reconcile run that ended, changing something or not: a run that finds nothing new
        // since the previous one (a quiet run) leaves reconcile_state as it was.
        const [latestRun] = await withTimeout(queues.get("reconcile").getCompleted(0, 0));
        const reconcileCheckedAt = latestRun?.finishedOn ?? null;
        const failed = perQueue
          .flatMap((q) => q.failed)
          .sort((a, b) => (b.finishedOn ?? b.timestamp) - (a.finishedOn ?? a.timestamp))
          .slice(0, 50);
        return c.json({ redis: "ok", queues: perQueue.map(({ queue, name, counts }) => ({ queue, name, counts })), failed, lastReconcile, reconcileCheckedAt, retention });
      } catch (err) {
        deps.log?.error({ err }, "system: queues unavailable");
        return c.json({ redis: "unavailable", queues: [], failed: [], lastReconcile, reconcileCheckedAt: null, retention });
      }
    })
    .post("/failed/:queue/:id/retry", async (c) => {
      const queue = c.req.param("queue");
      const id = c.req.param("id");
      if (!isQueueKey(queue)) throw new ApiError(400, "bad_request", `Unknown queue "${queue}". Valid queues: ${QUEUE_KEYS.join(", ")}.`);
      const job = await withTimeout(queues.get(queue).getJob(id));
      if (!job || (await withTimeout(job.getState())) !== "failed") throw new ApiError(404, "not_found", `No failed job ${id} in the ${queue} queue.`);
      await withTimeout(job.retry("failed"));
      return c.json({ ok: true, jobId: job.id ?? id });
    });
}
