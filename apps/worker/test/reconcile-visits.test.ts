import { DAY_MS, } from "@lantern/core";
import { schema } from "@lantern/db";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runReconcile } from "../src/reconcile/run.ts";
import { useReconcileDb } from "./reconcile-helpers.ts";
import { conversion, landing, linkHit, visit } from "./helpers.ts";

/**
 * Untagged visits from ingestion to attribution: events stored through ingestEvents, then reconciled by
 * runReconcile against a real libSQL file.
 */

const T0 = Date.UTC(2025, 5, 2, 12);
const HOUR = 3_600_000;

const t = useReconcileDb();
const { ingest, attribution, pathOf } = t;
const softwareCredit = async (id: string, model: string) =>
  (await t.db.select().from(schema.attributionCredits).where(and(eq(schema.attributionCredits.conversionId, id), eq(schema.attributionCredits.view, "software"), eq(schema.attributionCredits.model, model)))).map(
    (c) => [c.channel, c.source, c.credit],
  );

describe("visits in reconciliation", () => {
  it("a conversion whose visitor came from Google is organic search for software, and not dark", async () => {
    const buy = conversion({ visitorId: "V", ts: T0 });
    await ingest([visit({ visitorId: "V", ts: T0 - 2 * HOUR, referrer: "https://www.google.com/" }), buy], T0);
    await runReconcile(t.db, { now: T0 + HOUR });
    const row = await attribution(buy.id);
    expect([row.softwareChannel, row.softwareSource, row.blendedChannel, row.dark, row.softwareDark, row.darkReasons]).toEqual(["organic_search", "google", "organic_search", false, false, []]);
    expect(await pathOf(buy.id)).toEqual(["visit:organic_search:software:visitor"]);
    expect(await softwareCredit(buy.id, "last_touch")).toEqual([["organic_search", "google", 1]]);
  });

  it("a visit from a link pasted in Slack makes the conversion dark, seen by software", async () => {
    const buy = conversion({ visitorId: "V", ts: T0 });
    await ingest([visit({ visitorId: "V", ts: T0 - HOUR, referrer: "https://app.slack.com/client/T1" }), buy], T0);
    await runReconcile(t.db, { now: T0 + HOUR });
    const row = await attribution(buy.id);
    expect([row.softwareChannel, row.softwareSource, row.dark, row.softwareDark, row.answerDark, row.darkReasons]).toEqual(["workchat", "slack", true, true, false, ["dark_referrer"]]);
  });

  it("an incremental run after a late visit reconciles the conversion again, and only it", async () => {
    const buy = conversion({ visitorId: "V", ts: T0 });
    const other = conversion({ visitorId: "W", ts: T0 });
    await ingest([buy, other], T0);
    expect(await runReconcile(t.db, { now: T0 + HOUR })).toMatchObject({ mode: "full", conversions: 2 });
    expect((await attribution(buy.id)).softwareChannel).toBe("direct");

    // The visit happened before the conversion but reaches the worker a day later (a spooled beacon).
    const later = T0 + DAY_MS;
    const stored = await ingest([visit({ visitorId: "V", ts: T0 - HOUR, userAgent: "Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 Mobile/15E148 [WAiOS/2.25.31]" })], later);
    expect(stored.visits).toBe(1);
    expect(await runReconcile(t.db, { now: later + 1, overlapMs: 0 })).toMatchObject({ mode: "incremental", conversions: 1, watermark: later });
    const row = await attribution(buy.id);
    expect([row.softwareChannel, row.softwareSource, row.dark, row.darkReasons, row.reconciledAt]).toEqual(["messaging", "whatsapp", true, ["messaging_in_app_browser"], later + 1]);
    expect((await attribution(other.id)).reconciledAt).toBe(T0 + HOUR);
    // The roll-up moved with it: software last touch of the day is one WhatsApp and one direct conversion.
    const daily = await t.db.select().from(schema.attributionDaily).where(and(eq(schema.attributionDaily.view, "software"), eq(schema.attributionDaily.model, "last_touch")));
    expect(daily.map((d) => [d.channel, d.source, d.credits]).sort()).toEqual([["direct", "", 1], ["messaging", "whatsapp", 1]]);
    // Nothing new: nothing to do.
    expect(await runReconcile(t.db, { now: later + 2, overlapMs: 0 })).toMatchObject({ conversions: 0 });
  });

  it("a visit after a tagged click is on the path after it, and counts neither as a click nor as a re-share of the link", async () => {
    const click = linkHit({ linkId: "L1", ts: T0 - 3 * DAY_MS });
    await t.db.insert(schema.links).values({ id: "L1", slug: "l1", url: "https://shop.example/", channel: "social", source: "linkedin", utm: {}, tags: [], createdAt: 0, updatedAt: 0 });
    // No visitor id on the conversion: the owner of its share token is the buyer.
    const buy = conversion({ shareToken: "tA", ts: T0 });
    await ingest([click, landing({ visitorId: "A", lcid: click.id, shareToken: "tA", ts: click.ts + 1 }), visit({ visitorId: "A", ts: T0 - DAY_MS, referrer: "https://www.google.com/" }), buy], T0);
    await runReconcile(t.db, { now: T0 + HOUR });
    expect(await pathOf(buy.id)).toEqual(["click:social:software:visitor", "visit:organic_search:software:visitor"]);
    expect(await softwareCredit(buy.id, "first_touch")).toEqual([["social", "linkedin", 1]]);
    expect(await softwareCredit(buy.id, "linear")).toEqual([
      ["social", "linkedin", 0.5],
      ["organic_search", "google", 0.5],
    ]);
    const links = await t.db.select().from(schema.linkDaily);
    expect(links.reduce((s, l) => [s[0]! + l.clicks, s[1]! + l.reshares, s[2]! + l.conversions], [0, 0, 0])).toEqual([1, 0, 1]);
  });
});
