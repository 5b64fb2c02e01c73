import { z } from "zod";
import type { PackedEvents } from "./batch-codec.ts";
import { lanternEvent } from "./events.ts";

/** Queue of raw event batches: one job per batch, job id = batch id (no ':' allowed by BullMQ). */
export const EVENTS_QUEUE = "lantern-events";
export const eventBatchJob = z.object({
  batchId: z.string().regex(/^[A-Za-z0-9_-]{8,80}$/),
  producer: z.string().max(64),
  events: z.array(lanternEvent).min(1).max(5000),
});
export type EventBatchJob = z.infer<typeof eventBatchJob>;
/**
 * The same batch with its link hits packed over a string table (batch-codec.ts): what the event buffer
 * sends. The worker reads both forms; `strings` tells them apart.
 */
export type PackedEventBatchJob = Omit<EventBatchJob, "events"> & PackedEvents;

/** Reconciliation: incremental by default; single-flight across workers. */
export const RECONCILE_QUEUE = "lantern-reconcile";
export const reconcileJob = z.object({
  mode: z.enum(["incremental", "full"]).default("incremental"),
  reason: z.enum(["schedule", "ingest", "manual"]).default("manual"),
});
export type ReconcileJob = z.infer<typeof reconcileJob>;

/** Deletion of raw events older than the retention setting: daily, single-flight with reconciliation. */
export const PRUNE_QUEUE = "lantern-prune";

export const JOB_MAP = {
  [EVENTS_QUEUE]: { batch: eventBatchJob },
  [RECONCILE_QUEUE]: { reconcile: reconcileJob },
} as const;

/** Redis pub/sub channel on which link changes are announced so every links instance drops its cached copy. */
export const LINK_INVALIDATION_CHANNEL = "lantern:links:changed";

/** Default retry policy for jobs: exponential back-off, kept for inspection when they fail. */
export const defaultJobOptions = {
  attempts: 8,
  backoff: { type: "exponential" as const, delay: 1000 },
  removeOnComplete: { count: 1000, age: 24 * 3600 },
  removeOnFail: { count: 5000 },
};
