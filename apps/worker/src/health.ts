import type { Queue } from "bullmq";
import type { Redis } from "ioredis";

/** Counters kept by main.ts from the ingest worker's results. */
export interface IngestStats {
  batches: number;
  events: number;
  rejected: number;
  lastBatchAt: number | null;
}

export const newIngestStats = (): IngestStats => ({ batches: 0, events: 0, rejected: 0, lastBatchAt: null });

export interface HealthReport {
  ok: boolean;
  redis: { status: string; ok: boolean };
  queues: Record<string, Record<string, number> | null>;
  ingest: IngestStats;
  uptimeMs: number;
}

export interface HealthDeps {
  /** A fail-fast connection (producerConnection) so a dead Redis answers "down" instead of hanging. */
  redis: Redis;
  queues: Record<string, Queue>;
  stats: IngestStats;
  startedAt: number;
  now?: () => number;
  timeoutMs?: number;
}

function within<T>(ms: number, p: Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** Whether Redis answers a PING within `ms`. A fail-fast connection refuses commands until it is connected, so a starting one gets a moment. */
async function redisAnswers(redis: Redis, ms: number): Promise<boolean> {
  if (redis.status !== "ready") {
    const ready = await new Promise<boolean>((resolve) => {
      const onReady = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        redis.off("ready", onReady);
        resolve(false);
      }, ms);
      redis.once("ready", onReady);
    });
    if (!ready) return false;
  }
  return within(ms, redis.ping()).then(
    (r) => r === "PONG",
    () => false,
  );
}

/** Reads Redis state and queue counts, each bounded by a timeout: a health check must answer. */
export async function readHealth(deps: HealthDeps): Promise<HealthReport> {
  const now = deps.now ?? Date.now;
  const timeoutMs = deps.timeoutMs ?? 1500;
  const redisOk = await redisAnswers(deps.redis, timeoutMs);
  const queues: HealthReport["queues"] = {};
  for (const [name, queue] of Object.entries(deps.queues)) {
    queues[name] = redisOk
      ? await within(timeoutMs, queue.getJobCounts("waiting", "active", "delayed", "prioritized", "completed", "failed")).catch(() => null)
      : null;
  }
  return {
    ok: redisOk,
    redis: { status: deps.redis.status, ok: redisOk },
    queues,
    ingest: { ...deps.stats },
    uptimeMs: now() - deps.startedAt,
  };
}
