import { index, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { epochMs } from "./_columns.ts";

/** The survey was shown (hosted page or widget). */
export const surveyViews = sqliteTable(
  "survey_views",
  {
    id: text("id").primaryKey(),
    surveyId: text("survey_id").notNull(),
    ts: epochMs("ts").notNull(),
    visitorId: text("visitor_id"),
    lcid: text("lcid"),
    placement: text("placement"),
  },
  (t) => [index("survey_views_survey_ts_idx").on(t.surveyId, t.ts)],
);

/** The survey was dismissed without an answer. A skip is not an answer. */
export const surveySkips = sqliteTable(
  "survey_skips",
  {
    id: text("id").primaryKey(),
    surveyId: text("survey_id").notNull(),
    ts: epochMs("ts").notNull(),
    visitorId: text("visitor_id"),
    lcid: text("lcid"),
  },
  (t) => [index("survey_skips_survey_ts_idx").on(t.surveyId, t.ts)],
);

export const surveyResponses = sqliteTable(
  "survey_responses",
  {
    id: text("id").primaryKey(),
    surveyId: text("survey_id").notNull(),
    ts: epochMs("ts").notNull(),
    receivedAt: epochMs("received_at").notNull(),
    optionId: text("option_id"),
    otherText: text("other_text"),
    followUpText: text("follow_up_text"),
    channel: text("channel"),
    source: text("source"),
    confidence: real("confidence"),
    /** Which rule classified the answer: option mapping, manual label, or the free-text rule's name. */
    rule: text("rule").notNull(),
    respondentHash: text("respondent_hash"),
    externalId: text("external_id"),
    lcid: text("lcid"),
    visitorId: text("visitor_id"),
    shareToken: text("share_token"),
    conversionId: text("conversion_id"),
    locale: text("locale"),
    idempotencyKey: text("idempotency_key").unique(),
    /** surveyId + respondent + day: the same respondent answering twice within a day counts once. */
    dedupeKey: text("dedupe_key").unique(),
  },
  (t) => [index("survey_responses_survey_ts_idx").on(t.surveyId, t.ts), index("survey_responses_conversion_idx").on(t.conversionId), index("survey_responses_received_idx").on(t.receivedAt)],
);

/** An admin's label for a free-text answer: wins over the rules the next time the same text comes. */
export const answerLabels = sqliteTable("answer_labels", {
  normalizedText: text("normalized_text").primaryKey(),
  channel: text("channel").notNull(),
  source: text("source"),
  labeledBy: text("labeled_by"),
  createdAt: epochMs("created_at").notNull(),
});
