import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attributionDaily, clicks, conversionAttribution, conversions, linkDaily, links, reconcileState, surveyResponses, surveys, surveyViews, unfurls } from "@lantern/db/schema";
import { BOOTSTRAP_KEY, harness, withKey, type Harness } from "./server-helpers.ts";

/**
 * Hand-filled tables for June 2024 (plus rows outside it that must not count):
 *   c1 06-03 whatsapp click + "a friend told me"   -> word_of_mouth, dark (self report, tagged link)
 *   c2 06-04 google click + "podcast"              -> podcast, not dark
 *   c3 06-05 copy-paste arrival, no answer         -> messaging, dark (copy paste)
 *   c4 06-10 google click, no answer               -> organic_search
 *   c5 06-11 whatsapp click + "WhatsApp"           -> messaging, dark (self report, tagged link)
 *   c6 06-12 google click + "Google"               -> organic_search
 *   c7 05-20 outside the range
 */
const D = (day: string, hour = 12) => Date.parse(`${day}T${String(hour).padStart(2, "0")}:00:00.000Z`);
const JUNE = "from=2024-06-01&to=2024-06-30";

let h: Harness;

function conv(id: string, day: string, o: Partial<typeof conversionAttribution.$inferInsert>) {
  return {
    conversionId: id,
    ts: D(day),
    value: null,
    softwareChannel: "direct",
    softwareSource: null,
    selfChannel: null,
    selfSource: null,
    blendedChannel: "direct",
    blendedSource: null,
    responded: false,
    dark: false,
    darkReasons: [],
    path: [{ kind: "click", channel: o.softwareChannel ?? "direct", ts: D(day, 10) }],
    linkId: null,
    campaign: null,
    rule: "software_only",
    rulesetVersion: "reconcile-2025.1",
    reconciledAt: D("2024-06-20"),
    ...o,
    // The answer's facts, as the reconciler derives them.
    answerNamed: (o.selfChannel ?? null) !== null,
    answerDark: (o.darkReasons ?? []).includes("dark_self_report"),
    softwareDark: (o.darkReasons ?? []).some((r) => r !== "dark_self_report"),
  } satisfies typeof conversionAttribution.$inferInsert;
}

beforeAll(async () => {
  h = await harness({}, D("2024-07-15"));
  const db = h.t.db;
  await db.insert(conversionAttribution).values([
    conv("c1", "2024-06-03", { value: 100, softwareChannel: "messaging", softwareSource: "whatsapp", selfChannel: "word_of_mouth", selfSource: "friend", blendedChannel: "word_of_mouth", blendedSource: "friend", responded: true, dark: true, darkReasons: ["dark_self_report", "dark_tagged_link"], linkId: "L1", campaign: "launch", rule: "self_report_dark" }),
    conv("c2", "2024-06-04", { value: 50, softwareChannel: "organic_search", softwareSource: "google", selfChannel: "podcast", blendedChannel: "podcast", responded: true, rule: "self_report_untracked" }),
    conv("c3", "2024-06-05", { blendedChannel: "messaging", blendedSource: "whatsapp", dark: true, darkReasons: ["copy_paste_arrival"], rule: "copy_paste_arrival" }),
    conv("c4", "2024-06-10", { value: 20, softwareChannel: "organic_search", softwareSource: "google", blendedChannel: "organic_search", blendedSource: "google" }),
    conv("c5", "2024-06-11", { value: 30, softwareChannel: "messaging", softwareSource: "whatsapp", selfChannel: "messaging", selfSource: "whatsapp", blendedChannel: "messaging", blendedSource: "whatsapp", responded: true, dark: true, darkReasons: ["dark_self_report", "dark_tagged_link"], linkId: "L1", campaign: "launch" }),
    conv("c6", "2024-06-12", { softwareChannel: "organic_search", softwareSource: "google", selfChannel: "organic_search", selfSource: "google", blendedChannel: "organic_search", blendedSource: "google", responded: true }),
    conv("c7", "2024-05-20", { dark: true, darkReasons: ["copy_paste_arrival"], blendedChannel: "messaging", responded: true, selfChannel: "messaging" }),
  ]);
  // What the conversions themselves say (c1 from lantern.js, c5 from the site's server); the others have no row here.
  await db.insert(conversions).values([
    { id: "c1", externalId: "order-1", ts: D("2024-06-03"), receivedAt: D("2024-06-03"), type: "purchase", value: 100, currency: "EUR", origin: "tracker" },
    { id: "c5", externalId: "=order-5", ts: D("2024-06-11"), receivedAt: D("2024-06-11"), type: "lead", value: 30, currency: "USD", origin: "api" },
  ]);
  const daily = (day: string, view: string, model: string, channel: string, source: string, credits: number, value: number) => ({ day, view, model, channel, source, credits, value });
  await db.insert(attributionDaily).values([
    daily("2024-06-03", "blended", "last_touch", "word_of_mouth", "friend", 1, 100),
    daily("2024-06-04", "blended", "last_touch", "podcast", "", 1, 50),
    daily("2024-06-05", "blended", "last_touch", "messaging", "whatsapp", 1, 0),
    daily("2024-06-10", "blended", "last_touch", "organic_search", "google", 1, 20),
    daily("2024-06-11", "blended", "last_touch", "messaging", "whatsapp", 1, 30),
    daily("2024-06-12", "blended", "last_touch", "organic_search", "google", 1, 0),
    daily("2024-05-20", "blended", "last_touch", "messaging", "", 1, 0),
    daily("2024-06-03", "blended", "linear", "messaging", "whatsapp", 0.5, 50),
    daily("2024-06-03", "blended", "linear", "word_of_mouth", "friend", 0.5, 50),
    daily("2024-06-03", "software", "last_touch", "messaging", "whatsapp", 1, 100),
    daily("2024-06-11", "software", "last_touch", "messaging", "whatsapp", 1, 30),
    daily("2024-06-04", "software", "last_touch", "organic_search", "google", 1, 50),
    daily("2024-06-10", "software", "last_touch", "organic_search", "google", 1, 20),
    daily("2024-06-12", "software", "last_touch", "organic_search", "google", 1, 0),
    daily("2024-06-05", "software", "last_touch", "direct", "", 1, 0),
  ]);
  await db.insert(links).values({ id: "L1", slug: "=launch-wa", url: "https://example.com/launch", channel: "messaging", source: "whatsapp", campaign: "launch", utm: {}, tags: [], createdAt: D("2024-05-01"), updatedAt: D("2024-05-01") });
  const ld = (day: string, linkId: string, campaign: string | null, n: [number, number, number, number, number, number]) => ({
    day, linkId, campaign, clicks: n[0], unfurls: n[1], reshares: n[2], conversions: n[3], darkConversions: n[4], value: n[5],
  });
  await db.insert(linkDaily).values([
    ld("2024-06-03", "L1", "launch", [10, 3, 1, 1, 1, 100]),
    ld("2024-06-11", "L1", "launch", [4, 1, 0, 1, 1, 30]),
    ld("2024-06-04", "L2", "=cmd|' /C calc'!A0", [5, 0, 0, 0, 0, 0]),
    ld("2024-06-30", "L3", null, [7, 2, 1, 0, 0, 0]),
    ld("2024-05-31", "L1", "launch", [100, 50, 9, 9, 9, 900]),
    ld("2024-07-01", "L1", "launch", [100, 50, 9, 9, 9, 900]),
  ]);
  await db.insert(surveys).values({ id: "s1", name: "HDYHAU", question: { en: "How did you hear about us?" }, createdAt: D("2024-05-01"), updatedAt: D("2024-05-01") });
  await db.insert(surveyViews).values([
    ...Array.from({ length: 10 }, (_, i) => ({ id: `v${i}`, surveyId: "s1", ts: D("2024-06-03", i) })),
    { id: "v-out", surveyId: "s1", ts: D("2024-05-03") },
  ]);
  const resp = (id: string, day: string, receivedDay = day) => ({ id, surveyId: "s1", ts: D(day), receivedAt: D(receivedDay), rule: "option" });
  await db.insert(surveyResponses).values([
    resp("r1", "2024-06-03"),
    resp("r2", "2024-06-04"),
    resp("r3", "2024-06-11"),
    // Imported in July (a backfill): counts on the day it was given, like its view.
    resp("r4", "2024-06-12", "2024-07-15"),
    resp("r5", "2024-06-20"),
    resp("r6", "2024-06-21", "2024-08-01"),
    resp("r-out", "2024-07-02"),
    // Given in May, received in June: not a June answer.
    resp("r-may", "2024-05-20", "2024-06-05"),
  ]);
  await db.insert(unfurls).values([
    { id: "u1", linkId: "L1", ts: D("2024-06-03", 9), app: "slack" },
    { id: "u2", linkId: "L1", ts: D("2024-06-03", 10), app: "slack" },
    { id: "u3", linkId: "L1", ts: D("2024-06-11", 9), app: "whatsapp" },
    { id: "u4", linkId: "L1", ts: D("2024-05-11", 9), app: "whatsapp" },
  ]);
  const click = (id: string, day: string, inApp: string | null) => ({ id, linkId: "L1", ts: D(day, 10), channel: "messaging", source: "whatsapp", rule: inApp ? "in_app" : "link_tag", inApp });
  await db.insert(clicks).values([click("k1", "2024-06-03", "whatsapp"), click("k2", "2024-06-11", null), click("k3", "2024-05-11", "whatsapp")]);
});

afterAll(async () => {
  await h.close();
});

const get = async <T = Record<string, unknown>>(path: string, headers: Record<string, string> = {}) => {
  const res = await withKey(h, BOOTSTRAP_KEY, path, { headers });
  return { status: res.status, body: (await res.json()) as T };
};

describe("overview", () => {
  it("counts conversions, answers, views, clicks and unfurls of the range, and nothing outside it", async () => {
    const { status, body } = await get<Record<string, unknown>>(`/api/reports/overview?${JUNE}`);
    expect(status).toBe(200);
    expect(body.range).toEqual({ from: D("2024-06-01", 0), to: D("2024-07-01", 0), fromIso: "2024-06-01T00:00:00.000Z", toIso: "2024-07-01T00:00:00.000Z" });
    expect(body).toMatchObject({
      conversions: 6,
      value: 200,
      respondents: 4,
      responseRate: 4 / 6,
      // Answers given in June, wherever they were received (r4 and r6 arrived later, r-may earlier).
      answers: 6,
      views: 10,
      answerRate: 0.6,
      clicks: 26,
      unfurls: 6,
      reshares: 2,
      darkConversions: 3,
    });
  });

  it("gives the dark share among respondents with its Wilson interval and the post-stratified share of all conversions", async () => {
    const { body } = await get<{ darkShare: { respondents: Record<string, number>; all: Record<string, unknown>; naive: unknown; explanation: string } }>(`/api/reports/overview?${JUNE}`);
    const r = body.darkShare.respondents;
    expect(r.estimate).toBe(0.5);
    expect(r.dark).toBe(2);
    expect(r.n).toBe(4);
    expect(r.low).toBeCloseTo(0.15003, 4);
    expect(r.high).toBeCloseTo(0.84997, 4);
    // messaging stratum: 2 of 2 respondents dark; organic search: 0 of 2; direct: no respondents (missing).
    expect(body.darkShare.all.estimate).toBeCloseTo(0.4, 10);
    expect(body.darkShare.all.coverage).toBeCloseTo(5 / 6, 10);
    expect(body.darkShare.all.missingStrata).toEqual([{ channel: "direct", label: "Direct / unknown", dark: false, conversions: 1 }]);
    expect(body.darkShare.naive).toEqual({ estimate: 0.5, darkConversions: 3 });
    expect(body.darkShare.all.bounds).toEqual({ low: expect.any(Number), high: expect.any(Number) });
    expect(body.darkShare.explanation).toContain("the naive figure is higher");
  });

  it("checks the answers against buyers software saw arrive through a private channel and widens the interval by what it finds", async () => {
    const { body } = await get<{ darkShare: { all: Record<string, unknown> & { faceValue: { low: number; high: number } }; explanation: string } }>(`/api/reports/overview?${JUNE}`);
    const all = body.darkShare.all;
    // c1 and c5 came through a dark-tagged link and both named a dark channel: 2 of 2, Beta(3, 1) interval.
    expect(all.answerCheck).toEqual({ respondents: 2, namedDark: 2, sensitivity: 1, low: expect.closeTo(0.025 ** (1 / 3), 10), high: expect.closeTo(0.975 ** (1 / 3), 10) });
    // Every dark respondent is software-confirmed and nobody else named a dark channel: there is nothing
    // to correct, whatever the sensitivity, so the interval is the sampling one.
    expect(all.corrected).toBeCloseTo(0.4, 10);
    expect(all.faceValue).toEqual({ low: all.low, high: all.high });
    expect(all.high).toBeLessThan(0.65);
    expect(body.darkShare.explanation).toContain("Answer check: of 2 buyers software saw arrive through a private channel, 2 (100.0%) named one");
  });

  it("lists the top channels of the blended mix with intervals", async () => {
    const { body } = await get<{ topChannels: { channel: string; conversions: number; share: number; low: number; high: number }[] }>(`/api/reports/overview?${JUNE}`);
    expect(body.topChannels.map((c) => [c.channel, c.conversions, c.share])).toEqual([
      ["messaging", 2, 2 / 6],
      ["organic_search", 2, 2 / 6],
      ["podcast", 1, 1 / 6],
      ["word_of_mouth", 1, 1 / 6],
    ]);
    for (const c of body.topChannels) {
      expect(c.low).toBeLessThan(c.share);
      expect(c.high).toBeGreaterThan(c.share);
    }
  });
});

describe("estimated channel mix", () => {
  it("re-weights respondents' channels by software channel, as the dark share is", async () => {
    const { body } = await get<{ estimatedMix: { coverage: number; channels: { channel: string; share: number; conversions: number; low: number; high: number }[] } }>(`/api/reports/overview?${JUNE}`);
    // messaging (2 conversions): c1 word of mouth, c5 messaging. organic search (3): c2 podcast, c6
    // organic search, c4 silent. direct (1, nobody answered): left out, 5 of 6 covered.
    expect(body.estimatedMix.coverage).toBeCloseTo(5 / 6, 12);
    expect(body.estimatedMix.channels.map((c) => [c.channel, c.share, c.conversions])).toEqual([
      ["organic_search", expect.closeTo(0.3, 12), expect.closeTo(1.5, 12)],
      ["podcast", expect.closeTo(0.3, 12), expect.closeTo(1.5, 12)],
      ["messaging", expect.closeTo(0.2, 12), expect.closeTo(1, 12)],
      ["word_of_mouth", expect.closeTo(0.2, 12), expect.closeTo(1, 12)],
    ]);
    for (const c of body.estimatedMix.channels) expect(c.low <= c.share && c.share <= c.high).toBe(true);
  });
});

describe("channels", () => {
  it("sums credits and value per channel and per source for a model and view", async () => {
    const { body } = await get<Record<string, unknown>>(`/api/reports/channels?${JUNE}&model=last_touch&view=blended`);
    expect(body.totals).toEqual({ credits: 6, value: 200 });
    expect(body.channels).toEqual([
      { channel: "messaging", label: "Messaging apps", dark: true, credits: 2, value: 30, share: 2 / 6 },
      { channel: "organic_search", label: "Organic search", dark: false, credits: 2, value: 20, share: 2 / 6 },
      { channel: "podcast", label: "Podcasts", dark: false, credits: 1, value: 50, share: 1 / 6 },
      { channel: "word_of_mouth", label: "Word of mouth", dark: true, credits: 1, value: 100, share: 1 / 6 },
    ].map((c) => ({ ...c, share: Math.round(c.share * 1e6) / 1e6 })));
    expect(body.sources).toContainEqual({ channel: "podcast", source: null, credits: 1, value: 50, share: Math.round((1 / 6) * 1e6) / 1e6 });
  });

  it("defaults to last touch, blended, and keeps fractional credits of other models", async () => {
    const def = await get<{ model: string; view: string; models: string[]; views: string[] }>(`/api/reports/channels?${JUNE}`);
    expect(def.body.model).toBe("last_touch");
    expect(def.body.view).toBe("blended");
    expect(def.body.models).toEqual(["first_touch", "last_touch", "last_non_direct", "linear", "position_based", "time_decay"]);
    const linear = await get<{ channels: { channel: string; credits: number; share: number }[] }>(`/api/reports/channels?${JUNE}&model=linear`);
    expect(linear.body.channels.map((c) => [c.channel, c.credits, c.share])).toEqual([
      ["messaging", 0.5, 0.5],
      ["word_of_mouth", 0.5, 0.5],
    ]);
  });
});

describe("gap", () => {
  it("puts software last-touch next to self-reports extrapolated stratum by stratum to all conversions", async () => {
    const { body } = await get<{ conversions: number; respondents: number; coveredShare: number; uncoveredConversions: number; channels: Record<string, unknown>[] }>(`/api/reports/gap?${JUNE}`);
    expect(body).toMatchObject({ conversions: 6, respondents: 4, uncoveredConversions: 1, coveredShare: 5 / 6 });
    // messaging stratum: 2 conversions, answers word_of_mouth 1, messaging 1 -> 1 each;
    // organic_search stratum: 3 conversions, answers podcast 1, organic_search 1 -> 1.5 each; direct: no answers.
    expect(body.channels).toEqual([
      { channel: "organic_search", label: "Organic search", dark: false, software: 3, selfReported: 1.5, gap: -1.5, relativeGap: -0.5 },
      { channel: "podcast", label: "Podcasts", dark: false, software: 0, selfReported: 1.5, gap: 1.5, relativeGap: null },
      { channel: "direct", label: "Direct / unknown", dark: false, software: 1, selfReported: 0, gap: -1, relativeGap: -1 },
      { channel: "messaging", label: "Messaging apps", dark: true, software: 2, selfReported: 1, gap: -1, relativeGap: -0.5 },
      { channel: "word_of_mouth", label: "Word of mouth", dark: true, software: 0, selfReported: 1, gap: 1, relativeGap: null },
    ]);
  });
});

describe("dark social", () => {
  it("gives the share per week (Mondays, empty weeks included) with intervals", async () => {
    const { body } = await get<{ interval: string; series: Record<string, unknown>[] }>(`/api/reports/dark-social?${JUNE}&interval=week`);
    expect(body.interval).toBe("week");
    expect(body.series.map((s) => [s.start, s.end, s.conversions, s.darkConversions, s.respondents, s.darkRespondents, s.share])).toEqual([
      ["2024-05-27", "2024-06-03", 0, 0, 0, 0, null],
      ["2024-06-03", "2024-06-10", 3, 2, 2, 1, 0.5],
      ["2024-06-10", "2024-06-17", 3, 1, 2, 1, 0.5],
      ["2024-06-17", "2024-06-24", 0, 0, 0, 0, null],
      ["2024-06-24", "2024-07-01", 0, 0, 0, 0, null],
    ]);
    expect(body.series[1]!.low).toBeCloseTo(0.0945, 3);
  });

  it("gives one entry per day by default", async () => {
    const { body } = await get<{ series: { start: string; conversions: number }[] }>(`/api/reports/dark-social?${JUNE}`);
    expect(body.series).toHaveLength(30);
    expect(body.series[2]).toMatchObject({ start: "2024-06-03", conversions: 1 });
  });

  it("breaks dark social down by unfurl app, in-app browser, self-reported source and evidence", async () => {
    const { body } = await get<{ bySource: Record<string, unknown>; byEvidence: unknown }>(`/api/reports/dark-social?${JUNE}`);
    expect(body.bySource).toEqual({
      unfurlApps: [{ source: "slack", count: 2 }, { source: "whatsapp", count: 1 }],
      inAppBrowsers: [{ source: "whatsapp", count: 1 }],
      selfReported: [{ source: "whatsapp", channel: "messaging", count: 1 }, { source: "friend", channel: "word_of_mouth", count: 1 }],
    });
    expect(body.byEvidence).toEqual([
      { reason: "dark_self_report", conversions: 2, share: 2 / 3 },
      { reason: "dark_tagged_link", conversions: 2, share: 2 / 3 },
      { reason: "copy_paste_arrival", conversions: 1, share: 1 / 3 },
    ]);
  });
});

describe("links", () => {
  it("ranks links and campaigns by conversions with clicks, unfurls and re-shares", async () => {
    const { body } = await get<Record<string, unknown>>(`/api/reports/links?${JUNE}`);
    expect(body.totals).toEqual({ clicks: 26, unfurls: 6, reshares: 2, conversions: 2, darkConversions: 2, value: 130 });
    expect(body.links).toEqual([
      { linkId: "L1", slug: "=launch-wa", url: "https://example.com/launch", channel: "messaging", source: "whatsapp", campaign: "launch", clicks: 14, unfurls: 4, reshares: 1, conversions: 2, darkConversions: 2, value: 130 },
      { linkId: "L3", slug: null, url: null, channel: null, source: null, campaign: null, clicks: 7, unfurls: 2, reshares: 1, conversions: 0, darkConversions: 0, value: 0 },
      { linkId: "L2", slug: null, url: null, channel: null, source: null, campaign: "=cmd|' /C calc'!A0", clicks: 5, unfurls: 0, reshares: 0, conversions: 0, darkConversions: 0, value: 0 },
    ]);
    expect(body.campaigns).toEqual([
      { campaign: "launch", links: 1, clicks: 14, unfurls: 4, reshares: 1, conversions: 2, darkConversions: 2, value: 130 },
      { campaign: null, links: 1, clicks: 7, unfurls: 2, reshares: 1, conversions: 0, darkConversions: 0, value: 0 },
      { campaign: "=cmd|' /C calc'!A0", links: 1, clicks: 5, unfurls: 0, reshares: 0, conversions: 0, darkConversions: 0, value: 0 },
    ]);
  });

  it("limits the links list", async () => {
    const { body } = await get<{ links: unknown[] }>(`/api/reports/links?${JUNE}&limit=1`);
    expect(body.links).toHaveLength(1);
  });
});

describe("conversions", () => {
  type Page = { conversions: { conversionId: string; selfReport: unknown; blended: unknown; rule: string; darkReasons: string[]; path: unknown }[]; nextCursor: string | null };

  it("pages through conversions newest first with their path, self-report, blended channel and rule", async () => {
    const seen: string[] = [];
    let cursor = "";
    for (let i = 0; i < 5; i++) {
      const { body } = await get<Page>(`/api/reports/conversions?${JUNE}&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...body.conversions.map((c) => c.conversionId));
      if (!body.nextCursor) break;
      cursor = body.nextCursor;
    }
    expect(seen).toEqual(["c6", "c5", "c4", "c3", "c2", "c1"]);
    const { body } = await get<Page>(`/api/reports/conversions?${JUNE}&limit=50`);
    const c1 = body.conversions.find((c) => c.conversionId === "c1")!;
    expect(c1).toMatchObject({
      selfReport: { channel: "word_of_mouth", source: "friend" },
      blended: { channel: "word_of_mouth", source: "friend" },
      software: { channel: "messaging", source: "whatsapp" },
      responded: true,
      dark: true,
      darkReasons: ["dark_self_report", "dark_tagged_link"],
      rule: "self_report_dark",
      rulesetVersion: "reconcile-2025.1",
      linkId: "L1",
      campaign: "launch",
      value: 100,
      orderId: "order-1",
      type: "purchase",
      origin: "tracker",
      currency: "EUR",
      path: [{ kind: "click", channel: "messaging", ts: D("2024-06-03", 10) }],
    });
    expect(body.conversions.find((c) => c.conversionId === "c3")).toMatchObject({ selfReport: null, orderId: null, type: null, origin: null, currency: null });
    expect(body.nextCursor).toBeNull();
  });

  it("says how many conversions match the range and filters, over all pages", async () => {
    type Counted = Page & { total: number };
    expect((await get<Counted>(`/api/reports/conversions?${JUNE}&limit=2`)).body.total).toBe(6);
    expect((await get<Counted>(`/api/reports/conversions?${JUNE}&limit=2&dark=true`)).body.total).toBe(3);
    const second = await get<Counted>(`/api/reports/conversions?${JUNE}&limit=2`);
    expect((await get<Counted>(`/api/reports/conversions?${JUNE}&limit=2&cursor=${second.body.nextCursor}`)).body.total).toBe(6);
    expect((await get<Counted>(`/api/reports/conversions?${JUNE}&order=order-1`)).body.total).toBe(1);
  });

  it("filters by dark and by blended channel", async () => {
    const dark = await get<Page>(`/api/reports/conversions?${JUNE}&dark=true`);
    expect(dark.body.conversions.map((c) => c.conversionId)).toEqual(["c5", "c3", "c1"]);
    const notDark = await get<Page>(`/api/reports/conversions?${JUNE}&dark=false`);
    expect(notDark.body.conversions.map((c) => c.conversionId)).toEqual(["c6", "c4", "c2"]);
    const messaging = await get<Page>(`/api/reports/conversions?${JUNE}&channel=messaging`);
    expect(messaging.body.conversions.map((c) => c.conversionId)).toEqual(["c5", "c3"]);
  });

  it("finds one conversion by the site's order id, within the range and the other filters", async () => {
    const one = await get<Page>(`/api/reports/conversions?${JUNE}&order=${encodeURIComponent("=order-5")}`);
    expect(one.body.conversions.map((c) => c.conversionId)).toEqual(["c5"]);
    const notDark = await get<Page>(`/api/reports/conversions?${JUNE}&order=order-1&dark=false`);
    expect(notDark.body.conversions).toEqual([]);
    const unknown = await get<Page>(`/api/reports/conversions?${JUNE}&order=order-404`);
    expect(unknown.body.conversions).toEqual([]);
    const outside = await get<Page>(`/api/reports/conversions?from=2024-05-01&to=2024-05-31&order=order-1`);
    expect(outside.body.conversions).toEqual([]);
  });
});

describe("CSV", () => {
  const csv = async (path: string, headers: Record<string, string> = {}) => {
    const res = await withKey(h, BOOTSTRAP_KEY, path, { headers });
    return { status: res.status, type: res.headers.get("content-type"), disposition: res.headers.get("content-disposition"), text: await res.text() };
  };

  it("every report answers CSV for a .csv path and for Accept: text/csv", async () => {
    for (const name of ["overview", "channels", "gap", "dark-social", "links", "conversions"]) {
      const bySuffix = await csv(`/api/reports/${name}.csv?${JUNE}`);
      expect(bySuffix.status, name).toBe(200);
      expect(bySuffix.type).toBe("text/csv; charset=utf-8");
      expect(bySuffix.disposition).toBe(`attachment; filename="lantern-${name}-2024-06-01-2024-06-30.csv"`);
      const byAccept = await csv(`/api/reports/${name}?${JUNE}`, { accept: "text/csv" });
      expect(byAccept.text).toBe(bySuffix.text);
    }
  });

  it("writes the channel table with exact numbers", async () => {
    const { text } = await csv(`/api/reports/channels.csv?${JUNE}&model=linear`);
    expect(text).toBe("channel,label,dark,credits,value,share\r\nmessaging,Messaging apps,true,0.5,50,0.5\r\nword_of_mouth,Word of mouth,true,0.5,50,0.5\r\n");
    const sources = await csv(`/api/reports/channels.csv?${JUNE}&model=linear&table=sources`);
    expect(sources.text.split("\r\n")[0]).toBe("channel,source,credits,value,share");
  });

  it("neutralises cells a spreadsheet would run as formulas", async () => {
    const { text } = await csv(`/api/reports/links.csv?${JUNE}`);
    const lines = text.trim().split("\r\n");
    expect(lines[0]).toBe("linkId,slug,url,channel,source,campaign,clicks,unfurls,reshares,conversions,darkConversions,value");
    expect(lines[1]).toBe("L1,'=launch-wa,https://example.com/launch,messaging,whatsapp,launch,14,4,1,2,2,130");
    const campaigns = await csv(`/api/reports/links.csv?${JUNE}&table=campaigns`);
    expect(campaigns.text).toContain("\r\n'=cmd|' /C calc'!A0,1,5,0,0,0,0,0\r\n");
  });

  it("exports every matching conversion, with the path as JSON", async () => {
    const { text } = await csv(`/api/reports/conversions.csv?${JUNE}&dark=true`);
    const lines = text.trim().split("\r\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(
      "conversionId,orderId,type,origin,time,value,currency,softwareChannel,softwareSource,selfChannel,selfSource,blendedChannel,blendedSource,responded,dark,darkReasons,rule,rulesetVersion,linkId,campaign,path",
    );
    // An order id a spreadsheet would run as a formula is defused like any other cell.
    expect(lines[1]).toMatch(/^c5,'=order-5,lead,api,2024-06-11T12:00:00.000Z,30,USD,/);
    expect(lines[2]).toMatch(/^c3,,,,2024-06-05T12:00:00.000Z,,,/);
    expect(lines[3]).toBe(`c1,order-1,purchase,tracker,2024-06-03T12:00:00.000Z,100,EUR,messaging,whatsapp,word_of_mouth,friend,word_of_mouth,friend,true,true,dark_self_report;dark_tagged_link,self_report_dark,reconcile-2025.1,L1,launch,"[{""kind"":""click"",""channel"":""messaging"",""ts"":${D("2024-06-03", 10)}}]"`);
  });

  it("the overview CSV has one row per figure", async () => {
    const { text } = await csv(`/api/reports/overview.csv?${JUNE}`);
    expect(text).toContain("\r\nconversions,6,,\r\n");
    expect(text).toContain("\r\nclicks,26,,\r\n");
    expect(text).toMatch(/\r\ndarkShareAll,0\.4,0\.\d+,0\.\d+\r\n/);
    expect(text).toMatch(/\r\ndarkShareAllFaceValue,0\.4,0\.\d+,0\.\d+\r\n/);
    expect(text).toContain("\r\ndarkShareAllCorrected,0.4,,\r\n");
    // No answer in June named nothing: the worst case for such answers is the estimate itself.
    expect(text).toContain("\r\ndarkShareAllUnnamedNotDark,0.4,,\r\n");
    expect(text).toMatch(/\r\nanswerCheckSensitivity,1,0\.29\d+,0\.99\d+\r\n/);
  });
});

describe("bad input and empty ranges", () => {
  const error = async (path: string) => {
    const { status, body } = await get<{ error: { code: string; message: string } }>(path);
    return { status, ...body.error };
  };

  it("reversed dates are a 400 that says so", async () => {
    const e = await error("/api/reports/overview?from=2024-06-30&to=2024-06-01");
    expect(e.status).toBe(400);
    expect(e.message).toContain("is after to");
  });

  it("dates that are not dates are a 400", async () => {
    for (const q of ["from=yesterday", "to=2024-13-01", "from=2024-02-30", "to=1e12", "from=-5"]) {
      const e = await error(`/api/reports/overview?${q}`);
      expect(e.status, q).toBe(400);
      expect(e.message, q).toContain("is not a date");
    }
  });

  it("unknown models, views, intervals, tables and channels are a 400 listing the valid ones", async () => {
    const model = await error(`/api/reports/channels?model=u_shape`);
    expect(model.status).toBe(400);
    expect(model.message).toBe('Unknown model "u_shape". Valid models: first_touch, last_touch, last_non_direct, linear, position_based, time_decay.');
    const view = await error(`/api/reports/channels?view=ga4`);
    expect(view.message).toBe('Unknown view "ga4". Valid views: software, self_reported, blended.');
    expect((await error(`/api/reports/dark-social?interval=month`)).message).toBe('Unknown interval "month". Valid intervals: day, week.');
    expect((await error(`/api/reports/links.csv?table=nope`)).message).toBe('Unknown table "nope". Valid tables: links, campaigns.');
    const channel = await error(`/api/reports/conversions?channel=telepathy`);
    expect(channel.status).toBe(400);
    expect(channel.message).toContain("Valid channels: organic_search, paid_search");
  });

  it("bad paging parameters are a 400", async () => {
    expect((await error(`/api/reports/conversions?limit=0`)).status).toBe(400);
    expect((await error(`/api/reports/conversions?limit=501`)).status).toBe(400);
    expect((await error(`/api/reports/conversions?limit=ten`)).status).toBe(400);
    expect((await error(`/api/reports/conversions?cursor=bm9wZQ`)).message).toContain("cursor");
    expect((await error(`/api/reports/conversions?dark=maybe`)).status).toBe(400);
  });

  it("an empty range answers zeros and empty lists on every report", async () => {
    const q = "from=2020-01-01&to=2020-01-31";
    const overview = await get<Record<string, unknown>>(`/api/reports/overview?${q}`);
    expect(overview.status).toBe(200);
    expect(overview.body).toMatchObject({
      conversions: 0, value: 0, respondents: 0, responseRate: null, answers: 0, views: 0, answerRate: null,
      clicks: 0, unfurls: 0, reshares: 0, darkConversions: 0, topChannels: [],
      darkShare: {
        respondents: { estimate: null, low: null, high: null, dark: 0, n: 0 },
        all: { estimate: null, low: null, high: null, missingStrata: [] },
        naive: { estimate: null, darkConversions: null },
        explanation: null,
      },
    });
    expect((await get(`/api/reports/channels?${q}`)).body).toMatchObject({ totals: { credits: 0, value: 0 }, channels: [], sources: [] });
    expect((await get(`/api/reports/gap?${q}`)).body).toMatchObject({ conversions: 0, respondents: 0, coveredShare: null, uncoveredConversions: 0, channels: [] });
    const dark = await get<{ series: { conversions: number; share: null }[]; byEvidence: unknown[] }>(`/api/reports/dark-social?${q}&interval=week`);
    expect(dark.body.series.every((s) => s.conversions === 0 && s.share === null)).toBe(true);
    expect(dark.body.byEvidence).toEqual([]);
    expect((await get(`/api/reports/links?${q}`)).body).toMatchObject({ totals: { clicks: 0, conversions: 0 }, links: [], campaigns: [] });
    expect((await get(`/api/reports/conversions?${q}`)).body).toMatchObject({ conversions: [], nextCursor: null });
    const zeroWidth = await get<Record<string, unknown>>(`/api/reports/overview?from=${D("2024-06-03")}&to=${D("2024-06-03")}`);
    expect(zeroWidth.status).toBe(200);
    expect(zeroWidth.body.conversions).toBe(0);
    expect(zeroWidth.body.clicks).toBe(0);
  });

  it("without from/to a report covers the last 30 days, today included", async () => {
    const { body } = await get<{ range: { fromIso: string; toIso: string } }>("/api/reports/overview");
    expect(body.range).toMatchObject({ fromIso: "2024-06-16T00:00:00.000Z", toIso: "2024-07-16T00:00:00.000Z" });
  });

  it("epoch milliseconds and date-times are accepted", async () => {
    const { body } = await get<{ conversions: number }>(`/api/reports/overview?from=${D("2024-06-03", 0)}&to=2024-06-05T00:00:00Z`);
    expect(body.conversions).toBe(2);
  });

  it("an API key without reports:read cannot read reports", async () => {
    const { createApiKey } = await import("@lantern/http");
    const { key } = await createApiKey(h.t.db, "links only", ["links:read"]);
    const res = await withKey(h, key, "/api/reports/overview");
    expect(res.status).toBe(403);
  });
});

describe("report cache", () => {
  it("reuses a result until the reconciler finishes another run; Cache-Control: no-cache forces a fresh one", async () => {
    const c = await harness({}, D("2024-07-15"));
    try {
      const overview = async (headers: Record<string, string> = {}) =>
        ((await (await withKey(c, BOOTSTRAP_KEY, `/api/reports/overview?${JUNE}`, { headers })).json()) as { conversions: number }).conversions;
      await c.t.db.insert(conversionAttribution).values(conv("a1", "2024-06-03", {}));
      expect(await overview()).toBe(1);
      await c.t.db.insert(conversionAttribution).values(conv("a2", "2024-06-04", {}));
      expect(await overview()).toBe(1);
      expect(await overview({ "cache-control": "no-cache" })).toBe(2);
      await c.t.db.insert(reconcileState).values({ id: "main", watermark: 1, lastRunAt: D("2024-07-15") });
      expect(await overview()).toBe(2);
    } finally {
      await c.close();
    }
  });
});
