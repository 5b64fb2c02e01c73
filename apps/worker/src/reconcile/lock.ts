import { randomBytes } from "node:crypto";
import { DelayedError, type Job, type Processor, Worker } from "bullmq";
import type { Redis } from "ioredis";

const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;

/** Held by every reconciliation and every prune of raw events (apps/worker/src/prune): never two of them at once. */
export const reconcileLockKey = (prefix: string) => `${prefix}:reconcile:lock`;

export interface HeldLock {
  /** False once the lock expired under us (a pause longer than its time to live). */
  held(): boolean;
  release(): Promise<void>;
}

/**
 * A Redis lock (SET NX PX with a random token, kept alive while held, released only by its owner):
 * one reconciliation at a time across every worker process, whatever started it. Returns null when
 * someone else holds it.
 */
export async function acquireLock(redis: Redis, key: string, ttlMs = 60_000): Promise<HeldLock | null> {
  const token = randomBytes(12).toString("base64url");
  const ok = await redis.set(key, token, "PX", ttlMs, "NX");
  if (ok !== "OK") return null;
  let held = true;
  const timer = setInterval(
    () => {
      redis.eval(EXTEND, 1, key, token, String(ttlMs)).then(
        (n) => {
          if (Number(n) !== 1) held = false;
        },
        () => undefined, // Redis away for a moment: the next tick tries again
      );
    },
    Math.max(1_000, Math.floor(ttlMs / 3)),
  );
  timer.unref();
  return {
    held: () => held,
    async release() {
      clearInterval(timer);
      held = false;
      await redis.eval(RELEASE, 1, key, token);
    },
  };
}

/** Runs `fn` under the lock, or returns null at once when another run holds it. */
export async function withLock<T>(redis: Redis, key: string, fn: () => Promise<T>, ttlMs?: number): Promise<{ value: T } | null> {
  const lock = await acquireLock(redis, key, ttlMs);
  if (!lock) return null;
  try {
    return { value: await fn() };
  } finally {
    await lock.release();
  }
}

/**
 * A BullMQ job's work under the lock. When someone else holds it, the job goes back to "delayed" and
 * tries again after `retryMs` (it never runs beside the other).
 */
export async function runLockedJob<T>(
  job: Job,
  token: string | undefined,
  lock: { redis: Redis; key: string; retryMs: number; log?: { debug?: (obj: object, msg?: string) => void } },
  fn: () => Promise<T>,
): Promise<T> {
  const ran = await withLock(lock.redis, lock.key, fn);
  if (ran !== null) return ran.value;
  lock.log?.debug?.({ jobId: job.id, queue: job.queueName }, "the lock is held by another run; retrying later");
  await job.moveToDelayed(Date.now() + lock.retryMs, token);
  throw new DelayedError();
}

/**
 * The BullMQ worker of a single-flight job (reconcile, prune): one job at a time in this process, a job
 * lock long enough for a run of minutes (BullMQ renews it every lockDuration / 2), failures logged.
 */
export function singleFlightWorker<T>(
  queueName: string,
  processor: Processor<unknown, T>,
  o: { connection: Redis; prefix: string; what: string; log: { error: (obj: object, msg?: string) => void } },
): Worker<unknown, T> {
  const worker = new Worker<unknown, T>(queueName, processor, { connection: o.connection, prefix: o.prefix, concurrency: 1, lockDuration: 120_000, maxStalledCount: 2 });
  worker.on("error", (err) => o.log.error({ err }, `${o.what} worker error`));
  worker.on("failed", (job, err) => o.log.error({ err, jobId: job?.id, attemptsMade: job?.attemptsMade }, `${o.what} failed`));
  return worker;
}
