import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAdaptorServer } from "@hono/node-server";
import type { Db } from "@lantern/db";
import { createVisitorHasher } from "@lantern/http";
import { EVENTS_QUEUE } from "@lantern/queue";
import { createEventBuffer, type EventBuffer } from "@lantern/queue/event-buffer";
import { Redis } from "ioredis";
import { createApp, type SurveysApp } from "../src/app.ts";
import type { SurveysConfig } from "../src/context.ts";
import { ADMIN_KEY } from "./support.ts";

export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

export const newPrefix = () => `t-${randomUUID().slice(0, 8)}`;

export { freePort, waitFor } from "@lantern/queue/testing/redis-server";

import { type Proc, startProcess } from "@lantern/queue/testing/process";

export { type Proc, startProcess };

/** The real worker, on this test's database and queue prefix. */
export function startWorker(options: { databaseUrl: string; redisUrl?: string; prefix: string }): Promise<Proc> {
  return startProcess("apps/worker/src/main.ts", {
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl ?? REDIS_URL,
    LANTERN_QUEUE_PREFIX: options.prefix,
    WORKER_PORT: "0",
    WORKER_HOST: "127.0.0.1",
    WORKER_LOCK_MS: "5000",
  });
}

export interface SurveysServer {
  url: string;
  app: SurveysApp;
  buffer: EventBuffer;
  spoolDir: string;
  close(): Promise<void>;
}

/** The survey service in this process with the real event buffer (so events go through Redis to the worker). */
export async function startSurveys(options: { db: Db; prefix: string; redisUrl?: string; limiterRedis?: Redis | null; config?: Partial<SurveysConfig> }): Promise<SurveysServer> {
  const spoolDir = mkdtempSync(join(tmpdir(), "lantern-surveys-spool-"));
  const redisUrl = options.redisUrl ?? REDIS_URL;
  const buffer = createEventBuffer({ redisUrl, prefix: options.prefix, producer: "surveys", spoolDir, maxDelayMs: 50, replayIntervalMs: 200 });
  await buffer.whenReady(10_000);
  const hasher = createVisitorHasher({ db: options.db, honorDnt: true });
  await hasher.start();
  let app: SurveysApp | null = null;
  const server = createAdaptorServer({ fetch: (req, env) => app!.fetch(req, env) });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  app = createApp({
    db: options.db,
    buffer,
    hasher,
    redis: options.limiterRedis ?? null,
    config: { publicUrl: url, bootstrapKey: ADMIN_KEY, queuePrefix: options.prefix, rateLimit: { perIp: 1_000_000, perVisitor: 1_000_000, windowMs: 60_000 }, ...options.config },
  });
  return {
    url,
    app,
    buffer,
    spoolDir,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ("closeAllConnections" in server) server.closeAllConnections();
      });
      await buffer.close();
      hasher.close();
      app?.dispose();
      rmSync(spoolDir, { recursive: true, force: true });
    },
  };
}

/** A static page on its own port (another origin than the survey service), e.g. a shop embedding the widget. */
export async function servePages(pages: (path: string) => string | null): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createHttpServer((req, res) => {
    const html = pages(new URL(req.url ?? "/", "http://x").pathname);
    if (html === null) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Removes a test's queue keys from Redis. */
export async function dropQueueKeys(prefix: string, redisUrl = REDIS_URL): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on("error", () => undefined);
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== "0");
  } catch {
    // Redis gone: nothing to clean
  } finally {
    redis.disconnect();
  }
}


/** A private redis-server a test may kill and restart (shared with the links and queue tests). */
export { RedisServer } from "@lantern/queue/testing/redis-server";
export { EVENTS_QUEUE };
