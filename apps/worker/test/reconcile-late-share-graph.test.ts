import { DAY_MS, } from "@lantern/core";
import { schema } from "@lantern/db";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runReconcile } from "../src/reconcile/run.ts";
import { useReconcileDb } from "./reconcile-helpers.ts";
import { arrival, conversion, landing, linkHit, } from "./helpers.ts";

/**
 * Re-share arrivals and landings (the share graph: `arrivals`, `visitors`) that reach the worker after
 * the conversions they belong on. Incremental runs find them by their `received_at` and redo the
 * conversions whose paths go through them, down the chain of re-shares, as a full run would.
 */

const T0 = Date.UTC(2025, 5, 2, 12);
const HOUR = 3_600_000;
const MIN = 60_000;

const t = useReconcileDb((db) => db.insert(schema.links).values({ id: "L1", slug: "l1", url: "https://shop.example/", channel: "social", source: "linkedin", utm: {}, tags: [], createdAt: 0, updatedAt: 0 }));
const { ingest, attribution, pathOf } = t;
const arrivalRow = async (id: string) => (await t.db.select().from(schema.arrivals).where(eq(schema.arrivals.id, id)))[0]!;
const visitorRow = async (id: string) => (await t.db.select().from(schema.visitors).where(eq(schema.visitors.visitorId, id)))[0]!;

/**
 * Everything a run writes, but the time it ran. Roll-up sums to 12 digits: an incremental run moves them
 * by differences, in another order than a full run adds them up (the last bit may differ).
 */
async function results() {
  const byKey = <T>(rows: T[], key: (r: T) => string) => rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const round = (x: number) => Number(x.toPrecision(12));
  return {
    attribution: byKey(await t.db.select().from(schema.conversionAttribution), (r) => r.conversionId).map(({ reconciledAt, ...r }) => r),
    credits: byKey(await t.db.select().from(schema.attributionCredits), (r) => `${r.conversionId}/${r.view}/${r.model}/${r.position}`),
    daily: byKey(await t.db.select().from(schema.attributionDaily), (r) => `${r.day}/${r.view}/${r.model}/${r.channel}/${r.source}`).map((r) => ({
      ...r,
      credits: round(r.credits),
      value: round(r.value),
    })),
    links: byKey(await t.db.select().from(schema.linkDaily), (r) => `${r.day}/${r.linkId}`),
  };
}

/** The rows of an incremental run equal those a full run then writes over the same data. */
async function expectSameAsFullRun(now: number) {
  const incremental = await results();
  expect(await runReconcile(t.db, { now, mode: "full" })).toMatchObject({ mode: "full" });
  expect(await results()).toEqual(incremental);
}

describe("a re-share arrival stored after the conversions it belongs on", () => {
  it("redoes the conversions of its visitor (by visitor id and by share token) and of those who came through that visitor's URL, as a full run would", async () => {
    // A clicked a LinkedIn link and shared the page (token tA) with B; B passed it on to C (token tB).
    const click = linkHit({ linkId: "L1", ts: T0 - 3 * DAY_MS });
    const bArrives = arrival({ visitorId: "B", shareToken: "tA", ownShareToken: "tB", ts: T0 - 2 * HOUR });
    const cArrives = arrival({ visitorId: "C", shareToken: "tB", ownShareToken: "tC", ts: T0 - HOUR });
    const bBuys = conversion({ visitorId: "B", ts: T0 });
    const bBuysByToken = conversion({ shareToken: "tB", ts: T0 + 10 * MIN });
    const cBuys = conversion({ visitorId: "C", ts: T0 + 30 * MIN });
    const other = conversion({ visitorId: "W", ts: T0 });
    // B's arrival is late (a spooled beacon): C's arrival through tB is stored with no known sharer.
    await ingest([click, landing({ visitorId: "A", lcid: click.id, shareToken: "tA", ts: click.ts + 1 }), cArrives, bBuys, bBuysByToken, cBuys, other], T0 + HOUR);
    expect(await runReconcile(t.db, { now: T0 + HOUR + 1 })).toMatchObject({ mode: "full", conversions: 4 });
    expect(await pathOf(bBuys.id)).toEqual([]);
    expect(await pathOf(cBuys.id)).toEqual(["arrival:messaging:software:visitor"]);

    const later = T0 + DAY_MS;
    expect((await ingest([bArrives], later)).arrivals).toBe(1);
    // No overlap: everything else was received long before the watermark; only the arrival brings them back.
    expect(await runReconcile(t.db, { now: later + 1, overlapMs: 0 })).toMatchObject({ mode: "incremental", quiet: false, conversions: 3 });
    expect(await pathOf(bBuys.id)).toEqual(["click:social:software:share_chain", "arrival:messaging:software:visitor"]);
    expect(await pathOf(bBuysByToken.id)).toEqual(["click:social:software:share_chain", "arrival:messaging:software:visitor"]);
    expect(await pathOf(cBuys.id)).toEqual(["click:social:software:share_chain", "arrival:messaging:software:share_chain", "arrival:messaging:software:visitor"]);
    expect((await attribution(cBuys.id)).linkId).toBe("L1");
    expect((await attribution(other.id)).reconciledAt).toBe(T0 + HOUR + 1);

    await expectSameAsFullRun(later + 2);
  });

  it("of a sharer already in the graph reaches the conversions of those below it in the chain, whose stored rows do not change", async () => {
    // A -> B -> C -> D, all stored in time; D buys. Then B's second visit through A's URL, an hour before, comes a day late.
    const click = linkHit({ linkId: "L1", ts: T0 - DAY_MS });
    await ingest(
      [
        click,
        landing({ visitorId: "A", lcid: click.id, shareToken: "tA", ts: click.ts + 1 }),
        arrival({ visitorId: "B", shareToken: "tA", ownShareToken: "tB", ts: T0 - 5 * HOUR }),
        arrival({ visitorId: "C", shareToken: "tB", ownShareToken: "tC", ts: T0 - 4 * HOUR }),
        arrival({ visitorId: "D", shareToken: "tC", ownShareToken: "tD", ts: T0 - 3 * HOUR }),
      ],
      T0 - 2 * HOUR,
    );
    const dBuys = conversion({ visitorId: "D", ts: T0 });
    await ingest([dBuys, conversion({ visitorId: "W", ts: T0 })], T0 + HOUR);
    await runReconcile(t.db, { now: T0 + HOUR + 1 });
    expect(await pathOf(dBuys.id)).toHaveLength(4);

    const again = arrival({ visitorId: "B", shareToken: "tA", ownShareToken: "tB", ts: T0 - HOUR, referrer: "https://www.linkedin.com/" });
    await ingest([again], T0 + DAY_MS);
    expect((await visitorRow("C")).receivedAt).toBe(T0 - 2 * HOUR);
    expect(await runReconcile(t.db, { now: T0 + DAY_MS + 1, overlapMs: 0 })).toMatchObject({ mode: "incremental", conversions: 1 });
    expect(await pathOf(dBuys.id)).toContain("arrival:social:software:share_chain");
    await expectSameAsFullRun(T0 + DAY_MS + 2);
  });

  it("is stamped when stored, and again when its sharer comes later and the share graph is repaired", async () => {
    const cArrives = arrival({ visitorId: "C", shareToken: "tB", ownShareToken: "tC", ts: T0 - HOUR });
    await ingest([cArrives], T0);
    expect(await arrivalRow(cArrives.id)).toMatchObject({ receivedAt: T0, parentVisitorId: null });
    expect((await visitorRow("C")).receivedAt).toBe(T0);

    // C comes back through the same URL: nothing about its place changes, so neither does its stamp.
    await ingest([arrival({ visitorId: "C", shareToken: "tB", ownShareToken: "tC", ts: T0 })], T0 + HOUR);
    expect((await visitorRow("C")).receivedAt).toBe(T0);

    // B, whose token C opened, lands: C's arrivals and C get their sharer, and the time of that repair.
    const click = linkHit({ linkId: "L1", ts: T0 - 3 * HOUR });
    await ingest([click, landing({ visitorId: "B", lcid: click.id, shareToken: "tB", ts: click.ts + 1 })], T0 + DAY_MS);
    expect(await arrivalRow(cArrives.id)).toMatchObject({ receivedAt: T0 + DAY_MS, parentVisitorId: "B", linkId: "L1", generation: 1 });
    expect(await visitorRow("C")).toMatchObject({ receivedAt: T0 + DAY_MS, parentVisitorId: "B" });
    expect((await visitorRow("B")).receivedAt).toBe(T0 + DAY_MS);
  });
});

describe("a landing stored after the conversions it belongs on", () => {
  it("puts its click on the paths of its visitor's conversions and of those who came through its URL, as a full run would", async () => {
    // V clicked at T0 - 2h and bought at T0; the landing that ties V to that click (and to token tV) comes a day late.
    const click = linkHit({ linkId: "L1", ts: T0 - 2 * HOUR });
    const vBuys = conversion({ visitorId: "V", ts: T0 });
    const vBuysByToken = conversion({ shareToken: "tV", ts: T0 + 5 * MIN });
    const wArrives = arrival({ visitorId: "W", shareToken: "tV", ownShareToken: "tW", ts: T0 - HOUR });
    const wBuys = conversion({ visitorId: "W", ts: T0 + 20 * MIN });
    await ingest([click, vBuys, vBuysByToken, wArrives, wBuys], T0 + HOUR);
    expect(await runReconcile(t.db, { now: T0 + HOUR + 1 })).toMatchObject({ mode: "full", conversions: 3 });
    expect(await pathOf(vBuys.id)).toEqual([]);

    const later = T0 + DAY_MS;
    await ingest([landing({ visitorId: "V", lcid: click.id, shareToken: "tV", ts: click.ts + 1 })], later);
    expect(await runReconcile(t.db, { now: later + 1, overlapMs: 0 })).toMatchObject({ mode: "incremental", quiet: false, conversions: 3 });
    expect(await pathOf(vBuys.id)).toEqual(["click:social:software:visitor"]);
    expect(await pathOf(vBuysByToken.id)).toEqual(["click:social:software:visitor"]);
    expect(await pathOf(wBuys.id)).toEqual(["click:social:software:share_chain", "arrival:messaging:software:visitor"]);

    await expectSameAsFullRun(later + 2);
  });

  it("that only changes a stored visitor (gives it its share token) still makes the next run redo the conversions through it", async () => {
    // X first came through a URL whose sharer is unknown, with no token of its own; a conversion names tX only.
    const xArrives = arrival({ visitorId: "X", shareToken: "tZ", ownShareToken: null, ts: T0 - HOUR });
    const byToken = conversion({ shareToken: "tX", ts: T0 });
    await ingest([xArrives, byToken], T0);
    await runReconcile(t.db, { now: T0 + 1 });
    expect(await pathOf(byToken.id)).toEqual([]);

    // A landing gives X its token: no row is added anywhere, a stored visitor changes.
    const later = T0 + DAY_MS;
    await ingest([landing({ visitorId: "X", lcid: "gone", shareToken: "tX", ts: T0 - 30 * MIN })], later);
    expect(await runReconcile(t.db, { now: later + 1, overlapMs: 0 })).toMatchObject({ mode: "incremental", quiet: false, conversions: 1 });
    expect(await pathOf(byToken.id)).toEqual(["arrival:messaging:software:visitor"]);
    await expectSameAsFullRun(later + 2);
  });
});

describe("quiet runs and the share graph", () => {
  it("an arrival stamped before the last run's watermark but committed after it makes the next run not quiet", async () => {
    const click = linkHit({ linkId: "L1", ts: T0 - DAY_MS });
    const buy = conversion({ visitorId: "B", ts: T0 - 10 * MIN });
    await ingest([click, landing({ visitorId: "A", lcid: click.id, shareToken: "tA", ts: click.ts + 1 }), buy], T0);
    expect(await runReconcile(t.db, { now: T0 + 1 })).toMatchObject({ mode: "full", watermark: T0 });
    expect(await runReconcile(t.db, { now: T0 + 2 })).toMatchObject({ quiet: true, conversions: 0 });

    // A batch whose transaction started half a minute before that run commits only now: received_at < watermark.
    await ingest([arrival({ visitorId: "B", shareToken: "tA", ownShareToken: "tB", ts: T0 - HOUR })], T0 - 30_000);
    expect(await runReconcile(t.db, { now: T0 + 3 })).toMatchObject({ mode: "incremental", quiet: false, conversions: 1, watermark: T0 });
    expect(await pathOf(buy.id)).toEqual(["click:social:software:share_chain", "arrival:messaging:software:visitor"]);
    expect(await runReconcile(t.db, { now: T0 + 4 })).toMatchObject({ quiet: true, conversions: 0 });
  });
});
