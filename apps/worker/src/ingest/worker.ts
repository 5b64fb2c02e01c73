import type { Db } from "@lantern/db";
import { EVENTS_QUEUE } from "@lantern/queue";
import { type Job, UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { ingestEvents } from "./batch.ts";
import type { StoredCounts } from "./context.ts";
import { parseBatch, type RejectedEvent } from "./validate.ts";

/** What a completed batch job returns (visible in BullMQ as the job's return value). */
export interface BatchResult {
  batchId: string;
  producer: string;
  received: number;
  stored: StoredCounts;
  rejected: RejectedEvent[];
  ms: number;
}

export interface IngestWorkerOptions {
  db: Db;
  /** A connection made with workerConnection() (maxRetriesPerRequest: null). Not closed by the worker. */
  connection: Redis;
  prefix: string;
  concurrency?: number;
  log: Logger;
  /** Called after each stored batch (main.ts requests a debounced reconcile). Errors are logged, never fail the job. */
  onIngested?: (result: BatchResult) => void;
  /** Hosts of this instance, never counted as referrers (from LINKS_PUBLIC_URL). */
  ownHosts?: readonly string[];
  /** Lock of an active batch; a batch whose process died is re-delivered after about this long. */
  lockDurationMs?: number;
  /** Clock, for `receivedAt`. */
  now?: () => number;
}

/**
 * The ingest worker: consumes event batches from EVENTS_QUEUE and stores them. See batch.ts for the
 * transaction and idempotency, validate.ts for what happens to bad payloads.
 */
export function createIngestWorker(options: IngestWorkerOptions): Worker {
  const { db, connection, prefix, log, onIngested } = options;
  const now = options.now ?? Date.now;
  const ownHosts = options.ownHosts ?? [];
  const lockDuration = options.lockDurationMs ?? 30_000;

  const processor = async (job: Job): Promise<BatchResult> => {
    if (job.name !== "batch") throw new UnrecoverableError(`unknown job name "${job.name}" on ${EVENTS_QUEUE}`);
    const started = Date.now();
    const batch = parseBatch(job.data);
    const stored = await ingestEvents(db, batch.events, { now: now(), ownHosts, log });
    const result: BatchResult = {
      batchId: batch.batchId,
      producer: batch.producer,
      received: batch.events.length + batch.rejected.length,
      stored,
      rejected: batch.rejected,
      ms: Date.now() - started,
    };
    if (batch.rejected.length > 0) {
      log.warn({ batchId: batch.batchId, producer: batch.producer, rejected: batch.rejected.slice(0, 20) }, `${batch.rejected.length} invalid events skipped`);
    }
    log.debug({ batchId: batch.batchId, stored, ms: result.ms }, "batch stored");
    try {
      onIngested?.(result);
    } catch (err) {
      log.error({ err }, "onIngested failed");
    }
    return result;
  };

  const worker = new Worker(EVENTS_QUEUE, processor, {
    connection,
    prefix,
    concurrency: options.concurrency ?? 2,
    lockDuration,
    // Check for batches whose worker died as often as their lock can expire.
    stalledInterval: lockDuration,
    // A batch is re-delivered after a crash; only one that keeps killing its worker is given up on.
    maxStalledCount: 3,
  });
  worker.on("error", (err) => log.error({ err }, "ingest worker error"));
  worker.on("failed", (job, err) => {
    log.error(
      { err, jobId: job?.id, attemptsMade: job?.attemptsMade, unrecoverable: err instanceof UnrecoverableError || err.name === "UnrecoverableError" },
      "event batch failed",
    );
  });
  return worker;
}
