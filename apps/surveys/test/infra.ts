import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createAdaptorServer } from "@hono/node-server";
import type { Db } from "@lantern/db";
import { createVisitorHasher } from "@lantern/http";
import { EVENTS_QUEUE } from "@lantern/queue";
import { createEventBuffer, type EventBuffer } from "@lantern/queue/event-buffer";
import { Redis } from "ioredis";
import { createApp, type SurveysApp } from "../src/app.ts";
import type { SurveysConfig } from "../src/context.ts";
import { ADMIN_KEY } from "./support.ts";

export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const TSX = fileURLToPath(new URL("../node_modules/.bin/tsx", import.meta.url));

export const newPrefix = () => `t-${randomUUID().slice(0, 8)}`;

/** A port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface Proc {
  port: number;
  output(): string;
  stop(graceMs?: number): Promise<number | null>;
}

/** A service entry point run through tsx as a child process; resolves once it logs {"msg":"listening","port":N}. */
export function startProcess(entry: string, env: Record<string, string>, timeoutMs = 100_000): Promise<Proc> {
  const child: ChildProcess = spawn(TSX, [join(REPO_ROOT, entry)], { cwd: REPO_ROOT, env: { ...process.env, LANTERN_LOG_LEVEL: "info", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const keep = (chunk: Buffer) => {
    out += chunk.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const stop = (graceMs = 15_000) =>
    new Promise<number | null>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
      const kill = setTimeout(() => child.kill("SIGKILL"), graceMs);
      child.once("exit", (code) => {
        clearTimeout(kill);
        resolve(code);
      });
      child.kill("SIGTERM");
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${entry} did not start within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code} before listening:\n${out}`));
    };
    child.once("exit", onExit);
    const poll = setInterval(() => {
      const line = out.split("\n").find((l) => l.includes('"msg":"listening"'));
      const port = line && /"port":(\d+)/.exec(line);
      if (port) {
        clearInterval(poll);
        clearTimeout(timer);
        child.off("exit", onExit);
        resolve({ port: Number(port[1]), output: () => out, stop });
      }
    }, 50);
    child.once("exit", () => clearInterval(poll));
  });
}

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

export { EVENTS_QUEUE };

/** A private redis-server a test may kill and restart (shared with the links and queue tests). */
export { RedisServer } from "@lantern/queue/testing/redis-server";
