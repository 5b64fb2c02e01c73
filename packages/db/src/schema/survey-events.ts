import { type AnyColumn, type SQL, sql } from "drizzle-orm";
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
    /**
     * `normalizeAnswer(otherText)` / `normalizeAnswer(followUpText)` from @lantern/core (null when there
     * is no text): the key of manual labels, stored so a label finds its answers through an index.
     * SQL cannot compute it, so every writer fills it (`normalizedAnswerTexts`), and `migrate()` fills
     * rows that lack it (`backfillNormalizedAnswerTexts`).
     */
    otherTextNormalized: text("other_text_normalized"),
    followUpTextNormalized: text("follow_up_text_normalized"),
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
  (t) => [
    index("survey_responses_survey_ts_idx").on(t.surveyId, t.ts),
    index("survey_responses_conversion_idx").on(t.conversionId),
    index("survey_responses_received_idx").on(t.receivedAt),
    // Partial: most answers are a picked option with no text, and they stay out of these two.
    index("survey_responses_other_norm_idx").on(t.otherTextNormalized).where(sql`${t.otherTextNormalized} IS NOT NULL`),
    index("survey_responses_follow_up_norm_idx").on(t.followUpTextNormalized).where(sql`${t.followUpTextNormalized} IS NOT NULL`),
    // The rows still to normalise: empty once the backfill has run, so checking for them costs nothing.
    index("survey_responses_unnormalized_idx").on(t.id).where(textNotNormalized(t)),
    // Answers without a conversion id, by what ties them to a conversion (apps/worker/src/reconcile/load.ts,
    // loadLooseAnswers): a look-up per key and time range instead of reading every such answer. Partial:
    // most answers name their conversion. conversion_id leads so that SQLite prefers these to
    // survey_responses_conversion_idx (conversion_id IS NULL alone), which it picks otherwise.
    index("survey_responses_loose_respondent_idx").on(t.conversionId, t.respondentHash, t.ts).where(sql`${t.conversionId} IS NULL`),
    index("survey_responses_loose_visitor_idx").on(t.conversionId, t.visitorId, t.ts).where(sql`${t.conversionId} IS NULL`),
    index("survey_responses_loose_lcid_idx").on(t.conversionId, t.lcid, t.ts).where(sql`${t.conversionId} IS NULL`),
  ],
);

/**
 * Answers with text but without its normalised form: written before migration 0005 or by a writer
 * that predates it. Queries must use this very expression for SQLite to pick the partial index.
 */
export function textNotNormalized(t: Record<"otherText" | "otherTextNormalized" | "followUpText" | "followUpTextNormalized", AnyColumn>): SQL {
  return sql`((${t.otherText} IS NOT NULL AND ${t.otherTextNormalized} IS NULL) OR (${t.followUpText} IS NOT NULL AND ${t.followUpTextNormalized} IS NULL))`;
}

/** An admin's label for a free-text answer: wins over the rules the next time the same text comes. */
export const answerLabels = sqliteTable("answer_labels", {
  normalizedText: text("normalized_text").primaryKey(),
  channel: text("channel").notNull(),
  source: text("source"),
  labeledBy: text("labeled_by"),
  createdAt: epochMs("created_at").notNull(),
});
