import { join } from "node:path";
import { createTestDb } from "@lantern/db/testing";
import { describe, expect, it } from "vitest";
// The real pipeline, in-process (as the accuracy benchmark runs it).
import { ingestEvents } from "../../../apps/worker/src/ingest/batch.ts";
import { runReconcile } from "../../../apps/worker/src/reconcile/run.ts";
import { ensureDefaultSurvey } from "../../../apps/surveys/src/bootstrap.ts";
import { type AttributionRow, countedRespondent, shares, softwareDarkShare, surveyDarkShare, truthOfCountedRespondents, tvDistance } from "../src/accuracy.ts";
import { type Action, attributionActions, createLinksInDb, generateWorld, loadScenario, parseScenario, SCENARIOS_DIR, surveyInDb, type World, worldEvents } from "../src/index.ts";

const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent } as unknown as Parameters<typeof ingestEvents>[2]["log"];

async function reconcileRows(world: World, actions: readonly Action[]): Promise<Map<string, string>> {
  const tdb = await createTestDb();
  try {
    await ensureDefaultSurvey(tdb.db);
    const run = "acc1";
    const target = { run, links: await createLinksInDb(tdb.db, world, run), survey: await surveyInDb(tdb.db) };
    const events = worldEvents(actions, target);
    for (let i = 0; i < events.length; i += 1000) await ingestEvents(tdb.db, events.slice(i, i + 1000), { now: Date.now(), ownHosts: [], log: silent });
    await runReconcile(tdb.db, { mode: "full" });
    const res = await tdb.db.$client.execute(
      "SELECT c.external_id, a.software_channel, a.self_channel, a.blended_channel, a.dark, a.dark_reasons FROM conversion_attribution a JOIN conversions c ON c.id = a.conversion_id",
    );
    return new Map(res.rows.map((r) => [String(r.external_id), `${r.software_channel}|${r.self_channel}|${r.blended_channel}|${r.dark}|${r.dark_reasons}`]));
  } finally {
    await tdb.cleanup();
  }
}

describe("the accuracy benchmark's arithmetic", () => {
  it("total-variation distance is half the sum of absolute differences", () => {
    expect(tvDistance({ a: 0.5, b: 0.5 }, { a: 0.5, b: 0.5 })).toBe(0);
    expect(tvDistance({ a: 1 }, { b: 1 })).toBe(1);
    expect(tvDistance({ a: 0.6, b: 0.4 }, { a: 0.3, b: 0.5, c: 0.2 })).toBeCloseTo(0.3, 12);
  });

  const row = (softwareChannel: string, selfChannel: string | null, dark: boolean, responded = selfChannel !== null): AttributionRow => ({
    softwareChannel,
    selfChannel,
    blendedChannel: selfChannel ?? softwareChannel,
    responded,
    dark,
  });

  it("software-only counts tracked dark channels; the survey tool counts answers that name a dark channel", () => {
    const rows = [row("messaging", null, true), row("direct", "word_of_mouth", true), row("direct", "organic_search", false), row("direct", null, false, true)];
    expect(softwareDarkShare(rows)).toBe(0.25);
    expect(surveyDarkShare(rows)).toBeCloseTo(1 / 3, 12);
    expect(shares(rows.map((r) => r.blendedChannel))).toEqual({ messaging: 0.25, word_of_mouth: 0.25, organic_search: 0.25, direct: 0.25 });
  });

  it("Lantern counts respondents who named a channel or whom software saw arrive through a private one", () => {
    const rows = [row("direct", "word_of_mouth", true), row("direct", null, false, true), row("direct", null, false, false), row("messaging", null, true, true)];
    expect(rows.map(countedRespondent)).toEqual([true, false, false, true]);
  });

  it("the truth among counted respondents joins rows to the world's conversions by order id", () => {
    const rows = [
      { ...row("direct", "organic_search", false), order: "o1" },
      { ...row("direct", "word_of_mouth", true), order: "o2" },
      { ...row("direct", null, false, true), order: "o3" },
    ];
    const truth = { conversions: [{ order: "o1", dark: true }, { order: "o2", dark: true }, { order: "o3", dark: false }] } as unknown as Parameters<typeof truthOfCountedRespondents>[1];
    // o3 answered "I don't remember": not counted. o1 said Google but was dark.
    expect(truthOfCountedRespondents(rows, truth)).toBe(1);
  });
});

describe("pruning a world for the benchmark", () => {
  it("leaving out visitors who neither buy nor lead to a buyer changes no attribution row", async () => {
    const s = JSON.parse(JSON.stringify(loadScenario(join(SCENARIOS_DIR, "b2c-shop.json"))));
    s.visitors = 2500;
    s.sharing.rate = 0.4; // more re-share chains, so that ancestors matter
    const world = generateWorld(parseScenario(s), 5);
    const pruned = attributionActions(world);
    expect(pruned.length).toBeLessThan(world.actions.length * 0.7);
    const full = await reconcileRows(world, world.actions);
    const small = await reconcileRows(world, pruned);
    expect(full.size).toBe(world.truth.conversions.length);
    expect(small).toEqual(full);
  });
});
