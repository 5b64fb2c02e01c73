import { randomBytes } from "node:crypto";
import { type Db, normalizedAnswerTexts } from "@lantern/db";
import { surveyResponses, surveySkips, surveyViews } from "@lantern/db/schema";
import { createTestDb, type TestDb } from "@lantern/db/testing";
import type { LanternEvent } from "@lantern/queue";
import { createApp, type SurveysApp } from "../src/app.ts";
import type { SurveysConfig } from "../src/context.ts";

export const ADMIN_KEY = "lt_test_admin_key_0123456789";
/** A person's browser (bots, previews and headless browsers get the page but count no view). */
export const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";

export interface Harness {
  t: TestDb;
  db: Db;
  app: SurveysApp;
  /** Everything the app handed to its event buffer, in order. */
  events: LanternEvent[];
  close(): Promise<void>;
}

/** The app on a fresh database (or `extra.db`); events are collected instead of queued (the worker is not under test here). */
export async function harness(config: Partial<SurveysConfig> = {}, extra: { clock?: () => number; db?: TestDb } = {}): Promise<Harness> {
  const t = extra.db ?? (await createTestDb());
  const events: LanternEvent[] = [];
  const app = createApp({
    db: t.db,
    buffer: { push: (event) => events.push(event) },
    clock: extra.clock,
    config: { bootstrapKey: ADMIN_KEY, rateLimit: { perIp: 1_000_000, perVisitor: 1_000_000, windowMs: 60_000 }, ...config },
  });
  return {
    t,
    db: t.db,
    app,
    events,
    async close() {
      app.dispose();
      await t.cleanup();
    },
  };
}

export function call(app: SurveysApp, method: string, path: string, body?: unknown, key: string | null = ADMIN_KEY, headers: Record<string, string> = {}) {
  return app.request(path, {
    method,
    headers: {
      ...(key ? { Authorization: `Bearer ${key}` } : {}),
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
}

export const SAMPLE_SURVEY = {
  name: "Checkout survey",
  question: { en: "How did you hear about us?", de: "Wie haben Sie von uns erfahren?" },
  options: [
    { label: { en: "A friend or colleague", de: "Freunde oder Kollegen" } },
    { label: "WhatsApp group" },
    { label: "Slack community" },
    { label: "Google search" },
    { label: "A podcast", followUp: "Which podcast?" },
    { kind: "other", label: { en: "Other", de: "Sonstiges" } },
    { kind: "dont_remember", label: { en: "I don't remember", de: "Weiß ich nicht mehr" } },
  ],
};

export interface SurveyJson {
  id: string;
  name: string;
  active: boolean;
  randomize: boolean;
  archivedAt: number | null;
  question: Record<string, string>;
  hostedUrl: string;
  embed: string;
  options: { id: string; kind: string; label: Record<string, string>; channel: string | null; source: string | null; followUp: Record<string, string> | null }[];
}

export async function createSurvey(app: SurveysApp, body: unknown = SAMPLE_SURVEY): Promise<SurveyJson> {
  const res = await call(app, "POST", "/api/surveys", body);
  if (res.status !== 201) throw new Error(`create survey: ${res.status} ${await res.text()}`);
  return (await res.json()) as SurveyJson;
}

export function optionByLabel(survey: SurveyJson, label: string) {
  const option = survey.options.find((o) => Object.values(o.label).includes(label));
  if (!option) throw new Error(`no option "${label}"`);
  return option;
}

/** A stored response row, as the worker writes them (for tests of listing, export and figures). */
export async function storedResponse(db: Db, row: Partial<typeof surveyResponses.$inferInsert> & { surveyId: string; ts: number }) {
  const full = { id: randomBytes(9).toString("base64url"), receivedAt: row.ts, rule: "option", ...normalizedAnswerTexts(row), ...row };
  await db.insert(surveyResponses).values(full);
  return full;
}

export async function storedView(db: Db, surveyId: string, ts: number) {
  await db.insert(surveyViews).values({ id: randomBytes(9).toString("base64url"), surveyId, ts, placement: "hosted" });
}

export async function storedSkip(db: Db, surveyId: string, ts: number) {
  await db.insert(surveySkips).values({ id: randomBytes(9).toString("base64url"), surveyId, ts });
}

/** Polls until `check` returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 60_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
