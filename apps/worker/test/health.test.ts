import { EVENTS_QUEUE, producerConnection } from "@lantern/queue";
import { Queue } from "bullmq";
import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import { type HealthReport, newIngestStats, readHealth } from "../src/health.ts";
import { deletePrefix, newPrefix, REDIS_URL } from "./helpers.ts";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setup(url: string) {
  const redis = producerConnection(url);
  redis.on("error", () => undefined);
  const prefix = newPrefix();
  const queue = new Queue(EVENTS_QUEUE, { connection: redis, prefix });
  queue.on("error", () => undefined);
  const stats = { ...newIngestStats(), batches: 3, lastBatchAt: 1234 };
  const app = createApp({ health: () => readHealth({ redis, queues: { events: queue }, stats, startedAt: Date.now(), timeoutMs: 500 }) });
  cleanups.push(async () => {
    await queue.close().catch(() => undefined);
    if (redis.status === "ready") await deletePrefix(redis, prefix);
    redis.disconnect();
  });
  return { app, queue, prefix };
}

describe("GET /healthz", () => {
  it("answers 200 with Redis state, queue counts and the ingest figures", async () => {
    const { app, queue } = setup(REDIS_URL);
    await queue.add("batch", { x: 1 }, { delay: 60_000 });
    const res = await app.request("/healthz");
    expect(res.status).toBe(200);
    const body = (await res.json()) as HealthReport;
    expect(body).toMatchObject({ ok: true, redis: { ok: true, status: "ready" }, ingest: { batches: 3, lastBatchAt: 1234 } });
    expect(body.queues.events).toMatchObject({ waiting: 0, delayed: 1, active: 0, failed: 0 });
  });

  it("answers 503 quickly, without hanging, when Redis is unreachable", async () => {
    const { app } = setup("redis://127.0.0.1:1");
    const started = Date.now();
    const res = await app.request("/healthz");
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ok: false, redis: { ok: false }, queues: { events: null } });
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it("answers 404 with the error shape for anything else", async () => {
    const { app } = setup(REDIS_URL);
    const res = await app.request("/metrics");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
  });
});
