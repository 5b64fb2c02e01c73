import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { schema } from "@lantern/db";
import { createTestDb, type TestDb } from "@lantern/db/testing";
import { EVENTS_QUEUE, producerConnection } from "@lantern/queue";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deletePrefix, linkHit, newId, newPrefix, REDIS_URL, UA, until } from "./helpers.ts";

const APP_DIR = fileURLToPath(new URL("..", import.meta.url));
const TSX = fileURLToPath(new URL("../node_modules/.bin/tsx", import.meta.url));

interface Running {
  child: ChildProcess;
  port: Promise<number>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  logs: string[];
}

/** Runs `tsx src/main.ts` as its own process group, so SIGKILL reaches tsx's node child too. */
function startWorker(env: Record<string, string>): Running {
  const child = spawn(TSX, ["src/main.ts"], {
    cwd: APP_DIR,
    env: { ...process.env, WORKER_PORT: "0", WORKER_HOST: "127.0.0.1", LANTERN_LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const logs: string[] = [];
  let resolvePort: (port: number) => void = () => undefined;
  const port = new Promise<number>((resolve) => {
    resolvePort = resolve;
  });
  let buffered = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) {
      logs.push(line);
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === "listening" && typeof entry.port === "number") resolvePort(entry.port);
      } catch {
        // not a log line
      }
    }
  });
  child.stderr!.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return { child, port, exited, logs };
}

function killGroup(r: Running, signal: NodeJS.Signals): void {
  try {
    process.kill(-r.child.pid!, signal);
  } catch {
    // already gone
  }
}

let t: TestDb;
let prefix: string;
let redis: Redis;
let queue: Queue;
const running: Running[] = [];

beforeEach(async () => {
  t = await createTestDb();
  prefix = newPrefix();
  redis = producerConnection(REDIS_URL);
  queue = new Queue(EVENTS_QUEUE, { connection: redis, prefix });
});

afterEach(async () => {
  for (const r of running.splice(0)) {
    if (r.child.exitCode === null && r.child.signalCode === null) {
      killGroup(r, "SIGKILL");
      await r.exited;
    }
  }
  await queue.close();
  await deletePrefix(redis, prefix);
  await redis.quit();
  await t.cleanup();
});

const envFor = () => ({ DATABASE_URL: t.url, REDIS_URL, LANTERN_QUEUE_PREFIX: prefix, WORKER_LOCK_MS: "2000", WORKER_CONCURRENCY: "2" });

describe("the worker process", () => {
  it("logs the port it bound, answers /healthz with Redis state, queue counts and the last batch, and exits 0 on SIGTERM", async () => {
    const w = startWorker(envFor());
    running.push(w);
    const port = await w.port;
    const first = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(first.status).toBe(200);
    const before = (await first.json()) as { ok: boolean; redis: { ok: boolean }; queues: Record<string, Record<string, number> | null>; ingest: { lastBatchAt: number | null; batches: number } };
    expect(before.ok).toBe(true);
    expect(before.redis.ok).toBe(true);
    expect(before.queues.events).toMatchObject({ waiting: 0, active: 0, failed: 0 });
    expect(before.ingest.lastBatchAt).toBeNull();

    const batchId = newId();
    await queue.add("batch", { batchId, producer: "test", events: [linkHit()] }, { jobId: batchId });
    await until(async () => (await t.db.$count(schema.clicks)) === 1, 60_000, "the click to be stored");
    const after = await until(async () => {
      const body = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as typeof before;
      return body.ingest.batches === 1 ? body : undefined;
    }, 60_000, "/healthz to report the batch");
    expect(after.ingest.lastBatchAt).toEqual(expect.any(Number));
    expect(after.queues.events).toMatchObject({ completed: 1 });

    expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);

    w.child.kill("SIGTERM");
    expect(await w.exited).toEqual({ code: 0, signal: null });
  }, 180_000);

  it("killed in the middle of a batch and restarted, it loses no event and stores none twice", async () => {
    const BATCHES = 40;
    const expected = { clicks: 0, unfurls: 0, botHits: 0 };
    for (let b = 0; b < BATCHES; b++) {
      const events = [];
      for (let i = 0; i < 250; i++) {
        const kind = i % 10;
        if (kind < 8) {
          events.push(linkHit({ linkId: `L${b % 5}`, userAgent: kind % 2 ? UA.chrome : UA.iphoneSafari, referer: kind === 3 ? "https://www.google.com/" : null }));
          expected.clicks++;
        } else if (kind === 8) {
          events.push(linkHit({ linkId: `L${b % 5}`, userAgent: b % 2 ? UA.slackbot : UA.whatsapp, served: "preview" }));
          expected.unfurls++;
        } else {
          events.push(linkHit({ linkId: `L${b % 5}`, userAgent: UA.googlebot }));
          expected.botHits++;
        }
      }
      const batchId = `b${b}-${newId()}`;
      await queue.add("batch", { batchId, producer: "test", events }, { jobId: batchId, attempts: 8, backoff: { type: "exponential", delay: 200 } });
    }

    const first = startWorker(envFor());
    running.push(first);
    // Wait until some batches are done and one is being stored right now, then pull the plug.
    await until(async () => {
      const c = await queue.getJobCounts("completed", "active");
      return (c.completed ?? 0) >= 3 && (c.active ?? 0) > 0;
    }, 60_000, "a batch in progress");
    killGroup(first, "SIGKILL");
    expect((await first.exited).signal).toBe("SIGKILL");
    const atKill = await queue.getJobCounts("completed", "active", "failed");
    expect(atKill.completed).toBeLessThan(BATCHES);
    // Batches the dead process held: still "active", with nobody renewing their lock.
    const orphaned = (await queue.getJobs(["active"])).map((j) => j.id!);
    expect(orphaned.length).toBeGreaterThan(0);

    const second = startWorker(envFor());
    running.push(second);
    // The batch that was active when the first process died is re-delivered once its lock expires.
    await until(async () => (await queue.getJobCounts("completed")).completed === BATCHES, 90_000, "every batch to complete");
    expect((await queue.getJobCounts("failed")).failed).toBe(0);
    for (const id of orphaned) expect((await queue.getJob(id))?.stalledCounter, `batch ${id} was re-delivered`).toBeGreaterThanOrEqual(1);

    expect(await t.db.$count(schema.clicks)).toBe(expected.clicks);
    expect(await t.db.$count(schema.unfurls)).toBe(expected.unfurls);
    expect(await t.db.$count(schema.botHits)).toBe(expected.botHits);

    second.child.kill("SIGTERM");
    expect((await second.exited).code).toBe(0);
  }, 180_000);
});
