import { surveyResponses, surveySkips, surveyViews } from "@lantern/db/schema";
import { createTestDb, type TestDb } from "@lantern/db/testing";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropQueueKeys, newPrefix, type Proc, startSurveys, startWorker, type SurveysServer, waitFor } from "./infra.ts";
import { ADMIN_KEY, BROWSER_UA, SAMPLE_SURVEY, type SurveyJson } from "./support.ts";

/** Acceptance 3: views, skips and answers go through Redis and the real worker; the figures add up. */
let t: TestDb;
let prefix: string;
let worker: Proc;
let surveys: SurveysServer;
beforeAll(async () => {
  t = await createTestDb();
  prefix = newPrefix();
  worker = await startWorker({ databaseUrl: t.url, prefix });
  surveys = await startSurveys({ db: t.db, prefix });
});
afterAll(async () => {
  await surveys?.close();
  await worker?.stop();
  await dropQueueKeys(prefix);
  await t?.cleanup();
});

const json = (method: string, path: string, body?: unknown, key?: string) =>
  fetch(`${surveys.url}${path}`, {
    method,
    headers: { "Content-Type": "application/json", ...(key ? { Authorization: `Bearer ${key}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function countOf(table: typeof surveyViews | typeof surveySkips | typeof surveyResponses, surveyId: string) {
  const [row] = await t.db.select({ n: count() }).from(table).where(eq(table.surveyId, surveyId));
  return row?.n ?? 0;
}

describe("per-survey figures through the worker", () => {
  it("reports response rate = responses / views after a scripted mix of views, skips and answers", async () => {
    const survey = (await (await json("POST", "/api/surveys", SAMPLE_SURVEY, ADMIN_KEY)).json()) as SurveyJson;
    const friend = survey.options.find((o) => o.label.en === "A friend or colleague")!;
    const other = survey.options.find((o) => o.kind === "other")!;

    // 25 views: 15 from the widget, 10 hosted page loads.
    for (let i = 0; i < 15; i++) expect((await json("POST", "/v1/views", { surveyId: survey.id, lcid: `w${i}` })).status).toBe(202);
    for (let i = 0; i < 10; i++) expect((await fetch(`${surveys.url}/s/${survey.id}?lcid=h${i}`, { headers: { "User-Agent": BROWSER_UA } })).status).toBe(200);
    // 6 dismissals.
    for (let i = 0; i < 6; i++) expect((await json("POST", "/v1/skips", { surveyId: survey.id, lcid: `w${i}` })).status).toBe(202);
    // 11 answers posted, one of them twice with the same idempotency key (counts once): 10 answers, one from the hosted form.
    for (let i = 0; i < 7; i++) expect((await json("POST", "/v1/responses", { surveyId: survey.id, optionId: friend.id, lcid: `w${i + 6}` })).status).toBe(202);
    for (let i = 0; i < 2; i++) expect((await json("POST", "/v1/responses", { surveyId: survey.id, optionId: other.id, otherText: "whatsapp group", idempotencyKey: "same-key" })).status).toBe(202);
    expect((await json("POST", "/v1/responses", { surveyId: survey.id, otherText: "heard on a podcast" })).status).toBe(202);
    const form = new URLSearchParams({ optionId: friend.id, lcid: "h1", idem: "hostedform1" });
    const posted = await fetch(`${surveys.url}/s/${survey.id}`, { method: "POST", body: form, redirect: "manual" });
    expect(posted.status).toBe(303);

    const counts = async () => [await countOf(surveyViews, survey.id), await countOf(surveySkips, survey.id), await countOf(surveyResponses, survey.id)];
    await waitFor("the worker to store every event", async () => (await counts()).join() === "25,6,10", 90_000).catch(async (err) => {
      throw new Error(`${err.message}; stored ${(await counts()).join()}; buffer ${JSON.stringify(surveys.buffer.stats())}\n${worker.output().slice(-3000)}`);
    });

    const stats = (await (await json("GET", `/api/surveys/${survey.id}/stats`, undefined, ADMIN_KEY)).json()) as {
      views: number;
      responses: number;
      skips: number;
      responseRate: number;
      skipRate: number;
      options: { optionId: string; responses: number }[];
      channels: { channel: string; responses: number }[];
    };
    expect(stats).toMatchObject({ views: 25, responses: 10, skips: 6 });
    expect(stats.responseRate).toBeCloseTo(10 / 25, 10);
    expect(stats.skipRate).toBeCloseTo(6 / 25, 10);
    expect(stats.options.find((o) => o.optionId === friend.id)?.responses).toBe(8);
    expect(stats.options.find((o) => o.optionId === other.id)?.responses).toBe(2);
    // The worker classified the free text.
    expect(stats.channels).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: "word_of_mouth", responses: 8 }),
        expect.objectContaining({ channel: "messaging", responses: 1 }),
        expect.objectContaining({ channel: "podcast", responses: 1 }),
      ]),
    );
  });
});
