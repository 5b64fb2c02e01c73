import { DAY_MS, } from "@lantern/core";
import { schema } from "@lantern/db";
import { describe, expect, it } from "vitest";
import { runReconcile } from "../src/reconcile/run.ts";
import { useReconcileDb } from "./reconcile-helpers.ts";
import { conversion, landing, linkHit, visit } from "./helpers.ts";

/**
 * A conversion without a visitor id is its share token's owner's (identity.ts): its path holds that
 * visitor's visits and the clicks of that visitor's other conversions. Incremental runs must redo it
 * when those arrive late, as a full run would.
 */

const T0 = Date.UTC(2025, 5, 2, 12);
const HOUR = 3_600_000;
const WHATSAPP_IN_APP = "Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 Mobile/15E148 [WAiOS/2.25.31]";

const t = useReconcileDb();
const { ingest, attribution, pathOf } = t;

/** Everything a run writes, but the time it ran. */
async function results() {
  const byKey = <T>(rows: T[], key: (r: T) => string) => rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return {
    attribution: byKey(await t.db.select().from(schema.conversionAttribution), (r) => r.conversionId).map(({ reconciledAt, ...r }) => r),
    credits: byKey(await t.db.select().from(schema.attributionCredits), (r) => `${r.conversionId}/${r.view}/${r.model}/${r.position}`),
    daily: byKey(await t.db.select().from(schema.attributionDaily), (r) => `${r.day}/${r.view}/${r.model}/${r.channel}/${r.source}`),
    links: byKey(await t.db.select().from(schema.linkDaily), (r) => `${r.day}/${r.linkId}`),
  };
}

/** Visitor A came through a LinkedIn click and converted without a visitor id, through its share token tA only. */
async function seedTokenOnlyConversion() {
  await t.db.insert(schema.links).values({ id: "L1", slug: "l1", url: "https://shop.example/", channel: "social", source: "linkedin", utm: {}, tags: [], createdAt: 0, updatedAt: 0 });
  const click = linkHit({ linkId: "L1", ts: T0 - 3 * DAY_MS });
  const buy = conversion({ shareToken: "tA", ts: T0 });
  const other = conversion({ visitorId: "W", ts: T0 });
  await ingest([click, landing({ visitorId: "A", lcid: click.id, shareToken: "tA", ts: click.ts + 1 }), buy, other], T0);
  expect(await runReconcile(t.db, { now: T0 + HOUR })).toMatchObject({ mode: "full", conversions: 2 });
  expect(await pathOf(buy.id)).toEqual(["click:social:software:visitor"]);
  return { buy, other };
}

describe("conversions known only by their share token, in incremental runs", () => {
  it("a late visit of the token's owner reconciles the conversion again, as a full run would", async () => {
    const { buy, other } = await seedTokenOnlyConversion();

    // A's WhatsApp visit before the purchase reaches the worker a day later (a spooled beacon).
    const later = T0 + DAY_MS;
    expect((await ingest([visit({ visitorId: "A", ts: T0 - HOUR, userAgent: WHATSAPP_IN_APP })], later)).visits).toBe(1);
    // No overlap: the conversions were received long before the watermark, only the visit can bring them back.
    expect(await runReconcile(t.db, { now: later + 1, overlapMs: 0 })).toMatchObject({ mode: "incremental", conversions: 1 });
    expect(await pathOf(buy.id)).toEqual(["click:social:software:visitor", "visit:messaging:software:visitor"]);
    expect((await attribution(buy.id)).reconciledAt).toBe(later + 1);
    expect((await attribution(other.id)).reconciledAt).toBe(T0 + HOUR);

    const incremental = await results();
    await runReconcile(t.db, { now: later + 2, mode: "full" });
    expect(await results()).toEqual(incremental);
  });

  it("a late conversion of the token's owner, with a click of its own, puts that click on the token-only conversion's path", async () => {
    const { buy } = await seedTokenOnlyConversion();

    // A buys again an hour later, now with its visitor id and a Google click on the same link.
    const click = linkHit({ linkId: "L1", ts: T0 - 2 * HOUR, referer: "https://www.google.com/" });
    const again = conversion({ visitorId: "A", lcid: click.id, ts: T0 + HOUR });
    const later = T0 + DAY_MS;
    await ingest([click, again], later);
    expect(await runReconcile(t.db, { now: later + 1, overlapMs: 0 })).toMatchObject({ mode: "incremental", conversions: 2 });
    expect(await pathOf(buy.id)).toEqual(["click:social:software:visitor", "click:organic_search:software:visitor"]);

    const incremental = await results();
    await runReconcile(t.db, { now: later + 2, mode: "full" });
    expect(await results()).toEqual(incremental);
  });
});
