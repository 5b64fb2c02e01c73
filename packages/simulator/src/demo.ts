import { join, resolve } from "node:path";
import { z } from "zod";
import { progressBar } from "./progress.ts";
import { runWorld, SCENARIOS_DIR } from "./run.ts";
import { loadScenario } from "./scenario.ts";
import { DAY_MS, generateWorld } from "./world.ts";

/**
 * The demo data of `npm start`'s first run: a 90-day world (scenarios/demo.json: about 20,000
 * short-link clicks, 2,000 orders and 800 survey answers) that ends now, loaded through the ingestion
 * queue so that its days are real days in the reports, then reconciled. scripts/start.ts calls it once
 * the services are healthy; it reads the same environment as they do.
 */

const DEMO_SEED = 42;

const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema);
const envSchema = z.object({
  LINKS_INTERNAL_URL: optional(z.url().optional()),
  LINKS_PUBLIC_URL: optional(z.url().optional()),
  LINKS_PORT: optional(z.coerce.number().int().optional()),
  SURVEYS_INTERNAL_URL: optional(z.url().optional()),
  SURVEYS_PUBLIC_URL: optional(z.url().optional()),
  SURVEYS_PORT: optional(z.coerce.number().int().optional()),
  ADMIN_INTERNAL_URL: optional(z.url().optional()),
  ADMIN_PORT: optional(z.coerce.number().int().optional()),
  LANTERN_API_KEY: optional(z.string().min(16).optional()),
  REDIS_URL: optional(z.string().default("redis://127.0.0.1:6379")),
  LANTERN_QUEUE_PREFIX: optional(z.string().regex(/^[A-Za-z0-9_-]+$/).default("lantern")),
  DATABASE_URL: optional(z.string().default("file:.lantern/lantern.db")),
  DATABASE_AUTH_TOKEN: optional(z.string().optional()),
  LANTERN_DATA_DIR: optional(z.string().default(".lantern")),
});

export interface DemoOptions {
  log: (message: string) => void;
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  seed?: number;
  /** End of the demo world (default now). */
  now?: number;
}

export interface DemoSummary {
  clicks: number;
  conversions: number;
  answers: number;
  darkShare: number;
  truthFile: string | undefined;
  ms: number;
}

export async function seedDemo(options: DemoOptions): Promise<DemoSummary> {
  const started = Date.now();
  const parsed = envSchema.safeParse(options.env ?? process.env);
  if (!parsed.success) throw new Error(`demo: bad environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const env = parsed.data;
  const log = options.log;
  const seed = options.seed ?? DEMO_SEED;

  const scenario = loadScenario(join(SCENARIOS_DIR, "demo.json"));
  const now = options.now ?? Date.now();
  const world = generateWorld(scenario, seed, { start: now - scenario.days * DAY_MS });
  const c = world.truth.counts;
  log(`generated ${c.clicks.toLocaleString("en-US")} clicks, ${c.conversions.toLocaleString("en-US")} orders and ${c.answers.toLocaleString("en-US")} answers over ${scenario.days} days`);

  const bar = progressBar("[demo] loading", process.stderr);
  const result = await runWorld(
    world,
    {
      linksUrl: env.LINKS_INTERNAL_URL ?? env.LINKS_PUBLIC_URL ?? `http://127.0.0.1:${env.LINKS_PORT ?? 3001}`,
      surveysUrl: env.SURVEYS_INTERNAL_URL ?? env.SURVEYS_PUBLIC_URL ?? `http://127.0.0.1:${env.SURVEYS_PORT ?? 3002}`,
      adminUrl: env.ADMIN_INTERNAL_URL ?? `http://127.0.0.1:${env.ADMIN_PORT ?? 3000}`,
      apiKey: env.LANTERN_API_KEY,
      redisUrl: env.REDIS_URL,
      prefix: env.LANTERN_QUEUE_PREFIX,
      databaseUrl: env.DATABASE_URL,
      databaseAuthToken: env.DATABASE_AUTH_TOKEN,
    },
    {
      mode: "queue",
      log,
      onProgress: (done, total, label) => bar.update(done, total, label),
      outDir: resolve(env.LANTERN_DATA_DIR, "sim", `demo-${seed}`),
    },
  );
  bar.done();
  const summary: DemoSummary = {
    clicks: c.clicks,
    conversions: c.conversions,
    answers: c.answers,
    darkShare: world.truth.darkShare,
    truthFile: result.truthFile,
    ms: Date.now() - started,
  };
  log(
    `demo loaded and reconciled in ${(summary.ms / 1000).toFixed(1)} s; its true dark share is ${(summary.darkShare * 100).toFixed(1)}% (ground truth: ${summary.truthFile})`,
  );
  return summary;
}
