import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_QUESTION, DEFAULT_SURVEY_OPTIONS } from "@lantern/core";
import { surveys } from "@lantern/db/schema";
import { createTestDb } from "@lantern/db/testing";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ensureDefaultSurvey } from "../src/bootstrap.ts";
import { createSurveyStore } from "../src/survey-store.ts";
import { dropQueueKeys, newPrefix, startProcess, waitFor } from "./infra.ts";

describe("ensureDefaultSurvey", () => {
  it("creates the default survey from the core defaults once, and returns the same id afterwards", async () => {
    const t = await createTestDb();
    try {
      const id = await ensureDefaultSurvey(t.db);
      expect(id).toEqual(expect.any(String));
      expect(await ensureDefaultSurvey(t.db)).toBe(id);
      expect(await t.db.select().from(surveys)).toHaveLength(1);
      const survey = (await createSurveyStore(t.db, Date.now).load(id!))!;
      expect(survey.question).toEqual(DEFAULT_QUESTION);
      expect(survey.options.map((o) => o.label.en)).toEqual(DEFAULT_SURVEY_OPTIONS.map((o) => o.labels.en));
      expect(survey.options.slice(-2).map((o) => o.kind)).toEqual(["other", "dont_remember"]);
      expect(survey.options.find((o) => o.kind === "option" && o.label.en === "A friend or colleague")?.channel).toBe("word_of_mouth");
    } finally {
      await t.cleanup();
    }
  });

  it("does not undo an admin's archive: with every survey archived it creates nothing and returns null", async () => {
    const t = await createTestDb();
    try {
      const id = (await ensureDefaultSurvey(t.db))!;
      await t.db.update(surveys).set({ archivedAt: 1 }).where(eq(surveys.id, id));
      expect(await ensureDefaultSurvey(t.db)).toBeNull();
      expect(await t.db.select().from(surveys)).toHaveLength(1);
    } finally {
      await t.cleanup();
    }
  });
});

describe("npm start (src/main.ts)", () => {
  it("migrates, creates the default survey on first run, logs its hosted URL and embed snippet, serves, and stops on SIGTERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lantern-surveys-main-"));
    const prefix = newPrefix();
    const env = {
      DATABASE_URL: `file:${join(dir, "lantern.db")}`,
      LANTERN_DATA_DIR: dir,
      LANTERN_QUEUE_PREFIX: prefix,
      LANTERN_API_KEY: "lt_main_test_key_0123456789",
      SURVEYS_PORT: "0",
      SURVEYS_HOST: "127.0.0.1",
    };
    try {
      const first = await startProcess("apps/surveys/src/main.ts", env);
      await waitFor("the survey-ready line", () => first.output().includes('"survey ready"'));
      const ready = first
        .output()
        .split("\n")
        .filter((l) => l.includes('"survey ready"'))
        .map((l) => JSON.parse(l) as { surveyId: string; hostedUrl: string; embed: string })[0]!;
      expect(ready.hostedUrl).toBe(`http://localhost:${first.port}/s/${ready.surveyId}`);
      expect(ready.embed).toBe(`<script src="http://localhost:${first.port}/widget.js" data-survey="${ready.surveyId}" async></script>`);
      const page = await fetch(`http://127.0.0.1:${first.port}/s/${ready.surveyId}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("How did you hear about us?");
      const list = await fetch(`http://127.0.0.1:${first.port}/api/surveys`, { headers: { Authorization: `Bearer ${env.LANTERN_API_KEY}` } });
      expect(((await list.json()) as { data: { id: string }[] }).data.map((s) => s.id)).toEqual([ready.surveyId]);
      expect(await first.stop()).toBe(0);

      // A second start finds the survey and creates no other.
      const second = await startProcess("apps/surveys/src/main.ts", env);
      await waitFor("the survey-ready line", () => second.output().includes('"survey ready"'));
      expect(second.output()).toContain(`"surveyId":"${ready.surveyId}"`);
      const again = await fetch(`http://127.0.0.1:${second.port}/api/surveys`, { headers: { Authorization: `Bearer ${env.LANTERN_API_KEY}` } });
      expect(((await again.json()) as { data: unknown[] }).data).toHaveLength(1);
      expect(await second.stop()).toBe(0);
    } finally {
      await dropQueueKeys(prefix);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
