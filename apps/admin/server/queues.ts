import { randomBytes } from "node:crypto";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { EVENTS_QUEUE, PRUNE_QUEUE, RECONCILE_QUEUE, defaultJobOptions, type ReconcileJob } from "@lantern/queue";
import { ApiError } from "@lantern/http";

export type QueueKey = "events" | "reconcile" | "prune";
export const QUEUE_NAMES: Record<QueueKey, string> = { events: EVENTS_QUEUE, reconcile: RECONCILE_QUEUE, prune: PRUNE_QUEUE };
export const QUEUE_KEYS = Object.keys(QUEUE_NAMES) as QueueKey[];
export const isQueueKey = (key: string): key is QueueKey => Object.hasOwn(QUEUE_NAMES, key);

/** How long a Redis call from a request may take before the page answers "Redis unavailable". */
const REDIS_TIMEOUT_MS = 2000;

export function withTimeout<T>(promise: Promise<T>, ms = REDIS_TIMEOUT_MS): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new ApiError(503, "unavailable", "Redis did not answer in time.")), ms).unref()),
  ]);
}

/** The admin server's handles on the queues: it only reads them, retries failed jobs and enqueues reconcile runs. */
export interface AdminQueues {
  get(key: QueueKey): Queue;
  enqueueReconcile(mode: ReconcileJob["mode"], now: number): Promise<string>;
  close(): Promise<void>;
}

export function createQueues(redis: Redis | null, prefix: string): AdminQueues {
  const open = new Map<QueueKey, Queue>();
  const get = (key: QueueKey) => {
    if (!redis) throw new ApiError(503, "unavailable", "Redis is not configured for the admin server.");
    let q = open.get(key);
    if (!q) {
      q = new Queue(QUEUE_NAMES[key], { connection: redis, prefix });
      q.on("error", () => {}); // surfaced per request instead
      open.set(key, q);
    }
    return q;
  };
  return {
    get,
    async enqueueReconcile(mode, now) {
      // Same job name, payload and options as the worker's enqueueReconcile (apps/worker/src/reconcile/worker.ts);
      // the worker makes runs single-flight. Kept a day so GET /api/reconcile/:id can answer.
      const jobId = `manual-${now}-${randomBytes(4).toString("hex")}`;
      const job = await withTimeout(
        get("reconcile").add("reconcile", { mode, reason: "manual" }, { ...defaultJobOptions, attempts: 3, removeOnComplete: { count: 1000, age: 24 * 3600 }, jobId }),
      );
      return job.id ?? jobId;
    },
    async close() {
      await Promise.all([...open.values()].map((q) => q.close().catch(() => {})));
      open.clear();
    },
  };
}
