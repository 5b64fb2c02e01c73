import { DAY_MS, type StoredPath } from "@lantern/core";
import { schema } from "@lantern/db";
import { describe, expect, it } from "vitest";
import { runReconcile } from "../src/reconcile/run.ts";
import { useReconcileDb } from "./reconcile-helpers.ts";
import { conversion, linkHit, visit } from "./helpers.ts";

/**
 * Scheduled incremental runs with nothing new (quiet.ts), against a real libSQL file with the default
 * 2-minute overlap: they redo nothing, yet a row stamped before the last run's watermark and committed
 * after it is still reconciled.
 */

const T0 = Date.UTC(2025, 5, 2, 12);
const HOUR = 3_600_000;
const MIN = 60_000;

const t = useReconcileDb();
const { ingest, attribution } = t;
const state = async () => (await t.db.select().from(schema.reconcileState)).sort((a, b) => (a.id < b.id ? -1 : 1));

describe("quiet incremental runs", () => {
  it("a second incremental run with no new rows redoes no conversion and writes nothing", async () => {
    await ingest([conversion({ visitorId: "V", ts: T0 - HOUR }), conversion({ visitorId: "W", ts: T0 - HOUR })], T0);
    expect(await runReconcile(t.db, { now: T0 + 1 })).toMatchObject({ mode: "full", conversions: 2 });
    // One more conversion: this run redoes it and, within the overlap, the two received just before.
    await ingest([conversion({ visitorId: "X", ts: T0 })], T0 + MIN);
    expect(await runReconcile(t.db, { now: T0 + MIN + 1 })).toMatchObject({ mode: "incremental", conversions: 3, quiet: false, watermark: T0 + MIN });
    const before = await state();

    expect(await runReconcile(t.db, { now: T0 + 6 * MIN })).toMatchObject({ mode: "incremental", conversions: 0, quiet: true, watermark: T0 + MIN });
    expect(await runReconcile(t.db, { now: T0 + 11 * MIN })).toMatchObject({ mode: "incremental", conversions: 0, quiet: true });
    expect(await state()).toEqual(before);
  });

  it("a conversion stamped before the last run's watermark but committed after it is still reconciled", async () => {
    await ingest([conversion({ visitorId: "V", ts: T0 - HOUR })], T0);
    expect(await runReconcile(t.db, { now: T0 + 1 })).toMatchObject({ mode: "full", watermark: T0 });

    // A batch whose transaction started a minute before that run commits only now: received_at < watermark.
    const late = conversion({ visitorId: "L", ts: T0 - 2 * MIN });
    await ingest([late], T0 - MIN);
    const run = await runReconcile(t.db, { now: T0 + 2 });
    expect(run).toMatchObject({ mode: "incremental", quiet: false, watermark: T0 });
    expect(run.conversions).toBeGreaterThanOrEqual(1);
    expect((await attribution(late.id)).reconciledAt).toBe(T0 + 2);
    // Then it is quiet again.
    expect(await runReconcile(t.db, { now: T0 + 3 })).toMatchObject({ conversions: 0, quiet: true });
  });

  it("a visit stamped before the last run's watermark but committed after it still reaches its conversion", async () => {
    const buy = conversion({ visitorId: "V", ts: T0 - HOUR });
    await ingest([buy], T0);
    await runReconcile(t.db, { now: T0 + 1 });
    // Only the visit is new, and it does not move the watermark: the check must not look at received_at alone.
    await ingest([visit({ visitorId: "V", ts: T0 - 2 * HOUR, referrer: "https://www.google.com/" })], T0 - 30_000);
    expect(await runReconcile(t.db, { now: T0 + 2 })).toMatchObject({ mode: "incremental", quiet: false, conversions: 1, watermark: T0 });
    expect(((await attribution(buy.id)).path as StoredPath).touchpoints.map((tp) => `${tp.kind}:${tp.channel}`)).toEqual(["visit:organic_search"]);
  });

  it("new clicks alone are counted into link_daily, redoing only the overlap's conversions", async () => {
    await t.db.insert(schema.links).values({ id: "L1", slug: "l1", url: "https://shop.example/", channel: "social", source: "linkedin", utm: {}, tags: [], createdAt: 0, updatedAt: 0 });
    const early = conversion({ visitorId: "W", ts: T0 - 2 * HOUR });
    await ingest([early], T0 - HOUR);
    await ingest([linkHit({ linkId: "L1", ts: T0 - HOUR }), conversion({ visitorId: "V", ts: T0 - HOUR })], T0);
    await runReconcile(t.db, { now: T0 + 1 });
    await ingest([linkHit({ linkId: "L1", ts: T0 + MIN })], T0 + MIN);
    // Not quiet (a click was stored: it could name a conversion). Restamped tables are always read, so the
    // conversion received within the overlap before the watermark is redone; one received before it is not.
    expect(await runReconcile(t.db, { now: T0 + 2 * MIN })).toMatchObject({ mode: "incremental", conversions: 1, quiet: false, linkWatermark: T0 + MIN });
    expect((await attribution(early.id)).reconciledAt).toBe(T0 + 1);
    expect((await t.db.select().from(schema.linkDaily)).map((l) => [l.linkId, l.clicks])).toEqual([["L1", 2]]);
    expect((await state()).map((s) => s.lastRunAt)).toEqual([T0 + 2 * MIN, T0 + 2 * MIN]);
    expect(await runReconcile(t.db, { now: T0 + 3 * MIN })).toMatchObject({ mode: "incremental", conversions: 0, quiet: true });
  });

  it("a state kept before latest rows were (a database migrated from 0006) makes one ordinary run, then runs are quiet", async () => {
    await ingest([conversion({ visitorId: "V", ts: T0 - HOUR })], T0);
    await runReconcile(t.db, { now: T0 + 1 });
    await t.db.update(schema.reconcileState).set({ latestRows: null });
    expect(await runReconcile(t.db, { now: T0 + DAY_MS })).toMatchObject({ mode: "incremental", quiet: false });
    expect(await runReconcile(t.db, { now: T0 + DAY_MS + 1 })).toMatchObject({ mode: "incremental", quiet: true, conversions: 0 });
  });
});
