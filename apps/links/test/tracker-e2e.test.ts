import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { arrivals, clicks, conversions, surveyResponses, unfurls, visitors } from "@lantern/db/schema";
import { createTestDb, type TestDb } from "@lantern/db/testing";
import { count, eq } from "drizzle-orm";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DESKTOP_CHROME, launchChromium, type Site, serveSite } from "./fixtures/tracker/site.ts";
import { Cleanup, queuePrefix, REDIS_URL, settledCount } from "./helpers.ts";
import { LINKS_ENTRY, type Proc, startProcess, WORKER_ENTRY } from "./processes.ts";

/**
 * Acceptance of the site tracker, end to end: the links service, the worker and the survey service as
 * separate processes (as `npm start` runs them) on real Redis and a temporary libSQL file; a shop page
 * on its own port that loads lantern.js and the survey widget; real Chromium.
 *
 * Visitor A opens the short link (so the shop page gets lcid) -> A's address bar shows lsh=<A's token>;
 * visitor B (another browser profile) opens A's copied URL with no referrer -> an arrival with A as
 * parent, generation 1, dark; B buys (lantern.track) and answers the survey widget, which sends B's
 * context; visitor C opens B's URL coming from LinkedIn -> generation 2, not dark. Two chat apps drew a
 * preview of the link before. The journey report must give exactly these numbers.
 */

const SURVEYS_ENTRY = "apps/surveys/src/main.ts";
const ADMIN = "lt_tracker_e2e_admin_key_0123456789";
const ORDER = `order-${Date.now().toString(36)}`;
const UNFURLERS = {
  slack: "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
  whatsapp: "WhatsApp/2.23.20.0 A",
};

const cleanup = new Cleanup();
let t: TestDb;
let linksBase: string;
let surveysBase: string;
let site: Site;
let browser: Browser;

beforeAll(async () => {
  t = await createTestDb(); // migrated here, so the three services start on a ready schema
  cleanup.add(() => t.cleanup());
  const prefix = queuePrefix();
  const dataDir = mkdtempSync(join(tmpdir(), "lantern-tracker-e2e-"));
  cleanup.add(() => rmSync(dataDir, { recursive: true, force: true }));
  const common = { DATABASE_URL: t.url, REDIS_URL, LANTERN_QUEUE_PREFIX: prefix, LANTERN_DATA_DIR: dataDir, LANTERN_API_KEY: ADMIN };
  const procs: Proc[] = await Promise.all([
    startProcess(LINKS_ENTRY, { ...common, LINKS_PORT: "0", LINKS_HOST: "127.0.0.1" }),
    startProcess(WORKER_ENTRY, { ...common, WORKER_PORT: "0", WORKER_HOST: "127.0.0.1" }),
    startProcess(SURVEYS_ENTRY, { ...common, SURVEYS_PORT: "0", SURVEYS_HOST: "127.0.0.1" }),
  ]);
  for (const p of procs) cleanup.add(() => p.stop());
  cleanup.add(async () => {
    const { Redis } = await import("ioredis");
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });
  linksBase = `http://127.0.0.1:${procs[0]!.port}`;
  surveysBase = `http://127.0.0.1:${procs[2]!.port}`;
  site = await serveSite();
  cleanup.add(() => site.close());
  browser = await launchChromium();
  cleanup.add(() => browser.close());
}, 240_000); // three services start at once: generous on a loaded two-core machine
afterAll(() => cleanup.run());

async function api<T>(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as T };
}

async function visitorPage(extra: Parameters<Browser["newContext"]>[0] = {}): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ userAgent: DESKTOP_CHROME, ...extra });
  cleanup.add(() => context.close());
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return { context, page, errors };
}

const trackerReady = (p: Page) => p.waitForFunction(() => (globalThis as unknown as { lantern?: { lantern?: number } }).lantern?.lantern === 1);
const contextOf = (p: Page) => p.evaluate(() => (globalThis as unknown as { lantern: { context(): { visitorId: string; lcid: string | null; shareToken: string } } }).lantern.context());
const rows = async (query: Promise<{ n: number }[]>) => (await query)[0]!.n;

describe("site tracker, end to end (links + worker + surveys, Chromium)", () => {
  it("tags the address bar, follows a copy-paste re-share to its parent, stores the conversion and the survey answer with the context, and reports the journey exactly", async () => {
    const survey = await api<{ id: string; options: { id: string; label: Record<string, string>; channel: string | null }[] }>(surveysBase, "POST", "/api/surveys", {
      name: "Checkout",
      question: "How did you hear about us?",
      randomize: true,
      options: [{ label: "A friend or colleague" }, { label: "WhatsApp group" }, { label: "Google search" }, { kind: "other", label: "Other" }],
    });
    expect(survey.status).toBe(201);
    const friend = survey.json.options.find((o) => Object.values(o.label).includes("A friend or colleague"))!;
    site.pages.set("shop", { file: "shop", vars: { LINKS: linksBase, SURVEYS: surveysBase, SURVEY_ID: survey.json.id, ORDER_ID: ORDER } });

    const link = await api<{ id: string; slug: string }>(linksBase, "POST", "/api/links", { url: `${site.url}/shop/lamp?color=amber`, source: "whatsapp", campaign: "launch" });
    expect(link.status).toBe(201);
    const linkId = link.json.id;

    // Pasted into Slack and WhatsApp: each app fetches a preview (an unfurl, never a click).
    for (const ua of Object.values(UNFURLERS)) {
      const res = await fetch(`${linksBase}/${link.json.slug}`, { headers: { "user-agent": ua }, redirect: "manual" });
      expect(res.status).toBe(200);
    }

    // Visitor A follows the short link.
    const a = await visitorPage();
    await a.page.goto(`${linksBase}/${link.json.slug}`);
    await trackerReady(a.page);
    const aCtx = await contextOf(a.page);
    const aUrl = new URL(a.page.url());
    expect(aUrl.origin).toBe(site.url);
    expect(aUrl.searchParams.has("lcid")).toBe(false);
    expect(aUrl.searchParams.get("lsh")).toBe(aCtx.shareToken);
    expect(aUrl.searchParams.get("color")).toBe("amber");
    expect(aUrl.searchParams.get("utm_source")).toBe("whatsapp");
    expect(aCtx.lcid).toMatch(/^[A-Za-z0-9_-]{16}$/);
    // A reloads its own tagged page: not a re-share.
    await a.page.reload();
    await trackerReady(a.page);

    // Visitor B: another browser profile, opens the copied URL with no referrer.
    const b = await visitorPage();
    await b.page.goto(aUrl.href);
    await trackerReady(b.page);
    const bCtx = await contextOf(b.page);
    expect(bCtx.visitorId).not.toBe(aCtx.visitorId);
    expect(bCtx.lcid).toBeNull();
    expect(new URL(b.page.url()).searchParams.get("lsh")).toBe(bCtx.shareToken);

    // B buys: the shop's button sends the conversion and opens the survey widget.
    await b.page.waitForFunction(() => !!(globalThis as unknown as { Lantern?: { survey?: unknown } }).Lantern?.survey);
    await b.page.click("#buy");
    await b.page.getByLabel("A friend or colleague").check();
    await b.page.getByRole("button", { name: "Submit" }).click();
    await b.page.getByText("Thank you for your answer!").waitFor();

    // Visitor C opens B's URL from LinkedIn.
    const c = await visitorPage();
    await c.page.goto(b.page.url(), { referer: "https://www.linkedin.com/" });
    await trackerReady(c.page);
    const cCtx = await contextOf(c.page);

    // Everything reaches the database through the queue and the worker.
    const db = t.db;
    await settledCount("clicks", () => rows(db.select({ n: count() }).from(clicks).where(eq(clicks.linkId, linkId))), 1);
    await settledCount("unfurls", () => rows(db.select({ n: count() }).from(unfurls).where(eq(unfurls.linkId, linkId))), 2);
    await settledCount("visitors", () => rows(db.select({ n: count() }).from(visitors).where(eq(visitors.linkId, linkId))), 3);
    await settledCount("arrivals", () => rows(db.select({ n: count() }).from(arrivals)), 2);
    await settledCount("conversions", () => rows(db.select({ n: count() }).from(conversions)), 1);
    await settledCount("survey responses", () => rows(db.select({ n: count() }).from(surveyResponses)), 1);

    const [click] = await db.select().from(clicks).where(eq(clicks.linkId, linkId));
    expect(click!.id).toBe(aCtx.lcid);
    const byId = new Map((await db.select().from(visitors)).map((v) => [v.visitorId, v]));
    expect(byId.get(aCtx.visitorId)).toMatchObject({ shareToken: aCtx.shareToken, lcid: aCtx.lcid, linkId, generation: 0, parentVisitorId: null });
    expect(byId.get(bCtx.visitorId)).toMatchObject({ shareToken: bCtx.shareToken, lcid: null, linkId, generation: 1, parentVisitorId: aCtx.visitorId });
    expect(byId.get(cCtx.visitorId)).toMatchObject({ shareToken: cCtx.shareToken, linkId, generation: 2, parentVisitorId: bCtx.visitorId });

    const stored = await db.select().from(arrivals);
    const ab = stored.find((r) => r.visitorId === bCtx.visitorId)!;
    expect(ab).toMatchObject({ shareToken: aCtx.shareToken, parentVisitorId: aCtx.visitorId, generation: 1, linkId, referrerHost: null, dark: true, channel: "messaging", rule: "copy_paste_no_referrer" });
    const bc = stored.find((r) => r.visitorId === cCtx.visitorId)!;
    expect(bc).toMatchObject({ shareToken: bCtx.shareToken, parentVisitorId: bCtx.visitorId, generation: 2, linkId, dark: false, channel: "social", source: "linkedin" });

    const [conversion] = await db.select().from(conversions);
    expect(conversion).toMatchObject({ origin: "tracker", type: "purchase", value: 49.9, currency: "EUR", externalId: ORDER, visitorId: bCtx.visitorId, shareToken: bCtx.shareToken, lcid: null });

    const [response] = await db.select().from(surveyResponses);
    expect(response).toMatchObject({ surveyId: survey.json.id, optionId: friend.id, visitorId: bCtx.visitorId, shareToken: bCtx.shareToken, lcid: null });
    if (friend.channel) expect(response!.channel).toBe(friend.channel);

    // The journey of the link: exactly this scenario.
    const journey = await api<Record<string, unknown>>(linksBase, "GET", `/api/links/${linkId}/journey`);
    expect(journey.status).toBe(200);
    expect(journey.json).toEqual({
      linkId,
      from: null,
      to: null,
      unfurls: { total: 2, byApp: { slack: 1, whatsapp: 1 } },
      clicks: { human: 1 },
      landingVisitors: 1,
      reshares: { total: 2, dark: 1, visitors: 2, byGeneration: { "1": 1, "2": 1 } },
      visitors: 3,
      resharesPerVisitor: 2 / 3,
      conversions: { total: 1, byGeneration: { "1": 1 }, byType: { purchase: 1 }, value: { EUR: 49.9 } },
    });
    for (const v of [a, b, c]) expect(v.errors).toEqual([]);
  }, 180_000);
});
