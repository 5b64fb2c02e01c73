import { DAY_MS, type StoredPath } from "@lantern/core";
import { schema } from "@lantern/db";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runReconcile } from "../src/reconcile/run.ts";
import { arrival, conversion, landing, linkHit, UA } from "./helpers.ts";
import { expectSameAsFullRun, useReconcileDb } from "./reconcile-helpers.ts";

/**
 * Clicks and unfurls that reach the database late: the links service spools its events to disk while
 * Redis is down and replays them later, so a click can be stored after the conversion that names it by
 * lcid was reconciled, and clicks and unfurls of old days come in. Incremental runs find them by
 * `received_at` (migration 0010) and do what a full run would.
 */

const T0 = Date.UTC(2025, 5, 2, 12);
const HOUR = 3_600_000;
const MIN = 60_000;

const t = useReconcileDb((db) => db.insert(schema.links).values({ id: "L1", slug: "l1", url: "https://shop.example/", channel: "social", source: "linkedin", utm: {}, tags: [], createdAt: 0, updatedAt: 0 }));
const { ingest, attribution, pathOf } = t;
const day = (ts: number) => new Date(ts).toISOString().slice(0, 10);
const linkDays = async () => (await t.db.select().from(schema.linkDaily)).map((l) => [l.day, l.clicks, l.unfurls]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));

describe("a click stored after the conversion that names it", () => {
  it("is put on the paths of that conversion, of its visitor's other conversions and of its respondent's later ones, as a full run would", async () => {
    const click = linkHit({ linkId: "L1", ts: T0 - 5 * DAY_MS });
    const buy = conversion({ visitorId: "V", lcid: click.id, respondentHash: "r", ts: T0 });
    // V bought before too, after the click: the click is on that path as well (by visitor), days before `buy`.
    const again = conversion({ visitorId: "V", ts: T0 - 3 * DAY_MS });
    const byRespondent = conversion({ visitorId: "U", respondentHash: "r", ts: T0 + 3 * DAY_MS });
    const other = conversion({ visitorId: "W", ts: T0 });
    // A click of another link (on time) moves the links watermark past the day of the late one.
    await ingest([buy, again, byRespondent, other, linkHit({ linkId: "L1", ts: T0 + 3 * DAY_MS })], T0 + 3 * DAY_MS + HOUR);
    expect(await runReconcile(t.db, { now: T0 + 3 * DAY_MS + HOUR + 1 })).toMatchObject({ mode: "full", conversions: 4 });
    expect(await pathOf(buy.id)).toEqual([]);

    // The click, spooled while Redis was down, is replayed four days later.
    const later = T0 + 4 * DAY_MS;
    expect((await ingest([click], later)).clicks).toBe(1);
    expect((await t.db.select().from(schema.clicks).where(eq(schema.clicks.id, click.id)))[0]?.receivedAt).toBe(later);
    // No overlap: everything else was received long before the watermark; only the click brings them back.
    expect(await runReconcile(t.db, { now: later + 1, overlapMs: 0 })).toMatchObject({ mode: "incremental", quiet: false, conversions: 3, watermark: later });
    expect(await pathOf(buy.id)).toEqual(["click:social:software:lcid"]);
    expect(await pathOf(again.id)).toEqual(["click:social:software:visitor"]);
    expect(await pathOf(byRespondent.id)).toEqual(["click:social:software:respondent"]);
    expect((await attribution(buy.id)).linkId).toBe("L1");
    expect((await attribution(other.id)).reconciledAt).toBe(T0 + 3 * DAY_MS + HOUR + 1);
    // Its day's link activity is recounted, though it is older than the links watermark.
    expect((await linkDays()).find((d) => d[0] === day(click.ts))).toEqual([day(click.ts), 1, 0]);

    await expectSameAsFullRun(t.db, later + 2);
  });

  it("reaches the conversions without a visitor id whose share token is the buyer's own", async () => {
    // V landed through a first click with token tV; V's conversion carries the late click, an earlier one
    // (after that click) reports tV only.
    const first = linkHit({ linkId: "L1", ts: T0 - 6 * DAY_MS });
    const click = linkHit({ linkId: "L1", ts: T0 - 5 * DAY_MS });
    const vBuys = conversion({ visitorId: "V", lcid: click.id, ts: T0 });
    const byToken = conversion({ shareToken: "tV", ts: T0 - 3 * DAY_MS });
    await ingest([first, landing({ visitorId: "V", lcid: first.id, shareToken: "tV", ts: first.ts + 1 }), vBuys, byToken], T0 + 2 * HOUR);
    await runReconcile(t.db, { now: T0 + 2 * HOUR + 1 });
    expect(await pathOf(byToken.id)).toEqual(["click:social:software:visitor"]);

    await ingest([click], T0 + DAY_MS);
    expect(await runReconcile(t.db, { now: T0 + DAY_MS + 1, overlapMs: 0 })).toMatchObject({ mode: "incremental", quiet: false, conversions: 2 });
    expect(await pathOf(vBuys.id)).toEqual(["click:social:software:visitor", "click:social:software:lcid"]);
    expect(await pathOf(byToken.id)).toEqual(["click:social:software:visitor", "click:social:software:visitor"]);
    await expectSameAsFullRun(t.db, T0 + DAY_MS + 2);
  });
});

describe("clicks and unfurls of old days replayed late", () => {
  it("recount their days' link activity, however old, as a full run would; then runs are quiet again", async () => {
    await ingest([linkHit({ linkId: "L1", ts: T0 }), conversion({ visitorId: "V", ts: T0 })], T0 + MIN);
    expect(await runReconcile(t.db, { now: T0 + 2 * MIN })).toMatchObject({ mode: "full", linkWatermark: T0 });
    expect(await runReconcile(t.db, { now: T0 + 3 * MIN })).toMatchObject({ mode: "incremental", quiet: true, conversions: 0 });

    // Two days later, the spool of a links instance: a click of two days before and an unfurl of four.
    const later = T0 + 2 * DAY_MS;
    const oldClick = linkHit({ linkId: "L1", ts: T0 - 2 * DAY_MS });
    const oldUnfurl = linkHit({ linkId: "L1", ts: T0 - 4 * DAY_MS, userAgent: UA.slackbot, served: "preview" });
    expect(await ingest([oldClick, oldUnfurl], later)).toMatchObject({ clicks: 1, unfurls: 1 });
    expect((await t.db.select().from(schema.unfurls))[0]?.receivedAt).toBe(later);
    // Nothing newer than the links watermark came in: only their received_at says they are there. (No
    // overlap: the conversion received just before the watermark would be redone with it.)
    expect(await runReconcile(t.db, { now: later + 1, overlapMs: 0 })).toMatchObject({ mode: "incremental", quiet: false, conversions: 0, linkWatermark: T0 });
    expect(await linkDays()).toEqual([
      [day(T0 - 4 * DAY_MS), 0, 1],
      [day(T0 - 2 * DAY_MS), 1, 0],
      [day(T0), 1, 0],
    ]);
    // Nothing stored since: quiet, and reconcile_state stays as that run left it.
    const state = await t.db.select().from(schema.reconcileState);
    expect(await runReconcile(t.db, { now: later + 2 })).toMatchObject({ mode: "incremental", quiet: true, conversions: 0 });
    expect(await t.db.select().from(schema.reconcileState)).toEqual(state);
    await expectSameAsFullRun(t.db, later + 3);
  });

  it("a state kept by a release that did not watch clicks and unfurls makes one ordinary run, then runs are quiet", async () => {
    await ingest([linkHit({ linkId: "L1", ts: T0 }), conversion({ visitorId: "V", ts: T0 })], T0 + MIN);
    await runReconcile(t.db, { now: T0 + 2 * MIN });
    const [row] = await t.db.select().from(schema.reconcileState).where(eq(schema.reconcileState.id, "attribution"));
    const { clicks: _clicks, unfurls: _unfurls, ...older } = row?.latestRows ?? {};
    await t.db.update(schema.reconcileState).set({ latestRows: older }).where(eq(schema.reconcileState.id, "attribution"));
    expect(await runReconcile(t.db, { now: T0 + DAY_MS })).toMatchObject({ mode: "incremental", quiet: false });
    expect(await runReconcile(t.db, { now: T0 + DAY_MS + 1 })).toMatchObject({ mode: "incremental", quiet: true, conversions: 0 });
  });
});

describe("a chat app's preview stored after the click it preceded", () => {
  it("marks the click as an on-time preview would have, and the next incremental run gives its conversion that evidence, as a full run would", async () => {
    await t.db.insert(schema.links).values({ id: "L0", slug: "l0", url: "https://shop.example/", channel: null, source: null, utm: {}, tags: [], createdAt: 0, updatedAt: 0 });
    const preview = linkHit({ linkId: "L0", ts: T0 - 10 * MIN, userAgent: UA.whatsapp, served: "preview" });
    const click = linkHit({ linkId: "L0", ts: T0 - 5 * MIN });
    const tooLate = linkHit({ linkId: "L0", ts: T0 + 2 * HOUR });
    const buy = conversion({ visitorId: "V", lcid: click.id, ts: T0 });
    const other = conversion({ visitorId: "W", lcid: tooLate.id, ts: T0 + 3 * HOUR });
    await ingest([click, tooLate, buy, other], T0 + 4 * HOUR);
    await runReconcile(t.db, { now: T0 + 4 * HOUR + 1 });
    expect((await attribution(buy.id)).darkReasons).not.toContain("messaging_unfurl_before_click");

    // Another links instance's spool: WhatsApp's preview fetch comes in a day later.
    const later = T0 + DAY_MS;
    expect(await ingest([preview], later)).toMatchObject({ unfurls: 1 });
    const clickRows = new Map((await t.db.select().from(schema.clicks)).map((c) => [c.id, c]));
    expect(clickRows.get(click.id)).toMatchObject({ unfurlApp: "whatsapp", receivedAt: later });
    // Outside the evidence window after the preview: left as it was.
    expect(clickRows.get(tooLate.id)).toMatchObject({ unfurlApp: null, receivedAt: T0 + 4 * HOUR });

    expect(await runReconcile(t.db, { now: later + 1, overlapMs: 0 })).toMatchObject({ mode: "incremental", quiet: false, conversions: 1 });
    expect(await attribution(buy.id)).toMatchObject({ dark: true, darkReasons: expect.arrayContaining(["messaging_unfurl_before_click"]) });
    expect((await attribution(other.id)).reconciledAt).toBe(T0 + 4 * HOUR + 1);
    // The same preview replayed once more changes nothing.
    expect(await ingest([preview], later + HOUR)).toMatchObject({ unfurls: 0 });
    expect((await t.db.select().from(schema.clicks).where(eq(schema.clicks.id, click.id)))[0]?.receivedAt).toBe(later);
    await expectSameAsFullRun(t.db, later + 2 * HOUR);
  });

  it("replaces an earlier preview of the click with a later one, as if both had come on time", async () => {
    await t.db.insert(schema.links).values({ id: "L0", slug: "l0", url: "https://shop.example/", channel: null, source: null, utm: {}, tags: [], createdAt: 0, updatedAt: 0 });
    const whatsapp = linkHit({ linkId: "L0", ts: T0 - 30 * MIN, userAgent: UA.whatsapp, served: "preview" });
    const slack = linkHit({ linkId: "L0", ts: T0 - 10 * MIN, userAgent: UA.slackbot, served: "preview" });
    const click = linkHit({ linkId: "L0", ts: T0 - 5 * MIN });
    await ingest([whatsapp, click], T0);
    const app = async () => (await t.db.select().from(schema.clicks).where(eq(schema.clicks.id, click.id)))[0]?.unfurlApp;
    expect(await app()).toBe("whatsapp");
    // Slack's preview, drawn after WhatsApp's and before the click, comes in late: it is the latest.
    await ingest([slack], T0 + DAY_MS);
    expect(await app()).toBe("slack");
    // WhatsApp's again (a re-delivery) changes nothing: Slack's is still the latest before the click.
    await ingest([whatsapp], T0 + 2 * DAY_MS);
    expect(await app()).toBe("slack");
  });

  it("of two previews at the same millisecond picks the same one whichever came first", async () => {
    await t.db.insert(schema.links).values({ id: "L0", slug: "l0", url: "https://shop.example/", channel: null, source: null, utm: {}, tags: [], createdAt: 0, updatedAt: 0 });
    const a = linkHit({ id: "unfurl-a", linkId: "L0", ts: T0 - 10 * MIN, userAgent: UA.whatsapp, served: "preview" });
    const b = linkHit({ id: "unfurl-b", linkId: "L0", ts: T0 - 10 * MIN, userAgent: UA.slackbot, served: "preview" });
    const apps: (string | null | undefined)[] = [];
    const deliveries = [
      // One on time, the other after the click.
      [[a], [b]],
      [[b], [a]],
      // Both on time, stored in either order before the click.
      [[a, b], []],
      [[b, a], []],
    ] as const;
    for (const [before, after] of deliveries) {
      await t.db.delete(schema.unfurls);
      await t.db.delete(schema.clicks);
      const click = linkHit({ linkId: "L0", ts: T0 - 5 * MIN });
      for (const u of before) await ingest([u], T0 - 6 * MIN);
      await ingest([click], T0);
      if (after.length > 0) await ingest([...after], T0 + DAY_MS);
      apps.push((await t.db.select().from(schema.clicks).where(eq(schema.clicks.id, click.id)))[0]?.unfurlApp);
    }
    // The greater id counts as the later: unfurl-b, Slack's.
    expect(apps).toEqual(["slack", "slack", "slack", "slack"]);
  });

  it("reaches the conversions of those below the visitor who landed through the click, as a full run would", async () => {
    await t.db.insert(schema.links).values({ id: "L0", slug: "l0", url: "https://shop.example/", channel: null, source: null, utm: {}, tags: [], createdAt: 0, updatedAt: 0 });
    const preview = linkHit({ linkId: "L0", ts: T0 - 10 * MIN, userAgent: UA.telegram, served: "preview" });
    const click = linkHit({ linkId: "L0", ts: T0 - 5 * MIN });
    // V landed through the click and passed the page on; W opened V's URL and bought.
    const vLands = landing({ visitorId: "V", lcid: click.id, shareToken: "tV", ts: T0 - 4 * MIN });
    const wArrives = arrival({ visitorId: "W", shareToken: "tV", ownShareToken: "tW", ts: T0 + HOUR });
    const wBuys = conversion({ visitorId: "W", ts: T0 + 2 * HOUR });
    await ingest([click, vLands, wArrives, wBuys], T0 + 3 * HOUR);
    await runReconcile(t.db, { now: T0 + 3 * HOUR + 1 });
    const clickOnPath = async () => ((await attribution(wBuys.id)).path as StoredPath).touchpoints.find((tp) => tp.id === click.id);
    expect((await clickOnPath())?.evidence).not.toHaveProperty("unfurlApp");

    const later = T0 + DAY_MS;
    await ingest([preview], later);
    expect(await runReconcile(t.db, { now: later + 1, overlapMs: 0 })).toMatchObject({ mode: "incremental", quiet: false, conversions: 1 });
    expect((await clickOnPath())?.evidence).toMatchObject({ unfurlApp: "telegram" });
    await expectSameAsFullRun(t.db, later + 2);
  });
});
