import { randomBytes, randomUUID } from "node:crypto";
import { createDb, type Db, schema } from "@lantern/db";
import { createTestDb, type TestDb } from "@lantern/db/testing";
import { workerConnection } from "@lantern/queue";
import type { Redis } from "ioredis";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acquireLock, reconcileLockKey, withLock } from "../src/reconcile/lock.ts";
import { enqueueReconcile, getReconcileJob, type ReconcileWorker, startReconcileWorker } from "../src/reconcile/worker.ts";

/** The reconcile queue against real Redis (a fresh prefix per test) and a temporary libSQL file. */

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const silent = pino({ level: "silent" });

async function until<T>(check: () => Promise<T | undefined | false>, ms = 30_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let t: TestDb;
let prefix: string;
const connections: Redis[] = [];
const workers: ReconcileWorker[] = [];
const dbs: Db[] = [];

beforeEach(async () => {
  t = await createTestDb();
  prefix = `t-${randomUUID().slice(0, 8)}`;
});

afterEach(async () => {
  for (const w of workers.splice(0)) await w.close();
  const redis = connections[0];
  if (redis) {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== "0");
  }
  for (const c of connections.splice(0)) await c.quit();
  for (const d of dbs.splice(0)) d.$client.close();
  await t.cleanup();
});

function start(db: Db = t.db, opts: { debounceMs?: number; retryLockedMs?: number } = {}): ReconcileWorker {
  const connection = workerConnection(REDIS_URL);
  connections.push(connection);
  // No schedule firing during a test: the tests ask for runs themselves.
  const w = startReconcileWorker({ db, connection, prefix, everyMs: 0, fullPattern: "", debounceMs: opts.debounceMs ?? 200, retryLockedMs: opts.retryLockedMs ?? 100, log: silent });
  workers.push(w);
  return w;
}

async function seed(n: number) {
  const rows = Array.from({ length: n }, (_, i) => ({
    id: `c${i}`,
    ts: 1_700_000_000_000 + i * 60_000,
    receivedAt: 1_700_000_000_000 + i * 60_000,
    type: "purchase",
    value: 10,
    respondentHash: `h${i % 50}`,
    origin: "api",
  }));
  for (let i = 0; i < rows.length; i += 500) await t.db.insert(schema.conversions).values(rows.slice(i, i + 500));
}

describe("reconcile worker", () => {
  it("an on-demand run returns a job id whose state ends completed with the run's result", async () => {
    await seed(20);
    const w = start();
    await w.ready;
    const id = await enqueueReconcile(w.queue, "manual");
    expect(id).toMatch(/^manual-[A-Za-z0-9_-]+$/);
    const done = await until(async () => {
      const s = await getReconcileJob(w.queue, id);
      return s?.state === "completed" ? s : undefined;
    }, 30_000, "the run to complete");
    expect(done.result).toMatchObject({ mode: "full", conversions: 20 });
    expect(done.data).toEqual({ mode: "incremental", reason: "manual" });
    expect(await t.db.$count(schema.conversionAttribution)).toBe(20);
    expect(await getReconcileJob(w.queue, "no-such-job")).toBeNull();
  });

  it("runs requested in a burst after ingestion collapse into one run", async () => {
    await seed(5);
    const w = start(t.db, { debounceMs: 500 });
    await w.ready;
    const ids = await Promise.all(Array.from({ length: 10 }, () => w.requestRun("ingest")));
    expect(new Set(ids).size).toBe(1);
    await until(async () => (await w.queue.getJobCounts("completed")).completed === 1, 30_000, "one completed run");
    const counts = await w.queue.getJobCounts("completed", "waiting", "delayed", "active");
    expect(counts).toEqual({ completed: 1, waiting: 0, delayed: 0, active: 0 });
    // After it finished, a new request makes a new run.
    const next = await w.requestRun("ingest");
    expect(next).not.toBe(ids[0]);
    await until(async () => (await w.queue.getJobCounts("completed")).completed === 2, 30_000, "a second run");
  });

  it("two workers never reconcile at the same time", async () => {
    await seed(1000);
    // Two "processes": separate Redis connections and separate database clients on the same file.
    const other = await createDb(t.url);
    dbs.push(other);
    const a = start(t.db);
    const b = start(other);
    await Promise.all([a.ready, b.ready]);
    const ids = await Promise.all(Array.from({ length: 4 }, (_, i) => enqueueReconcile(i % 2 ? a.queue : b.queue, "manual", "full")));
    const jobs = await until(async () => {
      const states = await Promise.all(ids.map((id) => getReconcileJob(a.queue, id)));
      return states.every((s) => s?.state === "completed") ? states.map((s) => s!) : undefined;
    }, 120_000, "four runs");
    const spans = jobs.map((j) => [j.startedAt!, j.finishedAt!] as const).sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
    expect(await t.db.$count(schema.conversionAttribution)).toBe(1000);
  });

  it("a run that finds the lock held by another run waits, then runs once it is released", async () => {
    await seed(5);
    const w = start(t.db, { retryLockedMs: 100 });
    await w.ready;
    const redis = connections[0]!;
    const key = reconcileLockKey(prefix);
    await redis.set(key, `someone-else-${randomBytes(4).toString("hex")}`, "PX", 60_000);
    const id = await enqueueReconcile(w.queue, "manual");
    await until(async () => (await getReconcileJob(w.queue, id))?.state === "delayed", 30_000, "the job to back off");
    expect(await t.db.$count(schema.conversionAttribution)).toBe(0);
    await redis.del(key);
    await until(async () => (await getReconcileJob(w.queue, id))?.state === "completed", 30_000, "the job to run");
    expect(await t.db.$count(schema.conversionAttribution)).toBe(5);
  });

  it("the lock admits one holder at a time and only the holder releases it", async () => {
    const redis = workerConnection(REDIS_URL);
    connections.push(redis);
    const key = reconcileLockKey(prefix);
    const inner = await withLock(redis, key, async () => withLock(redis, key, async () => "second"));
    expect(inner).toEqual({ value: null });
    expect(await redis.exists(key)).toBe(0);
    // A holder whose lock expired and was taken by someone else does not release the new holder's lock.
    const stale = (await acquireLock(redis, key, 60_000))!;
    await redis.set(key, "new-holder");
    await stale.release();
    expect(await redis.get(key)).toBe("new-holder");
  });

  it("the schedule is one incremental and one nightly full run, however many workers upsert it", async () => {
    const make = () => {
      const connection = workerConnection(REDIS_URL);
      connections.push(connection);
      const w = startReconcileWorker({ db: t.db, connection, prefix, everyMs: 3_600_000, log: silent });
      workers.push(w);
      return w;
    };
    const [a, b] = [make(), make()];
    await Promise.all([a.ready, b.ready]);
    const schedulers = await a.queue.getJobSchedulers();
    expect(schedulers.map((s) => s.key).sort()).toEqual(["reconcile-every", "reconcile-nightly-full"]);
    expect(schedulers.find((s) => s.key === "reconcile-nightly-full")?.pattern).toBe("17 3 * * *");
  });
});
