import { DEFAULT_QUESTION, DEFAULT_SURVEY_OPTIONS } from "@lantern/core";
import type { Db } from "@lantern/db";
import { surveyOptions, surveys } from "@lantern/db/schema";
import { asc, isNull } from "drizzle-orm";
import { createSurveyInput, type CreateSurveyInput } from "./survey-model.ts";
import { newSurveyRows } from "./survey-store.ts";

/** The "How did you hear about us?" survey every instance starts with, from @lantern/core's defaults. */
export function defaultSurveyInput(): CreateSurveyInput {
  return createSurveyInput.parse({
    name: "How did you hear about us?",
    defaultLocale: "en",
    question: { ...DEFAULT_QUESTION },
    randomize: true,
    active: true,
    options: DEFAULT_SURVEY_OPTIONS.map((o) => ({
      kind: o.kind === "channel" ? "option" : o.kind,
      label: { ...o.labels },
      channel: o.classification?.channel ?? null,
      source: o.classification?.source ?? null,
      ...(o.followUp ? { followUp: { ...o.followUp } } : {}),
    })),
  });
}

/**
 * Creates the default survey when the database has no survey at all, and returns the id of the survey
 * to show (the oldest one not archived). Returns null when every survey has been archived: an admin's
 * archive is respected, not undone at the next start. Check and insert run in one write transaction,
 * so two services starting at once create one survey, not two.
 */
export async function ensureDefaultSurvey(db: Db, now: number = Date.now()): Promise<string | null> {
  return db.transaction(
    async (tx) => {
      const [live] = await tx.select({ id: surveys.id }).from(surveys).where(isNull(surveys.archivedAt)).orderBy(asc(surveys.createdAt), asc(surveys.id)).limit(1);
      if (live) return live.id;
      const [any] = await tx.select({ id: surveys.id }).from(surveys).limit(1);
      if (any) return null;
      const rows = newSurveyRows(defaultSurveyInput(), now);
      await tx.insert(surveys).values(rows.survey);
      await tx.insert(surveyOptions).values(rows.options);
      return rows.survey.id;
    },
    { behavior: "immediate" },
  );
}
