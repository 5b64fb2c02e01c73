import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { epochMs, json } from "./_columns.ts";

/** Texts per locale: { en: "How did you hear about us?", de: "..." }. */
export type LocalizedText = Record<string, string>;

export const surveys = sqliteTable("surveys", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  question: json<LocalizedText>("question").notNull(),
  defaultLocale: text("default_locale").notNull().default("en"),
  randomize: integer("randomize", { mode: "boolean" }).notNull().default(true),
  active: integer("active", { mode: "boolean" }).notNull().default(true),
  thankYou: json<LocalizedText>("thank_you"),
  createdAt: epochMs("created_at").notNull(),
  updatedAt: epochMs("updated_at").notNull(),
  archivedAt: epochMs("archived_at"),
});

export type SurveyOptionKind = "option" | "other" | "dont_remember";

export const surveyOptions = sqliteTable(
  "survey_options",
  {
    id: text("id").primaryKey(),
    surveyId: text("survey_id").notNull(),
    position: integer("position").notNull(),
    kind: text("kind").$type<SurveyOptionKind>().notNull(),
    label: json<LocalizedText>("label").notNull(),
    channel: text("channel"),
    source: text("source"),
    followUp: json<LocalizedText>("follow_up"),
    archivedAt: epochMs("archived_at"),
  },
  (t) => [index("survey_options_survey_idx").on(t.surveyId, t.position)],
);
