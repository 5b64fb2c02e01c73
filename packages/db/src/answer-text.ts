import { normalizeAnswer } from "@lantern/core";
import { sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { surveyResponses, textNotNormalized } from "./schema/survey-events.ts";
import { serialiseWrites } from "./write-lock.ts";

/**
 * The normalised forms stored beside an answer's free text: exactly `normalizeAnswer` of each text, the
 * key a manual label is stored under, or null when there is no text. Every writer of survey responses
 * spreads this into its row, so a label finds its answers through the indexes on these columns.
 */
export function normalizedAnswerTexts(row: { otherText?: string | null; followUpText?: string | null }): {
  otherTextNormalized: string | null;
  followUpTextNormalized: string | null;
} {
  return {
    otherTextNormalized: row.otherText == null ? null : normalizeAnswer(row.otherText),
    followUpTextNormalized: row.followUpText == null ? null : normalizeAnswer(row.followUpText),
  };
}

const BATCH = 5_000;

/**
 * Fills the normalised columns of answers that have text but not its normalised form: every row
 * stored before migration 0005 (SQL cannot run the normaliser, so the migration could only add the
 * columns), and any row a writer older than it stored since. `migrate()` runs it after the migrations;
 * once nothing is left it is one probe of an empty partial index. Idempotent, so processes that start
 * together may both run it. Returns the number of rows filled.
 */
export async function backfillNormalizedAnswerTexts(db: Db): Promise<number> {
  const r = surveyResponses;
  let filled = 0;
  for (;;) {
    const rows = await db
      .select({ rowid: sql<number>`rowid`, otherText: r.otherText, followUpText: r.followUpText })
      .from(r)
      .where(textNotNormalized(r))
      .limit(BATCH);
    if (rows.length === 0) return filled;
    const values = rows.map((row) => {
      const n = normalizedAnswerTexts(row);
      return [row.rowid, n.otherTextNormalized, n.followUpTextNormalized];
    });
    // One statement per batch (a JSON parameter), about four times faster than one UPDATE per row. By
    // rowid, which matches whatever the id holds, so every row selected leaves the pending set.
    await serialiseWrites(db, () =>
      db.$client.execute({
        sql: `UPDATE survey_responses SET other_text_normalized = j.value->>1, follow_up_text_normalized = j.value->>2
              FROM json_each(?) AS j WHERE survey_responses.rowid = j.value->>0`,
        args: [JSON.stringify(values)],
      }),
    );
    filled += rows.length;
    if (rows.length < BATCH) return filled;
  }
}
