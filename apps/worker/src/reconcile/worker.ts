import { randomBytes } from "node:crypto";
import type { Db } from "@lantern/db";
import { defaultJobOptions, RECONCILE_QUEUE, type ReconcileJob, reconcileJob } from "@lantern/queue";
import { type Job, type JobsOptions, Queue, UnrecoverableError, type Worker } from "bullmq";
import type { Redis } from "ioredis";
import { retainedFrom } from "../prune/retention.ts";
import { reconcileLockKey, runLockedJob, singleFlightWorker } from "./lock.ts";
import { type ReconcileOptions, type ReconcileRunResult, runReconcile } from "./run.ts";

export const RECONCILE_JOB = "reconcile";
/** Scheduler ids: upserted by every worker, so there is one schedule however many workers run. */
export const SCHEDULE_INCREMENTAL = "reconcile-every";
export const SCHEDULE_FULL = "reconcile-nightly-full";
/** The deduplication id of runs requested after ingestion: at most one waiting and one running. */
export const REQUESTED_RUN_ID = "reconcile-requested";

type Log = {
  info: (obj: object, msg?: string) => void;
  warn: (obj: object, msg?: string) => void;
  error: (obj: object, msg?: string) => void;
  debug?: (obj: object, msg?: string) => void;
};

const JOB_OPTIONS: JobsOptions = {
  ...defaultJobOptions,
  attempts: 3,
  // Kept a day so that GET /api/reconcile/:id can answer about a run someone asked for.
  removeOnComplete: { count: 1000, age: 24 * 3600 },
};

export interface ReconcileWorkerOptions {
  db: Db;
  /** A connection made with workerConnection() (maxRetriesPerRequest: null). Not closed by close(). */
  connection: Redis;
  prefix: string;
  /** Incremental run every this often (default 5 minutes; 0: no schedule). */
  everyMs?: number;
  /** Cron pattern (UTC) of the nightly full run that cures anything incremental runs cannot see (default 03:17; "" for none). */
  fullPattern?: string;
  /** Runs requested after ingestion wait this long, so a burst of batches makes one run (default 2 s). */
  debounceMs?: number;
  /** When another run holds the lock, try again after this long (default 1 s). */
  retryLockedMs?: number;
  /** Options passed to every run (look-back window, slice size, ...). */
  reconcile?: Omit<ReconcileOptions, "mode" | "log">;
  log: Log;
}

export interface ReconcileWorker {
  worker: Worker;
  queue: Queue;
  /** Resolves once the schedule is in place and the queue is limited to one run at a time. */
  ready: Promise<void>;
  /** A debounced incremental run (after ingestion). Resolves to the job id, or null if Redis refused. */
  requestRun(reason?: ReconcileJob["reason"]): Promise<string | null>;
  close(): Promise<void>;
}

/** The reconcile queue, for callers that only enqueue (the admin server). */
export function createReconcileQueue(connection: Redis, prefix: string): Queue {
  return new Queue(RECONCILE_QUEUE, { connection, prefix, defaultJobOptions: JOB_OPTIONS });
}

/** Enqueues a run now (on demand) and returns its job id, to be looked up with getReconcileJob. */
export async function enqueueReconcile(queue: Queue, reason: ReconcileJob["reason"] = "manual", mode: ReconcileJob["mode"] = "incremental"): Promise<string> {
  const data: ReconcileJob = reconcileJob.parse({ mode, reason });
  const job = await queue.add(RECONCILE_JOB, data, { ...JOB_OPTIONS, jobId: `${reason}-${randomBytes(9).toString("base64url")}` });
  return job.id!;
}

export interface ReconcileJobState {
  id: string;
  state: string;
  data: ReconcileJob;
  result: ReconcileRunResult | null;
  failedReason: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/** The state of a reconcile job ("waiting", "delayed", "active", "completed", "failed", ...), or null if unknown. */
export async function getReconcileJob(queue: Queue, id: string): Promise<ReconcileJobState | null> {
  // State first: a job read before its state could be a step behind it (completed, without its result).
  const state = await queue.getJobState(id);
  const job = await queue.getJob(id);
  if (!job || state === "unknown") return null;
  return {
    id: job.id!,
    state,
    data: job.data as ReconcileJob,
    result: (job.returnvalue as ReconcileRunResult | undefined) ?? null,
    failedReason: job.failedReason ?? null,
    createdAt: job.timestamp,
    startedAt: job.processedOn ?? null,
    finishedAt: job.finishedOn ?? null,
  };
}

/**
 * The reconcile worker: one BullMQ worker (concurrency 1) on RECONCILE_QUEUE, with the queue's global
 * concurrency set to 1 and a Redis lock around each run, so that runs never overlap across processes,
 * even a run started outside the queue (withLock + reconcileLockKey). A job that finds the lock taken
 * goes back to "delayed" and tries again; it never runs beside another one (nor beside a prune of raw
 * events, which holds the same lock). Each run is told from when raw events are retained (retainedFrom).
 */
export function startReconcileWorker(options: ReconcileWorkerOptions): ReconcileWorker {
  const { db, connection, prefix, log } = options;
  const everyMs = options.everyMs ?? 300_000;
  const fullPattern = options.fullPattern ?? "17 3 * * *";
  const debounceMs = options.debounceMs ?? 2_000;
  const retryLockedMs = options.retryLockedMs ?? 1_000;
  const lockKey = reconcileLockKey(prefix);

  const queue = createReconcileQueue(connection, prefix);
  queue.on("error", (err) => log.error({ err }, "reconcile queue error"));

  const processor = async (job: Job, token?: string): Promise<ReconcileRunResult> => {
    const parsed = reconcileJob.safeParse(job.data ?? {});
    if (!parsed.success) throw new UnrecoverableError(`invalid reconcile job: ${parsed.error.message}`);
    return runLockedJob(job, token, { redis: connection, key: lockKey, retryMs: retryLockedMs, log }, async () =>
      // Raw events before the retention cutoff may be pruned: the run leaves alone what they supported.
      runReconcile(db, { retainedFrom: await retainedFrom(db.$client, Date.now()), ...options.reconcile, mode: parsed.data.mode, log }),
    );
  };

  const worker = singleFlightWorker(RECONCILE_QUEUE, processor, { connection, prefix, what: "reconcile", log });

  const ready = (async () => {
    await queue.setGlobalConcurrency(1);
    if (everyMs > 0) {
      await queue.upsertJobScheduler(SCHEDULE_INCREMENTAL, { every: everyMs }, { name: RECONCILE_JOB, data: { mode: "incremental", reason: "schedule" }, opts: JOB_OPTIONS });
    } else {
      await queue.removeJobScheduler(SCHEDULE_INCREMENTAL);
    }
    if (fullPattern) {
      await queue.upsertJobScheduler(SCHEDULE_FULL, { pattern: fullPattern, tz: "UTC" }, { name: RECONCILE_JOB, data: { mode: "full", reason: "schedule" }, opts: JOB_OPTIONS });
    } else {
      await queue.removeJobScheduler(SCHEDULE_FULL);
    }
  })();
  ready.catch((err) => log.error({ err }, "reconcile schedule could not be set"));

  return {
    worker,
    queue,
    ready,
    async requestRun(reason = "ingest") {
      try {
        const job = await queue.add(
          RECONCILE_JOB,
          { mode: "incremental", reason },
          // While one is waiting, further requests join it; while one runs, one more is kept for after it.
          { ...JOB_OPTIONS, delay: debounceMs, deduplication: { id: REQUESTED_RUN_ID, keepLastIfActive: true } },
        );
        return job.id ?? null;
      } catch (err) {
        log.warn({ err }, "could not request a reconciliation");
        return null;
      }
    },
    async close() {
      await worker.close();
      await ready.catch(() => undefined);
      await queue.close();
    },
  };
}
