import { spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { createEventBuffer, type EventBuffer } from "../src/event-buffer.ts";
import type { LinkHitEvent } from "../src/events.ts";
import { eventsOfBatch } from "../src/batch-codec.ts";
import { EVENTS_QUEUE, type EventBatchJob, type PackedEventBatchJob } from "../src/queues.ts";
import { RedisServer, waitFor } from "../src/testing/redis-server.ts";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const DEAD_URL = "redis://127.0.0.1:1";

let seq = 0;
function hit(): LinkHitEvent {
  seq += 1;
  return {
    id: `ev${String(seq).padStart(8, "0")}${randomBytes(3).toString("hex")}`,
    ts: Date.now(),
    type: "link.hit",
    linkId: "link1",
    slug: "abc",
    served: "redirect",
    userAgent: "Mozilla/5.0",
    referer: null,
    query: {},
    visitorHash: null,
    country: null,
    dnt: false,
  };
}

// Everything a test opens is closed after it, whatever happened.
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), "lantern-spool-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function openQueue(redisUrl: string, prefix: string) {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue<EventBatchJob | PackedEventBatchJob>(EVENTS_QUEUE, { connection, prefix });
  cleanups.push(async () => {
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
    connection.disconnect();
  });
  return queue;
}

async function buffer(options: Partial<Parameters<typeof createEventBuffer>[0]> & { spoolDir: string; prefix: string }): Promise<EventBuffer> {
  const b = createEventBuffer({ redisUrl: REDIS_URL, producer: "test", replayIntervalMs: 100, ...options });
  cleanups.push(() => b.close());
  expect(await b.whenReady(10_000)).toBe(true);
  return b;
}

/** The jobs nobody consumes yet, oldest first. */
async function queuedJobs(queue: Queue<EventBatchJob | PackedEventBatchJob>) {
  return queue.getJobs(["waiting"], 0, -1, true);
}

/** Every event id in the queue, with how many times it occurs. */
async function eventIdsIn(queue: Queue<EventBatchJob | PackedEventBatchJob>) {
  const counts = new Map<string, number>();
  for (const job of await queuedJobs(queue)) for (const e of eventsOfBatch(job.data)) counts.set(e.id, (counts.get(e.id) ?? 0) + 1);
  return counts;
}

function expectExactlyOnce(counts: Map<string, number>, sent: string[]) {
  expect([...counts.values()].filter((n) => n > 1)).toEqual([]);
  expect([...counts.keys()].sort()).toEqual([...sent].sort());
}

const prefix = () => `t-${randomUUID().slice(0, 8)}`;

describe("event buffer with Redis up", () => {
  it("sends one BullMQ job per batch of at most maxBatch events, with the batch id as job id", async () => {
    const p = prefix();
    const queue = openQueue(REDIS_URL, p);
    const b = await buffer({ prefix: p, spoolDir: tempDir(), maxBatch: 500 });
    const events = Array.from({ length: 1200 }, hit);
    for (const e of events) b.push(e);
    await b.flush();
    const jobs = await queuedJobs(queue);
    expect(jobs.map((j) => j.data.events.length).sort((x, y) => y - x)).toEqual([500, 500, 200]);
    for (const job of jobs) {
      expect(job.name).toBe("batch");
      expect(job.id).toBe(job.data.batchId);
      expect(job.data.producer).toBe("test");
      expect(job.opts.attempts).toBe(8);
    }
    expectExactlyOnce(await eventIdsIn(queue), events.map((e) => e.id));
    // Sent packed, and unpacked they are the events pushed, field for field.
    for (const job of jobs) expect(job.data).toHaveProperty("strings");
    const byId = (x: { id: string }, y: { id: string }) => x.id.localeCompare(y.id);
    expect(jobs.flatMap((j) => eventsOfBatch(j.data)).sort(byId)).toEqual([...events].sort(byId));
    expect(b.stats()).toMatchObject({ mode: "direct", sentBatches: 3, sentEvents: 1200, spooledBatches: 0 });
  });

  it("sends a partial batch on its own after maxDelayMs", async () => {
    const p = prefix();
    const queue = openQueue(REDIS_URL, p);
    const b = await buffer({ prefix: p, spoolDir: tempDir(), maxDelayMs: 50 });
    const events = [hit(), hit(), hit()];
    for (const e of events) b.push(e);
    expect(b.stats().pending).toBe(3);
    await waitFor("the timed flush", async () => (await queue.count()) === 1);
    expectExactlyOnce(await eventIdsIn(queue), events.map((e) => e.id));
  });

  it("a steady stream goes out in full batches, not cut into small jobs by each round trip to Redis", async () => {
    const p = prefix();
    const queue = openQueue(REDIS_URL, p);
    const b = await buffer({ prefix: p, spoolDir: tempDir(), maxBatch: 500, maxDelayMs: 60_000 });
    const events = Array.from({ length: 3010 }, hit);
    // 10 events per turn of the event loop, as requests arrive while batches are on their way.
    for (let i = 0; i < events.length; i += 10) {
      for (const e of events.slice(i, i + 10)) b.push(e);
      await new Promise((r) => setImmediate(r));
    }
    await waitFor("six full batches", async () => (await queue.count()) >= 6);
    expect((await queuedJobs(queue)).map((j) => j.data.events.length)).toEqual([500, 500, 500, 500, 500, 500]);
    expect(b.stats().pending).toBe(10);
    await b.flush(); // the remainder goes when flushed (or when maxDelayMs is up)
    expect((await queuedJobs(queue)).map((j) => j.data.events.length).sort((x, y) => x - y)).toEqual([10, 500, 500, 500, 500, 500, 500]);
    expectExactlyOnce(await eventIdsIn(queue), events.map((e) => e.id));
  });

  it("close() sends what is still in memory", async () => {
    const p = prefix();
    const queue = openQueue(REDIS_URL, p);
    const b = await buffer({ prefix: p, spoolDir: tempDir(), maxDelayMs: 60_000 });
    const events = Array.from({ length: 42 }, hit);
    for (const e of events) b.push(e);
    await b.close();
    expectExactlyOnce(await eventIdsIn(queue), events.map((e) => e.id));
  });
});

describe("event buffer with Redis away", () => {
  it("spools batches to disk on a dead port, and another buffer on the same folder replays them once, in order", async () => {
    const p = prefix();
    const dir = tempDir();
    const queue = openQueue(REDIS_URL, p);
    const dead = createEventBuffer({ redisUrl: DEAD_URL, prefix: p, producer: "test", spoolDir: dir, maxBatch: 100 });
    cleanups.push(() => dead.close());
    const events = Array.from({ length: 350 }, hit);
    for (const e of events) dead.push(e);
    await dead.flush();
    expect(dead.stats()).toMatchObject({ mode: "spool", sentBatches: 0, spooledBatches: 4, spooledEvents: 350 });
    expect(readdirSync(dir).filter((f) => f.endsWith(".live.jsonl"))).toHaveLength(1);
    await dead.close();

    const live = await buffer({ prefix: p, spoolDir: dir });
    await waitFor("the replay", () => live.stats().mode === "direct" && live.stats().replayedBatches === 4);
    const jobs = await queuedJobs(queue);
    expect(jobs.flatMap((j) => eventsOfBatch(j.data).map((e) => e.id))).toEqual(events.map((e) => e.id));
    expect(readdirSync(dir)).toEqual([]);
  });

  it("keeps memory bounded: past maxBuffered, push() spills to disk by itself", async () => {
    const p = prefix();
    const b = createEventBuffer({ redisUrl: DEAD_URL, prefix: p, producer: "test", spoolDir: tempDir(), maxBatch: 100, maxBuffered: 1000 });
    cleanups.push(() => b.close());
    for (let i = 0; i < 2500; i++) b.push(hit());
    const s = b.stats();
    expect(s.pending).toBeLessThan(1000);
    expect(s.spooledEvents + s.pending).toBe(2500);
    expect(s.spool.bytes).toBeGreaterThan(0);
  });

  it("a Redis that crashes mid-stream and comes back gets every event exactly once", async () => {
    const redis = await RedisServer.start();
    cleanups.push(() => redis.stop());
    const p = prefix();
    const b = createEventBuffer({ redisUrl: redis.url, prefix: p, producer: "test", spoolDir: tempDir(), maxBatch: 50, maxDelayMs: 20, replayIntervalMs: 100 });
    cleanups.push(() => b.close());
    expect(await b.whenReady(10_000)).toBe(true);
    const sent: string[] = [];
    const pushSome = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const e = hit();
        sent.push(e.id);
        b.push(e);
        if (i % 25 === 0) await new Promise((r) => setTimeout(r, 5));
      }
    };
    await pushSome(500);
    await redis.kill();
    await pushSome(500);
    await b.flush();
    expect(b.stats().mode).toBe("spool");
    expect(b.stats().spooledEvents).toBeGreaterThan(0);
    await redis.up();
    await pushSome(500);
    await b.flush();
    await waitFor("the backlog to drain", () => b.stats().mode === "direct" && b.stats().spool.bytes === 0);
    await b.flush();
    const queue = openQueue(redis.url, p);
    expectExactlyOnce(await eventIdsIn(queue), sent);
  });

  it("a batch re-sent after a crash between 'added' and 'spool truncated' is not queued twice", async () => {
    const p = prefix();
    const dir = tempDir();
    const queue = openQueue(REDIS_URL, p);
    const job: EventBatchJob = { batchId: randomBytes(12).toString("base64url"), producer: "test", events: [hit(), hit()] };
    await queue.add("batch", job, { jobId: job.batchId });
    // The spool file of a process that died after the add but before it could record the batch as sent.
    const deadPid = spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { encoding: "utf8" }).stdout.trim();
    const host = hostname().replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64);
    const other: EventBatchJob = { batchId: randomBytes(12).toString("base64url"), producer: "test", events: [hit()] };
    writeFileSync(join(dir, `test.${host}.${deadPid}.deadbeef.live.jsonl`), `${JSON.stringify(job)}\n${JSON.stringify(other)}\n`);
    const b = await buffer({ prefix: p, spoolDir: dir });
    await waitFor("the orphan replay", () => b.stats().replayedBatches === 2 && b.stats().mode === "direct");
    expect(await queue.count()).toBe(2);
    expectExactlyOnce(await eventIdsIn(queue), [...job.events, ...other.events].map((e) => e.id));
  });

  it("leaves the spool files of a live process alone", async () => {
    const p = prefix();
    const dir = tempDir();
    const host = hostname().replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64);
    const job: EventBatchJob = { batchId: randomBytes(12).toString("base64url"), producer: "test", events: [hit()] };
    // process.ppid is alive for as long as this test runs.
    const name = `test.${host}.${process.ppid}.cafe.live.jsonl`;
    writeFileSync(join(dir, name), `${JSON.stringify(job)}\n`);
    const queue = openQueue(REDIS_URL, p);
    const b = await buffer({ prefix: p, spoolDir: dir });
    b.push(hit());
    await b.flush();
    expect(b.stats()).toMatchObject({ mode: "direct", replayedBatches: 0 });
    expect(existsSync(join(dir, name))).toBe(true);
    expect(await queue.count()).toBe(1);
  });

  it("drops a torn last line (a write the dead process never finished) and replays the whole lines before it", async () => {
    const p = prefix();
    const dir = tempDir();
    const deadPid = spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { encoding: "utf8" }).stdout.trim();
    const host = hostname().replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64);
    const job: EventBatchJob = { batchId: randomBytes(12).toString("base64url"), producer: "test", events: [hit()] };
    writeFileSync(join(dir, `test.${host}.${deadPid}.f00d.live.jsonl`), `${JSON.stringify(job)}\n{"batchId":"torn`);
    const queue = openQueue(REDIS_URL, p);
    const b = await buffer({ prefix: p, spoolDir: dir });
    await waitFor("the orphan replay", () => b.stats().replayedBatches === 1 && b.stats().mode === "direct");
    expectExactlyOnce(await eventIdsIn(queue), job.events.map((e) => e.id));
    expect(readdirSync(dir)).toEqual([]);
  });
});
