import { readFileSync } from "node:fs";
import { DAY_MS, DEFAULT_QUESTION, DEFAULT_SURVEY_OPTIONS } from "@lantern/core";
import { type Db, schema } from "@lantern/db";
import { createTestDb } from "@lantern/db/testing";
import type { LanternEvent } from "@lantern/queue";
import { attributionActions, createLinksInDb, generateWorld, parseScenario, Random, type Scenario, SCENARIOS_DIR, surveyInDb, worldEvents } from "@lantern/simulator";
import { and, isNull } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runReconcile } from "../src/reconcile/run.ts";
import { expectSameAsFullRun, ingestAt, runRows } from "./reconcile-helpers.ts";

/**
 * Whatever order, delay and repetition events reach the worker with, the attribution must be the same.
 * A small simulated world (a shipped scenario cut to six days) is delivered in the batches a scheduled
 * run would find: each event some seconds after it happened, some of them up to 20 days later (a links
 * instance's spool replayed after a Redis outage, a phone's beacons sent when it is back online) and some
 * twice (a job retried after a crash, a webhook retried). Two properties:
 * - with an incremental run after each batch and an admin relabelling typed answers now and then, a
 *   full run at the end writes exactly what the incremental runs left (attribution rows, credits, both
 *   roll-ups);
 * - the rows a full run writes are those of the same world delivered once, in order: what ingestion
 *   stores does not depend on which event came first (a preview before or after its click, an order's
 *   report from the tracker or from the survey).
 * Delays stay under a look-back (the one case left to the nightly full run is a share-graph change more
 * than a look-back late, apps/worker/src/reconcile/README.md).
 */

const HOUR = 3_600_000;
const MIN = 60_000;

/** A shipped scenario cut to six days and 4,000 visitors, every campaign running throughout. */
function shortScenario(name: string): Scenario {
  const full = JSON.parse(readFileSync(`${SCENARIOS_DIR}/${name}.json`, "utf8"));
  return parseScenario({ ...full, days: 6, visitors: 4_000, campaigns: full.campaigns.map((c: Record<string, unknown>) => ({ ...c, fromDay: 0, toDay: undefined })) }, name);
}
const SCENARIOS = ["b2c-shop", "b2b-saas", "media-site"].map(shortScenario);

/** The default survey as the surveys service seeds it (the worker reads its options to place answers). */
async function insertDefaultSurvey(db: Db) {
  await db.insert(schema.surveys).values({ id: "S", name: "How did you hear about us?", question: { ...DEFAULT_QUESTION }, createdAt: 0, updatedAt: 0 });
  await db.insert(schema.surveyOptions).values(
    DEFAULT_SURVEY_OPTIONS.map((o, position) => ({
      id: `S-${o.key}`,
      surveyId: "S",
      position,
      kind: o.kind === "channel" ? ("option" as const) : o.kind,
      label: { ...o.labels },
      channel: o.classification?.channel ?? null,
      source: o.classification?.source ?? null,
      followUp: o.followUp ? { ...o.followUp } : null,
    })),
  );
}

/** How events reach the worker. */
interface Delivery {
  /** Share of events held back. */
  lateShare: number;
  /** The longest an event is held back. */
  maxLateHours: number;
  /** Share of events delivered a second time, up to three days after the first. */
  twiceShare: number;
  /** How often the scheduled run goes by. */
  everyHours: number;
}

const delivery = fc.record({
  lateShare: fc.integer({ min: 0, max: 40 }).map((p) => p / 100),
  maxLateHours: fc.integer({ min: 1, max: 480 }),
  twiceShare: fc.integer({ min: 0, max: 30 }).map((p) => p / 100),
  everyHours: fc.integer({ min: 1, max: 12 }),
});

interface Arrival {
  event: LanternEvent;
  at: number;
}

/** When each event reaches the worker: seconds after it happened, or up to `maxLateHours` later; some twice. */
function arrivals(events: readonly LanternEvent[], d: Delivery, rng: Random): Arrival[] {
  const once = events.map((event) => ({ event, at: event.ts + 2_000 + rng.int(8_000) + (rng.chance(d.lateShare) ? rng.int(d.maxLateHours * HOUR) : 0) }));
  const again = once.filter(() => rng.chance(d.twiceShare)).map((a) => ({ event: a.event, at: a.at + rng.int(3 * DAY_MS) }));
  return [...once, ...again].sort((a, b) => a.at - b.at);
}

/** Each scheduled run's batch ingested at its time, then `afterBatch`; returns the time after the last. */
async function deliver(db: Db, queue: readonly Arrival[], start: number, everyHours: number, afterBatch: (tick: number) => Promise<unknown> = async () => {}) {
  let tick = start + everyHours * HOUR;
  let i = 0;
  while (i < queue.length) {
    const batch: LanternEvent[] = [];
    while (i < queue.length && queue[i]!.at <= tick) batch.push(queue[i++]!.event);
    if (batch.length > 0) await ingestAt(db, batch, tick);
    await afterBatch(tick);
    tick += everyHours * HOUR;
  }
  return tick;
}

/** A fresh database with the default survey and the world's links; the world's events as the services send them. */
async function worldIn(scenario: Scenario, worldSeed: number) {
  const tdb = await createTestDb();
  await insertDefaultSurvey(tdb.db);
  const world = generateWorld(scenario, worldSeed);
  const run = `w${worldSeed}`;
  const links = await createLinksInDb(tdb.db, world, run, world.start - DAY_MS);
  const events = worldEvents(attributionActions(world), { run, links, survey: await surveyInDb(tdb.db, "S") });
  return { tdb, world, events };
}

/** What the surveys service does when an admin labels the typed answers no rule placed (answer-labels.ts). */
async function relabelUnplaced(db: Db, at: number): Promise<void> {
  await db
    .update(schema.surveyResponses)
    .set({ channel: "community", source: "parents_club", confidence: 1, rule: "manual_label", receivedAt: at })
    .where(and(isNull(schema.surveyResponses.channel), isNull(schema.surveyResponses.conversionId)));
}

/** runRows with each conversion named by its order id where it has one: which report of an order came first picks its row id. */
async function rowsByOrder(db: Db) {
  const orderOf = new Map((await db.select({ id: schema.conversions.id, externalId: schema.conversions.externalId }).from(schema.conversions)).map((c) => [c.id, c.externalId ?? c.id]));
  const rows = await runRows(db);
  const named = <T extends { conversionId: string }>(list: T[]) =>
    list.map((r) => ({ ...r, conversionId: orderOf.get(r.conversionId) ?? r.conversionId })).sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
  return { ...rows, attribution: named(rows.attribution), credits: named(rows.credits) };
}

const seed = fc.integer({ min: 1, max: 1_000 });
const orderSeed = fc.integer({ min: 0, max: 2 ** 31 - 1 });

describe("whatever order, delay and repetition events arrive with", () => {
  it("incremental runs leave exactly the rows a full run writes over the same data", { timeout: 120_000 }, async () => {
    const relabelChance = fc.integer({ min: 0, max: 20 }).map((p) => p / 100);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SCENARIOS), seed, delivery, relabelChance, orderSeed, async (scenario, worldSeed, d, relabel, order) => {
        const { tdb, world, events } = await worldIn(scenario, worldSeed);
        try {
          const rng = new Random(order);
          const end = await deliver(tdb.db, arrivals(events, d, rng), world.start, d.everyHours, async (tick) => {
            if (rng.chance(relabel)) await relabelUnplaced(tdb.db, tick + 1);
            await runReconcile(tdb.db, { now: tick + MIN });
          });
          await expectSameAsFullRun(tdb.db, end + MIN);
        } finally {
          await tdb.cleanup();
        }
      }),
      { numRuns: 12 },
    );
  });

  it("a full run writes the rows of the same world delivered once, in order", { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SCENARIOS), seed, delivery, orderSeed, async (scenario, worldSeed, d, order) => {
        const shuffled = await worldIn(scenario, worldSeed);
        const inOrder = await worldIn(scenario, worldSeed);
        try {
          const end = await deliver(shuffled.tdb.db, arrivals(shuffled.events, d, new Random(order)), shuffled.world.start, d.everyHours);
          await runReconcile(shuffled.tdb.db, { now: end, mode: "full" });
          const sorted = [...inOrder.events].sort((a, b) => a.ts - b.ts).map((event) => ({ event, at: event.ts + 1 }));
          const endInOrder = await deliver(inOrder.tdb.db, sorted, inOrder.world.start, 1);
          await runReconcile(inOrder.tdb.db, { now: endInOrder, mode: "full" });
          expect(await rowsByOrder(shuffled.tdb.db)).toEqual(await rowsByOrder(inOrder.tdb.db));
        } finally {
          await shuffled.tdb.cleanup();
          await inOrder.tdb.cleanup();
        }
      }),
      { numRuns: 8 },
    );
  });
});
