import type { StoredPath } from "@lantern/core";
import { type Db, schema } from "@lantern/db";
import { createTestDb, type TestDb } from "@lantern/db/testing";
import type { LanternEvent } from "@lantern/queue";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, expect } from "vitest";
import { ingestEvents } from "../src/ingest/batch.ts";
import { runReconcile } from "../src/reconcile/run.ts";
import { silent } from "./helpers.ts";

/** What the reconcile tests share: events stored as the worker stores them, and the attribution read back. */

/** The hosts the fixtures' short links and shop live on (never a referrer of their own). */
const OWN_HOSTS = ["go.example", "shop.example"];

export const ingestAt = (db: Db, events: LanternEvent[], now: number) => ingestEvents(db, events, { now, ownHosts: OWN_HOSTS, log: silent });

export async function attributionOf(db: Db, conversionId: string) {
  const [row] = await db.select().from(schema.conversionAttribution).where(eq(schema.conversionAttribution.conversionId, conversionId));
  if (!row) throw new Error(`no attribution row for conversion ${conversionId}`);
  return row;
}

/** The conversion's path as "kind:channel:rule" steps. */
export async function pathSteps(db: Db, conversionId: string): Promise<string[]> {
  return ((await attributionOf(db, conversionId)).path as StoredPath).touchpoints.map((tp) => `${tp.kind}:${tp.channel}:${tp.rule}`);
}

/**
 * A fresh migrated database per test (vitest hooks), with the accessors above bound to it. `t.db` is
 * the current test's database; `setup` runs after each creation (e.g. a link the events point at).
 */
export function useReconcileDb(setup?: (db: Db) => Promise<unknown>) {
  let current: TestDb | undefined;
  beforeEach(async () => {
    current = await createTestDb();
    await setup?.(current.db);
  });
  afterEach(async () => current?.cleanup());
  const db = () => {
    if (!current) throw new Error("useReconcileDb: no database outside a test");
    return current.db;
  };
  return {
    get db() {
      return db();
    },
    ingest: (events: LanternEvent[], now: number) => ingestAt(db(), events, now),
    attribution: (conversionId: string) => attributionOf(db(), conversionId),
    pathOf: (conversionId: string) => pathSteps(db(), conversionId),
  };
}

/**
 * Everything a run writes, but the time it ran. Roll-up sums (attribution_daily credits and value,
 * link_daily value) to 12 digits: an incremental run moves them by differences, in another order than a
 * full run adds them up (the last bit may differ).
 */
export async function runRows(db: Db) {
  const byKey = <T>(rows: T[], key: (r: T) => string) => rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const round = (x: number) => Number(x.toPrecision(12));
  return {
    attribution: byKey(await db.select().from(schema.conversionAttribution), (r) => r.conversionId).map(({ reconciledAt, ...r }) => r),
    credits: byKey(await db.select().from(schema.attributionCredits), (r) => `${r.conversionId}/${r.view}/${r.model}/${r.position}`),
    daily: byKey(await db.select().from(schema.attributionDaily), (r) => `${r.day}/${r.view}/${r.model}/${r.channel}/${r.source}`).map((r) => ({
      ...r,
      credits: round(r.credits),
      value: round(r.value),
    })),
    links: byKey(await db.select().from(schema.linkDaily), (r) => `${r.day}/${r.linkId}`).map((r) => ({ ...r, value: round(r.value) })),
  };
}

/** The rows the incremental runs left equal those a full run then writes over the same data. */
export async function expectSameAsFullRun(db: Db, now: number) {
  const incremental = await runRows(db);
  expect(await runReconcile(db, { now, mode: "full" })).toMatchObject({ mode: "full" });
  expect(await runRows(db)).toEqual(incremental);
}
