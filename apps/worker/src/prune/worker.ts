import { DAY_MS } from "@lantern/core";
import type { Db } from "@lantern/db";
import { defaultJobOptions, PRUNE_QUEUE } from "@lantern/queue";
import { type Job, type JobsOptions, Queue, type Worker } from "bullmq";
import type { Redis } from "ioredis";
import { reconcileLockKey, runLockedJob, singleFlightWorker } from "../reconcile/lock.ts";
import { type PruneResult, pruneRawEvents } from "./prune.ts";

export const PRUNE_JOB = "prune";
/** Scheduler id: upserted by every worker, so there is one schedule however many workers run. */
export const SCHEDULE_PRUNE = "prune-every";
/** Deduplication id of the run after start-up: workers starting together make one run. */
export const STARTUP_RUN_ID = "prune-startup";

type Log = {
  info: (obj: object, msg?: string) => void;
  error: (obj: object, msg?: string) => void;
  debug?: (obj: object, msg?: string) => void;
};

const JOB_OPTIONS: JobsOptions = { ...defaultJobOptions, attempts: 3, removeOnComplete: { count: 100, age: 7 * 24 * 3600 } };

export interface PruneWorkerOptions {
  db: Db;
  /** A connection made with workerConnection() (maxRetriesPerRequest: null). Not closed by close(). */
  connection: Redis;
  prefix: string;
  /** Prune every this often (default a day); 0: never, not even after start-up. */
  everyMs?: number;
  /** The run after start-up waits this long (default 1 minute), so that start-up work goes first. */
  startDelayMs?: number;
  /** Rows per delete transaction (default 5,000). */
  batchSize?: number;
  /** When a reconciliation holds the lock, try again after this long (default 5 s). */
  retryLockedMs?: number;
  log: Log;
}

export interface PruneWorker {
  worker: Worker;
  queue: Queue;
  /** Resolves once the schedule and the start-up run are in place. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Deletes raw events past the retention setting (pruneRawEvents) on a schedule and once after start-up.
 * Single-flight: one job at a time across workers (queue global concurrency 1), under the
 * reconciliation lock, so that a prune never deletes events a running reconciliation counts on.
 */
export function startPruneWorker(options: PruneWorkerOptions): PruneWorker {
  const { db, connection, prefix, log } = options;
  const everyMs = options.everyMs ?? DAY_MS;
  const startDelayMs = options.startDelayMs ?? 60_000;
  const retryMs = options.retryLockedMs ?? 5_000;

  const queue = new Queue(PRUNE_QUEUE, { connection, prefix, defaultJobOptions: JOB_OPTIONS });
  queue.on("error", (err) => log.error({ err }, "prune queue error"));

  const processor = (job: Job, token?: string): Promise<PruneResult> =>
    runLockedJob(job, token, { redis: connection, key: reconcileLockKey(prefix), retryMs, log }, () => pruneRawEvents(db, { batchSize: options.batchSize, log }));
  const worker = singleFlightWorker(PRUNE_QUEUE, processor, { connection, prefix, what: "prune", log });

  const ready = (async () => {
    await queue.setGlobalConcurrency(1);
    if (everyMs <= 0) {
      await queue.removeJobScheduler(SCHEDULE_PRUNE);
      await queue.drain(true); // and a start-up run still waiting
      return;
    }
    await queue.upsertJobScheduler(SCHEDULE_PRUNE, { every: everyMs }, { name: PRUNE_JOB, data: { reason: "schedule" }, opts: JOB_OPTIONS });
    await queue.add(PRUNE_JOB, { reason: "startup" }, { ...JOB_OPTIONS, delay: startDelayMs, deduplication: { id: STARTUP_RUN_ID } });
  })();
  ready.catch((err) => log.error({ err }, "prune schedule could not be set"));

  return {
    worker,
    queue,
    ready,
    async close() {
      await worker.close();
      await ready.catch(() => undefined);
      await queue.close();
    },
  };
}
