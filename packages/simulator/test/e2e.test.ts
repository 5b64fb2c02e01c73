import { join } from "node:path";
import { classifyVisit, visitSaysSomething } from "@lantern/core";
import { createDb } from "@lantern/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLinksViaApi, driveHttp, generateWorld, loadScenario, parseScenario, reconcileNow, SCENARIOS_DIR, surveyViaApi, type World } from "../src/index.ts";
import { type LanternServices, startServices } from "../src/testing/services.ts";

/** b2c-shop in miniature: a few hundred visitors who buy often, so that a short run has answers to count. */
function tinyWorld(): World {
  const s = JSON.parse(JSON.stringify(loadScenario(join(SCENARIOS_DIR, "b2c-shop.json"))));
  s.visitors = 260;
  s.days = 3;
  s.campaigns = s.campaigns.map((c: { fromDay?: number; toDay?: number }) => ({ ...c, fromDay: 0, toDay: undefined }));
  s.conversion.rate.default = 0.25;
  for (const k of Object.keys(s.conversion.rate.byChannel)) s.conversion.rate.byChannel[k] = Math.min(0.6, s.conversion.rate.byChannel[k] * 8);
  s.conversion.delayDays = { default: { median: 0.2, sigma: 0.5 }, byChannel: {} };
  s.survey.response.default = 0.6;
  for (const k of Object.keys(s.survey.response.byChannel)) s.survey.response.byChannel[k] = Math.min(0.9, s.survey.response.byChannel[k] + 0.2);
  // A fixed start keeps the world the same every day; over HTTP its actions happen now anyway.
  return generateWorld(parseScenario(s), 7, { start: Date.parse("2025-03-03T00:00:00Z") });
}

async function count(url: string, sql: string): Promise<number> {
  const db = await createDb(url);
  try {
    const res = await db.$client.execute(sql);
    return Number(Object.values(res.rows[0] ?? { n: 0 })[0]);
  } finally {
    db.$client.close();
  }
}

async function until<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 300));
    last = await read();
  }
  return last;
}

describe("a simulated world through the real services over HTTP", () => {
  let lantern: LanternServices;
  const world = tinyWorld();
  const started = Date.now();

  beforeAll(async () => {
    lantern = await startServices();
  });
  afterAll(async () => {
    await lantern?.stop();
  });

  it("is stored exactly, and the reported dark share's interval holds the true one", async () => {
    const links = lantern.urls.links!;
    const surveys = lantern.urls.surveys!;
    const admin = lantern.urls.admin!;
    const c = world.truth.counts;
    expect(c.conversions).toBeGreaterThan(40);
    expect(c.answers).toBeGreaterThan(20);

    const run = "e2e1x";
    const target = {
      run,
      links: await createLinksViaApi(links, lantern.apiKey, world, run),
      survey: await surveyViaApi(surveys, lantern.apiKey),
    };
    const result = await driveHttp(world.actions, target, { linksUrl: links, surveysUrl: surveys, apiKey: lantern.apiKey, redisUrl: lantern.redisUrl, prefix: lantern.prefix, concurrency: 6 });
    expect(result.unexpected).toEqual({});
    expect(result.rateLimited).toBe(0);
    // Every event goes over HTTP: the tracker's beacons, and the conversions of buyers whose tracker did
    // not run to POST /api/conversions, as the site's server reports them.
    expect(result.trackerBeacons).toMatchObject({ landing: true, arrival: true, visit: true, conversion: true });
    expect(result.conversionsApi).toBe(true);
    expect(world.actions.filter((a) => a.type === "conversion" && a.origin === "api").length).toBeGreaterThan(0);
    expect(result.viaQueue).toEqual({});
    expect(c.visits).toBeGreaterThan(0);
    expect(result.clickIds.size).toBe(c.clicks);

    // Everything reaches the database through the buffers, the queue and the worker.
    const db = lantern.databaseUrl;
    await until("stored clicks", () => count(db, "SELECT count(*) FROM clicks"), (n) => n === c.clicks);
    await until("stored conversions", () => count(db, "SELECT count(*) FROM conversions"), (n) => n === c.conversions);
    await until("stored answers", () => count(db, "SELECT count(*) FROM survey_responses"), (n) => n === c.answers);
    await until("stored views", () => count(db, "SELECT count(*) FROM survey_views"), (n) => n === c.views);
    expect(await count(db, "SELECT count(*) FROM unfurls")).toBe(c.unfurls);
    expect(await count(db, "SELECT count(*) FROM bot_hits")).toBe(c.bots);
    expect(await count(db, "SELECT count(*) FROM arrivals")).toBe(c.arrivals);
    expect(await count(db, "SELECT count(*) FROM survey_skips")).toBe(c.skips);
    // Untagged visits: the worker keeps those whose referrer, page or browser says where they came from.
    const telling = world.actions.filter((a) => a.type === "visit" && visitSaysSomething(classifyVisit(a))).length;
    expect(telling).toBeGreaterThan(0);
    await until("stored visits", () => count(db, "SELECT count(*) FROM visits"), (n) => n === telling);

    const reconciled = await reconcileNow({ mode: "full", adminUrl: admin, apiKey: lantern.apiKey });
    expect(reconciled.via).toBe("admin");
    expect(reconciled.state).toBe("completed");

    const from = started - 60_000;
    const to = Date.now() + 60_000;
    const res = await fetch(`${admin}/api/reports/overview?from=${from}&to=${to}`, { headers: { authorization: `Bearer ${lantern.apiKey}` } });
    expect(res.status).toBe(200);
    const overview = (await res.json()) as {
      conversions: number;
      respondents: number;
      clicks: number;
      unfurls: number;
      darkShare: { all: { estimate: number; low: number; high: number } };
    };
    expect(overview.conversions).toBe(c.conversions);
    expect(overview.respondents).toBe(c.answers);
    expect(overview.clicks).toBe(c.clicks);
    expect(overview.unfurls).toBe(c.unfurls);
    const { estimate, low, high } = overview.darkShare.all;
    expect(low).toBeLessThanOrEqual(estimate);
    expect(world.truth.darkShare).toBeGreaterThanOrEqual(low);
    expect(world.truth.darkShare).toBeLessThanOrEqual(high);
  });
});
