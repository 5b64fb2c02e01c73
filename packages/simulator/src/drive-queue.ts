import { defaultJobOptions, EVENTS_QUEUE, type EventBatchJob, type LanternEvent, lanternEvent } from "@lantern/queue";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { worldEvents } from "./events.ts";
import type { Target } from "./targets.ts";
import type { World } from "./world.ts";

/**
 * Loads a world straight into the worker's ingestion queue: the same events the services would have
 * produced, in time order, stamped with the world's own times (so a 90-day world is 90 days long in
 * the reports). One BullMQ job per batch, job id = batch id, as the services' event buffer does.
 * The worker that consumes the queue is the real one; nothing here writes to the database.
 */

export interface QueueDriveOptions {
  redisUrl: string;
  /** BullMQ prefix (LANTERN_QUEUE_PREFIX). */
  prefix: string;
  /** Events per batch job (default 4,000; the worker stores each batch in one transaction, and large batches store fastest). */
  batchSize?: number;
  /** Wait until the worker has stored every batch (default true). */
  waitForIngestion?: boolean;
  /** How long to wait for the worker (default 10 minutes). */
  timeoutMs?: number;
  onProgress?: (done: number, total: number, phase: "queue" | "ingest") => void;
}

export interface QueueDriveResult {
  events: number;
  batches: number;
  /** Batches the worker failed to store (see its log). */
  failed: number;
  ms: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function batchesOf(events: readonly LanternEvent[], run: string, batchSize: number): EventBatchJob[] {
  const jobs: EventBatchJob[] = [];
  for (let i = 0; i < events.length; i += batchSize) {
    jobs.push({ batchId: `${run}-b${jobs.length}`, producer: "simulator", events: events.slice(i, i + batchSize) });
  }
  return jobs;
}

export async function driveQueue(world: World, target: Target, options: QueueDriveOptions): Promise<QueueDriveResult> {
  const started = Date.now();
  const batchSize = Math.min(5000, Math.max(1, options.batchSize ?? 4000));
  const events = worldEvents(world.actions, target);
  // Checked here so that a bad world fails loudly at once, not as rejected events in the worker's log.
  for (const e of events) {
    const checked = lanternEvent.safeParse(e);
    if (!checked.success) throw new Error(`the simulator made an invalid ${e.type} event ${e.id}: ${checked.error.message}`);
  }
  const jobs = batchesOf(events, target.run, batchSize);

  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: 3, connectTimeout: 5000 });
  connection.on("error", () => {}); // reported by the failing command
  const queue = new Queue<EventBatchJob>(EVENTS_QUEUE, { connection, prefix: options.prefix });
  queue.on("error", () => {});
  let failed = 0;
  try {
    let queued = 0;
    for (let i = 0; i < jobs.length; i += 5) {
      const slice = jobs.slice(i, i + 5);
      await queue.addBulk(slice.map((job) => ({ name: "batch", data: job, opts: { ...defaultJobOptions, jobId: job.batchId } })));
      queued += slice.reduce((s, j) => s + j.events.length, 0);
      options.onProgress?.(queued, events.length, "queue");
    }
    if (options.waitForIngestion !== false) {
      const ids = new Set(jobs.map((j) => j.batchId));
      const deadline = Date.now() + (options.timeoutMs ?? 600_000);
      const sizes = new Map(jobs.map((j) => [j.batchId, j.events.length]));
      const done = new Set<string>();
      while (done.size < ids.size) {
        if (Date.now() > deadline) throw new Error(`the worker stored ${done.size} of ${ids.size} batches in time: is it running on prefix "${options.prefix}"?`);
        for (const id of ids) {
          if (done.has(id)) continue;
          const state = await queue.getJobState(id);
          // "unknown": completed and already removed (the queue keeps the last 1,000 completed jobs).
          if (state === "completed" || state === "failed" || state === "unknown") {
            done.add(id);
            if (state === "failed") failed++;
          } else break; // batches are consumed roughly in order: look again later
        }
        const stored = [...done].reduce((s, id) => s + (sizes.get(id) ?? 0), 0);
        options.onProgress?.(stored, events.length, "ingest");
        if (done.size < ids.size) await sleep(250);
      }
    }
  } finally {
    await queue.close().catch(() => {});
    connection.disconnect();
  }
  return { events: events.length, batches: jobs.length, failed, ms: Date.now() - started };
}
