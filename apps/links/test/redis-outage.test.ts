import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDb, type TestDb } from "@lantern/db/testing";
import { clicks, unfurls } from "@lantern/db/schema";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Cleanup, queuePrefix, settledCount, waitFor } from "./helpers.ts";
import { LINKS_ENTRY, type Proc, startProcess, WORKER_ENTRY } from "./processes.ts";
import { RedisServer } from "@lantern/queue/testing/redis-server";
import { BROWSERS, type Hit, lcidOf, send, UNFURLERS } from "./traffic.ts";

/**
 * Redis crashes in the middle of the traffic and comes back. The redirects must not notice, and every
 * event must reach the database exactly once: spooled to disk by the links service while Redis is away,
 * replayed when it returns. The Redis here is a private redis-server that the test kills (SIGKILL) and
 * restarts on the same port, with its append-only file, like a production Redis restarting.
 */
const ADMIN = "lt_outage_admin_key_0123456789abcdef";
const cleanup = new Cleanup();
let t: TestDb;
let redis: RedisServer;
let links: Proc;
let worker: Proc;
let base: string;

beforeAll(async () => {
  redis = await RedisServer.start();
  cleanup.add(() => redis.stop());
  t = await createTestDb();
  cleanup.add(() => t.cleanup());
  const dataDir = mkdtempSync(join(tmpdir(), "lantern-links-data-"));
  cleanup.add(() => rmSync(dataDir, { recursive: true, force: true }));
  const common = { DATABASE_URL: t.url, REDIS_URL: redis.url, LANTERN_QUEUE_PREFIX: queuePrefix(), LINKS_PUBLIC_URL: "https://lnk.test" };
  [links, worker] = await Promise.all([
    startProcess(LINKS_ENTRY, { ...common, LINKS_PORT: "0", LINKS_HOST: "127.0.0.1", LANTERN_DATA_DIR: dataDir, LANTERN_API_KEY: ADMIN }),
    // A short lock: a batch the worker held when Redis died is handed out again soon after.
    startProcess(WORKER_ENTRY, { ...common, WORKER_PORT: "0", WORKER_HOST: "127.0.0.1", WORKER_LOCK_MS: "2000" }),
  ]);
  cleanup.add(() => links.stop());
  cleanup.add(() => worker.stop());
  base = `http://127.0.0.1:${links.port}`;
});
afterAll(() => cleanup.run());

const health = async () => (await (await fetch(`${base}/healthz`)).json()) as { status: string; buffer: { mode: string; spooledEvents: number; spool: { bytes: number } } };

describe("Redis taken away mid-stream", () => {
  it("redirects go on (every request still a 302) and every event arrives once Redis is back: none lost, none twice", async () => {
    const res = await fetch(`${base}/api/links`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
      body: JSON.stringify({ url: "https://shop.example/sale", source: "slack" }),
    });
    const link = (await res.json()) as { id: string; slug: string };
    const clicksOf = (n: number): Hit[] => Array.from({ length: n }, () => ({ path: `/${link.slug}`, method: "GET", headers: { "user-agent": BROWSERS.iphone } }));
    const previews = (n: number): Hit[] => Array.from({ length: n }, () => ({ path: `/${link.slug}`, method: "GET", headers: { "user-agent": UNFURLERS.slack! } }));

    const before = await send(base, [...clicksOf(150), ...previews(10)]);
    await redis.kill();
    const during = await send(base, [...clicksOf(300), ...previews(20)]);
    // Redirects did not notice: every click a 302 with its lcid, every preview a 200.
    expect(during.slice(0, 300).every((r) => r.status === 302 && lcidOf(r.location))).toBe(true);
    expect(during.slice(300).every((r) => r.status === 200)).toBe(true);
    await waitFor("the service to report the spool in use", async () => {
      const h = await health();
      return h.status === "degraded" && h.buffer.spooledEvents > 0;
    });

    await redis.up();
    const after = await send(base, [...clicksOf(150), ...previews(10)]);
    expect(after.every((r) => r.status === 302 || r.status === 200)).toBe(true);

    const lcids = [...before, ...during, ...after].map((r) => lcidOf(r.location)).filter((x): x is string => !!x);
    expect(lcids.length).toBe(600);
    expect(new Set(lcids).size).toBe(600);

    const clickCount = async () => (await t.db.select({ n: count() }).from(clicks).where(eq(clicks.linkId, link.id)))[0]!.n;
    expect(await settledCount("every click stored", clickCount, 600, 90_000)).toBe(600);
    const stored = await t.db.select({ id: clicks.id }).from(clicks).where(eq(clicks.linkId, link.id));
    expect(stored.map((c) => c.id).sort()).toEqual(lcids.sort());
    const unfurlCount = (await t.db.select({ n: count() }).from(unfurls).where(eq(unfurls.linkId, link.id)))[0]!.n;
    expect(unfurlCount).toBe(40);

    await waitFor("the spool to be replayed", async () => {
      const h = await health();
      return h.status === "ok" && h.buffer.spool.bytes === 0;
    });
  });
});
