import { surveyResponses, surveySkips, surveyViews } from "@lantern/db/schema";
import { createTestDb, type TestDb } from "@lantern/db/testing";
import { producerConnection } from "@lantern/queue";
import { count, eq } from "drizzle-orm";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newPrefix, type Proc, RedisServer, startSurveys, startWorker, type SurveysServer, waitFor } from "./infra.ts";
import { ADMIN_KEY, SAMPLE_SURVEY, type SurveyJson } from "./support.ts";

/**
 * Acceptance 5: answers stream in over HTTP while Redis goes away and comes back. The service keeps
 * answering 202 (the request path never waits on Redis; the rate limiter counts in process meanwhile),
 * the buffer spools to disk and replays, and the worker stores every answer exactly once.
 */
let t: TestDb;
let redis: RedisServer;
let limiterRedis: Redis;
let worker: Proc;
let surveys: SurveysServer;
const prefix = newPrefix();

beforeAll(async () => {
  t = await createTestDb();
  redis = await RedisServer.start();
  worker = await startWorker({ databaseUrl: t.url, redisUrl: redis.url, prefix });
  limiterRedis = producerConnection(redis.url);
  limiterRedis.on("error", () => undefined);
  surveys = await startSurveys({ db: t.db, prefix, redisUrl: redis.url, limiterRedis });
});

afterAll(async () => {
  await surveys?.close();
  limiterRedis?.disconnect();
  await worker?.stop();
  await redis?.stop();
  await t?.cleanup();
});

async function countOf(table: typeof surveyViews | typeof surveySkips | typeof surveyResponses, surveyId: string) {
  const [row] = await t.db.select({ n: count() }).from(table).where(eq(table.surveyId, surveyId));
  return row?.n ?? 0;
}

const post = (path: string, body: unknown) => fetch(`${surveys.url}${path}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

describe("Redis going away mid-stream", () => {
  it("loses no answer, view or skip, and doubles none", async () => {
    const created = await fetch(`${surveys.url}/api/surveys`, { method: "POST", headers: { Authorization: `Bearer ${ADMIN_KEY}`, "Content-Type": "application/json" }, body: JSON.stringify(SAMPLE_SURVEY) });
    const survey = (await created.json()) as SurveyJson;
    const ordinary = survey.options.filter((o) => o.kind === "option");
    const answers = new Map<string, string>(); // lcid -> response id given to the client
    let views = 0;
    let skips = 0;

    // Each visitor sees the survey, then either dismisses it (every 4th) or answers (every 5th in free text).
    const visitors = async (from: number, n: number) => {
      for (let i = from; i < from + n; i++) {
        const lcid = `c${String(i).padStart(5, "0")}`;
        expect((await post("/v1/views", { surveyId: survey.id, lcid })).status).toBe(202);
        views++;
        if (i % 4 === 0) {
          expect((await post("/v1/skips", { surveyId: survey.id, lcid })).status).toBe(202);
          skips++;
          continue;
        }
        const body = i % 5 === 0 ? { surveyId: survey.id, otherText: `a friend told me (${i})`, lcid } : { surveyId: survey.id, optionId: ordinary[i % ordinary.length]!.id, lcid };
        const res = await post("/v1/responses", body);
        expect(res.status).toBe(202);
        answers.set(lcid, ((await res.json()) as { id: string }).id);
      }
    };

    // Redis is killed and restarted while the stream of visitors goes on.
    const stream = visitors(0, 240);
    await waitFor("the first visitors", () => views >= 60);
    await redis.kill();
    await waitFor("visitors during the outage", () => views >= 150);
    await waitFor("the buffer to spool", () => surveys.buffer.stats().mode === "spool");
    await redis.up();
    await stream;
    await surveys.buffer.flush();
    expect(surveys.buffer.stats().spooledEvents).toBeGreaterThan(0);

    const counts = async () => [await countOf(surveyResponses, survey.id), await countOf(surveyViews, survey.id), await countOf(surveySkips, survey.id)].join();
    await waitFor("every event stored", async () => (await counts()) === [answers.size, views, skips].join(), 100_000).catch(async (err) => {
      throw new Error(`${err.message}: stored ${await counts()} of ${[answers.size, views, skips].join()}; buffer ${JSON.stringify(surveys.buffer.stats())}\n${worker.output().slice(-2000)}`);
    });

    const rows = await t.db.select({ id: surveyResponses.id, lcid: surveyResponses.lcid }).from(surveyResponses).where(eq(surveyResponses.surveyId, survey.id));
    expect(rows).toHaveLength(answers.size);
    expect(new Map(rows.map((r) => [r.lcid!, r.id]))).toEqual(answers);
    expect(surveys.buffer.stats().replayedBatches).toBeGreaterThan(0);
  });
});
