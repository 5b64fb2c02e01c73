// `pnpm bench:accuracy`: for each shipped scenario and seed, a world with known truth goes through the
// real pipeline (worker ingestion into a temporary libSQL file, runReconcile, the reports API's overview)
// and Lantern's dark-share estimate is compared with the truth and with two baselines. Prints a table
// and writes docs/accuracy.md. Worlds run in child processes, `--jobs` at a time.
//
//   pnpm bench:accuracy [--seeds 10] [--scenario b2c-shop,b2b-saas,media-site] [--jobs 2] [--no-write] [--full-traffic]
//                       [--follow-up P] [--sweep 0,0.6,1]
//
// --follow-up sets the chance that a buyer answers an offered follow-up question in every world (default:
// each scenario's answers.followUp). --sweep re-runs the same worlds at other rates and reports how the
// figures move (default 0,0.6,1 when the report is written; --sweep "" skips it).
//
// By default each world is loaded without the clicks, landings and arrivals of visitors who neither buy
// nor lead to a buyer (and without crawler hits): no attribution row depends on them, and leaving them
// out makes the run several times faster. --full-traffic loads everything.
import { spawn } from "node:child_process";
import { cpus } from "node:os";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { isChannelKey, isDarkChannel } from "@lantern/core";
import { createTestDb } from "@lantern/db/testing";
import { ingestEvents } from "../apps/worker/src/ingest/batch.ts";
import { runReconcile } from "../apps/worker/src/reconcile/run.ts";
import { ensureDefaultSurvey } from "../apps/surveys/src/bootstrap.ts";
import { createApp as createAdminApp } from "../apps/admin/server/app.ts";
import {
  type AttributionRow,
  accuracyMarkdown,
  checkGoals,
  evaluateWorld,
  type MissReason,
  pct,
  type SweepRow,
  pp,
  summarise,
  type WorldResult,
} from "../packages/simulator/src/accuracy.ts";
import { attributionActions, createLinksInDb, generateWorld, loadScenario, type Scenario, SCENARIOS_DIR, surveyInDb, worldEvents } from "../packages/simulator/src/index.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SCENARIOS = ["b2c-shop", "b2b-saas", "media-site"];

type Log = Parameters<typeof ingestEvents>[2]["log"];
const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent } as unknown as Log;
const dark = (c: string | null) => c !== null && isChannelKey(c) && isDarkChannel(c);

const BENCH_KEY = "bench-accuracy-key-0123456789";

interface Overview {
  conversions: number;
  darkShare: {
    respondents: { estimate: number | null };
    all: {
      estimate: number | null;
      low: number | null;
      high: number | null;
      faceValue: { low: number | null; high: number | null };
      corrected: number | null;
      answerCheck: { sensitivity: number } | null;
    };
  };
  estimatedMix: { channels: { channel: string; share: number }[] };
}

/** GET /api/reports/overview of the real admin server app (in-process, on this world's database). */
async function reportsOverview(db: Parameters<typeof createAdminApp>[0]["db"], from: number, to: number): Promise<Overview> {
  const nowhere = "http://127.0.0.1:9";
  const admin = createAdminApp({ db, redis: null, queuePrefix: "bench", config: { publicUrl: "http://localhost", apiKey: BENCH_KEY, linksUrl: nowhere, surveysUrl: nowhere } });
  try {
    const res = await admin.request(`/api/reports/overview?from=${from}&to=${to}`, { headers: { authorization: `Bearer ${BENCH_KEY}` } });
    if (res.status !== 200) throw new Error(`GET /api/reports/overview answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    return (await res.json()) as Overview;
  } finally {
    await admin.close();
  }
}

interface ChildResult {
  result: WorldResult;
  misses: Partial<Record<MissReason, number>>;
}

/** One world through the pipeline (runs in a child process). */
async function runOne(scenarioName: string, seed: number, fullTraffic: boolean, followUp: number | null): Promise<ChildResult> {
  const started = Date.now();
  const scenario = withFollowUp(loadScenario(join(SCENARIOS_DIR, `${scenarioName}.json`)), followUp);
  const world = generateWorld(scenario, seed);
  const tdb = await createTestDb();
  try {
    const db = tdb.db;
    await ensureDefaultSurvey(db);
    const run = `b${seed}x${scenarioName.replace(/[^a-z0-9]/g, "")}`.slice(0, 20);
    const links = await createLinksInDb(db, world, run);
    const survey = await surveyInDb(db);
    // Unless --full-traffic: only the events an attribution row can depend on (see attributionActions).
    const events = worldEvents(fullTraffic ? world.actions : attributionActions(world), { run, links, survey });
    for (let i = 0; i < events.length; i += 2000) {
      await ingestEvents(db, events.slice(i, i + 2000), { now: Date.now(), ownHosts: [], log: silent });
    }
    await runReconcile(db, { mode: "full" });
    const overview = await reportsOverview(db, world.start, world.end);
    const stored = await db.$client.execute(
      "SELECT c.external_id, a.software_channel, a.self_channel, a.blended_channel, a.responded, a.dark FROM conversion_attribution a JOIN conversions c ON c.id = a.conversion_id",
    );
    const rows: (AttributionRow & { order: string | null })[] = stored.rows.map((r) => ({
      order: r.external_id === null ? null : String(r.external_id).slice(run.length + 1),
      softwareChannel: String(r.software_channel),
      selfChannel: r.self_channel === null ? null : String(r.self_channel),
      blendedChannel: String(r.blended_channel),
      responded: Number(r.responded) === 1,
      dark: Number(r.dark) === 1,
    }));
    const all = overview.darkShare.all;
    const result = evaluateWorld({
      scenario: scenarioName,
      seed,
      truth: world.truth,
      rows,
      lantern: {
        estimate: all.estimate,
        low: all.low,
        high: all.high,
        faceLow: all.faceValue.low,
        faceHigh: all.faceValue.high,
        corrected: all.corrected,
        sensitivity: all.answerCheck?.sensitivity ?? null,
        respondents: overview.darkShare.respondents.estimate ?? null,
      },
      lanternMix: Object.fromEntries(overview.estimatedMix.channels.map((c) => [c.channel, c.share])),
      ms: Date.now() - started,
    });

    // Why respondents' dark flags came out wrong: joins the truth to Lantern's rows by order id.
    const byOrder = new Map(rows.map((r) => [r.order, r]));
    const answers = new Map(world.actions.flatMap((a) => (a.type === "survey.answer" ? [[a.order, a.answer] as const] : [])));
    const misses: Partial<Record<MissReason, number>> = {};
    const count = (r: MissReason) => {
      misses[r] = (misses[r] ?? 0) + 1;
    };
    for (const t of world.truth.conversions) {
      const row = byOrder.get(t.order);
      const answer = answers.get(t.order);
      if (!row?.responded || !answer) continue;
      if (t.dark && !row.dark) {
        if (answer.kind === "dont_remember") count("dont_remember");
        else if (!dark(t.channel)) count("public_last_hop");
        else if (row.selfChannel === null) count("unclassified_text");
        else if (answer.said.channel === "organic_search") count("said_search");
        else count("named_other_channel");
      } else if (!t.dark && row.dark) {
        count(dark(row.selfChannel) ? "false_dark_answer" : "false_dark_software");
      }
    }
    return { result, misses };
  } finally {
    await tdb.cleanup();
  }
}

/** The scenario with every buyer answering an offered follow-up question with chance `followUp` (null: as the scenario says). */
function withFollowUp(scenario: Scenario, followUp: number | null): Scenario {
  return followUp === null ? scenario : { ...scenario, answers: { ...scenario.answers, followUp } };
}

function probabilityArg(name: string, text: string): number {
  const p = Number(text);
  if (text.trim() === "" || !(p >= 0 && p <= 1)) throw new Error(`${name} takes a probability from 0 to 1, got "${text}"`);
  return p;
}

/** Every task through `jobs` child processes; `onEach` hears of each world as it finishes. */
async function runAll(tasks: [string, number][], jobs: number, args: string[], onEach: (r: WorldResult, done: number) => void) {
  const results: WorldResult[] = [];
  const misses: Record<string, Partial<Record<MissReason, number>>> = {};
  const perJob: [string, number][][] = Array.from({ length: jobs }, () => []);
  for (const [i, t] of tasks.entries()) perJob[i % jobs]!.push(t);
  await Promise.all(
    perJob
      .filter((t) => t.length > 0)
      .map((t) =>
        runChild(t, args, ({ result: r, misses: m }) => {
          results.push(r);
          const into = misses[r.scenario] ?? {};
          misses[r.scenario] = into;
          for (const [k, n] of Object.entries(m)) into[k as MissReason] = (into[k as MissReason] ?? 0) + (n ?? 0);
          onEach(r, results.length);
        }),
      ),
  );
  return { results, misses };
}

function runChild(tasks: [string, number][], extraArgs: string[], onResult: (r: ChildResult) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, "node_modules", ".bin", "tsx"), [fileURLToPath(import.meta.url), "--child", JSON.stringify(tasks), ...extraArgs], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let buf = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buf += chunk.toString();
      let nl = buf.indexOf("\n");
      while (nl >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith("{")) onResult(JSON.parse(line) as ChildResult);
        nl = buf.indexOf("\n");
      }
    });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`a benchmark process exited with ${code}`))));
  });
}

async function main() {
  const { values } = parseArgs({
    options: {
      seeds: { type: "string", default: "10" },
      scenario: { type: "string" },
      jobs: { type: "string" },
      "no-write": { type: "boolean" },
      "full-traffic": { type: "boolean" },
      "follow-up": { type: "string" },
      sweep: { type: "string" },
      child: { type: "string" },
    },
  });
  const fullTraffic = values["full-traffic"] === true;
  const followUp = values["follow-up"] === undefined ? null : probabilityArg("--follow-up", values["follow-up"]);
  // Follow-up rates to re-run the worlds with (--sweep "" for none); by default when writing the report.
  const sweepText = values.sweep ?? (values["no-write"] || values.child ? "" : "0,0.6,1");
  const sweepRates = sweepText.trim() === "" ? [] : sweepText.split(",").map((t) => probabilityArg("--sweep", t));
  if (values.child) {
    for (const [scenario, seed] of JSON.parse(values.child) as [string, number][]) process.stdout.write(`${JSON.stringify(await runOne(scenario, seed, fullTraffic, followUp))}\n`);
    return;
  }

  const started = Date.now();
  const nSeeds = Number(values.seeds);
  const scenarios = values.scenario ? values.scenario.split(",") : SCENARIOS;
  const seeds = Array.from({ length: nSeeds }, (_, i) => i + 1);
  const jobs = Math.max(1, Number(values.jobs ?? Math.min(2, cpus().length)));
  const tasks: [string, number][] = scenarios.flatMap((s) => seeds.map((seed) => [s, seed] as [string, number]));
  process.stderr.write(`bench:accuracy: ${tasks.length} worlds (${scenarios.join(", ")} × ${nSeeds} seeds), ${jobs} at a time\n`);

  const childArgs = (followUp: number | null) => [...(fullTraffic ? ["--full-traffic"] : []), ...(followUp === null ? [] : ["--follow-up", String(followUp)])];
  const { results, misses } = await runAll(tasks, jobs, childArgs(followUp), (r, done) =>
    process.stderr.write(
      `  ${r.scenario} seed ${r.seed}: truth ${pct(r.truth)}, Lantern ${pct(r.lantern.estimate ?? Number.NaN)} [${pct(r.lantern.low ?? Number.NaN)}, ${pct(r.lantern.high ?? Number.NaN)}]${r.covered ? "" : " (misses)"}, software ${pct(r.software)}, survey ${pct(r.survey ?? Number.NaN)}; ${r.conversions} conversions, ${r.respondents} answers, ${(r.ms / 1000).toFixed(1)} s (${done}/${tasks.length})\n`,
    ),
  );
  const byScenarioAndSeed = (a: WorldResult, b: WorldResult) => scenarios.indexOf(a.scenario) - scenarios.indexOf(b.scenario) || a.seed - b.seed;
  results.sort(byScenarioAndSeed);
  const summaries = summarise(results);
  const goals = checkGoals(results, summaries);

  const pad = (s: string, n: number) => s.padEnd(n);
  const lines = [
    "",
    `${pad("scenario", 12)} ${pad("truth", 7)} ${pad("Lantern (95% CI)", 24)} ${pad("error", 8)} ${pad("software", 9)} ${pad("error", 8)} ${pad("survey", 8)} ${pad("error", 8)} ${pad("covered", 8)} TV (L/S/Q)`,
    ...summaries.map(
      (s) =>
        `${pad(s.scenario, 12)} ${pad(pct(s.truth), 7)} ${pad(`${pct(s.lantern)} (${pct(s.lanternLow)}–${pct(s.lanternHigh)})`, 24)} ${pad(pp(s.error.lantern), 8)} ${pad(pct(s.software), 9)} ${pad(pp(s.error.software), 8)} ${pad(pct(s.survey), 8)} ${pad(pp(s.error.survey), 8)} ${pad(pct(s.coverage, 0), 8)} ${s.tv.lantern.toFixed(3)}/${s.tv.software.toFixed(3)}/${s.tv.survey.toFixed(3)}`,
    ),
    "",
    `Goal: mean error ≤ 3 pp: ${pp(goals.meanError)} ${goals.meanErrorOk ? "(met)" : "(MISSED)"}`,
    `Goal: better than both baselines in every scenario: ${goals.notBetter.length === 0 ? "met" : `MISSED in ${goals.notBetter.join(", ")}`}`,
    `Goal: coverage ≥ 90%: ${pct(goals.coverage, 0)} ${goals.coverageOk ? "(met)" : "(MISSED)"}`,
    "",
  ];
  process.stdout.write(lines.join("\n"));

  // The same worlds with other follow-up rates: how much the figures lean on that guess.
  const sweep: SweepRow[] = [];
  for (const rate of sweepRates) {
    process.stderr.write(`bench:accuracy: the same ${tasks.length} worlds, every offered follow-up answered with chance ${rate}\n`);
    const run = await runAll(tasks, jobs, childArgs(rate), () => {});
    run.results.sort(byScenarioAndSeed);
    const rows = summarise(run.results);
    sweep.push({ followUp: rate, summaries: rows, goals: checkGoals(run.results, rows) });
    process.stdout.write(`follow-up ${rate}: mean error ${pp(sweep.at(-1)!.goals.meanError)}, coverage ${pct(sweep.at(-1)!.goals.coverage, 0)}\n`);
  }

  if (!values["no-write"]) {
    const scenarioText = Object.fromEntries(scenarios.map((s) => [s, loadScenario(join(SCENARIOS_DIR, `${s}.json`)).description]));
    const md = accuracyMarkdown(results, summaries, goals, {
      date: new Date().toISOString().slice(0, 10),
      machine: `${cpus().length} × ${cpus()[0]?.model.trim() ?? "CPU"}, Node ${process.version}`,
      seeds,
      totalMs: Date.now() - started,
      command: `pnpm bench:accuracy --seeds ${nSeeds}${values.scenario ? ` --scenario ${values.scenario}` : ""}`,
      misses,
      scenarioText,
      sweep,
      followUp: Object.fromEntries(scenarios.map((sc) => [sc, withFollowUp(loadScenario(join(SCENARIOS_DIR, `${sc}.json`)), followUp).answers.followUp])),
    });
    const file = join(ROOT, "docs", "accuracy.md");
    writeFileSync(file, md);
    process.stderr.write(`wrote ${file}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:accuracy failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
