import { DAY_MS, utcDay } from "@lantern/core";
import { schema } from "@lantern/db";
import { createTestDb, type TestDb } from "@lantern/db/testing";
import { workerConnection } from "@lantern/queue";
import type { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type PruneWorker, type PruneWorkerOptions, startPruneWorker } from "../src/prune/worker.ts";
import { reconcileLockKey } from "../src/reconcile/lock.ts";
import { enqueueReconcile, getReconcileJob, type ReconcileWorker, startReconcileWorker } from "../src/reconcile/worker.ts";
import { deletePrefix, newPrefix, REDIS_URL, silent, until } from "./helpers.ts";
import { addLink, eventDay, expectedRaw, ingest, rawIds, setRetention } from "./prune-fixtures.ts";

/** The prune queue against real Redis (a fresh prefix per test) and a temporary libSQL file, on the real clock. */

let t: TestDb;
let prefix: string;
const connections: Redis[] = [];
const workers: (PruneWorker | ReconcileWorker)[] = [];

beforeEach(async () => {
  t = await createTestDb();
  prefix = newPrefix();
  await addLink(t.db);
});

afterEach(async () => {
  for (const w of workers.splice(0)) await w.close();
  if (connections[0]) await deletePrefix(connections[0], prefix);
  for (const c of connections.splice(0)) await c.quit();
  await t.cleanup();
});

function connect(): Redis {
  const connection = workerConnection(REDIS_URL);
  connections.push(connection);
  return connection;
}

function startPrune(opts: Partial<PruneWorkerOptions> = {}): PruneWorker {
  const w = startPruneWorker({ db: t.db, connection: connect(), prefix, log: silent, ...opts });
  workers.push(w);
  return w;
}

/** A day of raw events 45 days ago and one 2 days ago, with a retention of 30 days. */
async function seed() {
  const now = Date.now();
  await setRetention(t.db, 30, now);
  const old = eventDay(now - 45 * DAY_MS, "old");
  const recent = eventDay(now - 2 * DAY_MS, "recent");
  for (const day of [old, recent]) await ingest(t.db, day.events, now);
  return { old, recent };
}

describe("prune worker", () => {
  it("the schedule is one prune a day however many workers upsert it, and the run after start-up happens once", async () => {
    const { recent } = await seed();
    const [a, b] = [startPrune({ startDelayMs: 300 }), startPrune({ startDelayMs: 300 })];
    await Promise.all([a.ready, b.ready]);
    const schedulers = await a.queue.getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.every])).toEqual([["prune-every", DAY_MS]]);

    const startupRuns = async () => (await a.queue.getJobs(["completed"])).filter((j) => j.data.reason === "startup");
    const [run] = await until(async () => {
      const done = await startupRuns();
      return done.length > 0 ? done : undefined;
    }, 30_000, "the start-up run");
    expect(run!.returnvalue).toMatchObject({ retentionDays: 30 });
    expect(await rawIds(t.db)).toEqual(expectedRaw([recent]));
    // Both workers asked for it; one ran.
    expect(await startupRuns()).toHaveLength(1);
    expect(await a.queue.getJobCounts("waiting", "active", "failed")).toEqual({ waiting: 0, active: 0, failed: 0 });
  });

  it("everyMs 0 switches pruning off: the schedule is removed and nothing is left to run", async () => {
    const on = startPrune({ startDelayMs: 60_000 });
    await on.ready;
    expect(await on.queue.getJobSchedulers()).toHaveLength(1);
    await on.close();
    workers.splice(workers.indexOf(on), 1);

    const off = startPrune({ everyMs: 0 });
    await off.ready;
    expect(await off.queue.getJobSchedulers()).toEqual([]);
    expect(await off.queue.getJobCounts("waiting", "delayed", "prioritized")).toEqual({ waiting: 0, delayed: 0, prioritized: 0 });
  });

  it("a prune waits while a reconciliation holds the lock, then runs", async () => {
    const { old, recent } = await seed();
    const redis = connect();
    const key = reconcileLockKey(prefix);
    await redis.set(key, "a-reconciliation", "PX", 60_000);
    const w = startPrune({ startDelayMs: 0, retryLockedMs: 100 });
    await w.ready;
    await until(async () => ((await w.queue.getJobCounts("delayed")).delayed ?? 0) > 0, 30_000, "a prune to back off");
    expect(await rawIds(t.db)).toEqual(expectedRaw([old, recent]));
    await redis.del(key);
    await until(async () => (await rawIds(t.db)).clicks.length === 1, 30_000, "the prune to run");
    expect(await rawIds(t.db)).toEqual(expectedRaw([recent]));
  });

  it("a full reconciliation through the queue after a prune keeps the old days' roll-ups: the worker tells it what is retained", async () => {
    const { old } = await seed();
    // Reconciled while the setting is still the default 395 days; then an admin sets 30.
    await setRetention(t.db, 395, Date.now());
    const reconcile = startReconcileWorker({ db: t.db, connection: connect(), prefix, everyMs: 0, fullPattern: "", log: silent });
    workers.push(reconcile);
    await reconcile.ready;
    const fullRun = async () => {
      const id = await enqueueReconcile(reconcile.queue, "manual", "full");
      return until(async () => {
        const job = await getReconcileJob(reconcile.queue, id);
        return job?.state === "completed" ? job : undefined;
      }, 30_000, "a full run");
    };
    await fullRun();
    const oldDay = utcDay(Date.now() - 45 * DAY_MS);
    const before = { links: await t.db.select().from(schema.linkDaily), attribution: await t.db.select().from(schema.conversionAttribution) };
    expect(before.links.find((l) => l.day === oldDay)).toMatchObject({ clicks: 1, unfurls: 1, reshares: 1, conversions: 1 });

    await setRetention(t.db, 30, Date.now());
    const prune = startPrune({ startDelayMs: 0 });
    await prune.ready;
    await until(async () => (await rawIds(t.db)).clicks.length === 1, 30_000, "the prune");
    const after = await fullRun();

    expect(after.result).toMatchObject({ mode: "full", conversions: 1 });
    expect((await t.db.select().from(schema.linkDaily)).find((l) => l.day === oldDay)).toEqual(before.links.find((l) => l.day === oldDay));
    const oldRow = (rows: typeof before.attribution) => rows.find((r) => r.conversionId === old.conversionId);
    expect(oldRow(await t.db.select().from(schema.conversionAttribution))).toEqual(oldRow(before.attribution));
  });
});
