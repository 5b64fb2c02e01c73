import { serve } from "@hono/node-server";
import { createDb, migrate } from "@lantern/db";
import { onShutdownSignal, runService } from "@lantern/http";
import { EVENTS_QUEUE, producerConnection, RECONCILE_QUEUE, workerConnection } from "@lantern/queue";
import { Queue } from "bullmq";
import { pino } from "pino";
import { createApp } from "./app.ts";
import { loadEnv, ownHosts } from "./env.ts";
import { newIngestStats, readHealth } from "./health.ts";
import { createIngestWorker } from "./ingest/worker.ts";
import { startPruneWorker } from "./prune/worker.ts";
import { startReconcileWorker } from "./reconcile/worker.ts";

/**
 * The worker process: migrates the database, ingests event batches, runs reconciliation, prunes raw
 * events past their retention, and answers /healthz. SIGINT/SIGTERM close the workers (the active batch
 * finishes first) and exit 0.
 */
async function main(): Promise<void> {
  const env = loadEnv();
  const log = pino({ level: env.LANTERN_LOG_LEVEL, base: { service: "worker" } });
  const startedAt = Date.now();

  const db = await createDb({ url: env.DATABASE_URL, authToken: env.DATABASE_AUTH_TOKEN });
  await migrate(db);

  const connection = workerConnection(env.REDIS_URL);
  connection.on("error", (err) => log.warn({ err: err.message }, "redis connection error"));
  const healthRedis = producerConnection(env.REDIS_URL);
  healthRedis.on("error", () => undefined); // reported through /healthz

  const stats = newIngestStats();
  // Reconciliation runs on its schedule and, debounced, after ingestion (one run for a burst of batches).
  const reconcile = startReconcileWorker({
    db,
    connection,
    prefix: env.LANTERN_QUEUE_PREFIX,
    everyMs: env.RECONCILE_EVERY_MS,
    debounceMs: env.RECONCILE_DEBOUNCE_MS,
    log,
  });

  // Raw events past the retention setting: deleted daily (PRUNE_EVERY_MS) and once shortly after start-up.
  const prune = startPruneWorker({ db, connection, prefix: env.LANTERN_QUEUE_PREFIX, everyMs: env.PRUNE_EVERY_MS, log });

  const ingest = createIngestWorker({
    db,
    connection,
    prefix: env.LANTERN_QUEUE_PREFIX,
    concurrency: env.WORKER_CONCURRENCY,
    log,
    ownHosts: ownHosts(env),
    lockDurationMs: env.WORKER_LOCK_MS,
    onIngested: (result) => {
      stats.batches++;
      stats.events += result.received - result.rejected.length;
      stats.rejected += result.rejected.length;
      stats.lastBatchAt = Date.now();
      void reconcile.requestRun("ingest");
    },
  });

  // Health reads go through the fail-fast connection, so /healthz answers "down" instead of hanging.
  const eventsQueue = new Queue(EVENTS_QUEUE, { connection: healthRedis, prefix: env.LANTERN_QUEUE_PREFIX });
  const reconcileQueue = new Queue(RECONCILE_QUEUE, { connection: healthRedis, prefix: env.LANTERN_QUEUE_PREFIX });
  for (const q of [eventsQueue, reconcileQueue]) q.on("error", (err) => log.debug({ err: err.message }, "health queue error"));
  const app = createApp({
    health: () => readHealth({ redis: healthRedis, queues: { events: eventsQueue, reconcile: reconcileQueue }, stats, startedAt }),
  });

  const server = serve({ fetch: app.fetch, port: env.WORKER_PORT, hostname: env.WORKER_HOST }, (info) => {
    log.info({ port: info.port }, "listening");
  });

  // If something hangs (Redis gone for good), do not hang forever: an unfinished batch or run is
  // re-delivered to the next worker once its lock expires. Long enough for a full reconciliation.
  onShutdownSignal({ log, graceMs: Math.max(env.WORKER_LOCK_MS, 60_000) + 10_000 }, async () => {
    server.close();
    await ingest.close(); // waits for the active batch
    await reconcile.close(); // waits for a running reconciliation
    await prune.close(); // waits for a running prune
    await Promise.allSettled([eventsQueue.close(), reconcileQueue.close()]);
    await Promise.allSettled([connection.quit(), healthRedis.quit()]);
    db.$client.close();
  });
}

runService("worker", main);
