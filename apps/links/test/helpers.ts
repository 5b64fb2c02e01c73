import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Db } from "@lantern/db";
import { createTestDb, type TestDb } from "@lantern/db/testing";
import { createApiKey, createVisitorHasher, type RateLimiter } from "@lantern/http";
import { EVENTS_QUEUE, type EventBatchJob, eventsOfBatch, type LinkHitEvent, type PackedEventBatchJob } from "@lantern/queue";
import { createEventBuffer, type EventBuffer } from "@lantern/queue/event-buffer";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { createApp, type LinksDeps } from "../src/app.ts";
import { createLinkCache, type LinkCache } from "../src/link-cache.ts";
import { shortHostsOf } from "../src/links/destination.ts";

export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
export const ADMIN_KEY = "lt_admin_bootstrap_key_for_tests";
export const PUBLIC_URL = "https://lnk.test";
export const UA = {
  iphone: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
  chrome: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
  slack: "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
  googlebot: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
};

export const queuePrefix = () => `t-${randomUUID().slice(0, 8)}`;

export interface Service {
  app: ReturnType<typeof createApp>;
  deps: LinksDeps;
  db: Db;
  buffer: EventBuffer;
  cache: LinkCache;
  prefix: string;
  /** Moves the service clock (expiry). */
  advance(ms: number): void;
  /** Every event the service pushed so far (flushed to the real queue and read back). */
  events(): Promise<LinkHitEvent[]>;
  close(): Promise<void>;
}

/** Closes everything a test opened, whatever happened in it. */
export class Cleanup {
  private tasks: Array<() => Promise<unknown> | unknown> = [];
  add(task: () => Promise<unknown> | unknown) {
    this.tasks.push(task);
  }
  async run() {
    while (this.tasks.length) {
      try {
        await this.tasks.pop()!();
      } catch {
        // keep cleaning
      }
    }
  }
}

export interface ServiceOptions {
  db?: TestDb;
  prefix?: string;
  rateLimiter?: RateLimiter;
  negativeTtlMs?: number;
  /** How long the event buffer holds events before sending them (default 20 ms). */
  bufferDelayMs?: number;
}

/** The links app as main.ts builds it, on a temporary database, real Redis and a fresh queue prefix. */
export async function startService(cleanup: Cleanup, options: ServiceOptions = {}): Promise<Service & { testDb: TestDb }> {
  const testDb = options.db ?? (await createTestDb());
  if (!options.db) cleanup.add(() => testDb.cleanup());
  const prefix = options.prefix ?? queuePrefix();
  const spoolDir = mkdtempSync(join(tmpdir(), "lantern-links-spool-"));
  cleanup.add(() => rmSync(spoolDir, { recursive: true, force: true }));
  const buffer = createEventBuffer({ redisUrl: REDIS_URL, prefix, producer: "links-test", spoolDir, maxDelayMs: options.bufferDelayMs ?? 20 });
  cleanup.add(() => buffer.close());
  await buffer.whenReady(10_000);
  const cache = createLinkCache({ db: testDb.db, redisUrl: REDIS_URL, prefix, negativeTtlMs: options.negativeTtlMs ?? 5_000 });
  cleanup.add(() => cache.close());
  await cache.start();
  const hasher = createVisitorHasher({ db: testDb.db, honorDnt: true });
  cleanup.add(() => hasher.close());
  await hasher.start();
  let offset = 0;
  const deps: LinksDeps = {
    db: testDb.db,
    buffer,
    cache,
    hasher,
    rateLimiter: options.rateLimiter,
    clock: () => Date.now() + offset,
    config: { publicUrl: PUBLIC_URL, shortHosts: shortHostsOf(PUBLIC_URL, ["go.lnk.test"]), countryHeader: "cf-ipcountry", bootstrapKey: ADMIN_KEY },
  };
  const app = createApp(deps);
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue<PackedEventBatchJob | EventBatchJob>(EVENTS_QUEUE, { connection, prefix });
  cleanup.add(async () => {
    await queue.close();
    connection.disconnect();
    if (!options.prefix) await dropPrefix(REDIS_URL, prefix);
  });
  return {
    app,
    deps,
    db: testDb.db,
    testDb,
    buffer,
    cache,
    prefix,
    advance(ms) {
      offset += ms;
    },
    async events() {
      await buffer.flush();
      const jobs = await queue.getJobs(["waiting"], 0, -1, true);
      return jobs.flatMap((j) => eventsOfBatch(j.data)).filter((e): e is LinkHitEvent => e.type === "link.hit");
    },
    async close() {
      await cleanup.run();
    },
  };
}

export function api(service: Pick<Service, "app">, key = ADMIN_KEY) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const init: RequestInit = { method, headers: { authorization: `Bearer ${key}`, ...headers } };
    if (body !== undefined) {
      init.body = typeof body === "string" ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)["content-type"] ??= "application/json";
    }
    const res = await service.app.request(path, init);
    const text = await res.text();
    // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies loosely and assert their shape.
    let json: any = null;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, headers: res.headers, json, text };
  };
  return {
    post: (path: string, body?: unknown, headers?: Record<string, string>) => call("POST", path, body, headers),
    get: (path: string, headers?: Record<string, string>) => call("GET", path, undefined, headers),
    patch: (path: string, body?: unknown, headers?: Record<string, string>) => call("PATCH", path, body, headers),
    delete: (path: string) => call("DELETE", path),
  };
}

/** A visit to a short link, as a browser or a fetcher would make it. */
export function visit(service: Pick<Service, "app">, path: string, headers: Record<string, string> = {}, method = "GET") {
  return service.app.request(path, { method, headers: { "user-agent": UA.iphone, ...headers }, redirect: "manual" });
}

export async function keyWith(db: Db, scopes: Parameters<typeof createApiKey>[2]) {
  return (await createApiKey(db, "test", scopes)).key;
}

export { waitFor } from "@lantern/queue/testing/redis-server";

/**
 * Polls a count until it reaches `atLeast` and then stays put for a few polls in a row, so a test
 * compares final figures, not a snapshot of work in progress.
 */
export async function settledCount(what: string, read: () => Promise<number>, atLeast: number, timeoutMs = 45_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let stable = 0;
  for (;;) {
    const n = await read();
    stable = n === last ? stable + 1 : 0;
    last = n;
    if (n >= atLeast && stable >= 3) return n;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${n} of ${atLeast}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Deletes every Redis key under a test's queue prefix (queues, rate-limit windows, ...). */
export async function dropPrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
