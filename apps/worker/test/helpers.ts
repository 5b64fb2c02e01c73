import { randomBytes, randomUUID } from "node:crypto";
import { createTestDb, type TestDb } from "@lantern/db/testing";
import { EVENTS_QUEUE, type LanternEvent, packEvents, workerConnection } from "@lantern/queue";
import { type Job, Queue, type Worker } from "bullmq";
import type { Redis } from "ioredis";
import { pino } from "pino";
import { createIngestWorker, type BatchResult } from "../src/ingest/worker.ts";

export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
export const silent = pino({ level: "silent" });
export const newId = () => randomBytes(12).toString("base64url");
export const newPrefix = () => `t-${randomUUID().slice(0, 8)}`;

/** Polls until `check` returns a value other than undefined/false, or fails after `ms`. */
export async function until<T>(check: () => Promise<T | undefined | false> | T | undefined | false, ms = 30_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Deletes every Redis key under a test's queue prefix. */
export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== "0");
}

export interface Harness {
  t: TestDb;
  prefix: string;
  connection: Redis;
  queue: Queue;
  worker: Worker;
  ingested: BatchResult[];
  /**
   * Enqueues one batch (job id = batch id) and waits until it completed or failed. `packed` sends it as
   * the event buffer does (link hits packed over a string table); otherwise in the plain form.
   */
  send(events: unknown[], opts?: { batchId?: string; attempts?: number; name?: string; packed?: boolean }): Promise<Job>;
  close(): Promise<void>;
}

export async function startHarness(opts: { ownHosts?: string[]; now?: () => number } = {}): Promise<Harness> {
  const t = await createTestDb();
  const prefix = newPrefix();
  const connection = workerConnection(REDIS_URL);
  const queue = new Queue(EVENTS_QUEUE, { connection, prefix });
  const ingested: BatchResult[] = [];
  const worker = createIngestWorker({
    db: t.db,
    connection,
    prefix,
    concurrency: 2,
    log: silent,
    ownHosts: opts.ownHosts ?? ["go.example"],
    now: opts.now,
    onIngested: (r) => ingested.push(r),
  });
  await worker.waitUntilReady();
  return {
    t,
    prefix,
    connection,
    queue,
    worker,
    ingested,
    async send(events, o = {}) {
      const batchId = o.batchId ?? newId();
      const body = o.packed ? packEvents(events as LanternEvent[]) : { events };
      const job = await queue.add(o.name ?? "batch", { batchId, producer: "test", ...body }, { jobId: batchId, attempts: o.attempts ?? 3, backoff: { type: "fixed", delay: 50 } });
      await until(async () => {
        const state = await job.getState();
        return state === "completed" || state === "failed";
      }, 30_000, `job ${batchId}`);
      return (await queue.getJob(job.id!))!;
    },
    async close() {
      await worker.close();
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await deletePrefix(connection, prefix);
      await connection.quit();
      await t.cleanup();
    },
  };
}

// ---- event factories: valid events with overridable fields ----

const CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
export const UA = {
  chrome: CHROME,
  iphoneSafari: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
  whatsappInApp: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 WAiOS/2.24.6.77",
  slackbot: "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
  whatsapp: "WhatsApp/2.23.20.0 A",
  telegram: "TelegramBot (like TwitterBot)",
  googlebot: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
  curl: "curl/8.5.0",
};

type Ev<T extends LanternEvent["type"]> = Extract<LanternEvent, { type: T }>;

export function linkHit(p: Partial<Ev<"link.hit">> = {}): Ev<"link.hit"> {
  return {
    id: newId(),
    ts: Date.now(),
    type: "link.hit",
    linkId: "link-1",
    slug: "abc",
    served: "redirect",
    userAgent: CHROME,
    referer: null,
    query: {},
    visitorHash: "vh",
    country: null,
    dnt: false,
    ...p,
  };
}

export function landing(p: Partial<Ev<"tracker.landing">> & Pick<Ev<"tracker.landing">, "visitorId" | "lcid" | "shareToken">): Ev<"tracker.landing"> {
  return { id: newId(), ts: Date.now(), type: "tracker.landing", page: "https://shop.example/p", ...p };
}

export function arrival(p: Partial<Ev<"tracker.arrival">> & Pick<Ev<"tracker.arrival">, "visitorId" | "shareToken" | "ownShareToken">): Ev<"tracker.arrival"> {
  return { id: newId(), ts: Date.now(), type: "tracker.arrival", referrer: null, page: "https://shop.example/p", userAgent: CHROME, ...p };
}

export function visit(p: Partial<Ev<"tracker.visit">> & Pick<Ev<"tracker.visit">, "visitorId">): Ev<"tracker.visit"> {
  return { id: newId(), ts: Date.now(), type: "tracker.visit", referrer: null, page: "https://shop.example/p", userAgent: CHROME, ...p };
}

export function conversion(p: Partial<Ev<"conversion">> = {}, c: Partial<Ev<"conversion">["conversion"]> = {}): Ev<"conversion"> {
  return {
    id: newId(),
    ts: Date.now(),
    type: "conversion",
    origin: "tracker",
    visitorId: null,
    lcid: null,
    shareToken: null,
    respondentHash: null,
    ...p,
    conversion: { type: "purchase", value: 10, currency: "EUR", externalId: null, occurredAt: null, ...c },
  };
}

export function surveyView(p: Partial<Ev<"survey.view">> = {}): Ev<"survey.view"> {
  return { id: newId(), ts: Date.now(), type: "survey.view", surveyId: "s1", visitorId: null, lcid: null, placement: "hosted", ...p };
}

export function surveySkip(p: Partial<Ev<"survey.skip">> = {}): Ev<"survey.skip"> {
  return { id: newId(), ts: Date.now(), type: "survey.skip", surveyId: "s1", visitorId: null, lcid: null, ...p };
}

export function response(p: Partial<Ev<"survey.response">> = {}): Ev<"survey.response"> {
  return {
    id: newId(),
    ts: Date.now(),
    type: "survey.response",
    surveyId: "s1",
    optionId: null,
    otherText: null,
    followUpText: null,
    locale: "en",
    respondentHash: null,
    externalId: null,
    lcid: null,
    visitorId: null,
    shareToken: null,
    idempotencyKey: null,
    conversion: null,
    ...p,
  };
}
