import { type ConversionRecord, DAY_MS, RULESET_VERSION, type StoredPath } from "@lantern/core";
import { schema } from "@lantern/db";
import { createTestDb, type TestDb } from "@lantern/db/testing";
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runReconcile } from "../src/reconcile/run.ts";

/**
 * The reconcile runner against a real libSQL file: rows are inserted as ingestion stores them, then
 * reconciled, and the stored attribution, credits and roll-ups are checked.
 */

const T0 = Date.UTC(2025, 2, 10, 12);
const HOUR = 3_600_000;
const NOW = T0 + DAY_MS;

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
});
afterEach(async () => {
  await t.cleanup();
});

// ---- rows as ingestion stores them ----
async function link(id: string, channel: string | null, source: string | null, campaign: string | null = null) {
  await t.db.insert(schema.links).values({ id, slug: id, url: "https://shop.example/", channel, source, campaign, utm: {}, tags: [], createdAt: 0, updatedAt: 0 });
}
async function click(id: string, linkId: string, ts: number, c: { channel: string; source?: string | null; rule: string; referrerHost?: string | null; inApp?: string | null; unfurlApp?: string | null }) {
  await t.db.insert(schema.clicks).values({ id, linkId, ts, channel: c.channel, source: c.source ?? null, rule: c.rule, referrerHost: c.referrerHost ?? null, inApp: c.inApp ?? null, unfurlApp: c.unfurlApp ?? null });
}
async function unfurl(id: string, linkId: string, ts: number, app: string) {
  await t.db.insert(schema.unfurls).values({ id, linkId, ts, app });
}
async function visitor(visitorId: string, v: { shareToken?: string; lcid?: string | null; linkId?: string | null; parentVisitorId?: string | null; generation?: number } = {}) {
  await t.db.insert(schema.visitors).values({
    visitorId,
    shareToken: v.shareToken ?? `tok-${visitorId}`,
    lcid: v.lcid ?? null,
    linkId: v.linkId ?? null,
    parentVisitorId: v.parentVisitorId ?? null,
    generation: v.generation ?? 0,
    firstSeen: 0,
    lastSeen: 0,
  });
}
async function arrival(id: string, visitorId: string, parentVisitorId: string, ts: number, linkId: string | null) {
  await t.db.insert(schema.arrivals).values({
    id,
    ts,
    shareToken: `tok-${parentVisitorId}`,
    visitorId,
    parentVisitorId,
    generation: 1,
    linkId,
    channel: "messaging",
    source: null,
    rule: "copy_paste_no_referrer",
    dark: true,
  });
}
async function conversion(id: string, c: Partial<ConversionRecord> & { receivedAt?: number } = {}) {
  await t.db.insert(schema.conversions).values({
    id,
    ts: c.ts ?? T0,
    receivedAt: c.receivedAt ?? c.ts ?? T0,
    type: "purchase",
    value: c.value === undefined ? 100 : c.value,
    lcid: c.lcid ?? null,
    visitorId: c.visitorId ?? null,
    shareToken: c.shareToken ?? null,
    respondentHash: c.respondentHash ?? null,
    origin: "api",
  });
}
async function answer(
  id: string,
  a: { conversionId?: string | null; channel: string | null; source?: string | null; rule?: string; ts?: number; receivedAt?: number; respondentHash?: string | null; visitorId?: string | null },
) {
  const ts = a.ts ?? T0 + 60_000;
  await t.db.insert(schema.surveyResponses).values({
    id,
    surveyId: "s1",
    ts,
    receivedAt: a.receivedAt ?? ts,
    optionId: "o1",
    channel: a.channel,
    source: a.source ?? null,
    rule: a.rule ?? "option",
    conversionId: a.conversionId ?? null,
    respondentHash: a.respondentHash ?? null,
    visitorId: a.visitorId ?? null,
  });
}

/** The five scenarios of the first acceptance criterion, as stored rows. */
async function seedScenarios() {
  // (a) WhatsApp-tagged click, no referrer; "a friend told me".
  await link("Lwa", "messaging", "whatsapp", "spring");
  await click("Kwa", "Lwa", T0 - 2 * HOUR, { channel: "messaging", source: "whatsapp", rule: "link_tag" });
  await unfurl("Uwa", "Lwa", T0 - 3 * HOUR, "whatsapp");
  await visitor("Va", { lcid: "Kwa", linkId: "Lwa" });
  await conversion("Ca", { lcid: "Kwa", visitorId: "Va" });
  await answer("Ra", { conversionId: "Ca", channel: "word_of_mouth", source: "friend" });
  // (b) a Google click on a LinkedIn link; "a podcast".
  await link("Lli", "social", "linkedin", "spring");
  await click("Kg", "Lli", T0 - 3 * DAY_MS, { channel: "organic_search", source: "google", rule: "referrer", referrerHost: "www.google.com" });
  await conversion("Cb", { lcid: "Kg", value: 40 });
  await answer("Rb", { conversionId: "Cb", channel: "podcast" });
  // (c) a copy-paste arrival from a visitor who came through LinkedIn.
  await click("Ks", "Lli", T0 - 7 * DAY_MS, { channel: "social", source: "linkedin", rule: "referrer", referrerHost: "www.linkedin.com" });
  await visitor("Vs", { lcid: "Ks", linkId: "Lli" });
  await visitor("Vc", { linkId: "Lli", parentVisitorId: "Vs", generation: 1 });
  await arrival("Ac", "Vc", "Vs", T0 - DAY_MS, "Lli");
  await conversion("Cc", { visitorId: "Vc", shareToken: "tok-Vc", value: null });
  // (d) nothing known, no answer.
  await conversion("Cd", { value: 25 });
  // (e) one respondent converting twice; the second answer has no conversion id.
  await link("Lsl", "workchat", "slack", "community");
  await click("Ksl", "Lsl", T0 - 10 * DAY_MS - HOUR, { channel: "workchat", source: "slack", rule: "link_tag" });
  await conversion("Ce1", { ts: T0 - 10 * DAY_MS, lcid: "Ksl", respondentHash: "h-ann", value: 50 });
  await answer("Re1", { conversionId: "Ce1", channel: "workchat", source: "slack", ts: T0 - 10 * DAY_MS + 60_000, respondentHash: "h-ann" });
  await conversion("Ce2", { respondentHash: "h-ann", value: 80 });
  await answer("Re2", { channel: "word_of_mouth", rule: "keyword:friend", ts: T0 + HOUR, respondentHash: "h-ann" });
}

const attribution = async () => (await t.db.select().from(schema.conversionAttribution)).sort((a, b) => (a.conversionId < b.conversionId ? -1 : 1));
const credits = async () =>
  (await t.db.select().from(schema.attributionCredits)).sort((a, b) =>
    `${a.conversionId}/${a.view}/${a.model}/${a.position}` < `${b.conversionId}/${b.view}/${b.model}/${b.position}` ? -1 : 1,
  );
const daily = async () => (await t.db.select().from(schema.attributionDaily)).sort((a, b) => (`${a.day}${a.view}${a.model}${a.channel}${a.source}` < `${b.day}${b.view}${b.model}${b.channel}${b.source}` ? -1 : 1));
const linkDaily = async () => (await t.db.select().from(schema.linkDaily)).sort((a, b) => (`${a.day}${a.linkId}` < `${b.day}${b.linkId}` ? -1 : 1));

/** attribution_daily must equal the credits summed by day x view x model x channel x source. */
async function expectRollupsMatchCredits() {
  const sums = await t.db.all<{ day: string; view: string; model: string; channel: string; source: string; credits: number; value: number }>(sql`
    SELECT strftime('%Y-%m-%d', ts / 1000, 'unixepoch') AS day, view, model, channel, coalesce(source, '') AS source,
      sum(credit) AS credits, coalesce(sum(value), 0) AS value
    FROM attribution_credits GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`);
  const rolled = await daily();
  expect(rolled.map((r) => `${r.day}/${r.view}/${r.model}/${r.channel}/${r.source}`)).toEqual(sums.map((r) => `${r.day}/${r.view}/${r.model}/${r.channel}/${r.source}`));
  rolled.forEach((r, i) => {
    expect(r.credits).toBeCloseTo(sums[i]!.credits, 9);
    expect(r.value).toBeCloseTo(sums[i]!.value, 9);
  });
  const perLink = await t.db.all<{ day: string; link_id: string; n: number; dark: number; value: number }>(sql`
    SELECT strftime('%Y-%m-%d', ts / 1000, 'unixepoch') AS day, link_id, count(*) AS n, sum(dark) AS dark, coalesce(sum(value), 0) AS value
    FROM conversion_attribution WHERE link_id IS NOT NULL GROUP BY 1, 2`);
  const links = await linkDaily();
  for (const p of perLink) {
    const row = links.find((l) => l.day === p.day && l.linkId === p.link_id)!;
    expect([row.conversions, row.darkConversions]).toEqual([p.n, p.dark]);
    expect(row.value).toBeCloseTo(p.value, 9);
  }
  expect(links.reduce((s, l) => s + l.conversions, 0)).toBe(perLink.reduce((s, p) => s + p.n, 0));
}

describe("runReconcile", () => {
  it("stores the five hand-built scenarios with the expected channels, reasons, rules and credit rows", async () => {
    await seedScenarios();
    const run = await runReconcile(t.db, { now: NOW });
    expect(run).toMatchObject({ mode: "full", conversions: 6 });

    const rows = new Map((await attribution()).map((r) => [r.conversionId, r]));
    const pick = (id: string) => {
      const r = rows.get(id)!;
      return [r.softwareChannel, r.selfChannel, r.blendedChannel, r.dark, r.darkReasons, r.rule, r.linkId, r.campaign, r.responded];
    };
    expect(pick("Ca")).toEqual(["messaging", "word_of_mouth", "messaging", true, ["dark_self_report", "dark_tagged_link"], "blended:software_dark_confirmed", "Lwa", "spring", true]);
    expect(pick("Cb")).toEqual(["organic_search", "podcast", "podcast", false, [], "blended:self_report_untrackable", "Lli", "spring", true]);
    expect(pick("Cc")).toEqual(["messaging", null, "messaging", true, ["copy_paste_arrival"], "blended:software_only", "Lli", "spring", false]);
    expect(pick("Cd")).toEqual(["direct", null, "direct", false, [], "blended:no_evidence", null, null, false]);
    expect(pick("Ce1")).toEqual(["workchat", "workchat", "workchat", true, ["dark_self_report", "dark_tagged_link"], "blended:agree", "Lsl", "community", true]);
    expect(pick("Ce2")).toEqual(["workchat", "word_of_mouth", "workchat", true, ["dark_self_report", "dark_tagged_link"], "blended:software_dark_confirmed", "Lsl", "community", true]);
    for (const r of rows.values()) expect([r.rulesetVersion, r.reconciledAt]).toEqual([RULESET_VERSION, NOW]);
    // The answer's facts the reports group by: answer names a channel, names a dark one, software saw a dark touch.
    const facts = (id: string) => [rows.get(id)!.answerNamed, rows.get(id)!.answerDark, rows.get(id)!.softwareDark];
    expect(["Ca", "Cb", "Cc", "Cd"].map(facts)).toEqual([
      [true, true, true],
      [true, false, false],
      [false, false, true],
      [false, false, false],
    ]);

    const path = rows.get("Ce2")!.path as StoredPath;
    expect(path.touchpoints.map((tp) => [tp.kind, tp.id, tp.rule])).toEqual([
      ["click", "Ksl", "software:respondent"],
      ["self_report", "Re2", "self_report:keyword:friend"],
    ]);
    expect(path.rules).toEqual({ software: "software:respondent", selfReport: "self_report:keyword:friend", blended: "blended:software_dark_confirmed" });

    const all = await credits();
    const count = (id: string) => all.filter((c) => c.conversionId === id).length;
    // software 6 + self-reported 6 + blended (1+1+1+2+2+2) for a click and an answer; 9 + 9 for two touches
    // and no answer; 6 + 6 for nothing known.
    expect(["Ca", "Cb", "Cc", "Cd", "Ce1", "Ce2"].map(count)).toEqual([21, 21, 18, 12, 21, 21]);
    const sums = new Map<string, number>();
    for (const c of all) sums.set(`${c.conversionId}/${c.view}/${c.model}`, (sums.get(`${c.conversionId}/${c.view}/${c.model}`) ?? 0) + c.credit);
    for (const s of sums.values()) expect(s).toBeCloseTo(1, 12);
    // Credits carry the conversion's time and value share.
    const cb = all.filter((c) => c.conversionId === "Cb" && c.view === "blended" && c.model === "linear");
    expect(cb.map((c) => [c.channel, c.credit, c.value, c.ts, c.rule])).toEqual([
      ["organic_search", 0.5, 20, T0, "software:lcid"],
      ["podcast", 0.5, 20, T0, "self_report:option"],
    ]);
    await expectRollupsMatchCredits();

    // Link roll-up of the conversion day: clicks, unfurls and re-shares on their own days.
    const links = await linkDaily();
    const day = (ts: number) => new Date(ts).toISOString().slice(0, 10);
    expect(links.find((l) => l.linkId === "Lwa" && l.day === day(T0))).toMatchObject({ clicks: 1, unfurls: 1, reshares: 0, conversions: 1, darkConversions: 1, value: 100, campaign: "spring" });
    expect(links.find((l) => l.linkId === "Lli" && l.day === day(T0))).toMatchObject({ clicks: 0, conversions: 2, darkConversions: 1, value: 40 });
    expect(links.find((l) => l.linkId === "Lli" && l.day === day(T0 - DAY_MS))).toMatchObject({ reshares: 1, conversions: 0 });
  });

  it("running twice gives the same rows, whether the second run is full or incremental", async () => {
    await seedScenarios();
    await runReconcile(t.db, { now: NOW });
    const first = { a: await attribution(), c: await credits(), d: await daily(), l: await linkDaily() };
    await runReconcile(t.db, { now: NOW, mode: "full" });
    expect({ a: await attribution(), c: await credits(), d: await daily(), l: await linkDaily() }).toEqual(first);
    // A row committed late (stamped at the watermark) makes an incremental run look at the latest rows
    // again, through the overlap: it must not change them.
    await conversion("Clate", { ts: T0 + HOUR, receivedAt: T0 + HOUR });
    const inc = await runReconcile(t.db, { now: NOW });
    expect(inc).toMatchObject({ mode: "incremental", quiet: false });
    expect(inc.conversions).toBeGreaterThan(1);
    const others = <T extends { conversionId: string }>(rows: T[]) => rows.filter((r) => r.conversionId !== "Clate");
    expect({ a: others(await attribution()), c: others(await credits()), l: await linkDaily() }).toEqual({ a: first.a, c: first.c, l: first.l });
    await expectRollupsMatchCredits();
  });

  it("an incremental run reconciles only new conversions and answers and the conversions whose window they touch", async () => {
    await link("L", "social", "linkedin");
    await click("K1", "L", T0 - 5 * DAY_MS, { channel: "social", source: "linkedin", rule: "referrer" });
    await click("K2", "L", T0 - 2 * DAY_MS, { channel: "organic_search", source: "google", rule: "referrer" });
    // X: a later conversion of respondent h; Y: a conversion without an answer yet; Z: unrelated.
    await conversion("X", { ts: T0, respondentHash: "h", receivedAt: T0 });
    await conversion("Y", { ts: T0, lcid: "K2", receivedAt: T0 });
    await conversion("Z", { ts: T0, receivedAt: T0 });
    const first = await runReconcile(t.db, { now: NOW });
    expect(first).toMatchObject({ mode: "full", conversions: 3, watermark: T0 });

    // Later: an earlier conversion N of respondent h arrives late, and an answer for Y.
    const later = T0 + 2 * DAY_MS;
    await conversion("N", { ts: T0 - 4 * DAY_MS, lcid: "K1", respondentHash: "h", receivedAt: later });
    await answer("RY", { conversionId: "Y", channel: "word_of_mouth", receivedAt: later });
    const second = await runReconcile(t.db, { now: later + 1, overlapMs: 0 });
    expect(second).toMatchObject({ mode: "incremental", conversions: 3, watermark: later });

    const rows = new Map((await attribution()).map((r) => [r.conversionId, r]));
    expect(["N", "X", "Y", "Z"].map((id) => rows.get(id)!.reconciledAt)).toEqual([later + 1, later + 1, later + 1, NOW]);
    // X's path now holds N's click, tied through the respondent.
    expect((rows.get("X")!.path as StoredPath).touchpoints.map((tp) => `${tp.id}:${tp.rule}`)).toEqual(["K1:software:respondent"]);
    expect([rows.get("Y")!.responded, rows.get("Y")!.selfChannel, rows.get("Y")!.dark]).toEqual([true, "word_of_mouth", true]);
    await expectRollupsMatchCredits();

    // Nothing new: nothing reconciled.
    expect(await runReconcile(t.db, { now: later + 2, overlapMs: 0 })).toMatchObject({ mode: "incremental", conversions: 0 });
    // And a full run agrees with what the incremental runs left.
    const incremental = { a: (await attribution()).map(({ reconciledAt, ...r }) => r), c: await credits() };
    await runReconcile(t.db, { now: later + 3, mode: "full" });
    expect({ a: (await attribution()).map(({ reconciledAt, ...r }) => r), c: await credits() }).toEqual(incremental);
    await expectRollupsMatchCredits();
  });

  it("an answer without a conversion id is tied to the nearest conversion of the same visitor within a day", async () => {
    await conversion("early", { ts: T0 - 6 * HOUR, visitorId: "V" });
    await conversion("late", { ts: T0 + HOUR, visitorId: "V" });
    await conversion("other", { ts: T0, visitorId: "W" });
    await answer("R", { channel: "podcast", ts: T0, visitorId: "V" });
    await answer("far", { channel: "podcast", ts: T0 + 3 * DAY_MS, visitorId: "W", receivedAt: T0 });
    await runReconcile(t.db, { now: NOW });
    const rows = new Map((await attribution()).map((r) => [r.conversionId, r]));
    expect(["early", "late", "other"].map((id) => rows.get(id)!.selfChannel)).toEqual([null, "podcast", null]);

    // A new answer arriving later for visitor W, near "other": the incremental run finds it.
    await answer("R2", { channel: "word_of_mouth", ts: T0 + HOUR, visitorId: "W", receivedAt: NOW + 10 });
    await runReconcile(t.db, { now: NOW + 20, overlapMs: 0 });
    const [other] = await t.db.select().from(schema.conversionAttribution).where(eq(schema.conversionAttribution.conversionId, "other"));
    expect([other!.selfChannel, other!.dark]).toEqual(["word_of_mouth", true]);
  });

  it("an admin's edit of one channel leaves every other channel as dark as before; a channel switched to dark counts", async () => {
    await link("LW", "messaging", "whatsapp");
    await click("KW", "LW", T0 - HOUR, { channel: "messaging", source: "whatsapp", rule: "link_tag" });
    await conversion("CW", { lcid: "KW" });
    await link("LE", "email", "newsletter");
    await click("KE", "LE", T0 - HOUR, { channel: "email", source: "newsletter", rule: "link_tag" });
    await conversion("CE", { lcid: "KE" });
    // What Settings -> Channels stores: only the rows someone edited.
    await t.db.insert(schema.channels).values([
      { key: "social", label: "Social networks", group: "social", dark: false },
      { key: "email", label: "Email (ours, often forwarded)", group: "owned", dark: true },
    ]);
    await runReconcile(t.db, { now: NOW });
    const dark = await t.db.select({ id: schema.conversionAttribution.conversionId, dark: schema.conversionAttribution.dark }).from(schema.conversionAttribution);
    expect(Object.fromEntries(dark.map((r) => [r.id, r.dark]))).toEqual({ CW: true, CE: true });
  });

  it("a change of the ruleset version makes the next run a full one", async () => {
    await conversion("C");
    await runReconcile(t.db, { now: NOW });
    await t.db.update(schema.reconcileState).set({ rulesetVersion: "older" });
    expect((await runReconcile(t.db, { now: NOW })).mode).toBe("full");
    const state = await t.db.select().from(schema.reconcileState);
    expect(state.map((s) => s.rulesetVersion)).toEqual([RULESET_VERSION, RULESET_VERSION]);
  });

  it("new clicks, unfurls and re-shares are counted into link_daily by incremental runs", async () => {
    await link("L", "messaging", "whatsapp", "c1");
    await click("K1", "L", T0, { channel: "messaging", source: "whatsapp", rule: "link_tag" });
    await runReconcile(t.db, { now: NOW });
    await click("K2", "L", T0 + HOUR, { channel: "messaging", source: "whatsapp", rule: "link_tag" });
    await unfurl("U1", "L", T0 + HOUR, "whatsapp");
    await visitor("P");
    await visitor("Q", { parentVisitorId: "P", generation: 1 });
    await arrival("A1", "Q", "P", T0 + 2 * HOUR, "L");
    await runReconcile(t.db, { now: NOW + 1 });
    expect(await linkDaily()).toEqual([
      { day: new Date(T0).toISOString().slice(0, 10), linkId: "L", campaign: "c1", clicks: 2, unfurls: 1, reshares: 1, conversions: 0, darkConversions: 0, value: 0 },
    ]);
  });

  it("with nothing in the database a run does nothing and says so", async () => {
    expect(await runReconcile(t.db, { now: NOW })).toMatchObject({ mode: "full", conversions: 0, watermark: 0 });
    expect(await runReconcile(t.db, { now: NOW })).toMatchObject({ mode: "incremental", conversions: 0 });
  });
});
