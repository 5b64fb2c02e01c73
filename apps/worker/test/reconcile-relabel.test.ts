import { DAY_MS } from "@lantern/core";
import { schema } from "@lantern/db";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runReconcile } from "../src/reconcile/run.ts";
import { conversion, linkHit } from "./helpers.ts";
import { expectSameAsFullRun, useReconcileDb } from "./reconcile-helpers.ts";

/**
 * An admin relabels a typed answer (PUT /api/answer-labels, apps/surveys answer-labels.ts): the surveys
 * service rewrites the stored answers' channel and stamps them as received now. The next incremental
 * run redoes their conversions, as a full run would, instead of leaving them to the nightly run; it is
 * not quiet, though no row was added.
 */

const T0 = Date.UTC(2025, 7, 4, 12);
const MIN = 60_000;

const t = useReconcileDb();

async function typedAnswer(id: string, a: { conversionId: string | null; respondentHash?: string; ts: number }) {
  await t.db.insert(schema.surveyResponses).values({
    id,
    surveyId: "s1",
    ts: a.ts,
    receivedAt: a.ts,
    optionId: "o-other",
    otherText: "the parents club",
    channel: null,
    source: null,
    rule: "no_match",
    conversionId: a.conversionId,
    respondentHash: a.respondentHash ?? null,
  });
}

/** What the surveys service writes when the text is labelled "community / parents_club". */
async function relabel(ids: string[], at: number) {
  for (const id of ids) {
    await t.db
      .update(schema.surveyResponses)
      .set({ channel: "community", source: "parents_club", confidence: 1, rule: "manual_label", receivedAt: at })
      .where(eq(schema.surveyResponses.id, id));
  }
}

describe("a relabelled answer", () => {
  it("redoes its conversion at the next incremental run, and an answer without a conversion id reaches its candidate", async () => {
    const named = conversion({ visitorId: "V", ts: T0 });
    const byRespondent = conversion({ visitorId: "W", respondentHash: "r", ts: T0 + DAY_MS });
    const untouched = conversion({ visitorId: "X", ts: T0 });
    await t.ingest([named, byRespondent, untouched], T0 + 2 * DAY_MS);
    await typedAnswer("A1", { conversionId: named.id, ts: T0 + MIN });
    await typedAnswer("A2", { conversionId: null, respondentHash: "r", ts: T0 + DAY_MS + MIN });
    const first = T0 + 2 * DAY_MS + MIN;
    expect(await runReconcile(t.db, { now: first })).toMatchObject({ mode: "full", conversions: 3 });
    expect((await t.attribution(named.id)).selfChannel).toBeNull();
    expect(await runReconcile(t.db, { now: first + MIN })).toMatchObject({ mode: "incremental", quiet: true });

    const later = first + DAY_MS;
    await relabel(["A1", "A2"], later);
    expect(await runReconcile(t.db, { now: later + 1, overlapMs: 0 })).toMatchObject({ mode: "incremental", quiet: false, conversions: 2 });
    expect(await t.attribution(named.id)).toMatchObject({ selfChannel: "community", selfSource: "parents_club", dark: true });
    expect(await t.attribution(byRespondent.id)).toMatchObject({ selfChannel: "community", dark: true });
    expect((await t.attribution(untouched.id)).reconciledAt).toBe(first);

    expect(await runReconcile(t.db, { now: later + 2 })).toMatchObject({ mode: "incremental", quiet: true });
    await expectSameAsFullRun(t.db, later + 3);
  });
});

describe("a later report of an order already stored", () => {
  it("adds what it knows, and the next incremental run redoes the conversion though no row was added", async () => {
    const click = linkHit({ linkId: "L1", ts: T0 - 5 * MIN });
    const fromApi = conversion({ ts: T0 }, { externalId: "order-1" });
    await t.db.insert(schema.links).values({ id: "L1", slug: "l1", url: "https://shop.example/", channel: "workchat", source: "slack", utm: {}, tags: [], createdAt: 0, updatedAt: 0 });
    await t.ingest([click, fromApi], T0 + MIN);
    expect(await runReconcile(t.db, { now: T0 + 2 * MIN })).toMatchObject({ mode: "full", conversions: 1 });
    expect(await t.pathOf(fromApi.id)).toEqual([]);

    // The tracker's report of the same order comes later, with the click id: no new row, the stored one learns it.
    const later = T0 + DAY_MS;
    await t.ingest([conversion({ lcid: click.id, ts: T0 }, { externalId: "order-1" })], later);
    expect(await t.db.$count(schema.conversions)).toBe(1);
    expect(await runReconcile(t.db, { now: later + 1, overlapMs: 0 })).toMatchObject({ mode: "incremental", quiet: false, conversions: 1 });
    expect(await t.pathOf(fromApi.id)).toEqual(["click:workchat:software:lcid"]);
    await expectSameAsFullRun(t.db, later + 2);
  });

  it("is found when its batch committed after a run read the marks, with a stamp below them, and only clicks came in since", async () => {
    await t.db.insert(schema.links).values({ id: "L1", slug: "l1", url: "https://shop.example/", channel: "workchat", source: "slack", utm: {}, tags: [], createdAt: 0, updatedAt: 0 });
    const click = linkHit({ linkId: "L1", ts: T0 - 40 * MIN });
    const order = conversion({ ts: T0 - 30 * MIN }, { externalId: "order-2" });
    // Received long before the run's overlap, so that nothing else brings the order back.
    await t.ingest([click, order], T0 - 30 * MIN);
    await t.ingest([conversion({ visitorId: "Z", ts: T0 + MIN })], T0 + 2 * MIN);
    const r1 = await runReconcile(t.db, { now: T0 + 3 * MIN });
    // The tracker's report, stamped a minute before the run read the marks, committed just after it (it
    // waited for the write lock): the stored order learns its click, and no mark moves.
    await t.db.update(schema.conversions).set({ lcid: click.id, receivedAt: r1.watermark - MIN }).where(eq(schema.conversions.id, order.id));
    // Then only clicks come in.
    await t.ingest([linkHit({ linkId: "L1", ts: T0 + 10 * MIN })], T0 + 10 * MIN);
    await runReconcile(t.db, { now: T0 + 11 * MIN });
    expect(await t.pathOf(order.id)).toEqual(["click:workchat:software:lcid"]);
    await expectSameAsFullRun(t.db, T0 + 12 * MIN);
  });
});
