import { Hono } from "hono";
import { z } from "zod";
import { ApiError, parseOr400 } from "@lantern/http";
import type { AdminDeps, AppEnv } from "../context.ts";
import { requireScope } from "../auth/middleware.ts";
import { withTimeout, type AdminQueues } from "../queues.ts";

const runBody = z.object({ mode: z.enum(["incremental", "full"]).default("incremental") });

/** "Reconcile now" and the state of a run. */
export function reconcileRoutes(deps: AdminDeps, queues: AdminQueues) {
  const now = deps.clock ?? Date.now;
  return new Hono<AppEnv>()
    .post("/", requireScope("admin"), async (c) => {
      // The body is optional: an empty POST means an incremental run.
      const text = await c.req.text();
      let raw: unknown = {};
      if (text.trim()) {
        try {
          raw = JSON.parse(text);
        } catch {
          throw new ApiError(400, "bad_request", "The body is not valid JSON.");
        }
      }
      const { mode } = parseOr400(runBody, raw);
      const jobId = await queues.enqueueReconcile(mode, now());
      return c.json({ jobId }, 202);
    })
    .get("/:id", requireScope("reports:read"), async (c) => {
      const id = c.req.param("id");
      if (!/^[A-Za-z0-9_-]{1,120}$/.test(id)) throw new ApiError(400, "bad_request", "Not a job id.");
      // State first: a job read before its state could be a step behind it (completed, without its result).
      const queue = queues.get("reconcile");
      const state = await withTimeout(queue.getJobState(id));
      const job = await withTimeout(queue.getJob(id));
      if (!job || state === "unknown") throw new ApiError(404, "not_found", `No reconcile job ${id} (finished jobs are kept for a day).`);
      return c.json({
        jobId: job.id ?? id,
        state,
        progress: job.progress,
        createdAt: job.timestamp,
        processedAt: job.processedOn ?? null,
        finishedAt: job.finishedOn ?? null,
        failedReason: job.failedReason ?? null,
        result: job.returnvalue ?? null,
      });
    });
}
