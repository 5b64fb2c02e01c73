import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { EVENTS_QUEUE, eventsOfBatch, type LanternEvent } from "@lantern/queue";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { type Action, driveHttp, type Target } from "../src/index.ts";
import { deletePrefixKeys } from "../src/testing/services.ts";

/** Untagged visits over HTTP, against a stand-in links service (the real one runs in e2e.test.ts). */

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const PAGE = "https://shop.example.com/sale/spring";
const IG = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 321.0.0.32.111";
const SAFARI = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15";
const visits: Action[] = [
  { type: "visit", ts: 1, actor: "v1", visitor: "v1", referrer: null, page: PAGE, userAgent: IG },
  { type: "visit", ts: 2, actor: "v2", visitor: "v2", referrer: "https://www.google.com/", page: PAGE, userAgent: SAFARI },
];
const target: Target = { run: "run1", links: new Map(), survey: { id: "survey01", optionByChannel: new Map(), followUpOptionIds: new Set(), otherOptionId: null, dontRememberOptionId: null } };

interface Seen {
  path: string;
  userAgent: string | undefined;
  body: Record<string, unknown>;
}

/** Answers 202 on the beacons it has and 404 elsewhere; keeps every beacon but the driver's probes. */
async function fakeLinks(beacons: string[]): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let text = "";
    req.on("data", (chunk) => {
      text += chunk;
    });
    req.on("end", () => {
      const body = JSON.parse(text || "{}");
      if (body.visitorId !== "!") seen.push({ path: req.url!, userAgent: req.headers["user-agent"], body });
      res.writeHead(beacons.includes(req.url!) ? 202 : 404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

describe("the HTTP driver and untagged visits", () => {
  let server: Server | null = null;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  it("posts /t/visit with the visitor's user agent, and an empty referrer (document.referrer) when there is none", async () => {
    const links = await fakeLinks(["/t/landing", "/t/arrival", "/t/visit", "/t/conversion"]);
    server = links.server;
    const result = await driveHttp(visits, target, { linksUrl: links.url, surveysUrl: links.url, concurrency: 1 });
    expect(result.unexpected).toEqual({});
    expect(result.trackerBeacons.visit).toBe(true);
    expect(result.viaQueue).toEqual({});
    expect(links.seen).toEqual([
      { path: "/t/visit", userAgent: IG, body: { visitorId: "run1_v1", referrer: "", page: PAGE } },
      { path: "/t/visit", userAgent: SAFARI, body: { visitorId: "run1_v2", referrer: "https://www.google.com/", page: PAGE } },
    ]);
  });

  it("sends them through the queue where the links service has no /t/visit", async () => {
    const links = await fakeLinks(["/t/landing", "/t/arrival", "/t/conversion"]);
    server = links.server;
    const prefix = `t-${randomUUID().slice(0, 8)}`;
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: 3 });
    const queue = new Queue(EVENTS_QUEUE, { connection, prefix });
    try {
      const result = await driveHttp(visits, target, { linksUrl: links.url, surveysUrl: links.url, redisUrl: REDIS_URL, prefix, concurrency: 1 });
      expect(result.unexpected).toEqual({});
      expect(result.trackerBeacons.visit).toBe(false);
      expect(result.viaQueue).toEqual({ "tracker.visit": 2 });
      expect(links.seen).toEqual([]);
      const queued: LanternEvent[] = (await queue.getJobs(["waiting"])).flatMap((job) => eventsOfBatch(job.data));
      expect(queued.map(({ id: _id, ts: _ts, ...e }) => e)).toEqual([
        { type: "tracker.visit", visitorId: "run1_v1", referrer: null, page: PAGE, userAgent: IG },
        { type: "tracker.visit", visitorId: "run1_v2", referrer: "https://www.google.com/", page: PAGE, userAgent: SAFARI },
      ]);
    } finally {
      await queue.close();
      connection.disconnect();
      await deletePrefixKeys(REDIS_URL, prefix);
    }
  });

  it("reports server-side conversions to POST /api/conversions with the API key, as the site's server would", async () => {
    const seen: { auth: string | undefined; body: Record<string, unknown> }[] = [];
    server = createServer((req, res) => {
      let text = "";
      req.on("data", (chunk) => {
        text += chunk;
      });
      req.on("end", () => {
        const body = JSON.parse(text || "{}");
        if (req.url === "/api/conversions") {
          // The driver's probe sends {} (no order id): the real service refuses it with a 400.
          if (!body.id) return void res.writeHead(400).end();
          seen.push({ auth: req.headers.authorization, body });
          return void res.writeHead(202).end();
        }
        res.writeHead(req.url?.startsWith("/t/") ? 202 : 404).end();
      });
    });
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const order: Action = { type: "conversion", ts: 1, actor: "v9", order: "o1", origin: "api", visitor: null, click: null, shareToken: null, kind: "purchase", value: 12.5, currency: "EUR", userAgent: SAFARI };
    const result = await driveHttp([order], target, { linksUrl: url, surveysUrl: url, apiKey: "lt_test", concurrency: 1 });
    expect(result.unexpected).toEqual({});
    expect(result.conversionsApi).toBe(true);
    expect(result.viaQueue).toEqual({});
    expect(seen).toEqual([{ auth: "Bearer lt_test", body: { type: "purchase", value: 12.5, currency: "EUR", id: "run1_o1" } }]);
  });
});
