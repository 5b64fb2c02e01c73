import { randomBytes } from "node:crypto";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { packEvents } from "./batch-codec.ts";
import { producerConnection } from "./connection.ts";
import type { LanternEvent } from "./events.ts";
import { defaultJobOptions, EVENTS_QUEUE, type EventBatchJob, type PackedEventBatchJob } from "./queues.ts";
import { createSpool, type SpoolStats } from "./spool.ts";

/**
 * The in-memory event buffer of the public services. `push()` is synchronous and never touches the
 * network: request handlers hand their event over and answer. Events leave in batches (one BullMQ job
 * per batch, job id = batch id) when `maxBatch` events are waiting or `maxDelayMs` after the first.
 * Batches travel packed (batch-codec.ts): link hits as tuples over a per-batch string table.
 *
 * When Redis is unreachable, batches are appended to a spool file (fsync'd) instead, and a replay loop
 * re-sends them, oldest first, once Redis answers again. While the spool holds anything, new batches go
 * to the spool too, so batches reach the queue in the order they were made. Exactly once: a batch sent
 * twice (after a crash between "added" and "recorded as sent", or after a timed-out add that did land)
 * carries the same job id, which BullMQ refuses to add twice; and the worker stores events by event id.
 */

export interface BufferLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface EventBufferOptions {
  redisUrl: string;
  /** BullMQ prefix (LANTERN_QUEUE_PREFIX). */
  prefix: string;
  /** Who makes the events ("links", "surveys"); recorded in each batch and in spool file names. */
  producer: string;
  /** Folder of the spool files; may be shared by several processes. */
  spoolDir: string;
  maxBatch?: number;
  maxDelayMs?: number;
  /** Events held in memory before they are spilled to disk regardless (Redis slow or away). */
  maxBuffered?: number;
  /** How long one add may take before the batch is spooled instead. */
  sendTimeoutMs?: number;
  /** How often the replay loop looks at the spool while it holds anything. */
  replayIntervalMs?: number;
  /** How often the spool folder is scanned for files of dead processes. */
  orphanScanMs?: number;
  orphanAfterMs?: number;
  log?: BufferLog;
}

export interface EventBufferStats {
  /** "direct": batches go straight to Redis; "spool": they go to disk until the backlog is replayed. */
  mode: "direct" | "spool";
  redis: string;
  pending: number;
  sentBatches: number;
  sentEvents: number;
  spooledBatches: number;
  spooledEvents: number;
  replayedBatches: number;
  spool: SpoolStats;
  lastError: string | null;
}

export interface EventBuffer {
  push(event: LanternEvent): void;
  /**
   * Resolves true once the producer connection is up, false after `timeoutMs`. Services await it at
   * start-up (bounded) so their first events are not spooled just because the connection was still opening.
   */
  whenReady(timeoutMs?: number): Promise<boolean>;
  /** Sends (or spools) everything pushed so far; rejects when that failed (the spool could not be written). */
  flush(): Promise<void>;
  /** Flushes, then lets go of Redis. Events pushed afterwards go straight to the spool. */
  close(): Promise<void>;
  stats(): EventBufferStats;
}

const silent: BufferLog = { info() {}, warn() {}, error() {} };

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Spool files written before batches were packed hold plain batches: replay sends those as they are. */
type Batch = PackedEventBatchJob | EventBatchJob;

const newBatchId = () => randomBytes(12).toString("base64url");

export function createEventBuffer(options: EventBufferOptions): EventBuffer {
  const maxBatch = options.maxBatch ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 200;
  const maxBuffered = options.maxBuffered ?? Math.max(maxBatch * 20, 10_000);
  const sendTimeoutMs = options.sendTimeoutMs ?? 5000;
  const replayIntervalMs = options.replayIntervalMs ?? 1000;
  const orphanScanMs = options.orphanScanMs ?? 30_000;
  const log = options.log ?? silent;
  const producer = options.producer.slice(0, 64);

  const connection: Redis = producerConnection(options.redisUrl, { commandTimeout: sendTimeoutMs });
  const queue = new Queue<Batch>(EVENTS_QUEUE, { connection, prefix: options.prefix, defaultJobOptions });
  const spool = createSpool({
    dir: options.spoolDir,
    producer,
    orphanAfterMs: options.orphanAfterMs,
    onWarning: (message, data) => log.warn({ ...data }, message),
  });

  let pending: LanternEvent[] = [];
  let timer: NodeJS.Timeout | null = null;
  let immediate: NodeJS.Immediate | null = null;
  let closed = false;
  let spoolMode = false;
  let replayQueued = false;
  let lastOrphanScan = 0;
  let lastError: string | null = null;
  let lastErrorLoggedAt = 0;
  const counters = { sentBatches: 0, sentEvents: 0, spooledBatches: 0, spooledEvents: 0, replayedBatches: 0 };

  /** Every send, spill and replay runs in this one chain, so the spool has a single writer and order holds. */
  let chain: Promise<void> = Promise.resolve();
  const serial = (task: () => Promise<void> | void): Promise<void> => {
    chain = chain.then(task).catch((err: unknown) => log.error({ err }, "event buffer task failed"));
    return chain;
  };

  const noteError = (err: unknown) => {
    lastError = err instanceof Error ? err.message : String(err);
    // Redis being away produces one error per attempt: log it now and then, not every time.
    if (Date.now() - lastErrorLoggedAt > 10_000) {
      lastErrorLoggedAt = Date.now();
      log.warn({ err: lastError }, "Redis unreachable: event batches go to the spool file");
    }
  };
  connection.on("error", noteError);
  queue.on("error", noteError);

  const redisReady = () => connection.status === "ready";

  const toSpool = (job: Batch) => {
    spool.append(JSON.stringify(job));
    spoolMode = true;
    counters.spooledBatches += 1;
    counters.spooledEvents += job.events.length;
  };

  const makeJob = (events: LanternEvent[]): PackedEventBatchJob => ({ batchId: newBatchId(), producer, ...packEvents(events) });

  const deliver = async (events: LanternEvent[]) => {
    const job = makeJob(events);
    if (spoolMode || !redisReady()) return toSpool(job);
    try {
      await withTimeout(queue.add("batch", job, { jobId: job.batchId }), sendTimeoutMs);
      counters.sentBatches += 1;
      counters.sentEvents += events.length;
    } catch (err) {
      noteError(err);
      toSpool(job);
    }
  };

  /** The oldest `n` pending events, removed from the buffer. */
  const take = (n: number): LanternEvent[] => {
    if (pending.length <= n) {
      const all = pending;
      pending = [];
      return all;
    }
    return pending.splice(0, n);
  };

  /**
   * Sends full batches only. Events keep arriving while a batch is on its way to Redis; sending whatever
   * is pending after each round trip would cut a busy stream into many small jobs (measured: ~55 events
   * per job at 55k redirects/s with maxBatch 500), and BullMQ's cost per job, paid on the redirect's
   * CPU, with them. A remainder waits for a full batch or the timer, which bounds every event's wait.
   */
  const sendFullBatches = async () => {
    while (pending.length >= maxBatch) await deliver(take(maxBatch));
  };

  /** Sends what is pending when it starts, the last batch possibly partial (timer, flush, close). */
  const drain = async () => {
    let left = pending.length;
    while (left > 0 && pending.length > 0) {
      const events = take(Math.min(left, maxBatch));
      left -= events.length;
      await deliver(events);
    }
  };

  /** Sends spooled batches, oldest first, for at most ~250 ms per turn so fresh flushes are not held up. */
  const replay = async () => {
    replayQueued = false;
    if (!redisReady()) return;
    const now = Date.now();
    if (now - lastOrphanScan >= orphanScanMs) {
      lastOrphanScan = now;
      if (spool.claimOrphans() > 0) spoolMode = true;
    }
    if (!spoolMode) return;
    const started = Date.now();
    while (Date.now() - started < 250) {
      const chunk = spool.next();
      if (!chunk) {
        spoolMode = false; // backlog gone: in-order delivery no longer needs the detour
        log.info({}, "spool replayed: event batches go straight to Redis again");
        return;
      }
      const jobs: Batch[] = [];
      for (const line of chunk.lines) {
        try {
          const job = JSON.parse(line) as Batch;
          if (typeof job.batchId === "string" && Array.isArray(job.events)) jobs.push(job);
        } catch {
          log.warn({ file: chunk.file }, "skipping an unreadable spool line");
        }
      }
      try {
        for (let i = 0; i < jobs.length; i += 20) {
          const slice = jobs.slice(i, i + 20);
          await withTimeout(queue.addBulk(slice.map((job) => ({ name: "batch", data: job, opts: { jobId: job.batchId } }))), sendTimeoutMs);
          for (const job of slice) {
            counters.replayedBatches += 1;
            counters.sentEvents += job.events.length;
          }
        }
      } catch (err) {
        // The chunk is not committed: its batches are sent again next time and deduplicated by job id.
        noteError(err);
        return;
      }
      spool.commit(chunk);
    }
    scheduleReplay(); // more left: continue after whatever flushes are waiting
  };

  function scheduleReplay() {
    if (replayQueued || closed) return;
    replayQueued = true;
    void serial(replay);
  }

  const onDelay = () => {
    timer = null;
    void serial(drain);
  };
  const onFullBatch = () => {
    immediate = null;
    void serial(sendFullBatches);
  };

  /** Memory bound: when events pile up (Redis slow or away), write them to disk right here. */
  const spillNow = () => {
    const events = pending;
    pending = [];
    for (let i = 0; i < events.length; i += maxBatch) toSpool(makeJob(events.slice(i, i + maxBatch)));
    log.warn({ events: events.length }, "event buffer over its memory bound: spilled to the spool file");
  };

  // Heartbeats run whether or not Redis is up: a process spooling through a long outage is alive.
  const heartbeatMs = Math.min(60_000, (options.orphanAfterMs ?? 600_000) / 4);
  let lastHeartbeat = Date.now();
  const interval = setInterval(() => {
    if (Date.now() - lastHeartbeat >= heartbeatMs) {
      lastHeartbeat = Date.now();
      spool.heartbeat();
    }
    if (spoolMode || Date.now() - lastOrphanScan >= orphanScanMs) scheduleReplay();
  }, replayIntervalMs);
  interval.unref();
  connection.on("ready", () => scheduleReplay());

  // Spool files of processes that died before replaying them.
  lastOrphanScan = Date.now();
  if (spool.claimOrphans() > 0) spoolMode = true;

  return {
    push(event) {
      if (closed) {
        toSpool(makeJob([event]));
        return;
      }
      pending.push(event);
      if (pending.length >= maxBuffered) spillNow();
      else if (pending.length >= maxBatch && !immediate) immediate = setImmediate(onFullBatch);
      // Armed while anything is pending, and left alone by full-batch sends: it fires maxDelayMs after
      // the oldest event that found no timer, so no event waits much longer than that.
      if (!timer && pending.length > 0) timer = setTimeout(onDelay, maxDelayMs);
    },

    whenReady(timeoutMs = 3000) {
      if (redisReady()) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const done = (ok: boolean) => {
          clearTimeout(t);
          connection.off("ready", onReady);
          resolve(ok);
        };
        const onReady = () => done(true);
        const t = setTimeout(() => done(redisReady()), timeoutMs);
        connection.on("ready", onReady);
      });
    },

    async flush() {
      let failure: unknown = null;
      await serial(async () => {
        try {
          await drain();
        } catch (err) {
          failure = err;
          throw err;
        }
      });
      if (failure) throw failure;
    },

    async close() {
      if (closed) return;
      closed = true;
      clearInterval(interval);
      if (timer) clearTimeout(timer);
      if (immediate) clearImmediate(immediate);
      await serial(drain);
      spool.release();
      try {
        await withTimeout(queue.close(), 2000);
      } catch {
        // never connected: nothing to close gracefully
      }
      connection.disconnect();
    },

    stats() {
      return {
        mode: spoolMode ? "spool" : "direct",
        redis: connection.status,
        pending: pending.length,
        ...counters,
        spool: spool.stats(),
        lastError,
      };
    },
  };
}
