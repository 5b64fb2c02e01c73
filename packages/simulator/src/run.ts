import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createDb, type Db } from "@lantern/db";
import { EVENTS_QUEUE } from "@lantern/queue";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { driveHttp, type HttpDriveResult } from "./drive-http.ts";
import { driveQueue, type QueueDriveResult } from "./drive-queue.ts";
import { reconcileNow, type ReconcileOutcome } from "./reconcile.ts";
import { createLinksInDb, createLinksViaApi, HttpError, type LinkRef, type SurveyRef, surveyInDb, surveyViaApi, type Target } from "./targets.ts";
import type { Truth, World } from "./world.ts";

/**
 * One run of a world against a running instance: links and survey resolved (through the APIs, else
 * the database), the world driven over HTTP or through the queue, a reconcile asked for, and the
 * ground truth written beside the run. Used by the CLI and the demo.
 */

export const SCENARIOS_DIR = fileURLToPath(new URL("../scenarios/", import.meta.url));

export interface Instance {
  linksUrl: string;
  surveysUrl: string;
  adminUrl?: string;
  apiKey?: string;
  redisUrl: string;
  prefix: string;
  /** Used when the links or surveys API cannot be reached. */
  databaseUrl?: string;
  databaseAuthToken?: string;
  surveyId?: string;
}

export interface RunOptions {
  mode: "http" | "queue";
  concurrency?: number;
  reconcile?: boolean;
  log?: (message: string) => void;
  onProgress?: (done: number, total: number, label: string) => void;
  /** Where truth.json goes (folder). */
  outDir?: string;
  /** Id prefix of this run; random by default. */
  run?: string;
}

export interface RunResult {
  run: string;
  mode: "http" | "queue";
  linksVia: "api" | "db";
  surveyVia: "api" | "db";
  http?: Omit<HttpDriveResult, "clickIds">;
  queue?: QueueDriveResult;
  reconcile?: ReconcileOutcome;
  truthFile?: string;
}

export const newRunId = () => `s${randomBytes(6).toString("base64url").replace(/[-_]/g, "x")}`;

const isUnreachable = (err: unknown) => err instanceof HttpError && (err.status === 0 || err.status >= 500);

async function withDb<T>(instance: Instance, fn: (db: Db) => Promise<T>): Promise<T> {
  if (!instance.databaseUrl) throw new Error("the API cannot be reached and no database URL was given");
  const db = await createDb({ url: instance.databaseUrl, authToken: instance.databaseAuthToken });
  try {
    return await fn(db);
  } finally {
    db.$client.close();
  }
}

/** Links through POST /api/links (as a marketer would), else straight into the database. */
export async function resolveTarget(world: World, instance: Instance, run: string, log: (m: string) => void): Promise<{ target: Target; linksVia: "api" | "db"; surveyVia: "api" | "db" }> {
  let links: Map<string, LinkRef>;
  let linksVia: "api" | "db" = "api";
  try {
    if (!instance.apiKey) throw new HttpError(0, "no API key");
    links = await createLinksViaApi(instance.linksUrl, instance.apiKey, world, run);
  } catch (err) {
    if (!isUnreachable(err) || !instance.databaseUrl) throw err;
    log(`links API unavailable (${(err as Error).message}); writing the links into the database`);
    links = await withDb(instance, (db) => createLinksInDb(db, world, run));
    linksVia = "db";
  }
  let survey: SurveyRef;
  let surveyVia: "api" | "db" = "api";
  try {
    if (!instance.apiKey) throw new HttpError(0, "no API key");
    survey = await surveyViaApi(instance.surveysUrl, instance.apiKey, instance.surveyId);
  } catch (err) {
    if (!isUnreachable(err) || !instance.databaseUrl) throw err;
    log(`surveys API unavailable (${(err as Error).message}); reading the survey from the database`);
    survey = await withDb(instance, (db) => surveyInDb(db, instance.surveyId));
    surveyVia = "db";
  }
  return { target: { run, links, survey }, linksVia, surveyVia };
}

export function writeTruth(dir: string, world: World, extra: Record<string, unknown>): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "truth.json");
  writeFileSync(file, `${JSON.stringify({ ...extra, ...truthForFile(world.truth) }, null, 1)}\n`);
  return file;
}

function truthForFile(truth: Truth) {
  const { conversions, ...summary } = truth;
  return { ...summary, conversions };
}

export async function runWorld(world: World, instance: Instance, options: RunOptions): Promise<RunResult> {
  const log = options.log ?? (() => {});
  const run = options.run ?? newRunId();
  const { target, linksVia, surveyVia } = await resolveTarget(world, instance, run, log);
  log(`${target.links.size} links (${linksVia}), survey ${target.survey.id} (${surveyVia}), run ${run}`);
  const result: RunResult = { run, mode: options.mode, linksVia, surveyVia };

  if (options.mode === "http") {
    const http = await driveHttp(world.actions, target, {
      linksUrl: instance.linksUrl,
      surveysUrl: instance.surveysUrl,
      apiKey: instance.apiKey,
      concurrency: options.concurrency,
      redisUrl: instance.redisUrl,
      prefix: instance.prefix,
      onProgress: (d, t) => options.onProgress?.(d, t, "actions"),
    });
    const { clickIds: _ids, ...rest } = http;
    result.http = rest;
    // Events sit in the services' buffers for up to a few hundred ms; let the worker catch up before reconciling.
    await waitForQuiet(instance);
  } else {
    result.queue = await driveQueue(world, target, {
      redisUrl: instance.redisUrl,
      prefix: instance.prefix,
      onProgress: (d, t, phase) => options.onProgress?.(d, t, phase === "queue" ? "queued" : "stored"),
    });
  }

  if (options.reconcile !== false) {
    result.reconcile = await reconcileNow({ mode: "full", adminUrl: instance.adminUrl, apiKey: instance.apiKey, redisUrl: instance.redisUrl, prefix: instance.prefix });
  }
  if (options.outDir) {
    result.truthFile = writeTruth(options.outDir, world, { run, mode: options.mode, scenarioRun: `${world.scenario}-${world.seed}` });
    writeFileSync(join(options.outDir, "run.json"), `${JSON.stringify({ ...result, truthFile: undefined, instance: { ...instance, apiKey: undefined } }, null, 1)}\n`);
  }
  return result;
}

/** Waits until the events queue has nothing waiting or active (the services flush every ~200 ms). */
async function waitForQuiet(instance: Instance, timeoutMs = 120_000): Promise<void> {
  const connection = new Redis(instance.redisUrl, { maxRetriesPerRequest: 3 });
  connection.on("error", () => {});
  const queue = new Queue(EVENTS_QUEUE, { connection, prefix: instance.prefix });
  queue.on("error", () => {});
  try {
    const deadline = Date.now() + timeoutMs;
    let quietSince = 0;
    while (Date.now() < deadline) {
      const c = await queue.getJobCounts("waiting", "active", "delayed", "prioritized");
      const busy = (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0);
      if (busy === 0) {
        quietSince ||= Date.now();
        // Quiet for longer than the services' flush interval: nothing is left in their buffers either.
        if (Date.now() - quietSince > 1500) return;
      } else quietSince = 0;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`the events queue did not drain within ${timeoutMs} ms: is the worker running on prefix "${instance.prefix}"?`);
  } finally {
    await queue.close().catch(() => {});
    connection.disconnect();
  }
}
