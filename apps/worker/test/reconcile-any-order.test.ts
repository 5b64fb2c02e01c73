import { readFileSync } from "node:fs";
import { DAY_MS, DEFAULT_QUESTION, DEFAULT_SURVEY_OPTIONS } from "@lantern/core";
import { type Db, schema } from "@lantern/db";
import { createTestDb } from "@lantern/db/testing";
import type { LanternEvent } from "@lantern/queue";
import { attributionActions, createLinksInDb, generateWorld, parseScenario, Random, type Scenario, SCENARIOS_DIR, surveyInDb, worldEvents } from "@lantern/simulator";
import { and, isNull } from "drizzle-orm";
import fc from "fast-check";
import { describe, it } from "vitest";
import { runReconcile } from "../src/reconcile/run.ts";
import { expectSameAsFullRun, ingestAt } from "./reconcile-helpers.ts";

/**
 * Incremental runs against a full run, whatever order and delay events reach the worker with. A small
 * simulated world (a shipped scenario cut to six days) is delivered in the batches a scheduled run would
 * find: each event some seconds after it happened, and some of them up to 20 days later (a links instance's
 * spool replayed after a Redis outage, a phone's beacons sent when it is back online, a webhook
 * retried), with an incremental run after each batch and an admin relabelling typed answers now and
 * then. At the end a full run over the same rows must write exactly what the incremental runs left:
 * attribution rows, credits and both roll-ups. Delays stay under a look-back (the one case left to the
 * nightly full run is a share-graph change more than a look-back late, apps/worker/src/reconcile/README.md).
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

interface Delivery {
  /** Share of events held back. */
  lateShare: number;
  /** The longest an event is held back. */
  maxLateHours: number;
  /** How often the scheduled run goes by. */
  everyHours: number;
  /** Chance per run that an admin relabels typed answers no rule placed. */
  relabelChance: number;
}

/** When each event reaches the worker: seconds after it happened, or up to `maxLateHours` later. */
function deliveries(events: readonly LanternEvent[], d: Delivery, rng: Random): { event: LanternEvent; at: number }[] {
  return events
    .map((event) => ({ event, at: event.ts + 2_000 + rng.int(8_000) + (rng.chance(d.lateShare) ? rng.int(d.maxLateHours * HOUR) : 0) }))
    .sort((a, b) => a.at - b.at);
}

/** What the surveys service does when an admin labels the typed answers no rule placed (answer-labels.ts). */
async function relabelUnplaced(db: Db, at: number): Promise<void> {
  await db
    .update(schema.surveyResponses)
    .set({ channel: "community", source: "parents_club", confidence: 1, rule: "manual_label", receivedAt: at })
    .where(and(isNull(schema.surveyResponses.channel), isNull(schema.surveyResponses.conversionId)));
}

describe("incremental runs, whatever order and delay events arrive with", () => {
  it("leave exactly the rows a full run writes over the same data", { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SCENARIOS),
        fc.integer({ min: 1, max: 1_000 }),
        fc.record({
          lateShare: fc.integer({ min: 0, max: 40 }).map((p) => p / 100),
          maxLateHours: fc.integer({ min: 1, max: 480 }),
          everyHours: fc.integer({ min: 1, max: 12 }),
          relabelChance: fc.integer({ min: 0, max: 20 }).map((p) => p / 100),
        }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        async (scenario, worldSeed, delivery, orderSeed) => {
          const tdb = await createTestDb();
          try {
            const db = tdb.db;
            await insertDefaultSurvey(db);
            const world = generateWorld(scenario, worldSeed);
            const run = `w${worldSeed}`;
            const links = await createLinksInDb(db, world, run, world.start - DAY_MS);
            const events = worldEvents(attributionActions(world), { run, links, survey: await surveyInDb(db, "S") });
            const rng = new Random(orderSeed);
            const queue = deliveries(events, delivery, rng);

            let tick = world.start + delivery.everyHours * HOUR;
            let i = 0;
            while (i < queue.length) {
              const batch: LanternEvent[] = [];
              while (i < queue.length && queue[i]!.at <= tick) batch.push(queue[i++]!.event);
              if (batch.length > 0) await ingestAt(db, batch, tick);
              if (rng.chance(delivery.relabelChance)) await relabelUnplaced(db, tick + 1);
              await runReconcile(db, { now: tick + MIN });
              tick += delivery.everyHours * HOUR;
            }
            await expectSameAsFullRun(db, tick + MIN);
          } finally {
            await tdb.cleanup();
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});
