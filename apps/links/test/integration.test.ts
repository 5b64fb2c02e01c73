import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDb, type TestDb } from "@lantern/db/testing";
import { botHits, clicks, unfurls } from "@lantern/db/schema";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Cleanup, dropPrefix, queuePrefix, REDIS_URL, settledCount } from "./helpers.ts";
import { LINKS_ENTRY, type Proc, startProcess, WORKER_ENTRY } from "./processes.ts";
import { BOTS, BROWSERS, type Hit, IN_APP, lcidOf, send, UNFURLERS } from "./traffic.ts";

/**
 * The links service and the worker as separate processes (as `npm start` runs them) against real Redis
 * and a temporary libSQL file: a mixed stream of requests goes in, exact counts must come out.
 */
const ADMIN = "lt_integration_admin_key_0123456789";
const cleanup = new Cleanup();
let t: TestDb;
let links: Proc;
let worker: Proc;
let base: string;

beforeAll(async () => {
  t = await createTestDb();
  cleanup.add(() => t.cleanup());
  const prefix = queuePrefix();
  cleanup.add(() => dropPrefix(REDIS_URL, prefix));
  const dataDir = mkdtempSync(join(tmpdir(), "lantern-links-data-"));
  cleanup.add(() => rmSync(dataDir, { recursive: true, force: true }));
  const common = { DATABASE_URL: t.url, REDIS_URL, LANTERN_QUEUE_PREFIX: prefix, LINKS_PUBLIC_URL: "https://lnk.test" };
  [links, worker] = await Promise.all([
    startProcess(LINKS_ENTRY, { ...common, LINKS_PORT: "0", LINKS_HOST: "127.0.0.1", LANTERN_DATA_DIR: dataDir, LANTERN_API_KEY: ADMIN }),
    startProcess(WORKER_ENTRY, { ...common, WORKER_PORT: "0", WORKER_HOST: "127.0.0.1" }),
  ]);
  cleanup.add(() => links.stop());
  cleanup.add(() => worker.stop());
  base = `http://127.0.0.1:${links.port}`;
});
afterAll(() => cleanup.run());

async function createLink(body: Record<string, unknown>) {
  const res = await fetch(`${base}/api/links`, { method: "POST", headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; slug: string };
}

const rows = async (table: typeof clicks | typeof unfurls | typeof botHits, linkId: string) =>
  (await t.db.select({ n: count() }).from(table).where(eq(table.linkId, linkId)))[0]!.n;

describe("links service + worker, end to end", () => {
  it("stores exactly the clicks, unfurls by app and bot hits of a mixed stream, and nothing for HEAD", async () => {
    const link = await createLink({ url: "https://shop.example/launch?x=1#top", source: "whatsapp", campaign: "launch" });
    const path = `/${link.slug}`;
    const hits: Hit[] = [];
    const add = (n: number, headers: Record<string, string>, method: Hit["method"] = "GET") => {
      for (let i = 0; i < n; i++) hits.push({ path, method, headers });
    };
    add(20, { "user-agent": BROWSERS.iphone }); // no referrer: the link's tag decides (whatsapp)
    add(10, { "user-agent": BROWSERS.chrome, referer: "https://www.google.com/" });
    add(7, { "user-agent": BROWSERS.chrome, referer: "https://chatgpt.com/" });
    add(5, { "user-agent": BROWSERS.iphone, referer: "https://web.whatsapp.com/" });
    for (const ua of Object.values(IN_APP)) add(3, { "user-agent": ua });
    const unfurlCounts: Record<string, number> = {};
    Object.entries(UNFURLERS).forEach(([app, ua], i) => {
      unfurlCounts[app] = 1 + (i % 3);
      add(unfurlCounts[app]!, { "user-agent": ua });
    });
    for (const ua of Object.values(BOTS)) add(2, { "user-agent": ua });
    add(6, { "user-agent": BROWSERS.iphone }, "HEAD");
    add(2, { "user-agent": UNFURLERS.slack! }, "HEAD");
    // Interleave, as real traffic would be.
    hits.sort(() => Math.random() - 0.5);

    const results = await send(base, hits);
    const humans = 20 + 10 + 7 + 5 + 3 * Object.keys(IN_APP).length;
    const unfurlTotal = Object.values(unfurlCounts).reduce((a, b) => a + b, 0);
    const bots = 2 * Object.keys(BOTS).length;
    expect(results.filter((r) => r.status === 302).length).toBe(humans + bots + 6);
    expect(results.filter((r) => r.status === 200).length).toBe(unfurlTotal + 2);
    const lcids = results.map((r) => lcidOf(r.location)).filter((x): x is string => !!x);
    expect(lcids.length).toBe(humans);

    const total = async () => (await rows(clicks, link.id)) + (await rows(unfurls, link.id)) + (await rows(botHits, link.id));
    expect(await settledCount("every hit stored", total, humans + unfurlTotal + bots)).toBe(humans + unfurlTotal + bots);

    const stored = await t.db.select().from(clicks).where(eq(clicks.linkId, link.id));
    expect(stored.map((c) => c.id).sort()).toEqual([...lcids].sort()); // the lcid of every click is its id
    expect(await rows(botHits, link.id)).toBe(bots);
    const byApp: Record<string, number> = {};
    for (const u of await t.db.select().from(unfurls).where(eq(unfurls.linkId, link.id))) byApp[u.app] = (byApp[u.app] ?? 0) + 1;
    expect(byApp).toEqual(unfurlCounts);
    expect(Object.keys(byApp).length).toBeGreaterThanOrEqual(8);

    // The same figures through the stats API, with the channels the worker derived.
    type Counts = Record<string, number>;
    const stats = (await (await fetch(`${base}/api/links/${link.id}/stats`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as {
      clicks: Counts;
      unfurls: { total: number; byApp: Counts };
      byInApp: Counts;
      bySource: Counts;
      byChannel: Counts;
    };
    expect(stats.clicks).toEqual({ human: humans, bot: bots });
    expect(stats.unfurls).toEqual({ total: unfurlTotal, byApp: unfurlCounts });
    expect(stats.byInApp).toMatchObject({ instagram: 3, facebook: 3, whatsapp: 3, linkedin: 3, wechat: 3 });
    expect(stats.bySource).toMatchObject({ google: 10, chatgpt: 7 });
    expect(stats.byChannel).toMatchObject({ organic_search: 10, ai_assistant: 7 });
    expect(stats.byChannel.messaging).toBeGreaterThanOrEqual(20 + 5);
  });

  it("SIGTERM flushes the buffer: hits answered just before shutdown are all stored", async () => {
    const link = await createLink({ url: "https://shop.example/last-call" });
    const results = await send(base, Array.from({ length: 40 }, () => ({ path: `/${link.slug}`, method: "GET" as const, headers: { "user-agent": BROWSERS.iphone } })));
    expect(await links.stop()).toBe(0);
    const lcids = results.map((r) => lcidOf(r.location));
    expect(await settledCount("the flushed hits", () => rows(clicks, link.id), 40)).toBe(40);
    const stored = await t.db.select({ id: clicks.id }).from(clicks).where(eq(clicks.linkId, link.id));
    expect(stored.map((c) => c.id).sort()).toEqual([...lcids].sort());
  });
});
