import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PRIVACY_SETTINGS_KEY, PRUNED_SETTINGS_KEY } from "@lantern/core";
import { reconcileState, settings } from "@lantern/db/schema";
import { EVENTS_QUEUE, PRUNE_QUEUE, RECONCILE_QUEUE } from "@lantern/queue";
import { createTestDb } from "@lantern/db/testing";
import { createApp } from "../server/app.ts";
import { BOOTSTRAP_KEY, REDIS_URL, as, harness, userAndSession, withKey, type Harness } from "./server-helpers.ts";

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(async () => {
  await h.close();
});

describe("reconcile now", () => {
  it("POST /api/reconcile queues a manual incremental run and GET /api/reconcile/:id tells its state", async () => {
    const s = await userAndSession(h, "admin");
    const res = await as(h, s, "/api/reconcile", { method: "POST" });
    expect(res.status).toBe(202);
    const { jobId } = (await res.json()) as { jobId: string };
    expect(jobId).toMatch(/^manual-\d+-[0-9a-f]{8}$/);

    const queue = new Queue(RECONCILE_QUEUE, { connection: h.redis, prefix: h.prefix });
    const job = await queue.getJob(jobId);
    expect(job?.name).toBe("reconcile");
    expect(job?.data).toEqual({ mode: "incremental", reason: "manual" });
    await queue.close();

    const state = await as(h, s, `/api/reconcile/${jobId}`);
    expect(state.status).toBe(200);
    expect(await state.json()).toMatchObject({ jobId, state: "waiting", finishedAt: null, failedReason: null });
  });

  it("a full run can be asked for; a bad mode is a 400 and an unknown job a 404", async () => {
    const full = await withKey(h, BOOTSTRAP_KEY, "/api/reconcile", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ mode: "full" }) });
    const { jobId } = (await full.json()) as { jobId: string };
    const queue = new Queue(RECONCILE_QUEUE, { connection: h.redis, prefix: h.prefix });
    expect((await queue.getJob(jobId))?.data).toEqual({ mode: "full", reason: "manual" });
    await queue.close();
    const bad = await withKey(h, BOOTSTRAP_KEY, "/api/reconcile", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ mode: "everything" }) });
    expect(bad.status).toBe(400);
    expect((await withKey(h, BOOTSTRAP_KEY, "/api/reconcile/nope")).status).toBe(404);
  });
});

describe("system", () => {
  it("shows queue counts, failed jobs with a working retry, and the last reconcile run", async () => {
    const s = await userAndSession(h, "admin");
    const events = new Queue(EVENTS_QUEUE, { connection: h.redis, prefix: h.prefix });
    await events.add("batch", { batchId: "b-one" }, { jobId: "b-one", attempts: 1 });
    await events.add("batch", { batchId: "b-two" }, { jobId: "b-two", attempts: 1 });
    // Take one job by hand and fail it, the way a worker would after its last attempt.
    const takerRedis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const taker = new Worker(EVENTS_QUEUE, null, { connection: takerRedis, prefix: h.prefix });
    const job = await taker.getNextJob("token-1");
    await job!.moveToFailed(new Error("SQLITE_BUSY: database is locked"), "token-1");
    await taker.close();
    takerRedis.disconnect();
    await h.t.db.insert(reconcileState).values([
      { id: "attribution", watermark: 1000, lastRunAt: 2000, lastRunMs: 150, lastRunConversions: 12, rulesetVersion: "reconcile-2025.1" },
      { id: "links", watermark: 900, lastRunAt: 2000, lastRunMs: 150, lastRunConversions: 12, rulesetVersion: "reconcile-2025.1" },
    ]);

    const res = await as(h, s, "/api/system");
    const body = (await res.json()) as { redis: string; queues: { queue: string; name: string; counts: Record<string, number> }[]; failed: Record<string, unknown>[]; lastReconcile: unknown };
    expect(body.redis).toBe("ok");
    expect(body.queues.map((q) => [q.queue, q.name])).toEqual([["events", EVENTS_QUEUE], ["reconcile", RECONCILE_QUEUE], ["prune", PRUNE_QUEUE]]);
    expect(body.queues[0]!.counts).toMatchObject({ waiting: 1, active: 0, failed: 1 });
    expect(body.failed).toEqual([
      { queue: "events", id: job!.id, name: "batch", failedReason: "SQLITE_BUSY: database is locked", attemptsMade: 1, timestamp: job!.timestamp, finishedOn: expect.any(Number) },
    ]);
    expect(body.lastReconcile).toEqual({ lastRunAt: 2000, lastRunMs: 150, lastRunConversions: 12, watermark: 1000, linksWatermark: 900, rulesetVersion: "reconcile-2025.1" });

    const retry = await as(h, s, `/api/system/failed/events/${job!.id}/retry`, { method: "POST" });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ ok: true, jobId: job!.id });
    expect(await events.getJobState(job!.id!)).toBe("waiting");
    const again = await as(h, s, `/api/system/failed/events/${job!.id}/retry`, { method: "POST" });
    expect(again.status).toBe(404);
    expect((await as(h, s, `/api/system/failed/mail/x/retry`, { method: "POST" })).status).toBe(400);
    await events.close();
  });

  it("says how far back the worker has pruned raw events, and under which retention", async () => {
    const s = await userAndSession(h, "admin");
    await h.t.db.insert(settings).values([
      { key: PRIVACY_SETTINGS_KEY, value: { honorDnt: true, honorGpc: true, retentionDays: 30 }, updatedAt: 10 },
      { key: PRUNED_SETTINGS_KEY, value: { before: 1_000_000 }, updatedAt: 2_000_000 },
    ]);
    const body = (await (await as(h, s, "/api/system")).json()) as { retention: unknown };
    expect(body.retention).toEqual({ retentionDays: 30, prunedBefore: 1_000_000, lastPrunedAt: 2_000_000 });
  });

  it("says when the latest reconcile job ended, whether or not it changed anything", async () => {
    const s = await userAndSession(h, "admin");
    const before = (await (await as(h, s, "/api/system")).json()) as { reconcileCheckedAt: number | null };
    expect(before.reconcileCheckedAt).toBeNull();
    const reconcile = new Queue(RECONCILE_QUEUE, { connection: h.redis, prefix: h.prefix });
    await reconcile.add("reconcile", { mode: "incremental", reason: "schedule" }, { jobId: "r-quiet" });
    const takerRedis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const taker = new Worker(RECONCILE_QUEUE, null, { connection: takerRedis, prefix: h.prefix });
    const job = await taker.getNextJob("token-r");
    await job!.moveToCompleted({ mode: "incremental", conversions: 0, quiet: true }, "token-r", false);
    await taker.close();
    takerRedis.disconnect();
    const after = (await (await as(h, s, "/api/system")).json()) as { reconcileCheckedAt: number | null };
    expect(after.reconcileCheckedAt).toBe((await reconcile.getJob("r-quiet"))!.finishedOn);
    await reconcile.close();
  });

  it("is admin-only", async () => {
    const viewer = await userAndSession(h, "viewer");
    expect((await as(h, viewer, "/api/system")).status).toBe(403);
  });

  it("without Redis the page still answers, saying Redis is unavailable, and reconcile now is a 503", async () => {
    const t = await createTestDb();
    const app = createApp({ db: t.db, redis: null, queuePrefix: "t-none", config: { publicUrl: "http://localhost:3000", apiKey: BOOTSTRAP_KEY, linksUrl: "http://127.0.0.1:1", surveysUrl: "http://127.0.0.1:1" } });
    try {
      const res = await app.request("/api/system", { headers: { authorization: `Bearer ${BOOTSTRAP_KEY}` } });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ redis: "unavailable", queues: [], failed: [], lastReconcile: null, reconcileCheckedAt: null, retention: { retentionDays: 395, prunedBefore: null, lastPrunedAt: null } });
      const run = await app.request("/api/reconcile", { method: "POST", headers: { authorization: `Bearer ${BOOTSTRAP_KEY}` } });
      expect(run.status).toBe(503);
      expect(((await run.json()) as { error: { code: string } }).error.code).toBe("unavailable");
    } finally {
      await app.close();
      await t.cleanup();
    }
  });
});

describe("reconcile now, with the real reconcile worker", () => {
  it("a run asked for through the admin API is picked up by the worker and reported completed", async () => {
    const { startReconcileWorker } = await import("../../worker/src/reconcile/worker.ts");
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const quiet = { info() {}, warn() {}, error() {}, debug() {} };
    const worker = startReconcileWorker({ db: h.t.db, connection, prefix: h.prefix, everyMs: 0, fullPattern: "", log: quiet });
    try {
      await worker.ready;
      const s = await userAndSession(h, "admin");
      const { jobId } = (await (await as(h, s, "/api/reconcile", { method: "POST" })).json()) as { jobId: string };
      let state = "";
      let body: Record<string, unknown> = {};
      const deadline = Date.now() + 45_000;
      while (Date.now() < deadline) {
        body = (await (await as(h, s, `/api/reconcile/${jobId}`)).json()) as Record<string, unknown>;
        state = body.state as string;
        if (state === "completed" || state === "failed") break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(state).toBe("completed");
      expect(body.result).toMatchObject({ mode: "full", conversions: 0 });
      const system = (await (await as(h, s, "/api/system")).json()) as { lastReconcile: { lastRunConversions: number } | null };
      expect(system.lastReconcile).toMatchObject({ lastRunConversions: 0 });
    } finally {
      await worker.close();
      connection.disconnect();
    }
  });
});
