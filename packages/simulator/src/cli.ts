import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { progressBar } from "./progress.ts";
import { runWorld, SCENARIOS_DIR, writeTruth } from "./run.ts";
import { loadScenario, scenarioLabel } from "./scenario.ts";
import { DAY_MS, generateWorld } from "./world.ts";

/**
 * `pnpm simulate --scenario b2c-shop --seed 7 [--mode queue|http]`: generates the world, drives a
 * running Lantern with it and writes the ground truth to .lantern/sim/<scenario>-<seed>/truth.json.
 */

const USAGE = `Usage: pnpm simulate --scenario <file.json|name> [options]

  --scenario FILE   a scenario file, or the name of a shipped one (b2c-shop, b2b-saas, media-site, demo)
  --seed N          the world's seed (default 1): the same seed gives the same world
  --mode MODE       queue (default): events go straight to the worker's queue with the world's own times
                    http: the real endpoints, as browsers and apps would (the world's days become the run's minutes)
  --start DATE      first day (YYYY-MM-DD); default: the world ends now
  --links URL       links service (default LINKS_INTERNAL_URL or http://127.0.0.1:3001)
  --surveys URL     survey service (default SURVEYS_INTERNAL_URL or http://127.0.0.1:3002)
  --admin URL       admin server, to ask for a reconcile (default http://127.0.0.1:3000)
  --api-key KEY     API key (default LANTERN_API_KEY or .lantern/api-key)
  --redis URL       Redis (default REDIS_URL or redis://127.0.0.1:6379)
  --prefix P        queue prefix (default LANTERN_QUEUE_PREFIX or lantern)
  --survey ID       the survey to answer (default the oldest active one)
  --concurrency N   HTTP requests at once (default 8)
  --no-reconcile    do not ask for a reconcile at the end
  --dry-run         generate the world and write the truth, drive nothing
  --out DIR         where truth.json goes (default .lantern/sim/<scenario>-<seed>)
`;

const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema);
const envSchema = z.object({
  LINKS_INTERNAL_URL: optional(z.url().optional()),
  LINKS_PORT: optional(z.coerce.number().int().default(3001)),
  SURVEYS_INTERNAL_URL: optional(z.url().optional()),
  SURVEYS_PORT: optional(z.coerce.number().int().default(3002)),
  ADMIN_INTERNAL_URL: optional(z.url().optional()),
  ADMIN_PORT: optional(z.coerce.number().int().default(3000)),
  LANTERN_API_KEY: optional(z.string().optional()),
  REDIS_URL: optional(z.string().default("redis://127.0.0.1:6379")),
  LANTERN_QUEUE_PREFIX: optional(z.string().default("lantern")),
  DATABASE_URL: optional(z.string().default("file:.lantern/lantern.db")),
  DATABASE_AUTH_TOKEN: optional(z.string().optional()),
  LANTERN_DATA_DIR: optional(z.string().default(".lantern")),
});

function scenarioPath(value: string): string {
  if (existsSync(value)) return value;
  const shipped = join(SCENARIOS_DIR, value.endsWith(".json") ? value : `${value}.json`);
  if (existsSync(shipped)) return shipped;
  throw new Error(`no scenario file "${value}" (shipped ones: b2c-shop, b2b-saas, media-site, demo)`);
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help || !args.scenario) {
    process.stdout.write(USAGE);
    return args.help ? 0 : 2;
  }
  const e = envSchema.parse(env);
  const dataDir = resolve(e.LANTERN_DATA_DIR);
  const apiKeyFile = join(dataDir, "api-key");
  const apiKey = args["api-key"] ?? e.LANTERN_API_KEY ?? (existsSync(apiKeyFile) ? readFileSync(apiKeyFile, "utf8").trim() : undefined);

  const path = scenarioPath(args.scenario);
  const scenario = loadScenario(path);
  const seed = Number(args.seed ?? "1");
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed must be a non-negative integer, got ${args.seed}`);
  const mode = (args.mode ?? "queue") as "queue" | "http";
  if (mode !== "queue" && mode !== "http") throw new Error(`--mode must be queue or http, got ${args.mode}`);
  const start = args.start ? Date.parse(`${args.start}T00:00:00Z`) : Date.now() - scenario.days * DAY_MS;
  if (!Number.isFinite(start)) throw new Error(`--start must be a date (YYYY-MM-DD), got ${args.start}`);

  const world = generateWorld(scenario, seed, { start });
  const label = `${scenarioLabel(path)}-${seed}`;
  const outDir = resolve(args.out ?? join(dataDir, "sim", label));
  const c = world.truth.counts;
  const say = (m: string) => process.stderr.write(`[simulate] ${m}\n`);
  say(
    `${label}: ${c.visitors} visitors, ${c.clicks} clicks, ${c.unfurls} previews, ${c.arrivals} re-share arrivals, ${c.visits} untagged visits, ${c.conversions} conversions, ${c.answers} answers; true dark share ${(world.truth.darkShare * 100).toFixed(1)}%`,
  );

  if (args["dry-run"]) {
    say(`ground truth: ${writeTruth(outDir, world, { run: null, mode: "dry-run", scenarioRun: label })}`);
    return 0;
  }

  const bar = progressBar(`[simulate] ${mode}`);
  const result = await runWorld(
    world,
    {
      linksUrl: args.links ?? e.LINKS_INTERNAL_URL ?? `http://127.0.0.1:${e.LINKS_PORT}`,
      surveysUrl: args.surveys ?? e.SURVEYS_INTERNAL_URL ?? `http://127.0.0.1:${e.SURVEYS_PORT}`,
      adminUrl: args.admin ?? e.ADMIN_INTERNAL_URL ?? `http://127.0.0.1:${e.ADMIN_PORT}`,
      apiKey,
      redisUrl: args.redis ?? e.REDIS_URL,
      prefix: args.prefix ?? e.LANTERN_QUEUE_PREFIX,
      databaseUrl: e.DATABASE_URL,
      databaseAuthToken: e.DATABASE_AUTH_TOKEN,
      surveyId: args.survey,
    },
    {
      mode,
      concurrency: args.concurrency ? Number(args.concurrency) : undefined,
      reconcile: !args["no-reconcile"],
      log: say,
      onProgress: (done, total, what) => bar.update(done, total, what),
      outDir,
    },
  );
  bar.done();
  if (result.http) {
    const h = result.http;
    say(`${h.requests} requests in ${(h.ms / 1000).toFixed(1)} s; beacons over HTTP: ${JSON.stringify(h.trackerBeacons)}; server-side conversions over HTTP: ${h.conversionsApi}`);
    if (Object.keys(h.viaQueue).length > 0) say(`sent through the queue instead: ${JSON.stringify(h.viaQueue)}`);
    if (h.rateLimited > 0) say(`${h.rateLimited} requests were rate-limited (set SURVEYS_IP_HEADER and LINKS_IP_HEADER to x-forwarded-for: each simulated visitor sends its own address)`);
    if (Object.keys(h.unexpected).length > 0) say(`unexpected answers: ${JSON.stringify(h.unexpected)}`);
  }
  if (result.queue) say(`${result.queue.events} events in ${result.queue.batches} batches stored in ${(result.queue.ms / 1000).toFixed(1)} s${result.queue.failed ? `; ${result.queue.failed} batches FAILED (see the worker's log)` : ""}`);
  if (result.reconcile) say(`reconciled (${result.reconcile.via}, job ${result.reconcile.jobId})`);
  say(`ground truth: ${result.truthFile}`);
  return 0;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      scenario: { type: "string" },
      seed: { type: "string" },
      mode: { type: "string" },
      start: { type: "string" },
      links: { type: "string" },
      surveys: { type: "string" },
      admin: { type: "string" },
      "api-key": { type: "string" },
      redis: { type: "string" },
      prefix: { type: "string" },
      survey: { type: "string" },
      concurrency: { type: "string" },
      out: { type: "string" },
      "no-reconcile": { type: "boolean" },
      "dry-run": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  }).values;
}
