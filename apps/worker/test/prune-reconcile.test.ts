import { DAY_MS, utcDay } from "@lantern/core";
import { schema } from "@lantern/db";
import { createTestDb, type TestDb } from "@lantern/db/testing";
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pruneRawEvents } from "../src/prune/prune.ts";
import { retainedFrom } from "../src/prune/retention.ts";
import { runReconcile } from "../src/reconcile/run.ts";
import { conversion, landing, linkHit, response } from "./helpers.ts";
import { addLink, eventDay, ingest, setRetention } from "./prune-fixtures.ts";

/**
 * Reconciliation after pruning: runs told from when raw events are retained (as the reconcile worker
 * does, from the retention setting) keep what the pruned events supported, and still recompute the rest.
 */

const NOW = Date.UTC(2025, 5, 20, 12);
const HOUR = 3_600_000;
const ago = (days: number) => NOW - days * DAY_MS;

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
  await addLink(t.db);
  await setRetention(t.db, 30, NOW);
});
afterEach(async () => t.cleanup());

const attribution = async () => new Map((await t.db.select().from(schema.conversionAttribution)).map((r) => [r.conversionId, r]));
const creditsOf = async (id: string) => (await t.db.select().from(schema.attributionCredits).where(eq(schema.attributionCredits.conversionId, id))).map((c) => JSON.stringify(c)).sort();
const linkDays = async () => new Map((await t.db.select().from(schema.linkDaily)).map((r) => [r.day, r]));
const dailyBefore = async (day: string) => (await t.db.select().from(schema.attributionDaily)).filter((r) => r.day < day).map((r) => JSON.stringify(r)).sort();

/** attribution_daily holds exactly the credits summed per day, view, model, channel and source. */
async function expectDailyMatchesCredits() {
  const sums = await t.db.all<{ key: string; credits: number }>(sql`
    SELECT strftime('%Y-%m-%d', ts / 1000, 'unixepoch') || '/' || view || '/' || model || '/' || channel || '/' || coalesce(source, '') AS key, sum(credit) AS credits
    FROM attribution_credits GROUP BY key ORDER BY key`);
  const rows = (await t.db.select().from(schema.attributionDaily)).map((r) => ({ key: `${r.day}/${r.view}/${r.model}/${r.channel}/${r.source}`, credits: r.credits }));
  rows.sort((a, b) => (a.key < b.key ? -1 : 1));
  expect(rows.map((r) => r.key)).toEqual(sums.map((s) => s.key));
  for (const [i, r] of rows.entries()) expect(r.credits).toBeCloseTo(sums[i]!.credits, 9);
}

/** A visitor who came through a click on L1 `clickDaysAgo` days ago and bought `buyDaysAgo` days ago. */
function clickThenBuy(visitorId: string, clickDaysAgo: number, buyDaysAgo: number) {
  const click = linkHit({ linkId: "L1", ts: ago(clickDaysAgo) });
  const buy = conversion({ visitorId, ts: ago(buyDaysAgo) });
  return { events: [click, landing({ visitorId, lcid: click.id, shareToken: `t${visitorId}`, ts: click.ts + 1 }), buy], conversionId: buy.id };
}

describe("reconciliation after pruning", () => {
  it("a full run keeps the old days' link activity and the attribution pruned events made, and recomputes the rest", async () => {
    const old = eventDay(ago(45), "old");
    // Inside retention, but the click on its path is not.
    const crossing = clickThenBuy("M", 35, 25);
    const recent = eventDay(ago(5), "recent");
    for (const e of [old, crossing, recent]) await ingest(t.db, e.events, NOW);
    await runReconcile(t.db, { now: NOW });
    const before = { rows: await attribution(), links: await linkDays(), oldCredits: await creditsOf(old.conversionId), crossingCredits: await creditsOf(crossing.conversionId) };
    expect(before.rows.get(old.conversionId)).toMatchObject({ softwareChannel: "organic_search", linkId: "L1" });
    expect(before.rows.get(crossing.conversionId)).toMatchObject({ softwareChannel: "social", linkId: "L1" });
    expect(before.links.get(utcDay(ago(45)))).toMatchObject({ clicks: 1, unfurls: 1, reshares: 1, conversions: 1 });
    expect(before.links.get(utcDay(ago(35)))).toMatchObject({ clicks: 1, conversions: 0 });

    const pruned = await pruneRawEvents(t.db, { now: NOW });
    expect(pruned.deleted).toMatchObject({ clicks: 2, unfurls: 1, arrivals: 1, visits: 1 });
    // After the prune: one more click on the recent day, and an old conversion never reconciled yet.
    await ingest(t.db, [linkHit({ linkId: "L1", ts: ago(5) + HOUR })], NOW);
    const late = conversion({ visitorId: "L", ts: ago(40) });
    await ingest(t.db, [late], NOW);
    const dayKept = await dailyBefore(utcDay(ago(29)));

    const later = NOW + HOUR;
    const run = await runReconcile(t.db, { mode: "full", now: later, retainedFrom: await retainedFrom(t.db.$client, later) });

    expect(run).toMatchObject({ mode: "full", conversions: 2 });
    const rows = await attribution();
    // The old conversion and the one whose click was pruned: their rows and credits exactly as before.
    for (const id of [old.conversionId, crossing.conversionId]) expect(rows.get(id)).toEqual(before.rows.get(id));
    expect(await creditsOf(old.conversionId)).toEqual(before.oldCredits);
    expect(await creditsOf(crossing.conversionId)).toEqual(before.crossingCredits);
    // The recent one reconciled again, to the same result; the old one new to attribution reconciled with what is left.
    expect(rows.get(recent.conversionId)).toEqual({ ...before.rows.get(recent.conversionId), reconciledAt: later });
    expect(rows.get(late.id)).toMatchObject({ softwareChannel: "direct", reconciledAt: later });

    // link_daily: days before the first retained day as they were; the conversion days kept as stored;
    // the recent day recounted (with the new click).
    const links = await linkDays();
    for (const days of [45, 35, 25]) expect(links.get(utcDay(ago(days)))).toEqual(before.links.get(utcDay(ago(days))));
    expect(links.get(utcDay(ago(5)))).toEqual({ ...before.links.get(utcDay(ago(5))), clicks: 2 });
    // attribution_daily: the old days as they were, plus the late conversion; every day still the sum of its credits.
    expect(await dailyBefore(utcDay(ago(40)))).toEqual(dayKept.filter((r) => JSON.parse(r).day < utcDay(ago(40))));
    await expectDailyMatchesCredits();

    // Without retention information a run is what it always was: everything recomputed from what is left.
    await runReconcile(t.db, { mode: "full", now: later + 1 });
    expect((await linkDays()).get(utcDay(ago(45)))).toBeUndefined();
    expect((await attribution()).get(old.conversionId)).toMatchObject({ softwareChannel: "direct" });
  });

  it("a conversion gone from a kept day takes its share out of that day's roll-ups", async () => {
    const [kept, gone] = [eventDay(ago(45), "kept"), eventDay(ago(45) + HOUR, "gone")];
    for (const e of [kept, gone]) await ingest(t.db, e.events, NOW);
    await runReconcile(t.db, { now: NOW });
    expect((await linkDays()).get(utcDay(ago(45)))).toMatchObject({ clicks: 2, conversions: 2 });
    await pruneRawEvents(t.db, { now: NOW });
    await t.db.delete(schema.conversions).where(eq(schema.conversions.id, gone.conversionId));

    await runReconcile(t.db, { mode: "full", now: NOW + HOUR, retainedFrom: await retainedFrom(t.db.$client, NOW + HOUR) });

    expect([...(await attribution()).keys()]).toEqual([kept.conversionId]);
    expect((await linkDays()).get(utcDay(ago(45)))).toMatchObject({ clicks: 2, conversions: 1 });
    await expectDailyMatchesCredits();
  });

  it("an incremental run never recounts a day before the retained events, and leaves alone the conversions whose evidence is pruned", async () => {
    const old = eventDay(ago(45), "old");
    const crossing = clickThenBuy("M", 35, 25);
    const recent = conversion({ visitorId: "R", ts: ago(2) });
    for (const e of [old.events, crossing.events, [recent]]) await ingest(t.db, e, NOW);
    await runReconcile(t.db, { now: NOW });
    const before = { rows: await attribution(), links: await linkDays() };
    await pruneRawEvents(t.db, { now: NOW });

    // New: a click today, and answers (received now) for the crossing conversion and the recent one.
    const later = NOW + HOUR;
    const answer = (visitorId: string, ts: number) => response({ visitorId, ts: ts + 60_000, otherText: "a friend told me" });
    await ingest(t.db, [linkHit({ linkId: "L1", ts: NOW }), answer("M", ago(25)), answer("R", ago(2))], later);
    const run = await runReconcile(t.db, { now: later + 1, overlapMs: 0, retainedFrom: await retainedFrom(t.db.$client, later) });

    expect(run).toMatchObject({ mode: "incremental", conversions: 1 });
    const rows = await attribution();
    expect(rows.get(crossing.conversionId)).toEqual(before.rows.get(crossing.conversionId));
    expect(rows.get(recent.id)).toMatchObject({ selfChannel: "word_of_mouth", responded: true, reconciledAt: later + 1 });
    const links = await linkDays();
    // The last run's link watermark is 35 days old: the recount would have started there.
    for (const days of [45, 35, 25]) expect(links.get(utcDay(ago(days)))).toEqual(before.links.get(utcDay(ago(days))));
    expect(links.get(utcDay(NOW))).toMatchObject({ clicks: 1 });
    await expectDailyMatchesCredits();
  });
});
